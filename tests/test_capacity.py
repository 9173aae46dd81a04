"""`capacity` through the CLI and the API: models, totals, feasibility, what-if shifts."""

from __future__ import annotations

import csv
import io
import json
import math

import pytest

from channelplan import capacity, load_profile, parse_profile
from channelplan.queueing import agents_needed, erlang_a, service_level
from channelplan.yamlsafe import parse_yaml
from conftest import AGELESS, BANK, PROFILES, ROOT, SHOP, invoke

REQUIRED = {"channel", "contacts_per_month", "peak_hour_contacts", "handle_minutes", "target",
            "agents_required", "staff_required", "service_level", "occupancy", "feasible",
            "monthly_cost"}


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_capacity_json_contract(path):
    result = invoke("capacity", str(path), "-f", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["schema"] == "channelplan/capacity@2"
    assert doc["channels"], "every profile sizes at least one channel"
    for channel in doc["channels"]:
        assert REQUIRED <= set(channel)
        assert set(channel["target"]) >= {"answer_within_seconds", "share"}
        assert isinstance(channel["feasible"], bool) and channel["reason"]
    totals = doc["totals"]
    staffed = [c for c in doc["channels"] if c["model"] != "containment"]
    # fractional positions summed, then rounded once for the pool
    assert totals["staff_required"] == math.ceil(sum(c["staff_required"] for c in staffed) - 1e-3)
    assert totals["fte"] == pytest.approx(sum(c["fte"] for c in staffed), abs=0.05)
    assert totals["monthly_cost"] == pytest.approx(sum(c["monthly_cost"] for c in doc["channels"]),
                                                   abs=0.05)


def test_phone_is_sized_with_erlang_a_on_the_busiest_hour():
    profile = load_profile(BANK)
    phone = capacity(profile).channel("phone")
    arrivals = 42000 * 0.55 / 312 * 1.5            # extended hours, peak factor 1.5
    assert phone.peak_hour_contacts == pytest.approx(arrivals)
    # catalogue patience 180 s, 85% occupancy cap, at most 5% of callers lost
    n = agents_needed(arrivals, 9 * 60, 30, 0.8, 0.85, patience_seconds=180, max_abandon=0.05)
    assert phone.agents_required == n
    assert phone.staff_required == pytest.approx(n / 0.7)
    assert phone.service_level == pytest.approx(erlang_a(n, arrivals, 540, 180, 30).service_level)
    conventional = capacity(profile, model="erlang-c").channel("phone")
    assert conventional.agents_required == agents_needed(arrivals, 540, 30, 0.8, 0.85)
    assert conventional.service_level == pytest.approx(
        service_level(int(conventional.agents_required), arrivals, 540, 30))
    assert phone.monthly_cost == pytest.approx(42000 * 0.55 * 7.40)


def test_chat_concurrency_lowers_staff_but_less_than_proportionally():
    data = parse_yaml(BANK.read_text(), "b").data
    data["channels"]["live_chat"]["share"] = "30%"
    data["channels"]["email"]["share"] = "5%"
    staff = {}
    for concurrency in (1, 2, 3):
        data["channels"]["live_chat"]["concurrency"] = concurrency
        staff[concurrency] = capacity(parse_profile(data)).channel("live_chat").agents_required
    assert staff[1] > staff[2] > staff[3]
    assert staff[3] > staff[1] / 3


def test_email_backlog_meets_reply_target_and_self_service_deflects():
    plan = capacity(load_profile(SHOP))
    email = plan.channel("email")
    assert email.model == "backlog" and email.service_level >= email.target_share
    bot = plan.channel("chatbot")
    assert bot.model == "containment"
    assert bot.handed_over == pytest.approx(bot.contacts_per_month * (1 - 0.22))


def test_infeasible_channel_says_why():
    plan = capacity(load_profile(SHOP))
    assert plan.within_agents is False
    data = parse_yaml((ROOT / "profiles" / "starfall-mobile-game.yaml").read_text(), "s").data
    data["constraints"]["agents"] = 6
    data["constraints"]["agents"] = 1
    email = capacity(parse_profile(data)).channel("email")
    assert email.feasible is False
    assert "on duty" in email.reason and "but 1 agent gives" in email.reason


def test_shift_moves_volume_and_reports_the_change():
    result = invoke("capacity", str(BANK), "--shift", "phone:live_chat=40%", "-f", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    phone = next(c for c in doc["channels"] if c["channel"] == "phone")
    chat = next(c for c in doc["channels"] if c["channel"] == "live_chat")
    assert phone["contacts_per_month"] == pytest.approx(42000 * 0.55 * 0.6, abs=0.1)
    assert chat["contacts_per_month"] == pytest.approx(42000 * 0.05 + 42000 * 0.55 * 0.4, abs=0.1)
    assert phone["change"]["staff_required"] < 0 < chat["change"]["staff_required"]
    assert doc["shifts"][0] == {"from": "phone", "to": "live_chat", "share": 0.4,
                                "contacts_moved": 9240.0, "contacts_returned": 0.0}
    base = doc["baseline"]["totals"]
    assert doc["totals"]["change"]["monthly_cost"] == pytest.approx(
        doc["totals"]["monthly_cost"] - base["monthly_cost"], abs=0.02)


def test_shift_to_self_service_returns_unresolved_contacts():
    plan = capacity(load_profile(BANK), {("phone", "knowledge_base"): 0.5})
    phone = plan.channel("phone")
    moved = 42000 * 0.55 * 0.5
    kb = plan.channel("knowledge_base")
    assert kb.contained == pytest.approx(moved * kb.resolution_rate)
    # what the knowledge base does not contain is handed over to the staffed channels, in
    # proportion to their volumes: the staffed channels together get exactly that back
    staffed = sum(c.contacts_per_month for c in plan.channels if c.channel != "knowledge_base")
    assert staffed == pytest.approx(42000 - moved + kb.handed_over)
    assert phone.contacts_per_month < 42000 * 0.55


@pytest.mark.parametrize("shift, message", [
    ("phone-live_chat", "write FROM:TO=SHARE"),
    ("phnoe:live_chat=10%", "did you mean 'phone'?"),
    ("phone:live_chat=40", "did you mean 40%?"),
    ("phone:phone=10%", "the same channel"),
    ("chatbot:phone=10%", "chatbot carries no contacts"),
])
def test_bad_shifts_are_usage_errors(shift, message):
    result = invoke("capacity", str(BANK), "--shift", shift)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_more_than_all_of_a_channel_cannot_move():
    result = invoke("capacity", str(BANK), "--shift", "phone:email=60%", "--shift",
                    "phone:live_chat=60%")
    assert result.exit_code == 2 and "more than 100%" in result.stderr


def test_csv_has_one_row_per_channel():
    result = invoke("capacity", str(BANK), "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["channel"] for r in rows] == ["phone", "email", "live_chat", "social_media"]
    assert rows[0]["model"] == "erlang_a" and float(rows[0]["fte"]) > 0
    assert float(rows[0]["abandon_rate"]) <= 0.05


def test_table_and_markdown_show_totals_against_team_and_budget():
    for fmt in ("table", "markdown"):
        out = invoke("capacity", str(BANK), "-f", fmt, "--no-color").stdout
        assert "on duty" in out and "budget" in out


def test_greenfield_capacity_sizes_the_recommended_channels():
    doc = json.loads(invoke("capacity", str(ROOT / "profiles" / "brightloop-startup.yaml"),
                            "-f", "json").stdout)
    assert doc["basis"] == "recommended channels"
    assert sum(c["contacts_per_month"] for c in doc["channels"]) >= 600 - 1e-6


def test_soft_problems_are_in_the_json_too(tmp_path):
    ageless = tmp_path / "ageless.yaml"
    ageless.write_text(AGELESS)
    doc = json.loads(invoke("capacity", str(ageless), "-f", "json").stdout)
    assert any("age_mix is not given" in w["message"] for w in doc["warnings"])


SOLE_TRADER = """
version: 1
company: {name: Quickturn Locksmiths, industry: emergency locksmith, currency: GBP}
customers:
  age_mix: {under_25: 10%, 25_to_54: 55%, 55_plus: 35%}
  digital_maturity: medium
demand:
  contacts_per_month: 220
  hours: always
  peak_factor: 2.0
  topics:
    - {name: Locked out, share: 55%, urgency: seconds, complexity: low, sensitivity: personal}
    - {name: Lock change quotes, share: 35%, urgency: days, complexity: medium, sensitivity: personal}
    - {name: Invoices, share: 10%, urgency: days, complexity: low, sensitivity: financial}
constraints:
  agents: 1
  shrinkage: 20%
channels:
  phone: {share: 70%, handle_minutes: 4}
  email: {share: 30%, handle_minutes: 6}
"""


def _sole_trader(agents: float | None) -> dict:
    data = parse_yaml(SOLE_TRADER, "s").data
    if agents is None:
        del data["constraints"]["agents"]
    else:
        data["constraints"]["agents"] = agents
    return data


def test_a_round_the_clock_line_of_a_sole_trader_is_on_call_not_five_people(tmp_path):
    # 168 open hours a week need about 5.25 people on duty in turn; one person covers the
    # hours beyond their own on call, so the line takes their whole time, no more.
    alone = capacity(parse_profile(_sole_trader(1))).channel("phone")
    unlimited = capacity(parse_profile(_sole_trader(None))).channel("phone")
    assert unlimited.fte == pytest.approx(5.25, abs=0.01) and unlimited.on_call_share == 0
    assert alone.fte == pytest.approx(1.0)
    assert alone.minimum_cover_fte == pytest.approx(1.0)
    assert alone.on_call_share == pytest.approx(1 - 1 / unlimited.minimum_cover_fte)
    assert alone.feasible and "on call" in alone.reason
    path = tmp_path / "solo.yaml"
    path.write_text(SOLE_TRADER)
    result = invoke("capacity", str(path), "-f", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    phone = next(c for c in doc["channels"] if c["channel"] == "phone")
    assert phone["on_call_share"] == pytest.approx(0.8095, abs=1e-4)
    assert doc["totals"]["within_agents"] is True and doc["totals"]["fte_required"] == 1
    text = invoke("capacity", str(path), env={"COLUMNS": "200"})
    assert text.exit_code == 0, text.output
    assert "covers the rest on call" in text.stdout and "1 agent, on duty or on call" in text.stdout


@pytest.mark.parametrize("agents", [2, 3, 5])
def test_on_call_cover_grows_with_the_team_and_ends_when_it_can_cover_every_hour(agents):
    unlimited = capacity(parse_profile(_sole_trader(None))).channel("phone")
    phone = capacity(parse_profile(_sole_trader(agents))).channel("phone")
    # the people on duty cover their share of the open hours; the rest is on call
    assert phone.on_call_share == pytest.approx(1 - agents / unlimited.minimum_cover_fte)
    assert phone.fte == pytest.approx(unlimited.fte * agents / unlimited.minimum_cover_fte)
    assert phone.fte <= agents + 1e-9
    enough = capacity(parse_profile(_sole_trader(6))).channel("phone")
    assert enough.on_call_share == 0 and enough.fte == pytest.approx(unlimited.fte)
