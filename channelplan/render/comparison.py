"""Rendering a comparison of many profiles: streamed JSON and CSV, table and Markdown."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import IO, Any

from channelplan.render import PLAIN, Renderer, RenderOptions, streamed
from channelplan.render.common import ACTION_STYLE, csv_cell, md_table, rich_to_text, text


def _cells(row: dict[str, Any], channels: Sequence[str]) -> dict[str, dict[str, Any]]:
    return {c["channel"]: c for c in row.get("channels", []) if c["channel"] in channels}


def _name(row: dict[str, Any]) -> str:
    return row["profile"]["name"] if "profile" in row else "(not loaded)"


def _source(row: dict[str, Any]) -> str:
    return row["profile"]["source"] if "profile" in row else row["source"]


def row_json(row: dict[str, Any]) -> str:
    """One row of ``compare -f json``, on one line (ASCII only: profile text cannot smuggle
    control characters into a terminal)."""
    return json.dumps(row, ensure_ascii=True, allow_nan=False)


def stream_json(rows: Iterable[dict[str, Any]], out: IO[str],
                options: RenderOptions = PLAIN) -> dict[str, int]:
    """The rows as one JSON document, written as they come; a row that carries its text
    already (``json``, see :class:`channelplan.comparison.EncodedRow`) is written as is."""
    counts = {"profiles": 0, "errors": 0}
    out.write('{\n  "schema": "channelplan/comparison@1",\n  "profiles": [')
    for index, row in enumerate(rows):
        counts["profiles"] += 1
        counts["errors"] += "errors" in row
        out.write(("," if index else "") + "\n    " + (getattr(row, "json", None)
                                                         or row_json(row)))
    out.write(("\n  " if counts["profiles"] else "") + "],\n")
    out.write(f'  "summary": {json.dumps(counts)}\n}}\n')
    return counts


def stream_csv(rows: Iterable[dict[str, Any]], out: IO[str],
               options: RenderOptions = PLAIN) -> dict[str, int]:
    channels = options.channels
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


# Column labels are the catalogue's short labels so that eight channels fit a 60-column
# terminal; a legend under the table gives each one's name. Where full action words do not
# fit, one letter each.
LETTER = {"keep": "K", "improve": "I", "add": "A", "retire": "R", "skip": "S"}
_GAP = 2  # between two columns: their padding
_LONGEST_WORD = 30  # a profile "word" longer than this may fold rather than widen the column


def _label(channel: str) -> str:
    from channelplan.catalogue import catalogue

    entry = catalogue().get(channel)
    return entry.short if entry is not None else channel


def _cell(entry: dict[str, Any], letters: bool) -> str:
    # With words the score is padded to three places so that the numbers line up; with letters
    # the column is right-aligned instead, which lines them up too.
    action = entry["action"]
    return f"{entry['score']:.0f} {LETTER[action]}" if letters else f"{entry['score']:>3.0f} {action}"


def _row_label(row: dict[str, Any]) -> str:
    return _name(row) if "errors" not in row else _source(row).replace("\\", "/").rsplit("/", 1)[-1]


def _fits(rows: Sequence[dict[str, Any]], channels: Sequence[str], letters: bool,
          width: int) -> tuple[bool, int]:
    """Whether the table fits ``width`` without breaking a profile name mid-word, and the
    profile column's width (as wide as the longest name where there is room)."""
    loaded = [row for row in rows if "errors" not in row]
    longest_word = max([len(w) for row in loaded for w in _name(row).split()] + [7])
    longest_name = max([len(_row_label(row)) for row in rows] + [7])
    columns = []
    for c in channels:
        cells = [_cell(e, letters) for row in loaded for e in _cells(row, [c]).values()]
        columns.append(max([len(_label(c))] + [len(v) for v in cells]))
    room = max(7, width - sum(columns) - _GAP * len(columns))
    need = min(longest_word, _LONGEST_WORD)
    return room >= need, min(room, max(need, longest_name))


def table(rows: Sequence[dict[str, Any]], options: RenderOptions) -> str:
    channels = options.channels
    from rich.table import Table

    from channelplan.catalogue import catalogue

    names = catalogue()

    def draw(console: Any) -> None:
        fits, profile_width = _fits(rows, channels, False, console.width)
        letters = not fits
        if letters:
            _, profile_width = _fits(rows, channels, True, console.width)
        grid = Table(header_style="bold underline", box=None, pad_edge=False, padding=(0, 1))
        grid.add_column("Profile", width=profile_width, overflow="fold")
        for c in channels:
            grid.add_column(_label(c), justify="right" if letters else "left", no_wrap=True)
        failed = []
        for row in rows:
            if "errors" in row:
                failed.append(row)
                grid.add_row(text(_row_label(row)), *[text("-", "red") for _ in channels])
                continue
            cells = _cells(row, channels)
            grid.add_row(text(_name(row)), *[
                text(_cell(cells[c], letters), ACTION_STYLE[cells[c]["action"]])
                if c in cells else text("-") for c in channels])
        console.print(grid)
        legend = [f"{_label(c)} = {names[c].name}" for c in channels
                  if c in names and _label(c) != names[c].name]
        if legend:
            console.print(text("Channels: " + ", ".join(legend) + ".", "dim"))
        if letters:
            console.print(text("Actions: " + ", ".join(f"{v} {k}" for k, v in LETTER.items())
                               + ". Scores are 0-100.", "dim"))
        for row in failed:
            errors = row["errors"]
            first = errors[0]
            more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
            console.print(text(f"{_source(row)}: does not load: {first['line']}:{first['column']}: "
                               f"{first['message']}{more}", "red"))

    return rich_to_text(draw, no_color=options.no_color, width=options.width,
                        terminal=options.terminal)


def markdown(rows: Sequence[dict[str, Any]], options: RenderOptions) -> str:
    channels = options.channels
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


RENDERERS = {"table": Renderer(table), "markdown": Renderer(markdown),
             "json": streamed(stream_json), "csv": streamed(stream_csv)}
