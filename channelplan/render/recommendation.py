"""Rendering a recommendation: table, Markdown, JSON."""

from __future__ import annotations

from typing import Any

from channelplan.render import to_json
from channelplan.render.common import ACTION_STYLE, Raw, bar, md_settings, md_table, rich_to_text, text
from channelplan.rules import rule_catalogue
from channelplan.scoring import Recommendation
from channelplan.textsafe import md, md_code


def stability_text(stability: float | None) -> str:
    if stability is None:
        return "-"
    label = "solid" if stability >= 0.9 else "likely" if stability >= 0.7 else "close call"
    return f"{stability * 100:.0f}% {label}"


def table(result: Recommendation, *, explain: bool = False, no_color: bool = False,
          width: int | None = None, terminal: bool | None = None, **_: Any) -> str:
    from rich import box
    from rich.table import Table

    profile = result.profile

    def draw(console: Any) -> None:
        console.print(text(f"{profile.company.name}: channel recommendation", "bold"))
        console.print(text(f"Source: {profile.source}. Channel cap: {result.channel_cap} "
                           f"({result.cap_reason}).", "dim"))
        # The bar is decoration: it is shown only where the terminal has room for it, and
        # no column is ever cropped (long channel names and robustness labels wrap).
        show_bar = console.width >= 72
        grid = Table(header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
        columns: list[tuple[str, str, int]] = [("#", "right", 1), ("Channel", "left", 9),
                                               ("Today", "right", 5), ("Score", "right", 5)]
        if show_bar:
            columns.append(("", "left", 10))
        columns += [("Action", "left", 6), ("Robustness", "left", 10)]
        for name, justify, minimum in columns:
            grid.add_column(name, justify=justify, min_width=minimum,  # type: ignore[arg-type]
                            overflow="fold")
        for v in result.channels:
            cells = [text(v.rank), text(v.name),
                     text(f"{v.share * 100:.0f}%" if v.offered else "-"), text(f"{v.score:.1f}")]
            if show_bar:
                cells.append(text(bar(v.score)))
            cells += [text(v.action.upper() if v.action in ("retire", "add") else v.action,
                           ACTION_STYLE[v.action]),
                      text(stability_text(v.stability),
                           "dim" if (v.stability or 1) >= 0.9 else "yellow")]
            grid.add_row(*cells)
        console.print(grid)
        console.print(text("Why", "bold"))
        for v in result.channels:
            console.print(text(f"{v.name} ({v.action}): ", ACTION_STYLE[v.action])
                          + text("; ".join(v.reasons[:3])))
        if explain:
            for v in result.channels:
                sub = Table(title=None, header_style="bold", show_edge=False)
                sub.add_column("Rule", no_wrap=True)
                sub.add_column("Points", justify="right")
                sub.add_column("Why", overflow="fold")
                for c in v.contributions:
                    sub.add_row(text(c.rule), text(f"{c.points:+.2f}"), text(c.detail))
                sub.add_row(text("= score", "bold"), text(f"{v.score:.1f}", "bold"), text(""))
                console.print(text(f"\n{v.name}: {v.action}, score {v.score:.1f}", "bold"))
                console.print(sub)
        covered = "; ".join(f"{name} -> {', '.join(chans) or 'none'}"
                            for name, chans in result.coverage.items())
        console.print(text(f"Topic coverage after the plan: {covered}", "dim"))

    return rich_to_text(draw, no_color=no_color, width=width, terminal=terminal)


def markdown_body(result: Recommendation, *, explain: bool = False, heading: str = "##") -> str:
    rows = []
    for v in result.channels:
        rows.append([v.rank, v.name, f"{v.share * 100:.0f}%" if v.offered else "-",
                     f"{v.score:.1f}", Raw(f"**{v.action}**"), stability_text(v.stability),
                     Raw("<br>".join(md(r) for r in v.reasons[:3]))])
    out = md_table(["#", "Channel", "Today", "Score", "Action", "Robustness", "Reasons"], rows,
                   ["r", "l", "r", "r", "l", "l", "l"])
    out += (f"\nChannel cap: {result.channel_cap} ({md_settings(result.cap_reason)}). Robustness is the "
            "share of 200 random changes of every rule weight (up to ±25%) under which the "
            "action stays the same.\n")
    if explain:
        for v in result.channels:
            out += f"\n{heading}# {md(v.name)}: {v.action}, score {v.score:.1f}\n\n"
            out += md_table(["Rule", "Points", "Why"],
                            [[c.rule, f"{c.points:+.2f}", c.detail] for c in v.contributions],
                            ["l", "r", "l"])
    return out


def markdown(result: Recommendation, *, explain: bool = False, **_: Any) -> str:
    profile = result.profile
    head = f"# {md(profile.company.name)}: channel recommendation\n\n"
    head += f"Source: `{md_code(profile.source)}`\n\n"
    return head + markdown_body(result, explain=explain)


def json_(result: Recommendation, **_: Any) -> str:
    doc = result.to_dict()
    doc["rules"] = [r.to_dict() for r in rule_catalogue().values()]
    return to_json(doc)


RENDERERS = {"table": table, "markdown": markdown, "json": json_}
