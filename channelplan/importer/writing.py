"""Writing the measured profile: YAML text in which every measured value carries a comment
saying where it came from (files, rows used, period, method).

Everything not measured comes from ``--base PROFILE`` when given, else it is written as a
commented default to fill in. Shares are rounded so that they sum to exactly 100%.
"""

from __future__ import annotations

from typing import Any

from channelplan.catalogue import CHANNEL_IDS, OPEN_HOURS, catalogue
from channelplan.importer.mapping import ImportMap, TopicRule
from channelplan.importer.results import (
    ALWAYS_IF_OVERNIGHT,
    EXTENDED_IF_OUTSIDE_BUSINESS,
    MIN_SAMPLE,
    WEEKDAYS,
    Measurement,
)
from channelplan.textsafe import plain
from channelplan.units import duration_text

DEFAULT_TOPIC = {"urgency": "hours", "complexity": "medium", "sensitivity": "none"}
UNMEASURED = ("customers", "constraints", "priorities", "transition")
COMMENT_COLUMN = 34

COMMENTED_DEFAULTS = {
    "customers": """\
# customers:                      # not in a help-desk export: fill in
#   active: 40000                 # active customers (default: contacts per month)
#   age_mix: {under_25: 15%, 25_to_54: 55%, 55_plus: 30%}
#   digital_maturity: medium      # low | medium | high""",
    "constraints": """\
# constraints:                    # not in a help-desk export: fill in
#   monthly_budget: 45000         # per month, in company.currency (default unlimited)
#   agents: 12                    # staff for assisted channels (default unlimited)
#   shrinkage: 30%
#   brand_risk_tolerance: medium  # low | medium | high""",
    "priorities": """\
# priorities:                     # 0-5 each, default 3
#   cost: 3
#   speed: 3
#   effort: 3
#   satisfaction: 3
#   reach: 3""",
    "transition": """\
# transition:
#   start: 2027-01-04             # day 0 of the roadmap (default today)
#   min_notice_days: 30
#   brownouts: true""",
}


def largest_remainder(counts: list[int], unit: int = 1000, minimum: int = 1) -> list[int]:
    """Integer shares of ``unit`` (tenths of a percent) proportional to ``counts``, summing to
    exactly ``unit``; every non-zero count gets at least ``minimum``."""
    total = sum(counts)
    if total == 0:
        return [0] * len(counts)
    exact = [c * unit / total for c in counts]
    shares = [int(x) for x in exact]
    for i, c in enumerate(counts):
        if c and shares[i] < minimum:
            shares[i] = minimum
    short = unit - sum(shares)
    order = sorted(range(len(counts)), key=lambda i: (-(exact[i] - int(exact[i])), -counts[i], i))
    while short > 0:
        for i in order:
            if short == 0:
                break
            if counts[i]:
                shares[i] += 1
                short -= 1
    while short < 0:  # minimums pushed the sum over: take from the largest
        i = max(range(len(shares)), key=lambda k: (shares[k] - minimum, -k))
        shares[i] -= 1
        short += 1
    return shares


def approx_duration(seconds: float) -> str:
    """A duration to two significant figures in its unit (``3.1 h``, ``14 s``): a median from
    a histogram with 5% buckets claims no more."""
    for unit, size, limit in (("s", 1, 120), ("min", 60, 7200), ("h", 3600, 172800)):
        if seconds < limit:
            return f"{float(f'{seconds / size:.2g}'):g} {unit}"
    return f"{float(f'{seconds / 86400:.2g}'):g} days"


def _pct(tenths: int) -> str:
    return f"{tenths / 10:g}%"


def _share_text(share: float) -> str:
    return f"{round(share * 100, 1):g}%"


def _scalar(value: Any) -> str:
    """A YAML scalar that reads back as the same value under the YAML 1.2 core schema."""
    import yaml

    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10_000)
    return text.removesuffix("\n...\n").rstrip("\n")


def _line(indent: int, body: str, comment: str = "") -> str:
    text = " " * indent + body
    if comment:
        text = text.ljust(COMMENT_COLUMN) + " # " + plain(comment)
    return text


def _dump_section(key: str, value: Any) -> str:
    import yaml

    body = yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False,
                          default_flow_style=False, width=100)
    return body.rstrip("\n")


def profile_text(m: Measurement, base: Any | None, base_data: dict | None, imap: ImportMap,
                 rules: list[TopicRule]) -> str:
    """The profile as YAML text with comments (format version 1)."""
    sources = [f.source for f in m.files]
    files = sources[0] if len(sources) == 1 else f"{len(sources)} files ({', '.join(sources)})"
    period = f"{m.since.isoformat()}..{m.until.isoformat()} ({m.days} days)"
    out = ["# yaml-language-server: $schema=profile.schema.json",
           "# Written by `channelplan import` from:"]
    for f in m.files:
        out.append(plain(f"#   {f.source}: {f.fmt}, {f.rows:,} rows, {f.used:,} used, "
                         f"{f.duplicates:,} duplicate ids, {f.outside_window:,} outside the "
                         f"period, {f.bad:,} unreadable"))
    out.append(f"# Period: {period}; times in {m.timezone}.")
    base_note = f"from {base.source}" if base is not None else "commented defaults to fill in"
    out.append(f"# Measured values say so in their comment; the rest: {base_note}.")
    out.append("version: 1")
    out.extend(_company(base, base_data))
    if base_data is not None and "customers" in base_data:
        out.append(_dump_section("customers", base_data["customers"]))
    else:
        out.append(COMMENTED_DEFAULTS["customers"])
    out.extend(_demand(m, base, imap, rules, files, period))
    for key in ("constraints", "priorities"):
        if base_data is not None and key in base_data:
            out.append(_dump_section(key, base_data[key]))
        else:
            out.append(COMMENTED_DEFAULTS[key])
    out.extend(_channels(m, base, files, period))
    if base_data is not None and "transition" in base_data:
        out.append(_dump_section("transition", base_data["transition"]))
    else:
        out.append(COMMENTED_DEFAULTS["transition"])
    return "\n".join(out) + "\n"


def _company(base: Any | None, base_data: dict | None) -> list[str]:
    if base_data is not None and isinstance(base_data.get("company"), dict):
        return [_dump_section("company", base_data["company"])]
    return ["company:",
            _line(2, "name: Our company", "fill in: your company's name"),
            "  # industry: online retail",
            "  # currency: USD                # ISO 4217 code of your money figures"]


def _demand(m: Measurement, base: Any | None, imap: ImportMap, rules: list[TopicRule],
            files: str, period: str) -> list[str]:
    contacts = m.contacts
    per_month = round(m.contacts_per_month)
    out = ["demand:"]
    out.append(_line(2, f"contacts_per_month: {max(1, per_month)}",
                     f"measured: {contacts:,} contacts in {files}, {period}; contacts / "
                     f"{m.months_in_window:.2f} months of 30.44 days"))
    out.append(_line(2, f"hours: {m.hours}",
                     f"measured: {m.outside_business_share * 100:.1f}% of {contacts:,} contacts "
                     f"outside Mon-Fri 09-18, {m.overnight_share * 100:.1f}% overnight (22-06), "
                     f"{m.timezone}; extended from {EXTENDED_IF_OUTSIDE_BUSINESS:.0%} outside, "
                     f"always from {ALWAYS_IF_OVERNIGHT:.0%} overnight"))
    day, hour, busiest = m.busiest_hour
    out.append(_line(2, f"peak_factor: {m.peak_factor:g}",
                     f"measured: busiest hour of the average week ({WEEKDAYS[day]} "
                     f"{hour:02d}:00, {busiest:.1f} contacts) over the average open hour "
                     f"({m.average_open_hour:.1f} = {per_month:,} / "
                     f"{OPEN_HOURS[m.hours].monthly:g} h)"))
    how = f"the topic rules of {imap.source}" if imap.topics else (
        f"the topic names of {base.source}" if base is not None and rules else "no topic rules")
    out.append(_line(2, "topics:", f"measured: {contacts:,} contacts by tag through {how}; "
                                   "first matching rule wins, the rest in Other"))
    kept = [(rule, count) for rule, count in m.topics if count]
    shares = largest_remainder([count for _, count in kept])
    base_topics = {t.name.casefold(): t for t in base.demand.topics} if base is not None else {}
    for (rule, count), share in zip(kept, shares, strict=True):
        out.append(_line(4, f"- name: {_scalar(rule.name)}"))
        out.append(_line(6, f"share: {_pct(share)}", f"{count:,} of {contacts:,} contacts"))
        known = base_topics.get(rule.name.casefold())
        for key in ("urgency", "complexity", "sensitivity"):
            value = rule.attributes().get(key)
            origin = f"from {imap.source}"
            if value is None and known is not None:
                value, origin = getattr(known, key), f"from {base.source}"  # type: ignore[union-attr]
            if value is None:
                value, origin = DEFAULT_TOPIC[key], "default: check"
            out.append(_line(6, f"{key}: {value}", origin))
    return out


def _channels(m: Measurement, base: Any | None, files: str, period: str) -> list[str]:
    assigned = m.assigned
    unknown = m.contacts - assigned
    note = f"; {unknown:,} on unknown channel values left out" if unknown else ""
    out = [_line(0, "channels:", f"measured: {assigned:,} contacts by channel column in {files}, "
                                 f"{period}{note}")]
    order = [c for c in CHANNEL_IDS if c in m.channels]
    shares = largest_remainder([m.channels[c].contacts for c in order])
    offered = base.channels.offered() if base is not None else {}
    for cid, share in zip(order, shares, strict=True):
        tally = m.channels[cid]
        old = offered.get(cid)
        out.append(f"  {cid}:")
        out.append(_line(4, f"share: {_pct(share)}", f"{tally.contacts:,} contacts"))
        if old is not None and old.cost_per_contact is not None:
            out.append(_line(4, f"cost_per_contact: {old.cost_per_contact:g}",
                             f"from {base.source}"))  # type: ignore[union-attr]
        if tally.handle_count >= MIN_SAMPLE:
            out.append(_line(4, f"handle_minutes: {tally.handle_minutes_sum / tally.handle_count:.1f}",
                             f"measured: mean of {tally.handle_count:,} handle times"))
        elif old is not None and old.handle_minutes is not None:
            out.append(_line(4, f"handle_minutes: {old.handle_minutes:g}", f"from {base.source}"))  # type: ignore[union-attr]
        if tally.rated >= MIN_SAMPLE:
            out.append(_line(4, f"csat: {_share_text(tally.good / tally.rated)}",
                             f"measured: {tally.good:,} good of {tally.rated:,} rated contacts"))
        elif old is not None and old.csat is not None:
            out.append(_line(4, f"csat: {_share_text(old.csat)}", f"from {base.source}"))  # type: ignore[union-attr]
        if tally.one_touch_known >= MIN_SAMPLE:
            out.append(_line(4, f"resolution_rate: {_share_text(tally.resolved / tally.one_touch_known)}",
                             f"measured: {tally.resolved:,} of {tally.one_touch_known:,} finished "
                             f"contacts resolved in one touch ({m.one_touch_method})"))
        elif old is not None and old.resolution_rate is not None:
            out.append(_line(4, f"resolution_rate: {_share_text(old.resolution_rate)}",
                             f"from {base.source}"))  # type: ignore[union-attr]
        out.extend(_target(cid, tally, old, base, m))
        if old is not None and old.concurrency is not None:
            out.append(_line(4, f"concurrency: {old.concurrency:g}", f"from {base.source}"))  # type: ignore[union-attr]
        if old is not None and old.decision is not None:
            out.append(_line(4, f"decision: {old.decision}", f"from {base.source}"))  # type: ignore[union-attr]
    for cid, old in offered.items():
        if cid not in m.channels:
            out.append(f"  # {cid}: {{share: {_share_text(old.share)}}}   # offered in "
                       f"{plain(base.source)} but no contacts in the export: add it back "  # type: ignore[union-attr]
                       "(and rescale the shares) if it stays")
    return out


def _target(cid: str, tally: Any, old: Any, base: Any, m: Measurement) -> list[str]:
    within = m.targets.get(cid, catalogue()[cid].target_seconds)
    out = []
    if tally.replied >= MIN_SAMPLE:
        median = tally.median_reply_seconds()
        out.append(_line(4, f"# first reply: {tally.within / tally.replied * 100:.1f}% of "
                            f"{tally.replied:,} replied contacts within {duration_text(within)}, "
                            f"median about {approx_duration(median or 0)} (measured)"))
    if old is not None and old.target is not None:
        parts = []
        if old.target.answer_within is not None:
            parts.append(f"answer_within: {old.target.answer_within:g}")
        if old.target.share is not None:
            parts.append(f"share: {_share_text(old.target.share)}")
        out.append(_line(4, "target: {" + ", ".join(parts) + "}", f"from {base.source}"))
    return out
