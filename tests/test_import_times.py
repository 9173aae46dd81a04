"""`channelplan import`: arrival times. A plain time ("2024-01-31 14:05:09") is counted in a
place worked out once for its whole hour (channelplan/importer/localtime.py); every other
form is parsed and converted one by one. These tests check that both ways give the same
answer where it is hard to get right: half-hour zones, changes to and from summer time
(Lord Howe's is half an hour), a --since/--until boundary, rows out of time order."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pytest

from channelplan.importer.localtime import LocalClock
from channelplan.importer.reading import parse_timezone
from conftest import invoke

# Days on which a zone used here changes its offset in 2024, and ordinary days around them.
CHANGES = [dt.datetime(2024, 3, 10), dt.datetime(2024, 3, 31), dt.datetime(2024, 4, 7),
           dt.datetime(2024, 10, 6), dt.datetime(2024, 10, 27), dt.datetime(2024, 11, 3)]
VIA = ["Email", "Chat", "Phone call (incoming)", "Web Widget"]


def _times(count: int, seed: int = 3) -> list[dt.datetime]:
    """Times within two days either side of each change, in no particular order."""
    rng = random.Random(seed)
    return [rng.choice(CHANGES) + dt.timedelta(seconds=rng.randrange(-2 * 86400, 2 * 86400))
            for _ in range(count)]


def _export(path: Path, column: str, times: list[dt.datetime], fraction: bool) -> Path:
    """A Zendesk-like export; with ``fraction`` every time is written with ".0" seconds, a
    form that is parsed and converted time by time, never looked up by its hour."""
    lines = [f"Id,{column},Via,Tags"]
    for number, when in enumerate(times, start=1):
        separator = "T" if number % 3 == 0 else " "
        text = when.strftime(f"%Y-%m-%d{separator}%H:%M:%S") + (".0" if fraction else "")
        lines.append(f"{number},{text},{VIA[number % len(VIA)]},billing")
    lines.append(f"{len(times) + 1},2024-02-30 10:00:00{'.0' if fraction else ''},Email,x")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    return path


CASES = [  # the created column's name (its zone), --timezone, --since, --until
    ("Created at", "UTC", None, None),
    ("Created at", "Asia/Kolkata", "2024-03-31", "2024-10-27"),
    ("Created at (UTC)", "Europe/Paris", "2024-03-31", "2024-10-27"),
    ("Created at (UTC)", "Asia/Kolkata", None, "2024-10-06"),
    ("Created at (UTC)", "Australia/Lord_Howe", "2024-04-07", None),
    ("Created at (UTC)", "America/St_Johns", "2024-11-03", "2024-11-03"),
    ("Created at (UTC)", "America/New_York", None, None),
    ("Created at (Europe/Paris)", "America/New_York", "2024-03-10", None),
    ("Created at (Australia/Lord_Howe)", "UTC", None, None),
    ("Created at (+05:30)", "UTC", None, None),
    ("Created at (-03:00)", "+02:00", "2024-10-06", "2024-10-27"),
]


@pytest.mark.parametrize(("column", "zone", "since", "until"), CASES)
def test_plain_times_count_as_the_same_times_parsed_one_by_one(tmp_path, column, zone, since,
                                                               until):
    times = _times(3000)
    summaries = []
    for fraction in (False, True):
        export = _export(tmp_path / str(fraction) / "export.csv", column, times, fraction)
        window = [*(["--since", since] if since else []), *(["--until", until] if until else [])]
        result = invoke("import", str(export), "--timezone", zone, *window, "--max-bad-rows", "5",
                        "-f", "json")
        assert result.exit_code == 0, result.output
        summaries.append(json.loads(result.stdout.replace(str(export), "EXPORT")))
    plain, parsed = summaries
    assert plain["contacts"] > 100
    assert plain == parsed


def _place(clock: LocalClock, text: str) -> tuple:
    return clock.place(clock.local(dt.datetime.fromisoformat(text)))


HOURS_TRIED = len(CHANGES) * 60


@pytest.mark.parametrize(("column_zone", "zone", "shared"), [  # shared: hours with one place
    ("", "UTC", HOURS_TRIED), ("", "Asia/Kolkata", HOURS_TRIED),  # no conversion
    ("UTC", "Europe/Paris", HOURS_TRIED), ("Europe/Paris", "UTC", HOURS_TRIED),
    ("-03:00", "+02:00", HOURS_TRIED),
    ("UTC", "Asia/Kolkata", 0), ("UTC", "America/St_Johns", 0), ("+05:30", "UTC", 0),
    ("UTC", "Australia/Lord_Howe", None), ("Australia/Lord_Howe", "America/New_York", None)])
def test_an_hour_has_one_place_only_where_each_of_its_times_has_it(column_zone, zone, shared):
    """Every time of an hour with a place has that place; whole-hour zones share it for
    every hour (their offsets change on the hour), half-hour ones for none; Lord Howe
    (+10:30, +11:00 in summer) for its summer hours only."""
    tz = parse_timezone(zone)
    assert tz is not None
    clock = LocalClock(tz, parse_timezone(column_zone), dt.date(2024, 3, 31),
                       dt.date(2024, 10, 27))
    rng = random.Random(7)
    found = 0
    for change in CHANGES:
        for hour in range(-30, 30):
            key = (change + dt.timedelta(hours=hour)).strftime("%Y-%m-%d %H")
            place = clock.hour_place(key)
            if place is None:
                continue
            found += 1
            for tail in (":00:00", ":29:59", ":30:00", ":59:59",
                         f":{rng.randrange(60):02d}:{rng.randrange(60):02d}"):
                assert _place(clock, key + tail) == place, key + tail
    if shared is None:
        assert 0 < found < HOURS_TRIED
    else:
        assert found == shared


class _HalfPastChange(dt.tzinfo):
    """A zone (none in the tz database is like it) going from +01:00 to +02:00 at half past
    an hour: 2024-06-01 10:30 UTC."""

    CHANGE = dt.datetime(2024, 6, 1, 10, 30)

    def utcoffset(self, when: dt.datetime | None) -> dt.timedelta:
        local_change = self.CHANGE + dt.timedelta(hours=1)
        before = when is None or when.replace(tzinfo=None) < local_change
        return dt.timedelta(hours=1 if before else 2)

    def dst(self, when: dt.datetime | None) -> dt.timedelta:
        return dt.timedelta(0)

    def fromutc(self, when: dt.datetime) -> dt.datetime:
        hours = 1 if when.replace(tzinfo=None) < self.CHANGE else 2
        return when + dt.timedelta(hours=hours)


def test_an_hour_whose_offset_changes_within_it_has_no_one_place():
    clock = LocalClock(_HalfPastChange(), dt.timezone.utc, None, None)
    assert _place(clock, "2024-06-01 10:00:00") != _place(clock, "2024-06-01 10:59:59")
    assert clock.hour_place("2024-06-01 10") is None
    assert clock.hour_place("2024-06-01 09") == _place(clock, "2024-06-01 09:59:59")
    assert clock.hour_place("2024-02-30 10") is None   # not a day
    assert clock.hour_place("2024-01-31_10") is None   # not the plain form


def test_times_with_and_without_a_zone_in_one_column_import(tmp_path):
    """A column without a zone in its name may mix times with a zone (converted) and
    without (already local); the period is then measured on local days."""
    export = tmp_path / "t.csv"
    export.write_text("Id,Created at,Via,Tags\n1,2024-01-01 10:00:00,Email,x\n"
                      "2,2024-01-03T23:30:00Z,Email,x\n3,2024-01-02 08:00:00,Email,x\n")
    result = invoke("import", str(export), "--timezone", "Europe/Paris", "-f", "json")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    period = json.loads(result.stdout)["period"]
    assert (period["since"], period["until"]) == ("2024-01-01", "2024-01-04")


def test_hours_kept_for_a_bounded_memory_give_the_same_answer(tmp_path, monkeypatch):
    """Past MAX_HOURS hours (or MAX_DAYS days) kept, the counts so far are added up and the
    count starts again: a file spread over many years reads as one that is not."""
    import sys

    from channelplan.importer import import_exports

    measure_module = sys.modules["channelplan.importer.measure"]
    export = _export(tmp_path / "export.csv", "Created at (UTC)", _times(2000), fraction=False)
    runs = []
    for hours, days in ((measure_module.MAX_HOURS, measure_module.MAX_DAYS), (5, 2)):
        monkeypatch.setattr(measure_module, "MAX_HOURS", hours)
        monkeypatch.setattr(measure_module, "MAX_DAYS", days)
        result = import_exports([str(export)], timezone="Europe/Paris", max_bad_rows=5)
        runs.append(result.summary())
    assert runs[0] == runs[1]
    assert runs[0]["contacts"] == 2000
