"""Measuring a profile's numbers from help-desk exports, in one streamed pass (the figures
and thresholds are in :mod:`channelplan.importer.results`).

Memory stays flat in the number of rows: every figure is a running count or sum (first
reply times go into a fixed histogram for the median; contacts are counted per local hour,
at most MAX_HOURS hours at a time, and added up per week hour and month). Ticket ids seen (to count a ticket
exported twice only once) are bits in a bitmap for numeric ids below 134 million (Zendesk
numbers its tickets 1, 2, 3...: 16 MiB at most, whatever the number of rows); other ids
(text, or very large numbers) are kept in a set, one entry per distinct ticket.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from channelplan.catalogue import CHANNEL_IDS
from channelplan.importer.formats import (
    FORMAT_NAMES,
    TAG_SEPARATORS,
    TITLES,
    Layout,
    ValueTable,
    detect_format,
    layout,
    value_table,
)
from channelplan.importer.localtime import (
    DAY_PREFIX,
    HOUR_PREFIX,
    HOURS,
    MINUTE_SECOND,
    NO_DAY,
    LocalClock,
    Place,
)
from channelplan.importer.mapping import ImportMap, TopicRule
from channelplan.importer.problems import Arg, ExportError
from channelplan.importer.reading import (
    DATE_FORMS,
    Export,
    csv_problem,
    normalize,
    open_export,
    parse_time,
    parse_timezone,
)
from channelplan.importer.results import (
    HIST_BASE,
    HIST_SIZE,
    ChannelTally,
    FileStats,
    Measurement,
)

MAX_BITMAP_IDS = 2 ** 27              # numeric ids below this take one bit (16 MiB at most)
MIN_PEAK_CONTACTS = 50                 # fewer in the busiest weekday-hour: the peak is noisy
MAX_LISTED_VALUES = 2000               # distinct unknown values / unmatched tags kept
MAX_BAD_ROW_LINES = 20                 # bad rows printed; the rest are counted
MAX_CELLS = 100_000                    # distinct tags cells counted before they are added up
MAX_OUTCOMES = 10_000                  # combinations of outcome cells kept
MAX_HOURS = 50_000                     # local hours' counts kept at once (5.7 years)
MAX_DAYS = 2000                        # days whose hours' places are kept at once
DEFAULT_MAX_BAD_ROWS = 0.005
_TRUE = frozenset({"true", "yes", "y", "1", "resolved"})
_PERSONAL = re.compile(r"@|(?:\d[^0-9A-Za-z]{0,2}){7}")


@dataclass
class ImportOptions:
    """What to import and how (see ``channelplan import --help``)."""

    fmt: str | None = None
    import_map: ImportMap = field(default_factory=ImportMap)
    since: dt.date | None = None
    until: dt.date | None = None
    timezone: str = "UTC"
    max_bad_rows: float = DEFAULT_MAX_BAD_ROWS   # below 1: a share of rows; else a count
    targets: dict[str, float] = field(default_factory=dict)  # channel -> answer within (s)
    topic_rules: list[TopicRule] = field(default_factory=list)


def safe_label(value: str, limit: int = 60) -> str:
    """A value from the export fit to show (a tag, a channel value): anything that looks
    like an email address or a phone number is withheld, long text is cut."""
    text = " ".join(value.split())
    if _PERSONAL.search(text):
        return "(withheld: looks like personal data)"
    return text if len(text) <= limit else text[: limit - 3] + "..."


class _Counter:
    """A count per label that keeps at most MAX_LISTED_VALUES labels (the rest pooled)."""

    def __init__(self, overflow: str):
        self.counts: dict[str, int] = {}
        self.overflow = overflow

    def add(self, label: str, n: int = 1) -> None:
        counts = self.counts
        if label in counts:
            counts[label] += n
        elif len(counts) < MAX_LISTED_VALUES:
            counts[label] = n
        else:
            counts[self.overflow] = counts.get(self.overflow, 0) + n

    def ranked(self) -> list[tuple[str, int]]:
        """Labels by count, most first. A label seen only once is counted with the others
        seen once, never shown: a stray personal detail in a shifted cell is a one-off,
        a tag or channel value worth mapping is not."""
        merged: dict[str, int] = {}
        once = 0
        for label, count in self.counts.items():
            if count == 1 and label != self.overflow:
                once += 1
                continue
            key = safe_label(label) if label != self.overflow else label
            merged[key] = merged.get(key, 0) + count
        if once:
            merged[f"({once:,} values seen once)"] = once
        return sorted(merged.items(), key=lambda kv: (-kv[1], kv[0]))


_INF = float("inf")


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float(text.replace(",", ".")) if text.count(",") == 1 and "." not in text \
            else float("nan")
    if not math.isfinite(value) or value < 0:
        raise ValueError
    return value


def measure(paths: Iterable[str], options: ImportOptions,
            progress: Callable[[str], None] | None = None) -> Measurement:
    """Read every export once and measure; raise :class:`ExportError` when the files cannot
    be imported (nothing should then be written)."""
    tz = parse_timezone(options.timezone)
    if tz is None:
        raise ExportError([["channelplan import: error: ", Arg("timezone"),
                            f" {options.timezone!r} is not a time zone; use a name such as "
                            "Europe/Paris, UTC or an offset such as +02:00"]])
    imap = options.import_map
    rules = options.topic_rules
    channels = {cid: ChannelTally() for cid in CHANNEL_IDS}
    week = [0] * 168
    months: dict[int, dict[str, int]] = {}  # year * 100 + month -> contacts by channel
    topic_counts = [0] * (len(rules) + 1)
    unmatched = _Counter("(other tags)")
    unknown = _Counter("(other values)")
    # Ticket ids seen, per format: numeric ids below MAX_BITMAP_IDS as bits, others as text.
    seen: dict[str, tuple[bytearray, set[str]]] = {fmt: (bytearray(), set()) for fmt in FORMAT_NAMES}
    bad_lines: list[str] = []
    files: list[FileStats] = []
    # The first and last local days with a contact, as day numbers (date.toordinal()): only
    # their dates are used (the period measured), never the times.
    first, last = NO_DAY, 0
    since, until = options.since, options.until
    one_touch_methods: set[str] = set()

    for path in paths:
        with open_export(path) as export:
            fmt = options.fmt or imap.fmt
            detected = False
            if fmt is None:
                fmt = detect_format(export.header)
                if fmt is None and imap.columns:
                    fmt = "generic"
                detected = fmt is not None
                if fmt is None:
                    listed = ", ".join(f"'{h}'" for h in export.header[:30])
                    raise ExportError([[f"{path}:1: cannot tell the export's format from its "
                                        "columns; use ", Arg("fmt", "zendesk"), " or ",
                                        Arg("fmt", "intercom"), ", or ", Arg("map_path"),
                                        f" naming the columns; columns found: {listed}"]])
            if fmt == "generic" and not imap.columns:
                raise ExportError([[f"{path}: a generic export needs ", Arg("map_path"),
                                    " with a 'columns:' section (see examples/import-map.yaml)"]])
            cols = layout(fmt, export.header, path, imap.columns)
            stats = FileStats(path, fmt, detected, export.encoding, export.delimiter)
            files.append(stats)
            if progress:
                how = "detected" if detected else "read as"
                progress(f"{path}: {how} {TITLES[fmt]} ({export.encoding}, "
                         f"{_delimiter_name(export.delimiter)}-separated)")
            values = value_table(fmt)
            if "reopens" in cols.index or "replies" in cols.index:
                one_touch_methods.add("no reopen and at most one agent reply")
            if "resolved" in cols.index:
                one_touch_methods.add(f"the column '{cols.names['resolved']}'")
            if "bot_resolution" in cols.index:
                one_touch_methods.add("bot resolutions (Fin AI Agent)")
            first, last = _read_file(export, cols, values, imap, options, tz, stats, channels,
                                     week, months, topic_counts, rules, unmatched, unknown,
                                     seen[fmt], bad_lines, first, last)

    for tally in channels.values():  # a reply time counted in the histogram only
        tally.replied = sum(tally.reply_hist)
    rows_total = sum(f.rows for f in files)
    bad_total = sum(f.bad for f in files)
    allowed = (math.floor(options.max_bad_rows * rows_total) if options.max_bad_rows < 1
               else int(options.max_bad_rows))
    if bad_total > allowed:
        limit = (f"{options.max_bad_rows * 100:g}%" if options.max_bad_rows < 1
                 else f"{int(options.max_bad_rows)} rows")
        more = bad_total - len(bad_lines)
        raise ExportError([*bad_lines, *([f"... and {more} more"] if more > 0 else []), [
            f"channelplan import: error: {bad_total:,} of {rows_total:,} rows "
            f"({bad_total / max(rows_total, 1) * 100:.2g}%) cannot be read, more than ",
            Arg("max_bad_rows"), f" {limit}; nothing written"]])
    used = sum(f.used for f in files)
    if used == 0:
        window: list[str | Arg] = ([" in the window ", Arg("since"), "/", Arg("until")]
                                   if since or until else [])
        raise ExportError([["channelplan import: error: no contacts to measure", *window,
                            f" ({rows_total:,} rows read)"]])
    start = since or dt.date.fromordinal(first)
    end = until or dt.date.fromordinal(last)
    occurrences = [0] * 7
    day = start
    while day <= end:
        occurrences[day.weekday()] += 1
        day += dt.timedelta(days=1)
    warnings: list[str] = []
    unknown_ranked = unknown.ranked()
    if unknown_ranked:
        missed = sum(c for _, c in unknown_ranked)
        listed = ", ".join(f"{label} ({count:,})" for label, count in unknown_ranked[:10])
        warnings.append(f"{missed:,} contacts ({missed / used * 100:.1f}%) have channel values "
                        f"channelplan does not know and are left out of the channel shares: "
                        f"{listed}; map them under 'channels:' in the map file")
    busiest = max(week)
    if busiest < MIN_PEAK_CONTACTS:
        warnings.append(f"the busiest hour of the week holds only {busiest} contacts in the period: "
                        "the peak factor is the maximum of noisy averages and likely too high; "
                        "import a longer period")
    if not rules:
        warnings.append("no topic rules: every contact is in the topic Other; write topic rules "
                        "in a map file (see examples/import-map.yaml) and import again")
    return Measurement(
        files=files, timezone=options.timezone, since=start, until=end, contacts=used,
        channels={c: t for c, t in channels.items() if t.contacts},
        targets=options.targets, week_counts=week,
        months={f"{k // 100:04d}-{k % 100:02d}": v for k, v in sorted(months.items())},
        day_occurrences=occurrences,
        topics=list(zip([*rules, imap.other], topic_counts, strict=True)),
        unmatched_tags=unmatched.ranked(), unknown_channels=unknown_ranked,
        bad_rows=bad_lines, bad_total=bad_total, rows_total=rows_total, warnings=warnings,
        one_touch_method="; ".join(sorted(one_touch_methods)))


def _tags(cell: str, separator: str) -> list[str]:
    """The labels of one contact: the tags cell split by its separator (after a NUL, which no
    CSV cell holds, come the Intercom topics, split by commas)."""
    tags, _, topics = cell.partition("\x00")
    out = [t.strip() for t in tags.split(separator) if t.strip()]
    return out + [t.strip() for t in topics.split(",") if t.strip()]


def _delimiter_name(delimiter: str) -> str:
    return {",": "comma", ";": "semicolon", "\t": "tab"}[delimiter]


def _read_file(export: Export, cols: Layout, values: ValueTable, imap: ImportMap,
               options: ImportOptions, tz: dt.tzinfo, stats: FileStats,
               channels: dict[str, ChannelTally], week: list[int],
               months: dict[int, dict[str, int]], topic_counts: list[int],
               rules: list[TopicRule], unmatched: _Counter, unknown: _Counter,
               ids: tuple[bytearray, set[str]],
               bad_lines: list[str], first: int, last: int,
               ) -> tuple[int, int]:
    """The hot loop: one row at a time, everything in local variables. ``first`` and
    ``last`` are the first and last local days with a contact so far (day numbers).

    At a million rows every statement per row counts, so what repeats is worked out once:
    the place of an hour's arrivals (see :mod:`.localtime`), and a row's outcome (channel,
    rating, one-touch resolution) from its few short cells, whose combinations repeat
    (see ``outcome_of``); outcomes are counted per row and added to the tallies at the end.
    """
    idx = cols.index
    source = export.source
    width = cols.width
    i_id, i_created, i_channel = idx["id"], idx["created"], idx["channel"]
    i_tags, i_topics = idx.get("tags"), idx.get("topics")
    i_status, i_rating = idx.get("status"), idx.get("rating")
    i_reopens, i_replies = idx.get("reopens"), idx.get("replies")
    i_frt, i_frt_at = idx.get("first_reply_minutes"), idx.get("first_replied_at")
    frt_unit = 60
    if i_frt is None and "first_reply_hours" in idx:
        i_frt, frt_unit = idx["first_reply_hours"], 3600
    i_handle_s, i_handle_m = idx.get("handle_seconds"), idx.get("handle_minutes")
    i_resolved, i_bot = idx.get("resolved"), idx.get("bot_resolution")
    needed = max(idx.values())
    separator = imap.tag_separator or TAG_SEPARATORS[cols.fmt]
    day_first = imap.day_first
    clock = LocalClock(tz, parse_timezone(cols.zones.get("created", "")), options.since,
                       options.until)
    local_time, exact_place, hour_place = clock.local, clock.place, clock.hour_place
    # Contacts are counted per local hour and label (a channel, or "unknown"), then added to
    # the week, the months and the first and last day (add_hours): one count per row
    # instead of four. add_hours runs at the end of the file, and before the hours kept
    # pass MAX_HOURS (or the days placed MAX_DAYS), so that memory stays bounded whatever
    # the dates in a file.
    labels = [*channels, "unknown"]
    label_number = {label: n for n, label in enumerate(labels)}
    hour_counts: dict[tuple[int, int, int], list[int]] = {}  # (slot, month, day) -> per label
    outside_hour: list[int] = []   # the counts of an hour outside --since/--until: none

    def counts_at(place: Place) -> list[int]:
        slot, month_key, day, inside = place
        if not inside:
            return outside_hour
        counts = hour_counts.get((slot, month_key, day))
        if counts is None:
            if len(hour_counts) >= MAX_HOURS:
                add_hours()
            counts = hour_counts[slot, month_key, day] = [0] * len(labels)
        return counts

    # The counts of each hour ("2024-01-31 14") whose times all share one place (see
    # localtime.py), worked out for a whole day ("2024-01-31 ") at once when a time of it
    # first comes: the memory is per day, not per hour seen.
    hour_places: dict[str, list[int]] = {}
    days_placed: set[str] = set()

    def place_day(day_key: str) -> None:
        if len(days_placed) >= MAX_DAYS:
            add_hours()
        days_placed.add(day_key)
        for hour in HOURS:
            place = hour_place(day_key + hour)
            if place is not None:
                hour_places[day_key + hour] = counts_at(place)

    def add_hours() -> None:
        """The hours' counts to the week, the months and the first and last day; then no
        hours kept (nor places, which point at them)."""
        nonlocal first, last
        for (slot, month_key, day), counts in hour_counts.items():
            hour_total = sum(counts)
            if not hour_total:
                continue
            first, last = min(first, day), max(last, day)
            week[slot] += hour_total
            month = months.setdefault(month_key, {})
            for name, count in zip(labels, counts, strict=True):
                if count:
                    month[name] = month.get(name, 0) + count
        hour_counts.clear()
        hour_places.clear()
        days_placed.clear()

    channel_table = {**values.channels, **imap.channels}
    good = values.good | imap.good
    bad = (values.bad | imap.bad) - imap.good
    good = good - imap.bad
    solved = values.solved | imap.solved
    bot_resolved = values.bot_resolved
    targets = options.targets
    one_touch = i_reopens is not None or i_replies is not None
    # Contacts per tags cell, in the order the cells first come; count_topics gives them to
    # the topics (and the tags no rule matches to `unmatched`) in that order, which adds
    # each tag to `unmatched` in the order a row by row count would (its MAX_LISTED_VALUES
    # cap keeps the first tags), once per cell instead of once per row.
    cell_counts: dict[str, int] = {}
    tags_only = i_tags if i_topics is None else None   # the tags column, where it is all
    log, per_bucket = math.log, 1 / math.log(HIST_BASE)
    last_bucket = HIST_SIZE - 1
    fromisoformat = dt.datetime.fromisoformat
    tag_cache: dict[str, int] = {}
    other = len(rules)
    names = cols.names
    bitmap, seen = ids

    def fail(line: int, message: str) -> None:
        stats.bad += 1  # rare: kept on the stats object
        if len(bad_lines) < MAX_BAD_ROW_LINES:
            bad_lines.append(f"{source}:{line}: {message}")

    def topic_of(tag: str) -> int:
        found = tag_cache.get(tag)
        if found is None:
            key = normalize(tag)
            found = next((i for i, rule in enumerate(rules)
                          if rule.regex is not None and rule.regex.fullmatch(key)), other)
            if len(tag_cache) < 100_000:
                tag_cache[tag] = found
        return found

    def count_topics() -> None:
        """The contacts of cell_counts to their topic (the first rule, in map order, that
        matches any of the contact's tags), then an empty cell_counts."""
        for cell, count in cell_counts.items():
            tags = _tags(cell, separator)
            topic = min((topic_of(t) for t in tags), default=other)
            topic_counts[topic] += count
            if topic == other:
                for tag in tags:
                    unmatched.add(tag, count)
                if not tags:
                    unmatched.add("(no tags)", count)
        cell_counts.clear()

    # A row's outcome: what its channel, bot, rating, resolved, status, reopens and replies
    # cells say. The cells are looked up together (outcome_cells gives them as one key);
    # outcome_of works out the outcome of a new combination. An outcome is (its number for
    # outcome_counts, the label's number, the channel's tally or None for an unknown channel,
    # the channel's first-reply target); outcome_kinds says what each number counts.
    outcome_cells = itemgetter(*(i for i in (i_channel, i_bot, i_rating, i_resolved, i_status,
                                             i_reopens, i_replies) if i is not None))
    outcomes: dict[Any, tuple[int, int, ChannelTally | None, float]] = {}
    outcome_kinds: dict[tuple[str | None, int, bool, bool], int] = {}
    outcome_counts: list[int] = []

    def outcome_of(row: list[str]) -> tuple[int, int, ChannelTally | None, float]:
        """The outcome of a row; ValueError when its reopens or replies are not a number."""
        reopens = replies = 0
        if i_reopens is not None and (text := row[i_reopens]):
            reopens = int(text) if text.isdigit() else int(_number(text))
        if i_replies is not None and (text := row[i_replies]):
            replies = int(text) if text.isdigit() else int(_number(text))
        channel = channel_table.get(normalize(row[i_channel]))
        bot_done = i_bot is not None and normalize(row[i_bot]) in bot_resolved
        if bot_done:
            channel = "chatbot"
        verdict = 0    # 1 a good rating, 2 a bad one
        if channel is not None and i_rating is not None and (text := row[i_rating]):
            key_text = normalize(text)
            verdict = 1 if key_text in good else (2 if key_text in bad else 0)
        finished = resolved = False
        if bot_done:
            finished = resolved = True
        elif i_resolved is not None and row[i_resolved].strip():
            finished, resolved = True, normalize(row[i_resolved]) in _TRUE
        elif i_status is not None and one_touch and normalize(row[i_status]) in solved:
            finished, resolved = True, reopens == 0 and replies <= 1
        kind = (channel, verdict, finished, resolved)
        number = outcome_kinds.get(kind)
        if number is None:
            number = outcome_kinds[kind] = len(outcome_counts)
            outcome_counts.append(0)
        return (number, label_number[channel or "unknown"],
                None if channel is None else channels[channel],
                math.inf if channel is None else targets.get(channel, math.inf))

    duplicates = outside = unknown_channel = 0
    reader = export.reader
    offset = export.header_lines   # the reader counts lines from the first data row
    before = 0                     # the reader's line count before the current row
    while True:
        # One loop straight over the CSV reader (cheaper per row than a generator of rows in
        # between). A row the reader cannot read ends the loop with csv.Error; it is
        # reported and the loop carries on with the next row.
        try:
            for row in reader:
                start, before = before, reader.line_num  # type: ignore[attr-defined]
                if not row:
                    continue
                # Every row ends as bad (fail), outside the window, a duplicate or used:
                # the rows are counted from those at the end.
                if len(row) != width and (len(row) <= needed or any(row[width:])):
                    fail(offset + start + 1, f"has {len(row)} fields where the header has {width}")
                    continue
                ident = row[i_id].strip()
                if not ident:
                    fail(offset + start + 1, f"the column '{names['id']}' is empty")
                    continue
                created_text = row[i_created]
                created: dt.datetime | None = None
                # Where the contact is counted: its local hour's counts. The common
                # "2024-01-31 14:05:09" (19 characters: the last 6 are a valid ":MM:SS") is
                # counted in its hour's place, worked out per day.
                if created_text[HOUR_PREFIX:] in MINUTE_SECOND:
                    counts = hour_places.get(created_text[:HOUR_PREFIX])
                    if counts is None and created_text[:DAY_PREFIX] not in days_placed:
                        place_day(created_text[:DAY_PREFIX])
                        counts = hour_places.get(created_text[:HOUR_PREFIX])
                else:
                    counts = None
                if counts is None:  # any other form, or an hour whose times differ in place
                    try:   # the common ISO form without a call; parse_time knows the others
                        created = fromisoformat(created_text)
                    except ValueError:
                        created = parse_time(created_text, day_first)
                    if created is None:
                        fail(offset + start + 1,
                             f"the column '{names['created']}' is not a date and time in a "
                             f"known form ({DATE_FORMS})" if created_text.strip() else
                             f"the column '{names['created']}' is empty")
                        continue
                    counts = counts_at(exact_place(local_time(created)))
                if counts is outside_hour:
                    outside += 1
                    continue
                # The outcome and the optional numbers: a value that is there must be readable.
                try:
                    outcome = outcomes.get(cells := outcome_cells(row))
                    if outcome is None:
                        outcome = outcome_of(row)
                        if len(outcomes) < MAX_OUTCOMES:
                            outcomes[cells] = outcome
                    frt = handle = None
                    # float() first and the range check inline: the common case costs no call
                    # (float() ignores the spaces around a number as strip() does; a blank
                    # cell has no value)
                    if i_frt is not None and (text := row[i_frt]):
                        try:
                            frt = float(text)
                        except ValueError:
                            frt = _number(text) if text.strip() else None
                        if frt is not None:
                            if not 0.0 <= frt < _INF:
                                raise ValueError
                            frt *= frt_unit
                    if i_handle_s is not None and (text := row[i_handle_s]):
                        try:
                            handle = float(text)
                        except ValueError:
                            handle = _number(text) if text.strip() else None
                        if handle is not None:
                            if not 0.0 <= handle < _INF:
                                raise ValueError
                            handle /= 60
                    if handle is None and i_handle_m is not None and (text := row[i_handle_m].strip()):
                        handle = _number(text)
                except ValueError:
                    fail(offset + start + 1, "a number column (" + ", ".join(
                        names[c] for c in ("reopens", "replies", "first_reply_minutes",
                                           "first_reply_hours", "handle_seconds", "handle_minutes")
                        if c in names) + ") holds something that is not a number of zero or more")
                    continue
                if i_frt_at is not None and row[i_frt_at].strip():
                    if created is None:  # its place came from its hour: a plain ISO time
                        created = fromisoformat(created_text)
                    replied_at = parse_time(row[i_frt_at], day_first)
                    if replied_at is None:
                        fail(offset + start + 1,
                             f"the column '{names['first_replied_at']}' is not a date and time "
                             f"in a known form ({DATE_FORMS})")
                        continue
                    if (replied_at.tzinfo is None) != (created.tzinfo is None):
                        replied_at = replied_at.replace(tzinfo=created.tzinfo)
                    frt = (replied_at - created).total_seconds()
                    if frt < 0:
                        frt = None
                if ident.isdigit() and len(ident) < 10 and (number := int(ident)) < MAX_BITMAP_IDS:
                    # Sequential numeric ids (Zendesk's): one bit each, whatever the number of rows.
                    byte, mask = number >> 3, 1 << (number & 7)
                    try:
                        bits = bitmap[byte]
                    except IndexError:  # the bitmap grows with the largest id
                        bitmap.extend(bytes(byte - len(bitmap) + 65536))
                        bits = 0
                    if bits & mask:
                        duplicates += 1
                        continue
                    bitmap[byte] = bits | mask
                else:
                    if ident in seen:
                        duplicates += 1
                        continue
                    seen.add(ident)
                # Counted from here on: the contact is in the window, new and readable.
                kind, label, tally, target = outcome
                outcome_counts[kind] += 1
                counts[label] += 1
                # Topic: the first rule (in map order) that matches any of the contact's tags.
                if tags_only is not None:
                    cell = row[tags_only]
                elif i_topics is None:
                    cell = ""
                else:
                    cell = (row[i_tags] if i_tags is not None else "") + (
                        "\x00" + row[i_topics] if row[i_topics] else "")
                seen_cell = cell_counts.get(cell)
                if seen_cell is None:
                    if len(cell_counts) >= MAX_CELLS:
                        count_topics()
                    cell_counts[cell] = 1
                else:
                    cell_counts[cell] = seen_cell + 1
                if tally is None:
                    unknown_channel += 1
                    unknown.add(row[i_channel].strip() or "(empty)")
                    continue
                if frt is not None:  # (tally.replied is the histogram's sum: see measure())
                    bucket = int(log(frt + 1) * per_bucket)
                    tally.reply_hist[bucket if bucket < last_bucket else last_bucket] += 1
                    if frt <= target:
                        tally.within += 1
                if handle is not None:
                    tally.handle_count += 1
                    tally.handle_minutes_sum += handle
            break
        except csv.Error as exc:
            start, before = before, reader.line_num  # type: ignore[attr-defined]
            fail(offset + start + 1, csv_problem(exc))
        except UnicodeDecodeError as exc:
            raise export.decode_error(offset + before + 1, exc) from None
    add_hours()
    for (channel, verdict, finished, resolved), kind in outcome_kinds.items():
        count = outcome_counts[kind]
        if channel is None or not count:
            continue
        tally = channels[channel]
        tally.contacts += count
        if verdict:
            tally.rated += count
            if verdict == 1:
                tally.good += count
        if finished:
            tally.finished += count
            tally.one_touch_known += count
            if resolved:
                tally.resolved += count
    count_topics()
    used = sum(outcome_counts)   # one outcome counted per contact used
    stats.rows = used + duplicates + outside + stats.bad
    stats.used, stats.duplicates = used, duplicates
    stats.outside_window, stats.unknown_channel = outside, unknown_channel
    return first, last
