"""Example profiles, the committed JSON Schema, init templates and the value forms."""

from __future__ import annotations

import json

import jsonschema
import pytest

from channelplan import load_profile, parse_profile
from channelplan.yamlsafe import parse_yaml
from conftest import BANK, PROFILES, ROOT, invoke

SCHEMA_FILE = ROOT / "schema" / "profile.schema.json"


def test_there_are_at_least_six_example_profiles():
    assert len(PROFILES) >= 6


def test_every_example_profile_validates_without_errors():
    result = invoke("validate", *map(str, PROFILES))
    assert result.exit_code == 0, result.output
    assert result.stdout.count(": ok") == len(PROFILES)


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.name)
def test_example_profile_opens_with_schema_modeline_and_a_description(path):
    lines = path.read_text().splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../schema/profile.schema.json"
    assert lines[1] == "#" and lines[2].startswith("# ") and len(lines[2]) > 20


def test_committed_schema_is_current():
    result = invoke("schema")
    assert result.exit_code == 0
    assert json.loads(SCHEMA_FILE.read_text()) == json.loads(result.stdout), (
        "schema/profile.schema.json is stale: run `channelplan schema -o schema/profile.schema.json`")


def test_schema_is_strict_and_documented():
    schema = json.loads(SCHEMA_FILE.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["additionalProperties"] is False
    for name, definition in schema["$defs"].items():
        assert definition.get("additionalProperties") is False, name
        for field, spec in definition["properties"].items():
            assert spec.get("description"), f"{name}.{field} has no description for editors"


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.name)
def test_schema_accepts_every_example_profile(path):
    schema = json.loads(SCHEMA_FILE.read_text())
    data = parse_yaml(path.read_text(), str(path)).data
    jsonschema.validate(data, schema)


def test_schema_rejects_unknown_keys_and_bare_shares():
    schema = json.loads(SCHEMA_FILE.read_text())
    data = parse_yaml(BANK_TEXT, "x").data
    data["channels"]["phone"]["share"] = 55
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)
    data["channels"]["phone"]["share"] = "55%"
    data["company"]["colour"] = "blue"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


@pytest.mark.parametrize("template", ["minimal", "full"])
def test_init_output_validates(tmp_path, template):
    out = tmp_path / "profile.yaml"
    result = invoke("init", "--template", template, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert load_profile(out).version == 1
    assert invoke("validate", str(out)).exit_code == 0


def test_init_to_stdout_validates():
    result = invoke("init")
    assert result.exit_code == 0
    assert parse_profile(result.stdout).company.name == "Example Co"


def test_init_refuses_to_overwrite_unless_forced(tmp_path):
    out = tmp_path / "profile.yaml"
    out.write_text("mine\n")
    result = invoke("init", "-o", str(out))
    assert result.exit_code == 2
    assert "exists; use --force" in result.stderr
    assert out.read_text() == "mine\n"
    assert invoke("init", "-o", str(out), "--force").exit_code == 0
    assert out.read_text().startswith("# yaml-language-server")


def test_init_unknown_template():
    result = invoke("init", "--template", "fancy")
    assert result.exit_code == 2
    assert "unknown template 'fancy'" in result.stderr


def _with(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


BANK_TEXT = BANK.read_text()


@pytest.mark.parametrize("written, value", [("55%", 0.55), ("0.55", 0.55), ("55.0%", 0.55),
                                            ("\"55 %\"", 0.55)])
def test_share_forms(written, value):
    profile = parse_profile(_with(BANK_TEXT, "share: 55%", f"share: {written}"))
    assert profile.channels.phone.share == pytest.approx(value)


@pytest.mark.parametrize("written, seconds", [("30s", 30), ("5m", 300), ("6h", 21600),
                                              ("2d", 172800), ("45", 45), ("1.5h", 5400)])
def test_duration_forms(written, seconds):
    profile = parse_profile(_with(BANK_TEXT, "answer_within: 30s", f"answer_within: {written}"))
    assert profile.channels.phone.target.answer_within == pytest.approx(seconds)


def test_defaults_apply_and_are_reported():
    text = """version: 1
company: {name: Tiny}
demand:
  contacts_per_month: 300
  topics: [{name: Anything, share: 100%, urgency: days}]
"""
    profile = parse_profile(text, source="tiny.yaml")
    assert profile.company.currency == "USD"
    assert profile.customers.digital_maturity == "medium"
    assert profile.customers.ages == {"under_25": 0.15, "25_to_54": 0.55, "55_plus": 0.30}
    assert profile.demand.hours == "business" and profile.demand.peak_factor == 1.5
    assert profile.demand.topics[0].complexity == "medium"
    assert profile.demand.topics[0].sensitivity == "none"
    assert profile.constraints.shrinkage == 0.30
    assert profile.constraints.monthly_budget is None and profile.constraints.agents is None
    assert profile.priorities.cost == 3
    assert profile.channels.offered() == {}
    assert profile.transition.min_notice_days == 30 and profile.transition.brownouts is True
    assert profile.active_customers == 300
    assert any("age_mix is not given" in w.message for w in profile.warnings)


def test_anchors_and_merge_keys_within_bounds_work():
    text = _with(BANK_TEXT, "  email:\n    share: 30%\n",
                 "  email:\n    <<: &base {csat: 80%}\n    share: 30%\n")
    text = _with(text, "  social_media:\n    share: 10%\n",
                 "  social_media:\n    <<: *base\n    share: 10%\n")
    profile = parse_profile(text)
    assert profile.channels.social_media.csat == pytest.approx(0.8)


def test_thin_channel_is_a_warning_not_an_error():
    text = _with(_with(BANK_TEXT, "share: 5%\n    concurrency", "share: 1%\n    concurrency"),
                 "  email:\n    share: 30%", "  email:\n    share: 34%")
    profile = parse_profile(text, source="bank.yaml")
    warning = [w for w in profile.warnings if "live_chat carries only 1%" in w.message]
    assert warning and (warning[0].line, warning[0].column) == (70, 5)


def test_an_empty_optional_section_means_its_defaults():
    text = """version: 1
company: {name: Tiny}
demand:
  contacts_per_month: 300
  topics: [{name: Anything, share: 100%, urgency: days}]
customers:
constraints:
priorities:
channels:
transition:
"""
    profile = parse_profile(text)
    assert profile.transition.min_notice_days == 30 and profile.channels.offered() == {}
