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


def test_channel_groups_and_open_hours_come_from_the_catalogue_once():
    from channelplan import catalogue as cat
    from channelplan.datafiles import load_data
    from channelplan.model import Channels

    data = load_data("channels.yaml")
    assert sorted(data) == sorted(cat.CHANNEL_IDS) == sorted(Channels.model_fields)
    assert list(Channels.model_fields) == list(cat.CHANNEL_IDS)
    # the groups follow the data: kind and concurrency, not hand-kept lists
    assert cat.assisted_ids() == ("phone", "email", "live_chat", "social_media", "messaging")
    assert cat.live_ids() == ("phone", "live_chat")
    assert cat.concurrent_ids() == ("live_chat", "messaging")
    assert set(cat.public_content_ids()) == {"community_forum", "knowledge_base"}
    assert set(cat.anonymous_ids()) == {"chatbot", "knowledge_base"}
    for cid in cat.CHANNEL_IDS:
        entry = data[cid]
        assert (cid in cat.assisted_ids()) == (entry["kind"] != "self_service")
        assert (cid in cat.live_ids()) == (entry["kind"] == "realtime")
        assert (cid in cat.concurrent_ids()) == (entry["concurrency"] > 1)
        assert len(entry["short"]) <= 4
    # one open-hours table: daily hours x days; a month of 198, 312 and 730 hours as before
    hours = {k: (v.daily, v.weekly, v.monthly) for k, v in cat.OPEN_HOURS.items()}
    assert hours == {"business": (9, 45, 198), "extended": (12, 72, 312),
                     "always": (24, 168, pytest.approx(730))}


@pytest.mark.parametrize("setting, monthly", [("business", 198), ("extended", 312),
                                              ("always", 730)])
def test_a_profile_reads_its_open_hours_from_the_one_table(setting, monthly):
    from channelplan import parse_profile

    text = (ROOT / "profiles" / "brightloop-startup.yaml").read_text()
    data = __import__("yaml").safe_load(text)
    data["demand"]["hours"] = setting
    assert parse_profile(data).demand.open_hours_per_month == pytest.approx(monthly)


def _string_literals(path: Path) -> list[tuple[int, str]]:
    """The string constants of a module, without its docstrings."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef,
                                       ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docstrings]


CORE = [p for p in sorted((ROOT / "channelplan").rglob("*.py"))
        if "cli" not in p.relative_to(ROOT / "channelplan").parts[:1]
        and p.name not in ("entry.py", "clihelp.py")]


def test_no_channel_name_or_label_is_kept_outside_the_catalogue():
    from channelplan.catalogue import catalogue

    words = {c.name for c in catalogue().values()} | {c.short for c in catalogue().values()}
    words |= {"Help centre", "Forum", "Social"}   # the capacity table's old short names
    found = [(p.name, line, value) for p in CORE for line, value in _string_literals(p)
             if value in words]
    assert found == []


def test_no_core_message_names_a_command_line_option():
    import re

    flag = re.compile(r"(^|[\s'\"(/])--[a-z]")
    found = [(p.name, line, value) for p in CORE for line, value in _string_literals(p)
             if flag.search(value)]
    assert found == []


def test_the_capacity_table_names_each_channel_as_the_catalogue_does():
    import re

    from channelplan.catalogue import catalogue

    for width in ("60", "120"):
        out = invoke("capacity", str(ROOT / "profiles" / "pebble-and-pine-shop.yaml"),
                     "--no-color", env={"COLUMNS": width}).stdout
        rows = " ".join(out.split())
        for cid in ("knowledge_base", "community_forum", "social_media"):
            assert catalogue()[cid].name.split()[0] in rows, (width, cid)
        old = re.compile(r"^\s*(Help centre|Forum|Social)\s\s", re.M)  # the old short names
        assert not old.search(out), out


def _import_cases(tmp_path: Path) -> list[tuple[dict, list[str], str]]:
    import datetime as dt

    from exportgen import Truth, write_export

    export = str(write_export(tmp_path / "t.csv", "zendesk",
                              Truth(rows=50, start=dt.date(2024, 1, 1), days=7)))
    unknown = tmp_path / "u.csv"
    unknown.write_text("When,Where\n2024-01-01,here\n")
    return [  # API arguments, the same on the command line, what the command line says
        ({"paths": [export], "since": dt.date(2024, 2, 1), "until": dt.date(2024, 1, 1)},
         [export, "--since", "2024-02-01", "--until", "2024-01-01"],
         "--until 2024-01-01 is before --since 2024-02-01"),
        ({"paths": [export], "timezone": "Mars/Olympus"}, [export, "--timezone", "Mars/Olympus"],
         "--timezone 'Mars/Olympus' is not a time zone"),
        ({"paths": [str(unknown)]}, [str(unknown)],
         "use --from zendesk or --from intercom, or --map MAP.yaml naming the columns"),
        ({"paths": [str(unknown)], "fmt": "generic"}, [str(unknown), "--from", "generic"],
         "a generic export needs --map MAP.yaml with a 'columns:' section"),
        ({"paths": [export], "max_bad_rows": -1}, [export, "--max-bad-rows", "-1"],
         "--max-bad-rows '-1': use a share"),
        ({"paths": [export], "since": dt.date(2030, 1, 1)}, [export, "--since", "2030-01-01"],
         "no contacts to measure in the window --since/--until"),
    ]


def test_the_import_core_names_arguments_and_the_command_line_names_options(tmp_path):
    from channelplan.importer import ExportError, import_exports

    for kwargs, args, cli_says in _import_cases(tmp_path):
        paths = kwargs.pop("paths")
        with pytest.raises(ExportError) as caught:
            import_exports(paths, **kwargs)
        message = str(caught.value)
        assert "--" not in message, message
        assert caught.value.arguments and set(caught.value.arguments) <= {
            "fmt", "map_path", "since", "until", "timezone", "max_bad_rows"}
        for name in caught.value.arguments:
            assert name in message
        result = invoke("import", *args)
        assert result.exit_code == 2, result.output
        assert cli_says in result.stderr, result.stderr
