"""Rendering a recommendation: table, Markdown, JSON."""

from __future__ import annotations

from typing import Any

from channelplan.render import Renderer, RenderOptions, to_json
from channelplan.render.common import ACTION_STYLE, Raw, bar, md_settings, md_table, rich_to_text, text
from channelplan.rules import rule_catalogue
from channelplan.scoring import Recommendation
from channelplan.textsafe import md, md_code
from channelplan.units import full_time

BASIS_TEXT = {"fit": "fit", "coverage": "coverage", "cap": "cap", "cost": "cost", "lock": "lock"}


def stability_text(stability: float | None) -> str:
    if stability is None:
        return "-"
    label = "solid" if stability >= 0.9 else "likely" if stability >= 0.7 else "close call"
    return f"{stability * 100:.0f}% {label}"


def basis_text(v: Any) -> str:
    """The basis of a verdict, with what forces it (a topic and its share, or the lock)."""
    if v.basis == "coverage" and v.forced_by:
        return "coverage: " + ", ".join(f"{f['topic']} ({f['share'] * 100:.0f}%)" for f in v.forced_by)
    if v.basis == "lock":
        return f"lock: decision {v.decision}"
    return BASIS_TEXT[v.basis]


def _money(amount: float, currency: str) -> str:
    return f"{currency} {amount:,.0f}"


def cap_text(result: Recommendation) -> str:
    """The channel cap as a reader wants it: the number and why, or none."""
    if result.profile.constraints.max_channels is None:
        return "none (the objective's focus charge keeps the set small)"
    return f"{result.channel_cap} ({result.cap_reason})"


def net_lines(result: Recommendation) -> list[str]:
    """Today's set against the recommended one, and the runner-up, in plain words."""
    from channelplan.catalogue import catalogue

    net = result.net
    if not net:
        return []
    cur = result.profile.company.currency
    plan, today = net["plan"], net.get("today")

    def names(ids: list[str]) -> str:
        return ", ".join(catalogue()[c].name for c in ids) or "none"

    def limits(summary: dict[str, Any]) -> str:
        over = []
        if net.get("monthly_budget") is not None and summary["monthly_cost"] > net["monthly_budget"] + 1e-6:
            over.append(f"over the budget of {_money(net['monthly_budget'], cur)}")
        if net.get("agents") is not None and summary["fte"] > net["agents"] + 1e-6:
            over.append(f"more people than the {net['agents']:g} agents")
        return f" ({'; '.join(over)})" if over else ""

    lines = []
    if today:
        lines.append(f"Today: {names(today['channels'])}: {_money(today['monthly_cost'], cur)} a month, "
                     f"{full_time(today['staff_required'])}{limits(today)}, "
                     f"{today['topics_covered']} of {today['topics']} topics on a suited channel")
    lines.append(f"Plan: {names(plan['channels'])}: {_money(plan['monthly_cost'], cur)} a month, "
                 f"{full_time(plan['staff_required'])}{limits(plan)}, {plan['topics_covered']} "
                 f"of {plan['topics']} topics on a suited channel; "
                 f"{net['customers_moved_share'] * 100:.0f}% of contacts move to another channel"
                 + ("" if not net["customers_moved_share"] else
                    " (all assumed to arrive on the channels kept; the roadmap and the report allow "
                    "for those who never do, so their end state is usually a little lower)"))
    if result.runner_up is not None:
        lines.append(result.runner_up.why)
    return lines


def table(result: Recommendation, options: RenderOptions) -> str:
    explain = options.explain
    from rich import box
    from rich.table import Table

    profile = result.profile

    def draw(console: Any) -> None:
        console.print(text(f"{profile.company.name}: channel recommendation", "bold"))
        console.print(text(f"Source: {profile.source}. Channel cap: {cap_text(result)}.", "dim"))
        # The bar is decoration: it is shown only where the terminal has room for it, and
        # no column is ever cropped (long channel names and robustness labels wrap).
        show_bar = console.width >= 72
        grid = Table(header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
        columns: list[tuple[str, str, int]] = [("#", "right", 1), ("Channel", "left", 9),
                                               ("Today", "right", 5), ("Score", "right", 5)]
        if show_bar:
            columns.append(("", "left", 10))
        columns += [("Action", "left", 6), ("Basis", "left", 5),
                    ("Robustness", "left", 10) if show_bar else ("Stable", "left", 6)]
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
                      text(v.basis),
                      text(stability_text(v.stability) if show_bar else
                           ("-" if v.stability is None else f"{v.stability * 100:.0f}%"),
                           "dim" if (v.stability or 1) >= 0.9 else "yellow")]
            grid.add_row(*cells)
        console.print(grid)
        if not show_bar:
            console.print(text("Stable: robustness, the share of seeded changes under which "
                               "the action stays (90%+ solid, 70%+ likely, else a close call)",
                               "dim"))
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
        from channelplan.catalogue import catalogue

        covered = "; ".join(f"{name} -> {', '.join(catalogue()[c].name for c in chans) or 'none'}"
                            for name, chans in result.coverage.items())
        console.print(text(f"Topic coverage after the plan: {covered}", "dim"))
        console.print(text("Net effect", "bold"))
        for line in net_lines(result):
            console.print(text(line))
        if explain:
            console.print(text("\nWhy this set", "bold"))
            for line in result.explain():
                console.print(text(line))

    return rich_to_text(draw, no_color=options.no_color, width=options.width,
                        terminal=options.terminal)


def markdown_body(result: Recommendation, *, explain: bool = False, heading: str = "##",
                  net: bool = True) -> str:
    """The table, the cap and the net effect (``net=False``: only the runner-up, for a
    report whose summary gives the net effect of the complete transition)."""
    rows = []
    for v in result.channels:
        rows.append([v.rank, v.name, f"{v.share * 100:.0f}%" if v.offered else "-",
                     f"{v.score:.1f}", Raw(f"**{v.action}**"), basis_text(v),
                     stability_text(v.stability), Raw("<br>".join(md(r) for r in v.reasons[:3]))])
    out = md_table(["#", "Channel", "Today", "Score", "Action", "Basis", "Robustness", "Reasons"],
                   rows, ["r", "l", "r", "r", "l", "l", "l", "l"])
    out += (f"\nChannel cap: {md_settings(cap_text(result))}. Robustness is the "
            "share of seeded changes of the inputs (shares and volumes ±10%, agents ±10%, one "
            "priority ±1, the age mix ±5 points, digital maturity one step), the thresholds "
            "(min_topic_share, max_channels) and every rule weight (±25%) under which the action "
            "stays the same. The basis says what decides each verdict: customer fit, coverage of "
            "a topic (named), the channel cap, cost and staff, or a decision lock.\n")
    if net:
        lines = net_lines(result)
        if lines:
            out += "\n**Net effect**\n\n" + "".join(f"- {md(line)}\n" for line in lines)
    elif result.runner_up is not None:
        out += f"\n**Runner-up**\n\n- {md(result.runner_up.why)}\n"
    if explain:
        out += "\n**Why this set**\n\n" + "".join(f"- {md(line)}\n" for line in result.explain())
    if explain:
        for v in result.channels:
            out += f"\n{heading}# {md(v.name)}: {v.action}, score {v.score:.1f}\n\n"
            out += md_table(["Rule", "Points", "Why"],
                            [[c.rule, f"{c.points:+.2f}", c.detail] for c in v.contributions],
                            ["l", "r", "l"])
    return out


def markdown(result: Recommendation, options: RenderOptions) -> str:
    explain = options.explain
    profile = result.profile
    head = f"# {md(profile.company.name)}: channel recommendation\n\n"
    head += f"Source: `{md_code(profile.source)}`\n\n"
    return head + markdown_body(result, explain=explain)


def json_(result: Recommendation, options: RenderOptions) -> str:
    doc = result.to_dict()
    doc["rules"] = [r.to_dict() for r in rule_catalogue().values()]
    return to_json(doc)


RENDERERS = {"table": Renderer(table), "markdown": Renderer(markdown), "json": Renderer(json_)}
