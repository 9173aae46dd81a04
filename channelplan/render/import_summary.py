"""Rendering what ``channelplan import`` measured: volume per channel and month, topic
shares, first reply and ratings per channel, and an hour-of-week heat map of arrivals.

Tags and channel values come from the export: they are shown inert (never Markdown
structure, terminal codes or a spreadsheet formula).
"""

from __future__ import annotations

from typing import Any

from channelplan.importer.writing import approx_duration
from channelplan.render import Renderer, RenderOptions, to_json
from channelplan.render.common import md_table, rich_to_text, text
from channelplan.textsafe import plain
from channelplan.units import duration_text, percent

SHADES = " .:-=+*#%@"


def inert(value: Any) -> str:
    """Export text as data: a cell that a spreadsheet would run as a formula gets a quote."""
    shown = plain(value)
    return "'" + shown if shown[:1] in ("=", "+", "-", "@") else shown


def _duration(seconds: float | None) -> str:
    return "-" if seconds is None else approx_duration(seconds)


def _sample(share: float | None, n: int) -> str:
    return "-" if share is None else f"{percent(share, 1)} of {n:,}"


def heat_rows(doc: dict[str, Any]) -> list[tuple[str, str]]:
    """One line of shade characters per weekday, darker for busier hours."""
    grid = doc["heatmap"]["average_contacts"]
    top = max(max(row) for row in grid) or 1.0
    out = []
    for day, row in zip(doc["heatmap"]["days"], grid, strict=True):
        out.append((day, "".join(SHADES[min(len(SHADES) - 1, round(v / top * (len(SHADES) - 1)))]
                                 for v in row)))
    return out


def _overview(doc: dict[str, Any]) -> list[str]:
    period, hours, peak = doc["period"], doc["hours"], doc["peak"]
    lines = [
        f"{doc['contacts']:,} contacts from {period['since']} to {period['until']} "
        f"({period['days']} days, times in {period['timezone']}): "
        f"{doc['contacts_per_month']:,.0f} contacts per month.",
        f"Hours: {hours['measured']} ({percent(hours['outside_business_share'], 1)} outside "
        f"Mon-Fri 09-18, {percent(hours['overnight_share'], 1)} overnight 22-06). Peak factor "
        f"{peak['peak_factor']:g}: busiest hour {peak['busiest_day']} {peak['busiest_hour']:02d}:00 "
        f"with {peak['busiest_hour_contacts']:.1f} contacts on average, against "
        f"{peak['average_open_hour_contacts']:.1f} in an average open hour.",
    ]
    if doc["profile"]:
        lines.append(f"Profile written to {doc['profile']}.")
    return lines


def _file_rows(doc: dict[str, Any]) -> list[list[Any]]:
    return [[f["source"], f["format"] + (" (detected)" if f["detected"] else ""), f"{f['rows']:,}",
             f"{f['used']:,}", f"{f['duplicates']:,}", f"{f['outside_period']:,}",
             f"{f['unknown_channel']:,}", f"{f['bad_rows']:,}"] for f in doc["files"]]


FILE_HEADERS = ["File", "Format", "Rows", "Used", "Duplicates", "Outside period",
                "Unknown channel", "Unreadable"]
CHANNEL_HEADERS = ["Channel", "Contacts", "Share", "CSAT (rated)", "One-touch (finished)",
                   "First reply within target", "Median first reply", "Handle min"]


def _channel_rows(doc: dict[str, Any]) -> list[list[Any]]:
    rows = []
    for c in doc["channels"]:
        within = (f"{_sample(c['first_reply_within_target'], c['replied'])} in "
                  f"{duration_text(c['first_reply_target_seconds'])}" if c["replied"] else "-")
        rows.append([c["channel"], f"{c['contacts']:,}", percent(c["share"], 1),
                     _sample(c["csat"], c["rated"]), _sample(c["resolution_rate"], c["finished"]),
                     within, _duration(c["first_reply_median_seconds"]),
                     "-" if c["handle_minutes"] is None else f"{c['handle_minutes']:.1f}"])
    return rows


def _month_table(doc: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    names = sorted({k for m in doc["months"] for k in m["contacts"]},
                   key=lambda k: (k == "unknown", [c["channel"] for c in doc["channels"]].index(k)
                                  if k in [c["channel"] for c in doc["channels"]] else 99, k))
    rows = [[m["month"], *[f"{m['contacts'].get(n, 0):,}" for n in names],
             f"{sum(m['contacts'].values()):,}"] for m in doc["months"]]
    return ["Month", *names, "Total"], rows


def _topic_rows(doc: dict[str, Any]) -> list[list[Any]]:
    return [[t["name"], f"{t['contacts']:,}", percent(t["share"], 1),
             ", ".join(inert(p) for p in t["patterns"]) or "(no rule matched)"]
            for t in doc["topics"]]


def table(doc: dict[str, Any], options: RenderOptions) -> str:
    from rich.table import Table

    def grid(headers: list[str], rows: list[list[Any]], title: str) -> Any:
        t = Table(title=title, title_justify="left", header_style="bold")
        for i, h in enumerate(headers):
            t.add_column(h, justify="left" if i == 0 else "right")
        for row in rows:
            t.add_row(*[text(v) for v in row])
        return t

    def draw(console: Any) -> None:
        console.print(text("channelplan import: what the export says", "bold"))
        for line in _overview(doc):
            console.print(text(line))
        console.print(grid(FILE_HEADERS, _file_rows(doc), "Files"))
        console.print(grid(CHANNEL_HEADERS, _channel_rows(doc), "Channels"))
        headers, rows = _month_table(doc)
        console.print(grid(headers, rows, "Contacts per channel and month"))
        topics = Table(title="Topics", title_justify="left", header_style="bold")
        for h in ("Topic", "Contacts", "Share", "Tags matched"):
            topics.add_column(h, justify="right" if h in ("Contacts", "Share") else "left")
        for row in _topic_rows(doc):
            topics.add_row(*[text(v) for v in row])
        console.print(topics)
        _lists(doc, lambda line: console.print(text(line)))
        console.print(text("Arrivals by hour of the week (average contacts; darker is busier)",
                           "bold"))
        console.print(text("     " + "".join(str(h // 10) for h in range(24))))
        console.print(text("     " + "".join(str(h % 10) for h in range(24))))
        for day, shades in heat_rows(doc):
            console.print(text(f"{day}  {shades}"))
        for warning in doc["warnings"]:
            console.print(text(f"warning: {warning}", "yellow"))

    return rich_to_text(draw, no_color=options.no_color, width=options.width,
                        terminal=options.terminal)


def _lists(doc: dict[str, Any], say: Any) -> None:
    if doc["unmatched_tags"]:
        listed = ", ".join(f"{inert(t['tag'])} ({t['contacts']:,})" for t in doc["unmatched_tags"][:15])
        say(f"Tags of the contacts in Other, by volume: {listed}")
    if doc["unknown_channel_values"]:
        listed = ", ".join(f"{inert(v['value'])} ({v['contacts']:,})"
                           for v in doc["unknown_channel_values"][:15])
        say(f"Channel values not known (left out of the channel shares): {listed}")
    if doc["bad_rows"]["count"]:
        say(f"Unreadable rows skipped: {doc['bad_rows']['count']:,} of {doc['bad_rows']['rows']:,}")


def markdown(doc: dict[str, Any], options: RenderOptions) -> str:
    from channelplan.textsafe import md

    out = ["# Import summary", ""]
    out += ["\n\n".join(md(line) for line in _overview(doc))]
    out += ["", "## Files", "", md_table(FILE_HEADERS, _file_rows(doc),
                                         ["l", "l"] + ["r"] * 6)]
    out += ["## Channels", "", md_table(CHANNEL_HEADERS, _channel_rows(doc), ["l"] + ["r"] * 7)]
    headers, rows = _month_table(doc)
    out += ["## Contacts per channel and month", "",
            md_table(headers, rows, ["l"] + ["r"] * (len(headers) - 1))]
    out += ["## Topics", "", md_table(["Topic", "Contacts", "Share", "Tags matched"],
                                      _topic_rows(doc), ["l", "r", "r", "l"])]
    extra: list[str] = []
    _lists(doc, extra.append)
    out += [md(line) + "\n" for line in extra]
    out += ["## Arrivals by hour of the week", "",
            "Average contacts arriving in each hour; the busiest hour is in bold.", ""]
    grid = doc["heatmap"]["average_contacts"]
    top = max(max(row) for row in grid)
    from channelplan.render.common import Raw

    def cell(value: float) -> Any:
        shown = f"{value:.0f}" if value >= 10 else f"{value:.1f}"
        return Raw(f"**{shown}**") if value == top and top > 0 else shown

    out.append(md_table(["Day", *[f"{h:02d}" for h in range(24)]],
                        [[day, *[cell(v) for v in row]]
                         for day, row in zip(doc["heatmap"]["days"], grid, strict=True)],
                        ["l"] + ["r"] * 24))
    out += ["```text", "     " + "".join(str(h // 10) for h in range(24)),
            "     " + "".join(str(h % 10) for h in range(24))]
    out += [f"{day}  {shades}" for day, shades in heat_rows(doc)]
    out += ["```", ""]
    if doc["warnings"]:
        out += ["## Warnings", ""] + [f"- {md(w)}" for w in doc["warnings"]] + [""]
    return "\n".join(out)


def json_(doc: dict[str, Any], options: RenderOptions) -> str:
    return to_json(doc)


RENDERERS = {"table": Renderer(table), "markdown": Renderer(markdown), "json": Renderer(json_)}
