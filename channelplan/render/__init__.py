"""Renderers: results in, text out, one function per (command, format).

Every command's ``--format`` choices come from :data:`RENDERERS`, so a format cannot be
offered without a renderer (a test checks it).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

Renderer = Callable[..., str]


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
    return module.RENDERERS[fmt]


def render(command: str, fmt: str, result: Any, **options: Any) -> str:
    return renderer(command, fmt)(result, **options)
