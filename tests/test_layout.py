"""The code's layout by layer: the CLI is a package of one module per command, the checks
of compare's options live in the core."""

from __future__ import annotations

from pathlib import Path

import pytest

from channelplan.cli import app
from channelplan.comparison import channel_columns, check_sort, fail_rules
from channelplan.errors import ArgumentError
from conftest import invoke

ROOT = Path(__file__).resolve().parent.parent


def test_every_command_has_its_own_module_in_the_cli_package():
    import typer.main

    group = typer.main.get_command(app)
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        module = command.callback.__module__
        assert module == f"channelplan.cli.{name.replace('import', 'import_')}", name


def test_compare_options_are_checked_in_the_core_without_naming_flags():
    assert channel_columns(" phone, email,phone ") == ["phone", "email"]
    assert fail_rules(["retire:phone", "add"]) == [("retire", "phone"), ("add", "")]
    assert check_sort("phone") == "phone"
    with pytest.raises(ArgumentError) as caught:
        channel_columns("phnoe")
    assert caught.value.argument == "channels" and "did you mean 'phone'" in caught.value.detail
    with pytest.raises(ArgumentError) as caught:
        fail_rules(["retre"])
    assert caught.value.argument == "fail_on" and "'retire'" in caught.value.detail
    with pytest.raises(ArgumentError) as caught:
        check_sort("nmae")
    assert caught.value.argument == "sort" and "did you mean 'name'" in caught.value.detail
    for exc in (caught.value,):
        assert "--" not in str(exc)


def test_every_rule_in_the_data_has_a_function_and_every_function_a_rule():
    from channelplan.rules import RULE_FUNCTIONS, rule_catalogue

    assert set(rule_catalogue()) == set(RULE_FUNCTIONS)


def test_a_rule_reads_its_thresholds_from_its_record(monkeypatch):
    from channelplan.loader import load_profile
    from channelplan.rules import RULE_FUNCTIONS, Facts, rule_catalogue

    facts = Facts(load_profile(str(ROOT / "profiles" / "northwind-bank.yaml")))
    measured = rule_catalogue()["MEASURED"].parameters
    before = RULE_FUNCTIONS["MEASURED"](facts, "phone")
    monkeypatch.setitem(measured, "typical_csat", 0.99)
    after = RULE_FUNCTIONS["MEASURED"](facts, "phone")
    assert before != after and "99%" in after[1]


def _package_sources() -> dict[str, str]:
    root = ROOT / "channelplan"
    return {str(p.relative_to(root)): p.read_text() for p in root.rglob("*.py")}


def test_one_did_you_mean_helper_and_one_yaml_loader_fallback():
    sources = _package_sources()
    assert [n for n, t in sources.items() if "difflib" in t] == ["suggest.py"]
    assert [n for n, t in sources.items() if "CSafeLoader" in t] == ["datafiles.py"]


def test_the_one_decoder_locates_a_bad_byte_in_profiles_and_checklists_alike(tmp_path):
    profile = tmp_path / "bad.yaml"
    profile.write_bytes("version: 1\ncompany:\n  name: é\xff\n".encode("latin-1"))
    checklist = tmp_path / "bad.md"
    checklist.write_bytes("# Plan\n- [ ] é\xff <!-- task:a.b.c -->\n".encode("latin-1"))
    result = invoke("validate", str(profile))
    assert result.exit_code == 2
    assert f"{profile}:3:9: file is not UTF-8 text (byte 0xe9 cannot be decoded)" in result.output
    result = invoke("status", str(checklist))
    assert result.exit_code == 2
    assert f"{checklist}:2:7: file is not UTF-8 text (byte 0xe9 cannot be decoded)" in result.output


def test_every_format_of_every_command_has_a_renderer_of_the_one_interface():
    import importlib
    import inspect

    from channelplan.render import FORMATS, MODULES, Renderer, RenderOptions, renderer

    for command, formats in FORMATS.items():
        module = importlib.import_module(f"channelplan.render.{MODULES[command]}")
        assert set(module.RENDERERS) == set(formats), command  # and no renderer without a format
        for fmt in formats:
            chosen = renderer(command, fmt)
            assert isinstance(chosen, Renderer), (command, fmt)
            params = list(inspect.signature(chosen.text).parameters.values())
            assert len(params) == 2, (command, fmt)
            assert params[1].annotation in ("RenderOptions", RenderOptions), (command, fmt)
            assert all(p.kind is p.POSITIONAL_OR_KEYWORD for p in params), (command, fmt)


def test_a_streamed_format_renders_the_same_text_whole_or_row_by_row():
    import io
    import json

    from channelplan.comparison import compare_iter
    from channelplan.render import RenderOptions, renderer

    rows = list(compare_iter([str(ROOT / "profiles" / "northwind-bank.yaml")], jobs=1))
    options = RenderOptions(channels=("phone", "email"))
    for fmt in ("json", "csv"):
        chosen = renderer("compare", fmt)
        assert chosen.stream is not None
        out = io.StringIO()
        chosen.stream(iter(rows), out, options)
        assert chosen(rows, options) == out.getvalue()
    doc = json.loads(renderer("compare", "json")(rows, options))
    assert doc["summary"] == {"profiles": 1, "errors": 0}
    header = renderer("compare", "csv")(rows, options).splitlines()[0]
    assert header == "source,name,phone_score,phone_action,email_score,email_action,errors"


@pytest.mark.parametrize("channel", ["phnoe", "messaging"])
def test_the_roadmap_core_names_its_argument_not_the_command_line_option(channel):
    from channelplan.loader import load_profile
    from channelplan.transition import roadmap

    with pytest.raises(ArgumentError) as caught:
        roadmap(load_profile(str(ROOT / "profiles" / "northwind-bank.yaml")), retire=[channel])
    assert caught.value.argument == "retire" and "--" not in str(caught.value)
    result = invoke("roadmap", str(ROOT / "profiles" / "northwind-bank.yaml"), "--retire", channel)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"channelplan: error: --retire {channel}: ")
