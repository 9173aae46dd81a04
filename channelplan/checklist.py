"""Checklists: the roadmap as a Markdown task list that survives regeneration.

Every line channelplan writes is either blank or ends with an anchor comment such as
``<!-- task:phone.prepare.guides -->``; every other line belongs to the person who
edited the file and is attached to the anchor above it. Regenerating keeps each task's
tick and the lines under it (matched by task id), keeps lines under headings, and moves
tasks that left the plan into a "Removed tasks" section instead of dropping them.

Only a file whose title line carries ``<!-- channelplan:checklist -->`` is ever rewritten;
lines inside fenced code blocks are never tasks or anchors. The last line records a hash
of each task line as channelplan wrote it (``<!-- channelplan:lines ID=HASH ... -->``), so
that a line a person edited is kept as they wrote it (with the plan's version on a
``plan now:`` line under it) while an unedited line follows the plan.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from channelplan.catalogue import catalogue
from channelplan.decoding import UndecodableText, decode_text
from channelplan.errors import ChecklistError, Problem
from channelplan.limits import MAX_INPUT_BYTES as MAX_BYTES
from channelplan.textsafe import md, md_code
from channelplan.transition import Roadmap

_ANCHOR = re.compile(r"<!--\s*(task|phase|retirement|channelplan|former|plan):([A-Za-z0-9._:-]+)\s*-->\s*$")
_ITEM = r"^\s*(?:[-*+]|[0-9]{1,9}[.)])\s+\[([ xX])\]"   # a task-list item, bulleted or numbered
_TASK = re.compile(_ITEM + r"\s?(.*?)\s*<!--\s*task:([A-Za-z0-9._-]+)\s*-->\s*$")
_TASK_ITEM = re.compile(_ITEM)
_DUE = re.compile(r"\bdue (\S+?)\)?\s*$")
_OWNER = re.compile(r"\(owner: ([^;)]+)")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
MARKER = "<!-- channelplan:checklist -->"
_MARKER_LINE = re.compile(r"^#{1,6}\s.*<!--\s*channelplan:checklist\s*-->\s*$")
_REMOVED_LINE = re.compile(r"^#{1,6}\s.*<!--\s*channelplan:removed\s*-->\s*$")
# What channelplan last wrote for each task, so that a line a person edited can be told
# from a line the plan changed: `<!-- channelplan:lines ID=HASH ... -->`.
_LINES = re.compile(r"^<!--\s*channelplan:lines((?:\s+[A-Za-z0-9._-]+=[0-9a-f]{8})*)\s*-->\s*$")


@dataclass
class Anchor:
    kind: str
    id: str
    line: str
    number: int
    checked: bool = False
    notes: list[str] = field(default_factory=list)


@dataclass
class Parsed:
    preamble: list[str]
    anchors: list[Anchor]
    written: dict[str, str] = field(default_factory=dict)   # task id -> fingerprint


def _trim(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    while lines and not lines[0].strip():
        lines = lines[1:]
    return lines


def split_lines(text: str) -> list[str]:
    """A checklist's lines: split at line feeds only (a note may hold any other character,
    such as U+2028), with a carriage return before the line feed dropped."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def fenced_lines(lines: list[str]) -> set[int]:
    """Indexes of lines inside (or opening or closing) a fenced code block: what looks like
    a task there is an example, not a task."""
    inside: set[int] = set()
    fence = ""
    for index, line in enumerate(lines):
        match = _FENCE.match(line)
        if fence:
            inside.add(index)
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence) \
                    and not line.strip()[len(match.group(1)):].strip():
                fence = ""
        elif match and not (match.group(1)[0] == "`" and "`" in line.strip()[len(match.group(1)):]):
            fence = match.group(1)
            inside.add(index)
    return inside


def is_checklist(text: str) -> bool:
    """Whether ``text`` carries the marker line that every generated checklist starts with
    (outside code blocks)."""
    lines = split_lines(text)
    fenced = fenced_lines(lines)
    return any(_MARKER_LINE.match(line) for i, line in enumerate(lines) if i not in fenced)


def _fingerprint(line: str) -> str:
    """A short hash of a task line as written, ignoring its tick, list marker, anchor and
    spacing."""
    import hashlib

    body = _ANCHOR.sub("", _TASK_ITEM.sub("- [ ]", line, count=1))
    return hashlib.blake2s(" ".join(body.split()).encode("utf-8", "surrogatepass"),
                           digest_size=4).hexdigest()


def _parse(text: str) -> Parsed:
    preamble: list[str] = []
    anchors: list[Anchor] = []
    written: dict[str, str] = {}
    lines = split_lines(text)
    fenced = fenced_lines(lines)
    for index, line in enumerate(lines):
        lines_match = _LINES.match(line) if index not in fenced else None
        if lines_match:
            for item in lines_match.group(1).split():
                ident, _, digest = item.partition("=")
                written[ident] = digest
            continue
        match = _ANCHOR.search(line) if index not in fenced else None
        if match and match.group(1) == "plan":
            continue  # the plan's version of an edited task: written anew each time
        if match:
            kind, ident = match.groups()
            task = _TASK.match(line) if kind == "task" else None
            anchors.append(Anchor(kind=kind, id=ident, line=line, number=index + 1,
                                  checked=bool(task and task.group(1) in "xX")))
        elif anchors:
            anchors[-1].notes.append(line)
        else:
            preamble.append(line)
    for anchor in anchors:
        anchor.notes = _trim(anchor.notes)
    return Parsed(preamble=_trim(preamble), anchors=anchors, written=written)


def _merge_duplicates(anchors: list[Anchor]) -> list[Anchor]:
    """A person may copy a task line: keep one anchor per id, ticked if any copy is, with
    the notes of every copy (and the copied line itself when it differs)."""
    merged: dict[tuple[str, str], Anchor] = {}
    out = []
    for anchor in anchors:
        key = (anchor.kind, anchor.id)
        if key not in merged:
            merged[key] = anchor
            out.append(anchor)
            continue
        first = merged[key]
        first.checked = first.checked or anchor.checked
        if _untick(anchor.line) != _untick(first.line):  # an edited copy: keep its words
            first.notes.append(_ANCHOR.sub("", anchor.line).rstrip())
        first.notes.extend(anchor.notes)
    return out


def _untick(line: str) -> str:
    return _TASK_ITEM.sub("- [ ]", line.strip(), count=1)


def _tick(line: str, checked: bool) -> str:
    """The line with its tick set (whatever its list marker)."""
    return re.sub(r"\[[ xX]\]", "[x]" if checked else "[ ]", line, count=1) if checked \
        else line


def _task_line(title: str, owner: str, due: dt.date, ident: str, checked: bool) -> str:
    return (f"- [{'x' if checked else ' '}] {md(title)} (owner: {md(owner)}; due {due.isoformat()}) "
            f"<!-- task:{ident} -->")


def _generated(plan: Roadmap) -> list[tuple[str, str, str, Any]]:
    """(kind, id, line, task) in order; blank lines are kind ''."""
    return _sections(plan, standalone=True, level=1)


def checklist_markdown(plan: Roadmap, level: int = 2) -> str:
    """The checklist's task list for embedding in a larger document (headings from
    ``level``), without the title and without anchors for regeneration."""
    sections = _sections(plan, standalone=False, level=level)
    # A check repeated every week is one task to read, with its cadence and dates; the
    # tracked checklist keeps one line per week to tick.
    series: dict[tuple[str, str, str], list[Any]] = {}
    for kind, _ident, _line, task in sections:
        if kind == "task" and task.series:
            series.setdefault((task.channel, task.phase, task.series), []).append(task)
    lines = []
    for kind, _ident, line, task in sections:
        if kind == "task" and task.series:
            repeats = series[(task.channel, task.phase, task.series)]
            if task is not repeats[0]:
                continue
            if len(repeats) > 1:
                line = (f"- [ ] Every week for {len(repeats)} weeks, {md(task.series)} (owner: "
                        f"{md(task.owner)}; due "
                        + ", ".join(t.due.isoformat() for t in repeats) + ")")
            else:
                line = _task_line(task.title, task.owner, task.due, task.id, False)
        elif kind == "task":
            line = _task_line(task.title, task.owner, task.due, task.id, False)
        lines.append(re.sub(r"\s*<!--.*?-->\s*$", "", line))
    return "\n".join(lines).strip() + "\n"


def _sections(plan: Roadmap, *, standalone: bool, level: int) -> list[tuple[str, str, str, Any]]:
    h2, h3 = "#" * (level + 1), "#" * (level + 2)
    profile = plan.profile
    out: list[tuple[str, str, str, Any]] = [] if not standalone else [
        ("channelplan", "checklist",
         f"# Transition checklist: {md(profile.company.name)} <!-- channelplan:checklist -->", None),
        ("", "", "", None),
        ("channelplan", "about",
         f"> Generated by channelplan from `{md_code(profile.source)}`. Regenerate with "
         "`channelplan checklist PROFILE -o FILE`; tick tasks and add notes under them, both are "
         "kept. <!-- channelplan:about -->", None),
    ]
    if not plan.retirements and standalone:
        out += [("", "", "", None),
                ("channelplan", "nothing",
                 ("No retirement planned: every channel offered today is kept."
                  if not plan.blocked else
                  f"No retirement planned: {len(plan.blocked)} recommended retirement(s) would leave "
                  "customers without a suitable channel; see `channelplan roadmap`.")
                 + " <!-- channelplan:nothing -->",
                 None)]
    for r in plan.retirements:
        alternatives = ", ".join(f"{catalogue()[a.channel].name} {a.share * 100:.0f}%"
                                 for a in r.alternatives)
        out += [("", "", "", None),
                ("retirement", r.channel,
                 f"{h2} Retire {md(r.name)}: sunset {r.sunset_date.isoformat()}, {r.notice_days} days' "
                 f"notice; alternatives: {md(alternatives)} <!-- retirement:{r.channel} -->", None)]
        for index, phase in enumerate(r.phases, start=1):
            out += [("", "", "", None),
                    ("phase", f"{r.channel}.{phase.key}",
                     f"{h3} {index}. {md(phase.name)}: {phase.start.isoformat()} to "
                     f"{phase.end.isoformat()} <!-- phase:{r.channel}.{phase.key} -->", None),
                    ("", "", "", None)]
            for task in [*phase.tasks, phase.gate.task()]:  # each phase ends in its gate
                out.append(("task", task.id, "", task))
    return out


def render_checklist(plan: Roadmap, existing: str | None = None, source: str = "<checklist>") -> str:
    """The checklist for ``plan``, merged with the ``existing`` file's ticks and notes.

    A task line a person edited (its wording or owner) is kept as they wrote it, with the
    plan's current version on a line under it (``plan now: ...``), regenerated each time;
    an unedited line follows the plan. Line endings follow the existing file's (CRLF stays
    CRLF).

    Raises :class:`~channelplan.errors.ChecklistError` when ``existing`` has text but is not
    a channelplan checklist (no ``channelplan:checklist`` marker line outside code blocks),
    so that no unrelated file is ever rewritten, and when the result would be larger than a
    checklist may be (it could not be read back)."""
    if existing and existing.strip() and not is_checklist(existing):
        raise ChecklistError([Problem(source, 1, 1, "exists and is not a channelplan checklist "
                                                    f"(no '{MARKER}' title line); refusing to "
                                                    "rewrite it (choose another path)")])
    old = _parse(existing) if existing else Parsed([], [])
    old.anchors = _merge_duplicates(old.anchors)
    old_tasks = {a.id: a for a in old.anchors if a.kind == "task"}
    old_other = {(a.kind, a.id): a for a in old.anchors if a.kind not in ("task",)}
    lines: list[str] = list(old.preamble)
    if lines:
        lines.append("")
    used: set[tuple[str, str]] = set()
    written: list[str] = []
    for kind, ident, line, task in _generated(plan):
        if not kind:
            lines.append("")
            continue
        previous = old_tasks.get(ident) if kind == "task" else old_other.get((kind, ident))
        if kind == "task":
            checked = bool(previous and previous.checked)
            planned = _task_line(task.title, task.owner, task.due, ident, False)
            written.append(f"{ident}={_fingerprint(planned)}")
            if previous and _edited(previous, old.written):
                lines.append(_tick(previous.line.rstrip(), checked))
                lines.append(f"  - plan now: {md(task.title)} (owner: {md(task.owner)}; due "
                             f"{task.due.isoformat()}) <!-- plan:{ident} -->")
            else:
                lines.append(_task_line(task.title, task.owner, task.due, ident, checked))
        else:
            lines.append(line)
        used.add((kind, ident))
        if previous and previous.notes:
            lines.extend(previous.notes)
    leftovers: list[str] = []
    for anchor in old.anchors:
        if (anchor.kind, anchor.id) in used or (anchor.kind == "channelplan" and anchor.id == "removed"):
            continue
        if anchor.kind == "task" or anchor.kind == "former":
            leftovers.append(_tick(anchor.line.rstrip(), anchor.checked))
            leftovers.extend(anchor.notes)
        elif anchor.notes:
            leftovers.append(f"<!-- former:{anchor.kind}.{anchor.id} -->")
            leftovers.extend(anchor.notes)
    removed_anchor = old_other.get(("channelplan", "removed"))
    if leftovers or (removed_anchor and removed_anchor.notes):
        lines += ["", "## Removed tasks: no longer in the plan, kept with their ticks and notes "
                      "<!-- channelplan:removed -->"]
        if removed_anchor and removed_anchor.notes:
            lines += removed_anchor.notes
        lines += [""] + leftovers
    while lines and not lines[-1].strip():
        lines.pop()
    if written:
        lines += ["", "<!-- channelplan:lines " + " ".join(written) + " -->"]
    newline = "\r\n" if existing and "\r\n" in existing else "\n"
    text = newline.join(lines) + newline
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise ChecklistError([Problem(source, 1, 1, f"the regenerated checklist would be larger "
                                                    f"than {MAX_BYTES // 1024} KiB, too large "
                                                    "to read back; move long notes to another "
                                                    "file and link them")])
    return text


def same_checklist(a: str | None, b: str | None) -> bool:
    """Whether two checklists say the same, line endings aside (for ``--check``)."""
    if a is None or b is None:
        return a is b
    return split_lines(a) == split_lines(b)


def _edited(anchor: Anchor, written: dict[str, str]) -> bool:
    """Whether a person changed a task line's words since channelplan wrote it (a file
    without the record of what was written: no)."""
    recorded = written.get(anchor.id)
    return recorded is not None and recorded != _fingerprint(anchor.line)


# Reading checklists (status) ---------------------------------------------------------------


@dataclass
class ChecklistTask:
    id: str
    title: str
    done: bool
    due: dt.date | None
    owner: str
    line: int

    @property
    def channel(self) -> str:
        return self.id.split(".")[0]

    @property
    def phase(self) -> str:
        parts = self.id.split(".")
        return parts[1] if len(parts) > 2 else "other"

    @property
    def gate(self) -> bool:
        """A phase's gate (``CHANNEL.PHASE.gate``): criteria to meet before the next phase."""
        return self.id.endswith(".gate") and self.id.count(".") == 2


def decode_checklist(raw: bytes, source: str) -> str:
    """A checklist file's text (see :func:`channelplan.decoding.decode_text`)."""
    try:
        return decode_text(raw, source, "a checklist is a small Markdown file")
    except UndecodableText as exc:
        raise ChecklistError([exc.problem]) from None


def read_checklist(text: str, source: str) -> list[ChecklistTask]:
    """The live tasks of a checklist: every task-list item ending with a task id comment,
    wherever it sits, except those in the "Removed tasks" section (from its heading to the
    next retirement, phase or channelplan heading) and those inside code blocks."""
    tasks: list[ChecklistTask] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    marker = False
    in_removed = False
    lines = split_lines(text)
    fenced = fenced_lines(lines)
    for index, line in enumerate(lines):
        number = index + 1
        if index in fenced:
            continue
        if _MARKER_LINE.match(line):
            marker = True
        if _REMOVED_LINE.match(line):
            in_removed = True
            continue
        anchor = _ANCHOR.search(line)
        if anchor and anchor.group(1) in ("retirement", "phase", "channelplan"):
            in_removed = False
        match = _TASK.match(line)
        if not match:
            if "<!-- task:" in line and _TASK_ITEM.match(line):
                column = line.index("<!-- task:") + 1
                problems.append(Problem(source, number, column, "a task id comment must end a "
                                        "task-list item such as '- [ ] title <!-- task:ID -->', "
                                        "with an id of letters, digits, '.', '-' and '_'"))
            continue
        if in_removed:
            continue
        mark, title, ident = match.groups()
        if ident in seen:
            problems.append(Problem(source, number, line.index("<!--") + 1,
                                    f"duplicate task id '{ident}' (also on line {seen[ident]})"))
            continue
        seen[ident] = number
        due = None
        due_match = _DUE.search(title)
        if due_match:
            try:
                if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", due_match.group(1)):
                    raise ValueError
                due = dt.date.fromisoformat(due_match.group(1))
            except ValueError:
                problems.append(Problem(source, number, line.index(due_match.group(1)) + 1,
                                        f"'{due_match.group(1)}' is not a valid date (YYYY-MM-DD)"))
        owner = _OWNER.search(title)
        tasks.append(ChecklistTask(id=ident, title=title, done=mark in "xX", due=due,
                                   owner=owner.group(1).strip() if owner else "", line=number))
    if problems:
        raise ChecklistError(problems)
    if not tasks and not marker:
        raise ChecklistError([Problem(source, 1, 1, "not a channelplan checklist: no task-list "
                                                    "items ending with '<!-- task:ID -->'; create "
                                                    "one with 'channelplan checklist PROFILE -o FILE'")])
    return tasks


@dataclass
class StatusReport:
    source: str
    today: dt.date
    tasks: list[ChecklistTask]

    @property
    def overdue(self) -> list[ChecklistTask]:
        return [t for t in self.tasks if not t.done and t.due is not None and t.due < self.today]

    def groups(self) -> list[dict[str, Any]]:
        order: dict[tuple[str, str], dict[str, Any]] = {}
        for task in self.tasks:
            group = order.setdefault((task.channel, task.phase), {
                "channel": task.channel, "phase": task.phase, "done": 0, "open": 0, "overdue": 0,
                "total": 0})
            group["total"] += 1
            if task.done:
                group["done"] += 1
            else:
                group["open"] += 1
                if task.due is not None and task.due < self.today:
                    group["overdue"] += 1
        return list(order.values())

    def to_dict(self) -> dict[str, Any]:
        done = sum(1 for t in self.tasks if t.done)
        return {
            "schema": "channelplan/status@1",
            "source": self.source,
            "today": self.today.isoformat(),
            "totals": {"tasks": len(self.tasks), "done": done, "open": len(self.tasks) - done,
                       "overdue": len(self.overdue)},
            "groups": self.groups(),
            "overdue": [{"id": t.id, "title": t.title, "owner": t.owner,
                         "due": t.due.isoformat() if t.due else None, "line": t.line}
                        for t in self.overdue],
            "gates": [{"id": t.id, "channel": t.channel, "phase": t.phase, "title": t.title,
                       "due": t.due.isoformat() if t.due else None, "state": self.gate_state(t),
                       "line": t.line} for t in self.gates],
        }

    @property
    def gates(self) -> list[ChecklistTask]:
        return [t for t in self.tasks if t.gate]

    def gate_state(self, task: ChecklistTask) -> str:
        """passed (ticked), overdue (open past its date) or open."""
        if task.done:
            return "passed"
        return "overdue" if task.due is not None and task.due < self.today else "open"


def checklist_status(text: str, source: str, today: dt.date) -> StatusReport:
    return StatusReport(source=source, today=today, tasks=read_checklist(text, source))
