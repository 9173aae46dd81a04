"""What one import measured: per-file counts, per-channel tallies, and the figures derived
from them (contacts per month, hours, peak factor).

Thresholds and methods (documented in the README, "Import your data"):

* contacts per month = contacts in the window / (days in the window / 30.44);
* hours: business when under 20% of contacts arrive outside weekday business hours
  (Monday-Friday 09:00-18:00) and under 10% overnight (22:00-06:00); extended when at
  least 20% arrive outside business hours but under 10% overnight; always when 10% or
  more arrive overnight. A business-hours-only team sees almost none outside; contacts
  spread evenly over the clock would put 73% outside business hours and 33% overnight;
* peak factor = the busiest hour of the average week over the average open hour
  (contacts per month / open hours per month of the measured hours), so that capacity
  sizes the busiest hour the data shows;
* csat = good ratings / rated contacts; resolution = finished contacts with no reopen and
  at most one agent reply (or the format's own one-touch signal) / finished contacts;
  first reply = share of replied contacts answered within the channel's target.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from channelplan.catalogue import OPEN_HOURS
from channelplan.importer.mapping import TopicRule

DAYS_PER_MONTH = 365.2425 / 12
BUSINESS_HOURS = range(9, 18)          # Monday-Friday, 09:00-18:00
OVERNIGHT_HOURS = (22, 23, 0, 1, 2, 3, 4, 5)
EXTENDED_IF_OUTSIDE_BUSINESS = 0.20
ALWAYS_IF_OVERNIGHT = 0.10
MIN_SAMPLE = 30                        # fewer ratings or replies than this: not written
HIST_BASE = 1.05                       # first-reply histogram: 5% wide buckets
HIST_SIZE = 400
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass
class FileStats:
    source: str
    fmt: str
    detected: bool
    encoding: str
    delimiter: str
    rows: int = 0
    used: int = 0
    duplicates: int = 0
    outside_window: int = 0
    unknown_channel: int = 0
    bad: int = 0


@dataclass
class ChannelTally:
    contacts: int = 0
    rated: int = 0
    good: int = 0
    finished: int = 0
    resolved: int = 0
    one_touch_known: int = 0
    replied: int = 0
    within: int = 0
    handle_count: int = 0
    handle_minutes_sum: float = 0.0
    reply_hist: list[int] = field(default_factory=lambda: [0] * HIST_SIZE)

    def median_reply_seconds(self) -> float | None:
        if not self.replied:
            return None
        half, seen = self.replied / 2, 0
        for bucket, count in enumerate(self.reply_hist):
            seen += count
            if seen >= half:
                return _bucket_seconds(bucket)
        return None  # pragma: no cover


def _bucket_seconds(bucket: int) -> float:
    """The middle of a histogram bucket, in seconds."""
    low, high = HIST_BASE ** bucket - 1, HIST_BASE ** (bucket + 1) - 1
    return (low + high) / 2


@dataclass
class Measurement:
    """Everything one import measured; no text from the export's personal columns."""

    files: list[FileStats]
    timezone: str
    since: dt.date
    until: dt.date
    contacts: int
    channels: dict[str, ChannelTally]
    targets: dict[str, float]
    months: dict[str, dict[str, int]]
    week_counts: list[int]
    day_occurrences: list[int]
    topics: list[tuple[TopicRule, int]]
    unmatched_tags: list[tuple[str, int]]
    unknown_channels: list[tuple[str, int]]
    bad_rows: list[str]
    bad_total: int
    rows_total: int
    warnings: list[str]
    one_touch_method: str

    @property
    def days(self) -> int:
        return (self.until - self.since).days + 1

    @property
    def months_in_window(self) -> float:
        return self.days / DAYS_PER_MONTH

    @property
    def contacts_per_month(self) -> float:
        return self.contacts / self.months_in_window

    @property
    def outside_business_share(self) -> float:
        inside = sum(self.week_counts[d * 24 + h] for d in range(5) for h in BUSINESS_HOURS)
        return 1 - inside / self.contacts if self.contacts else 0.0

    @property
    def overnight_share(self) -> float:
        night = sum(self.week_counts[d * 24 + h] for d in range(7) for h in OVERNIGHT_HOURS)
        return night / self.contacts if self.contacts else 0.0

    @property
    def hours(self) -> str:
        if self.overnight_share >= ALWAYS_IF_OVERNIGHT:
            return "always"
        if self.outside_business_share >= EXTENDED_IF_OUTSIDE_BUSINESS:
            return "extended"
        return "business"

    def average_week(self) -> list[list[float]]:
        """Average contacts arriving in each hour of the week (7 days x 24 hours)."""
        return [[self.week_counts[d * 24 + h] / self.day_occurrences[d]
                 if self.day_occurrences[d] else 0.0 for h in range(24)] for d in range(7)]

    @property
    def busiest_hour(self) -> tuple[int, int, float]:
        week = self.average_week()
        day, hour = max(((d, h) for d in range(7) for h in range(24)),
                        key=lambda dh: (week[dh[0]][dh[1]], -dh[0], -dh[1]))
        return day, hour, week[day][hour]

    @property
    def average_open_hour(self) -> float:
        return self.contacts_per_month / OPEN_HOURS[self.hours].monthly

    @property
    def peak_factor_raw(self) -> float:
        average = self.average_open_hour
        return self.busiest_hour[2] / average if average else 1.0

    @property
    def peak_factor(self) -> float:
        return round(min(50.0, max(1.0, self.peak_factor_raw)), 2)

    @property
    def assigned(self) -> int:
        """Contacts on a known channel (the base of the channel shares)."""
        return sum(t.contacts for t in self.channels.values())
