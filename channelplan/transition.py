"""The transition roadmap: a phased, dated plan for each channel to retire.

Practice (domain.md, "Retiring a channel"): nothing is removed before its replacement is
live; notice scales with impact (90 days where money matters or a large share of customers
use the channel, never less than ``transition.min_notice_days``); brownouts before the
sunset; a notice at every old touchpoint; go/no-go criteria and a rollback step.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from channelplan.allocation import split_topic
from channelplan.catalogue import CHANNEL_IDS, catalogue
from channelplan.errors import UsageError
from channelplan.fit import suits, topic_fit, why_not
from channelplan.model import Profile
from channelplan.staffing import current_volumes, plan_for_volumes, size_channel

# Durations, in business days unless named otherwise.
PREPARE_DAYS = 15
PREPARE_NEW_CHANNEL_DAYS = 10      # a new alternative must be staffed and live first
PREPARE_LARGE_DAYS = 5
ANNOUNCE_DAYS = 10
BROWNOUT_DAYS = 15                 # three weekly brownouts (GitHub: 12 h, then 24 h, a week apart)
SUNSET_DAYS = 5
MONITOR_DAYS = 30
MONITOR_LARGE_DAYS = 20
STAGGER_DAYS = 20                  # several retirements start four weeks apart, smallest first
LARGE_SHARE = 0.15                 # "over 15% of users -> at least 90 days"
MEDIUM_SHARE = 0.05
# Share of the retiring channel's contacts already on the alternatives, by phase.
MIGRATED = {"prepare": 0.0, "announce": 0.1, "parallel": 0.4, "brownouts": 0.7,
            "sunset": 1.0, "monitor": 1.0}


@lru_cache(maxsize=1)
def playbook() -> list[dict[str, Any]]:
    text = resources.files("channelplan").joinpath("data/transition.yaml").read_text("utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))["phases"]


def next_business_day(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def add_business_days(day: dt.date, count: int) -> dt.date:
    day = next_business_day(day)
    while count > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def business_days_between(first: dt.date, last: dt.date) -> int:
    count, day = 0, first
    while day < last:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            count += 1
    return count


@dataclass
class Task:
    id: str
    title: str
    owner: str
    due: dt.date
    channel: str
    phase: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "owner": self.owner,
                "due": self.due.isoformat(), "phase": self.phase}


@dataclass
class Phase:
    key: str
    name: str
    purpose: str
    start: dt.date
    end: dt.date
    tasks: list[Task]
    migrated: float
    staff_required: float
    monthly_cost: float

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "key": self.key, "purpose": self.purpose,
                "start": self.start.isoformat(), "end": self.end.isoformat(),
                "tasks": [t.to_dict() for t in self.tasks],
                "capacity": {"migrated_share": self.migrated,
                             "staff_required": self.staff_required,
                             "monthly_cost": round(self.monthly_cost, 2)}}


@dataclass
class Alternative:
    channel: str
    share: float
    contacts_per_month: float
    new: bool
    topics: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {"channel": self.channel, "share": round(self.share, 4),
                "contacts_per_month": round(self.contacts_per_month, 1), "new": self.new,
                "topics": self.topics}


@dataclass
class Retirement:
    channel: str
    name: str
    share: float
    contacts_per_month: float
    reason: str
    alternatives: list[Alternative]
    notice_days: int
    notice_reasons: list[str]
    announce_date: dt.date
    sunset_date: dt.date
    phases: list[Phase]
    baseline_staff: float
    baseline_cost: float
    warnings: list[str] = field(default_factory=list)

    @property
    def tasks(self) -> list[Task]:
        return [t for p in self.phases for t in p.tasks]

    @property
    def peak(self) -> Phase:
        return max(self.phases, key=lambda p: (p.monthly_cost, p.staff_required))

    def to_dict(self) -> dict[str, Any]:
        peak = self.peak
        return {
            "channel": self.channel, "name": self.name, "share": round(self.share, 4),
            "contacts_per_month": round(self.contacts_per_month, 1), "reason": self.reason,
            "alternatives": [a.to_dict() for a in self.alternatives],
            "notice_days": self.notice_days, "notice_reasons": self.notice_reasons,
            "announce_date": self.announce_date.isoformat(),
            "sunset_date": self.sunset_date.isoformat(),
            "phases": [p.to_dict() for p in self.phases],
            "capacity": {"before": {"staff_required": self.baseline_staff,
                                    "monthly_cost": round(self.baseline_cost, 2)},
                         "peak": {"phase": peak.name, "staff_required": peak.staff_required,
                                  "monthly_cost": round(peak.monthly_cost, 2)},
                         "after": {"staff_required": self.phases[-1].staff_required,
                                   "monthly_cost": round(self.phases[-1].monthly_cost, 2)}},
            "warnings": self.warnings,
        }


@dataclass(frozen=True)
class Blocked:
    """A recommended retirement that cannot be planned safely, and why."""

    channel: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"channel": self.channel, "reason": self.reason}


@dataclass
class Roadmap:
    profile: Profile
    start: dt.date
    start_pinned: bool
    retirements: list[Retirement]
    kept: list[str]
    blocked: list[Blocked] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def tasks(self) -> list[Task]:
        return [t for r in self.retirements for t in r.tasks]

    def volumes_after(self) -> dict[str, float]:
        """Monthly contacts per channel once every retirement is complete."""
        volumes = current_volumes(self.profile)
        for r in self.retirements:
            volumes.pop(r.channel, None)
            for alternative in r.alternatives:
                volumes[alternative.channel] = (volumes.get(alternative.channel, 0.0)
                                                + alternative.contacts_per_month)
        return volumes

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": "channelplan/roadmap@1",
            "profile": {"name": self.profile.company.name, "source": self.profile.source},
            "start": self.start.isoformat(),
            "start_pinned": self.start_pinned,
            "kept": self.kept,
            "retirements": [r.to_dict() for r in self.retirements],
            "blocked": [b.to_dict() for b in self.blocked],
            "warnings": [w.to_dict() for w in self.profile.warnings] + [
                {"message": w} for w in self.warnings],
        }


def _topic_weights(profile: Profile, channel: str) -> list[float]:
    """How the retiring channel's contacts spread over the topics.

    Each topic's contacts are shared by the channels offered today in proportion to their
    share of contacts times how well they fit the topic (a floor of 0.02, since customers
    use the channels they have, suited or not). The retiring channel's part of each topic,
    normalised, is its topic mix: a business's only channel carries every topic.
    """
    offered = profile.channels.offered()
    weights = []
    for topic in profile.demand.topics:
        pull = {c: o.share * max(topic_fit(profile, c, topic), 0.02) for c, o in offered.items()}
        total = sum(pull.values())
        weights.append(topic.share * pull[channel] / total if total > 0 else 0.0)
    whole = sum(weights)
    return [w / whole for w in weights] if whole > 0 else [t.share for t in profile.demand.topics]


MATERIAL = 0.02     # a topic carrying at least this share of a channel's contacts must be absorbed
FINANCIAL_MATERIAL = 0.10


def _notice(profile: Profile, channel: str, share: float, financial: bool) -> tuple[int, list[str]]:
    minimum = profile.transition.min_notice_days
    days, reasons = 30, ["30 days: the shortest notice that lets customers adjust"]
    if share >= LARGE_SHARE:
        days, reasons = 90, [f"90 days: it carries {share * 100:.0f}% of contacts (over 15% of "
                             "users means at least 90 days)"]
    elif share >= MEDIUM_SHARE:
        days, reasons = 45, [f"45 days: it carries {share * 100:.0f}% of contacts"]
    if financial and days < 90:
        days = 90
        reasons = ["90 days: customers use it for money matters (the 90-day notice US law "
                       "requires before a bank branch closes)"]
    ages = profile.customers.ages
    if channel == "phone" and ages["55_plus"] >= 0.3:
        days += 30
        reasons.append(f"+30 days: {ages['55_plus'] * 100:.0f}% of customers are 55 or older, "
                       "who prefer the phone")
    elif profile.customers.digital_maturity == "low":
        days += 15
        reasons.append("+15 days: customers are not comfortable with self-service")
    if days < minimum:
        days = minimum
        reasons = [f"{minimum} days: transition.min_notice_days"]
    return days, reasons


def _tasks_for(phase: dict[str, Any], channel: str, start: dt.date, end: dt.date,
               values: dict[str, str], flags: set[str]) -> list[Task]:
    tasks = []
    span = business_days_between(start, end)
    for item in phase["tasks"]:
        if "channels" in item and channel not in item["channels"]:
            continue
        if item.get("needs") and item["needs"] not in flags:
            continue
        due = add_business_days(start, round(span * float(item["due"])))
        tasks.append(Task(id=f"{channel}.{phase['key']}.{item['key']}",
                          title=item["title"].format(**values), owner=item["owner"],
                          due=min(due, end), channel=channel, phase=phase["key"]))
    return tasks


def _refuse_if_unsafe(profile: Profile, channel: str, weights: Sequence[float],
                      kept: Sequence[str]) -> None:
    """Refuse to remove a channel that serves a topic well when nothing kept would; contacts
    it serves badly anyway go to the best remaining fit."""
    refusals = []
    for topic, weight in zip(profile.demand.topics, weights, strict=True):
        if (weight >= MATERIAL and suits(profile, channel, topic)
                and not any(suits(profile, c, topic) for c in kept)):
            excuses = "; ".join(f"{c} {why_not(profile, c, topic)}" for c in kept) or "no channel is kept"
            candidates = [c for c in CHANNEL_IDS if c != channel and suits(profile, c, topic)]
            hint = f"; add {candidates[0]} first" if candidates else ""
            refusals.append(f"'{topic.name}' ({topic.urgency}, {topic.sensitivity}, "
                            f"{topic.complexity} complexity) would have no suitable channel: "
                            f"{excuses}{hint}, or keep {channel}")
    if refusals:
        raise UsageError(f"cannot retire {channel}: " + " | ".join(refusals))


def _alternatives(profile: Profile, weights: Sequence[float], kept: Sequence[str],
                  offered: set[str], contacts: float) -> list[Alternative]:
    """The kept channels that absorb the retiring channel's contacts, topic by topic."""
    absorbed: dict[str, float] = {}
    per_topic: dict[str, list[dict[str, Any]]] = {}
    for topic, weight in zip(profile.demand.topics, weights, strict=True):
        if weight <= 0:
            continue
        for alt, fraction in split_topic(profile, topic, kept).items():
            absorbed[alt] = absorbed.get(alt, 0.0) + weight * fraction
            per_topic.setdefault(alt, []).append({"topic": topic.name,
                                                  "share": round(weight * fraction, 4)})
    total = sum(absorbed.values())
    return [Alternative(channel=c, share=absorbed[c] / total,
                        contacts_per_month=contacts * absorbed[c] / total,
                        new=c not in offered, topics=per_topic[c])
            for c in sorted(absorbed, key=lambda c: -absorbed[c])]


def _windows(profile: Profile, start: dt.date, prepare_days: int, notice_days: int,
             share: float) -> dict[str, tuple[dt.date, dt.date]]:
    """Each phase's first and last business day."""
    start = next_business_day(start)
    announce = add_business_days(start, prepare_days)
    sunset = next_business_day(announce + dt.timedelta(days=notice_days))
    notice_span = business_days_between(announce, sunset)
    announce_end = add_business_days(announce, max(1, min(ANNOUNCE_DAYS, notice_span // 3)))
    brown_start = sunset
    if profile.transition.brownouts:
        before = notice_span - business_days_between(announce, announce_end) - BROWNOUT_DAYS
        brown_start = max(add_business_days(announce_end, max(0, before)), announce_end)
    sunset_end = add_business_days(sunset, SUNSET_DAYS)
    monitor_days = MONITOR_DAYS + (MONITOR_LARGE_DAYS if share >= LARGE_SHARE else 0)
    return {"prepare": (start, announce), "announce": (announce, announce_end),
            "parallel": (announce_end, brown_start), "brownouts": (brown_start, sunset),
            "sunset": (sunset, sunset_end),
            "monitor": (sunset_end, add_business_days(sunset_end, monitor_days))}


def _capacity_by_phase(profile: Profile, channel: str, alternatives: Sequence[Alternative],
                       volumes: dict[str, float], old: Any) -> dict[str, tuple[float, float, float]]:
    """(share migrated, staff, monthly cost) per phase. The retiring channel keeps its full
    staff and cost until it closes, so running old and new side by side is the peak."""
    contacts = volumes[channel]
    measured = {}
    for key, moved in MIGRATED.items():
        shifted = dict(volumes)
        shifted[channel] = contacts * (1 - moved)
        for alternative in alternatives:
            shifted[alternative.channel] = (shifted.get(alternative.channel, 0.0)
                                            + alternative.contacts_per_month * moved)
        plan = plan_for_volumes(profile, shifted, "transition")
        staff = sum(c.staff_required for c in plan.channels if c.assisted and c.channel != channel)
        cost = sum(c.monthly_cost for c in plan.channels if c.channel != channel)
        if key not in ("sunset", "monitor"):
            staff += old.staff_required if old.assisted else 0
            cost += old.monthly_cost
        measured[key] = (moved, staff, cost)
    return measured


def _capacity_warnings(profile: Profile, baseline: Any, after_staff: float,
                       after_cost: float) -> list[str]:
    warnings = []
    budget, available = profile.constraints.monthly_budget, baseline.on_duty_available
    currency = profile.company.currency
    if budget is not None and after_cost > budget and after_cost > baseline.monthly_cost:
        warnings.append(f"after the transition the channels cost about {currency} {after_cost:,.0f} "
                        f"a month, over the budget of {currency} {budget:,.0f} (today "
                        f"{currency} {baseline.monthly_cost:,.0f}); lower the alternatives' cost "
                        "per contact or move more volume to self-service")
    if available is not None and after_staff > available and after_staff > baseline.staff_required:
        warnings.append(f"after the transition the assisted channels need about {after_staff:g} "
                        f"people at the busiest hour, more than the {available:.0f} on duty")
    return warnings


def _plan_one(profile: Profile, channel: str, start: dt.date, kept: Sequence[str],
              offered_today: Iterable[str], reason: str) -> Retirement:
    topics = profile.demand.topics
    offer = profile.channels.offered()[channel]
    volumes = current_volumes(profile)
    contacts = volumes[channel]
    weights = _topic_weights(profile, channel)
    _refuse_if_unsafe(profile, channel, weights, kept)
    alternatives = _alternatives(profile, weights, kept, set(offered_today), contacts)

    # Money matters travel on private channels; public ones and help content carry none.
    financial = (catalogue()[channel].privacy in ("authenticated", "private") and
                 sum(w for t, w in zip(topics, weights, strict=True) if t.sensitivity == "financial")
                 >= FINANCIAL_MATERIAL)
    notice_days, notice_reasons = _notice(profile, channel, offer.share, financial)
    new_channels = [a.channel for a in alternatives if a.new]
    prepare_days = (PREPARE_DAYS + (PREPARE_NEW_CHANNEL_DAYS if new_channels else 0)
                    + (PREPARE_LARGE_DAYS if offer.share >= LARGE_SHARE else 0))
    windows = _windows(profile, start, prepare_days, notice_days, offer.share)
    announce, sunset = windows["announce"][0], windows["sunset"][0]

    baseline = plan_for_volumes(profile, volumes, "current channels")
    old = baseline.channel(channel)
    assert old is not None
    measured = _capacity_by_phase(profile, channel, alternatives, volumes, old)
    # Extra people the alternatives need once they carry the moved contacts too.
    extra_staff = 0.0
    for a in alternatives:
        grown = size_channel(profile, a.channel, volumes.get(a.channel, 0.0) + a.contacts_per_month)
        before = baseline.channel(a.channel)
        if grown.assisted:
            extra_staff += grown.staff_required - (before.staff_required if before else 0)
    flags = {name for name, on in (("brownouts", profile.transition.brownouts),
                                   ("financial", financial),
                                   ("new_alternative", bool(new_channels))) if on}
    names = catalogue()
    ranked_topics = sorted(zip(topics, weights, strict=True), key=lambda x: -x[1])
    values = {
        "channel": names[channel].name,
        "alternatives": ", ".join(f"{names[a.channel].name} {a.share * 100:.0f}%" for a in alternatives),
        "new_channels": ", ".join(names[c].name for c in new_channels) or "none",
        "sunset": sunset.isoformat(),
        "notice": str(notice_days),
        "guides": "; ".join(t.name for t, w in ranked_topics if w >= MATERIAL)[:300],
        "staff_alternatives": (f"{extra_staff:g} more agents" if extra_staff > 0
                               else "no extra agents"),
        "staff_peak": f"{max(staff for _, staff, _ in measured.values()):g}",
    }
    phases = []
    for phase in playbook():
        if phase.get("needs") and phase["needs"] not in flags:
            continue
        first, last = windows[phase["key"]]
        moved, staff, cost = measured[phase["key"]]
        phases.append(Phase(
            key=phase["key"], name=phase["name"], purpose=phase["purpose"].format(**values),
            start=first, end=last, tasks=_tasks_for(phase, channel, first, last, values, flags),
            migrated=moved, staff_required=staff, monthly_cost=cost))
    _, after_staff, after_cost = measured["monitor"]
    return Retirement(
        channel=channel, name=names[channel].name, share=offer.share, contacts_per_month=contacts,
        reason=reason, alternatives=alternatives, notice_days=notice_days,
        notice_reasons=notice_reasons, announce_date=announce, sunset_date=sunset,
        phases=phases, baseline_staff=baseline.staff_required,
        baseline_cost=baseline.monthly_cost,
        warnings=_capacity_warnings(profile, baseline, after_staff, after_cost))


def roadmap(profile: Profile, start: dt.date | None = None, retire: Sequence[str] | None = None,
            *, weights: dict[str, float] | None = None) -> Roadmap:
    """The phased transition plan for each channel to retire.

    Retires the channels the scorer says to retire (including ``decision: retire`` locks),
    or those named in ``retire``. Day 0 is ``start``, else ``transition.start``, else today.
    A recommended retirement that cannot be done safely (a topic no remaining channel
    suits) is not planned but listed in ``blocked`` with the reason; for a channel named in
    ``retire`` the same raises :class:`~channelplan.errors.UsageError`, as does naming a
    channel that is not offered.
    """
    from channelplan.scoring import recommend

    offered = profile.channels.offered()
    result = recommend(profile, weights, robustness=False)
    if retire:
        chosen = []
        for cid in retire:
            if cid not in CHANNEL_IDS:
                close = difflib.get_close_matches(cid, CHANNEL_IDS, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                raise UsageError(f"--retire {cid}: unknown channel id{hint}")
            if cid not in offered:
                raise UsageError(f"--retire {cid}: {cid} is not offered today, so there is "
                                 "nothing to retire")
            if offered[cid].decision == "keep":
                raise UsageError(f"--retire {cid}: the profile locks {cid} with 'decision: keep'; "
                                 "remove the lock to plan its retirement")
            if cid not in chosen:
                chosen.append(cid)
        reasons = {cid: "named with --retire" for cid in chosen}
    else:
        chosen = result.retiring()
        reasons = {cid: (result.verdict(cid).reasons or ["recommended"])[0] for cid in chosen}
    kept = [c for c in result.recommended_set() if c not in chosen]
    day0 = start or profile.transition.start or dt.date.today()
    ordered = sorted(chosen, key=lambda c: (offered[c].share, CHANNEL_IDS.index(c)))
    retirements: list[Retirement] = []
    blocked: list[Blocked] = []
    for cid in ordered:
        try:
            if not kept:
                raise UsageError(f"cannot retire {cid}: no channel would be left; keep or add "
                                 "at least one")
            when = add_business_days(day0, STAGGER_DAYS * len(retirements))
            retirements.append(_plan_one(profile, cid, when, kept, offered, reasons[cid]))
        except UsageError as exc:
            if retire:
                raise
            blocked.append(Blocked(cid, str(exc)))
    pinned = bool(start or profile.transition.start)
    warnings = [] if pinned or not retirements else [
        "transition.start is not set, so the dates move with today; pin it for reproducible "
        "checklists in CI"]
    return Roadmap(profile=profile, start=next_business_day(day0), start_pinned=pinned,
                   retirements=retirements, kept=kept, blocked=blocked, warnings=warnings)
