"""Where an arrival time falls in the team's time zone (``--timezone``): its hour of the
week, its month, its day, and whether that day is inside ``--since``/``--until``.

Times with a zone, or in a column whose name gives one, are converted to the team's zone;
times without one are taken as already in it.

Most exports write their times as ``2024-01-31 14:05:09``. Parsing and converting each of a
million of them is a good part of an import's time, yet every time of one hour
(``2024-01-31 14``) lands in the same place whenever that whole hour maps onto one local
hour. :meth:`LocalClock.hour_place` works the place out once per hour, and only where that
is exact: it converts the hour's first and last second and refuses (``None``: the caller
then converts each time of that hour by itself) unless the first lands on a local hour's
start, the two are 59:59 apart on the local clock and both have the same UTC offsets.
Without a conversion every hour qualifies; whole-hour zones qualify for every hour, since
their offsets change on the hour; an offset of a half hour (Asia/Kolkata, +05:30, Lord
Howe's winter +10:30) never does. The same offsets at both ends mean one offset over the
whole hour because no zone changes its offset twice within an hour (in the tz database,
changes are days apart at the least).
"""

from __future__ import annotations

import datetime as dt
import re

# The times the per-hour place is for: "YYYY-MM-DD HH:MM:SS" (or with a T), no zone, no
# fraction. A time is looked up by its first 13 characters when the rest is a valid
# ":MM:SS" (ASCII digits, minutes and seconds 00-59; so the time is 19 characters long):
# Python's own parser reads it as that hour plus those minutes and seconds.
DAY_PREFIX = 11                          # "2024-01-31 " (with its T or space)
HOUR_PREFIX = 13                         # "2024-01-31 14"
HOURS = tuple(f"{hour:02d}" for hour in range(24))
MINUTE_SECOND = frozenset(f":{m:02d}:{s:02d}" for m in range(60) for s in range(60))
_HOUR_KEY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}\Z")
_LAST_SECOND = dt.timedelta(minutes=59, seconds=59)
NO_DAY = dt.date.max.toordinal() + 1    # a day number later than any day

# (hour of the week 0-167 from Monday 00:00, year * 100 + month, day number as in
# date.toordinal(), inside --since/--until)
Place = tuple[int, int, int, bool]


class LocalClock:
    """Arrival times in the team's zone ``tz``; ``column_zone`` is the zone a column's name
    gives to times written without one (``None``: they are already in ``tz``)."""

    def __init__(self, tz: dt.tzinfo, column_zone: dt.tzinfo | None,
                 since: dt.date | None, until: dt.date | None):
        self.tz = tz
        self.column_zone = column_zone if column_zone is not None and column_zone != tz else None
        self.first_day = since.toordinal() if since is not None else 0
        self.last_day = until.toordinal() if until is not None else NO_DAY

    def local(self, created: dt.datetime) -> dt.datetime:
        """The time in the team's zone (naive when no zone was involved)."""
        if created.tzinfo is not None:
            return created.astimezone(self.tz)
        if self.column_zone is not None:
            return created.replace(tzinfo=self.column_zone).astimezone(self.tz)
        return created

    def place(self, local: dt.datetime) -> Place:
        """The place of one time in the team's zone (from :meth:`local`)."""
        day = local.toordinal()
        return (local.weekday() * 24 + local.hour, local.year * 100 + local.month, day,
                self.first_day <= day <= self.last_day)

    def hour_place(self, key: str) -> Place | None:
        """The place every time ``key + ":MM:SS"`` (``key`` like ``2024-01-31 14``) has, or
        ``None`` where the times of that hour do not all share one place (or ``key`` is not
        a date and hour)."""
        if not _HOUR_KEY.match(key):
            return None
        try:
            start = dt.datetime.fromisoformat(key + ":00:00")
            end = start + _LAST_SECOND
            first, last = self.local(start), self.local(end)
        except (ValueError, OverflowError):
            return None  # not a real date, or at the ends of time: read each time exactly
        zone = self.column_zone
        if (first.minute or first.second or first.microsecond
                or last.replace(tzinfo=None) - first.replace(tzinfo=None) != _LAST_SECOND
                or first.utcoffset() != last.utcoffset()
                or (zone is not None and zone.utcoffset(start) != zone.utcoffset(end))):
            return None
        return self.place(first)
