"""Rendering a comparison of many profiles: streamed JSON and CSV, table and Markdown."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import IO, Any

from channelplan.render.common import ACTION_STYLE, csv_cell, md_table, rich_to_text, text


def _cells(row: dict[str, Any], channels: Sequence[str]) -> dict[str, dict[str, Any]]:
    return {c["channel"]: c for c in row.get("channels", []) if c["channel"] in channels}


def _name(row: dict[str, Any]) -> str:
    return row["profile"]["name"] if "profile" in row else "(not loaded)"


def _source(row: dict[str, Any]) -> str:
    return row["profile"]["source"] if "profile" in row else row["source"]


def stream_json(rows: Iterable[dict[str, Any]], out: IO[str], **_: Any) -> dict[str, int]:
    counts = {"profiles": 0, "errors": 0}
    out.write('{\n  "schema": "channelplan/comparison@1",\n  "profiles": [')
    for index, row in enumerate(rows):
        counts["profiles"] += 1
        counts["errors"] += "errors" in row
        out.write(("," if index else "") + "\n    " + json.dumps(row, ensure_ascii=True,
                                                              allow_nan=False))
    out.write(("\n  " if counts["profiles"] else "") + "],\n")
    out.write(f'  "summary": {json.dumps(counts)}\n}}\n')
    return counts


def stream_csv(rows: Iterable[dict[str, Any]], out: IO[str], *, channels: Sequence[str],
               **_: Any) -> dict[str, int]:
    import csv

    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["source", "name"] + [f"{c}_{k}" for c in channels for k in ("score", "action")]
                    + ["errors"])
    counts = {"profiles": 0, "errors": 0}
    for row in rows:
        counts["profiles"] += 1
        cells = _cells(row, channels)
        values: list[Any] = [_source(row), _name(row)]
        for c in channels:
            values += [cells[c]["score"], cells[c]["action"]] if c in cells else ["", ""]
        errors = row.get("errors", [])
        counts["errors"] += bool(errors)
        values.append("; ".join(f"{e['line']}:{e['column']}: {e['message']}" for e in errors))
        writer.writerow([csv_cell(v) for v in values])
    return counts


def table(rows: Sequence[dict[str, Any]], *, channels: Sequence[str], no_color: bool = False,
          width: int | None = None, terminal: bool | None = None, **_: Any) -> str:
    from rich.table import Table

    def draw(console: Any) -> None:
        grid = Table(header_style="bold")
        grid.add_column("Profile", overflow="fold")
        for c in channels:
            grid.add_column(c, justify="left")
        for row in rows:
            if "errors" in row:
                first = row["errors"][0]
                grid.add_row(text(row["source"]), text(
                    f"does not load: {first['line']}:{first['column']}: {first['message']}"
                    + (f" (+{len(row['errors']) - 1} more)" if len(row["errors"]) > 1 else ""), "red"),
                    *[text("") for _ in channels[1:]])
                continue
            cells = _cells(row, channels)
            grid.add_row(text(_name(row)), *[
                text(f"{cells[c]['score']:.0f} {cells[c]['action']}", ACTION_STYLE[cells[c]["action"]])
                for c in channels])
        console.print(grid)

    return rich_to_text(draw, no_color=no_color, width=width, terminal=terminal)


def markdown(rows: Sequence[dict[str, Any]], *, channels: Sequence[str], **_: Any) -> str:
    body = []
    for row in rows:
        if "errors" in row:
            first = row["errors"][0]
            body.append([row["source"], f"does not load: {first['line']}:{first['column']}: "
                                        f"{first['message']}"] + [""] * (len(channels) - 1))
            continue
        cells = _cells(row, channels)
        body.append([_name(row)] + [f"{cells[c]['score']:.0f} {cells[c]['action']}" for c in channels])
    return "# Channel comparison\n\n" + md_table(["Profile", *channels], body)


RENDERERS = {"table": table, "markdown": markdown, "json": stream_json, "csv": stream_csv}
STREAMING = {"json", "csv"}
