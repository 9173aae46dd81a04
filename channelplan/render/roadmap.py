"""Rendering a roadmap: table, Markdown (Mermaid gantt beside a plain table), JSON."""

from __future__ import annotations

from typing import Any

from channelplan.render import to_json
from channelplan.render.common import md_table, rich_to_text, text
from channelplan.textsafe import md, mermaid
from channelplan.transition import Retirement, Roadmap
from channelplan.units import money


def _money(plan: Roadmap, amount: float) -> str:
    return money(amount, plan.profile.company.currency)


def table(plan: Roadmap, *, no_color: bool = False, width: int | None = None,
          terminal: bool | None = None, **_: Any) -> str:
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
                console.print(text("Nothing to retire: every channel offered today is kept."))
            return
        for r in plan.retirements:
            console.print(text(""))
            console.print(text(f"Retire {r.name} ({r.share * 100:.0f}% of contacts): sunset "
                               f"{r.sunset_date.isoformat()}, {r.notice_days} days' notice", "bold red"))
            console.print(text("Why: " + r.reason))
            console.print(text("Alternatives: " + ", ".join(
                f"{a.channel} {a.share * 100:.0f}%" + (" (new)" if a.new else "")
                for a in r.alternatives)))
            console.print(text("Notice: " + "; ".join(r.notice_reasons), "dim"))
            grid = Table(header_style="bold")
            for name in ("Phase", "Start", "End", "Tasks", "Migrated", "Staff", "Cost/month"):
                grid.add_column(name, justify="left" if name in ("Phase",) else "right")
            for p in r.phases:
                grid.add_row(text(p.name), text(p.start.isoformat()), text(p.end.isoformat()),
                             text(len(p.tasks)), text(f"{p.migrated * 100:.0f}%"),
                             text(f"{p.staff_required:g}"), text(_money(plan, p.monthly_cost)))
            console.print(grid)
            peak = r.peak
            console.print(text(f"Peak while old and new run side by side: {peak.name}, "
                               f"{peak.staff_required:g} staff, {_money(plan, peak.monthly_cost)} a "
                               f"month (before: {r.baseline_staff:g} staff, "
                               f"{_money(plan, r.baseline_cost)})", "dim"))
            for warning in r.warnings:
                console.print(text("Note: " + warning, "yellow"))

    return rich_to_text(draw, no_color=no_color, width=width, terminal=terminal)


def gantt(r: Retirement) -> str:
    lines = ["```mermaid", "gantt", f"    title Retire {mermaid(r.name)}", "    dateFormat YYYY-MM-DD",
             "    axisFormat %Y-%m-%d", f"    section {mermaid(r.name)}"]
    for p in r.phases:
        lines.append(f"    {mermaid(p.name)} :{r.channel}_{p.key}, {p.start.isoformat()}, "
                     f"{p.end.isoformat()}")
    lines.append(f"    Close {mermaid(r.name)} :milestone, {r.channel}_close, "
                 f"{r.sunset_date.isoformat()}, 0d")
    lines.append("```")
    return "\n".join(lines) + "\n"


def retirement_markdown(plan: Roadmap, r: Retirement, heading: str = "##") -> str:
    out = [f"{heading} Retire {md(r.name)}\n",
           f"- **Why:** {md(r.reason)}",
           f"- **Today:** {r.share * 100:.0f}% of contacts ({r.contacts_per_month:,.0f} a month)",
           "- **Alternatives:** " + ", ".join(
               f"{md(a.channel)} {a.share * 100:.0f}%" + (" (new)" if a.new else "")
               for a in r.alternatives),
           f"- **Notice:** {r.notice_days} days, announced {r.announce_date.isoformat()}, sunset "
           f"**{r.sunset_date.isoformat()}** ({md('; '.join(r.notice_reasons))})",
           f"- **Capacity:** before {r.baseline_staff:g} staff and {_money(plan, r.baseline_cost)} a "
           f"month; peak ({md(r.peak.name)}) {r.peak.staff_required:g} staff and "
           f"{_money(plan, r.peak.monthly_cost)}; after {r.phases[-1].staff_required:g} staff and "
           f"{_money(plan, r.phases[-1].monthly_cost)}", ""]
    out.append(gantt(r))
    out.append(md_table(["Phase", "Start", "End", "Purpose", "Tasks", "Migrated", "Staff", "Cost/month"],
                        [[p.name, p.start.isoformat(), p.end.isoformat(), p.purpose, len(p.tasks),
                          f"{p.migrated * 100:.0f}%", f"{p.staff_required:g}",
                          _money(plan, p.monthly_cost)] for p in r.phases],
                        ["l", "l", "l", "l", "r", "r", "r", "r"]))
    out.append("")
    out.append(md_table(["Task", "Phase", "Owner", "Due"],
                        [[t.title, t.phase, t.owner, t.due.isoformat()] for t in r.tasks]))
    for warning in r.warnings:
        out.append(f"\n> Note: {md(warning)}")
    return "\n".join(out) + "\n"


def blocked_markdown(plan: Roadmap) -> str:
    out = "".join(f"> Note: {md(w)}\n\n" for w in plan.warnings)
    if not plan.blocked:
        return out
    return out + ("**Not planned** (retiring would leave customers without a suitable channel):\n\n"
                  + "\n".join(f"- {md(b.reason)}" for b in plan.blocked) + "\n\n")


def markdown_body(plan: Roadmap, heading: str = "##") -> str:
    out = blocked_markdown(plan)
    if not plan.retirements:
        return out + ("" if plan.blocked else "Nothing to retire: every channel offered today is kept.\n")
    return out + "\n".join(retirement_markdown(plan, r, heading) for r in plan.retirements)


def markdown(plan: Roadmap, **_: Any) -> str:
    head = (f"# {md(plan.profile.company.name)}: transition roadmap\n\n"
            f"Day 0: {plan.start.isoformat()}. Kept and added channels: "
            f"{md(', '.join(plan.kept))}.\n\n")
    return head + markdown_body(plan)


def json_(plan: Roadmap, **_: Any) -> str:
    return to_json(plan.to_dict())


RENDERERS = {"table": table, "markdown": markdown, "json": json_}
