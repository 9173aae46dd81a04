"""The full report: one document a support director can forward, as Markdown or HTML.

Everything shown is computed once by :func:`channelplan.plan.build_plan`; this module only
lays it out. The Markdown is valid CommonMark with GitHub tables and Mermaid charts; the
HTML is the same document as one self-contained page with the charts drawn as inline SVG
(see :mod:`channelplan.render.html`). Every piece of profile text is escaped, and every
chart stands beside a plain table with the same numbers.
"""

from __future__ import annotations

from collections.abc import Callable

from channelplan.catalogue import catalogue
from channelplan.checklist import checklist_markdown
from channelplan.plan import Plan
from channelplan.render import Renderer, RenderOptions
from channelplan.render.capacity import markdown_body as capacity_body
from channelplan.render.common import md_table
from channelplan.render.recommendation import markdown_body as recommendation_body
from channelplan.render.roadmap import blocked_markdown, gantt, programme_markdown, retirement_markdown
from channelplan.render.rules import markdown_records
from channelplan.textsafe import md, md_code, mermaid
from channelplan.units import full_time, money

ACTIONS = (("keep", "keep"), ("improve", "keep and improve"), ("add", "add"),
           ("retire", "retire"))

Chart = Callable[[str, Plan], str]
"""Draws the chart named ``gantt`` or ``fit`` for a plan, as text for the document."""


def _names(ids: list[str]) -> str:
    return ", ".join(catalogue()[c].name for c in ids)


def _decision(plan: Plan) -> str:
    by_action: dict[str, list[str]] = {}
    for v in plan.recommendation.channels:
        by_action.setdefault(v.action, []).append(v.name)
    parts = [f"{verb} {', '.join(by_action[action])}" for action, verb in ACTIONS
             if by_action.get(action)]
    return "; ".join(parts) or "no change"


def _change(amount: float, prefix: str = "") -> str:
    if abs(amount) < 0.5:
        return "no change"
    return f"{prefix}{abs(amount):,.0f} {'more' if amount > 0 else 'less'}"


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


def _net(plan: Plan) -> list[str]:
    net = plan.net
    currency = net.currency
    cost = (f"{md(money(net.monthly_cost_today, currency))} → "
            f"{md(money(net.monthly_cost_after, currency))} a month "
            f"({md(_change(net.cost_change, currency + ' '))})")
    staff = (f"{net.staff_today:g} → {net.staff_after:g} full-time people "
             f"({_change(net.staff_change)})")
    change = (f"{net.channels_today} → {_count(net.channels_after, 'channel')}; {cost}; {staff}")
    if not plan.roadmap.retirements:
        if net.channels_today and net.channels_after != net.channels_today:
            return [f"- **Net effect:** no channel closes; {net.channels_today} → "
                    f"{_count(net.channels_after, 'channel')}; {md(money(net.monthly_cost_today, currency))} "
                    f"a month and {full_time(net.staff_today)} today, before the added "
                    "channels are sized"]
        return [f"- **Net effect:** no channel closes; {change}"]
    moved = (f"{net.moved_share * 100:.0f}% of contacts ({net.moved_contacts:,.0f} a month) "
             f"move to another channel; about {net.lost_contacts:,.0f} a month are assumed "
             "never to arrive elsewhere")
    return [f"- **Net effect once the plan is complete:** {change}",
            f"- **Customers moved:** {moved}"]


def _summary(plan: Plan) -> str:
    road, today = plan.roadmap, plan.capacity
    currency = plan.profile.company.currency
    lines = [f"- **Decision:** {md(_decision(plan))}", *_net(plan)]
    programme = road.programme
    if programme is not None:
        lines.append(f"- **Timeline:** {len(road.retirements)} "
                     f"{'retirement' if len(road.retirements) == 1 else 'retirements'} from "
                     f"{programme.start.isoformat()}; the last channel closes on "
                     f"{max(r.sunset_date for r in road.retirements).isoformat()} and the plan "
                     f"ends on {programme.end.isoformat()}")
    for r in sorted(road.retirements, key=lambda r: r.sunset_date):
        lines.append(f"- **{md(r.name)} closes on {r.sunset_date.isoformat()}** after "
                     f"{r.notice_days} days' notice; its contacts move to "
                     f"{md(_names([a.channel for a in r.alternatives]))}")
    for b in road.blocked:
        lines.append(f"- **Not planned:** {md(b.reason)}")
    staff = (f"{full_time(today.fte_required)} for the staffed channels, "
             f"{today.agents_at_peak} on contacts at the busiest hour")
    if today.on_duty_available is not None:
        verdict = "within" if today.within_agents else "over"
        staff += (f" (the team of {today.agents_available:g} gives about "
                  f"{today.on_duty_available:.0f} at the busiest hour: {verdict} the team)")
    cost = f"{currency} {today.monthly_cost:,.0f} a month"
    if today.monthly_budget is not None:
        verdict = "within" if today.within_budget else "over"
        cost += f" ({verdict} the budget of {currency} {today.monthly_budget:,.0f})"
    who = ("The recommended channels need" if plan.capacity.basis == "recommended channels"
           else "Today's channels need")
    lines.append(f"- **{who}:** {md(staff)}; {md(cost)}")
    warnings = plan.warnings()
    if warnings:
        lines.append(f"- **Warnings:** {len(warnings)}, listed under *Warnings* at the end: "
                     + md(warnings[0]) + ("" if len(warnings) == 1 else "; ..."))
    return "\n".join(lines) + "\n"


def mermaid_chart(name: str, plan: Plan) -> str:
    """The Markdown report's charts: Mermaid, which GitHub and many editors draw."""
    if name == "gantt":
        return gantt(plan.roadmap)
    lines = ["```mermaid", "quadrantChart", "    title Customer fit against cost to serve",
             "    x-axis Low cost to serve --> High cost to serve",
             "    y-axis Poor customer fit --> Strong customer fit",
             "    quadrant-1 Strong fit, costly", "    quadrant-2 Strong fit, cheap",
             "    quadrant-3 Poor fit, cheap", "    quadrant-4 Poor fit, costly"]
    lines += [f"    {mermaid(p.number)}: [{p.cost}, {p.fit}]" for p in plan.chart]
    return "\n".join(lines + ["```"]) + "\n"


def _fit(plan: Plan, chart: Chart) -> str:
    currency = plan.profile.company.currency
    table = md_table(["#", "Channel", "Action", "Customer fit (0-1)", "Cost to serve (0-1)",
                      "Cost per contact"],
                     [[p.number, p.name, p.action, f"{p.fit:.2f}", f"{p.cost:.2f}",
                       f"{currency} {p.cost_per_contact:.2f}"] for p in plan.chart],
                     ["r", "l", "l", "r", "r", "r"])
    return ("Each channel is a numbered point; the table names them. Customer fit comes from "
            "the customer rules (age, urgency, sensitivity, complexity, digital readiness, "
            "effort); cost to serve is the cost per contact against the costliest channel's.\n\n"
            + chart("fit", plan) + "\n" + table)


def _assumptions(plan: Plan) -> str:
    if not plan.assumptions:
        return "None: every value comes from the profile.\n"
    return "\n".join(f"- {md(a.text)}" + (f" (`{md_code(a.setting)}`)" if a.setting else "")
                     for a in plan.assumptions) + "\n"


def report_markdown(plan: Plan, chart: Chart = mermaid_chart) -> str:
    """The report as Markdown; ``chart`` draws each chart in its place."""
    profile, result, road = plan.profile, plan.recommendation, plan.roadmap
    warnings = plan.warnings()
    parts = [
        f"# Support channel plan: {md(profile.company.name)}\n",
        f"Industry: {md(profile.company.industry or 'not given')}. Profile: "
        f"`{md_code(profile.source)}`. "
        f"{profile.demand.contacts_per_month:,.0f} contacts a month, "
        f"{len(profile.demand.topics)} topics, {len(profile.channels.offered())} channels offered today.\n",
        "## Summary\n", _summary(plan),
        "## Scores and reasons\n",
        "Each score is 50 plus the points of named rules (see *Rules and sources*).\n",
        recommendation_body(result, explain=False, net=False),
        "## Customer fit against cost to serve\n", _fit(plan, chart),
        "## Capacity and cost\n",
        "### Today\n", f"Basis: {md(plan.capacity.basis)}.\n", capacity_body(plan.capacity),
        *(["### After the transition\n",
           "Each retiring channel's contacts moved to its alternatives.\n",
           capacity_body(plan.after)] if plan.after is not None else []),
        "## Transition roadmap\n",
    ]
    if road.blocked:
        parts.append(blocked_markdown(road))
    if road.retirements:
        parts.append(programme_markdown(road, heading="###", chart=chart("gantt", plan)))
        parts += [retirement_markdown(road, r, heading="###", tasks=False) for r in road.retirements]
        parts += ["## Checklist\n",
                  "Every task of the transition, once, by retirement and phase. Track it in your "
                  "repository with `channelplan checklist PROFILE -o FILE`; ticks and notes "
                  "survive regeneration.\n",
                  checklist_markdown(road, level=2)]
    elif not road.blocked:
        parts.append(md(road.nothing_to_retire()) + "\n")
    parts += ["## Assumptions\n", _assumptions(plan),
              "## Rules and sources\n", markdown_records(plan.rules, heading="###"),
              "## Warnings\n",
              ("\n".join(f"- {md(w)}" for w in warnings) + "\n") if warnings else "None.\n"]
    return "\n".join(part.rstrip("\n") + "\n" for part in parts)


def markdown(plan: Plan, options: RenderOptions) -> str:
    return report_markdown(plan)


def html(plan: Plan, options: RenderOptions) -> str:
    from channelplan.render.html import page, placeholder
    from channelplan.render.svg import fit_chart, gantt_chart

    charts = {"gantt": gantt_chart(plan.roadmap), "fit": fit_chart(plan.chart)}
    body = report_markdown(plan, chart=lambda name, _plan: placeholder(name))
    return page(f"Support channel plan: {plan.profile.company.name}", body, charts)


RENDERERS = {"markdown": Renderer(markdown), "html": Renderer(html)}
