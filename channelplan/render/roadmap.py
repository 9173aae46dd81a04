"""Rendering a roadmap: table, Markdown (Mermaid gantt beside plain tables), JSON, iCalendar."""

from __future__ import annotations

import datetime as dt
from typing import Any

from channelplan.catalogue import catalogue
from channelplan.render import Renderer, RenderOptions, to_json
from channelplan.render.common import md_table, rich_to_text, text
from channelplan.render.ics import calendar
from channelplan.textsafe import md, mermaid
from channelplan.transition import Retirement, Roadmap
from channelplan.units import full_time, money


def _money(plan: Roadmap, amount: float) -> str:
    return money(amount, plan.profile.company.currency)


def _name(channel_id: str) -> str:
    return catalogue()[channel_id].name


def _alternatives(r: Retirement) -> str:
    return ", ".join(f"{_name(a.channel)} {a.share * 100:.0f}%" + (" (new)" if a.new else "")
                     for a in r.alternatives) or "none"


def table(plan: Roadmap, options: RenderOptions) -> str:
    from rich.table import Table

    def draw(console: Any) -> None:
        console.print(text(f"{plan.profile.company.name}: transition roadmap from "
                           f"{plan.start.isoformat()}", "bold"))
        for b in plan.blocked:
            console.print(text(f"Not planned: {b.reason}", "yellow"))
        for warning in plan.warnings:
            console.print(text(f"Note: {warning}", "yellow"))
        if not plan.retirements:
            if not plan.blocked:
                console.print(text(plan.nothing_to_retire()))
            return
        for r in plan.retirements:
            console.print(text(""))
            console.print(text(f"Retire {r.name} ({r.share * 100:.0f}% of contacts): sunset "
                               f"{r.sunset_date.isoformat()}, {r.notice_days} days' notice", "bold red"))
            console.print(text("Why: " + r.reason))
            console.print(text(f"Alternatives: {_alternatives(r)}; about "
                               f"{r.never_arrive * 100:.0f}% of its contacts never arrive elsewhere"))
            console.print(text("Notice: " + "; ".join(r.notice_reasons), "dim"))
            if r.hires:
                ready = r.hiring_ready.isoformat() if r.hiring_ready else "-"
                console.print(text(f"Hiring: {r.hire_people} more full-time "
                                   f"agent{'' if r.hire_people == 1 else 's'} ({r.hires:.1f} FTE), "
                                   f"hired and trained by {ready}, for the weeks old and new "
                                   "channels run side by side"))
            # Dates and numbers never wrap or crop; on a narrow terminal the table splits in
            # two (schedule, then staff and cost) and the words fold.
            wide = console.width >= 110
            parts = [("Phase", "Start", "End", "Tasks", "Moved", "Staff", "Cost/month", "Gate")] \
                if wide else [("Phase", "Start", "End", "Tasks", "Gate"),
                              ("Phase", "Moved", "Staff", "Cost/month")]
            for columns in parts:
                grid = Table(header_style="bold")
                for name in columns:
                    words = name in ("Phase", "Gate")
                    grid.add_column(name, justify="left" if words else "right",
                                    no_wrap=not words, overflow="fold")
                for p in r.phases:
                    cells = {"Phase": p.name, "Start": p.start.isoformat(), "End": p.end.isoformat(),
                             "Tasks": str(len(p.tasks)), "Moved": f"{p.migrated * 100:.0f}%",
                             "Staff": f"{p.staff_required:g}",
                             "Cost/month": _money(plan, p.monthly_cost), "Gate": p.gate.name}
                    grid.add_row(*[text(cells[c]) for c in columns])
                console.print(grid)
            for p in r.phases:
                console.print(text(f"Gate {p.gate.date.isoformat()} {p.gate.name}: "
                                   + "; ".join(p.gate.criteria), "dim"))
            for warning in r.warnings:
                console.print(text("Note: " + warning, "yellow"))
        programme = plan.programme
        if programme is None:
            return
        console.print(text(""))
        console.print(text("Programme: staff and cost month by month (all retirements together)",
                           "bold"))
        grid = Table(header_style="bold")
        for name in ("Month", "Staff", "Cost/month"):
            grid.add_column(name, justify="left" if name == "Month" else "right")
        for m in programme.months:
            grid.add_row(text(m.month), text(f"{m.staff_required:g}"), text(_money(plan, m.monthly_cost)))
        console.print(grid)
        console.print(text("End state: " + "; ".join(
            f"{c.name} {c.share * 100:.0f}%" for c in programme.end_state)
            + f" ({programme.end_staff:g} staff, {_money(plan, programme.end_cost)} a month)"))

    return rich_to_text(draw, no_color=options.no_color, width=options.width,
                        terminal=options.terminal)


def span(plan: Roadmap) -> tuple[dt.date, dt.date]:
    """The first and last day of the whole programme."""
    phases = [p for r in plan.retirements for p in r.phases]
    return min(p.start for p in phases), max(p.end for p in phases)


def gantt_axis(first: dt.date, last: dt.date) -> tuple[str, str]:
    """Mermaid's ``tickInterval`` and ``axisFormat`` for a chart from ``first`` to ``last``:
    weeks for a short programme, months for a year, quarters beyond, with short labels."""
    days = (last - first).days
    if days <= 120:
        return "1week", "%d %b"
    if days <= 550:
        return "1month", "%b %Y"
    return "3month", "%b %Y"


def gantt(plan: Roadmap) -> str:
    """One chart for the whole programme: a section per retiring channel, gates as milestones."""
    tick, axis = gantt_axis(*span(plan))
    lines = ["```mermaid", "gantt", f"    title {mermaid(plan.profile.company.name)}: transition programme",
             "    dateFormat YYYY-MM-DD", f"    axisFormat {axis}", f"    tickInterval {tick}"]
    for i, r in enumerate(plan.retirements, start=1):
        lines.append(f"    section {mermaid(r.name)}")
        for p in r.phases:
            lines.append(f"    {mermaid(p.name)} :r{i}{p.key}, {p.start.isoformat()}, {p.days}d")
        lines.append(f"    Close :milestone, r{i}close, {r.sunset_date.isoformat()}, 0d")
    lines.append("```")
    return "\n".join(lines) + "\n"


def retirement_markdown(plan: Roadmap, r: Retirement, heading: str = "##", *,
                        tasks: bool = True) -> str:
    """One retirement: facts, phases, gates and (unless ``tasks`` is False, as in a report
    that carries the checklist) its task table."""
    out = [f"{heading} Retire {md(r.name)}\n",
           f"- **Why:** {md(r.reason)}" + (" (locked with `decision: retire`)" if r.locked else ""),
           f"- **Today:** {r.share * 100:.0f}% of contacts ({r.contacts_per_month:,.0f} a month)",
           f"- **Alternatives:** {md(_alternatives(r))}; about {r.never_arrive * 100:.0f}% of its "
           "contacts are assumed never to arrive elsewhere",
           f"- **Notice:** {r.notice_days} days, announced {r.announce_date.isoformat()}, sunset "
           f"**{r.sunset_date.isoformat()}** ({md('; '.join(r.notice_reasons))})",
           f"- **Brownouts:** {md(r.brownouts)}",
           (f"- **Hiring:** {r.hire_people} more full-time agent{'' if r.hire_people == 1 else 's'} "
            f"({r.hires:.1f} FTE), hired and trained by "
            f"{r.hiring_ready.isoformat()}, for the weeks old and new channels run side by side; "
            "the announcement waits for them"
            if r.hires and r.hiring_ready else "- **Hiring:** none needed"),
           f"- **Capacity (whole operation):** before {r.baseline_staff:g} staff and "
           f"{_money(plan, r.baseline_cost)} a month; peak ({md(r.peak.name)}) "
           f"{r.peak.staff_required:g} staff and {_money(plan, r.peak.monthly_cost)}", ""]
    out.append(md_table(["Phase", "Start", "End", "Days", "Purpose", "Tasks", "Moved", "Staff",
                         "Cost/month"],
                        [[p.name, p.start.isoformat(), p.end.isoformat(), p.days, p.purpose,
                          len(p.tasks), f"{p.migrated * 100:.0f}%", f"{p.staff_required:g}",
                          _money(plan, p.monthly_cost)] for p in r.phases],
                        ["l", "l", "l", "r", "l", "r", "r", "r", "r"]))
    out.append("")
    out.append(md_table(["Gate", "Date", "Criteria", "Roll back if"],
                        [[p.gate.name, p.gate.date.isoformat(), "; ".join(p.gate.criteria),
                          "; ".join(p.gate.rollback) or "-"] for p in r.phases]))
    if tasks:
        out.append("")
        out.append(md_table(["Task", "Phase", "Owner", "Due"],
                            [[t.title, t.phase, t.owner, t.due.isoformat()]
                             for p in r.phases for t in p.tasks]))
    for warning in r.warnings:
        out.append(f"\n> Note: {md(warning)}")
    return "\n".join(out) + "\n"


def programme_markdown(plan: Roadmap, heading: str = "##", chart: str | None = None) -> str:
    """The programme: its Gantt chart (``chart`` in its place if given), end state and months."""
    programme = plan.programme
    if programme is None:
        return ""
    currency = plan.profile.company.currency
    out = [f"{heading} Programme: all retirements together\n",
           "Retirements are staggered, and each is sized with the others' moves. The migrated "
           "share per phase is an assumption ("
           + md(", ".join(f"{k} {v * 100:.0f}%" for k, v in plan.assumptions()
                          ["migrated_share_by_phase"].items()))
           + "); measure the real figure against the gates.\n",
           gantt(plan) if chart is None else chart,
           f"{heading}# End state\n",
           f"{full_time(programme.end_staff)} for the staffed channels and "
           f"{md(money(programme.end_cost, currency))} a month (today {programme.today_staff:g} and "
           f"{md(money(programme.today_cost, currency))}); about "
           f"{programme.lost_contacts:,.0f} contacts a month are assumed never to arrive "
           "elsewhere.\n",
           md_table(["Channel", "Share", "Contacts/month", "Staff", "Cost/month", "Topics"],
                    [[c.name + (" (new)" if c.new else ""), f"{c.share * 100:.0f}%",
                      f"{c.contacts_per_month:,.0f}",
                      f"{c.staff_required:g}" + (f" (+{c.blended:g} blended)" if c.blended else ""),
                      money(c.monthly_cost, currency),
                      "; ".join(f"{t['topic']} {t['share'] * 100:.0f}%" for t in c.topics)]
                     for c in programme.end_state], ["l", "r", "r", "r", "r", "l"]),
           f"{heading}# Month by month\n",
           "Staff and cost of the whole operation, measured mid-month; a retiring channel keeps "
           "its staff and cost until its sunset.\n",
           md_table(["Month", "Staff", "Cost/month", "Within the team", "Within budget"],
                    [[m.month, f"{m.staff_required:g}", money(m.monthly_cost, currency),
                      _yes(m.within_agents), _yes(m.within_budget)] for m in programme.months],
                    ["l", "r", "r", "l", "l"])]
    return "\n".join(out) + "\n"


def _yes(value: bool | None) -> str:
    return "-" if value is None else ("yes" if value else "no")


def blocked_markdown(plan: Roadmap) -> str:
    out = "".join(f"> Note: {md(w)}\n\n" for w in plan.warnings)
    if not plan.blocked:
        return out
    return out + ("**Not planned** (retiring would leave customers without a suitable channel):\n\n"
                  + "\n".join(f"- {md(b.reason)}" for b in plan.blocked) + "\n\n")


def markdown_body(plan: Roadmap, heading: str = "##") -> str:
    out = blocked_markdown(plan)
    if not plan.retirements:
        return out + ("" if plan.blocked else md(plan.nothing_to_retire()) + "\n")
    return (out + programme_markdown(plan, heading) + "\n"
            + "\n".join(retirement_markdown(plan, r, heading) for r in plan.retirements))


def markdown(plan: Roadmap, options: RenderOptions) -> str:
    head = (f"# {md(plan.profile.company.name)}: transition roadmap\n\n"
            f"Day 0: {plan.start.isoformat()}. Kept and added channels: "
            f"{md(', '.join(_name(c) for c in plan.kept))}.\n\n")
    return head + markdown_body(plan)


def json_(plan: Roadmap, options: RenderOptions) -> str:
    return to_json(plan.to_dict())


RENDERERS = {"table": Renderer(table), "markdown": Renderer(markdown), "json": Renderer(json_),
             "ics": Renderer(calendar)}
