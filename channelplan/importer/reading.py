"""Reading help-desk export files: encodings, delimiters, rows with their line numbers,
column names and date-time values.

Exports come from spreadsheets and help desks in many shapes: UTF-8 with or without a
byte-order mark, UTF-16 (Excel's "Unicode text"), comma, semicolon or tab separated, and
quoted fields that hold whole ticket descriptions over several lines. Rows are streamed:
nothing here keeps more than one row in memory.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from channelplan.importer.problems import ExportError

# A ticket description can be long, but a single cell beyond this is not a help-desk export.
MAX_FIELD_CHARS = 4 * 1024 * 1024
SNIFF_BYTES = 64 * 1024
DELIMITERS = (",", ";", "\t")


@dataclass
class Export:
    """An open export file: its header row and a CSV reader over the data rows.

    The rows are read by the measuring loop itself (:func:`.measure._read_file`), not
    through a generator here: at a million rows a generator's resume and the tuple it
    yields per row cost a noticeable share of the import. The loop turns the reader's line
    count into the line a row starts on (``header_lines`` + the reader's ``line_num`` before
    the row + 1) and recovers from a row the reader cannot read (``csv.Error``, see
    :func:`csv_problem`)."""

    source: str
    encoding: str
    delimiter: str
    header: list[str]
    reader: Iterator[list[str]]   # csv.reader: rows of cells, with line_num
    _raw: IO[bytes]
    _text: IO[str]
    header_lines: int = 1         # the reader counts lines from the first data row

    def decode_error(self, line: int, exc: UnicodeDecodeError) -> ExportError:
        """The error for bytes that are not text in the file's encoding, at ``line``."""
        return ExportError([f"{self.source}:{line}: the file is not {self.encoding} text (byte "
                            f"0x{exc.object[exc.start]:02x} cannot be decoded); save it as CSV "
                            "UTF-8"])

    def close(self) -> None:
        self._text.close()
        self._raw.close()

    def __enter__(self) -> Export:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def csv_problem(exc: csv.Error) -> str:
    """Why the CSV reader could not read a row, in the words of a ``FILE:LINE:`` message."""
    return f"cannot read this row as CSV ({_csv_reason(exc)})"


def _csv_reason(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger" in text:
        return f"a field is longer than {MAX_FIELD_CHARS // (1024 * 1024)} million characters"
    if "NUL" in text or "\\0" in text:
        return "it holds a NUL byte"
    return "unbalanced quotes or a stray character"


def detect_encoding(head: bytes) -> str:
    """The encoding from a byte-order mark, or from the zero bytes of UTF-16 without one."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[:4096]
    if len(sample) >= 4:
        even = sample[0::2].count(0)
        odd = sample[1::2].count(0)
        half = len(sample) // 2
        if odd > half * 0.4 and even == 0:
            return "utf-16-le"
        if even > half * 0.4 and odd == 0:
            return "utf-16-be"
    return "utf-8"


def sniff_delimiter(header_line: str) -> str:
    """Comma, semicolon or tab: whichever separates the most fields of the header row,
    counting only outside quotes."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in header_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def open_export(path: str) -> Export:
    """Open an export, detect its encoding and delimiter and read its header row."""
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed by Export.close
    except IsADirectoryError:
        raise ExportError([f"{path}: is a directory, not an export file"]) from None
    except OSError as exc:
        raise ExportError([f"{path}: cannot read the file: {exc.strerror or exc}"]) from None
    try:
        head = raw.read(SNIFF_BYTES)
        encoding = detect_encoding(head)
        if encoding == "utf-8":
            _check_utf8(head, path)
        raw.seek(0)
        text = io.TextIOWrapper(raw, encoding=encoding, newline="", errors="strict")
        try:
            first = text.readline()
        except UnicodeDecodeError:
            raise ExportError([f"{path}:1: the file is not {encoding} text; save it as CSV "
                               "UTF-8"]) from None
        first = first.lstrip("\ufeff")
        if not first.strip():
            raise ExportError([f"{path}:1: the file is empty; an export starts with a header "
                               "row of column names"])
        delimiter = sniff_delimiter(first)
        # The header can itself span lines when a column name is quoted with a newline.
        header_text = first
        while header_text.count('"') % 2 and len(header_text) < SNIFF_BYTES:
            more = text.readline()
            if not more:
                break
            header_text += more
        try:
            header = next(csv.reader([header_text], delimiter=delimiter, strict=True), [])
        except csv.Error:
            raise ExportError([f"{path}:1: cannot read the header row as CSV (unbalanced "
                               "quotes); the first row must name the columns"]) from None
        lines = header_text.count("\n") or 1
        csv.field_size_limit(MAX_FIELD_CHARS)
        reader = csv.reader(text, delimiter=delimiter, strict=False)
    except BaseException:
        raw.close()
        raise
    return Export(source=path, encoding=encoding.replace("-sig", ""), delimiter=delimiter,
                  header=[h.strip() for h in header], reader=reader, _raw=raw, _text=text,
                  header_lines=lines)


def _check_utf8(head: bytes, path: str) -> None:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3:  # a character cut at the end of the sample
            return
        line = head[: exc.start].count(b"\n") + 1
        raise ExportError([f"{path}:{line}: the file is not UTF-8 or UTF-16 text (byte "
                           f"0x{head[exc.start]:02x}); save it from your spreadsheet as "
                           "'CSV UTF-8'"]) from None


# Column names ------------------------------------------------------------------------------

_SUFFIX = re.compile(r"\s*\(([^()]*)\)\s*\Z")
_SPACES = re.compile(r"\s+")


def normalize(name: str) -> str:
    """A column name compared loosely: case, spacing and a byte-order mark ignored."""
    return _SPACES.sub(" ", name.replace("\ufeff", "").strip()).casefold()


def split_suffix(name: str) -> tuple[str, str]:
    """``Conversation started at (UTC)`` -> (``conversation started at``, ``UTC``)."""
    stripped = name.replace("\ufeff", "").strip()
    match = _SUFFIX.search(stripped)
    if not match:
        return normalize(stripped), ""
    return normalize(stripped[: match.start()]), match.group(1).strip()


# Time zones --------------------------------------------------------------------------------

_OFFSET = re.compile(r"(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?\Z", re.IGNORECASE)


def parse_timezone(name: str) -> dt.tzinfo | None:
    """``Europe/Paris``, ``UTC``, ``GMT``, ``+02:00``, ``UTC+2``; ``None`` if not a time zone."""
    text = name.strip()
    if not text:
        return None
    if text.upper() in ("UTC", "GMT", "Z", "ZULU"):
        return dt.timezone.utc
    match = _OFFSET.match(text)
    if match:
        sign = -1 if match.group(1) == "-" else 1
        hours, minutes = int(match.group(2)), int(match.group(3) or 0)
        if hours > 14 or minutes > 59:
            return None
        return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))
    try:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
    except ImportError:  # pragma: no cover - Python 3.10+ has zoneinfo
        return None
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


# Date-time values -------------------------------------------------------------------------

_ISOISH = re.compile(
    r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?\Z", re.IGNORECASE)
_DOTTED = re.compile(
    r"(\d{1,2})\.(\d{1,2})\.(\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\Z")
_SLASHED = re.compile(
    r"(\d{1,2})/(\d{1,2})/(\d{2,4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?"
    r"\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?\Z")

DATE_FORMS = ("2024-01-31 14:05[:00] (also with T, seconds, fractions, Z, UTC or +01:00), "
              "2024/01/31 14:05, 31.01.2024 14:05, 01/31/2024 2:05 PM (day-first with "
              "'dates: day-first' in the map)")


def _zone(text: str | None) -> dt.tzinfo | None:
    if not text:
        return None
    if text.upper() in ("Z", "UTC", "GMT"):
        return dt.timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def parse_time(text: str, day_first: bool = False) -> dt.datetime | None:
    """A date and time in one of :data:`DATE_FORMS`; ``None`` if it is none of them (or
    not a real date). Naive unless the value carries a zone."""
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        pass
    value = text.strip()
    try:
        match = _ISOISH.match(value)
        if match:
            y, mo, d, h, mi, s, zone = match.groups()
            return dt.datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0),
                               tzinfo=_zone(zone))
        match = _DOTTED.match(value)
        if match:
            d, mo, y, h, mi, s = match.groups()
            return dt.datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0))
        match = _SLASHED.match(value)
        if match:
            a, b, y, h, mi, s, ampm, zone = match.groups()
            d, mo = (a, b) if day_first else (b, a)
            year = int(y) + (2000 if len(y) == 2 else 0)
            hour = int(h or 0)
            if ampm:
                if not 1 <= hour <= 12:
                    return None
                hour = hour % 12 + (12 if ampm.lower() == "pm" else 0)
            return dt.datetime(year, int(mo), int(d), hour, int(mi or 0), int(s or 0),
                               tzinfo=_zone(zone))
    except ValueError:
        return None
    return None
