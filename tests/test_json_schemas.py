"""The JSON outputs of `status`, `compare` and `validate` follow their committed schemas."""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest
from referencing import Registry, Resource

from conftest import BANK, PROFILES, ROOT, SHOP, invoke

SCHEMAS = {path.name: json.loads(path.read_text()) for path in (ROOT / "schema").glob("*.json")}
REGISTRY = Registry().with_resources(
    (schema["$id"], Resource.from_contents(schema)) for schema in SCHEMAS.values())
BAD = ROOT / "tests" / "bad_profiles"


def _validator(name: str) -> jsonschema.Draft202012Validator:
    schema = SCHEMAS[name]
    return jsonschema.Draft202012Validator(schema, registry=REGISTRY,
                                           format_checker=jsonschema.FormatChecker())


def _check(name: str, doc: dict) -> None:
    _validator(name).validate(doc)
    version = SCHEMAS[name]["properties"]["schema"]["const"]
    assert doc["schema"] == version and version.endswith("@1")


@pytest.mark.parametrize("name", ["status.schema.json", "comparison.schema.json",
                                  "validation.schema.json"])
def test_schemas_are_valid_and_versioned(name):
    schema = SCHEMAS[name]
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"].endswith(f"/schema/{name}")
    assert schema["properties"]["schema"]["const"] == f"channelplan/{name.split('.')[0]}@1"


def _checklist(tmp_path, profile=SHOP):
    path = tmp_path / "transition.md"
    assert invoke("checklist", str(profile), "-o", str(path)).exit_code == 0
    return path


@pytest.mark.parametrize("today", ["2026-01-01", "2027-03-01", "2030-01-01"])
def test_status_output_follows_its_schema(tmp_path, today):
    checklist = _checklist(tmp_path)
    text = checklist.read_text().replace("- [ ]", "- [x]", 5)  # some done, some overdue
    checklist.write_text(text + "\n- [ ] a task of ours <!-- task:extra -->\n")
    result = invoke("status", str(checklist), "--today", today, "-f", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    _check("status.schema.json", doc)
    assert doc["totals"]["done"] == 5


def test_status_from_stdin_follows_its_schema(tmp_path):
    text = _checklist(tmp_path, BANK).read_text()
    result = invoke("status", "-", "--today", "2027-03-01", "-f", "json", input=text)
    doc = json.loads(result.stdout)
    _check("status.schema.json", doc)
    assert doc["source"] == "-" or doc["source"] == "<stdin>"
    assert doc["overdue"], "the check covers overdue entries too"


def test_comparison_output_follows_its_schema():
    result = invoke("compare", *map(str, PROFILES), str(BAD / "version-2.yaml"),
                    str(BAD / "duplicate-key.yaml"), "-f", "json")
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    _check("comparison.schema.json", doc)
    assert doc["summary"] == {"profiles": len(PROFILES) + 2, "errors": 2}
    with_robustness = json.loads(invoke("compare", str(BANK), "--robustness", "-f", "json").stdout)
    _check("comparison.schema.json", with_robustness)


def test_comparison_from_the_api_follows_the_same_schema():
    from channelplan import compare

    _check("comparison.schema.json", compare([BANK, BAD / "version-2.yaml"]).to_dict())


def test_validation_output_follows_its_schema(tmp_path):
    ageless = tmp_path / "ageless.yaml"
    from conftest import AGELESS

    ageless.write_text(AGELESS)
    for args, status in (([*map(str, PROFILES)], 0), ([str(ageless)], 0),
                         ([str(BAD / "version-2.yaml"), str(BANK), str(tmp_path / "missing.yaml")], 2),
                         ([str(BAD)], 2)):
        result = invoke("validate", *args, "-f", "json")
        assert result.exit_code == status, result.output
        doc = json.loads(result.stdout)
        _check("validation.schema.json", doc)
    assert doc["files"] and not doc["valid"]
    stdin = json.loads(invoke("validate", "-", "-f", "json", input=BANK.read_text()).stdout)
    _check("validation.schema.json", stdin)


@pytest.mark.parametrize("name, args, break_it", [
    ("status.schema.json", ["status", "CHECKLIST", "--today", "2027-03-01"],
     lambda d: d["totals"].pop("overdue")),
    ("status.schema.json", ["status", "CHECKLIST", "--today", "2027-03-01"],
     lambda d: d.update(today="1 March 2027")),
    ("comparison.schema.json", ["compare", str(BANK)],
     lambda d: d["profiles"][0]["channels"][0].update(action="maybe")),
    ("comparison.schema.json", ["compare", str(BAD / "version-2.yaml")],
     lambda d: d["profiles"][0]["errors"].clear()),
    ("validation.schema.json", ["validate", str(BAD / "version-2.yaml")],
     lambda d: d["files"][0]["errors"][0].update(line=0)),
    ("validation.schema.json", ["validate", str(BANK)], lambda d: d.update(extra=1)),
])
def test_schemas_reject_a_broken_document(tmp_path, name, args, break_it):
    """The schemas are not vacuous: each real document passes and a damaged copy fails."""
    args = [str(_checklist(tmp_path)) if a == "CHECKLIST" else a for a in args]
    doc = json.loads(invoke(*args, "-f", "json").stdout)
    _check(name, doc)
    broken = copy.deepcopy(doc)
    break_it(broken)
    with pytest.raises(jsonschema.ValidationError):
        _validator(name).validate(broken)
