"""The hostile-input corpus of issue 15: every reproduction a hostile tester found is a test
here (process-level cases are in test_process.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import os
import re

import pytest

from channelplan import (
    ArgumentError,
    ProfileError,
    UsageError,
    capacity,
    load_profile,
    parse_profile,
    recommend,
    roadmap,
)
from channelplan.weights import MAX_WEIGHT, checked_weights, load_weights
from conftest import ROOT, invoke

BANK = ROOT / "profiles" / "northwind-bank.yaml"
SHOP = ROOT / "profiles" / "pebble-and-pine-shop.yaml"
BANK_TEXT = BANK.read_text()
CLI_FLAG = re.compile(r"(^|\s)--[a-z]")


# Integers of any length ---------------------------------------------------------------------

@pytest.mark.parametrize("digits", [20, 310, 4299, 4301, 50_000])
@pytest.mark.parametrize("old, field", [
    ("contacts_per_month: 42000", "demand.contacts_per_month"),
    ("agents: 55", "constraints.agents"),
    ("min_notice_days: 30", "transition.min_notice_days"),
    ("share: 18%", "demand.topics[0].share"),
    ("name: Northwind Savings Bank", "company.name"),
    ("urgency: minutes", "demand.topics[2].urgency"),
    ("start: 2027-01-04", "transition.start"),
])
def test_a_whole_number_of_any_length_is_a_located_error_naming_the_field(tmp_path, digits, old,
                                                                            field):
    assert old in BANK_TEXT
    key = old.split(":")[0]
    for sign in ("", "-"):
        path = tmp_path / "big.yaml"
        path.write_text(BANK_TEXT.replace(old, f"{key}: {sign}1{'0' * digits}", 1))
        result = invoke("validate", str(path))
        assert result.exit_code == 2 and result.exception is None
        lines = result.stdout.splitlines()
        assert any(re.match(rf"{re.escape(str(path))}:\d+:\d+: {re.escape(field)}: ", line)
                   for line in lines), lines
        assert "set_int_max_str_digits" not in result.output and "Traceback" not in result.output
        assert all(len(line) < 400 for line in lines)


def test_huge_integers_through_every_door():
    text = BANK_TEXT.replace("contacts_per_month: 42000", "contacts_per_month: !!float 1" + "0" * 5000)
    with pytest.raises(ProfileError, match="demand.contacts_per_month: a number of 5001 digits"):
        parse_profile(text)
    import yaml

    data = yaml.safe_load(BANK_TEXT)
    data["demand"]["contacts_per_month"] = 10 ** 5000
    data["customers"]["digital_maturity"] = -10 ** 5000
    with pytest.raises(ProfileError) as caught:
        parse_profile(data)
    messages = [p.message for p in caught.value.problems]
    assert any(m.startswith("demand.contacts_per_month: a number of 5001 digits") for m in messages)
    assert any(m.startswith("customers.digital_maturity: expected one of low") for m in messages)


# Targets, weights, dates --------------------------------------------------------------------

@pytest.mark.parametrize("share", ["0%", "0", "0.0"])
def test_a_target_share_of_zero_is_refused_by_the_loader(tmp_path, share):
    old = "target: {answer_within: 30s, share: 80%}"
    path = tmp_path / "zero.yaml"
    path.write_text(BANK_TEXT.replace(old, f"target: {{answer_within: 30s, share: {share}}}"))
    for command in ("validate", "capacity", "recommend"):
        result = invoke(command, str(path))
        assert result.exit_code == 2 and result.exception is None
        assert f"{path}:62:41: channels.phone.target.share: a target share must be more than 0%" \
            in result.output


BAD_WEIGHTS = [("-1", -1), (".nan", math.nan), (".inf", math.inf), ("1e9", 1e9),
               ("1" + "0" * 400, 10 ** 400), ("true", True), ("'10'", "10")]


@pytest.mark.parametrize("written, value", BAD_WEIGHTS)
def test_weights_are_range_checked_the_same_way_in_files_and_the_api(tmp_path, written, value):
    path = tmp_path / "w.yaml"
    path.write_text(f"AGE-FIT: 20\nCOST: {written}\n")
    with pytest.raises(ProfileError) as from_file:
        load_weights(path)
    problem = from_file.value.problems[0]
    assert (problem.line, problem.column) == (2, 7)
    assert problem.message.startswith(f"COST: a weight is a number from 0 to {MAX_WEIGHT:g}, got ")
    with pytest.raises(ArgumentError) as from_api:
        recommend(load_profile(BANK), {"AGE-FIT": 20, "COST": value})
    assert from_api.value.argument == "weights"
    assert str(from_api.value) == f"weights: {problem.message}"
    result = invoke("recommend", str(BANK), "--weights", str(path))
    assert result.exit_code == 2 and f"{path}:2:7: COST: a weight is a number" in result.stderr


def test_unknown_weight_ids_are_located_and_refused_by_the_api(tmp_path):
    path = tmp_path / "w.yaml"
    path.write_text("AGE-FIT: 20\nAGE_FITT: 3\n")
    result = invoke("recommend", str(BANK), "--weights", str(path))
    assert f"{path}:2:1: unknown rule id 'AGE_FITT'; did you mean 'AGE-FIT'?" in result.stderr
    with pytest.raises(ArgumentError, match=r"^weights: unknown rule id 'AGE_FITT'; did you mean"):
        checked_weights({"AGE_FITT": 3})


def test_extreme_but_valid_weights_keep_every_score_within_0_100():
    profile = load_profile(BANK)
    for weights in ({"COST": MAX_WEIGHT}, {rule: 0 for rule in ("AGE-FIT", "COST")},
                    {"COST": 5e-324}):
        doc = recommend(profile, weights, robustness=False).to_dict()
        assert all(0 <= c["score"] <= 100 for c in doc["channels"])


@pytest.mark.parametrize("day", ["20270104", "2027-W01-1", "2027-004", "2027-01-04T00:00",
                                 "2027-1-4", "+2027-01-04", "1969-12-31", "2200-01-01",
                                 "2027-02-29", "２０２７-01-04", ""])
def test_start_and_today_accept_exactly_yyyy_mm_dd_in_the_planning_years(tmp_path, day):
    result = invoke("roadmap", str(BANK), "--start", day)
    assert result.exit_code == 2 and result.stderr.startswith("channelplan: error: --start ")
    checklist = tmp_path / "c.md"
    assert invoke("checklist", str(BANK), "-o", str(checklist)).exit_code == 0
    result = invoke("status", str(checklist), "--today", day)
    assert result.exit_code == 2 and result.stderr.startswith("channelplan: error: --today ")


def test_the_planning_years_are_those_of_transition_start(tmp_path):
    for day in ("1970-01-01", "2199-12-31"):
        assert invoke("roadmap", str(BANK), "--start", day, "-f", "json").exit_code == 0
        path = tmp_path / "p.yaml"
        path.write_text(BANK_TEXT.replace("start: 2027-01-04", f"start: {day}"))
        assert invoke("validate", str(path)).exit_code == 0


# The API refuses bad arguments --------------------------------------------------------------

PROFILE = load_profile(BANK)
API_CASES = [
    ("profile", lambda: recommend(None)),
    ("profile", lambda: capacity("profiles/northwind-bank.yaml")),
    ("profile", lambda: roadmap({"version": 1})),
    ("start", lambda: roadmap(PROFILE, start="2027-01-04")),
    ("start", lambda: roadmap(PROFILE, start=20270104)),
    ("start", lambda: roadmap(PROFILE, start=dt.date(1900, 1, 1))),
    ("retire", lambda: roadmap(PROFILE, retire="phone")),
    ("retire", lambda: roadmap(PROFILE, retire=["nope"])),
    ("retire", lambda: roadmap(PROFILE, retire=["messaging"])),
    ("retire", lambda: roadmap(PROFILE, retire=[3])),
    ("shifts", lambda: capacity(PROFILE, {("phone", "nope"): 0.1})),
    ("shifts", lambda: capacity(PROFILE, {("phone", "email"): math.nan})),
    ("shifts", lambda: capacity(PROFILE, {("phone", "email"): -0.2})),
    ("shifts", lambda: capacity(PROFILE, {("phone", "email"): 0.7, ("phone", "live_chat"): 0.7})),
    ("shifts", lambda: capacity(PROFILE, {("phone", "phone"): 0.2})),
    ("shifts", lambda: capacity(PROFILE, {"phone": 0.2})),
    ("shifts", lambda: capacity(PROFILE, "phone:email=20%")),
    ("shifts", lambda: capacity(PROFILE, {("chatbot", "phone"): 0.2})),
    ("volumes", lambda: capacity(PROFILE, volumes={"phone": -5})),
    ("weights", lambda: recommend(PROFILE, "AGE-FIT")),
    ("path", lambda: load_profile(None)),
]


@pytest.mark.parametrize("argument, call", API_CASES, ids=[f"{a}-{i}" for i, (a, _) in
                                                             enumerate(API_CASES)])
def test_the_api_refuses_bad_arguments_naming_them_never_a_cli_flag(argument, call):
    with pytest.raises(ArgumentError) as caught:
        call()
    assert caught.value.argument == argument
    assert str(caught.value).startswith(f"{argument}: ")
    assert not CLI_FLAG.search(str(caught.value)), str(caught.value)
    assert isinstance(caught.value, UsageError) and isinstance(caught.value, TypeError)


def test_profile_text_with_a_lone_surrogate_and_paths_with_nul_are_profile_errors():
    text = BANK_TEXT.replace("Northwind Savings Bank", "North\ud800wind")
    with pytest.raises(ProfileError, match=r"<profile>:3:8: the text holds a lone surrogate"):
        parse_profile(text)
    import yaml

    data = yaml.safe_load(BANK_TEXT)
    data["company"]["name"] = "North\udc80wind"
    with pytest.raises(ProfileError, match="company.name: holds a lone surrogate"):
        parse_profile(data)
    with pytest.raises(ProfileError, match="the path contains a NUL byte"):
        load_profile("profiles/bank\0.yaml")
    with pytest.raises(ProfileError, match="cannot read the weights file"):
        load_weights("w\0.yaml")


def test_the_cli_names_its_options_for_the_same_mistakes():
    result = invoke("capacity", str(BANK), "--shift", "phone:nope=10%")
    assert result.stderr.startswith("channelplan: error: --shift 'phone:nope=10%': unknown channel")
    result = invoke("capacity", str(BANK), "--shift", "chatbot:phone=10%")
    assert result.stderr.startswith("channelplan: error: --shift chatbot:phone: chatbot carries")
    result = invoke("roadmap", str(BANK), "--retire", "messaging")
    assert result.stderr.startswith("channelplan: error: --retire messaging: messaging is not")


# compare ------------------------------------------------------------------------------------

def test_equivalent_paths_and_symlink_loops_give_one_row_each(tmp_path):
    folder = tmp_path / "units"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "bank.yaml").write_text(BANK_TEXT)
    (folder / "shop.yaml").write_text(SHOP.read_text())
    (folder / "link.yaml").symlink_to(folder / "shop.yaml")
    (folder / "sub" / "loop").symlink_to(folder)
    (folder / "sub" / "loop2").symlink_to(folder)
    (folder / "again").symlink_to(folder / "sub")
    args = [str(folder / "shop.yaml"), f"{folder}/./shop.yaml", f"{folder}//shop.yaml",
            str(folder / "link.yaml"), f"{folder}/**/*.yaml", f"{folder}/sub/../shop.yaml"]
    result = invoke("compare", *args, "-f", "json")
    assert result.exit_code == 0, result.output
    sources = [row["profile"]["source"] for row in json.loads(result.stdout)["profiles"]]
    assert sources == [str(folder / "shop.yaml"), str(folder / "sub" / "bank.yaml")]


def test_recursive_globs_match_like_glob(tmp_path):
    from channelplan.comparison import expand

    (tmp_path / "a" / "b").mkdir(parents=True)
    for name in ("x.yaml", "a/y.yml", "a/b/z.yaml", "a/b/.hidden.yaml", "a/b/w.txt", "a/[q].yaml"):
        (tmp_path / name).write_text(BANK_TEXT)
    assert expand([f"{tmp_path}/**/*.yaml"]) == sorted(
        str(tmp_path / n) for n in ("x.yaml", "a/b/z.yaml", "a/[q].yaml"))
    assert expand([f"{tmp_path}/**/?.y*ml"]) == sorted(
        str(tmp_path / n) for n in ("x.yaml", "a/y.yml", "a/b/z.yaml"))
    assert expand([f"{tmp_path}/a/**/[yz].y*"]) == sorted(
        str(tmp_path / n) for n in ("a/y.yml", "a/b/z.yaml"))


def test_channels_named_twice_give_one_column():
    result = invoke("compare", str(BANK), "--channels", "phone,phone,email,phone", "-f", "csv")
    header = next(csv.reader(io.StringIO(result.stdout)))
    phone = [h for h in header if h.startswith("phone")]
    assert phone and len(phone) == len(set(phone))
    assert sum(1 for h in header if h.startswith("phone")) == sum(
        1 for h in header if h.startswith("email"))
    table = invoke("compare", str(BANK), "--channels", "phone,phone", "-f", "markdown").stdout
    header_row = next(row for row in table.splitlines() if row.startswith("| Profile"))
    assert header_row.count("phone") == 1


# JSON is ASCII ------------------------------------------------------------------------------

def test_validate_json_is_ascii_even_for_hostile_keys(tmp_path):
    path = tmp_path / "keys.yaml"
    path.write_text(BANK_TEXT.replace("company:\n", "company:\n  \u202eevil\u200f: 1\n", 1),
                    encoding="utf-8")
    result = invoke("validate", str(path), "-f", "json")
    assert result.exit_code == 2
    result.stdout.encode("ascii")
    doc = json.loads(result.stdout)
    assert "\u202eevil" in doc["files"][0]["errors"][0]["message"]
    for args in (["schema"], ["rules", "-f", "json"], ["status", "-", "-f", "json"]):
        done = invoke(*args, input=invoke("checklist", str(BANK)).stdout)
        done.stdout.encode("ascii")


# Checklists ---------------------------------------------------------------------------------

def _checklist(tmp_path, profile=SHOP) -> tuple:
    out = tmp_path / "transition.md"
    assert invoke("checklist", str(profile), "-o", str(out)).exit_code == 0
    return out, out.read_text()


def _status(path, **kw) -> dict:
    result = invoke("status", str(path), "--today", "2027-01-01", "-f", "json", **kw)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["totals"]


@pytest.mark.parametrize("text", [
    "# Our notes\n\n- [ ] buy milk <!-- task:phone.prepare.guides -->\n",
    "# Docs\n\n```markdown\n# Transition checklist: X <!-- channelplan:checklist -->\n"
    "- [ ] a <!-- task:a.b.c -->\n```\n",
    "Some text <!-- channelplan:checklist --> in a paragraph\n",
    "~~~\n# Transition checklist: X <!-- channelplan:checklist -->\n~~~\n",
])
def test_only_a_marked_checklist_is_rewritten(tmp_path, text):
    target = tmp_path / "doc.md"
    target.write_text(text)
    result = invoke("checklist", str(SHOP), "-o", str(target))
    assert result.exit_code == 2
    assert f"{target}:1:1: exists and is not a channelplan checklist" in result.stderr
    assert target.read_text() == text


def test_task_lines_in_code_fences_are_not_tasks(tmp_path):
    out, text = _checklist(tmp_path)
    before = _status(out)
    example = ("\nFor example:\n\n```\n- [x] an example <!-- task:phone.prepare.guides -->\n"
               "- [ ] another <!-- task:zz.yy.xx -->\n```\n")
    lines = text.splitlines(keepends=True)
    first_task = next(i for i, line in enumerate(lines) if "<!-- task:" in line)
    out.write_text("".join(lines[:first_task + 1]) + example + "".join(lines[first_task + 1:]))
    assert _status(out) == before
    assert invoke("checklist", str(SHOP), "-o", str(out)).exit_code == 0
    assert "- [x] an example <!-- task:phone.prepare.guides -->" in out.read_text()
    assert _status(out) == before  # the example stayed an example and ticked nothing


def test_status_counts_live_tasks_wherever_the_removed_section_sits(tmp_path):
    out, text = _checklist(tmp_path)
    total = _status(out)["tasks"]
    removed = ("## Removed tasks: no longer in the plan, kept with their ticks and notes "
               "<!-- channelplan:removed -->\n\n- [x] old task (owner: x; due 2026-01-01) "
               "<!-- task:fax.prepare.old -->\n\n")
    lines = text.splitlines(keepends=True)
    heading = next(i for i, line in enumerate(lines) if "<!-- retirement:" in line)
    out.write_text("".join(lines[:heading]) + removed + "".join(lines[heading:]))
    assert _status(out)["tasks"] == total


@pytest.mark.parametrize("note", [
    "  - see <!-- channelplan:removed --> for the old ones",
    "## Removed tasks, in our own words <!-- channelplan:removed -->x",
    "  - an id comment in passing: <!-- task:phone.prepare.guides -->, as a reference",
    "  - line\u2028separator and \x0c form feed and \x85 next line",
    "  - [ ] an unticked sub-item without an id",
])
def test_status_counts_every_task_whatever_a_note_contains(tmp_path, note):
    out, text = _checklist(tmp_path)
    total = _status(out)["tasks"]
    lines = text.split("\n")
    first_task = next(i for i, line in enumerate(lines) if "<!-- task:" in line)
    lines.insert(first_task + 1, note)
    out.write_text("\n".join(lines), encoding="utf-8")
    assert _status(out)["tasks"] == total
    assert invoke("checklist", str(SHOP), "-o", str(out)).exit_code == 0
    regenerated = out.read_text(encoding="utf-8")
    assert note in regenerated.split("\n")
    assert _status(out)["tasks"] == total
    assert invoke("checklist", str(SHOP), "-o", str(out), "--check").exit_code == 0


def test_an_edited_task_line_is_kept_with_the_plans_version_beside_it(tmp_path):
    out, text = _checklist(tmp_path)
    ident = "phone.prepare.guides"
    line = next(row for row in text.splitlines() if f"<!-- task:{ident} -->" in row)
    owner = re.search(r"\(owner: ([^;]+);", line).group(1)
    title = line.removeprefix("- [ ] ").split(" (owner:")[0]
    mine = line.replace("- [ ] ", "- [x] OUR ", 1).replace(f"(owner: {owner};", "(owner: Sam;")
    assert mine != line
    out.write_text(text.replace(line, mine + "\n  - Sam drafted this in the wiki"))
    changed = tmp_path / "shop.yaml"  # the plan moves: every date changes
    changed.write_text(SHOP.read_text().replace("start: 2027-01-11", "start: 2027-02-01"))
    assert invoke("checklist", str(changed), "-o", str(out)).exit_code == 0
    rows = out.read_text().splitlines()
    at = rows.index(mine)
    assert rows[at + 1].startswith(f"  - plan now: {title[:30]}")
    assert rows[at + 1].endswith(f"<!-- plan:{ident} -->") and f"owner: {owner}" in rows[at + 1]
    assert rows[at + 2] == "  - Sam drafted this in the wiki"
    untouched = next(row for row in rows if "<!-- task:phone.prepare." in row
                     and f"<!-- task:{ident} -->" not in row and "(owner:" in row)
    assert untouched not in text  # an unedited line follows the plan (its new date)
    assert invoke("checklist", str(changed), "-o", str(out), "--check").exit_code == 0
    doc = json.loads(invoke("status", str(out), "--today", "2027-01-01", "-f", "json").stdout)
    assert doc["totals"]["done"] == 1
    # A copy of a task line, edited, is kept in the same way: its words under the task.
    copy = mine.replace("OUR ", "THEIR ")
    out.write_text(out.read_text() + "\n" + copy + "\n")
    assert invoke("checklist", str(changed), "-o", str(out)).exit_code == 0
    final = out.read_text()
    assert final.count(f"<!-- task:{ident} -->") == 1 and "THEIR " + title[:20] in final
    assert mine in final.splitlines()


def test_numbered_task_items_keep_their_tick(tmp_path):
    out, text = _checklist(tmp_path)
    ident = "phone.prepare.touchpoints"
    line = next(row for row in text.splitlines() if f"<!-- task:{ident} -->" in row)
    out.write_text(text.replace(line, line.replace("- [ ]", "3. [x]")))
    assert _status(out)["done"] == 1
    assert invoke("checklist", str(SHOP), "-o", str(out)).exit_code == 0
    kept = next(row for row in out.read_text().splitlines() if f"<!-- task:{ident} -->" in row)
    assert re.match(r"^(- |3\. )\[x\]", kept)
    assert _status(out)["done"] == 1


def test_crlf_checklists_are_not_stale_for_their_line_endings(tmp_path):
    out, text = _checklist(tmp_path)
    out.write_bytes(text.replace("\n", "\r\n").encode())
    assert invoke("checklist", str(SHOP), "-o", str(out), "--check").exit_code == 0
    assert invoke("checklist", str(SHOP), "-o", str(out)).exit_code == 0
    raw = out.read_bytes()
    assert raw.count(b"\r\n") == raw.count(b"\n")  # still CRLF throughout
    assert raw.decode().replace("\r\n", "\n") == text


def test_a_checklist_near_the_size_limit_stays_readable(tmp_path):
    from channelplan.limits import MAX_INPUT_BYTES

    out, text = _checklist(tmp_path)
    ident = "phone.prepare.guides"
    line = next(row for row in text.splitlines() if f"<!-- task:{ident} -->" in row)
    ours = line.replace("- [ ] ", "- [ ] Our ", 1)
    edited = text.replace(line, ours)
    filler = MAX_INPUT_BYTES - len(edited.encode()) - 200
    notes = "".join(f"  - note {i:06} " + "x" * 80 + "\n" for i in range(filler // 97))
    # one last note pads the file to exactly 100 bytes under the limit, less than the plan's
    # version of the edited line that regenerating adds
    last = MAX_INPUT_BYTES - 100 - len(edited.encode()) - len(notes.encode())
    notes += "  - last " + "y" * (last - 10) + "\n"
    big = edited.replace(ours + "\n", ours + "\n" + notes)
    assert len(big.encode()) == MAX_INPUT_BYTES - 100
    out.write_text(big)
    assert MAX_INPUT_BYTES - 300 < len(big.encode()) <= MAX_INPUT_BYTES
    assert _status(out)["tasks"] > 0
    # Regenerating would add the plan's version of the edited line: too large to read back.
    result = invoke("checklist", str(SHOP), "-o", str(out))
    assert result.exit_code == 2 and "would be larger than 1024 KiB" in result.stderr
    assert out.read_text() == big and _status(out)["tasks"] > 0


def test_output_json_and_renamed_temp_files_never_name_a_temporary_file(tmp_path):
    target = tmp_path / "missing-dir-is-a-file"
    target.write_text("x")
    result = invoke("recommend", str(BANK), "-o", str(target / "r.json"))
    assert result.exit_code == 2 and ".tmp" not in result.stderr
    assert str(target / "r.json") in result.stderr
    assert os.listdir(tmp_path) == ["missing-dir-is-a-file"]
