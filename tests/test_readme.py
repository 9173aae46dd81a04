"""The README runs as written: every Python block and every shell command in it.

Conventions (for anyone adding to the README):
- a fenced block preceded by a line ``<!-- no-test ... -->`` is not run (say why in it);
- a shell command (in an ``sh``, ``bash``, ``shell`` or ``console`` block) is run when it is a
  ``channelplan`` command or ``python examples/...``; it is skipped when it names an input
  file that does not exist (a placeholder such as ``profile.yaml``), and so is any other
  program (benchmarks, pip, git) or a pipeline; files it writes (``-o FILE``) go to a scratch
  folder;
- shell commands run in order in one scratch folder holding the example profiles, so a
  command may read what an earlier one wrote (``checklist -o`` then ``status``).
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, invoke

README = (ROOT / "README.md").read_text()
FENCE = re.compile(r"(?P<before>[^\n]*)\n```(?P<lang>\w*)\n(?P<body>.*?)\n```", re.DOTALL)
SKIP = "<!-- no-test"
INPUT_SUFFIXES = (".yaml", ".yml", ".md", ".json", ".csv")
OUTPUT_OPTIONS = ("-o", "--output")
# Exit status 1 is a result, not a failure, where a check depends on today's date or data.
CHECKS = ("--fail-on-overdue", "--fail-on")


def _blocks(lang: str) -> list[tuple[int, str]]:
    found = []
    for match in FENCE.finditer(README):
        if match.group("lang") == lang and not match.group("before").strip().startswith(SKIP):
            line = README[:match.start("body")].count("\n") + 1
            found.append((line, match.group("body")))
    return found


SHELLS = ("sh", "bash", "shell", "console")
COMPOUND = {"|", "||", "&&", ";", ">", ">>", "<"}


def _commands() -> list[tuple[str, list[str]]]:
    commands = []
    for lang in SHELLS:
        for line, body in _blocks(lang):
            for offset, text in enumerate(body.splitlines()):
                words = shlex.split(text.removeprefix("$ "), comments=True)
                if words:
                    commands.append((f"README.md:{line + offset}", words))
    return sorted(commands, key=lambda c: int(c[0].split(":")[1]))


def _scratch(tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    for name in ("profiles", "schema", "examples"):
        (folder / name).symlink_to(ROOT / name)
    return folder


def _inputs(words: list[str]) -> list[str]:
    """The files a command reads (which must exist for it to run): not those it writes."""
    inputs = []
    for previous, word in zip([""] + words, words, strict=False):
        if previous in OUTPUT_OPTIONS or word.startswith("-"):
            continue
        if word.endswith((*INPUT_SUFFIXES, ".py")) or word.endswith("/"):
            inputs.append(word)
    return inputs


def test_the_readme_has_python_and_shell_examples():
    assert _blocks("python") and len(_commands()) >= 10
    assert any(SKIP in line for line in README.splitlines()), "the skip marker is in use"


@pytest.mark.parametrize("where, code", [(f"README.md:{line}", body)
                                         for line, body in _blocks("python")],
                         ids=lambda value: value if str(value).startswith("README") else "")
def test_python_block_runs(where, code, tmp_path):
    folder = _scratch(tmp_path)
    result = subprocess.run([sys.executable, "-c", code], cwd=folder, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, f"{where}:\n{result.stderr[-3000:]}"


def test_shell_commands_run_in_order(tmp_path, monkeypatch):
    folder = _scratch(tmp_path)
    monkeypatch.chdir(folder)
    ran, skipped = [], []
    for where, words in _commands():
        example = words[0] in ("python", "python3") and words[1:2] != [] \
            and words[1].startswith("examples/")
        runnable = (words[0] == "channelplan" or example) and not COMPOUND & set(words)
        if not runnable or any(not (folder / path).exists() for path in _inputs(words[1:])):
            skipped.append(where)  # another program, a pipeline, or a placeholder file
            continue
        allowed = (0, 1) if any(flag in words for flag in CHECKS) else (0,)
        if words[0] == "channelplan":
            result = invoke(*words[1:], env={"NO_COLOR": "1", "COLUMNS": "100"})  # the real CLI
            status, output = result.exit_code, result.output
            assert result.exception is None and result.stdout.strip() or "-o" in words, where
        else:  # an example script, e.g. `python examples/compare_profiles.py profiles/`
            done = subprocess.run([sys.executable, *words[1:]], cwd=folder, capture_output=True,
                                  text=True, timeout=300)
            status, output = done.returncode, done.stdout + done.stderr
        assert status in allowed, f"{where}: {shlex.join(words)}\n{output[-3000:]}"
        ran.append(where)
    assert len(ran) >= 10, (ran, skipped)
    for where, words in _commands():
        if where in ran and "-o" in words:
            written = folder / words[words.index("-o") + 1]
            assert written.is_file() and written.stat().st_size > 0, (where, written)
