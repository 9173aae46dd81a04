"""Synthetic help-desk exports with a known ground truth, for the import tests and the
benchmark.

``write_export`` draws contacts from a known channel mix, topic mix (each topic through its
own tags), arrival profile by weekday and hour, rating, reopen and first-reply rates and
handle times, and writes them as a Zendesk, Intercom or generic export. ``Truth`` holds
the values ``channelplan import`` should recover. Every row also carries planted personal
data (requester name, email, phone, subject, a multi-line description) that must never
reach a profile, a summary or an error message.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

# Planted personal data: none of these strings may appear in any output of `import`.
PERSONAL = ("Zelda Quagmire-Fitzwilliam", "zelda.quagmire@example.org", "+44 7700 900123",
            "Refund for order 88813 from Zelda", "my card ending 4242 was charged twice")

TOPICS = {  # topic -> (tags that mark it, urgency, complexity, sensitivity)
    "Billing": (["billing", "refund_request", "invoice"], "minutes", "medium", "financial"),
    "Order status": (["order_status", "where_is_my_order"], "hours", "low", "personal"),
    "Technical problem": (["bug", "login_issue"], "minutes", "high", "none"),
}
NOISE_TAGS = ["vip", "priority_customer"]      # matched by no rule
OTHER_TAGS = ["misc_question", "partnership"]  # contacts of the Other topic

ZENDESK_VIA = {"email": "Email", "phone": "Phone call (inbound)", "live_chat": "Chat",
               "social_media": "Twitter", "messaging": "WhatsApp"}
INTERCOM_CHANNEL = {"email": "Email", "phone": "Phone", "live_chat": "Chat",
                    "social_media": "Facebook", "messaging": "WhatsApp"}
GENERIC_SOURCE = {"email": "Mailbox", "phone": "Voice", "live_chat": "Web chat",
                  "social_media": "Social", "messaging": "Text"}
TARGETS = {"email": 86400, "phone": 20, "live_chat": 60, "social_media": 1200, "messaging": 900}


def business_week() -> list[list[float]]:
    """Arrival weights: weekdays 08-20 with a late-morning peak, light Saturdays, a trickle
    at night."""
    week = []
    for day in range(7):
        row = []
        for hour in range(24):
            if day < 5:
                weight = 10.0 if 9 <= hour < 18 else (4.5 if 7 <= hour < 21 else 0.3)
                if hour in (10, 11):
                    weight = 18.0
                if day == 0 and hour == 10:
                    weight = 40.0
            elif day == 5:
                weight = 6.0 if 9 <= hour < 17 else 0.3
            else:
                weight = 0.3
            row.append(weight)
        week.append(row)
    return week


@dataclass
class Truth:
    rows: int
    start: dt.date
    days: int
    channel_mix: dict[str, float] = field(default_factory=lambda: {
        "email": 0.45, "phone": 0.25, "live_chat": 0.20, "social_media": 0.06, "messaging": 0.04})
    topic_mix: dict[str, float] = field(default_factory=lambda: {
        "Billing": 0.30, "Order status": 0.40, "Technical problem": 0.20, "Other": 0.10})
    csat: dict[str, float] = field(default_factory=lambda: {
        "email": 0.82, "phone": 0.88, "live_chat": 0.78, "social_media": 0.60, "messaging": 0.75})
    resolution: dict[str, float] = field(default_factory=lambda: {
        "email": 0.55, "phone": 0.74, "live_chat": 0.68, "social_media": 0.50, "messaging": 0.62})
    within_target: dict[str, float] = field(default_factory=lambda: {
        "email": 0.90, "phone": 0.70, "live_chat": 0.80, "social_media": 0.85, "messaging": 0.75})
    handle_minutes: dict[str, float] = field(default_factory=lambda: {
        "email": 8.0, "phone": 6.0, "live_chat": 11.0, "social_media": 5.0, "messaging": 9.0})
    week: list[list[float]] = field(default_factory=business_week)
    rated_share: float = 0.35
    solved_share: float = 0.9

    @property
    def contacts_per_month(self) -> float:
        return self.rows / (self.days / (365.2425 / 12))

    def _occurrences(self) -> list[int]:
        counts = [0] * 7
        for i in range(self.days):
            counts[(self.start + dt.timedelta(days=i)).weekday()] += 1
        return counts

    def _expected(self) -> list[list[float]]:
        """Expected arrivals in each hour-of-week slot over the whole window."""
        occ = self._occurrences()
        total = sum(self.week[d][h] * occ[d] for d in range(7) for h in range(24))
        return [[self.rows * self.week[d][h] * occ[d] / total for h in range(24)] for d in range(7)]

    @property
    def outside_business(self) -> float:
        exp = self._expected()
        inside = sum(exp[d][h] for d in range(5) for h in range(9, 18))
        return 1 - inside / self.rows

    @property
    def overnight(self) -> float:
        exp = self._expected()
        return sum(exp[d][h] for d in range(7) for h in (22, 23, 0, 1, 2, 3, 4, 5)) / self.rows

    @property
    def hours(self) -> str:
        if self.overnight >= 0.10:
            return "always"
        return "extended" if self.outside_business >= 0.20 else "business"

    @property
    def peak_factor(self) -> float:
        exp, occ = self._expected(), self._occurrences()
        busiest = max(exp[d][h] / occ[d] for d in range(7) for h in range(24))
        open_hours = {"business": 198.0, "extended": 312.0, "always": 730.0}[self.hours]
        return busiest / (self.contacts_per_month / open_hours)


def _slots(truth: Truth) -> tuple[list[tuple[dt.date, int]], list[float]]:
    slots, weights = [], []
    for i in range(truth.days):
        day = truth.start + dt.timedelta(days=i)
        for hour in range(24):
            slots.append((day, hour))
            weights.append(truth.week[day.weekday()][hour])
    return slots, weights


def contacts(truth: Truth, seed: int = 1, local_zone: str = "UTC"):
    """Yield one dict per contact, with its arrival as an aware datetime in ``local_zone``."""
    rng = random.Random(seed)
    zone = ZoneInfo(local_zone)
    slots, weights = _slots(truth)
    slot_cum = _cumulative(weights)
    channels = list(truth.channel_mix)
    channel_cum = _cumulative([truth.channel_mix[c] for c in channels])
    topics = list(truth.topic_mix)
    topic_cum = _cumulative([truth.topic_mix[t] for t in topics])
    for number in range(truth.rows):
        day, hour = slots[_pick(rng, slot_cum)]
        created = dt.datetime(day.year, day.month, day.day, hour, rng.randrange(60),
                              rng.randrange(60), tzinfo=zone)
        channel = channels[_pick(rng, channel_cum)]
        topic = topics[_pick(rng, topic_cum)]
        if topic == "Other":
            tags = [rng.choice(OTHER_TAGS)]
        else:
            tags = [rng.choice(TOPICS[topic][0])]
        if rng.random() < 0.3:
            tags.append(rng.choice(NOISE_TAGS))
        rating = None
        if rng.random() < truth.rated_share:
            rating = rng.random() < truth.csat[channel]
        solved = rng.random() < truth.solved_share
        one_touch = rng.random() < truth.resolution[channel]
        target = TARGETS[channel]
        if rng.random() < truth.within_target[channel]:
            reply = rng.uniform(0.05, 0.95) * target
        else:
            reply = rng.uniform(1.1, 4.0) * target
        handle = rng.uniform(0.5, 1.5) * truth.handle_minutes[channel]
        yield {"id": 100000 + number, "created": created, "channel": channel, "tags": tags,
               "rating": rating, "solved": solved, "one_touch": one_touch, "reply": reply,
               "handle": handle}


def _cumulative(weights: list[float]) -> list[float]:
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


def _pick(rng: random.Random, cumulative: list[float]) -> int:
    import bisect

    return min(len(cumulative) - 1, bisect.bisect_right(cumulative, rng.random() * cumulative[-1]))


ZENDESK_HEADER = ["Id", "Requester", "Requester id", "Requester external id", "Requester email",
                  "Requester domain", "Submitter", "Assignee", "Group", "Subject", "Tags", "Status",
                  "Priority", "Via", "Ticket type", "Created at", "Updated at", "Assigned at",
                  "Organization", "Due date", "Initially assigned at", "Solved at",
                  "Resolution time", "Satisfaction Score", "Group stations", "Assignee stations",
                  "Reopens", "Replies", "First reply time in minutes",
                  "First reply time in minutes within business hours",
                  "First resolution time in minutes", "Full resolution time in minutes",
                  "Agent wait time in minutes", "Requester wait time in minutes",
                  "On hold time in minutes", "Total time spent (sec)", "Description [text]"]
INTERCOM_HEADER = ["Conversation ID", "Conversation started at (UTC)",
                   "Conversation first replied at (UTC)", "Conversation first closed at (UTC)",
                   "Channel", "Started by", "Current conversation state", "Conversation tag",
                   "Topics", "Team currently assigned", "Teammate currently assigned",
                   "Last teammate rating", "Last teammate rating remark", "Fin AI Agent involved",
                   "Fin AI Agent deflected", "Fin AI Agent resolution state", "Count of reopens",
                   "Count of teammate replies", "User name", "User email", "User phone"]
GENERIC_HEADER = ["Ticket", "Opened", "Source", "Labels", "State", "CSAT", "FCR",
                  "First response (min)", "Work minutes", "Customer", "Customer email", "Notes"]

GENERIC_MAP = """\
version: 1
format: generic
columns:
  id: Ticket
  created: Opened
  channel: Source
  tags: Labels
  status: State
  rating: CSAT
  resolved: FCR
  first_reply_minutes: First response (min)
  handle_minutes: Work minutes
tag_separator: "|"
dates: day-first
channels:
  Mailbox: email
  Voice: phone
  Web chat: live_chat
  Social: social_media
  Text: messaging
ratings:
  good: [happy]
  bad: [unhappy]
"""

TOPIC_RULES = """\
topics:
  - name: Billing
    match: [billing, refund*, invoice]
    urgency: minutes
    complexity: medium
    sensitivity: financial
  - name: Order status
    match: [order_*, where_is_my_order]
    urgency: hours
    complexity: low
    sensitivity: personal
  - name: Technical problem
    match: [bug, "login*"]
    urgency: minutes
    complexity: high
other:
  urgency: hours
  complexity: medium
  sensitivity: none
"""


def write_map(path: Path, fmt: str) -> Path:
    text = (GENERIC_MAP if fmt == "generic" else "version: 1\n") + TOPIC_RULES
    path.write_text(text)
    return path


def _description(number: int) -> str:
    return (f"Hello,\n{PERSONAL[4]}, \"urgent\"; please call {PERSONAL[2]}.\n"
            f"=HYPERLINK(\"http://evil.example\";\"x\") ticket {number}")


def write_export(path: Path, fmt: str, truth: Truth, *, seed: int = 1, encoding: str = "utf-8",
                 delimiter: str = ",", zone: str = "UTC", offset_ids: int = 0) -> Path:
    """Write an export of ``truth.rows`` contacts; arrival times follow ``truth.week`` in the
    time zone ``zone`` (Intercom files are written in UTC, as its column names say)."""
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n")
        header = {"zendesk": ZENDESK_HEADER, "intercom": INTERCOM_HEADER,
                  "generic": GENERIC_HEADER}[fmt]
        writer.writerow(header)
        for c in contacts(truth, seed, zone):
            number = c["id"] + offset_ids
            writer.writerow(_row(fmt, c, number))
    return path


def _row(fmt: str, c: dict, number: int) -> list:
    reply_minutes = round(c["reply"] / 60, 3)
    reopens, replies = (0, 1) if c["one_touch"] else (1, 3)
    if fmt == "zendesk":
        status = "Solved" if c["solved"] else "Open"
        score = {None: "Offered", True: "Good", False: "Bad with comment"}[c["rating"]]
        created = c["created"].strftime("%Y-%m-%d %H:%M:%S")
        return [number, PERSONAL[0], 5551234, "", PERSONAL[1], "example.org", PERSONAL[0], "Agent A",
                "Support", PERSONAL[3], " ".join(c["tags"]), status, "Normal",
                ZENDESK_VIA[c["channel"]], "Question", created, created, created, "", "", created,
                created if c["solved"] else "", "", score, 1, 1, reopens, replies, reply_minutes,
                reply_minutes, 10, 20, 5, 5, 0, round(c["handle"] * 60), _description(number)]
    if fmt == "intercom":
        started = c["created"].astimezone(dt.timezone.utc)
        replied = started + dt.timedelta(seconds=c["reply"])
        state = "closed" if c["solved"] else "open"
        rating = "" if c["rating"] is None else (random.Random(number).choice([4, 5]) if c["rating"]
                                                 else random.Random(number).choice([1, 2, 3]))
        return [number, started.strftime("%Y-%m-%d %H:%M:%S"), replied.strftime("%Y-%m-%d %H:%M:%S"),
                "", INTERCOM_CHANNEL[c["channel"]], "user", state, ", ".join(c["tags"]), "",
                "Support", "Agent A", rating, PERSONAL[4], "false", "false", "", reopens, replies,
                PERSONAL[0], PERSONAL[1], PERSONAL[2]]
    state = "Closed" if c["solved"] else "Open"
    fcr = ("yes" if c["one_touch"] else "no") if c["solved"] else ""
    csat = {None: "", True: "happy", False: "unhappy"}[c["rating"]]
    return [f"T-{number}", c["created"].strftime("%d/%m/%Y %H:%M"), GENERIC_SOURCE[c["channel"]],
            "|".join(c["tags"]), state, csat, fcr, reply_minutes, round(c["handle"], 2),
            PERSONAL[0], PERSONAL[1], _description(number)]
