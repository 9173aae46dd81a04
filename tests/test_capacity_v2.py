"""Capacity v2: the workload model a workforce planner would sign (through the API and CLI)."""

from __future__ import annotations

import ast
import json
import math
from pathlib import Path

import pytest

from channelplan import capacity, parse_profile
from channelplan.queueing import agents_needed, erlang_a
from conftest import ROOT, invoke


def profile(**changes):
    data = {
        "version": 1,
        "company": {"name": "Test Co"},
        "demand": {"contacts_per_month": 10000, "hours": "business", "peak_factor": 1.5,
                   "topics": [{"name": "Orders", "share": "70%", "urgency": "hours",
                               "complexity": "low"},
                              {"name": "Billing", "share": "30%", "urgency": "minutes",
                               "complexity": "medium", "sensitivity": "financial"}]},
        "channels": {"phone": {"share": "50%"}, "email": {"share": "50%"}},
    }
    for dotted, value in changes.items():
        parts = dotted.split(".")
        node = data
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        if value is None:
            node.pop(parts[-1], None)
        else:
            node[parts[-1]] = value
    return parse_profile(data)


def test_two_founders_answering_200_emails_need_a_fraction_of_a_person():
    p = profile(**{"demand.contacts_per_month": 200, "channels": {"email": {"share": "100%"}},
                   "constraints": {"agents": 2}})
    plan = capacity(p)
    email = plan.channel("email")
    assert email.model == "backlog"
    assert 0 < email.fte < 0.5          # 200 x 8 min = 27 handle hours a month
    assert email.agents_required < 1
    assert plan.fte_required == 1 and plan.within_agents


def test_fractional_positions_are_rounded_once_for_the_pool():
    p = profile(**{"demand.contacts_per_month": 600,
                   "channels": {"email": {"share": "50%"}, "social_media": {"share": "30%"},
                                "messaging": {"share": "20%"}}})
    plan = capacity(p)
    per_channel = [c.fte for c in plan.channels]
    assert all(0 < f < 1 for f in per_channel)
    assert plan.fte_required == math.ceil(sum(per_channel))
    assert plan.fte_required < sum(math.ceil(f) for f in per_channel)


def test_a_live_queue_needs_one_agent_through_every_open_hour():
    p = profile(**{"demand.contacts_per_month": 50, "channels": {"phone": {"share": "100%"}}})
    phone = capacity(p).channel("phone")
    assert phone.agents_required >= 1
    # 45 open hours a week, 40 paid hours, 30% shrinkage: 1.6 people just to keep the line open
    assert phone.fte >= 45 / (40 * 0.7) - 1e-9
    assert phone.minimum_cover_fte == pytest.approx(45 / (40 * 0.7))


def test_occupancy_cap_and_roster_check_value():
    # 1,000 calls an hour, 120 s, 80% in 20 s, no abandonment: 38 for the service level, 40
    # under an 85% cap, 58 rostered with 30% shrinkage (call-center-tools check value).
    p = profile(**{"demand.contacts_per_month": 1000 * 198, "demand.peak_factor": 1,
                   "channels": {"phone": {"share": "100%", "handle_minutes": 2, "patience": "none",
                                          "target": {"answer_within": "20s", "share": "80%"}}}})
    phone = capacity(p).channel("phone")
    assert phone.model == "erlang_c"
    assert phone.agents_required == 40
    assert math.ceil(phone.staff_required - 1e-9) == 58
    assert phone.occupancy <= 0.85
    assert capacity(p, model="erlang-c").channel("phone").agents_required == 40


def test_no_live_queue_is_planned_above_its_cap():
    for path in sorted((ROOT / "profiles").glob("*.yaml")):
        from channelplan import load_profile

        plan = capacity(load_profile(path))
        for c in plan.channels:
            if c.model.startswith("erlang") and c.contacts_per_month > 0:
                assert c.occupancy <= c.occupancy_cap + 1e-9, (path.name, c.channel)


def test_erlang_a_is_the_default_and_needs_fewer_agents_than_erlang_c():
    p = profile(**{"demand.contacts_per_month": 60000})
    a = capacity(p).channel("phone")
    c = capacity(p, model="erlang-c").channel("phone")
    assert a.model == "erlang_a" and c.model == "erlang_c"
    assert a.agents_required < c.agents_required
    assert 0 < a.abandon_rate <= 0.05
    assert c.abandon_rate == 0


def test_patience_from_the_profile_moves_the_answer():
    short = capacity(profile(**{"demand.contacts_per_month": 60000,
                                "channels.phone.patience": "45s"})).channel("phone")
    long = capacity(profile(**{"demand.contacts_per_month": 60000,
                               "channels.phone.patience": "20m"})).channel("phone")
    assert short.patience_seconds == 45 and long.patience_seconds == 1200
    # impatient callers hang up more, but never beyond the 5% voice ceiling
    assert short.abandon_rate > long.abandon_rate
    assert short.abandon_rate <= 0.05


def test_supply_never_exceeds_the_productive_team():
    for hours in ("business", "extended", "always"):
        for peak in (1.0, 1.5, 3.0, 10.0):
            p = profile(**{"demand.hours": hours, "demand.peak_factor": peak,
                           "constraints": {"agents": 20, "shrinkage": "30%"}})
            plan = capacity(p)
            assert plan.supply.peak_on_duty <= 20 * 0.7 + 1e-9


def test_a_surge_is_shown_beside_the_normal_peak_not_rostered():
    p = profile(**{"demand.contacts_per_month": 30000, "demand.peak_factor": 4})
    phone = capacity(p).channel("phone")
    assert phone.surge is not None
    assert phone.surge["agents_required"] > phone.agents_required
    assert any("callback" in m for m in phone.surge["measures"])
    normal = capacity(profile(**{"demand.contacts_per_month": 30000,
                                 "demand.peak_factor": 2})).channel("phone")
    assert normal.agents_required == phone.agents_required
    result = invoke("capacity", "-", "--no-color", input=_yaml(p))
    assert "Surge on phone" in result.stdout


def _yaml(p) -> str:
    import yaml

    return yaml.safe_dump(json.loads(p.model_dump_json(by_alias=True, exclude_none=True)))


def test_self_service_contains_by_topic_and_hands_the_rest_over():
    simple = profile(**{"channels": {"chatbot": {"share": "40%"}, "email": {"share": "60%"}},
                        "demand.topics": [{"name": "Returns", "share": "100%", "urgency": "hours",
                                           "complexity": "low"}]})
    hard = profile(**{"channels": {"chatbot": {"share": "40%"}, "email": {"share": "60%"}},
                      "demand.topics": [{"name": "Disputes", "share": "100%", "urgency": "hours",
                                         "complexity": "high"}]})
    bot_simple = capacity(simple).channel("chatbot")
    bot_hard = capacity(hard).channel("chatbot")
    assert bot_simple.model == "containment"
    assert bot_simple.resolution_rate == pytest.approx(0.58)     # Gartner 2023: returns
    assert bot_hard.resolution_rate == pytest.approx(0.17)       # billing disputes
    assert bot_simple.contained == pytest.approx(4000 * 0.58)
    # the handed-over contacts land on the staffed channel
    assert capacity(hard).channel("email").contacts_per_month == pytest.approx(6000 + 4000 * 0.83)
    # content staff are a fixed effort, not a per-contact rate
    bigger = profile(**{"demand.contacts_per_month": 1_000_000,
                        "channels": {"chatbot": {"share": "40%"}, "email": {"share": "60%"}}})
    assert capacity(bigger).channel("chatbot").fte == bot_simple.fte


def test_measured_containment_wins():
    p = profile(**{"channels": {"knowledge_base": {"share": "20%", "resolution_rate": "35%"},
                                "email": {"share": "80%"}}})
    assert capacity(p).channel("knowledge_base").resolution_rate == pytest.approx(0.35)


def test_cost_from_staff_hours_when_an_hourly_rate_is_given():
    p = profile(**{"constraints": {"agent_cost_per_hour": 30, "shrinkage": "30%"},
                   "channels.phone.fixed_monthly_cost": 500})
    plan = capacity(p)
    phone = plan.channel("phone")
    paid_hours = phone.fte * 40 * 52 / 12
    assert phone.cost_parts["staff"] == pytest.approx(paid_hours * 30)
    assert phone.cost_parts["fixed"] == 500
    assert phone.cost_parts["per_contact"] == pytest.approx(5000 * 0.40)
    assert phone.monthly_cost == pytest.approx(sum(phone.cost_parts.values()))
    assert plan.monthly_cost == pytest.approx(sum(c.monthly_cost for c in plan.channels))
    # cost per resolved contact: a contact that needs a second one costs twice
    assert phone.cost_per_resolved == pytest.approx(phone.monthly_cost / (5000 * 0.72))
    # doubling the wage doubles the staff part, nothing else
    dear = capacity(profile(**{"constraints": {"agent_cost_per_hour": 60, "shrinkage": "30%"},
                               "channels.phone.fixed_monthly_cost": 500})).channel("phone")
    assert dear.cost_parts["staff"] == pytest.approx(2 * phone.cost_parts["staff"])


def test_without_an_hourly_rate_cost_is_per_contact():
    plan = capacity(profile())
    assert plan.channel("phone").monthly_cost == pytest.approx(5000 * 8.01)
    assert not plan.priced_by_hour


def test_reverse_question_through_the_cli():
    path = "profiles/northwind-bank.yaml"
    result = invoke("capacity", str(ROOT / path), "--agents", "phone=20", "--agents", "live_chat=3",
                    "-f", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    phone = next(c for c in doc["channels"] if c["channel"] == "phone")
    assert phone["agents_given"] is True and phone["agents_required"] == 20
    from channelplan import load_profile

    p = load_profile(ROOT / path)
    arrivals = p.demand.contacts_per_month * 0.55 / p.demand.open_hours_per_month * 1.5
    expected = erlang_a(20, arrivals, 9 * 60, 180, 30)
    assert phone["service_level"] == pytest.approx(expected.service_level, abs=1e-4)
    assert phone["abandon_rate"] == pytest.approx(expected.abandon_rate, abs=1e-4)
    fewer = json.loads(invoke("capacity", str(ROOT / path), "--agents", "phone=15",
                              "-f", "json").stdout)
    phone15 = next(c for c in fewer["channels"] if c["channel"] == "phone")
    assert phone15["service_level"] < phone["service_level"]
    assert phone15["abandon_rate"] > phone["abandon_rate"]


@pytest.mark.parametrize("bad", ["email=3", "phone", "phone=-1", "fone=3", "phone=lots"])
def test_reverse_question_refuses_bad_rosters(bad):
    result = invoke("capacity", str(ROOT / "profiles/northwind-bank.yaml"), "--agents", bad)
    assert result.exit_code == 2
    assert "--agents" in result.stderr and "Traceback" not in result.output


def test_unknown_model_is_a_usage_error():
    result = invoke("capacity", str(ROOT / "profiles/northwind-bank.yaml"), "--model", "erlang-b")
    assert result.exit_code == 2 and "erlang-a or erlang-c" in result.stderr


def test_capacity_json_matches_its_committed_schema():
    import jsonschema

    schema = json.loads((ROOT / "schema" / "capacity.schema.json").read_text())
    for path in sorted((ROOT / "profiles").glob("*.yaml")):
        result = invoke("capacity", str(path), "-f", "json")
        doc = json.loads(result.stdout)
        assert doc["schema"] == "channelplan/capacity@2"
        jsonschema.validate(doc, schema)
        totals = doc["totals"]
        assert totals["fte_required"] == math.ceil(totals["fte"] - 1e-6)


def test_chat_concurrency_uses_capacity_factors_not_division():
    # 120 chats an hour, 600 s, 80% in 60 s: 1/2/3/4 concurrent chats need 24/15/11/9 agents
    # (Erlang C with Call Centre Helper's capacity factors), not 24/12/8/6.
    from channelplan.sizing import capacity_factor

    needed = [agents_needed(120, 600 / capacity_factor(c), 60, 0.8) for c in (1, 2, 3, 4)]
    assert needed == [24, 15, 11, 9]


def _imports(path: Path, package: str) -> set[str]:
    """Every module of ``package`` that ``path`` imports at run time, inside functions too
    (imports under ``if TYPE_CHECKING:`` never run and do not count)."""
    tree = ast.parse(path.read_text())
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(n) for child in node.body for n in ast.walk(child))
    found = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.startswith(package):
                found.add(node.module)
                for alias in node.names:
                    found.add(f"{node.module}.{alias.name}")
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith(package))
    return found


def test_no_import_cycle_in_the_package_counting_imports_inside_functions():
    root = ROOT / "channelplan"
    modules = {}
    for path in root.rglob("*.py"):
        name = ".".join(("channelplan",) + path.relative_to(root).with_suffix("").parts)
        name = name.removesuffix(".__init__")
        modules[name] = path
    def edges(name: str, path: Path) -> set[str]:
        found = _imports(path, "channelplan")
        # `from channelplan import scoring` imports the submodule, not the package's names
        direct = {m for m in found if m != "channelplan" or not any(
            f.startswith("channelplan.") and f.count(".") == 1 and f in modules for f in found)}
        return {m for m in direct if m in modules and m != name}

    graph = {name: edges(name, path) for name, path in modules.items()}
    # a package's __init__ re-exporting lazily is not a dependency of its parts
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt):] + [nxt]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name)


def test_sizing_sits_below_the_scorer_and_plans_above():
    sizing = _imports(ROOT / "channelplan" / "sizing.py", "channelplan")
    assert not any(m.startswith(("channelplan.scoring", "channelplan.rules", "channelplan.staffing"))
                   for m in sizing)
    rules = _imports(ROOT / "channelplan" / "rules.py", "channelplan")
    assert not any(m.startswith("channelplan.staffing") for m in rules)


def test_workload_beyond_what_the_models_size_is_a_located_error():
    text = (ROOT / "profiles" / "northwind-bank.yaml").read_text().replace(
        "contacts_per_month: 42000", "contacts_per_month: 90000000").replace(
        "handle_minutes: 9", "handle_minutes: 600")
    result = invoke("validate", "-", input=text)
    assert result.exit_code == 2
    assert "<stdin>:19:" in result.output and "erlangs" in result.output
    assert "Traceback" not in result.output


def test_the_largest_workload_accepted_is_sized_within_seconds():
    import subprocess
    import sys
    import time

    # just under the limit: every staffed channel with a day-long handle time, a 10x surge
    text = """version: 1
company: {name: Huge}
demand:
  contacts_per_month: 824000
  peak_factor: 10
  topics: [{name: A, share: 100%, urgency: seconds, complexity: high}]
channels:
  phone: {share: 20%, handle_minutes: 1440}
  live_chat: {share: 20%, handle_minutes: 1440, concurrency: 20}
  email: {share: 20%, handle_minutes: 1440}
  messaging: {share: 10%, handle_minutes: 1440}
  social_media: {share: 10%, handle_minutes: 1440}
  chatbot: {share: 10%}
  knowledge_base: {share: 10%}
"""
    for command in ("capacity", "recommend"):
        began = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "channelplan", command, "-", "-q"],
                              input=text.encode(), capture_output=True, timeout=60)
        assert done.returncode == 0, done.stderr
        assert time.perf_counter() - began < 5, command


def test_cost_per_contact_is_per_customer_contact_not_per_handover():
    """Self-service hands what it does not contain to a staffed channel, where it is sized
    again; the plan's cost per contact divides by the customers' own contacts."""
    from channelplan import capacity, parse_profile
    from conftest import SHOP

    profile = parse_profile(SHOP.read_text())
    plan = capacity(profile)
    handed = sum(c.handed_over for c in plan.channels)
    assert handed > 0
    volumes = sum(c.contacts_per_month for c in plan.channels)
    assert volumes - handed == pytest.approx(profile.demand.contacts_per_month, rel=1e-6)
    assert plan.totals()["cost_per_contact"] == pytest.approx(
        plan.monthly_cost / profile.demand.contacts_per_month, abs=0.01)
