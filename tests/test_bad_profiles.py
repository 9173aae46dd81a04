"""Every loader rule, through the CLI: exact location, a message a user understands, exit 2."""

from __future__ import annotations

import pytest
import yaml

from channelplan import ProfileError, load_profile, parse_profile
from conftest import BANK, ROOT, invoke

CORPUS = ROOT / "tests" / "bad_profiles"
EXPECTED = yaml.safe_load((ROOT / "tests" / "bad_profiles_expected.yaml").read_text())
CASES = sorted(p.name for p in CORPUS.glob("*.yaml"))


def test_corpus_is_large_and_fully_described():
    assert len(CASES) >= 40
    assert set(CASES) == set(EXPECTED), "every bad profile needs its expected problems"


@pytest.mark.parametrize("name", CASES)
def test_bad_profile_is_located(name):
    path = CORPUS / name
    result = invoke("validate", str(path))
    assert result.exit_code == 2
    assert result.exception is None
    assert "Traceback" not in result.output
    expected = [f"{path}:{line}:{column}: {message}" for line, column, message in EXPECTED[name]]
    printed = [line for line in result.stdout.splitlines() if ": warning: " not in line]
    assert printed == expected


@pytest.mark.parametrize("name", CASES)
def test_api_raises_one_error_type_with_every_problem(name):
    with pytest.raises(ProfileError) as info:
        load_profile(CORPUS / name)
    got = [(p.line, p.column, p.message) for p in info.value.problems]
    assert got == [tuple(item) for item in EXPECTED[name]]


def _write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_empty_file(tmp_path):
    path = _write(tmp_path, "empty.yaml", b"")
    result = invoke("validate", str(path))
    assert result.exit_code == 2
    assert result.stdout.startswith(f"{path}:1:1: file is empty")


def test_comments_only(tmp_path):
    path = _write(tmp_path, "comments.yaml", b"# nothing here\n# at all\n")
    result = invoke("validate", str(path))
    assert result.exit_code == 2
    assert "file is empty" in result.stdout


def test_not_utf8_points_at_the_bad_byte(tmp_path):
    path = _write(tmp_path, "latin1.yaml", "version: 1\ncompany:\n  name: Caf\xe9\n".encode("latin-1"))
    result = invoke("validate", str(path))
    assert result.exit_code == 2
    assert result.stdout.strip() == f"{path}:3:12: file is not UTF-8 text (byte 0xe9 cannot be decoded)"


def test_larger_than_one_mib(tmp_path):
    path = _write(tmp_path, "big.yaml", b"version: 1\n" + b"# padding\n" * 110_000)
    result = invoke("validate", str(path))
    assert result.exit_code == 2
    assert "larger than 1024 KiB" in result.stdout


def test_utf8_bom_is_accepted(tmp_path):
    text = BANK.read_bytes()
    path = _write(tmp_path, "bom.yaml", b"\xef\xbb\xbf" + text)
    assert invoke("validate", str(path)).exit_code == 0


def test_directories_expand_and_missing_files_are_located(tmp_path):
    (tmp_path / "good.yaml").write_text(BANK.read_text())
    (tmp_path / "bad.yml").write_text("version: 2\n")
    result = invoke("validate", str(tmp_path), str(tmp_path / "missing.yaml"))
    assert result.exit_code == 2
    assert f"{tmp_path / 'good.yaml'}: ok" in result.stdout
    assert f"{tmp_path / 'bad.yml'}:1:10: version: unsupported profile version 2" in result.stdout
    assert f"{tmp_path / 'missing.yaml'}:1:1: cannot read the file" in result.stdout
    empty = tmp_path / "empty"
    empty.mkdir()
    result = invoke("validate", str(empty))
    assert result.exit_code == 2 and "no *.yaml or *.yml files" in result.stderr


def test_a_directory_given_to_a_single_profile_command_is_located(tmp_path):
    result = invoke("recommend", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"{tmp_path}:1:1: is a directory, not a profile file"


def test_all_problems_of_all_files_at_once():
    result = invoke("validate", str(CORPUS / "version-2.yaml"),
                    str(BANK),
                    str(CORPUS / "duplicate-key.yaml"))
    assert result.exit_code == 2
    assert "version-2.yaml:1:10:" in result.stdout
    assert "duplicate-key.yaml:4:3:" in result.stdout
    assert "northwind-bank.yaml: ok" in result.stdout


def test_stdin_profile_errors_name_stdin():
    result = invoke("validate", "-", input="version: 1\ncompany: {name: X}\n")
    assert result.exit_code == 2
    assert result.stdout.splitlines()[0] == "<stdin>:1:1: missing required key 'demand' in the profile"


def test_yaml_11_booleans_and_dates_do_not_leak():
    # `no` stays text, so the key named "no" is unknown rather than silently False
    text = BANK.read_text().replace(
        "  brownouts: true", "  brownouts: off")
    with pytest.raises(ProfileError) as info:
        parse_profile(text, source="p.yaml")
    assert "expected true or false, got 'off'" in str(info.value)


def test_dict_input_reports_paths():
    with pytest.raises(ProfileError) as info:
        parse_profile({"version": 1, "company": {"name": "X"},
                       "demand": {"contacts_per_month": 10, "topics": [
                           {"name": "a", "share": 2, "urgency": "days"}]}}, source="<dict>")
    messages = [p.message for p in info.value.problems]
    assert "demand.topics[0].share: a share is from 0 to 1 or a percentage; did you mean 2%?" in messages


@pytest.mark.parametrize("name", CASES)
def test_pure_python_yaml_parser_reports_the_same(name, monkeypatch):
    """Without libyaml the loader falls back to PyYAML's pure-Python parser, with the same
    located problems for every rule we own (parser wording may differ for broken YAML)."""
    import channelplan.yamlsafe as yamlsafe

    monkeypatch.setattr(yamlsafe, "_LOADER", yaml.SafeLoader)
    with pytest.raises(ProfileError) as info:
        load_profile(CORPUS / name)
    got = [(p.line, p.column, p.message) for p in info.value.problems]
    expected = [tuple(item) for item in EXPECTED[name]]
    if any(message.startswith("invalid YAML") for _, _, message in expected):
        assert got and all(m.startswith("invalid YAML") for _, _, m in got)
    else:
        assert got == expected
