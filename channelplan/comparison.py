"""Comparing many profiles: one recommendation per profile, streamed.

(Named ``comparison`` rather than ``compare``: a submodule ``channelplan.compare`` would
hide the public function ``channelplan.compare`` once imported.)

Profiles are loaded and scored one at a time (in worker processes for large batches on a
machine with more than one core), and only each profile's result is kept, never the
parsed profiles, so memory stays flat as the batch grows.
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from channelplan.errors import ArgumentError, ProfileError, UsageError
from channelplan.suggest import did_you_mean

if TYPE_CHECKING:
    from channelplan.model import Profile

PARALLEL_FROM = 200      # below this, starting worker processes costs more than it saves
CHUNK = 32


def expand(arguments: Iterable[str]) -> list[str]:
    """Files, directories (their *.yaml and *.yml, sorted) and globs (sorted), in argument
    order, each file once: two spellings of one file (``a.yaml``, ``./a.yaml``, a symlink
    to it) give one row, under the first spelling. A recursive glob (``**``) does not
    descend into symlinked directories, so a symlink loop cannot multiply the files."""
    if isinstance(arguments, (str, bytes)):
        raise ArgumentError("paths", "expected a list of paths, got a single string; "
                                     "wrap it in a list")
    out: list[str] = []
    seen: set[Any] = set()

    def add(path: str) -> None:
        key = _identity(path)
        if key not in seen:
            seen.add(key)
            out.append(path)

    for argument in arguments:
        if argument == "-":
            add(argument)
        elif os.path.isdir(argument):
            found = sorted(str(p) for p in Path(argument).iterdir()
                           if p.suffix in (".yaml", ".yml") and p.is_file())
            if not found:
                raise UsageError(f"{argument}: no *.yaml or *.yml files in this directory")
            for path in found:
                add(path)
        elif os.path.exists(argument) or not any(ch in argument for ch in "*?["):
            add(argument)
        else:
            found = sorted(p for p in _glob(argument)
                           if p.endswith((".yaml", ".yml")) and os.path.isfile(p))
            if not found:
                raise UsageError(f"{argument}: the pattern matches no *.yaml or *.yml file")
            for path in found:
                add(path)
    return out


def _identity(path: str) -> Any:
    """What makes two paths the same file: device and inode where the file exists, else
    the normalised path."""
    if path == "-":
        return path
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return os.path.normpath(os.path.abspath(path))
    return (info.st_dev, info.st_ino)


def _glob(pattern: str) -> list[str]:
    """``glob.glob(pattern, recursive=True)``, except that ``**`` walks real directories
    only (glob follows symlinked directories, so two loops make it exponential)."""
    if "**" not in pattern:
        return glob.glob(pattern)
    parts = pattern.split(os.sep)
    fixed = 0
    while fixed < len(parts) and not glob.has_magic(parts[fixed]):
        fixed += 1
    root = os.sep.join(parts[:fixed]) or ("" if not pattern.startswith(os.sep) else os.sep)
    matcher = _pattern_regex(parts[fixed:])
    found = []
    for directory, dirs, files in os.walk(root or os.curdir, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        relative = os.path.relpath(directory, root or os.curdir)
        for name in files:
            if name.startswith("."):
                continue
            rest = name if relative == os.curdir else os.path.join(relative, name)
            if matcher.fullmatch(rest):
                found.append(os.path.join(root, rest) if root else rest)
    return found


def _pattern_regex(parts: list[str]) -> re.Pattern[str]:
    """A regex for the part of a glob pattern after its fixed directories: ``**`` is any
    number of directories, ``*`` and ``?`` stay within one name, ``[...]`` is a class."""
    sep = re.escape(os.sep)
    pieces = []
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if part == "**":
            pieces.append(".*" if last else f"(?:[^{sep}]+{sep})*")
            continue
        pieces.append(_component_regex(part, sep) + ("" if last else sep))
    return re.compile("".join(pieces), re.DOTALL)


def _component_regex(part: str, sep: str) -> str:
    out, i = [], 0
    while i < len(part):
        ch = part[i]
        if ch == "*":
            out.append(f"[^{sep}]*")
        elif ch == "?":
            out.append(f"[^{sep}]")
        elif ch == "[" and (close := part.find("]", i + 2)) != -1:
            inner = part[i + 1:close]
            negate = inner.startswith("!")
            inner = inner[1:] if negate else inner
            out.append("[" + ("^" if negate else "") + inner.replace("\\", "\\\\") + "]")
            i = close
        else:
            out.append(re.escape(ch))
        i += 1
    return "".join(out)


def compare_one(path: str, weights: Mapping[str, float] | None = None,
                robustness: bool = False, stdin: bytes | None = None) -> dict[str, Any]:
    """One row: the recommendation document of one profile, or its errors."""
    from channelplan.loader import load_profile, parse_profile
    from channelplan.scoring import recommend

    try:
        profile = parse_profile(stdin or b"", source="<stdin>") if path == "-" else load_profile(path)
    except ProfileError as exc:
        return {"source": "<stdin>" if path == "-" else path,
                "errors": [p.to_dict() for p in exc.problems]}
    return recommend(profile, weights, robustness=robustness).to_dict()


class EncodedRow(dict):  # type: ignore[type-arg]
    """A row as the parent process of ``compare -f json`` reads it (the errors, or what
    :func:`compact` keeps: enough to count, check ``--fail-on`` and sort), with the whole
    row's JSON text written in the worker (``json``): the full document crosses the pipe
    once, as one string, instead of being pickled, unpickled and encoded again."""

    json: str


def compare_one_encoded(path: str, weights: Mapping[str, float] | None = None,
                        robustness: bool = False, stdin: bytes | None = None) -> EncodedRow:
    """:func:`compare_one`, for ``compare -f json`` (see :class:`EncodedRow`)."""
    from channelplan.render.comparison import row_json

    row = compare_one(path, weights, robustness, stdin)
    encoded = EncodedRow(compact(row))
    encoded.json = row_json(row)
    return encoded


def cpu_count() -> int:
    """The CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def worker_count(jobs: int | None, profiles: int) -> int:
    """Worker processes for a batch: ``jobs`` (default 2 from 200 profiles up), never more
    than the CPUs or the profiles."""
    if jobs is None:
        jobs = 2 if profiles >= PARALLEL_FROM else 1
    elif isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ArgumentError("jobs", f"expected a whole number of 1 or more, got {jobs!r}")
    return max(1, min(jobs, cpu_count(), profiles))


def compare_iter(paths: list[str], weights: Mapping[str, float] | None = None,
                 robustness: bool = False, jobs: int | None = None,
                 stdin: bytes | None = None, encoded: bool = False) -> Iterator[dict[str, Any]]:
    """Results in the order of ``paths``; a pool of worker processes for large batches
    (see :func:`worker_count`). However the iteration ends (finished, abandoned, an error,
    an interrupt), the workers are stopped with it. ``encoded``: each row an
    :class:`EncodedRow` (what ``compare -f json`` writes)."""
    if isinstance(paths, (str, bytes)):
        raise ArgumentError("paths", "expected a list of paths, got a single string; "
                                     "wrap it in a list")
    from channelplan.weights import checked_weights

    weights = checked_weights(weights)
    workers = worker_count(jobs, len(paths))
    one = compare_one_encoded if encoded else compare_one
    if workers <= 1 or "-" in paths:
        for path in paths:
            yield one(path, weights, robustness, stdin if path == "-" else None)
        return
    from channelplan.workers import ordered_map

    yield from ordered_map(one, paths, workers, CHUNK, (weights, robustness))


def compact(row: dict[str, Any]) -> dict[str, Any]:
    """The part of a row a table needs: name, source, and each channel's score and action."""
    if "errors" in row:
        return row
    return {"profile": row["profile"],
            "channels": [{"channel": c["channel"], "score": c["score"], "action": c["action"]}
                         for c in row["channels"]]}


def sort_key(sort: str) -> Any:
    """A key for ``sorted``: by name or source (A-Z), or by a channel's score (best first);
    profiles that did not load come last."""
    def key(row: dict[str, Any]) -> tuple[int, Any]:
        if "errors" in row:
            return (1, row["source"])
        if sort in ("name", "source"):
            return (0, str(row["profile"][sort]).casefold())
        score = next(c["score"] for c in row["channels"] if c["channel"] == sort)
        return (0, -score)

    return key


def matches(row: dict[str, Any], rules: Iterable[tuple[str, str]]) -> bool:
    """Whether any channel of a loaded profile gets one of the (action, channel) rules;
    an empty channel matches every channel."""
    return any(c["action"] == action and channel in ("", c["channel"])
               for c in row.get("channels", []) for action, channel in rules)


ACTIONS = ("keep", "improve", "add", "retire", "skip")
SORT_KEYS = ("name", "source")


def channel_columns(channels: str | None) -> list[str]:
    """The channels to show: every channel, or the comma-separated ids given, in order."""
    from channelplan.catalogue import CHANNEL_IDS

    if not channels:
        return list(CHANNEL_IDS)
    columns = list(dict.fromkeys(c.strip() for c in channels.split(",") if c.strip()))
    for c in columns:
        if c not in CHANNEL_IDS:
            raise ArgumentError("channels", f"unknown channel id '{c}'{did_you_mean(c, CHANNEL_IDS)}")
    return columns


def check_sort(sort: str | None) -> str | None:
    """The sort key if it is one: name, source or a channel id."""
    from channelplan.catalogue import CHANNEL_IDS

    if sort and sort not in SORT_KEYS and sort not in CHANNEL_IDS:
        raise ArgumentError("sort", f"{sort!r}: use name, source or a channel id"
                                    f"{did_you_mean(sort, (*SORT_KEYS, *CHANNEL_IDS))}")
    return sort


def fail_rules(items: Iterable[str]) -> list[tuple[str, str]]:
    """``ACTION[:CHANNEL]`` conditions as (action, channel) pairs for :func:`matches`."""
    from channelplan.catalogue import CHANNEL_IDS

    rules = []
    for item in items:
        action, _, channel = item.strip().partition(":")
        if action not in ACTIONS:
            raise ArgumentError("fail_on", f"{item!r}: unknown action '{action}'; use "
                                           f"ACTION[:CHANNEL] with ACTION one of "
                                           f"{', '.join(ACTIONS)}, e.g. retire:phone"
                                           f"{did_you_mean(action, ACTIONS)}")
        if channel and channel not in CHANNEL_IDS:
            raise ArgumentError("fail_on", f"{item!r}: unknown channel id '{channel}'"
                                           f"{did_you_mean(channel, CHANNEL_IDS)}")
        rules.append((action, channel))
    return rules


# The Python API ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Comparison:
    """Many profiles compared (:func:`compare`).

    Each row is one profile's ``channelplan/recommendation@2`` document or, for a profile
    that does not load, ``{"source": ..., "errors": [...]}``; ``to_dict()`` is the
    ``channelplan/comparison@1`` JSON document ``channelplan compare -f json`` writes.
    """

    rows: list[dict[str, Any]]

    @property
    def failed(self) -> list[dict[str, Any]]:
        """The rows of profiles that did not load, each with its located errors."""
        return [row for row in self.rows if "errors" in row]

    def actions(self) -> dict[str, dict[str, str]]:
        """For each loaded profile (by source), each channel's action."""
        return {row["profile"]["source"]: {c["channel"]: c["action"] for c in row["channels"]}
                for row in self.rows if "errors" not in row}

    def to_dict(self) -> dict[str, Any]:
        return {"schema": "channelplan/comparison@1", "profiles": self.rows,
                "summary": {"profiles": len(self.rows), "errors": len(self.failed)}}


def compare(profiles: Iterable[str | os.PathLike[str] | Profile],
            weights: Mapping[str, float] | None = None, *, robustness: bool = False,
            jobs: int | None = None) -> Comparison:
    """Score many profiles: paths (files, directories of ``*.yaml``/``*.yml``, quoted globs,
    as ``channelplan compare`` takes them) or already loaded profiles, in the order given.

    A profile file that does not load becomes a row with its errors; the others still run.
    ``robustness`` also computes each action's robustness (slower); ``jobs`` worker
    processes score large batches of files (default: 2 from 200 files).
    """
    from channelplan.model import Profile
    from channelplan.scoring import recommend

    rows: list[dict[str, Any]] = []
    pending: list[str] = []

    def flush() -> None:
        rows.extend(compare_iter(expand(pending), weights, robustness, jobs))
        pending.clear()

    for item in profiles:
        if isinstance(item, Profile):
            if pending:
                flush()
            rows.append(recommend(item, weights, robustness=robustness).to_dict())
        else:
            pending.append(os.fspath(item))
    if pending:
        flush()
    return Comparison(rows)


def load_profiles(paths: Iterable[str | os.PathLike[str]]) -> list[Profile]:
    """Read and validate several profiles: files, directories (their ``*.yaml`` and
    ``*.yml``, sorted) and quoted globs, in the order given.

    Raises :class:`~channelplan.errors.ProfileError` with every problem of every file at
    once, and :class:`~channelplan.errors.UsageError` for a directory or a glob that holds
    no profile.
    """
    from channelplan.loader import load_profile

    loaded: list[Profile] = []
    problems = []
    for path in expand(os.fspath(p) for p in paths):
        try:
            loaded.append(load_profile(path))
        except ProfileError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ProfileError(problems)
    return loaded
