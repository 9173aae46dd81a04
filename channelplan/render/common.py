"""Pieces shared by the renderers."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from channelplan.output import render_to_text
from channelplan.textsafe import md, plain

ACTION_STYLE = {"keep": "green", "improve": "yellow", "add": "cyan", "retire": "red",
                "skip": "dim"}


def text(value: Any, style: str | None = None) -> Any:
    """Rich Text that is always literal: no markup, no control codes."""
    from rich.text import Text

    return Text(plain(value), style=style or "")


def rich_to_text(draw: Callable[[Any], None], *, no_color: bool = False,
                 width: int | None = None, terminal: bool | None = None) -> str:
    return render_to_text(draw, no_color=no_color, width=width, terminal=terminal)


def md_table(headers: Sequence[str], rows: Iterable[Sequence[Any]],
             align: Sequence[str] | None = None) -> str:
    """A GitHub table; every cell is escaped Markdown unless it is a ``Raw``."""
    def cell(value: Any) -> str:
        return value.value if isinstance(value, Raw) else md(value)

    lines = ["| " + " | ".join(md(h) for h in headers) + " |"]
    align = align or ["l"] * len(headers)
    lines.append("|" + "|".join("---:" if a == "r" else "---" for a in align) + "|")
    for row in rows:
        lines.append("| " + " | ".join(cell(v) for v in row) + " |")
    return "\n".join(lines) + "\n"


SETTINGS = ("constraints.agent_cost_per_hour", "max_channels")


def md_settings(text: object) -> str:
    """Escaped Markdown in which the profile settings our sentences name read as code."""
    out = md(text)
    for name in SETTINGS:
        out = out.replace(md(name), f"`{name}`")
    return out


class Raw:
    """Markdown we wrote ourselves (already safe), passed through a table unescaped."""

    def __init__(self, value: str):
        self.value = value


def csv_text(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return out.getvalue()


def csv_cell(value: Any) -> Any:
    """Plain text, and never a spreadsheet formula."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    value = plain(value)
    if value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def bar(score: float, width: int = 10) -> str:
    filled = max(0, min(width, round(score / 100 * width)))
    return "█" * filled + "░" * (width - filled)
