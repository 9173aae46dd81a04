"""`compare` and `report`, and the output surface every command shares."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from markdown_it import MarkdownIt

from channelplan.comparison import compare_iter, expand
from channelplan.render import FORMATS, renderer
from conftest import AGELESS, BANK, PROFILES, ROOT, SHOP, invoke, run

BAD = ROOT / "tests" / "bad_profiles" / "version-2.yaml"


def test_directories_and_globs_expand_sorted_and_once(tmp_path):
    (tmp_path / "b.yaml").write_text(BANK.read_text())
    (tmp_path / "a.yml").write_text(SHOP.read_text())
    (tmp_path / "notes.txt").write_text("not a profile")
    paths = expand([str(tmp_path), str(tmp_path / "*.yaml")])
    assert paths == [str(tmp_path / "a.yml"), str(tmp_path / "b.yaml")]
    doc = json.loads(invoke("compare", str(tmp_path), "-f", "json").stdout)
    assert [p["profile"]["source"] for p in doc["profiles"]] == paths


def test_json_written_by_the_workers_is_the_document_the_api_gives():
    """`compare -f json` has each worker write its row's JSON text; with two workers, bad
    profiles among good ones and --fail-on, the document is exactly the API's, and the
    parent still counts errors and matches."""
    from channelplan import compare

    paths = [str(p) for p in PROFILES] + [str(BAD)]
    result = invoke("compare", *paths, "-f", "json", "--jobs", "2", "--fail-on", "retire")
    assert result.exit_code == 2
    expected = compare(paths).to_dict()
    assert json.loads(result.stdout) == expected
    assert expected["summary"] == {"profiles": len(paths), "errors": 1}
    rows = list(compare_iter(paths, jobs=2, encoded=True))
    assert [json.loads(r.json) for r in rows] == expected["profiles"]
    assert all(set(r) <= {"profile", "channels", "source", "errors"} for r in rows)


def test_a_bad_profile_hides_nothing_else_and_exits_2():
    result = invoke("compare", str(BANK), str(BAD), str(SHOP), "-f", "json")
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    assert doc["schema"] == "channelplan/comparison@1"
    assert [("errors" in p) for p in doc["profiles"]] == [False, True, False]
    assert doc["profiles"][1]["errors"][0]["line"] == 1
    assert doc["profiles"][0]["schema"] == "channelplan/recommendation@2"
    assert f"{BAD}:1:10: version: unsupported profile version 2" in result.stderr


def test_empty_dir_and_unmatched_glob_are_usage_errors(tmp_path):
    assert invoke("compare", str(tmp_path)).exit_code == 2
    result = invoke("compare", str(tmp_path / "*.yaml"))
    assert result.exit_code == 2 and "matches no" in result.stderr


def test_csv_sort_and_channel_columns():
    result = invoke("compare", *map(str, PROFILES), "-f", "csv", "--channels", "phone,email",
                    "--sort", "phone")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ["source", "name", "phone_score", "phone_action", "email_score",
                             "email_action", "errors"]
    scores = [float(r["phone_score"]) for r in rows]
    assert scores == sorted(scores, reverse=True) and len(rows) == len(PROFILES)
    by_name = invoke("compare", *map(str, PROFILES), "-f", "csv", "--sort", "name")
    names = [r["name"] for r in csv.DictReader(io.StringIO(by_name.stdout))]
    assert names == sorted(names, key=str.casefold)
    bad = invoke("compare", str(BANK), "--channels", "phone,fax")
    assert bad.exit_code == 2 and "unknown channel id 'fax'" in bad.stderr


def test_fail_on_matches_exit_1():
    assert invoke("compare", str(BANK), "--fail-on", "retire:social_media").exit_code == 1
    assert invoke("compare", str(BANK), "--fail-on", "retire:phone").exit_code == 0
    assert invoke("compare", str(BANK), "--fail-on", "explode").exit_code == 2


def test_parallel_results_equal_serial_results():
    paths = [str(p) for p in PROFILES] * 3
    serial = list(compare_iter(paths, jobs=1))
    parallel = list(compare_iter(paths, jobs=2))
    assert serial == parallel


def test_compare_matches_recommend():
    doc = json.loads(invoke("compare", str(BANK), "-f", "json").stdout)
    single = json.loads(invoke("recommend", str(BANK), "-f", "json").stdout)
    for a, b in zip(doc["profiles"][0]["channels"], single["channels"], strict=True):
        assert (a["channel"], a["score"], a["action"]) == (b["channel"], b["score"], b["action"])


def test_compare_streams_to_a_file_atomically(tmp_path):
    out = tmp_path / "cmp.json"
    assert invoke("compare", *map(str, PROFILES), "-f", "json", "-o", str(out)).exit_code == 0
    assert len(json.loads(out.read_text())["profiles"]) == len(PROFILES)
    assert [p.name for p in tmp_path.iterdir()] == ["cmp.json"]


# Report ---------------------------------------------------------------------------------------

def _parse(markdown: str):
    return MarkdownIt("commonmark").enable("table").parse(markdown)


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_report_is_a_complete_document(tmp_path, path):
    out = tmp_path / "report.md"
    result = invoke("report", str(path), "-o", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text()
    for heading in ("## Summary", "## Scores and reasons", "## Customer fit against cost to serve",
                    "## Capacity and cost", "## Transition roadmap", "## Assumptions",
                    "## Rules and sources"):
        assert heading in text
    assert "quadrantChart" in text
    tokens = _parse(text)
    assert sum(1 for t in tokens if t.type == "table_open") >= 3
    assert not any(t.type in ("html_block", "html_inline") for t in tokens)
    for x, y in re.findall(r": \[([0-9.]+), ([0-9.]+)\]", text):
        assert 0.02 <= float(x) <= 0.98 and 0.02 <= float(y) <= 0.98
    if "Nothing to retire" not in text:
        assert "gantt" in text and "## Checklist" in text and "- [ ]" in text


def test_report_lists_assumptions_the_profile_relied_on():
    text = invoke("report", str(ROOT / "profiles" / "brightloop-startup.yaml")).stdout
    section = text.split("## Assumptions")[1].split("## Rules and sources")[0]
    assert "Busiest hour's volume over the average hour's: 1.5x (default) (`demand.peak_factor`)" \
        in section
    assert "Getting started and how-to" in section and "sensitivity none" in section


# The output surface ---------------------------------------------------------------------------

COMMANDS_WITH_FORMAT = {"recommend": [str(BANK)], "capacity": [str(BANK)], "roadmap": [str(BANK)],
                        "compare": [str(BANK)], "rules": [], "report": [str(BANK)]}


def test_every_format_of_every_command_has_a_renderer():
    for command, formats in FORMATS.items():
        for fmt in formats:
            assert callable(renderer(command, fmt)), (command, fmt)


@pytest.mark.parametrize("command", sorted(COMMANDS_WITH_FORMAT))
def test_every_advertised_format_works_and_others_are_refused(command):
    for fmt in ("table", "markdown", "json", "csv"):
        result = invoke(command, *COMMANDS_WITH_FORMAT[command], "-f", fmt, "--no-color")
        if fmt in FORMATS[command]:
            assert result.exit_code == 0, (command, fmt, result.output)
            assert result.stdout.strip()
        else:
            assert result.exit_code == 2 and "not available" in result.stderr


@pytest.mark.parametrize("command", ["recommend", "capacity", "roadmap", "report", "validate", "checklist"])
def test_dash_reads_the_profile_from_stdin(command):
    result = invoke(command, "-", input=BANK.read_text())
    assert result.exit_code == 0, result.output


def _in_a_terminal(*args: str, env: dict[str, str]) -> bytes:
    """What the command prints to a real (pseudo-)terminal: the case where colours are on."""
    import os
    import pty
    import subprocess
    import sys

    master, slave = pty.openpty()
    inherited = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    full_env = {**inherited, "TERM": "xterm-256color", "COLUMNS": "100", **env}
    process = subprocess.Popen([sys.executable, "-m", "channelplan", *args], stdout=slave,
                               stderr=subprocess.DEVNULL, cwd=ROOT, env=full_env)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert process.wait(timeout=60) == 0
    return b"".join(chunks)


def test_no_color_and_NO_COLOR_mean_no_escape_codes():
    coloured = _in_a_terminal("recommend", str(BANK), env={})
    assert b"\x1b[" in coloured, "on a terminal the table is coloured (else this test proves nothing)"
    assert b"Northwind Savings Bank" in coloured
    for env, args in (({"NO_COLOR": "1"}, []), ({}, ["--no-color"])):
        plain = _in_a_terminal("recommend", str(BANK), *args, env=env)
        assert b"Northwind Savings Bank" in plain
        assert b"\x1b[" not in plain, (env, args)


def test_quiet_silences_warnings(tmp_path):
    ageless = tmp_path / "ageless.yaml"
    ageless.write_text(AGELESS)
    loud = invoke("recommend", str(ageless))
    assert "warning: customers.age_mix is not given" in loud.stderr
    assert "warning" not in invoke("recommend", str(ageless), "--quiet").stderr


@pytest.mark.parametrize("command", ["recommend", "capacity", "roadmap", "report", "rules",
                                     "compare", "status", "checklist", "validate", "schema", "init"])
def test_every_command_has_help_with_an_example(command):
    result = invoke(command, "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.stdout and f"channelplan {command}" in result.stdout


def test_version_and_python_m():
    result = run("--version")
    assert result.returncode == 0 and result.stdout.decode().startswith("channelplan ")
    assert run("rules", "-f", "json").returncode == 0


def test_example_api_script_runs():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, str(ROOT / "examples" / "compare_profiles.py"),
                             str(ROOT / "profiles")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Northwind Savings Bank" in result.stdout and "retire   social_media" in result.stdout


def test_the_installed_console_script_works_outside_the_source_tree(tmp_path):
    """Runs the installed `channelplan` from another folder, so the source tree is not on the
    path: a module or data file missing from the package fails here, not for a user."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    script = Path(sys.executable).parent / "channelplan"
    if not script.exists():
        script_path = shutil.which("channelplan")
        if script_path is None:
            pytest.skip("channelplan is not installed as a console script here")
        script = Path(script_path)
    for args in (["recommend", str(BANK)], ["report", str(BANK)], ["init"], ["rules", "AGE-FIT"],
                 ["compare", str(ROOT / "profiles"), "-f", "csv"], ["checklist", str(BANK)]):
        result = subprocess.run([str(script), *args], capture_output=True, text=True, cwd=tmp_path,
                                timeout=120)
        assert result.returncode == 0, (args, result.stderr[-2000:])


MEMORY_PROBE = """
import gc, sys, tracemalloc
from pathlib import Path
from channelplan.comparison import compare_iter, expand
from channelplan.render.comparison import stream_json

class Sink:
    def write(self, text):
        return len(text)

class Keeper:
    def __init__(self):
        self.kept = []
    def write(self, text):
        self.kept.append(text)
        return len(text)

paths = expand([sys.argv[1]])
stream_json(compare_iter(paths[:1], jobs=1), Sink())   # imports and caches, untraced
# the cyclic collector runs often: when it happens to run is not what streaming keeps
gc.set_threshold(50, 1, 1)

def peak(count, sink):
    gc.collect()
    tracemalloc.start()
    stream_json(compare_iter(paths[:count], jobs=1), sink)
    top = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return top

print(peak(3, Sink()), peak(30, Sink()), peak(30, Keeper()))
"""


def test_streamed_json_keeps_memory_flat(tmp_path):
    """Peak memory of `compare -f json` does not grow with the number of profiles: ten
    times the profiles, not even 1.5 times the peak. The same measurement with a writer
    that keeps what it is given (as a renderer holding its rows would) does grow, so the
    measurement can tell. Measured in a fresh interpreter, so that what earlier tests left
    in memory is not counted; tracemalloc slows scoring about fourteen-fold, so 3 against 30
    small profiles keep the factor of ten."""
    import subprocess
    import sys

    folder = tmp_path / "many"
    folder.mkdir()
    text = (ROOT / "channelplan" / "templates" / "minimal.yaml").read_text()
    for index in range(30):
        (folder / f"p{index:03d}.yaml").write_text(text)
    done = subprocess.run([sys.executable, "-c", MEMORY_PROBE, str(folder)], capture_output=True,
                          text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    small, large, kept = map(int, done.stdout.split())
    assert large < small * 1.5, (small, large)
    # the same 30 profiles through a writer that keeps its rows peak clearly higher: the
    # measurement sees rows that are kept (compared at equal count, so the scoring's own
    # working memory, the same in both, does not blur it)
    assert kept > large * 1.3, (large, kept)


class _Keeper:
    """A writer that keeps everything it is given."""

    def __init__(self) -> None:
        self.kept: list[str] = []

    def write(self, text: str) -> int:
        self.kept.append(text)
        return len(text)


class _Sink:
    """A write-only sink that keeps nothing."""

    def write(self, text: str) -> int:
        return len(text)
