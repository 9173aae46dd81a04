"""Roadmap v2: playbooks per channel kind, gates with numbers, realistic durations, the
programme view, notice and obligations that fit the business, and the calendar export."""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
import re

import jsonschema
import pytest

from channelplan import capacity, parse_profile, roadmap
from channelplan.catalogue import CHANNEL_IDS, assisted_ids, catalogue
from channelplan.checklist import read_checklist, render_checklist
from channelplan.sizing import with_handovers
from channelplan.staffing import current_volumes, plan_for_volumes
from channelplan.yamlsafe import parse_yaml
from conftest import ROOT, invoke, run

SHOP = ROOT / "profiles" / "pebble-and-pine-shop.yaml"
BANK = ROOT / "profiles" / "northwind-bank.yaml"
ROADMAP_SCHEMA = json.loads((ROOT / "schema" / "roadmap.schema.json").read_text())

# A business that offers every channel, with topics every assisted channel suits, so that
# any one channel can be retired and its playbook inspected.
FIXTURE = {
    "version": 1,
    "company": {"name": "Fixture Co", "industry": "online retail"},
    "customers": {"age_mix": {"under_25": "20%", "25_to_54": "60%", "55_plus": "20%"}},
    "demand": {"contacts_per_month": 8000, "topics": [
        {"name": "Order status", "share": "50%", "urgency": "hours", "complexity": "low"},
        {"name": "Account changes", "share": "30%", "urgency": "days", "complexity": "medium",
         "sensitivity": "personal"},
        {"name": "How-to questions", "share": "20%", "urgency": "days", "complexity": "low"}]},
    "channels": {"phone": {"share": "30%"}, "email": {"share": "25%"}, "live_chat": {"share": "15%"},
                 "chatbot": {"share": "5%"}, "social_media": {"share": "8%"},
                 "messaging": {"share": "7%"}, "community_forum": {"share": "4%"},
                 "knowledge_base": {"share": "6%"}},
    "transition": {"start": "2027-01-04"},
}

# What each kind's plan must say, and must never say (case-insensitive), and who owns
# the channel's own work.
KINDS = {
    "phone": {"must": ["soft brownout 1: play a message", "callback-only window",
                       "recorded message naming the alternatives for at least a year",
                       "do not reuse the number"],
              "never": ["switch phone off"], "owner": "telephony"},
    "live_chat": {"must": ["replace the widget and every entry point",
                           "export live chat's conversation history"],
                  "never": ["recorded message"], "owner": "web"},
    "messaging": {"must": ["replace the widget and every entry point",
                           "conversation history", "automatic reply"],
                  "never": ["recorded message"], "owner": "messaging administrator"},
    "email": {"must": ["keep an auto-reply on the address that points to the alternatives for at "
                       "least a year", "never reuse the address"],
              "never": ["switch email off", "close the line"], "owner": "email administrator"},
    "social_media": {"must": ["private messages", "auto-reply", "keep the accounts",
                              "monitor them every day for crises", "public posts"],
                     "never": ["play the sunset notice", "close social media", "delete the accounts"],
                     "owner": "social media team"},
    "community_forum": {"must": ["read-only", "stays online and searchable", "redirects"],
                        "never": ["delete the forum", "play the sunset notice"],
                        "owner": "community manager"},
    "knowledge_base": {"must": ["move, merge or retire", "redirect every article address",
                                "at least a year"],
                       "never": ["brownout", "agents on knowledge base", "to the help centre",
                                 "regular users personally"],
                       "owner": "content team"},
    "chatbot": {"must": ["hand every conversation it cannot finish to a person on",
                         "remove the bot from every page"],
                "never": ["agents on chatbot", "regular users personally"], "owner": "web"},
}
NAMES = {cid: catalogue()[cid].name for cid in CHANNEL_IDS}
OTHER_WORDS = {"knowledge_base": ["help centre", "help-centre"], "community_forum": ["forum"],
               "social_media": ["social media"], "chatbot": ["chatbot", " bot"],
               "phone": ["phone", "ivr", "caller"], "live_chat": ["live chat", "chat widget"],
               "messaging": ["messaging", "sms"]}


def _profile(**changes):
    data = copy.deepcopy(FIXTURE)
    for path, value in changes.items():
        node = data
        keys = path.split("__")
        for key in keys[:-1]:
            node = node.setdefault(key, {})
        node[keys[-1]] = value
    return parse_profile(data)


def _texts(r):
    return [t.title for t in r.tasks] + [p.purpose for p in r.phases]


# 1. Playbooks per channel kind -------------------------------------------------------------------


@pytest.mark.parametrize("channel", sorted(KINDS))
def test_each_channel_kind_gets_its_own_playbook(channel):
    plan = roadmap(_profile(), retire=[channel])
    (r,) = plan.retirements
    words = " | ".join(_texts(r)).lower()
    for phrase in KINDS[channel]["must"]:
        assert phrase in words, (channel, phrase)
    for phrase in KINDS[channel]["never"]:
        assert phrase not in words, (channel, phrase)
    own = [t for t in r.tasks if t.id.split(".")[-1] in ("close", "read-only", "redirects",
                                                          "dm-auto-reply", "article-inventory",
                                                          "handover", "entry-points", "ivr-notice",
                                                          "auto-reply-notice", "pinned-notice")]
    assert own and all(t.owner in (KINDS[channel]["owner"], "web") for t in own), [
        (t.id, t.owner) for t in own]
    # Task wording never names a channel that is neither retiring nor kept.
    in_plan = {channel, *plan.kept}
    for title in _texts(r):
        for cid in CHANNEL_IDS:
            if cid in in_plan:
                continue
            assert NAMES[cid] not in title, (title, cid)
            for word in OTHER_WORDS.get(cid, []):
                assert word not in title.lower(), (title, cid, word)


def test_social_media_and_forum_work_is_never_owned_by_telephony():
    for channel in ("social_media", "community_forum", "knowledge_base", "chatbot"):
        (r,) = roadmap(_profile(), retire=[channel]).retirements
        assert not [t for t in r.tasks if t.owner == "telephony"], channel


def test_a_knowledge_base_never_gets_brownouts_and_names_no_help_centre_it_retires():
    (r,) = roadmap(_profile(), retire=["knowledge_base"]).retirements
    assert "brownouts" not in [p.key for p in r.phases] and r.brownouts == "none"
    assert "help centre" not in " ".join(_texts(r)).lower()
    assert not [t for t in r.tasks if "hand-holding" in t.id]


def test_wording_names_only_channels_in_the_plan_on_the_bundled_profiles():
    for path in sorted((ROOT / "profiles").glob("*.yaml")):
        plan = roadmap(parse_profile(path.read_text()))
        for r in plan.retirements:
            in_plan = {r.channel, *plan.kept}
            for title in _texts(r):
                for cid in CHANNEL_IDS:
                    if cid not in in_plan:
                        assert NAMES[cid] not in title, (path.name, title)
                        for word in OTHER_WORDS.get(cid, []):
                            assert word not in title.lower(), (path.name, title, word)


@pytest.mark.parametrize("older, topic, hard", [
    ("20%", None, True),                                                      # may close briefly
    ("25%", None, False),                                                     # 55+ at 25%: never
    ("20%", {"name": "Card stolen", "share": "10%", "urgency": "seconds",
             "complexity": "low", "sensitivity": "financial"}, False),         # urgent and financial
    ("20%", {"name": "Password reset", "share": "10%", "urgency": "minutes",
             "complexity": "low", "sensitivity": "personal"}, False),          # urgent and personal
])
def test_phone_never_gets_a_hard_brownout_for_older_customers_or_urgent_personal_topics(older, topic, hard):
    data = copy.deepcopy(FIXTURE)
    data["customers"]["age_mix"] = {"under_25": "20%", "25_to_54": f"{80 - int(older[:-1])}%",
                                    "55_plus": older}
    if topic:
        data["demand"]["topics"][0]["share"] = "40%"
        data["demand"]["topics"].append(topic)
    (r,) = roadmap(parse_profile(data), retire=["phone"]).retirements
    brownouts = next(p for p in r.phases if p.key == "brownouts")
    titles = " ".join(t.title.lower() for t in brownouts.tasks)
    assert "soft brownout 1" in titles and "callback-only" in titles
    assert ("close the line" in titles) is hard
    assert ("closure" in brownouts.purpose) is hard


# 2. Gates with numbers ---------------------------------------------------------------------------


def test_every_phase_ends_in_a_gate_with_numbers_from_the_defaults():
    plan = roadmap(parse_profile(BANK.read_text()))
    assert plan.gates["service_level_weeks"]["value"] == 2
    assert all(g["source"] for g in plan.gates.values())
    for r in plan.retirements:
        gates = {p.key: p.gate for p in r.phases}
        assert all(p.gate.date == p.end for p in r.phases)
        assert "for 2 weeks in a row" in " ".join(gates["prepare"].criteria)
        assert "Email 90% within 6 h" in " ".join(gates["prepare"].criteria)  # the profile's target
        sunset_gate = " ".join(gates["brownouts"].criteria)
        assert "under 20% of its baseline volume" in sunset_gate
        assert "less than 5 points" in sunset_gate and "under 1%" in sunset_gate
        assert any("2 weeks in a row" in t for t in gates["brownouts"].rollback)
        assert gates["monitor"].rollback


def test_profile_gates_override_the_defaults_and_move_the_dates(tmp_path):
    data = parse_yaml(BANK.read_text(), "b").data
    before = roadmap(parse_profile(copy.deepcopy(data))).retirements[0]
    data["transition"]["gates"] = {"service_level_weeks": 4, "volume_before_sunset": "10%",
                                   "complaints": 0.005}
    plan = roadmap(parse_profile(data))
    after = plan.retirements[0]
    assert plan.gates["service_level_weeks"] == {"value": 4, "source": "transition.gates in the profile",
                                                 "from_profile": True}
    assert "for 4 weeks in a row" in after.phases[0].gate.title
    assert "under 10% of its baseline volume" in after.gates[3].title
    assert "under 0.5% of Social media's contacts" in after.gates[3].title
    assert (after.announce_date - before.announce_date).days >= 14


def test_bad_gate_values_are_located(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(BANK.read_text().replace(
        "  brownouts: true\n",
        "  brownouts: true\n  hiring_lead_days: -3\n  gates:\n    service_level_weeks: 0\n"
        "    volume_before_sunset: 20\n    complaint: 1%\n"))
    result = invoke("validate", str(path))
    assert result.exit_code == 2
    lines = result.stdout.splitlines() + result.stderr.splitlines()
    text = "\n".join(lines)
    for needle in ("transition.hiring_lead_days: must be at least 0",
                   "transition.gates.service_level_weeks: must be at least 1",
                   "transition.gates.volume_before_sunset: a share is from 0 to 1 or a percentage; "
                   "did you mean 20%?",
                   "unknown key 'complaint' in transition.gates; did you mean 'complaints'?"):
        assert re.search(rf"{re.escape(str(path))}:\d+:\d+: {re.escape(needle)}", text), (needle, text)
    assert all(re.match(rf"{re.escape(str(path))}:\d+:\d+: ", line) for line in lines if line.strip())


def test_status_shows_the_gates_and_their_state(tmp_path):
    out = tmp_path / "transition.md"
    assert invoke("checklist", str(BANK), "-o", str(out), "--quiet").exit_code == 0
    text = out.read_text()
    gate_lines = [line for line in text.splitlines()
                  if re.search(r"<!-- task:[a-z_]+\.[a-z]+\.gate -->", line)]
    assert gate_lines and all("Gate: " in line for line in gate_lines)
    ticked = text.replace("- [ ] Gate: Ready to announce", "- [x] Gate: Ready to announce", 1)
    out.write_text(ticked)
    doc = json.loads(invoke("status", str(out), "--today", "2027-06-01", "-f", "json").stdout)
    states = {g["id"]: g["state"] for g in doc["gates"]}
    assert states["social_media.prepare.gate"] == "passed"
    assert states["social_media.announce.gate"] == "overdue"
    assert states["social_media.monitor.gate"] == "open"
    assert next(g for g in doc["gates"] if g["id"] == "social_media.brownouts.gate")["title"].count("%") >= 2
    table = invoke("status", str(out), "--today", "2027-06-01", "--no-color").stdout
    assert "Gates" in table and "passed" in table and "Ready to announce" in table
    markdown = invoke("status", str(out), "--today", "2027-06-01", "-f", "markdown").stdout
    assert "## Gates" in markdown and "under 20% of its baseline volume" in markdown


# 3. Realistic durations --------------------------------------------------------------------------


def test_recruitment_and_training_come_first_when_the_alternatives_need_more_agents():
    data = parse_yaml(BANK.read_text(), "b").data
    plan = roadmap(parse_profile(copy.deepcopy(data)))
    r = plan.retirements[0]
    assert r.hires > 0 and r.hiring_ready is not None
    start = r.phases[0].start
    assert (r.hiring_ready - start).days >= 56
    assert r.announce_date >= r.hiring_ready + dt.timedelta(weeks=2)   # then two weeks on target
    prepare = r.phases[0]
    recruit = next(t for t in prepare.tasks if t.id.endswith(".recruit"))
    assert recruit.due <= prepare.start + dt.timedelta(days=7)
    assert any("hired and trained" in c for c in prepare.gate.criteria)
    data["transition"]["hiring_lead_days"] = 84
    later = roadmap(parse_profile(data)).retirements[0]
    assert (later.announce_date - r.announce_date).days >= 28
    # No hiring needed: the announcement does not wait for it.
    (plain,) = roadmap(_profile(), retire=["chatbot"]).retirements
    assert plain.hires == 0 and not any(t.id.endswith(".recruit") for t in plain.tasks)


@pytest.mark.parametrize("path", sorted((ROOT / "profiles").glob("*.yaml")), ids=lambda p: p.stem)
def test_no_phase_is_shorter_than_its_purpose_allows(path):
    plan = roadmap(parse_profile(path.read_text()))
    for r in plan.retirements:
        keys = [p.key for p in r.phases]
        parallel = r.phases[keys.index("parallel")]
        following = r.phases[keys.index("parallel") + 1]
        assert (following.start - parallel.start).days >= 14
        weekly = [t for t in parallel.tasks if ".measure-week-" in t.id]
        assert len(weekly) >= 2
        dues = [t.due for t in weekly]
        assert len(set(dues)) == len(dues)                       # spread, one a week
        assert all((b - a).days >= 5 for a, b in zip(dues, dues[1:], strict=False))
        assert all(parallel.start <= d <= parallel.end for d in dues)
        if "brownouts" in keys:
            assert r.phases[keys.index("brownouts")].days >= 14  # three weekly steps
        shares = [p.migrated for p in r.phases]
        assert shares == sorted(shares) and shares[0] == 0 and shares[-1] == 1


def test_migration_is_a_stated_assumption_with_contacts_that_never_arrive():
    plan = roadmap(parse_profile(SHOP.read_text()))
    doc = plan.to_dict()
    assert doc["assumptions"]["migrated_share_by_phase"]["parallel"] == 0.4
    for r in plan.retirements:
        arriving = sum(a.contacts_per_month for a in r.alternatives)
        assert arriving == pytest.approx(r.contacts_per_month * (1 - r.never_arrive))
        assert 0 < r.never_arrive < 1
    lost = sum(r.contacts_per_month * r.never_arrive for r in plan.retirements)
    assert plan.programme.lost_contacts == pytest.approx(lost)


# 4. One programme view ---------------------------------------------------------------------------


def _expected_month(profile, plan, day):
    """The operation on ``day``, worked out from the plan's own phases and the capacity model."""
    today = current_volumes(profile)
    volumes = dict(today)
    still_open = []
    for r in plan.retirements:
        moved = max([p.migrated for p in r.phases if p.start <= day] or [0.0])
        volumes[r.channel] -= r.contacts_per_month * moved
        for a in r.alternatives:
            volumes[a.channel] = volumes.get(a.channel, 0.0) + a.contacts_per_month * moved
        if day < r.sunset_date:
            still_open.append(r.channel)
    # open retiring channels keep their baseline staff and cost; what self-service does not
    # contain is handed over to the staffed channels (one model with `capacity`)
    sized = plan_for_volumes(profile, volumes, "check", handovers=True)
    baseline = plan_for_volumes(profile, today, "today", handovers=True)
    channels = [c for c in sized.channels if c.channel not in still_open] + [
        baseline.channel(c) for c in still_open]
    staff = math.ceil(sum(c.fte for c in channels if c.channel in assisted_ids()) - 1e-6)
    cost = sum(c.monthly_cost for c in channels)
    return staff, cost


@pytest.mark.parametrize("path", [SHOP, BANK, ROOT / "profiles" / "starfall-mobile-game.yaml"],
                         ids=lambda p: p.stem)
def test_the_programme_months_add_up_against_capacity(path):
    profile = parse_profile(path.read_text())
    # the game retires nothing on its own: name a retirement so there is a programme to check
    plan = roadmap(profile, retire=["email"] if "starfall" in path.stem else None)
    programme = plan.programme
    months = programme.months
    first, last = months[0], months[-1]
    today = capacity(profile)
    assert first.month == plan.start.strftime("%Y-%m")
    assert first.staff_required == today.fte_required
    assert first.monthly_cost == pytest.approx(today.monthly_cost)
    end = plan_for_volumes(profile, plan.volumes_after(), "end")
    assert last.staff_required == end.fte_required == programme.end_staff
    assert last.monthly_cost == pytest.approx(end.monthly_cost)
    for month in months:
        staff, cost = _expected_month(profile, plan, month.day)
        assert month.staff_required == pytest.approx(staff), month.month
        assert month.monthly_cost == pytest.approx(cost), month.month
        assert month.monthly_cost == pytest.approx(sum(c["monthly_cost"] for c in month.channels.values()),
                                                   abs=0.05 * len(month.channels))
    assert [m.month for m in months] == sorted({m.month for m in months})
    assert months[-1].month == max(r.phases[-1].end for r in plan.retirements).strftime("%Y-%m")


def test_overlapping_retirements_account_for_each_others_moves():
    profile = parse_profile(SHOP.read_text())
    plan = roadmap(profile)
    assert len(plan.retirements) >= 3
    today = current_volumes(profile)
    end = {c.channel: c for c in plan.programme.end_state}
    retired = {r.channel for r in plan.retirements}
    stated = {c: v for c, v in today.items() if c not in retired}
    for r in plan.retirements:
        for a in r.alternatives:
            stated[a.channel] = stated.get(a.channel, 0.0) + a.contacts_per_month
    # each channel carries what arrives there, plus what the remaining self-service hands over
    expected = with_handovers(profile, stated)
    for channel, item in end.items():
        assert item.contacts_per_month == pytest.approx(expected[channel])
    assert sum(c.share for c in end.values()) == pytest.approx(1.0)
    retired = {r.channel for r in plan.retirements}
    assert not retired & set(end)
    for item in end.values():
        assert item.topics and sum(t["share"] for t in item.topics) == pytest.approx(1.0, abs=0.02)
    # Each retirement's hiring counts the moves before it: the staffed channels that stay are
    # one pool, sized once; the hires add up to its growth from today to the end state.
    hires = sum(r.hires for r in plan.retirements)
    before = plan_for_volumes(profile, today, "t", handovers=True)
    pool_today = sum(c.fte for c in before.channels if c.channel in assisted_ids() and c.channel in plan.kept)
    pool_end = sum(c.staff_required for c in plan.programme.end_state
                   if c.channel in assisted_ids() and c.channel in plan.kept)    # FTE, 2 decimals
    assert hires == pytest.approx(max(0.0, pool_end - pool_today), abs=0.03)


def test_the_programme_is_in_the_json_and_the_report():
    result = invoke("roadmap", str(SHOP), "-f", "json")
    doc = json.loads(result.stdout)
    jsonschema.validate(doc, ROADMAP_SCHEMA)
    assert doc["schema"] == "channelplan/roadmap@2"
    assert {"end_state", "months"} <= set(doc["programme"])
    markdown = invoke("roadmap", str(SHOP), "-f", "markdown").stdout
    assert markdown.count("```mermaid\ngantt") == 1                     # one combined chart
    chart = markdown.split("```mermaid\ngantt")[1].split("```")[0]
    assert [line.strip() for line in chart.splitlines() if line.strip().startswith("section")] == [
        f"section {r['name'].replace('(', ' ').replace(')', ' ').replace('  ', ' ').strip()}"
        for r in doc["retirements"]]
    report = invoke("report", str(SHOP)).stdout
    assert "### Programme: all retirements together" in report and "#### End state" in report
    assert "#### Month by month" in report
    for month in doc["programme"]["months"]:
        assert f"| {month['month']} | {month['staff_required']:g} |" in report


# 5. Notice and obligations that fit the business -------------------------------------------------


@pytest.mark.parametrize("industry, present, absent", [
    ("retail banking", ["regulator must be told", "vulnerable circumstances"],
     ["clinical safety", "equality impact"]),
    ("local council", ["equality impact", "assisted-digital help"], ["regulator must be told"]),
    ("healthcare clinic", ["clinical safety review"], ["regulator must be told", "equality impact"]),
    ("public utility", ["licence or regulator"], ["clinical safety", "equality impact"]),
    ("online retail", [], ["regulator", "clinical safety", "equality impact", "assisted-digital"]),
])
def test_industry_aware_checks(industry, present, absent):
    (r,) = roadmap(_profile(company__industry=industry), retire=["phone"]).retirements
    words = " ".join(t.title for t in r.tasks).lower()
    for phrase in present:
        assert phrase in words, (industry, phrase)
    for phrase in absent:
        assert phrase not in words, (industry, phrase)
    assert "text relay" in words                                   # every business
    for obligation in r.obligations:                              # checks, never legal advice
        assert re.match(r"^(Check|Identify|Arrange|Have)\b", obligation), obligation
        assert not re.search(r"\b(law requires|legally|you must)\b", obligation.lower())


def test_notice_reasons_never_cite_a_foreign_or_sector_law():
    for path in sorted((ROOT / "profiles").glob("*.yaml")):
        plan = roadmap(parse_profile(path.read_text()))
        for r in plan.retirements:
            text = " ".join(r.notice_reasons)
            assert not re.search(r"\b(law|USC|statute|act)\b", text, re.IGNORECASE), text
    shop = roadmap(parse_profile(SHOP.read_text()), retire=["phone", "messaging"])
    messaging = next(r for r in shop.retirements if r.channel == "messaging")
    assert messaging.notice_required_days >= 90 and "money matters" in messaging.notice_reasons[0]


def test_notice_grows_with_urgent_personal_topics_and_older_customers():
    base = roadmap(_profile(), retire=["phone"]).retirements[0].notice_required_days
    data = copy.deepcopy(FIXTURE)
    data["demand"]["topics"][0]["share"] = "30%"
    data["demand"]["topics"].append({"name": "Card stolen", "share": "20%", "urgency": "seconds",
                                     "complexity": "low", "sensitivity": "financial"})
    urgent = roadmap(parse_profile(data), retire=["phone"]).retirements[0]
    assert urgent.notice_required_days > base
    assert any("urgent" in reason for reason in urgent.notice_reasons)


# 7. Calendar export ------------------------------------------------------------------------------


def _parse_ics(raw: bytes):
    """A small RFC 5545 reader: checks line endings and folding, unfolds, splits events."""
    assert raw.endswith(b"\r\n")
    physical = raw[:-2].split(b"\r\n")
    assert all(b"\n" not in line and b"\r" not in line for line in physical)
    assert all(len(line) <= 75 for line in physical), max(physical, key=len)
    logical: list[str] = []
    for line in physical:
        if line.startswith(b" "):
            logical[-1] += line[1:].decode("utf-8")
        else:
            logical.append(line.decode("utf-8"))
    calendar, events, current = {}, [], None
    for line in logical:
        name, _, value = line.partition(":")
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None:
            current[name] = value
        else:
            calendar[name] = value
    assert logical[0] == "BEGIN:VCALENDAR" and logical[-1] == "END:VCALENDAR"
    return calendar, events


def _unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _day(value: str) -> dt.date:
    return dt.datetime.strptime(value, "%Y%m%d").date()


def test_the_calendar_parses_back_with_every_date_right(tmp_path):
    out = tmp_path / "plan.ics"
    assert invoke("roadmap", str(SHOP), "-f", "ics", "-o", str(out)).exit_code == 0
    calendar, events = _parse_ics(out.read_bytes())
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    plan = json.loads(invoke("roadmap", str(SHOP), "-f", "json").stdout)
    phases = [(r, p) for r in plan["retirements"] for p in r["phases"]]
    assert len(events) == 2 * len(phases)                      # one per phase and one per gate
    uids = [e["UID"] for e in events]
    assert len(set(uids)) == len(uids)
    by_uid = {e["UID"]: e for e in events}
    for r, p in phases:
        ident = f"-{r['channel']}-{p['key']}"
        phase = next(e for u, e in by_uid.items() if u.endswith(f"{ident}@channelplan"))
        gate = next(e for u, e in by_uid.items() if u.endswith(f"{ident}-gate@channelplan"))
        assert _day(phase["DTSTART;VALUE=DATE"]) == dt.date.fromisoformat(p["start"])
        assert _day(phase["DTEND;VALUE=DATE"]) == dt.date.fromisoformat(p["end"]) + dt.timedelta(days=1)
        gate_day = dt.date.fromisoformat(p["gate"]["date"])
        assert _day(gate["DTSTART;VALUE=DATE"]) == gate_day
        assert _day(gate["DTEND;VALUE=DATE"]) == gate_day + dt.timedelta(days=1)
        description = _unescape(phase["DESCRIPTION"])
        for task in p["tasks"]:
            assert task["title"] in description
        assert all(c in _unescape(gate["DESCRIPTION"]) for c in p["gate"]["criteria"])
    for event in events:
        assert re.fullmatch(r"\d{8}T\d{6}Z", event["DTSTAMP"])
        assert _day(event["DTSTART;VALUE=DATE"]) < _day(event["DTEND;VALUE=DATE"])


def test_calendar_uids_are_stable_when_dates_move():
    first = _parse_ics(run("roadmap", str(SHOP), "-f", "ics").stdout)[1]       # raw bytes on stdout
    moved = _parse_ics(run("roadmap", str(SHOP), "-f", "ics", "--start", "2027-03-01").stdout)[1]
    assert [e["UID"] for e in first] == [e["UID"] for e in moved]
    assert [e["DTSTART;VALUE=DATE"] for e in first] != [e["DTSTART;VALUE=DATE"] for e in moved]


def test_calendar_text_is_escaped_and_safe(tmp_path):
    data = parse_yaml(SHOP.read_text(), "s").data
    data["company"]["name"] = "Pebble, Pine; Co \\ Ltd\u202e\x1b[31m ÆØÅ ünïcødé 漢字 " + "x" * 60
    data["demand"]["topics"][0]["name"] = "Where, is; my\\order"
    path = tmp_path / "odd.yaml"
    path.write_text(json.dumps(data))
    out = tmp_path / "odd.ics"
    result = invoke("roadmap", str(path), "-f", "ics", "-o", str(out))
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert b"\x1b" not in raw and "\u202e".encode() not in raw
    calendar, events = _parse_ics(raw)
    name = _unescape(calendar["X-WR-CALNAME"])
    assert name.startswith("Pebble, Pine; Co \\ Ltd\\u202e\\x1b[31m ÆØÅ ünïcødé 漢字")
    assert all(re.fullmatch(r"[a-z0-9_-]+@channelplan", e["UID"]) for e in events)
    assert any("Where, is; my\\order" in _unescape(e["DESCRIPTION"]) for e in events)
    for event in events:
        for key in ("SUMMARY", "DESCRIPTION"):
            assert not re.search(r"(?<!\\)[;,]", event[key].replace("\\\\", "")), event[key]


# Checklists keep working on v2 plans -------------------------------------------------------------


def test_regenerating_a_v1_checklist_keeps_every_tick_and_note():
    v1 = (ROOT / "tests" / "fixtures" / "checklist-v1-shop.md").read_text()
    edited, notes = [], {}
    for line in v1.splitlines():
        match = re.search(r"<!-- task:([A-Za-z0-9._-]+) -->", line)
        if match:
            line = line.replace("- [ ]", "- [x]")
            notes[match.group(1)] = f"  - note for {match.group(1)}"
            edited += [line, notes[match.group(1)]]
        else:
            edited.append(line)
    old_text = "\n".join(edited) + "\n"
    plan = roadmap(parse_profile(SHOP.read_text()))
    new_text = render_checklist(plan, old_text)
    lines = new_text.splitlines()
    for ident, note in notes.items():
        at = [i for i, line in enumerate(lines) if f"<!-- task:{ident} -->" in line]
        assert len(at) == 1, ident
        assert lines[at[0]].lstrip().startswith("- [x]"), ident
        assert lines[at[0] + 1] == note, ident
    live = {t.id for t in plan.tasks}
    assert any(ident in live for ident in notes)                 # most tasks are still in the plan
    assert render_checklist(plan, new_text) == new_text          # and a second run changes nothing
    assert {t.id for t in read_checklist(new_text, "c.md")} == live


def test_the_end_state_shows_work_done_by_blended_agents():
    """A backlog channel whose work live agents do between contacts needs no staff of its own;
    the end state says so instead of showing a bare 0 for a channel that carries 40%."""
    result = invoke("roadmap", str(SHOP), "-f", "markdown")
    assert result.exit_code == 0, result.output
    end = result.output.split("End state")[1].split("Month by month")[0]
    email = next(line for line in end.splitlines() if line.startswith("| Email |"))
    cells = [c.strip() for c in email.strip("|").split("|")]
    assert cells[3].startswith("0 (+") and cells[3].endswith(" blended)"), cells


def test_a_phase_shows_the_whole_operation_at_its_heaviest_during_the_phase():
    """Phases of different retirements that share weeks agree: each phase's staff and cost
    are at least those of every month measured inside it (the whole operation, with every
    other retirement's state on those days)."""
    result = invoke("roadmap", str(SHOP), "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    months = data["programme"]["months"]
    checked = 0
    for retirement in data["retirements"]:
        for phase in retirement["phases"]:
            inside = [m for m in months if phase["start"] <= m["measured_on"] <= phase["end"]]
            for month in inside:
                assert phase["capacity"]["staff_required"] >= month["staff_required"], (phase, month)
                assert phase["capacity"]["monthly_cost"] >= month["monthly_cost"] - 0.01
                checked += 1
    assert checked >= 5
