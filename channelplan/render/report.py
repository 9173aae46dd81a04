"""The full Markdown report: one document a support lead can forward.

Valid CommonMark with GitHub tables; every piece of profile text is escaped, and every
Mermaid chart stands beside a plain table with the same numbers.
"""

from __future__ import annotations

from typing import Any

from channelplan.catalogue import CHANNEL_IDS
from channelplan.checklist import checklist_markdown
from channelplan.model import DEFAULT_AGE_MIX, Profile
from channelplan.render.capacity import markdown_body as capacity_body
from channelplan.render.common import md_table
from channelplan.render.recommendation import markdown_body as recommendation_body
from channelplan.render.roadmap import blocked_markdown, programme_markdown, retirement_markdown
from channelplan.render.rules import markdown_records
from channelplan.rules import rule_catalogue
from channelplan.scoring import Recommendation
from channelplan.staffing import CapacityPlan, channel_params
from channelplan.textsafe import md, md_code, mermaid
from channelplan.transition import Roadmap, book, gate_values

CUSTOMER_RULES = ("AGE-FIT", "URGENCY-FIT", "SENSITIVITY", "COMPLEXITY", "DIGITAL-READINESS", "EFFORT")
EDGE = (0.02, 0.98)


def _clamp(value: float) -> float:
    return round(min(EDGE[1], max(EDGE[0], value)), 3)


def quadrant_points(result: Recommendation) -> list[dict[str, Any]]:
    """Customer fit (0-1) against cost to serve (0-1) for every channel."""
    profile = result.profile
    costs = {c: channel_params(profile, c).cost_per_contact for c in CHANNEL_IDS}
    top = max(costs.values()) or 1.0
    points = []
    for v in result.channels:
        fit_points = sum(c.points for c in v.contributions if c.rule in CUSTOMER_RULES)
        possible = sum(abs(c.points / c.fit) for c in v.contributions
                       if c.rule in CUSTOMER_RULES and c.fit) or 1.0
        fit = 0.5 + fit_points / (2 * possible) if possible else 0.5
        points.append({"channel": v.channel, "name": v.name, "action": v.action,
                       "fit": _clamp(fit), "cost": _clamp(costs[v.channel] / top),
                       "cost_per_contact": costs[v.channel]})
    return points


def _quadrant(result: Recommendation) -> str:
    points = quadrant_points(result)
    lines = ["```mermaid", "quadrantChart", "    title Customer fit against cost to serve",
             "    x-axis Low cost to serve --> High cost to serve",
             "    y-axis Poor customer fit --> Strong customer fit",
             "    quadrant-1 Strong fit, costly", "    quadrant-2 Strong fit, cheap",
             "    quadrant-3 Poor fit, cheap", "    quadrant-4 Poor fit, costly"]
    for p in points:
        lines.append(f"    {mermaid(p['name'])}: [{p['cost']}, {p['fit']}]")
    lines.append("```")
    currency = result.profile.company.currency
    table = md_table(["Channel", "Action", "Customer fit (0-1)", "Cost to serve (0-1)", "Cost per contact"],
                     [[p["name"], p["action"], f"{p['fit']:.2f}", f"{p['cost']:.2f}",
                       f"{currency} {p['cost_per_contact']:.2f}"] for p in points],
                     ["l", "l", "r", "r", "r"])
    return "\n".join(lines) + "\n\n" + table


def assumptions(profile: Profile) -> list[str]:
    """Every default the profile relied on, in words."""
    out = []

    def unset(model: Any, name: str) -> bool:
        return name not in model.model_fields_set

    if profile.customers.age_mix is None:
        out.append("Age mix: " + ", ".join(f"{k.replace('_', ' ')} {v * 100:.0f}%"
                                           for k, v in DEFAULT_AGE_MIX.items()) + " (default)")
    if profile.customers.active is None:
        out.append(f"Active customers: {profile.active_customers:,} (default: contacts per month)")
    for section, names in (("customers", ["digital_maturity"]),
                           ("demand", ["hours", "peak_factor"]),
                           ("constraints", ["shrinkage", "brand_risk_tolerance"]),
                           ("transition", ["min_notice_days", "brownouts", "hiring_lead_days"])):
        model = getattr(profile, section)
        for name in names:
            if unset(model, name):
                out.append(f"{section}.{name}: {getattr(model, name)} (default)")
    if profile.constraints.monthly_budget is None:
        out.append("No monthly budget given: cost is judged against an $8.01 assisted contact")
    if profile.constraints.agents is None:
        out.append("No agent limit given: staffing never constrains the plan")
    for name, gate in gate_values(profile).items():
        if not gate["from_profile"]:
            value = gate["value"]
            shown = f"{value * 100:g}%" if isinstance(value, float) else f"{value}"
            out.append(f"transition.gates.{name}: {shown} (default; {gate['source']})")
    if profile.transition.start is None:
        out.append("transition.start not given: the roadmap starts today")
    data = book()
    out.append("Share of a retiring channel's contacts moved by each phase: " + ", ".join(
        f"{k} {v * 100:.0f}%" for k, v in data["migration"].items()) + f" ({data['migration_source']})")
    out.append("Share of a retiring channel's contacts that never arrive elsewhere: " + ", ".join(
        f"{v['name']} {v['never_arrive'] * 100:.0f}%" for v in data["kinds"].values())
        + " (channelplan assumption)")
    if profile.company.currency != "USD":
        out.append(f"Catalogue costs (from USD sources) are read as {profile.company.currency}")
    unset_priorities = [p for p in ("cost", "speed", "effort", "satisfaction", "reach")
                        if unset(profile.priorities, p)]
    if unset_priorities:
        out.append("Priorities at the default 3: " + ", ".join(unset_priorities))
    for topic in profile.demand.topics:
        defaults = [n for n in ("complexity", "sensitivity") if unset(topic, n)]
        if defaults:
            out.append(f"Topic {md(topic.name)}: " + ", ".join(
                f"{n} {getattr(topic, n)}" for n in defaults) + " (default)")
    for cid in profile.channels.offered():
        params = channel_params(profile, cid)
        if params.defaults_used:
            values = {"cost_per_contact": params.cost_per_contact, "handle_minutes": params.handle_minutes,
                      "resolution_rate": params.resolution_rate,
                      "target.answer_within": params.target_seconds,
                      "target.share": params.target_share, "concurrency": params.concurrency,
                      "patience": params.patience_seconds or 0.0}
            out.append(f"{cid}: catalogue defaults for " + ", ".join(
                f"{name} {values[name]:g}" for name in params.defaults_used))
    return out


def _summary(result: Recommendation, plan: CapacityPlan, road: Roadmap) -> str:
    by_action: dict[str, list[str]] = {}
    for v in result.channels:
        by_action.setdefault(v.action, []).append(v.name)
    lines = []
    for action, verb in (("keep", "Keep"), ("improve", "Keep and improve"), ("add", "Add"),
                         ("retire", "Retire"), ("skip", "Do not add")):
        if by_action.get(action):
            lines.append(f"- **{verb}:** {md(', '.join(by_action[action]))}")
    currency = result.profile.company.currency
    staff = (f"{plan.fte_required} full-time people for the staffed channels, "
             f"{plan.agents_at_peak} on contacts at the busiest hour")
    if plan.on_duty_available is not None:
        verdict = "within" if plan.within_agents else "over"
        staff += (f" (the team of {plan.agents_available:g} gives about "
                  f"{plan.on_duty_available:.0f} at the busiest hour: {verdict} the team)")
    cost = f"{currency} {plan.monthly_cost:,.0f} a month"
    if plan.monthly_budget is not None:
        verdict = "within" if plan.within_budget else "over"
        cost += f" ({verdict} the budget of {currency} {plan.monthly_budget:,.0f})"
    lines.append(f"- **Today's channels need:** {md(staff)}; {md(cost)}")
    for r in road.retirements:
        lines.append(f"- **{md(r.name)} closes on {r.sunset_date.isoformat()}** after {r.notice_days} "
                     f"days' notice; its contacts move to {md(', '.join(a.channel for a in r.alternatives))}")
    for b in road.blocked:
        lines.append(f"- **Not planned:** {md(b.reason)}")
    if not road.retirements and not road.blocked:
        lines.append("- Nothing to retire: every channel offered today is kept.")
    elif road.retirements:
        after = _after(road)
        text = (f"{after.fte_required} full-time people for the staffed channels, "
                f"{after.agents_at_peak} at the busiest hour; "
                f"{currency} {after.monthly_cost:,.0f} a month")
        lines.append(f"- **After the transition:** {md(text)} (see *Capacity and cost*)")
    return "\n".join(lines) + "\n"


def _after(road: Roadmap) -> CapacityPlan:
    from channelplan.staffing import plan_for_volumes

    return plan_for_volumes(road.profile, road.volumes_after(), "after the transition")


def report_markdown(result: Recommendation, plan: CapacityPlan, road: Roadmap) -> str:
    profile = result.profile
    used = sorted({c.rule for v in result.channels for c in v.contributions if c.rule != "BASELINE"})
    rules = [r for rid, r in rule_catalogue().items() if rid in used]
    parts = [
        f"# Support channel plan: {md(profile.company.name)}\n",
        f"Industry: {md(profile.company.industry or 'not given')}. Profile: "
        f"`{md_code(profile.source)}`. "
        f"{profile.demand.contacts_per_month:,.0f} contacts a month, "
        f"{len(profile.demand.topics)} topics, {len(profile.channels.offered())} channels offered today.\n",
        "## Summary\n", _summary(result, plan, road),
        "## Scores and reasons\n",
        "Each score is 50 plus the points of named rules (see *Rules and sources*).\n",
        recommendation_body(result, explain=False),
        "## Customer fit against cost to serve\n", _quadrant(result),
        "## Capacity and cost\n",
        "### Today\n", f"Basis: {md(plan.basis)}.\n", capacity_body(plan),
        *(["### After the transition\n",
           "Each retiring channel's contacts moved to its alternatives.\n",
           capacity_body(_after(road))] if road.retirements else []),
        "## Transition roadmap\n",
    ]
    if road.blocked:
        parts.append(blocked_markdown(road))
    if road.retirements:
        parts.append(programme_markdown(road, heading="###"))
        parts += [retirement_markdown(road, r, heading="###") for r in road.retirements]
        parts += ["## Checklist\n",
                  "Track it in your repository with `channelplan checklist PROFILE -o FILE`; "
                  "ticks and notes survive regeneration.\n",
                  checklist_markdown(road, level=2)]
    elif not road.blocked:
        parts.append("Nothing to retire: every channel offered today is kept.\n")
    parts += ["## Assumptions\n",
              "\n".join(f"- {line if line.startswith('Topic ') else md(line)}"
                        for line in assumptions(profile)) + "\n"
              if assumptions(profile) else "None: every value comes from the profile.\n",
              "## Rules and sources\n", markdown_records(rules, heading="###"),
              "## Warnings\n",
              ("\n".join(f"- line {w.line}: {md(w.message)}" for w in result.warnings) + "\n")
              if result.warnings else "None.\n"]
    return "\n".join(part.rstrip("\n") + "\n" for part in parts)


def build_report(profile: Profile, weights: dict[str, float] | None = None) -> str:
    from channelplan.scoring import recommend
    from channelplan.staffing import capacity
    from channelplan.transition import roadmap

    result = recommend(profile, weights)
    return report_markdown(result, capacity(profile), roadmap(profile, weights=weights))


def markdown(profile: Profile, *, weights: dict[str, float] | None = None, **_: Any) -> str:
    return build_report(profile, weights)


RENDERERS = {"markdown": markdown}
