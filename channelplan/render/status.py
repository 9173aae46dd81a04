"""Rendering checklist progress (``channelplan status``)."""

from __future__ import annotations

import re
from typing import Any

from channelplan.catalogue import catalogue
from channelplan.checklist import StatusReport
from channelplan.render import Renderer, RenderOptions, to_json
from channelplan.render.common import md_table, rich_to_text, text
from channelplan.textsafe import md


def table(report: StatusReport, options: RenderOptions) -> str:
    from rich.padding import Padding
    from rich.table import Table

    def draw(console: Any) -> None:
        totals = report.to_dict()["totals"]
        console.print(text(f"{report.source}: {totals['done']} of {totals['tasks']} tasks done, "
                           f"{totals['overdue']} overdue (today {report.today.isoformat()})", "bold"))
        narrow = console.width < NARROW
        grid = Table(header_style="bold")
        for name in ("Retirement", "Phase", "Done", "Open", "Overdue"):
            if name in ("Retirement", "Phase"):  # text from the file: folded, never cropped
                grid.add_column(name, overflow="fold")
            else:
                grid.add_column(name, justify="right", no_wrap=True)
        for g in report.groups():
            grid.add_row(text(_channel(g["channel"])), text(g["phase"]), text(f"{g['done']}/{g['total']}"),
                         text(g["open"]), text(g["overdue"], "red" if g["overdue"] else None))
        console.print(grid)
        if report.gates and narrow:
            # one record per gate: the criteria on their own lines, wrapped at the full width
            console.print(text("Gates", "bold"))
            for gate in report.gates:
                state = report.gate_state(gate)
                head = text(f"{_channel(gate.channel)}, {gate.phase}"
                            + (f", {gate.due}" if gate.due else "") + ": ")
                head.append_text(text(state, {"passed": "green", "overdue": "red"}.get(state)))
                console.print(head)
                console.print(Padding(text(_criteria(gate.title)), (0, 0, 0, 2)))
        elif report.gates:
            gates = Table(header_style="bold", title="Gates")
            for name in ("Retirement", "Phase", "Date", "State", "Criteria"):
                gates.add_column(name, justify="left", overflow="fold")
            for gate in report.gates:
                state = report.gate_state(gate)
                gates.add_row(text(_channel(gate.channel)), text(gate.phase), text(gate.due or ""),
                              text(state, {"passed": "green", "overdue": "red"}.get(state)),
                              text(_criteria(gate.title)))
            console.print(gates)
        for task in report.overdue:
            console.print(text(f"OVERDUE since {task.due}: {task.title} "
                               f"[line {task.line}, task:{task.id}]", "red"))

    return rich_to_text(draw, no_color=options.no_color, width=options.width,
                        terminal=options.terminal)


NARROW = 100   # below this width the gates are records, not a table (criteria stay legible)


def _channel(channel: str) -> str:
    """The catalogue's name of a channel id read from the checklist; other text as it is."""
    entry = catalogue().get(channel)
    return entry.name if entry is not None else channel


def _criteria(title: str) -> str:
    """A gate line's criteria, without its owner and due date."""
    return re.sub(r"\s*\(owner: [^;)]*; due \S+\)\s*$", "", title).removeprefix("Gate: ")


def markdown(report: StatusReport, options: RenderOptions) -> str:
    totals = report.to_dict()["totals"]
    out = (f"# Checklist status\n\n{md(report.source)}: {totals['done']} of {totals['tasks']} tasks "
           f"done, {totals['overdue']} overdue on {report.today.isoformat()}.\n\n")
    out += md_table(["Retirement", "Phase", "Done", "Open", "Overdue"],
                    [[_channel(g["channel"]), g["phase"], f"{g['done']}/{g['total']}", g["open"],
                      g["overdue"]] for g in report.groups()], ["l", "l", "r", "r", "r"])
    if report.gates:
        out += "\n## Gates\n\n" + md_table(
            ["Retirement", "Phase", "Date", "State", "Criteria"],
            [[_channel(g.channel), g.phase, g.due.isoformat() if g.due else "", report.gate_state(g),
              _criteria(g.title)] for g in report.gates])
    if report.overdue:
        out += "\n## Overdue\n\n" + md_table(
            ["Task", "Owner", "Due", "Line"],
            [[t.title, t.owner, t.due.isoformat() if t.due else "", t.line] for t in report.overdue])
    return out


def json_(report: StatusReport, options: RenderOptions) -> str:
    return to_json(report.to_dict())


RENDERERS = {"table": Renderer(table), "markdown": Renderer(markdown), "json": Renderer(json_)}
