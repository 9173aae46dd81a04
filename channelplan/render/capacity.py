"""Rendering a capacity plan: table, Markdown, JSON, CSV."""

from __future__ import annotations

from typing import Any

from channelplan.catalogue import catalogue
from channelplan.render import Renderer, RenderOptions, to_json
from channelplan.render.common import csv_text, md_settings, md_table, rich_to_text, text
from channelplan.staffing import CapacityPlan, ChannelCapacity
from channelplan.textsafe import md
from channelplan.units import duration_text, percent

MODEL_TEXT = {"erlang_a": "Erlang A", "erlang_c": "Erlang C", "backlog": "backlog",
              "containment": "contains"}


def _name(channel_id: str) -> str:
    return catalogue()[channel_id].name


def _agents(c: ChannelCapacity) -> str:
    if c.model == "containment":
        return "-"
    return f"{c.agents_required:,.0f}" if c.model.startswith("erlang") else f"{c.agents_required:,.1f}"


def _target(c: ChannelCapacity) -> str:
    if c.model == "containment":
        return "-"
    return f"{c.target_share * 100:.0f}% {duration_text(c.target_seconds)}"


def _service(c: ChannelCapacity) -> str:
    if c.model == "containment":
        return "-"
    if c.model == "backlog":
        return "on target"
    return percent(c.service_level, 1)


def _model(c: ChannelCapacity) -> str:
    if c.model == "containment":
        return f"contains {percent(c.resolution_rate)}"
    return MODEL_TEXT[c.model]


SERVICE_HEADERS = ["Channel", "Model", "Contacts/month", "Target", "Agents at peak", "FTE",
                   "Service level", "Abandon", "Occupancy"]
# Cost columns. Priced by the hour (constraints.agent_cost_per_hour): staff time, fixed cost
# and the fees of each contact. Priced per contact (no hourly rate): contacts x the fully
# loaded cost per contact, which includes the staff, so there is no separate staff column.
COST_HEADERS = ["Channel", "Staff", "Fixed", "Contact fees", "Cost/month", "Cost per contact",
                "Cost per resolved"]
PER_CONTACT_HEADERS = ["Channel", "Contacts x rate", "Fixed", "Cost/month", "Cost per contact",
                       "Cost per resolved"]
PER_CONTACT_COLUMNS = (0, 3, 2, 4, 5, 6)   # of _cost_row: name, per contact, fixed, totals


def _service_row(c: ChannelCapacity) -> list[str]:
    change = ""
    if c.change is not None and abs(c.change.get("fte", 0)) >= 0.005:
        change = f" ({c.change['fte']:+.1f})"
    fte = f"{c.fte:,.1f}"
    if c.blended_fte >= 0.05:
        fte = f"{c.fte:,.1f} (+{c.blended_fte:,.1f} blended)" if c.fte >= 0.05 else \
            f"{c.blended_fte:,.1f} blended"
    return [_name(c.channel), _model(c), f"{c.contacts_per_month:,.0f}", _target(c),
            _agents(c), f"{fte}{change}", _service(c), percent(c.abandon_rate, 1),
            percent(c.occupancy)]


def _cost_row(c: ChannelCapacity) -> list[str]:
    per_resolved = c.cost_per_resolved
    change = ""
    if c.change is not None and c.change.get("monthly_cost"):
        change = f" ({c.change['monthly_cost']:+,.0f})"
    return [_name(c.channel), f"{c.cost_parts['staff']:,.0f}", f"{c.cost_parts['fixed']:,.0f}",
            f"{c.cost_parts['per_contact']:,.0f}", f"{c.monthly_cost:,.0f}{change}",
            f"{c.cost_per_contact:,.2f}", "-" if per_resolved is None else f"{per_resolved:,.2f}"]


def _totals(plan: CapacityPlan) -> list[str]:
    lines = []
    shrink = f"{plan.shrinkage * 100:.0f}%"
    agents = f"{plan.agents_at_peak:,} agent{'' if plan.agents_at_peak == 1 else 's'}"
    people = f"{plan.fte_required:,} {'person' if plan.fte_required == 1 else 'people'}"
    staff = (f"Staffed channels, one pool: {agents} on contacts at the busiest "
             f"hour ({plan.staff_required:,} rostered after {shrink} shrinkage); {plan.fte:,.1f} FTE "
             f"over the month, {people} rounded once for the pool")
    lines.append(staff)
    if plan.supply is not None:
        team = f"{plan.supply.agents:g} agent{'' if plan.supply.agents == 1 else 's'}"
        verdict = f"{'within' if plan.within_agents else 'OVER'} the team"
        if plan.on_call:
            lines.append(f"Team: {team}, on duty or on call, can answer at the busiest hour: "
                         f"{verdict}")
        else:
            lines.append(f"Team: {team} give{'s' if plan.supply.agents == 1 else ''} about "
                         f"{plan.supply.peak_on_duty:.1f} on contacts at the busiest hour (peak "
                         f"allowance {plan.supply.peak_allowance:g}x the average hour): {verdict}")
    if plan.blended_fte >= 0.05:
        lines.append(f"Blended agents answer {plan.blended_fte:.1f} FTE of backlog work between live "
                     "contacts, within the occupancy cap")
    handed = sum(c.handed_over for c in plan.channels)
    if handed >= 0.5:
        lines.append(f"Volumes include {handed:,.0f} contacts a month that self-service hands to "
                     "the staffed channels (counted where they arrive and where they are answered)")
    if plan.content_staff:
        lines.append(f"Self-service content and moderation: {plan.content_staff:g} FTE, a fixed "
                     "effort per channel")
    live = [c for c in plan.channels if c.minimum_cover_fte]
    if live:
        lines.append("Live queues need at least one agent on duty through every open hour: "
                     + ", ".join(f"{catalogue()[c.channel].in_sentence} "
                                 f"{c.minimum_cover_fte:.1f} FTE of cover" for c in live))
    on_call = [c for c in live if c.on_call_share > 0]
    if on_call:
        lines.append("The team is too small to be on duty every open hour, so it covers the rest "
                     "on call (calls forwarded to a mobile, or callbacks): "
                     + ", ".join(f"{catalogue()[c.channel].in_sentence} {c.on_call_share:.0%} of "
                                 "open hours" for c in on_call))
    cost = f"Monthly cost: {plan.currency} {plan.monthly_cost:,.0f}"
    if plan.monthly_budget is not None:
        cost += (f" against a budget of {plan.currency} {plan.monthly_budget:,.0f}: "
                 f"{'within' if plan.within_budget else 'OVER'} budget")
    totals = plan.totals()
    if totals["cost_per_contact"] is not None:
        cost += f"; {plan.currency} {totals['cost_per_contact']:,.2f} a customer contact"
    if totals["cost_per_resolved"] is not None:
        cost += f", {plan.currency} {totals['cost_per_resolved']:,.2f} a resolved contact"
    lines.append(cost)
    lines.append("Costs: staff hours x agent_cost_per_hour + fixed + fees per contact"
                 if plan.priced_by_hour else
                 "Costs: contacts x cost per contact + fixed (give constraints.agent_cost_per_hour "
                 "to price staff time)")
    for c in plan.surges:
        s = c.surge or {}
        lines.append(f"Surge on {catalogue()[c.channel].in_sentence}: at {s['peak_factor']:g}x the average "
                     f"hour it would need {s['agents_required']:,} agents "
                     f"({s['extra_over_normal_peak']:+,d} over the normal peak); not rostered: "
                     + "; ".join(s["measures"]))
    if plan.baseline is not None:
        lines.append(f"Change against the plan without the shift: FTE "
                     f"{plan.fte - plan.baseline.fte:+.1f}, cost "
                     f"{plan.currency} {plan.monthly_cost - plan.baseline.monthly_cost:+,.0f} a month")
    return lines


def table(plan: CapacityPlan, options: RenderOptions) -> str:
    from rich import box
    from rich.table import Table

    def grid_for(headers: list[str], justify: str) -> Any:
        grid = Table(header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1))
        for i, (name, side) in enumerate(zip(headers, justify, strict=True)):
            # the channel's name wraps between words on a narrow terminal; numbers never do
            grid.add_column(name, justify="right" if side == "r" else "left",  # type: ignore[arg-type]
                            no_wrap=i > 0)
        return grid

    def draw(console: Any) -> None:
        wide = console.width >= 96
        console.print(text(f"{plan.profile_name}: capacity and cost ({plan.basis}, "
                           f"{'Erlang A' if plan.model == 'erlang-a' else 'Erlang C'})", "bold"))
        for shift in plan.shifts:
            console.print(text(f"What-if: {shift['share'] * 100:g}% of {_name(shift['from'])} moved to "
                               f"{_name(shift['to'])} ({shift['contacts_moved']:,.0f} contacts a month"
                               + (f", {shift['contacts_returned']:,.0f} come back unresolved"
                                  if shift["contacts_returned"] else "") + ")", "dim"))
        rows = {c.channel: _service_row(c) for c in plan.channels}
        # columns of _service_row: name, model, contacts, target, agents, fte, sl, abandon, occ
        Part = tuple[list[str], Any, str]
        parts: list[Part] = [(["Channel", "Model", "Contacts", "Target", "Agents", "FTE", "SL",
                               "Aband.", "Occ."], range(9), "llrlrrrrr")] if wide else [
            (["Channel", "Model", "Volume", "Agents", "FTE"], (0, 1, 2, 4, 5), "llrrr"),
            (["Channel", "Target", "SL", "Aband.", "Occ."], (0, 3, 6, 7, 8), "llrrr")]
        if not wide:   # narrow: short cells, the details in notes under the tables
            for c in plan.channels:
                row = rows[c.channel]
                row[1] = MODEL_TEXT[c.model]
                if c.blended_fte >= 0.05:
                    row[5] = f"{c.fte:,.1f}*"
                if c.model == "containment":
                    row[6] = f"{c.resolution_rate * 100:.0f}% kept"
        for headers, columns, justify in parts:
            grid = grid_for(headers, justify)
            for c in plan.channels:
                row = [_name(c.channel) if i == 0 else rows[c.channel][i] for i in columns]
                grid.add_row(*[text(v, None if c.feasible else "red") for v in row])
            console.print(grid)
        if not wide and any(c.blended_fte >= 0.05 for c in plan.channels):
            console.print(text("* its own FTE; blended agents also answer "
                               + ", ".join(f"{c.blended_fte:,.1f} FTE of {_name(c.channel)}"
                                           for c in plan.channels if c.blended_fte >= 0.05)
                               + " between live contacts (see the pool below)", "dim"))
        costs = {c.channel: _cost_row(c) for c in plan.channels}
        month = f"{plan.currency}/month"
        cost_parts: list[Part]
        if plan.priced_by_hour:
            cost_parts = [([month, "Staff", "Fixed", "Fees", "Total", "/contact", "/resolved"],
                           range(7), "lrrrrrr")] if console.width >= 80 else [
                ([month, "Total", "/contact", "/resolved"], (0, 4, 5, 6), "lrrr"),
                ([month, "Staff", "Fixed", "Fees"], (0, 1, 2, 3), "lrrr")]
        else:   # per contact: contacts x rate already holds the staff
            cost_parts = [([month, "Contacts x rate", "Fixed", "Total", "/contact",
                            "/resolved"], PER_CONTACT_COLUMNS, "lrrrrr")] \
                if console.width >= 80 else [
                ([month, "Total", "/contact", "/resolved"], (0, 4, 5, 6), "lrrr"),
                ([month, "Contacts x rate", "Fixed"], (0, 3, 2), "lrr")]
        for headers, columns, justify in cost_parts:
            grid = grid_for(headers, justify)
            for c in plan.channels:
                grid.add_row(*[text(_name(c.channel) if i == 0 else costs[c.channel][i])
                               for i in columns])
            console.print(grid)
        for line in _totals(plan):
            console.print(text(line, "red" if "OVER" in line else None))
        for c in plan.channels:
            if not c.feasible:
                console.print(text(f"{_name(c.channel)}: {c.reason}", "red"))

    return rich_to_text(draw, no_color=options.no_color, width=options.width,
                        terminal=options.terminal)


def markdown_body(plan: CapacityPlan) -> str:
    out = "**Service**\n\n" + md_table(SERVICE_HEADERS, [_service_row(c) for c in plan.channels],
                                       ["l", "l", "r", "l"] + ["r"] * 5)
    rows = [_cost_row(c) for c in plan.channels]
    if plan.priced_by_hour:
        cost = md_table(COST_HEADERS, rows, ["l"] + ["r"] * 6)
    else:
        cost = md_table(PER_CONTACT_HEADERS, [[row[i] for i in PER_CONTACT_COLUMNS] for row in rows],
                        ["l"] + ["r"] * 5)
    out += f"\n**Cost** ({md(plan.currency)} a month)\n\n" + cost
    out += "\n" + "\n".join(f"- {md_settings(line)}" for line in _totals(plan)) + "\n"
    notes = [f"- **{md(_name(c.channel))}**: {md(c.reason)}" for c in plan.channels]
    return out + "\n" + "\n".join(notes) + "\n"


def markdown(plan: CapacityPlan, options: RenderOptions) -> str:
    head = f"# {md(plan.profile_name)}: capacity and cost\n\nBasis: {md(plan.basis)}.\n\n"
    for shift in plan.shifts:
        head += (f"What-if: {shift['share'] * 100:g}% of {md(_name(shift['from']))} moved to "
                 f"{md(_name(shift['to']))}.\n\n")
    return head + markdown_body(plan)


def json_(plan: CapacityPlan, options: RenderOptions) -> str:
    return to_json(plan.to_dict())


CSV_FIELDS = ["channel", "model", "contacts_per_month", "peak_hour_contacts", "handle_minutes",
              "agents_required", "staff_required", "fte", "service_level", "abandon_rate",
              "average_wait_seconds", "occupancy", "contained", "handed_over", "monthly_cost",
              "cost_per_contact", "cost_per_resolved", "feasible", "reason"]


def csv_(plan: CapacityPlan, options: RenderOptions) -> str:
    headers = CSV_FIELDS[:5] + ["target_answer_within_seconds", "target_share"] + CSV_FIELDS[5:14] \
        + ["cost_staff", "cost_fixed", "cost_per_contact_fees"] + CSV_FIELDS[14:]
    rows = []
    for c in plan.channels:
        d = c.to_dict()
        values = [d[k] for k in CSV_FIELDS]
        values[CSV_FIELDS.index("feasible")] = str(d["feasible"]).lower()
        row = values[:5] + [d["target"]["answer_within_seconds"], d["target"]["share"]] \
            + values[5:14] + [d["cost"]["staff"], d["cost"]["fixed"], d["cost"]["per_contact"]] \
            + values[14:]
        rows.append(["" if v is None else v for v in row])
    return csv_text(headers, rows)


RENDERERS = {"table": Renderer(table), "markdown": Renderer(markdown), "json": Renderer(json_),
             "csv": Renderer(csv_)}
