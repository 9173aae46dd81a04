"""Renderers: results in, text out, one function per (command, format).

Every command's ``--format`` choices come from :data:`RENDERERS`, so a format cannot be
offered without a renderer (a test checks it).
"""

from __future__ import annotations

import json
from typing import Any, Callable

Renderer = Callable[..., str]


def to_json(doc: dict[str, Any]) -> str:
    # ASCII-only JSON: profile text cannot smuggle control characters into a terminal.
    return json.dumps(doc, indent=2, ensure_ascii=True, allow_nan=False) + "\n"


def _load() -> dict[str, dict[str, Renderer]]:
    from channelplan.render import (capacity, comparison, recommendation, report, roadmap,
                                    rules, status)

    return {
        "report": report.RENDERERS,
        "compare": comparison.RENDERERS,
        "recommend": recommendation.RENDERERS,
        "rules": rules.RENDERERS,
        "capacity": capacity.RENDERERS,
        "roadmap": roadmap.RENDERERS,
        "status": status.RENDERERS,
    }


FORMATS: dict[str, tuple[str, ...]] = {
    "recommend": ("table", "markdown", "json"),
    "rules": ("table", "markdown", "json"),
    "capacity": ("table", "markdown", "json", "csv"),
    "roadmap": ("table", "markdown", "json"),
    "status": ("table", "markdown", "json"),
    "compare": ("table", "markdown", "json", "csv"),
    "report": ("markdown",),
}


def renderer(command: str, fmt: str) -> Renderer:
    return _load()[command][fmt]


def render(command: str, fmt: str, result: Any, **options: Any) -> str:
    return renderer(command, fmt)(result, **options)
