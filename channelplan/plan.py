"""Everything a profile's report needs, built once: the decision, capacity today and after,
the roadmap, the net effect, the assumptions and the points of the fit-against-cost chart.

:func:`build_plan` serves ``channelplan report``; :func:`capacity_plan` and
:func:`roadmap_plan` build the parts ``channelplan capacity`` and ``channelplan roadmap``
show, the same way the report builds them. The renderers only lay this out; nothing here
formats Markdown or HTML. Text in :class:`Assumption` is plain: a renderer escapes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from channelplan.catalogue import CHANNEL_IDS, catalogue
from channelplan.model import DEFAULT_AGE_MIX, Profile
from channelplan.rules import Rule, rule_catalogue
from channelplan.scoring import Recommendation, recommend
from channelplan.staffing import CapacityPlan, channel_params, plan_for_volumes
from channelplan.transition import Roadmap, book, gate_values, roadmap
from channelplan.units import duration_text

# Rules that say how well a channel suits the customers (the rest weigh cost and capacity).
CUSTOMER_RULES = ("AGE-FIT", "URGENCY-FIT", "SENSITIVITY", "COMPLEXITY", "DIGITAL-READINESS", "EFFORT")
EDGE = (0.02, 0.98)


@dataclass(frozen=True)
class NetEffect:
    """Today against the operation once the plan is complete."""

    currency: str
    channels_today: int
    channels_after: int
    monthly_cost_today: float
    monthly_cost_after: float
    staff_today: float           # full-time people for the staffed channels, pooled
    staff_after: float
    moved_share: float           # share of today's contacts on channels that close
    moved_contacts: float        # contacts a month on channels that close
    lost_contacts: float         # of those, assumed never to arrive elsewhere

    @property
    def cost_change(self) -> float:
        return self.monthly_cost_after - self.monthly_cost_today

    @property
    def staff_change(self) -> float:
        return self.staff_after - self.staff_today


@dataclass(frozen=True)
class ChartPoint:
    """One channel on the fit-against-cost chart; ``number`` labels it on the chart."""

    number: int
    channel: str
    name: str
    action: str
    fit: float                   # 0 (poor) to 1 (strong customer fit)
    cost: float                  # 0 (cheapest) to 1 (costliest to serve)
    cost_per_contact: float


@dataclass(frozen=True)
class Assumption:
    """A value the profile did not give: ``text`` in words, ``setting`` the profile key that
    would change it (None when no single key does)."""

    text: str
    setting: str | None = None


@dataclass
class Plan:
    profile: Profile
    recommendation: Recommendation
    capacity: CapacityPlan
    after: CapacityPlan | None       # capacity once every retirement is complete
    roadmap: Roadmap
    net: NetEffect
    assumptions: list[Assumption]
    chart: list[ChartPoint]
    rules: list[Rule]                # the rules that scored a channel, in catalogue order

    def warnings(self) -> list[str]:
        """Every warning of the plan's parts, once each: the profile's and the
        recommendation's (with their line), the capacity plans', and the roadmap's
        (retirements not planned, the programme's, each retirement's)."""
        out: list[str] = []
        located = [*self.recommendation.warnings, *self.capacity.warnings,
                   *(self.after.warnings if self.after is not None else [])]
        for w in located:
            line = getattr(w, "line", None)
            out.append(f"line {line}: {w.message}" if line else str(getattr(w, "message", w)))
        road = self.roadmap
        out += [f"not planned: {b.reason}" for b in road.blocked]
        out += list(road.warnings)
        out += [f"{r.name}: {w}" for r in road.retirements for w in r.warnings]
        return list(dict.fromkeys(out))


def capacity_plan(profile: Profile, shifts: Mapping[tuple[str, str], float] | None = None,
                  *, model: str = "erlang-a", agents: Mapping[str, int] | None = None) -> CapacityPlan:
    """Capacity of the channels offered today (a greenfield profile: the recommended ones),
    after moving ``shifts`` of volume between channels; ``agents`` asks what a roster of a
    live queue achieves (the arguments checked as :func:`channelplan.api.capacity` does)."""
    from channelplan.api import capacity

    return capacity(profile, shifts or None, model=model, agents=agents or None)


def roadmap_plan(profile: Profile, start: dt.date | None = None,
                 retire: Sequence[str] | None = None,
                 weights: Mapping[str, float] | None = None) -> Roadmap:
    """The transition programme: the recommended retirements, or those in ``retire``,
    from ``start`` (else ``transition.start``, else today)."""
    return roadmap(profile, start, list(retire) if retire else None,
                   weights=dict(weights) if weights is not None else None)


def build_plan(profile: Profile, weights: Mapping[str, float] | None = None) -> Plan:
    """Recommendation, capacity, roadmap and what follows from them, each computed once."""
    chosen = dict(weights) if weights is not None else None
    result = recommend(profile, chosen)
    today = capacity_plan(profile)
    road = roadmap_plan(profile, weights=chosen)
    after = (plan_for_volumes(profile, road.volumes_after(), "after the transition")
             if road.retirements else None)
    return Plan(profile=profile, recommendation=result, capacity=today, after=after,
                roadmap=road, net=net_effect(result, today, road, after),
                assumptions=assumptions(profile), chart=chart_points(result),
                rules=rules_used(result))


def rules_used(result: Recommendation) -> list[Rule]:
    """The rules behind the scores (every one that gave a channel points)."""
    used = {c.rule for v in result.channels for c in v.contributions}
    return [rule for rid, rule in rule_catalogue().items() if rid in used]


def net_effect(result: Recommendation, today: CapacityPlan, road: Roadmap,
               after: CapacityPlan | None = None) -> NetEffect:
    """The decision's net effect: channels, monthly cost and full-time people today against
    the plan complete, and the share of contacts that must change channel (the decision
    core's).

    Today's figures are the capacity model's, which the decision core's equal. Where the
    plan retires channels, the end state is the transition's: the capacity of the chosen
    channels at the volumes the retirements leave them, net of the contacts that never
    arrive elsewhere (the report's "After the transition" figures); the decision core's own
    estimate moves every contact and is what `recommend` shows. Without retirements it is
    the decision core's exact sizing of the chosen set. The report reads only this object.
    """
    programme = road.programme
    offered = result.profile.channels.offered()
    net = result.net
    plan = net["plan"]
    return NetEffect(currency=result.profile.company.currency, channels_today=len(offered),
                     channels_after=len(plan["channels"]),
                     monthly_cost_today=today.monthly_cost if offered else 0.0,
                     monthly_cost_after=after.monthly_cost if after is not None
                     else plan["monthly_cost"],
                     staff_today=today.fte_required if offered else 0,
                     staff_after=after.fte_required if after is not None
                     else plan["staff_required"],
                     moved_share=net["customers_moved_share"],
                     moved_contacts=net["customers_moved_share"] * result.profile.demand.contacts_per_month,
                     lost_contacts=programme.lost_contacts if programme is not None else 0.0)


def _clamp(value: float) -> float:
    return round(min(EDGE[1], max(EDGE[0], value)), 3)


def chart_points(result: Recommendation) -> list[ChartPoint]:
    """Customer fit (0-1, from the customer rules' points) against cost to serve (0-1, the
    cost per contact over the costliest channel's) for every channel, numbered by rank."""
    profile = result.profile
    costs = {c: channel_params(profile, c).cost_per_contact for c in CHANNEL_IDS}
    top = max(costs.values()) or 1.0
    points = []
    for number, v in enumerate(result.channels, start=1):
        fit_points = sum(c.points for c in v.contributions if c.rule in CUSTOMER_RULES)
        possible = sum(abs(c.points / c.fit) for c in v.contributions
                       if c.rule in CUSTOMER_RULES and c.fit)
        fit = 0.5 + fit_points / (2 * possible) if possible else 0.5
        points.append(ChartPoint(number=number, channel=v.channel, name=v.name, action=v.action,
                                 fit=_clamp(fit), cost=_clamp(costs[v.channel] / top),
                                 cost_per_contact=costs[v.channel]))
    return points


SETTINGS = {
    "customers.digital_maturity": "Customers' comfort with digital self-service",
    "demand.hours": "Opening hours",
    "demand.peak_factor": "Busiest hour's volume over the average hour's",
    "constraints.shrinkage": "Share of paid time not spent on contacts (shrinkage)",
    "constraints.brand_risk_tolerance": "Tolerance for public complaints",
    "transition.min_notice_days": "Shortest notice",
    "transition.brownouts": "Brownouts before each sunset",
    "transition.hiring_lead_days": "Time to hire and train an agent",
}
POINT_GATES = {"repeat_contacts_increase", "rollback_satisfaction_drop"}
GATES = {
    "service_level_weeks": "Weeks on target before the announcement",
    "notice_reach": "Regular users told directly before the sunset",
    "volume_before_brownouts": "Volume left on a channel before its brownouts",
    "volume_before_sunset": "Volume left on a channel before its sunset",
    "repeat_contacts_increase": "Largest rise in repeat contacts on the alternatives",
    "complaints": "Most complaints about the change",
    "rollback_satisfaction_drop": "Fall in satisfaction that rolls the change back",
    "rollback_service_level_weeks": "Weeks below the service level that roll the change back",
}


def _value(setting: str, value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if setting.endswith("_days"):
        return f"{value} days"
    if setting == "constraints.shrinkage":
        return f"{value * 100:.0f}%"
    if setting == "demand.peak_factor":
        return f"{value:g}x"
    return str(value)


def _channel_defaults(profile: Profile, cid: str) -> Assumption | None:
    params = channel_params(profile, cid)
    if not params.defaults_used:
        return None
    currency = profile.company.currency
    words = {"cost_per_contact": f"cost per contact {currency} {params.cost_per_contact:,.2f}",
             "handle_minutes": f"handle time {duration_text(params.handle_minutes * 60)}",
             "resolution_rate": f"resolved at the first contact {params.resolution_rate * 100:.0f}%",
             "target.answer_within": f"answer within {duration_text(params.target_seconds)}",
             "target.share": f"share answered in time {params.target_share * 100:.0f}%",
             "concurrency": f"conversations at once per agent {params.concurrency:g}",
             "patience": ("customers wait about "
                          f"{duration_text(params.patience_seconds or 0.0)} before giving up")}
    return Assumption(f"{catalogue()[cid].name}: catalogue defaults for "
                      + ", ".join(words[name] for name in params.defaults_used),
                      f"channels.{cid}")


def assumptions(profile: Profile) -> list[Assumption]:
    """Every default the profile relied on, in words."""
    out = []

    def unset(model: Any, name: str) -> bool:
        return name not in model.model_fields_set

    if profile.customers.age_mix is None:
        out.append(Assumption("Age mix: " + ", ".join(
            f"{k.replace('_', ' ')} {v * 100:.0f}%" for k, v in DEFAULT_AGE_MIX.items())
            + " (default)", "customers.age_mix"))
    if profile.customers.active is None:
        out.append(Assumption(f"Active customers: {profile.active_customers:,} (default: "
                              "contacts per month)", "customers.active"))
    for setting, label in SETTINGS.items():
        section, name = setting.split(".")
        model = getattr(profile, section)
        if unset(model, name):
            out.append(Assumption(f"{label}: {_value(setting, getattr(model, name))} (default)",
                                  setting))
    if profile.constraints.monthly_budget is None:
        out.append(Assumption("No monthly budget given: cost is judged against an $8.01 "
                              "assisted contact", "constraints.monthly_budget"))
    if profile.constraints.agents is None:
        out.append(Assumption("No agent limit given: staffing never constrains the plan",
                              "constraints.agents"))
    for name, gate in gate_values(profile).items():
        if not gate["from_profile"]:
            value = gate["value"]
            # a change of a rate (repeat contacts, satisfaction) is in percentage points,
            # as the gates themselves say
            shown = (f"{value * 100:g} points" if name in POINT_GATES else
                     f"{value * 100:g}%" if isinstance(value, float) else f"{value}")
            out.append(Assumption(f"{GATES.get(name, name.replace('_', ' ').capitalize())}: "
                                  f"{shown} (default; {gate['source']})",
                                  f"transition.gates.{name}"))
    if profile.transition.start is None:
        out.append(Assumption("No start date given: the roadmap starts today", "transition.start"))
    data = book()
    out.append(Assumption("Share of a retiring channel's contacts moved by each phase: " + ", ".join(
        f"{k} {v * 100:.0f}%" for k, v in data["migration"].items()) + f" ({data['migration_source']})"))
    out.append(Assumption("Share of a retiring channel's contacts that never arrive elsewhere: "
                          + ", ".join(f"{v['name']} {v['never_arrive'] * 100:.0f}%"
                                      for v in data["kinds"].values())
                          + " (channelplan assumption)"))
    if profile.company.currency != "USD":
        out.append(Assumption(f"Catalogue costs (from USD sources) are read as "
                              f"{profile.company.currency}", "company.currency"))
    unset_priorities = [p for p in ("cost", "speed", "effort", "satisfaction", "reach")
                        if unset(profile.priorities, p)]
    if unset_priorities:
        out.append(Assumption("Priorities at the default 3: " + ", ".join(unset_priorities),
                              "priorities"))
    for topic in profile.demand.topics:
        defaults = [n for n in ("complexity", "sensitivity") if unset(topic, n)]
        if defaults:
            out.append(Assumption(f"Topic '{topic.name}': " + ", ".join(
                f"{n} {getattr(topic, n)}" for n in defaults) + " (default)"))
    for cid in profile.channels.offered():
        line = _channel_defaults(profile, cid)
        if line is not None:
            out.append(line)
    return out
