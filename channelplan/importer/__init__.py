"""Importing help-desk exports into a measured profile (``channelplan import``).

Modules: :mod:`.reading` (files, encodings, delimiters, dates), :mod:`.formats` (Zendesk,
Intercom and generic columns, format detection, value tables), :mod:`.mapping` (the map
file and its topic rules), :mod:`.measure` (the one-pass measurement), :mod:`.localtime`
(where an arrival time falls in the team's time zone), :mod:`.results` (what
was measured and the figures derived from it: hours, peak factor), :mod:`.writing`
(the commented profile) and :mod:`.summary` (the JSON document of what was measured).
Nothing here prints.

    from channelplan.importer import import_exports
    result = import_exports(["tickets.csv"], map_path="map.yaml", timezone="Europe/Paris")
    result.profile_text         # YAML, every measured value with its origin
    result.summary()            # the channelplan/import-summary@1 document
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from channelplan.importer.mapping import ImportMap, TopicRule, compile_rule, load_map
from channelplan.importer.measure import DEFAULT_MAX_BAD_ROWS, ImportOptions, measure
from channelplan.importer.problems import Arg, ExportError
from channelplan.importer.results import Measurement

__all__ = ["Arg", "ExportError", "ImportResult", "import_exports", "parse_max_bad_rows"]


@dataclass
class ImportResult:
    measurement: Measurement
    profile_text: str
    profile: Any            # the validated channelplan Profile
    import_map: ImportMap

    @property
    def warnings(self) -> list[str]:
        return self.measurement.warnings

    def summary(self, written: str | None = None) -> dict[str, Any]:
        from channelplan.importer.summary import summary_document

        return summary_document(self.measurement, written)


def parse_max_bad_rows(text: str) -> float:
    """``0.5%`` or ``0.005`` (a share of the rows), or ``25`` (a number of rows)."""
    value = text.strip()
    try:
        if value.endswith("%"):
            share = float(value[:-1]) / 100
            if not 0 <= share < 1:
                raise ValueError
            return share
        number = float(value)
        if number < 0 or (number >= 1 and not number.is_integer()):
            raise ValueError
        return number
    except ValueError:
        raise ExportError([["channelplan import: error: ", Arg("max_bad_rows"),
                            f" {text!r}: use a share such as 0.5% or a number of rows such as "
                            "25"]]) from None


def _check_max_bad_rows(value: Any) -> None:
    """``max_bad_rows`` is a share below 1 (0.005 for 0.5%) or a whole number of rows."""
    ok = (isinstance(value, (int, float)) and not isinstance(value, bool)
          and math.isfinite(value) and value >= 0 and (value < 1 or float(value).is_integer()))
    if not ok:
        raise ExportError([["channelplan import: error: ", Arg("max_bad_rows"),
                            f" {value!r}: use a share below 1 such as 0.005 (0.5%) or a whole "
                            "number of rows such as 25"]])


def _base_rules(base: Any) -> list[TopicRule]:
    """Without topic rules in a map: each topic of the base profile matches tags that spell
    its name (case ignored, spaces also as _ or -)."""
    rules = []
    for topic in base.demand.topics:
        if topic.name.casefold() == "other":
            continue
        name = topic.name.casefold()
        patterns = sorted({name, name.replace(" ", "_"), name.replace(" ", "-")})
        escaped = [p.replace("[", "[[]").replace("*", "[*]").replace("?", "[?]") for p in patterns]
        rules.append(compile_rule(topic.name, escaped))
    return rules


def import_exports(paths: Sequence[str], *, fmt: str | None = None, map_path: str | None = None,
                   since: dt.date | None = None, until: dt.date | None = None,
                   timezone: str = "UTC", base_path: str | None = None,
                   max_bad_rows: float = DEFAULT_MAX_BAD_ROWS, output_name: str = "<import>",
                   progress: Callable[[str], None] | None = None) -> ImportResult:
    """Measure the exports and build the profile; raise :class:`ExportError` (nothing to
    write) when they cannot be imported. The profile text is checked by the same loader as
    ``channelplan validate`` before it is returned."""
    from channelplan.catalogue import catalogue
    from channelplan.errors import ProfileError
    from channelplan.importer.writing import profile_text
    from channelplan.loader import load_profile, parse_profile

    if not paths:
        raise ExportError(["channelplan import: error: give at least one export file"])
    if since and until and until < since:
        raise ExportError([["channelplan import: error: ", Arg("until"), f" {until} is before ",
                            Arg("since"), f" {since}"]])
    _check_max_bad_rows(max_bad_rows)
    imap = load_map(map_path) if map_path else ImportMap()
    base = base_data = None
    if base_path is not None:
        try:
            base = load_profile(base_path)
        except ProfileError as exc:
            raise ExportError([str(p) for p in exc.problems]) from None
        base_data = _raw_sections(base_path)
    rules = list(imap.topics) or (_base_rules(base) if base is not None else [])
    targets = {cid: channel.target_seconds for cid, channel in catalogue().items()}
    if base is not None:
        for cid, offer in base.channels.offered().items():
            if offer.target is not None and offer.target.answer_within is not None:
                targets[cid] = offer.target.answer_within
    options = ImportOptions(fmt=fmt, import_map=imap, since=since, until=until, timezone=timezone,
                            max_bad_rows=max_bad_rows, targets=targets, topic_rules=rules)
    measured = measure(paths, options, progress)
    text = profile_text(measured, base, base_data, imap, rules)
    try:
        profile = parse_profile(text, source=output_name)
    except ProfileError as exc:  # a bug: the writer must always write a valid profile
        raise ExportError(["channelplan import: internal error: the written profile does not "
                           "validate:"] + [str(p) for p in exc.problems]) from None
    return ImportResult(measured, text, profile, imap)


def _raw_sections(path: str) -> dict:
    """The base profile's sections as written (shares as '40%', dates as text)."""
    from channelplan.limits import MAX_INPUT_BYTES
    from channelplan.yamlsafe import decode, parse_yaml

    with open(path, "rb") as handle:
        raw = handle.read(MAX_INPUT_BYTES + 1)
    data = parse_yaml(decode(raw, path), path).data
    return data if isinstance(data, dict) else {}
