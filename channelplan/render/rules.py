"""Rendering the rule catalogue (``channelplan rules [ID]``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from channelplan.render import Renderer, RenderOptions, to_json
from channelplan.render.common import rich_to_text, text
from channelplan.rules import Rule
from channelplan.textsafe import md

WIDE = 120
"""Terminal width from which the rule list is a table rather than one record per rule."""


def _prio(rule: Rule) -> str:
    return ", ".join(rule.priorities) or "none (fixed)"


def table(rules: Sequence[Rule], options: RenderOptions) -> str:
    from rich.padding import Padding
    from rich.table import Table

    def draw(console: Any) -> None:
        if len(rules) == 1:
            rule = rules[0]
            console.print(text(f"{rule.id}: {rule.title}", "bold"))
            for label, value in (("Measures", rule.measures), ("Weight", f"{rule.weight:g}"),
                                 ("Scaled by priorities", _prio(rule)),
                                 ("Evidence", rule.evidence), ("Source", rule.source)):
                console.print(text(f"{label}: ", "bold") + text(value))
            return
        if console.width < WIDE:
            # Too narrow for five columns: one record per rule, so no id or word is cropped.
            for rule in rules:
                console.print(text(rule.id, "bold") + text(f"  {rule.title}"))
                console.print(Padding(text(f"Weight {rule.weight:g}; scaled by priorities: "
                                           f"{_prio(rule)}", "dim"), (0, 0, 0, 2), expand=False))
                console.print(Padding(text(rule.measures), (0, 0, 0, 2), expand=False))
            console.print(text("Run `channelplan rules RULE_ID` for a rule's evidence and "
                               "source.", "dim"))
            return
        grid = Table(header_style="bold")
        grid.add_column("Rule", no_wrap=True)
        grid.add_column("Title")
        grid.add_column("Weight", justify="right", no_wrap=True)
        grid.add_column("Priorities")
        grid.add_column("Measures", overflow="fold")
        for rule in rules:
            grid.add_row(text(rule.id), text(rule.title), text(f"{rule.weight:g}"),
                         text(_prio(rule)), text(rule.measures))
        console.print(grid)
        console.print(text("Run `channelplan rules RULE_ID` for a rule's evidence and source.",
                           "dim"))

    return rich_to_text(draw, no_color=options.no_color, width=options.width,
                        terminal=options.terminal)


def markdown(rules: Sequence[Rule], options: RenderOptions) -> str:
    return markdown_records(rules, heading="##")


def markdown_records(rules: Sequence[Rule], heading: str = "##") -> str:
    out = []
    for rule in rules:
        out.append(f"{heading} {md(rule.id)}: {md(rule.title)}\n\n"
                   f"- **Measures:** {md(rule.measures)}\n"
                   f"- **Weight:** {rule.weight:g}, scaled by priorities: {md(_prio(rule))}\n"
                   f"- **Evidence:** {md(rule.evidence)}\n"
                   f"- **Source:** {md(rule.source)}\n")
    return "\n".join(out)


def json_(rules: Sequence[Rule], options: RenderOptions) -> str:
    return to_json({"schema": "channelplan/rules@1", "rules": [r.to_dict() for r in rules]})


RENDERERS = {"table": Renderer(table), "markdown": Renderer(markdown), "json": Renderer(json_)}
