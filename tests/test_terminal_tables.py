"""Terminal tables at 60, 80, 120 and 200 columns: nothing a user needs is cropped or dropped.

Each command is rendered with COLUMNS set (as a terminal of that width would), and every
value the command computes is looked for, whole, in what it printed.
"""

from __future__ import annotations

import json
import re

import pytest

from channelplan.catalogue import catalogue
from channelplan.render.comparison import LETTER
from conftest import BANK, PROFILES, ROOT, SHOP, invoke

WIDTHS = (60, 80, 120, 200)
ELLIPSIS = "\u2026"
SHORT = {cid: channel.short for cid, channel in catalogue().items()}


def _at(width: int, *args: str) -> str:
    result = invoke(*args, "--no-color", env={"COLUMNS": str(width), "NO_COLOR": "1"})
    assert result.exit_code in (0, 1), result.output
    out = result.stdout
    assert ELLIPSIS not in out, f"something was cropped at {width} columns:\n{out}"
    too_wide = [line for line in out.splitlines() if len(line) > width]
    assert not too_wide, too_wide
    return out


def _words(out: str) -> list[str]:
    return out.split()


def _contains_words_in_order(line: str, pieces: list[str]) -> bool:
    line = re.sub("[\u2502\u2503]", " ", line)  # table rules between cells
    pattern = r"\s+".join(re.escape(p) for p in pieces)
    return re.search(rf"(^|\s){pattern}(\s|$)", line) is not None


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("profile", [BANK, SHOP], ids=["bank", "shop"])
def test_recommend(width, profile):
    out = _at(width, "recommend", str(profile))
    doc = json.loads(invoke("recommend", str(profile), "-f", "json").stdout)
    words = _words(out)
    table = out.split("\nWhy\n")[0]
    header = next(line for line in table.splitlines() if line.startswith("#"))
    assert header.split() == ["#", "Channel", "Today", "Score", "Action", "Basis",
                              "Robustness" if width >= 72 else "Stable"], header  # none cropped
    for channel in doc["channels"]:
        rank_line = next(line for line in table.splitlines()
                         if re.match(rf"\s*{channel['rank']}\s", line))
        action = channel["action"].upper() if channel["action"] in ("retire", "add") \
            else channel["action"]
        assert f"{channel['score']:.1f}" in rank_line.split(), (width, rank_line)
        assert action in rank_line.split(), (width, rank_line)
        stability = round(channel["robustness"] * 100)
        assert f"{stability}%" in rank_line.split()
        for word in channel["name"].split():  # names wrap between words, never inside one
            assert word in words, (width, word)
        assert f"{channel['name']} ({channel['action']}):" in " ".join(words)


@pytest.mark.parametrize("width", WIDTHS)
def test_recommend_explain_keeps_every_rule_and_point(width):
    out = _at(width, "recommend", str(BANK), "--explain")
    doc = json.loads(invoke("recommend", str(BANK), "-f", "json").stdout)
    for channel in doc["channels"]:
        for contribution in channel["contributions"]:
            line = next((row for row in out.splitlines()
                         if _contains_words_in_order(row, [contribution["rule"],
                                                           f"{contribution['points']:+.2f}"])), None)
            assert line is not None, (width, channel["channel"], contribution["rule"])


@pytest.mark.parametrize("width", WIDTHS)
def test_compare_uses_short_labels_a_legend_and_whole_names(width):
    bad = ROOT / "tests" / "bad_profiles" / "version-2.yaml"
    result = invoke("compare", *map(str, PROFILES), str(bad), "--no-color",
                    env={"COLUMNS": str(width), "NO_COLOR": "1"})
    assert result.exit_code == 2
    out = result.stdout
    assert ELLIPSIS not in out and all(len(line) <= width for line in out.splitlines())
    doc = json.loads(invoke("compare", *map(str, PROFILES), "-f", "json").stdout)
    lines = out.splitlines()
    header = lines[0].split()
    assert header == ["Profile", *SHORT.values()]
    letters = not any(row["channels"][0]["action"] in out.split() for row in doc["profiles"])
    words = _words(out)
    legend = " ".join(words[words.index("Channels:"):])
    for label, name in (("Chat", "Live chat"), ("Frm", "Community forum"),
                        ("Msg", "Messaging (SMS and apps)"), ("KB", "Knowledge base")):
        assert f"{label} = {name}" in legend
    if letters:
        assert "Actions: K keep, I improve, A add, R retire, S skip." in " ".join(words)
    for row in doc["profiles"]:
        name = row["profile"]["name"]
        for word in name.split():
            assert word in words, (width, word)  # wrapped at spaces, never inside a word
        first = next(i for i, line in enumerate(lines) if line.startswith(name.split()[0] + " "))
        cells = []
        by_channel = {c["channel"]: c for c in row["channels"]}
        for cell in (by_channel[c] for c in SHORT):  # columns in catalogue order
            cells += [f"{cell['score']:.0f}", LETTER[cell["action"]] if letters else cell["action"]]
        assert _contains_words_in_order(lines[first], cells), (width, lines[first], cells)
    assert f"{bad}: does not load: 1:10:" in " ".join(words).replace(f"{bad}: ", f"{bad}: ", 1)
    assert "unsupported profile version 2" in " ".join(words)
    if width >= 120:
        assert not letters, "full action words fit from 120 columns"


@pytest.mark.parametrize("width", WIDTHS)
def test_compare_few_channels_spell_actions_out(width):
    out = _at(width, "compare", *map(str, PROFILES), "--channels", "phone,email")
    assert out.splitlines()[0].split() == ["Profile", "Tel", "Mail"]
    assert "retire" in out.split() and "Channels: Tel = Phone, Mail = Email." in out


@pytest.mark.parametrize("width", WIDTHS)
def test_status(width, tmp_path):
    checklist = tmp_path / "transition.md"
    assert invoke("checklist", str(SHOP), "-o", str(checklist)).exit_code == 0
    out = _at(width, "status", str(checklist), "--today", "2027-03-01")
    doc = json.loads(invoke("status", str(checklist), "--today", "2027-03-01", "-f", "json").stdout)
    totals = doc["totals"]
    assert f"{totals['done']} of {totals['tasks']} tasks done, {totals['overdue']} overdue" \
        in " ".join(_words(out))
    names = {cid: channel.name for cid, channel in catalogue().items()}
    for group in doc["groups"]:
        assert any(_contains_words_in_order(line, [*names[group["channel"]].split(),
                                                   group["phase"],
                                                   f"{group['done']}/{group['total']}",
                                                   str(group["open"]), str(group["overdue"])])
                   for line in out.splitlines()), (width, group)
    words = _words(out)
    for task in doc["overdue"]:
        assert f"task:{task['id']}]" in words, (width, task["id"])
    shown = re.sub(r"task:\S+\]", "", out)   # a task's id is its marker in the file
    assert not any(cid in shown for cid in names if "_" in cid), "a raw channel id is shown"
    # every gate's criteria whole, in words no narrower than they are written (no folding)
    flat = " ".join(re.sub("[\u2502\u2503]", " ", out).split())
    assert doc["gates"]
    for gate in doc["gates"]:
        criteria = re.sub(r"\s*\(owner: [^;)]*; due \S+\)\s*$", "", gate["title"])
        criteria = criteria.removeprefix("Gate: ")
        if width < 100:   # records: the criteria run on, whole, after the gate's line
            assert f"{names[gate['channel']]}, {gate['phase']}, {gate['due']}: " in flat
            assert " ".join(criteria.split()) in flat, (width, criteria)
        else:             # a table: each word of the criteria whole in a cell
            for word in criteria.split():
                assert word in words, (width, word)


def _box_records(out: str) -> list[list[str]]:
    """The rows of a boxed Rich table, each cell's wrapped lines joined again."""
    records: list[list[str]] = []
    for line in out.splitlines():
        if "\u2502" not in line:
            continue
        cells = [c.strip() for c in line.split("\u2502")[1:-1]]
        if cells[0] or not records:
            records.append(cells)
        else:
            records[-1] = [f"{a} {b}".strip() for a, b in zip(records[-1], cells, strict=True)]
    return records


@pytest.mark.parametrize("width", WIDTHS)
def test_rules(width):
    from channelplan.rules import rule_catalogue

    out = _at(width, "rules")
    words = " ".join(_words(out))
    records = {r[0]: r for r in _box_records(out)}
    for rule in rule_catalogue().values():
        weight = f"{rule.weight:g}"
        priorities = ", ".join(rule.priorities) or "none (fixed)"
        measures = " ".join(rule.measures.split())
        if records:  # a table from 120 columns
            assert records[rule.id] == [rule.id, rule.title, weight, priorities, measures]
        else:  # one record per rule below that
            assert (f"{rule.id} {rule.title} Weight {weight}; scaled by priorities: {priorities} "
                    f"{measures}") in words, (width, rule.id)
    assert bool(records) == (width >= 120)


@pytest.mark.parametrize("width", WIDTHS)
def test_rule_detail(width):
    out = _at(width, "rules", "AGE-FIT")
    from channelplan.rules import rule_catalogue

    rule = rule_catalogue()["AGE-FIT"]
    words = " ".join(_words(out))
    for value in (rule.measures, rule.evidence, rule.source):
        assert " ".join(value.split()) in words


@pytest.mark.parametrize("width", WIDTHS)
def test_validate_prints_whole_lines(width, tmp_path):
    bad = ROOT / "tests" / "bad_profiles" / "version-2.yaml"
    result = invoke("validate", str(BANK), str(bad), env={"COLUMNS": str(width)})
    assert result.exit_code == 2
    assert f"{bad}:1:10: version: unsupported profile version 2; this channelplan reads version 1" \
        in result.stdout.splitlines()
    assert f"{BANK}: ok" in result.stdout.splitlines()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("profile", [BANK, SHOP, "hourly"], ids=["bank", "shop", "bank-hourly"])
def test_capacity(width, profile, tmp_path):
    if profile == "hourly":   # staff time priced by the hour: staff, fixed and fees columns
        profile = tmp_path / "hourly.yaml"
        profile.write_text(BANK.read_text().replace("  shrinkage: 30%\n",
                                                    "  shrinkage: 30%\n  agent_cost_per_hour: 38\n"))
    out = _at(width, "capacity", str(profile))
    doc = json.loads(invoke("capacity", str(profile), "-f", "json").stdout)
    flat = " ".join(re.sub("[\u2502\u2503]", " ", out).split())
    words = _words(out)
    names = {cid: channel.name for cid, channel in catalogue().items()}
    by_hour = doc["pricing"].startswith("staff hours")
    for c in doc["channels"]:
        for word in names[c["channel"]].split():   # the catalogue's name, wrapped between words
            assert word in words, (width, word)
        for value in (f"{c['contacts_per_month']:,.0f}", f"{c['monthly_cost']:,.0f}",
                      f"{c['cost_per_contact']:,.2f}", f"{c['service_level'] * 100:.1f}%"
                      if c["model"].startswith("erlang") else "-"):
            assert value in words, (width, c["channel"], value)
    header = [line.split() for line in out.splitlines() if line.split()[:1] == [
        f"{doc['currency']}/month"]]
    columns = {word for line in header for word in line}
    assert {"Total", "/contact", "/resolved", "Fixed"} <= columns
    # no staff column of zeros when the cost is per contact (the staff is in the rate)
    assert ("Staff" in columns) == by_hour and ("rate" in columns) == (not by_hour)
    assert "Costs: contacts x cost per contact + fixed" in flat or by_hour
    if by_hour:
        assert {"Staff", "Fees"} <= columns
        assert any(c["cost"]["staff"] > 0 for c in doc["channels"])


@pytest.mark.parametrize("width", WIDTHS)
def test_roadmap(width):
    out = _at(width, "roadmap", str(SHOP))
    doc = json.loads(invoke("roadmap", str(SHOP), "-f", "json").stdout)
    words = _words(out)
    flat = " ".join(re.sub("[\u2502\u2503]", " ", out).split())
    for retirement in doc["retirements"]:
        assert f"Retire {retirement['name']}" in flat
        for phase in retirement["phases"]:
            assert phase["start"] in words and phase["end"] in words, (width, phase["key"])
            for criterion in phase["gate"]["criteria"]:
                assert " ".join(criterion.split()) in flat, (width, criterion)


def test_capacity_fte_column_sums_to_the_pool_on_a_narrow_terminal():
    """On a narrow terminal the FTE column shows each channel's own FTE (blended work is
    named in a note, not added in), so the column adds up to the pool's FTE."""
    data = json.loads(invoke("capacity", str(BANK), "-f", "json").output)
    staffed = [c for c in data["channels"] if c["model"] != "containment"]
    out = _at(60, "capacity", str(BANK))
    first_table = out.split("Target")[0]
    column = []
    for channel in staffed:
        name = catalogue()[channel["channel"]].name
        line = next(line for line in first_table.splitlines() if line.strip().startswith(name))
        column.append(float(line.split()[-1].rstrip("*")))
    assert sum(column) == pytest.approx(sum(c["fte"] for c in staffed), abs=0.1), column
    assert "blended agents also answer" in out
