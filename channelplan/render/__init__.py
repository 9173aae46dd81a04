"""Renderers: results in, text out, one :class:`Renderer` per (command, format).

Every renderer takes the result and one :class:`RenderOptions`, and uses the options it
needs; a format written row by row as the rows come (``compare -f json``) also has a
``stream``. Every command's ``--format`` choices come from :data:`FORMATS`, and each
module's ``RENDERERS`` holds a renderer for each (a test checks it).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import IO, Any, NamedTuple


class RenderOptions(NamedTuple):
    """How to render; each renderer reads the options that concern it."""

    no_color: bool = False
    width: int | None = None            # terminal columns (None: the terminal's own)
    terminal: bool | None = None        # False when writing to a file
    explain: bool = False               # recommend: every rule's contribution
    channels: tuple[str, ...] = ()      # compare: the channel columns, in order


PLAIN = RenderOptions()

TextRenderer = Callable[[Any, RenderOptions], str]
StreamRenderer = Callable[[Iterable[Any], IO[str], RenderOptions], object]


@dataclass(frozen=True)
class Renderer:
    """One format of one command: ``text`` renders a whole result; ``stream``, where the
    format allows, writes rows to a file as they come instead of holding them."""

    text: TextRenderer
    stream: StreamRenderer | None = None

    def __call__(self, result: Any, options: RenderOptions = PLAIN) -> str:
        return self.text(result, options)


def streamed(write: StreamRenderer) -> Renderer:
    """A format written row by row; as text, the same rows written into a string."""
    def text(rows: Any, options: RenderOptions) -> str:
        import io

        buffer = io.StringIO()
        write(rows, buffer, options)
        return buffer.getvalue()

    return Renderer(text=text, stream=write)


def to_json(doc: dict[str, Any]) -> str:
    # ASCII-only JSON: profile text cannot smuggle control characters into a terminal.
    return json.dumps(doc, indent=2, ensure_ascii=True, allow_nan=False) + "\n"


MODULES = {
    "recommend": "recommendation",
    "rules": "rules",
    "capacity": "capacity",
    "roadmap": "roadmap",
    "status": "status",
    "compare": "comparison",
    "report": "report",
    "import": "import_summary",
}


FORMATS: dict[str, tuple[str, ...]] = {
    "recommend": ("table", "markdown", "json"),
    "rules": ("table", "markdown", "json"),
    "capacity": ("table", "markdown", "json", "csv"),
    "roadmap": ("table", "markdown", "json", "ics"),
    "status": ("table", "markdown", "json"),
    "compare": ("table", "markdown", "json", "csv"),
    "report": ("markdown", "html"),
    "import": ("table", "markdown", "json"),
}


def renderer(command: str, fmt: str) -> Renderer:
    """The renderer of one command's format; only that command's module is imported."""
    import importlib

    module = importlib.import_module(f"channelplan.render.{MODULES[command]}")
    chosen: Renderer = module.RENDERERS[fmt]
    return chosen


def render(command: str, fmt: str, result: Any, options: RenderOptions = PLAIN) -> str:
    return renderer(command, fmt)(result, options)
