"""Rendering a capacity plan: table, Markdown, JSON, CSV."""

from __future__ import annotations

from typing import Any

from channelplan.render import to_json
from channelplan.render.common import csv_text, md_table, rich_to_text, text
from channelplan.staffing import CapacityPlan, ChannelCapacity
from channelplan.textsafe import md
from channelplan.units import duration_text, percent

HEADERS = ["Channel", "Model", "Contacts/month", "Peak/hour", "Handle min", "Target",
           "Agents", "Staff", "Service level", "Occupancy", "Cost/month", "Feasible"]


def _row(c: ChannelCapacity, currency: str) -> list[str]:
    change = ""
    if c.change is not None:
        change = f" ({c.change['staff_required']:+g})" if c.change["staff_required"] else ""
    return [
        c.channel, c.model, f"{c.contacts_per_month:,.0f}", f"{c.peak_hour_contacts:,.1f}",
        f"{c.handle_minutes:g}",
        f"{c.target_share * 100:.0f}% in {duration_text(c.target_seconds)}",
        f"{c.agents_required:g}", f"{c.staff_required:g}{change}",
        percent(c.service_level, 1), percent(c.occupancy),
        f"{currency} {c.monthly_cost:,.0f}" + (f" ({c.change['monthly_cost']:+,.0f})"
                                                if c.change and c.change["monthly_cost"] else ""),
        "yes" if c.feasible else "NO",
    ]


def _totals(plan: CapacityPlan) -> list[str]:
    lines = []
    staff = f"Assisted staff at the busiest hour: {plan.staff_required:g}"
    if plan.on_duty_available is not None:
        staff += (f" of about {plan.on_duty_available:.0f} on duty ({plan.agents_available:g} agents)"
                  f": {'within' if plan.within_agents else 'OVER'} the team")
    lines.append(staff)
    cost = f"Monthly cost: {plan.currency} {plan.monthly_cost:,.0f}"
    if plan.monthly_budget is not None:
        cost += (f" against a budget of {plan.currency} {plan.monthly_budget:,.0f}: "
                 f"{'within' if plan.within_budget else 'OVER'} budget")
    lines.append(cost)
    if plan.content_staff:
        lines.append(f"Content and moderation: {plan.content_staff:g} FTE")
    if plan.baseline is not None:
        lines.append(f"Change against the plan without the shift: staff "
                     f"{plan.staff_required - plan.baseline.staff_required:+g}, cost "
                     f"{plan.currency} {plan.monthly_cost - plan.baseline.monthly_cost:+,.0f} a month")
    return lines


MODEL_TEXT = {"erlang_c": "Erlang C", "backlog": "backlog", "deflection": "deflection"}


def table(plan: CapacityPlan, *, no_color: bool = False, width: int | None = None,
          terminal: bool | None = None, **_: Any) -> str:
    from rich import box
    from rich.table import Table

    def draw(console: Any) -> None:
        console.print(text(f"{plan.profile_name}: capacity and cost ({plan.basis})", "bold"))
        for shift in plan.shifts:
            console.print(text(f"What-if: {shift['share'] * 100:g}% of {shift['from']} moved to "
                               f"{shift['to']} ({shift['contacts_moved']:,.0f} contacts a month"
                               + (f", {shift['contacts_returned']:,.0f} come back unresolved"
                                  if shift["contacts_returned"] else "") + ")", "dim"))
        grid = Table(header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 0))
        columns = [("Channel", "left", 9), ("Model", "left", 8), ("Contacts", "right", 6),
                   ("Target", "left", 7), ("Agents", "right", 3), ("Staff", "right", 3),
                   ("SL", "right", 6), ("Occ.", "right", 4), (f"Cost {plan.currency}", "right", 7)]
        for name, justify, minimum in columns:
            grid.add_column(name, justify=justify, min_width=minimum)  # type: ignore[arg-type]
        for c in plan.channels:
            style = None if c.feasible else "red"
            row = [text(c.channel, style), text(MODEL_TEXT[c.model]),
                   text(f"{c.contacts_per_month:,.0f}"),
                   text(f"{c.target_share * 100:.0f}% in {duration_text(c.target_seconds)}"),
                   text(f"{c.agents_required:g}"), text(f"{c.staff_required:g}", style),
                   text(percent(c.service_level, 1)), text(percent(c.occupancy)),
                   text(f"{c.monthly_cost:,.0f}")]
            grid.add_row(*row)
        if plan.baseline is not None:
            console.print(grid)
            console.print(text("Change against the plan without the shift", "bold"))
            grid = Table(header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1))
            for name in ("Channel", "Contacts", "Staff", f"Cost {plan.currency}"):
                grid.add_column(name, justify="left" if name == "Channel" else "right")
            for c in plan.channels:
                change = c.change or {}
                grid.add_row(text(c.channel), text(f"{change.get('contacts_per_month', 0):+,.0f}"),
                             text(f"{change.get('staff_required', 0):+g}"),
                             text(f"{change.get('monthly_cost', 0):+,.0f}"))
        console.print(grid)
        for line in _totals(plan):
            console.print(text(line, "red" if "OVER" in line else None))
        for c in plan.channels:
            if not c.feasible:
                console.print(text(f"{c.channel}: {c.reason}", "red"))

    return rich_to_text(draw, no_color=no_color, width=width, terminal=terminal)


def markdown_body(plan: CapacityPlan) -> str:
    out = md_table(HEADERS, [_row(c, plan.currency) for c in plan.channels],
                   ["l", "l"] + ["r"] * 3 + ["l"] + ["r"] * 6)
    out += "\n" + "\n".join(f"- {md(line)}" for line in _totals(plan)) + "\n"
    notes = [f"- **{md(c.channel)}**: {md(c.reason)}" for c in plan.channels]
    return out + "\n" + "\n".join(notes) + "\n"


def markdown(plan: CapacityPlan, **_: Any) -> str:
    head = f"# {md(plan.profile_name)}: capacity and cost\n\nBasis: {md(plan.basis)}.\n\n"
    for shift in plan.shifts:
        head += (f"What-if: {shift['share'] * 100:g}% of {md(shift['from'])} moved to "
                 f"{md(shift['to'])}.\n\n")
    return head + markdown_body(plan)


def json_(plan: CapacityPlan, **_: Any) -> str:
    return to_json(plan.to_dict())


def csv_(plan: CapacityPlan, **_: Any) -> str:
    headers = ["channel", "model", "contacts_per_month", "peak_hour_contacts", "handle_minutes",
               "target_answer_within_seconds", "target_share", "agents_required",
               "staff_required", "service_level", "occupancy", "monthly_cost", "feasible",
               "reason"]
    rows = []
    for c in plan.channels:
        d = c.to_dict()
        rows.append([d["channel"], d["model"], d["contacts_per_month"], d["peak_hour_contacts"],
                     d["handle_minutes"], d["target"]["answer_within_seconds"],
                     d["target"]["share"], d["agents_required"], d["staff_required"],
                     "" if d["service_level"] is None else d["service_level"],
                     "" if d["occupancy"] is None else d["occupancy"], d["monthly_cost"],
                     str(d["feasible"]).lower(), d["reason"]])
    return csv_text(headers, rows)


RENDERERS = {"table": table, "markdown": markdown, "json": json_, "csv": csv_}

