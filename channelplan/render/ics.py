"""The roadmap as an iCalendar file (RFC 5545): one all-day event per phase and per gate.

UIDs come from the plan, not its dates (profile name, channel, phase or gate), so a
subscribed calendar moves an event in place when the plan's dates change. Lines end in
CRLF and are folded at 75 octets; TEXT values escape backslash, semicolon, comma and
newlines; profile text is made plain (no control characters) first.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re

from channelplan.render import RenderOptions
from channelplan.textsafe import plain
from channelplan.transition import Roadmap

PRODID = "-//channelplan//transition roadmap//EN"
MAX_OCTETS = 75


def escape(value: object) -> str:
    """A TEXT value (RFC 5545 3.3.11): printable, with \\ ; , and newlines escaped."""
    lines = [plain(line) for line in str(value).splitlines()] or [""]
    text = "\n".join(lines)
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets, never inside a UTF-8 sequence;
    each continuation starts with one space (RFC 5545 3.1)."""
    pieces: list[str] = []
    current, size, limit = "", 0, MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size, limit = " ", 1, MAX_OCTETS
        current += char
        size += width
    pieces.append(current)
    return "\r\n".join(pieces)


def uid(plan: Roadmap, *parts: str) -> str:
    """A stable id: the profile's name (as a slug plus a short digest, so names that differ
    only in punctuation do not collide), then the plan's own ids."""
    name = plan.profile.company.name
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "profile"
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    return "-".join([slug, digest, *parts]) + "@channelplan"


def _date(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def _stamp() -> str:
    """DTSTAMP: now in UTC, or SOURCE_DATE_EPOCH when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        moment = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    else:
        moment = dt.datetime.now(dt.timezone.utc)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def _event(lines: list[str], ident: str, stamp: str, first: dt.date, last: dt.date,
           summary: str, description: str, category: str) -> None:
    lines += ["BEGIN:VEVENT", f"UID:{ident}", f"DTSTAMP:{stamp}",
              f"DTSTART;VALUE=DATE:{_date(first)}",
              f"DTEND;VALUE=DATE:{_date(last + dt.timedelta(days=1))}",   # exclusive
              f"SUMMARY:{escape(summary)}", f"DESCRIPTION:{escape(description)}",
              f"CATEGORIES:{escape(category)}", "TRANSP:TRANSPARENT", "END:VEVENT"]


def calendar(plan: Roadmap, options: RenderOptions) -> str:
    stamp = _stamp()
    company = plan.profile.company.name
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{escape(company + ': support channel transition')}"]
    for r in plan.retirements:
        for phase in r.phases:
            tasks = "\n".join(f"- {t.title} ({t.owner}; due {t.due.isoformat()})"
                              for t in phase.tasks)
            description = (f"{phase.purpose}\n\nTasks:\n{tasks}" if tasks else phase.purpose)
            description += f"\n\nEnds with the gate: {phase.gate.name}."
            _event(lines, uid(plan, r.channel, phase.key), stamp, phase.start, phase.end,
                   f"{company}: retire {r.name}: {phase.name}", description, "Phase")
            gate = phase.gate
            text = "Criteria:\n" + "\n".join(f"- {c}" for c in gate.criteria)
            if gate.rollback:
                text += "\n\nRoll back if:\n" + "\n".join(f"- {c}" for c in gate.rollback)
            _event(lines, uid(plan, r.channel, phase.key, "gate"), stamp, gate.date, gate.date,
                   f"{company}: retire {r.name}: gate: {gate.name}", text, "Gate")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
