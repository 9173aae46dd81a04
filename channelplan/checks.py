"""Checks that span several fields of a profile, and soft problems (warnings).

They work on the raw parsed YAML, tolerating values the model rejects, so that a
profile's problems are all reported in one run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic_core import PydanticCustomError

from channelplan.catalogue import assisted_ids, catalogue, concurrent_ids
from channelplan.model import DEFAULT_AGE_MIX, parse_share

TOLERANCE = 0.01
Report = Callable[[tuple, str], None]


def _share(value: Any) -> float | None:
    try:
        return parse_share(value)
    except (PydanticCustomError, ValueError, TypeError):
        return None


def _sum_check(items: list[tuple[tuple, Any]], where: tuple, what: str, report: Report) -> None:
    shares = [_share(value) for _, value in items]
    if not items or any(s is None for s in shares):
        return
    total = sum(s for s in shares if s is not None)
    if abs(total - 1) > TOLERANCE:
        listed = " + ".join(f"{s * 100:g}%" for s in shares if s is not None)
        report(where, f"{what} must sum to 100% (within 1%), but they sum to {total * 100:.4g}% "
                      f"({listed})")


def cross_field_problems(data: Any, report: Report) -> None:
    """Report problems spanning several fields via ``report(path, message)``."""
    if not isinstance(data, dict):
        return
    customers = data.get("customers")
    if isinstance(customers, dict) and isinstance(customers.get("age_mix"), dict):
        mix = customers["age_mix"]
        bands = [(("customers", "age_mix", k), v) for k, v in mix.items() if k in DEFAULT_AGE_MIX]
        _sum_check(bands, ("customers", "age_mix"), "the age_mix shares", report)

    demand = data.get("demand")
    topics = demand.get("topics") if isinstance(demand, dict) else None
    if isinstance(topics, list):
        items: list[tuple[tuple, Any]] = [(("demand", "topics", i, "share"), t.get("share"))
                                          for i, t in enumerate(topics) if isinstance(t, dict)]
        if all(isinstance(t, dict) and "share" in t for t in topics):
            _sum_check(items, ("demand", "topics"), "topic shares", report)
        seen: dict[str, int] = {}
        for index, topic in enumerate(topics):
            if not isinstance(topic, dict) or not isinstance(topic.get("name"), str):
                continue
            key = " ".join(topic["name"].split()).casefold()
            if key in seen:
                report(("demand", "topics", index, "name"),
                       f"duplicate topic name {topic['name'].strip()!r} (also topic "
                       f"{seen[key] + 1}); topic names must be unique")
            else:
                seen[key] = index

    channels = data.get("channels")
    if isinstance(channels, dict) and channels:
        entries = [(cid, c) for cid, c in channels.items() if isinstance(c, dict)]
        if len(entries) == len(channels) and all("share" in c for _, c in entries):
            items = [(("channels", cid, "share"), c["share"]) for cid, c in entries]
            _sum_check(items, ("channels",), "channel shares", report)


MAX_ERLANGS = 1_000_000   # the largest busiest-hour workload channelplan sizes (see README)


def model_limits(profile: Any, report: Report) -> None:
    """Errors for profiles whose workload is beyond what the queueing models compute quickly:
    all contacts on the slowest staffed channel at the busiest (surge) hour, in erlangs."""
    handles = []
    for cid in assisted_ids():
        offer = getattr(profile.channels, cid)
        given = offer.handle_minutes if offer is not None else None
        handles.append(given if given is not None else catalogue()[cid].handle_minutes)
    demand = profile.demand
    erlangs = (demand.contacts_per_month / demand.open_hours_per_month * demand.peak_factor
               * max(handles) / 60)
    if erlangs > MAX_ERLANGS:
        report(("demand", "contacts_per_month"),
               f"contacts_per_month x handle time at the busiest hour is about {erlangs:,.0f} "
               f"erlangs (agents busy at once), beyond the {MAX_ERLANGS:,} channelplan sizes; "
               "profile one business unit or region at a time, or check the volume, "
               "handle_minutes and peak_factor")


def soft_problems(profile: Any, report: Report) -> None:
    """Warnings: assumed defaults that matter, channels with very little volume."""
    if profile.customers.age_mix is None:
        report(("customers",), "customers.age_mix is not given; assuming 15% under 25, 55% aged "
                               "25-54 and 30% 55 or older, which drives channel preferences")
    for cid, offer in profile.channels.offered().items():
        if offer.concurrency is not None and cid not in concurrent_ids():
            report(("channels", cid, "concurrency"),
                   f"concurrency applies to {' and '.join(concurrent_ids())} only; ignored for {cid}")
        if 0 < offer.share < 0.02:
            report(("channels", cid, "share"),
                   f"{cid} carries only {offer.share * 100:.3g}% of contacts; a channel this thin "
                   "usually costs more than it carries")
