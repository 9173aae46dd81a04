"""Export formats: which columns hold what, how a format is recognised from its header row,
and the value tables (channel values, ratings, statuses) kept as package data."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from channelplan.importer.problems import ExportError
from channelplan.importer.reading import normalize, split_suffix
from channelplan.suggest import closest as nearest

FORMAT_NAMES = ("zendesk", "intercom", "generic")
TITLES = {"zendesk": "Zendesk ticket export", "intercom": "Intercom conversation export",
          "generic": "generic export (columns from the map file)"}

# What a column can carry. Required for every format: id, created, channel.
CONCEPTS = ("id", "created", "channel", "tags", "topics", "status", "rating", "reopens", "replies",
            "first_reply_minutes", "first_reply_hours", "first_replied_at", "handle_seconds",
            "handle_minutes", "resolved", "bot_resolution")
REQUIRED = ("id", "created", "channel")

# Column names by format, as help desks export them (compared case- and space-insensitively,
# a trailing "(time zone)" ignored). Several names: the first one found is used.
COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "zendesk": {
        "id": ("Id",),
        "created": ("Created at",),
        "channel": ("Via",),
        "tags": ("Tags",),
        "status": ("Status",),
        "rating": ("Satisfaction Score",),
        "reopens": ("Reopens",),
        "replies": ("Replies",),
        "first_reply_minutes": ("First reply time in minutes",),
        "handle_seconds": ("Total time spent (sec)",),
    },
    "intercom": {
        "id": ("Conversation ID",),
        "created": ("Conversation started at",),
        "channel": ("Channel",),
        "tags": ("Conversation tag", "Conversation tags"),
        "topics": ("Topics",),
        "status": ("Current conversation state",),
        "rating": ("Last teammate rating",),
        "reopens": ("Count of reopens", "Number of reopens"),
        "replies": ("Count of teammate replies", "Teammate replies"),
        "first_replied_at": ("Conversation first replied at",),
        "handle_seconds": ("Handling time (seconds)", "Time to close (seconds)"),
        "bot_resolution": ("Fin AI Agent resolution state",),
    },
    "generic": {},
}
# How several labels share one cell.
TAG_SEPARATORS = {"zendesk": " ", "intercom": ",", "generic": ","}


@dataclass(frozen=True)
class ValueTable:
    """How one format's values read: channel values, good and bad ratings, finished states."""

    channels: dict[str, str]
    good: frozenset[str]
    bad: frozenset[str]
    solved: frozenset[str]
    bot_resolved: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def _value_data() -> dict[str, Any]:
    from channelplan.datafiles import load_data

    return load_data("import_values.yaml")


def value_table(fmt: str) -> ValueTable:
    raw = _value_data()[fmt]
    return ValueTable(
        channels={normalize(str(k)): str(v) for k, v in raw["channels"].items()},
        good=frozenset(normalize(str(v)) for v in raw["ratings"]["good"]),
        bad=frozenset(normalize(str(v)) for v in raw["ratings"]["bad"]),
        solved=frozenset(normalize(str(v)) for v in raw["solved"]),
        bot_resolved=frozenset(normalize(str(v)) for v in raw.get("bot_resolved", [])),
    )


@dataclass
class Layout:
    """Where each concept stands in one file's header, and the time zone of its time columns."""

    fmt: str
    index: dict[str, int]
    names: dict[str, str]
    zones: dict[str, str] = field(default_factory=dict)
    width: int = 0


def _lookup(header: list[str]) -> dict[str, tuple[int, str]]:
    """Each normalized name (with and without a trailing suffix) to its column and suffix."""
    found: dict[str, tuple[int, str]] = {}
    for i, name in enumerate(header):
        full = normalize(name)
        found.setdefault(full, (i, ""))
        bare, suffix = split_suffix(name)
        found.setdefault(bare, (i, suffix))
    return found


def detect_format(header: list[str]) -> str | None:
    """The format whose required columns the header holds (``None`` if none does)."""
    found = _lookup(header)
    for fmt in ("zendesk", "intercom"):
        if all(any(normalize(n) in found for n in COLUMNS[fmt][c]) for c in REQUIRED):
            return fmt
    return None


def layout(fmt: str, header: list[str], source: str,
           overrides: dict[str, str] | None = None) -> Layout:
    """Resolve each concept to its column; a missing required column is an error that names
    the columns found and the closest match."""
    found = _lookup(header)
    names = {c: (n,) for c, n in (overrides or {}).items()}
    wanted = {**COLUMNS[fmt], **names}
    index: dict[str, int] = {}
    shown: dict[str, str] = {}
    zones: dict[str, str] = {}
    problems = []
    for concept in CONCEPTS:
        options = wanted.get(concept, ())
        hit = next((found[normalize(n)] for n in options if normalize(n) in found), None)
        if hit is None:
            hit = next((found[split_suffix(n)[0]] for n in options if split_suffix(n)[0] in found),
                       None)
        if hit is not None:
            index[concept] = hit[0]
            shown[concept] = header[hit[0]]
            if hit[1]:
                zones[concept] = hit[1]
        elif concept in REQUIRED:
            expected = options[0] if options else concept
            problems.append(_missing(source, expected, header, fmt, concept))
    if problems:
        raise ExportError(problems)
    return Layout(fmt=fmt, index=index, names=shown, zones=zones, width=len(header))


def _missing(source: str, expected: str, header: list[str], fmt: str, concept: str) -> str:
    want = normalize(expected)
    names = [normalize(h) for h in header]
    # A column whose name holds the expected one (or the other way round) is the likeliest.
    holding = [n for n in names if n and (want in n or n in want)]
    near = holding[0] if holding else nearest(want, names, cutoff=0.5)
    closest = ""
    if near is not None:
        original = header[names.index(near)]
        closest = f"; closest: '{original}'"
    listed = ", ".join(f"'{h}'" for h in header[:40]) + (" ..." if len(header) > 40 else "")
    hint = (f" (map it under 'columns: {concept}:' in the map file)" if fmt == "generic"
            else "")
    return (f"{source}:1: missing required column '{expected}' for a {TITLES[fmt]}{hint}"
            f"{closest}; columns found: {listed}")
