"""The public Python API: complete, typed for editors and mypy, lazy at run time."""

from __future__ import annotations

import ast
import importlib
import json

import pytest

import channelplan
from channelplan import Comparison, ProfileError, compare, load_profile, load_profiles, recommend
from conftest import BANK, PROFILES, ROOT, SHOP, invoke


def test_every_public_name_is_the_real_object_of_its_module():
    for name in channelplan.__all__:
        module = importlib.import_module(channelplan._WHERE[name])
        assert getattr(channelplan, name) is getattr(module, name), name
    assert set(channelplan._WHERE) == set(channelplan.__all__)
    with pytest.raises(AttributeError):
        channelplan.no_such_name  # noqa: B018


def test_type_checkers_see_every_public_name():
    """Each public name is imported under TYPE_CHECKING, so editors and mypy see its type."""
    tree = ast.parse((ROOT / "channelplan" / "__init__.py").read_text())
    guarded = next(node for node in tree.body if isinstance(node, ast.If)
                   and getattr(node.test, "id", "") == "TYPE_CHECKING")
    imported = {}
    for node in guarded.body:
        assert isinstance(node, ast.ImportFrom)
        for alias in node.names:
            imported[alias.name] = node.module
    assert imported == channelplan._WHERE


def test_mypy_reveals_the_real_signatures(tmp_path):
    api = pytest.importorskip("mypy.api")
    probe = tmp_path / "probe.py"
    probe.write_text("from channelplan import recommend, load_profiles, compare, load_profile\n"
                     "reveal_type(recommend)\nreveal_type(load_profiles)\nreveal_type(compare)\n"
                     "reveal_type(recommend(load_profile('x')).channels[0].score)\n")
    out, err, status = api.run([str(probe), "--cache-dir", str(tmp_path / "cache"),
                                "--no-error-summary", "--config-file", str(ROOT / "pyproject.toml")])
    assert status == 0, out + err
    revealed = [line.split("Revealed type is ", 1)[1] for line in out.splitlines()
                if "Revealed type is" in line]
    assert revealed[0].startswith('"def (profile: channelplan.model.Profile, weights: ')
    assert revealed[0].endswith('-> channelplan.scoring.Recommendation"')
    assert "-> builtins.list[channelplan.model.Profile]" in revealed[1] \
        or "-> list[channelplan.model.Profile]" in revealed[1]
    assert revealed[2].endswith('-> channelplan.comparison.Comparison"')
    assert revealed[3] == '"builtins.float"' or revealed[3] == '"float"'


def test_load_profiles_reads_files_folders_and_globs():
    profiles = load_profiles([ROOT / "profiles"])
    assert [p.source for p in profiles] == [str(p) for p in PROFILES]
    again = load_profiles([str(BANK), str(ROOT / "profiles" / "*.yaml")])
    assert len(again) == len(PROFILES) and again[0].company.name == "Northwind Savings Bank"


def test_load_profiles_reports_every_problem_of_every_file(tmp_path):
    bad = ROOT / "tests" / "bad_profiles"
    with pytest.raises(ProfileError) as info:
        load_profiles([BANK, bad / "version-2.yaml", bad / "duplicate-key.yaml", tmp_path / "none.yaml"])
    sources = {p.source for p in info.value.problems}
    assert sources == {str(bad / "version-2.yaml"), str(bad / "duplicate-key.yaml"),
                       str(tmp_path / "none.yaml")}


def test_compare_matches_the_command_line():
    comparison = compare([ROOT / "profiles"])
    assert isinstance(comparison, Comparison) and not comparison.failed
    cli = json.loads(invoke("compare", str(ROOT / "profiles"), "-f", "json").stdout)
    assert comparison.to_dict() == cli
    assert comparison.actions()[str(BANK)]["social_media"] == "retire"


def test_compare_takes_loaded_profiles_and_keeps_going_past_a_bad_file():
    bad = ROOT / "tests" / "bad_profiles" / "version-2.yaml"
    comparison = compare([load_profile(BANK), str(bad), SHOP])
    assert [("errors" in row) for row in comparison.rows] == [False, True, False]
    assert comparison.rows[0] == recommend(load_profile(BANK), robustness=False).to_dict()
    assert comparison.failed[0]["source"] == str(bad)
    assert comparison.to_dict()["summary"] == {"profiles": 3, "errors": 1}
