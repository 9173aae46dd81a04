"""The import summary as a JSON document (``channelplan/import-summary@1``, schema in
``schema/import-summary.schema.json``): what was read and what was measured."""

from __future__ import annotations

from typing import Any

from channelplan.catalogue import catalogue
from channelplan.importer.results import MIN_SAMPLE, WEEKDAYS, Measurement

SCHEMA = "channelplan/import-summary@1"


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def summary_document(m: Measurement, written: str | None) -> dict[str, Any]:
    day, hour, busiest = m.busiest_hour
    channels = []
    for cid, t in m.channels.items():
        within = m.targets.get(cid, catalogue()[cid].target_seconds)
        median = t.median_reply_seconds()
        channels.append({
            "channel": cid,
            "contacts": t.contacts,
            "share": _ratio(t.contacts, m.assigned),
            "rated": t.rated,
            "csat": _ratio(t.good, t.rated),
            "finished": t.one_touch_known,
            "resolution_rate": _ratio(t.resolved, t.one_touch_known),
            "replied": t.replied,
            "first_reply_target_seconds": within,
            "first_reply_within_target": _ratio(t.within, t.replied),
            "first_reply_median_seconds": round(median, 1) if median is not None else None,
            "handle_minutes": (round(t.handle_minutes_sum / t.handle_count, 2)
                               if t.handle_count else None),
            "handle_samples": t.handle_count,
            "written": {
                "csat": t.rated >= MIN_SAMPLE,
                "resolution_rate": t.one_touch_known >= MIN_SAMPLE,
                "handle_minutes": t.handle_count >= MIN_SAMPLE,
            },
        })
    return {
        "schema": SCHEMA,
        "profile": written,
        "files": [{"source": f.source, "format": f.fmt, "detected": f.detected,
                   "encoding": f.encoding, "delimiter": f.delimiter, "rows": f.rows,
                   "used": f.used, "duplicates": f.duplicates,
                   "outside_period": f.outside_window, "unknown_channel": f.unknown_channel,
                   "bad_rows": f.bad} for f in m.files],
        "period": {"since": m.since.isoformat(), "until": m.until.isoformat(), "days": m.days,
                   "months": round(m.months_in_window, 4), "timezone": m.timezone},
        "contacts": m.contacts,
        "contacts_per_month": round(m.contacts_per_month, 2),
        "hours": {"measured": m.hours,
                  "outside_business_share": round(m.outside_business_share, 4),
                  "overnight_share": round(m.overnight_share, 4)},
        "peak": {"peak_factor": m.peak_factor, "busiest_day": WEEKDAYS[day], "busiest_hour": hour,
                 "busiest_hour_contacts": round(busiest, 3),
                 "average_open_hour_contacts": round(m.average_open_hour, 3)},
        "channels": channels,
        "months": [{"month": month, "contacts": dict(sorted(counts.items()))}
                   for month, counts in m.months.items()],
        "topics": [{"name": rule.name, "contacts": count, "share": _ratio(count, m.contacts),
                    "patterns": list(rule.patterns)} for rule, count in m.topics],
        "unmatched_tags": [{"tag": tag, "contacts": count} for tag, count in m.unmatched_tags[:50]],
        "unknown_channel_values": [{"value": value, "contacts": count}
                                   for value, count in m.unknown_channels[:50]],
        "heatmap": {"days": list(WEEKDAYS), "hours": list(range(24)),
                    "average_contacts": [[round(v, 3) for v in row] for row in m.average_week()]},
        "bad_rows": {"count": m.bad_total, "rows": m.rows_total, "first": m.bad_rows},
        "warnings": m.warnings,
    }
