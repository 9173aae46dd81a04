"""A YAML reader for untrusted, hand-written files.

It builds plain Python values (dict, list, str, int, float, bool, None) straight from
the parser's event stream, so that:

* every value and key keeps its line and column, for error messages;
* duplicate keys are refused instead of silently keeping the last one;
* tags that would construct objects are refused;
* aliases may not expand beyond ``MAX_NODES`` values ("billion laughs"), nesting may not
  go deeper than ``MAX_DEPTH`` (no recursion, so no stack overflow), and input may not
  exceed ``MAX_BYTES``;
* plain scalars follow YAML 1.2's core schema: ``no``, ``on`` and ``yes`` stay text and
  ``2027-02-30`` stays text for the model to reject, rather than PyYAML's YAML 1.1
  habits turning them into ``False`` or a crash.

libyaml's C parser is used when PyYAML was built with it, the pure-Python one otherwise.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from channelplan.datafiles import SAFE_LOADER
from channelplan.decoding import UndecodableText, decode_text
from channelplan.errors import Problem
from channelplan.limits import MAX_DEPTH, MAX_NODES, MAX_NUMBER_DIGITS, OverlongNumber
from channelplan.limits import MAX_INPUT_BYTES as MAX_BYTES

Path = tuple[Any, ...]

_LOADER = SAFE_LOADER
_CORE = "tag:yaml.org,2002:"

_SCALAR_TAGS = {None, "!"} | {_CORE + kind for kind in ("str", "int", "float", "bool", "null")}
_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_INT = re.compile(r"[-+]?[0-9][0-9_]*\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(nan|NaN|NAN)\Z")


@dataclass
class Document:
    """A parsed YAML document: its data and where each value and key stands."""

    data: Any
    source: str
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """Line and column of the value (or key) at ``path``, or of its nearest ancestor."""
        table = self.keys if key else self.values
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if key and probe in self.values:
                return self.values[probe]
            probe = probe[:-1]
            table = self.keys if key else self.values
        return self.values.get((), (1, 1))

    def problem(self, path: Path, message: str, *, key: bool = False) -> Problem:
        line, column = self.locate(path, key=key)
        return Problem(self.source, line, column, message)


class YamlProblems(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


def _scalar(value: str, tag: str | None, plain: bool) -> Any:
    """Resolve one scalar by YAML 1.2's core schema (explicit core tags honoured)."""
    if tag in (None, "!") and not plain:
        return value
    kind = tag[len(_CORE):] if tag and tag.startswith(_CORE) else None
    if kind == "str":
        return value
    if kind in (None, "null") and value in _NULL:
        return None
    if kind in (None, "bool"):
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
    if kind in (None, "int", "float") and _INT.match(value):
        if sum(ch.isdigit() for ch in value) > MAX_NUMBER_DIGITS:
            return OverlongNumber(value)
        number = int(value.replace("_", ""))
        return float(number) if kind == "float" else number
    if kind in (None, "float"):
        if _FLOAT.match(value) and any(ch.isdigit() for ch in value):
            return float(value.replace("_", ""))
        if _INF.match(value):
            return -math.inf if value.startswith("-") else math.inf
        if _NAN.match(value):
            return math.nan
    if kind is None:
        return value
    raise ValueError(f"the value {value!r} is not a valid !!{kind}")


def _short(tag: str) -> str:
    return "!!" + tag[len(_CORE):] if tag.startswith(_CORE) else tag


def _size(value: Any) -> int:
    """How many values a (possibly shared) value expands to."""
    count, stack = 0, [value]
    while stack:
        item = stack.pop()
        count += 1
        if count > MAX_NODES:
            break
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return count


def _position(offset_text: str, index: int) -> tuple[int, int]:
    line = offset_text.count("\n", 0, index) + 1
    column = index - (offset_text.rfind("\n", 0, index) + 1) + 1
    return line, column


def decode(raw: bytes, source: str) -> str:
    """Check size and encoding of a file's bytes and return its text."""
    try:
        return decode_text(raw, source, "a profile is a small text file")
    except UndecodableText as exc:
        raise YamlProblems([exc.problem]) from None


def _mark(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def parse_yaml(text: str, source: str) -> Document:
    """Parse one YAML document into plain values with positions; raise YamlProblems."""
    if len(text.encode("utf-8", errors="surrogatepass")) > MAX_BYTES:
        raise YamlProblems([Problem(source, 1, 1, f"file is larger than {MAX_BYTES // 1024} KiB")])
    doc = Document(data=None, source=source)
    problems: list[Problem] = []
    anchors: dict[str, tuple[Any, int]] = {}
    # Each frame: [container, path, pending key or None, anchor, merges]
    stack: list[list[Any]] = []
    expanded = 0
    documents = 0
    root_set = False

    def attach(value: Any, pos: tuple[int, int], anchor: str | None) -> None:
        nonlocal root_set
        if anchor:
            anchors[anchor] = (value, _size(value))
        if not stack:
            doc.data = value
            doc.values.setdefault((), pos)
            root_set = True
            return
        frame = stack[-1]
        container, path = frame[0], frame[1]
        if isinstance(container, list):
            doc.values[path + (len(container),)] = pos
            container.append(value)
            return
        if frame[2] is None:
            if isinstance(value, (dict, list)):
                problems.append(Problem(source, *pos, "a key must be plain text, not a "
                                        "mapping or a list"))
                frame[2] = ("\0invalid", pos)
                return
            frame[2] = (value, pos)
            return
        key, key_pos = frame[2]
        frame[2] = None
        if key == "\0invalid":
            return
        if key == "<<":
            frame[4].append((value, key_pos))
            return
        if key in container:
            first = doc.keys.get(path + (key,), key_pos)
            problems.append(Problem(source, key_pos[0], key_pos[1],
                                    f"duplicate key '{key}' (first defined at line {first[0]}); "
                                    "each key may appear only once"))
            return
        container[key] = value
        doc.keys[path + (key,)] = key_pos
        doc.values[path + (key,)] = pos

    try:
        for event in yaml.parse(text, Loader=_LOADER):
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    problems.append(Problem(source, *_mark(event.start_mark),
                                            "a profile is a single YAML document; remove the "
                                            "second '---' document"))
                    break
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                pos = _mark(event.start_mark)
                tag = event.tag
                expected = "map" if isinstance(event, yaml.MappingStartEvent) else "seq"
                if tag not in (None, "!", _CORE + expected):
                    problems.append(Problem(source, *pos, f"YAML tag '{_short(tag)}' is not allowed "
                                            "in a profile; remove it"))
                if len(stack) >= MAX_DEPTH:
                    problems.append(Problem(source, *pos, f"nesting deeper than {MAX_DEPTH} "
                                            "levels; a profile is a shallow document"))
                    break
                if stack:
                    parent = stack[-1]
                    if isinstance(parent[0], list):
                        path = parent[1] + (len(parent[0]),)
                    elif parent[2] is not None:
                        path = parent[1] + (parent[2][0],)
                    else:
                        path = parent[1] + ("\0key",)
                else:
                    path = ()
                container: Any = {} if expected == "map" else []
                stack.append([container, path, None, event.anchor, [], pos])
                expanded += 1
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                frame = stack.pop()
                container = frame[0]
                for merged, merge_pos in frame[4]:
                    sources = merged if isinstance(merged, list) else [merged]
                    for item in sources:
                        if not isinstance(item, dict):
                            problems.append(Problem(source, merge_pos[0], merge_pos[1],
                                                    "'<<' merges only mappings"))
                            continue
                        for key, value in item.items():
                            if key not in container:
                                container[key] = value
                                doc.keys[frame[1] + (key,)] = merge_pos
                                doc.values[frame[1] + (key,)] = merge_pos
                attach(container, frame[5], frame[3])
            elif isinstance(event, yaml.ScalarEvent):
                pos = _mark(event.start_mark)
                expanded += 1
                value = event.value
                is_key = bool(stack) and isinstance(stack[-1][0], dict) and stack[-1][2] is None
                if event.tag not in _SCALAR_TAGS:
                    problems.append(Problem(source, *pos, f"YAML tag '{_short(event.tag)}' is not "
                                            "allowed in a profile; remove it"))
                elif not is_key:  # keys stay the text as written: `no:` is the key 'no'
                    try:
                        value = _scalar(event.value, event.tag, event.implicit[0])
                    except ValueError as exc:
                        problems.append(Problem(source, *pos, str(exc)))
                attach(value, pos, event.anchor)
            elif isinstance(event, yaml.AliasEvent):
                pos = _mark(event.start_mark)
                if event.anchor not in anchors:
                    problems.append(Problem(source, *pos, f"alias '*{event.anchor}' refers to "
                                            "an anchor that is not defined before it"))
                    attach(None, pos, None)
                    continue
                value, size = anchors[event.anchor]
                expanded += size
                if expanded > MAX_NODES:
                    problems.append(Problem(source, *pos, "aliases expand this file beyond "
                                            f"{MAX_NODES:,} values; refusing to expand it"))
                    break
                attach(value, pos, None)
            if expanded > MAX_NODES:
                problems.append(Problem(source, 1, 1, f"file has more than {MAX_NODES:,} values"))
                break
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or "invalid YAML"
        if exc.context and exc.problem:
            message = f"{exc.problem} ({exc.context})"
        problems.append(Problem(source, *_mark(mark), f"invalid YAML: {message}"))
    except yaml.YAMLError as exc:  # reader errors: control characters and the like
        position = getattr(exc, "position", None)
        line, column = _position(text, position) if isinstance(position, int) else (1, 1)
        reason = getattr(exc, "reason", None) or str(exc).splitlines()[0]
        problems.append(Problem(source, line, column, f"invalid YAML: {reason}"))
    if problems:
        raise YamlProblems(problems)
    if not root_set:
        raise YamlProblems([Problem(source, 1, 1, "file is empty; a profile is a YAML mapping "
                                    "that starts with 'version: 1'")])
    return doc
