"""Command-line conventions: completion, version, did-you-mean, file messages, plain help."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from conftest import BANK, ROOT, invoke, run

COMMANDS = ["recommend", "rules", "capacity", "roadmap", "checklist", "status", "compare",
            "report", "validate", "schema", "init"]


# Completion and version -----------------------------------------------------------------------

def test_completion_is_offered_and_completes_commands_and_options():
    help_text = invoke("--help").stdout
    assert "--install-completion" in help_text and "--show-completion" in help_text
    script = run("--show-completion", "bash", env={
                                           "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"})
    assert script.returncode == 0, script.stderr
    assert b"_CHANNELPLAN_COMPLETE" in script.stdout
    # What the shell runs on <TAB>: the completion of "channelplan rec" is "recommend".
    words = run(env={"_CHANNELPLAN_COMPLETE": "complete_bash", "COMP_WORDS": "channelplan rec",
                     "COMP_CWORD": "1"})
    assert words.stdout.split() == [b"recommend"], words
    options = run(env={"_CHANNELPLAN_COMPLETE": "complete_bash",
                       "COMP_WORDS": "channelplan compare --fail", "COMP_CWORD": "2"})
    assert options.stdout.split() == [b"--fail-on"], options


@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_version_is_listed_in_help_and_answered_both_ways(flag):
    assert re.search(r"^\s+-V, --version\s+Print the version and exit\.", invoke("--help").stdout,
                     re.MULTILINE)
    fast = run(flag)  # answered by channelplan.entry before Typer starts
    assert fast.returncode == 0 and re.fullmatch(rb"channelplan \S+\n", fast.stdout)
    in_process = invoke(flag)  # answered by the Typer app itself (tests, embedding)
    assert in_process.exit_code == 0 and in_process.stdout == fast.stdout.decode()


# Did you mean ------------------------------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    (["recommend", str(BANK), "-f", "jsno"],
     "channelplan recommend: error: --format jsno is not available here; choose one of: table, "
     "markdown, json; did you mean 'json'?"),
    (["capacity", str(BANK), "-f", "cvs"], "did you mean 'csv'?"),
    (["compare", str(BANK), "--fail-on", "retrie"],
     "unknown action 'retrie'; use ACTION[:CHANNEL] with ACTION one of keep, improve, add, "
     "retire, skip, e.g. retire:phone; did you mean 'retire'?"),
    (["compare", str(BANK), "--fail-on", "retire:phnoe"],
     "--fail-on 'retire:phnoe': unknown channel id 'phnoe'; did you mean 'phone'?"),
    (["compare", str(BANK), "--sort", "phnoe"], "use name, source or a channel id; did you mean 'phone'?"),
    (["init", "--template", "ful"], "choose one of: minimal, full; did you mean 'full'?"),
])
def test_did_you_mean(args, message):
    result = invoke(*args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_no_suggestion_for_nonsense():
    result = invoke("compare", str(BANK), "--fail-on", "explode")
    assert result.exit_code == 2 and "did you mean" not in result.stderr


# Missing and unreadable files: one message form everywhere -----------------------------------

def _missing_file_cases(folder):
    missing = folder / "northwind-bnak.yaml"
    (folder / "northwind-bank.yaml").write_text(BANK.read_text())
    checklist = folder / "transitoin.md"
    (folder / "transition.md").write_text("")
    for command in ("recommend", "capacity", "roadmap", "checklist", "report", "validate",
                    "compare"):
        yield [command, str(missing)], missing, folder / "northwind-bank.yaml"
    yield ["status", str(checklist)], checklist, folder / "transition.md"
    yield ["recommend", str(BANK), "--weights", str(missing)], missing, folder / "northwind-bank.yaml"


def test_a_missing_file_gets_one_message_with_a_suggestion_in_every_command(tmp_path):
    for args, missing, similar in _missing_file_cases(tmp_path):
        result = invoke(*args)
        assert result.exit_code == 2, args
        expected = (f"{missing}:1:1: cannot read the file: No such file or directory; "
                    f"did you mean '{similar}'?")
        assert expected in result.output.splitlines(), (args, result.output)
        assert "Traceback" not in result.output


def test_an_unreadable_file_gets_the_same_form(tmp_path, monkeypatch):
    import builtins

    locked = tmp_path / "locked.yaml"
    locked.write_text(BANK.read_text())
    real_open = builtins.open

    def refusing(path, *args, **kwargs):  # root may read anything: refuse the way the OS would
        if str(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", refusing)
    for args in (["recommend", str(locked)], ["status", str(locked)],
                 ["recommend", str(BANK), "--weights", str(locked)]):
        result = invoke(*args)
        assert result.exit_code == 2
        assert f"{locked}:1:1: cannot read the file: Permission denied" in result.output.splitlines()


def test_output_to_a_directory_says_it_is_a_directory(tmp_path):
    for args in (["recommend", str(BANK)], ["report", str(BANK)], ["checklist", str(BANK)],
                 ["compare", str(BANK), "-f", "json"], ["schema"], ["init"]):
        result = invoke(*args, "-o", str(tmp_path))
        assert result.exit_code == 2, args
        assert result.stderr.strip().endswith(
            f"channelplan: error: -o {tmp_path}: is a directory; -o takes a file name, "
            f"e.g. -o {tmp_path / 'NAME'}"), (args, result.stderr)
        assert ".tmp" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_report_and_checklist_say_what_they_wrote(tmp_path):
    report = tmp_path / "report.md"
    result = invoke("report", str(BANK), "-o", str(report))
    assert result.exit_code == 0 and f"wrote {report}" in result.stderr.splitlines()
    assert report.read_text().startswith("#")
    checklist = tmp_path / "transition.md"
    result = invoke("checklist", str(BANK), "-o", str(checklist))
    tasks = checklist.read_text().count("<!-- task:")
    assert tasks > 0
    assert (f"wrote {checklist} ({tasks} tasks); next: channelplan status {checklist}"
            in result.stderr.splitlines())
    assert invoke("report", str(BANK), "-o", str(report), "--quiet").stderr == ""
    assert invoke("checklist", str(BANK), "-o", str(checklist), "--quiet").stderr == ""


# Help ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("command", COMMANDS)
def test_help_shows_plain_metavars(command):
    text = invoke(command, "--help").stdout
    assert not re.search(r"\{[A-Z_.]+\}|\[\[|<(str|int|path|list\[str\]|int range)>", text), text
    usage = text.splitlines()[0]
    declared = {"recommend": "PROFILE", "capacity": "PROFILE", "roadmap": "PROFILE",
                "checklist": "PROFILE", "report": "PROFILE", "rules": "[RULE_ID]",
                "status": "CHECKLIST", "compare": "PROFILE_OR_DIR...", "validate": "PROFILE..."}
    if command in declared:
        assert usage == f"Usage: channelplan {command} [OPTIONS] {declared[command]}"


# JSON is ASCII -------------------------------------------------------------------------------

def test_every_json_output_is_ascii(tmp_path):
    profile = tmp_path / "caf\u00e9.yaml"
    profile.write_text(BANK.read_text().replace("Northwind Savings Bank", "Caf\u00e9 \u2603 Bank"),
                       encoding="utf-8")
    broken = tmp_path / "bro\u00dfen.yaml"
    broken.write_text("version: 1\ncompany: {name: \u00dc, f\u00e4rbe: 1}\n", encoding="utf-8")
    checklist = tmp_path / "\u00fcbergang.md"
    assert invoke("checklist", str(profile), "-o", str(checklist)).exit_code == 0
    for args in (["recommend", str(profile)], ["capacity", str(profile)], ["roadmap", str(profile)],
                 ["compare", str(profile), str(broken)], ["status", str(checklist)],
                 ["validate", str(profile), str(broken)], ["rules"], ["schema"]):
        fmt = [] if args[0] == "schema" else ["-f", "json"]
        result = invoke(*args, *fmt)
        assert result.exit_code in (0, 2), (args, result.output)
        assert result.stdout.isascii(), args
        doc = json.loads(result.stdout)
        if args[0] not in ("rules", "schema"):  # the non-ASCII text is there, escaped
            assert re.search("[\u00e9\u00fc\u00df]", json.dumps(doc, ensure_ascii=False)), args


# The pre-commit hook and the starters ---------------------------------------------------------

def test_pre_commit_hook_files_include_the_name_init_suggests():
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    pattern = re.compile(hooks["channelplan-validate"]["files"])
    template = invoke("init").stdout
    suggested = set(re.findall(r"channelplan validate (\S+\.ya?ml)", template))
    suggested |= set(re.findall(r"channelplan init -o (\S+\.ya?ml)", invoke("init", "--help").stdout))
    assert suggested == {"profile.yaml"}
    for path in [*suggested, "support/profile.yaml", "profiles/bank.yaml", "team/profiles/x.yml",
                 "bank-profile.yaml"]:
        assert pattern.search(path), path
    for path in ["docs/transition.md", ".github/workflows/ci.yml", "mkdocs.yml"]:
        assert not pattern.search(path), path


def _readme_profile() -> str:
    readme = (ROOT / "README.md").read_text()
    return re.search(r"```yaml\n(.*?)```", readme, re.DOTALL).group(1)


@pytest.mark.parametrize("source", ["init-minimal", "init-full", "readme"])
def test_starters_produce_no_warning(tmp_path, source):
    path = tmp_path / "profile.yaml"
    if source == "readme":
        path.write_text(_readme_profile())
    else:
        assert invoke("init", "--template", source.split("-")[1], "-o", str(path)).exit_code == 0
    for command in ("validate", "recommend", "capacity", "roadmap", "report", "checklist"):
        result = invoke(command, str(path))
        assert result.exit_code == 0, (command, result.output)
        assert "warning" not in result.output, (command, result.output)
