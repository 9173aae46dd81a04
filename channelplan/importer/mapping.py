"""The map file (MAP.yaml): columns of a generic export, extra channel and rating values,
and the ordered rules that turn tags into topics.

A topic rule is a name, a list of patterns (``*`` any text, ``?`` one character, case
ignored) matched against each tag of a contact, and the topic's urgency, complexity and
sensitivity. The first rule with a matching tag wins; a contact no rule matches goes to
the "Other" topic.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from typing import Any

from channelplan.catalogue import CHANNEL_IDS
from channelplan.importer.formats import CONCEPTS, FORMAT_NAMES, REQUIRED
from channelplan.importer.problems import ExportError
from channelplan.importer.reading import normalize
from channelplan.suggest import did_you_mean

URGENCIES = ("seconds", "minutes", "hours", "days")
LEVELS = ("low", "medium", "high")
SENSITIVITIES = ("none", "personal", "financial")
OTHER = "Other"
TOP_KEYS = ("version", "format", "columns", "tag_separator", "dates", "channels", "ratings",
            "solved", "topics", "other")
TOPIC_KEYS = ("name", "match", "urgency", "complexity", "sensitivity")
MAX_RULES = 99


@dataclass(frozen=True)
class TopicRule:
    name: str
    patterns: tuple[str, ...]
    urgency: str | None = None
    complexity: str | None = None
    sensitivity: str | None = None
    regex: re.Pattern[str] | None = None

    def attributes(self) -> dict[str, str]:
        return {k: v for k, v in (("urgency", self.urgency), ("complexity", self.complexity),
                                  ("sensitivity", self.sensitivity)) if v is not None}


@dataclass
class ImportMap:
    """A parsed map file (or the empty map when none is given)."""

    source: str = ""
    fmt: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    tag_separator: str | None = None
    day_first: bool = False
    channels: dict[str, str] = field(default_factory=dict)
    good: frozenset[str] = frozenset()
    bad: frozenset[str] = frozenset()
    solved: frozenset[str] = frozenset()
    topics: list[TopicRule] = field(default_factory=list)
    other: TopicRule = TopicRule(OTHER, ())


def compile_rule(name: str, patterns: list[str], **attributes: Any) -> TopicRule:
    regex = re.compile("|".join(f"(?:{fnmatch.translate(normalize(p))})" for p in patterns)
                       or r"(?!)", re.IGNORECASE)
    return TopicRule(name, tuple(patterns), regex=regex, **attributes)


def load_map(path: str) -> ImportMap:
    """Read and check a map file; every problem is reported as ``FILE:LINE:COLUMN: message``."""
    from channelplan.limits import MAX_INPUT_BYTES
    from channelplan.yamlsafe import YamlProblems, decode, parse_yaml

    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise ExportError([f"{path}: cannot read the map file: {exc.strerror or exc}"]) from None
    try:
        doc = parse_yaml(decode(raw, path), path)
    except YamlProblems as exc:
        raise ExportError([str(p) for p in exc.problems]) from None
    problems: list[str] = []

    def bad(where: tuple, message: str, key: bool = False) -> None:
        problems.append(str(doc.problem(where, message, key=key)))

    data = doc.data
    if not isinstance(data, dict):
        raise ExportError([str(doc.problem((), "a map file is a YAML mapping (columns, channels, "
                                               "topics, ...)"))])
    result = ImportMap(source=path)
    for key in data:
        if key not in TOP_KEYS:
            bad((key,), _unknown(key, TOP_KEYS), key=True)
    if data.get("version", 1) != 1:
        bad(("version",), "unsupported map version; this channelplan reads version 1")
    if "format" in data:
        if data["format"] not in FORMAT_NAMES:
            bad(("format",), f"format must be one of {', '.join(FORMAT_NAMES)}")
        else:
            result.fmt = data["format"]
    columns = data.get("columns") or {}
    if not isinstance(columns, dict):
        bad(("columns",), "columns is a mapping such as 'id: Ticket ID'")
        columns = {}
    for concept, column in columns.items():
        if concept not in CONCEPTS:
            bad(("columns", concept), _unknown(concept, CONCEPTS), key=True)
        elif not isinstance(column, str) or not column.strip():
            bad(("columns", concept), f"columns.{concept}: the name of a column, as text")
        else:
            result.columns[concept] = column
    separator = data.get("tag_separator")
    if separator is not None:
        if not isinstance(separator, str) or len(separator) != 1:
            bad(("tag_separator",), "tag_separator is one character, such as ',' or ' '")
        else:
            result.tag_separator = separator
    if "dates" in data:
        if data["dates"] not in ("day-first", "month-first"):
            bad(("dates",), "dates is day-first (31/01/2024) or month-first (01/31/2024)")
        result.day_first = data.get("dates") == "day-first"
    channels = data.get("channels") or {}
    if not isinstance(channels, dict):
        bad(("channels",), "channels maps an export value to a channel id, e.g. 'Portal: email'")
        channels = {}
    for value, channel in channels.items():
        if channel not in CHANNEL_IDS:
            hint = did_you_mean(str(channel), CHANNEL_IDS,
                                otherwise=f"; use one of {', '.join(CHANNEL_IDS)}")
            bad(("channels", value), f"unknown channel id {channel!r}{hint}")
        else:
            result.channels[normalize(str(value))] = channel
    ratings = data.get("ratings") or {}
    if not isinstance(ratings, dict) or set(ratings) - {"good", "bad"}:
        bad(("ratings",), "ratings has two lists: good and bad rating values")
    else:
        result.good = _values(ratings.get("good"), ("ratings", "good"), bad)
        result.bad = _values(ratings.get("bad"), ("ratings", "bad"), bad)
    result.solved = _values(data.get("solved"), ("solved",), bad)
    topics = data.get("topics") or []
    if not isinstance(topics, list):
        bad(("topics",), "topics is a list of rules: name, match, urgency, complexity, sensitivity")
        topics = []
    if len(topics) > MAX_RULES:
        bad(("topics",), f"at most {MAX_RULES} topic rules (a profile holds 100 topics with Other)")
    names: set[str] = set()
    for i, item in enumerate(topics[:MAX_RULES]):
        rule = _rule(item, ("topics", i), bad, needs_match=True)
        if rule is None:
            continue
        if rule.name.casefold() in names or rule.name.casefold() == OTHER.casefold():
            bad(("topics", i, "name"), f"topic name '{rule.name}' is used twice (Other is the "
                                       "topic for contacts no rule matches)")
        names.add(rule.name.casefold())
        result.topics.append(rule)
    if "other" in data:
        other = _rule({"name": OTHER, **data["other"]} if isinstance(data["other"], dict)
                      else data["other"], ("other",), bad, needs_match=False)
        if other is not None:
            result.other = other
    if result.fmt == "generic" or (result.columns and result.fmt is None):
        missing = [c for c in REQUIRED if c not in result.columns]
        if missing and result.fmt == "generic":
            bad(("columns",), "a generic map names at least the columns " + ", ".join(missing))
    if problems:
        raise ExportError(problems)
    return result


def _unknown(key: Any, known: tuple[str, ...]) -> str:
    hint = did_you_mean(str(key), known, otherwise=f"; expected one of: {', '.join(known)}")
    return f"unknown key '{key}'{hint}"


def _values(raw: Any, where: tuple, bad: Any) -> frozenset[str]:
    if raw is None:
        return frozenset()
    if not isinstance(raw, list) or not all(isinstance(v, (str, int)) and not isinstance(v, bool)
                                            for v in raw):
        bad(where, "a list of values, e.g. [Good, '5']")
        return frozenset()
    return frozenset(normalize(str(v)) for v in raw)


def _rule(item: Any, where: tuple, bad: Any, *, needs_match: bool) -> TopicRule | None:
    if not isinstance(item, dict):
        bad(where, "a topic rule is a mapping: name, match, urgency, complexity, sensitivity")
        return None
    ok = True
    for key in item:
        if key not in TOPIC_KEYS:
            bad(where + (key,), _unknown(key, TOPIC_KEYS), key=True)
            ok = False
    name = item.get("name")
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > 200:
        bad(where + ("name",), "a topic needs a name (text, 1-200 characters)")
        ok = False
    match = item.get("match", [])
    if isinstance(match, str):
        match = [match]
    if needs_match and (not isinstance(match, list) or not match
                        or not all(isinstance(m, str) and m.strip() for m in match)):
        bad(where + ("match",), "match is a list of tag patterns, e.g. [billing*, refund]")
        ok = False
    attributes: dict[str, str] = {}
    for key, allowed in (("urgency", URGENCIES), ("complexity", LEVELS),
                         ("sensitivity", SENSITIVITIES)):
        if key in item:
            if item[key] not in allowed:
                bad(where + (key,), f"{key} must be one of {', '.join(allowed)}")
                ok = False
            else:
                attributes[key] = item[key]
    if not ok:
        return None
    return compile_rule(" ".join(str(name).split()), [str(m).strip() for m in match or []],
                        **attributes)
