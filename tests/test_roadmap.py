"""Roadmap, checklist and status: phases, notice, alternatives, ticks and notes kept, CI checks."""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import json
import random

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from channelplan import parse_profile, roadmap
from channelplan.checklist import read_checklist, render_checklist
from channelplan.errors import UsageError
from channelplan.yamlsafe import parse_yaml
from conftest import BANK, PROFILES, ROOT, SHOP, invoke, profile_data

ORDER = ["prepare", "announce", "parallel", "brownouts", "sunset", "monitor"]
BASES = profile_data()
ROADMAP_SCHEMA = json.loads((ROOT / "schema" / "roadmap.schema.json").read_text())


def _check_plan(plan):
    kept = set(plan.kept)
    retiring = {r.channel for r in plan.retirements}
    for r in plan.retirements:
        keys = [p.key for p in r.phases]
        assert keys == [k for k in ORDER if k in keys]
        assert keys[0] == "prepare" and keys[-1] == "monitor"
        for before, after in itertools.pairwise(r.phases):
            assert before.start <= before.end < after.start
            assert before.gate.date == before.end
        for phase in r.phases:
            for task in [*phase.tasks, phase.gate.task()]:
                assert phase.start <= task.due <= phase.end
                assert task.due.weekday() < 5
        assert (r.sunset_date - r.announce_date).days >= plan.profile.transition.min_notice_days
        assert r.sunset_date.weekday() < 5
        for alternative in r.alternatives:
            assert alternative.channel not in retiring
            assert alternative.channel in kept
        assert sum(a.share for a in r.alternatives) == pytest.approx(1.0)
        ids = [t.id for t in r.tasks]
        assert len(ids) == len(set(ids))


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_roadmap_json_contract(path):
    result = invoke("roadmap", str(path), "-f", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["schema"] == "channelplan/roadmap@2"
    jsonschema.validate(doc, ROADMAP_SCHEMA)
    for r in doc["retirements"]:
        assert {"channel", "alternatives", "sunset_date", "phases"} <= set(r)
        for alternative in r["alternatives"]:
            assert {"channel", "share"} <= set(alternative)
        for phase in r["phases"]:
            assert {"name", "start", "end", "tasks"} <= set(phase)
            for task in phase["tasks"]:
                assert {"id", "title", "owner", "due"} <= set(task)


def test_phases_in_order_and_capacity_peaks_while_both_run():
    plan = roadmap(parse_profile(BANK.read_text()))
    _check_plan(plan)
    assert plan.start_pinned and plan.to_dict()["start_pinned"] is True
    assert [t.id for t in plan.tasks] == [t.id for r in plan.retirements for p in r.phases
                                          for t in [*p.tasks, p.gate.task()]]
    social = plan.retirements[0]
    assert social.channel == "social_media"
    assert social.peak.key in ("parallel", "brownouts")
    assert social.peak.monthly_cost > social.phases[-1].monthly_cost


def test_notice_scales_with_impact():
    data = parse_yaml(SHOP.read_text(), "s").data
    # the retirements named, so that the notice rules are tested whatever the scorer decides
    plan = roadmap(parse_profile(data), retire=["phone", "community_forum", "messaging"])
    notice = {r.channel: r.notice_required_days for r in plan.retirements}
    assert notice["phone"] >= 90            # 18% of contacts: over 15% means 90 days
    assert notice["community_forum"] == 30  # 2% of contacts, public, no money matters
    assert notice["messaging"] >= 90        # refunds travel on it: money matters
    for r in plan.retirements:              # the phases may need longer, never shorter
        assert r.notice_days >= r.notice_required_days
        assert r.notice_days == (r.sunset_date - r.announce_date).days
        for reason in r.notice_reasons:     # no law of one country or sector is cited
            assert "law" not in reason and "USC" not in reason and "bank branch" not in reason


def test_new_alternatives_get_more_preparation():
    plan = roadmap(parse_profile((ROOT / "profiles" / "starfall-mobile-game.yaml").read_text()),
                   retire=["email"])
    email = plan.retirements[0]
    assert any(a.new for a in email.alternatives)
    prepare = email.phases[0]
    assert (prepare.end - prepare.start).days >= 5 * 7
    assert any(t.id == "email.prepare.new-channel-launch" for t in prepare.tasks)


def test_brownouts_can_be_turned_off():
    data = parse_yaml(BANK.read_text(), "b").data
    data["transition"]["brownouts"] = False
    plan = roadmap(parse_profile(data))
    assert all("brownouts" not in [p.key for p in r.phases] for r in plan.retirements)


def test_retire_option_and_refusals(tmp_path):
    ok = invoke("roadmap", str(SHOP), "--retire", "social_media", "-f", "json")
    assert ok.exit_code == 0
    assert [r["channel"] for r in json.loads(ok.stdout)["retirements"]] == ["social_media"]
    unlocked = tmp_path / "bank.yaml"
    unlocked.write_text(BANK.read_text().replace(
        "    decision: keep          # the regulator expects a phone line\n", ""))
    refused = invoke("roadmap", str(unlocked), "--retire", "phone")
    assert refused.exit_code == 2
    assert "cannot retire phone: " in refused.stderr and "'Mortgage questions'" in refused.stderr
    assert "Traceback" not in refused.output
    for bad, message in (("fax", "unknown channel id"), ("chatbot", "is not offered today"),
                         ("phnoe", "did you mean 'phone'"), ("phone", "locks phone with 'decision: keep'")):
        result = invoke("roadmap", str(BANK), "--retire", bad)
        assert result.exit_code == 2 and message in result.stderr


def test_nothing_to_retire_says_so():
    result = invoke("roadmap", str(ROOT / "profiles" / "cloudhaven-hosting.yaml"))
    assert result.exit_code == 0
    assert "Nothing to retire" in result.stdout


def test_start_option_moves_the_plan_to_business_days():
    result = invoke("roadmap", str(BANK), "--start", "2027-05-01", "-f", "json")  # a Saturday
    doc = json.loads(result.stdout)
    assert doc["start"] == "2027-05-03"
    assert doc["retirements"][0]["phases"][0]["start"] == "2027-05-03"
    bad = invoke("roadmap", str(BANK), "--start", "2027-13-01")
    assert bad.exit_code == 2 and "is not a date" in bad.stderr


def test_markdown_has_gantt_and_plain_table():
    out = invoke("roadmap", str(BANK), "-f", "markdown").stdout
    assert "```mermaid\ngantt" in out
    assert "| Phase | Start | End |" in out


@settings(max_examples=40)
@given(st.sampled_from(BASES), st.integers(0, 200), st.booleans(),
       st.sampled_from(["low", "medium", "high"]), st.integers(0, 3))
def test_every_generated_plan_respects_notice_and_order(base, notice, brownouts, maturity, extra):
    data = copy.deepcopy(base)
    data.setdefault("transition", {})["min_notice_days"] = notice
    data["transition"]["brownouts"] = brownouts
    data.setdefault("customers", {})["digital_maturity"] = maturity
    profile = parse_profile(data)
    try:
        plan = roadmap(profile, dt.date(2027, 1, 4) + dt.timedelta(days=extra))
    except UsageError as exc:  # a refusal is allowed, with its reason; any other error fails
        assert "cannot retire" in str(exc)
        return
    _check_plan(plan)


# Checklists ------------------------------------------------------------------------------


def test_checklist_lines_end_with_task_ids(tmp_path):
    out = tmp_path / "transition.md"
    assert invoke("checklist", str(SHOP), "-o", str(out)).exit_code == 0
    text = out.read_text()
    tasks = [line for line in text.splitlines() if line.startswith("- [ ]")]
    assert tasks and all(line.rstrip().endswith("-->") and "<!-- task:" in line for line in tasks)
    assert len(read_checklist(text, str(out))) == len(tasks)


def test_check_is_0_when_current_1_when_stale_and_writes_nothing(tmp_path):
    out = tmp_path / "transition.md"
    assert invoke("checklist", str(SHOP), "-o", str(out), "--check").exit_code == 1
    assert not out.exists()
    invoke("checklist", str(SHOP), "-o", str(out))
    assert invoke("checklist", str(SHOP), "-o", str(out), "--check").exit_code == 0
    changed = tmp_path / "shop.yaml"
    changed.write_text(SHOP.read_text().replace("start: 2027-01-11", "start: 2027-02-01"))
    before = out.read_bytes()
    result = invoke("checklist", str(changed), "-o", str(out), "--check")
    assert result.exit_code == 1 and "is stale" in result.stderr
    assert out.read_bytes() == before


def test_regeneration_keeps_ticks_and_notes_and_parks_removed_tasks(tmp_path):
    out = tmp_path / "transition.md"
    invoke("checklist", str(SHOP), "-o", str(out))
    lines = out.read_text().splitlines()
    edited = []
    for line in lines:
        if ("<!-- task:phone.prepare.guides -->" in line
                or "<!-- task:community_forum.announce.faq -->" in line):
            edited.append(line.replace("- [ ]", "- [x]"))
            edited.append("  - Sam drafted this in the wiki")
        else:
            edited.append(line)
    out.write_text("\n".join(edited) + "\n")
    # The profile changes: the forum is kept after all, and the start moves.
    changed = tmp_path / "shop.yaml"
    changed.write_text(SHOP.read_text().replace("start: 2027-01-11", "start: 2027-02-01")
                       .replace("  community_forum:\n    share: 2%\n",
                                "  community_forum:\n    share: 2%\n    decision: keep\n"))
    assert invoke("checklist", str(changed), "-o", str(out)).exit_code == 0
    text = out.read_text()
    guides = next(row for row in text.splitlines() if "<!-- task:phone.prepare.guides -->" in row)
    assert guides.startswith("- [x]")
    assert text.index("Sam drafted this in the wiki") > text.index("task:phone.prepare.guides")
    removed = text.index("<!-- channelplan:removed -->")
    faq = text.index("<!-- task:community_forum.announce.faq -->")
    assert faq > removed
    assert text.count("Sam drafted this in the wiki") == 2
    assert "- [x]" in text[removed:]


@settings(max_examples=25)
@given(st.sampled_from(BASES), st.randoms(use_true_random=False), st.integers(0, 60))
def test_round_trip_never_loses_a_tick_or_a_note(base, rnd, shift_days):
    profile = parse_profile(base)
    first = render_checklist(roadmap(profile, dt.date(2027, 1, 4)))  # recommended: never refused
    lines = first.splitlines()
    ticked, notes = set(), {}
    edited = []
    for line in lines:
        if "<!-- task:" in line:
            ident = line.split("<!-- task:")[1].split(" ")[0]
            if rnd.random() < 0.4:
                line = line.replace("- [ ]", "- [x]")
                ticked.add(ident)
            edited.append(line)
            if rnd.random() < 0.3:
                note = f"  - note {rnd.randint(0, 10**9)} for {ident}"
                notes[ident] = note
                edited.append(note)
        else:
            edited.append(line)
    # Change the profile: another start day and another retirement mix.
    changed = copy.deepcopy(base)
    changed.setdefault("transition", {})["min_notice_days"] = rnd.choice([0, 30, 120])
    retire = rnd.choice([None] + [[c] for c in profile.channels.offered()])
    try:
        plan = roadmap(parse_profile(changed), dt.date(2027, 1, 4) + dt.timedelta(days=shift_days),
                       retire=retire)
    except UsageError as exc:  # only the refusals a user can meet; anything else fails the test
        assert retire is not None, exc
        assert (f"cannot retire {retire[0]}: " in str(exc)
                or f"locks {retire[0]} with 'decision: keep'" in str(exc)), exc
        return
    regenerated = render_checklist(plan, "\n".join(edited) + "\n")
    for ident in ticked:
        line = next(row for row in regenerated.splitlines() if f"<!-- task:{ident} -->" in row)
        assert line.lstrip().startswith("- [x]"), ident
    rows = regenerated.splitlines()
    for ident, note in notes.items():
        task_at = next(i for i, row in enumerate(rows) if f"<!-- task:{ident} -->" in row)
        assert rows[task_at + 1] == note, (ident, rows[task_at:task_at + 3])  # still under its task
    # Regenerating again changes nothing.
    assert render_checklist(plan, regenerated) == regenerated


# Status -------------------------------------------------------------------------------------


def test_status_counts_and_fails_on_overdue(tmp_path):
    out = tmp_path / "transition.md"
    invoke("checklist", str(BANK), "-o", str(out))
    early = invoke("status", str(out), "--today", "2027-01-01", "--fail-on-overdue", "-f", "json")
    assert early.exit_code == 0
    assert json.loads(early.stdout)["totals"]["overdue"] == 0
    late = invoke("status", str(out), "--today", "2027-03-01", "--fail-on-overdue", "-f", "json")
    assert late.exit_code == 1
    doc = json.loads(late.stdout)
    assert doc["totals"]["overdue"] > 0
    assert all(item["due"] < "2027-03-01" for item in doc["overdue"])
    assert invoke("status", str(out), "--today", "2027-03-01").exit_code == 0


def test_status_on_a_hand_edited_file(tmp_path):
    out = tmp_path / "transition.md"
    invoke("checklist", str(BANK), "-o", str(out))
    lines = out.read_text().splitlines()
    tasks = [row for row in lines if "<!-- task:" in row]
    rest = [row for row in lines if "<!-- task:" not in row]
    random.Random(3).shuffle(tasks)
    tasks[0] = tasks[0].replace("- [ ]", "* [X]")
    out.write_text("\n".join(rest + ["", "Some notes of ours.", ""] + tasks) + "\n")
    doc = json.loads(invoke("status", str(out), "--today", "2027-01-01", "-f", "json").stdout)
    assert doc["totals"]["tasks"] == len(tasks) and doc["totals"]["done"] == 1


def test_status_refuses_files_that_are_not_checklists(tmp_path):
    other = tmp_path / "notes.md"
    other.write_text("# Shopping\n\n- [ ] milk\n")
    result = invoke("status", str(other))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{other}:1:1: not a channelplan checklist")
    broken = tmp_path / "broken.md"
    broken.write_text("- [ ] a (owner: web; due 2027-02-30) <!-- task:a.b.c -->\n"
                      "- [ ] b <!-- task:a.b.c -->\n")
    result = invoke("status", str(broken))
    assert result.exit_code == 2
    assert f"{broken}:1:" in result.stderr and "not a valid date" in result.stderr
    assert f"{broken}:2:" in result.stderr and "duplicate task id" in result.stderr
    binary = tmp_path / "bin.md"
    binary.write_bytes(b"\xff\xfe\x00")
    assert invoke("status", str(binary)).exit_code == 2
    assert invoke("status", str(tmp_path / "missing.md")).exit_code == 2


def test_ci_examples_use_real_commands():
    import yaml

    workflow = yaml.safe_load((ROOT / "examples" / "github-workflow" / "channelplan.yml").read_text())
    steps = " ".join(step.get("run", "") for step in workflow["jobs"]["checklist"]["steps"])
    assert "--check" in steps and "--fail-on-overdue" in steps and "GITHUB_STEP_SUMMARY" in steps
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert {h["id"] for h in hooks} == {"channelplan-validate", "channelplan-checklist"}
    for command in ("validate", "checklist", "status"):
        assert invoke(command, "--help").exit_code == 0


def test_checklist_output_folder_is_created(tmp_path):
    out = tmp_path / "docs" / "transition.md"
    assert invoke("checklist", str(BANK), "-o", str(out)).exit_code == 0
    assert out.read_text().startswith("# Transition checklist")


def test_a_locked_retirement_is_planned_with_its_coverage_gap_as_a_gate(tmp_path):
    """`decision: retire` is always planned; the topic it leaves without a suited channel
    becomes a gate before the announcement, and a warning; every command agrees."""
    path = tmp_path / "bank.yaml"
    locked = "    decision: keep          # the regulator expects a phone line"
    path.write_text(BANK.read_text().replace(locked, "    decision: retire"))
    result = invoke("roadmap", str(path), "-f", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    jsonschema.validate(doc, ROADMAP_SCHEMA)
    assert doc["blocked"] == []
    phone = next(r for r in doc["retirements"] if r["channel"] == "phone")
    assert phone["locked"] is True
    gate = phone["phases"][0]["gate"]
    assert gate["id"] == "phone.prepare.gate"
    assert any(c.startswith("provide a suited channel for 'Mortgage questions' before announcing")
               for c in gate["criteria"])
    assert phone["coverage_gaps"] and "'Mortgage questions'" in phone["coverage_gaps"][0]
    assert "warning: phone is locked with 'decision: retire'" in result.stderr
    assert any("'Mortgage questions'" in w["message"] for w in doc["warnings"])
    recommended = json.loads(invoke("recommend", str(path), "-f", "json").stdout)
    retiring = {c["channel"] for c in recommended["channels"] if c["action"] == "retire"}
    assert retiring == {r["channel"] for r in doc["retirements"]}
    checklist = invoke("checklist", str(path))
    assert checklist.exit_code == 0
    gate_line = next(line for line in checklist.stdout.splitlines()
                     if "<!-- task:phone.prepare.gate -->" in line)
    assert "provide a suited channel for 'Mortgage questions' before announcing" in gate_line
    report = invoke("report", str(path))
    assert report.exit_code == 0 and "### Retire Phone" in report.stdout
    assert "Mortgage questions' before announcing" in report.stdout


def test_a_copied_task_line_loses_none_of_its_notes(tmp_path):
    out = tmp_path / "transition.md"
    invoke("checklist", str(BANK), "-o", str(out))
    lines = out.read_text().splitlines()
    index = next(i for i, line in enumerate(lines) if "task:social_media.prepare.guides" in line)
    copy_line = lines[index].replace("- [ ]", "- [x]")
    lines[index + 1:index + 1] = ["  first note"]
    lines += ["", copy_line, "  second note"]
    out.write_text("\n".join(lines) + "\n")
    assert invoke("checklist", str(BANK), "-o", str(out)).exit_code == 0
    text = out.read_text()
    assert "first note" in text and "second note" in text
    assert text.count("<!-- task:social_media.prepare.guides -->") == 1
    guides = next(line for line in text.splitlines() if "task:social_media.prepare.guides" in line)
    assert guides.startswith("- [x]")


def test_checklist_never_rewrites_an_unrelated_file(tmp_path):
    notes = tmp_path / "README.md"
    notes.write_text("# Our team notes\n\nImportant things.\n")
    before = notes.read_bytes()
    result = invoke("checklist", str(BANK), "-o", str(notes))
    assert result.exit_code == 2
    assert f"{notes}:1:1: exists and is not a channelplan checklist" in result.stderr
    assert notes.read_bytes() == before
    assert invoke("checklist", str(BANK), "-o", str(notes), "--check").exit_code == 2
