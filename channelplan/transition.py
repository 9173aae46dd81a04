"""The transition roadmap (v2): a phased, dated plan for each channel to retire.

Practice (see ``data/transition.yaml`` for the sources): nothing is removed before its
replacement is live and proven; notice scales with impact; brownouts that suit the
channel; a notice at every old touchpoint; every phase ends in a gate with numbers, and
rollback triggers say when to step back. The playbook of each channel kind, the gate
defaults, the durations and the migration assumption are data.

All retirements form one programme (:mod:`channelplan.programme`): they are staggered,
and each is sized with the moves of the others, so a channel that absorbs two
retirements is staffed for both.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from channelplan.allocation import split_topic
from channelplan.catalogue import CHANNEL_IDS, anonymous_ids, assisted_ids, catalogue
from channelplan.datafiles import load_data
from channelplan.errors import ArgumentError, UsageError
from channelplan.fit import suits, topic_fit, why_not
from channelplan.model import Profile
from channelplan.programme import Move, Programme, Sizer, build_programme, snapshot
from channelplan.staffing import channel_params, current_volumes
from channelplan.suggest import did_you_mean
from channelplan.units import duration_text

MATERIAL = 0.02     # a topic carrying at least this share of a channel's contacts must be absorbed
FINANCIAL_MATERIAL = 0.10
URGENT = ("seconds", "minutes")
HARD_BROWNOUT_MAX_OLDER = 0.25   # no hard phone brownouts where 55+ are at least this share


@lru_cache(maxsize=1)
def book() -> dict[str, Any]:
    """The playbooks, gates, durations and notice rules (``data/transition.yaml``)."""
    data: dict[str, Any] = load_data("transition.yaml")
    return data


def kind_of(channel: str) -> str:
    return next(k for k, v in book()["kinds"].items() if channel in v["channels"])


def _duration(name: str) -> int:
    return int(book()["durations"][name])


# Calendar ------------------------------------------------------------------------------------


def next_business_day(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def previous_business_day(day: dt.date) -> dt.date:
    day -= dt.timedelta(days=1)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def add_business_days(day: dt.date, count: int) -> dt.date:
    day = next_business_day(day)
    while count > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def subtract_business_days(day: dt.date, count: int) -> dt.date:
    day = next_business_day(day)
    for _ in range(count):
        day = previous_business_day(day)
    return day


def business_days_between(first: dt.date, last: dt.date) -> int:
    count, day = 0, first
    while day < last:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            count += 1
    return count


# Plan objects --------------------------------------------------------------------------------


@dataclass
class Task:
    id: str
    title: str
    owner: str
    due: dt.date
    channel: str
    phase: str
    gate: bool = False
    series: str | None = None   # a check repeated every week: its wording without the week

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "owner": self.owner,
                "due": self.due.isoformat(), "phase": self.phase, "gate": self.gate}


@dataclass
class Gate:
    """How a phase ends: measurable criteria, and when to step back."""

    id: str
    channel: str
    phase: str
    name: str
    date: dt.date
    criteria: list[str]
    rollback: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        text = f"Gate: {self.name}: " + "; ".join(self.criteria)
        if self.rollback:
            text += ". Roll back if " + "; or ".join(self.rollback)
        return text

    def task(self) -> Task:
        return Task(id=self.id, title=self.title, owner="support lead", due=self.date,
                    channel=self.channel, phase=self.phase, gate=True)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "date": self.date.isoformat(),
                "criteria": self.criteria, "rollback": self.rollback}


@dataclass
class Phase:
    key: str
    name: str
    purpose: str
    start: dt.date
    end: dt.date          # the last day of the phase (inclusive)
    tasks: list[Task]
    gate: Gate
    migrated: float
    staff_required: float = 0.0
    monthly_cost: float = 0.0

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "key": self.key, "purpose": self.purpose,
                "start": self.start.isoformat(), "end": self.end.isoformat(), "days": self.days,
                "tasks": [t.to_dict() for t in self.tasks], "gate": self.gate.to_dict(),
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
    kind: str
    share: float
    contacts_per_month: float
    reason: str
    locked: bool
    alternatives: list[Alternative]
    never_arrive: float
    notice_days: int
    notice_required_days: int
    notice_reasons: list[str]
    announce_date: dt.date
    sunset_date: dt.date
    phases: list[Phase]
    brownouts: str
    hires: float
    hiring_ready: dt.date | None
    gaps: list[str]
    baseline_staff: float
    baseline_cost: float
    obligations: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def tasks(self) -> list[Task]:
        """Every task, each phase's gate last in its phase."""
        return [t for p in self.phases for t in [*p.tasks, p.gate.task()]]

    @property
    def gates(self) -> list[Gate]:
        return [p.gate for p in self.phases]

    @property
    def hire_people(self) -> int:
        """People to recruit for the alternatives: the extra FTE, rounded up once."""
        return _people(self.hires)

    @property
    def peak(self) -> Phase:
        return max(self.phases, key=lambda p: (p.monthly_cost, p.staff_required))

    def to_dict(self) -> dict[str, Any]:
        peak = self.peak
        return {
            "channel": self.channel, "name": self.name, "kind": self.kind,
            "share": round(self.share, 4),
            "contacts_per_month": round(self.contacts_per_month, 1), "reason": self.reason,
            "locked": self.locked,
            "alternatives": [a.to_dict() for a in self.alternatives],
            "never_arrive_share": self.never_arrive,
            "notice_days": self.notice_days, "notice_required_days": self.notice_required_days,
            "notice_reasons": self.notice_reasons,
            "announce_date": self.announce_date.isoformat(),
            "sunset_date": self.sunset_date.isoformat(),
            "brownouts": self.brownouts,
            "hiring": {"extra_fte": round(self.hires, 2), "extra_people": self.hire_people,
                       "ready_by": self.hiring_ready.isoformat() if self.hiring_ready else None},
            "coverage_gaps": self.gaps,
            "obligations": self.obligations,
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
    programme: Programme | None = None
    gates: dict[str, dict[str, Any]] = field(default_factory=dict)
    blocked: list[Blocked] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def tasks(self) -> list[Task]:
        return [t for r in self.retirements for t in r.tasks]

    def nothing_to_retire(self) -> str:
        """What to say when the plan retires nothing (the roadmap plans retirements; the
        channels the recommendation adds are launched outside it)."""
        offered = self.profile.channels.offered()
        added = [catalogue()[c].name for c in self.kept if c not in offered]
        head = ("Nothing to retire: no channel is offered yet" if not offered else
                "Nothing to retire: every channel offered today is kept")
        if added:
            return (f"{head}. The channels to add ({', '.join(added)}) are launched outside this "
                    "roadmap: see recommend and capacity.")
        return head + "."

    def volumes_after(self) -> dict[str, float]:
        """Monthly contacts per channel once every retirement is complete."""
        if self.programme is None:
            return current_volumes(self.profile)
        return {c.channel: c.contacts_per_month for c in self.programme.end_state}

    def assumptions(self) -> dict[str, Any]:
        data = book()
        return {"migrated_share_by_phase": data["migration"],
                "migration_source": data["migration_source"],
                "never_arrive_share_by_kind": {k: v["never_arrive"] for k, v in data["kinds"].items()},
                "hiring_lead_days": self.profile.transition.hiring_lead_days,
                "parallel_min_days": _duration("parallel_min_days")}

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": "channelplan/roadmap@2",
            "profile": {"name": self.profile.company.name, "source": self.profile.source},
            "start": self.start.isoformat(),
            "start_pinned": self.start_pinned,
            "kept": self.kept,
            "gates": self.gates,
            "assumptions": self.assumptions(),
            "retirements": [r.to_dict() for r in self.retirements],
            "programme": self.programme.to_dict() if self.programme else None,
            "blocked": [b.to_dict() for b in self.blocked],
            "warnings": [w.to_dict() for w in self.profile.warnings] + [
                {"message": w} for w in self.warnings],
        }


# Facts about the business ----------------------------------------------------------------------


def gate_values(profile: Profile) -> dict[str, dict[str, Any]]:
    """Each gate threshold: its value, where it comes from, and whether the profile set it."""
    given = profile.transition.gates
    out = {}
    for name, default in book()["gate_defaults"].items():
        value = getattr(given, name) if given is not None else None
        out[name] = {"value": default["value"] if value is None else value,
                     "source": "transition.gates in the profile" if value is not None
                     else default["source"], "from_profile": value is not None}
    return out


def sectors(profile: Profile) -> set[str]:
    """Sector flags named by ``company.industry`` (whole words)."""
    industry = profile.company.industry.lower()
    found = set()
    for flag, words in book()["sectors"].items():
        if any(re.search(rf"\b{re.escape(word)}\b", industry) for word in words):
            found.add(flag)
    return found


def _topic_weights(profile: Profile, channel: str) -> list[float]:
    """How the channel's contacts spread over the topics.

    Each topic's contacts are shared by the channels offered today in proportion to their
    share of contacts times how well they fit the topic (a floor of 0.02, since customers
    use the channels they have, suited or not). The channel's part of each topic,
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


def _notice(profile: Profile, channel: str, share: float, financial: bool,
            urgent: tuple[float, list[str]]) -> tuple[int, list[str]]:
    rules = book()["notice"]
    days, reasons = int(rules["base"]["days"]), [rules["base"]["reason"]]
    percent = f"{share * 100:.0f}"
    if share >= rules["large"]["share"]:
        days, reasons = int(rules["large"]["days"]), [rules["large"]["reason"].format(share=percent)]
    elif share >= rules["medium"]["share"]:
        days, reasons = int(rules["medium"]["days"]), [rules["medium"]["reason"].format(share=percent)]
    if financial and days < int(rules["money"]["days"]):
        days, reasons = int(rules["money"]["days"]), [rules["money"]["reason"]]
    ages = profile.customers.ages
    if channel == "phone" and ages["55_plus"] >= rules["older"]["age_share"]:
        days += int(rules["older"]["days"])
        reasons.append(rules["older"]["reason"].format(age=f"{ages['55_plus'] * 100:.0f}"))
    elif profile.customers.digital_maturity == "low":
        days += int(rules["low_maturity"]["days"])
        reasons.append(rules["low_maturity"]["reason"])
    urgent_share, urgent_topics = urgent
    if urgent_share >= rules["urgent"]["share"]:
        days += int(rules["urgent"]["days"])
        reasons.append(rules["urgent"]["reason"].format(share=f"{urgent_share * 100:.0f}",
                                                        topics="; ".join(urgent_topics)[:200]))
    minimum = profile.transition.min_notice_days
    if days < minimum:
        days, reasons = minimum, [f"{minimum} days: transition.min_notice_days"]
    return days, reasons


def _gaps(profile: Profile, channel: str, weights: Sequence[float], kept: Sequence[str]) -> list[str]:
    """Topics the channel serves well that no kept channel would suit, each as a sentence."""
    gaps = []
    for topic, weight in zip(profile.demand.topics, weights, strict=True):
        if (weight >= MATERIAL and suits(profile, channel, topic)
                and not any(suits(profile, c, topic) for c in kept)):
            excuses = "; ".join(f"{c} {why_not(profile, c, topic)}" for c in kept) or "no channel is kept"
            candidates = [c for c in CHANNEL_IDS if c != channel and suits(profile, c, topic)]
            hint = f"; add {candidates[0]} first" if candidates else ""
            gaps.append(f"'{topic.name}' ({topic.urgency}, {topic.sensitivity}, "
                        f"{topic.complexity} complexity) would have no suitable channel: "
                        f"{excuses}{hint}")
    return gaps


def _gap_gates(profile: Profile, channel: str, weights: Sequence[float],
               kept: Sequence[str]) -> list[str]:
    out = []
    for topic, weight in zip(profile.demand.topics, weights, strict=True):
        if (weight >= MATERIAL and suits(profile, channel, topic)
                and not any(suits(profile, c, topic) for c in kept)):
            candidates = [c for c in CHANNEL_IDS if c != channel and suits(profile, c, topic)]
            which = (f" (suited: {', '.join(candidates)})" if candidates else
                     f" (no other channel suits it; keep {channel} for this topic or "
                     "change how it is handled)")
            out.append(f"provide a suited channel for '{topic.name}' before announcing{which}")
    return out


def _split(profile: Profile, weights: Sequence[float], kept: Sequence[str], offered: set[str],
           contacts: float, never: float) -> tuple[list[Alternative], dict[str, dict[str, float]]]:
    """The kept channels that absorb the retiring channel's contacts, topic by topic, and the
    contacts arriving on each (net of those that never arrive elsewhere)."""
    absorbed: dict[str, dict[str, float]] = {}
    for topic, weight in zip(profile.demand.topics, weights, strict=True):
        if weight <= 0:
            continue
        for alt, fraction in split_topic(profile, topic, kept).items():
            into = absorbed.setdefault(alt, {})
            into[topic.name] = into.get(topic.name, 0.0) + weight * fraction
    total = sum(sum(t.values()) for t in absorbed.values())
    if total <= 0:
        return [], {}
    arriving = {alt: {name: contacts * (1 - never) * value / total for name, value in topics.items()}
                for alt, topics in absorbed.items()}
    order = sorted(absorbed, key=lambda c: -sum(absorbed[c].values()))
    alternatives = [Alternative(
        channel=c, share=sum(absorbed[c].values()) / total,
        contacts_per_month=sum(arriving[c].values()), new=c not in offered,
        topics=[{"topic": name, "share": round(value / total, 4)} for name, value in absorbed[c].items()])
        for c in order]
    return alternatives, arriving


# Dates ---------------------------------------------------------------------------------------------


def _windows(start: dt.date, *, prepare_days: int, ready: dt.date, sl_weeks: int, notice_days: int,
             brownout_days: int, large: bool) -> dict[str, tuple[dt.date, dt.date]]:
    """Each phase's first day and the first day of the next, all business days.

    The announcement waits for the preparation and for the alternatives to have met their
    service level for ``sl_weeks`` weeks after ``ready``; the sunset waits for the notice
    and for a parallel run of at least its minimum and the brownouts."""
    start = next_business_day(start)
    announce = max(add_business_days(start, prepare_days),
                   next_business_day(ready + dt.timedelta(weeks=sl_weeks)))
    parallel = add_business_days(announce, _duration("announce_business_days"))
    earliest = add_business_days(
        next_business_day(parallel + dt.timedelta(days=_duration("parallel_min_days"))),
        brownout_days)
    sunset = max(next_business_day(announce + dt.timedelta(days=notice_days)), earliest)
    brown = subtract_business_days(sunset, brownout_days)
    monitor = add_business_days(sunset, _duration("sunset_business_days"))
    monitor_days = _duration("monitor_business_days") + (
        _duration("monitor_large_business_days") if large else 0)
    end = add_business_days(monitor, monitor_days)
    return {"prepare": (start, announce), "announce": (announce, parallel),
            "parallel": (parallel, brown), "brownouts": (brown, sunset),
            "sunset": (sunset, monitor), "monitor": (monitor, end)}


def _due(spec: Any, first: dt.date, last: dt.date, named: dict[str, dt.date | None]) -> dt.date:
    if isinstance(spec, str):
        day = named.get(spec)
        if day is None:
            spec = 0.9
        else:
            return min(max(next_business_day(day), first), last)
    span = business_days_between(first, last)
    return min(add_business_days(first, round(span * float(spec))), last)


def _applies(item: dict[str, Any], channel: str, flags: set[str]) -> bool:
    if "channels" in item and channel not in item["channels"]:
        return False
    if any(flag not in flags for flag in item.get("needs", [])):
        return False
    return not any(flag in flags for flag in item.get("unless", []))


# One retirement --------------------------------------------------------------------------------


@dataclass
class _Draft:
    """A retirement before its dates: who absorbs it and what it needs."""

    channel: str
    reason: str
    locked: bool
    weights: list[float]
    alternatives: list[Alternative]
    arriving: dict[str, dict[str, float]]
    never: float
    gaps: list[str]
    gap_gates: list[str]
    hires: float = 0.0
    hire_channels: list[str] = field(default_factory=list)


def _draft(profile: Profile, channel: str, kept: Sequence[str], offered: set[str], reason: str,
           locked: bool) -> _Draft:
    weights = _topic_weights(profile, channel)
    gaps = _gaps(profile, channel, weights, kept)
    if gaps and not locked:
        raise UsageError(f"cannot retire {channel}: " + " | ".join(g + f", or keep {channel}"
                                                                    for g in gaps))
    never = float(book()["kinds"][kind_of(channel)]["never_arrive"])
    contacts = current_volumes(profile)[channel]
    if catalogue()[channel].kind == "self_service":
        # What self-service did not contain already reaches the staffed channels; only the
        # contacts it contained are new elsewhere, and only some of those never arrive.
        never *= channel_params(profile, channel).resolution_rate
    alternatives, arriving = _split(profile, weights, kept, offered, contacts, never)
    if not alternatives and not locked:
        raise UsageError(f"cannot retire {channel}: no channel would be left; keep or add at least one")
    return _Draft(channel=channel, reason=reason, locked=locked, weights=weights,
                  alternatives=alternatives, arriving=arriving, never=never, gaps=gaps,
                  gap_gates=_gap_gates(profile, channel, weights, kept))


def _agents_text(people: int) -> str:
    return f"{people} more agent{'' if people == 1 else 's'}"


def _people(fte: float) -> int:
    """People to hire for ``fte`` full-time equivalents (rounded up once)."""
    return max(0, math.ceil(fte - 1e-6))


def _hires(profile: Profile, drafts: Sequence[_Draft], sizer: Sizer, kept: Sequence[str]) -> None:
    """People each retirement needs hired, counting the retirements before it: the growth of
    the staffed channels the plan keeps (one pool, so blended agents and hand-overs from
    self-service alternatives count wherever they land), less the agents the team already
    has beyond today's needs (``constraints.agents``)."""
    staying_ids = set(kept)
    volumes = current_volumes(profile)

    def pool(plan: Any) -> tuple[float, dict[str, float], float]:
        staying = {c.channel: c.fte for c in plan.channels
                   if c.assisted and c.channel in staying_ids}
        return sum(staying.values()), staying, plan.fte

    before, was, whole = pool(sizer.plan(volumes))
    team = profile.constraints.agents
    spare = max(0.0, team - whole) if team is not None else 0.0
    for draft in drafts:
        volumes.pop(draft.channel, None)
        for alt, topics in draft.arriving.items():
            volumes[alt] = volumes.get(alt, 0.0) + sum(topics.values())
        after, now, _ = pool(sizer.plan(volumes))
        growth = max(0.0, after - before)
        used = min(spare, growth)          # agents the team has spare take the growth first
        spare -= used
        draft.hires = growth - used
        draft.hire_channels = [c for c in CHANNEL_IDS if now.get(c, 0.0) > was.get(c, 0.0) + 1e-9]
        before, was = after, now


def _schedule(profile: Profile, draft: _Draft, start: dt.date, kept: Sequence[str],
              values_gates: dict[str, dict[str, Any]]) -> Retirement:
    channel = draft.channel
    data, names = book(), catalogue()
    kind = kind_of(channel)
    playbook_kind = data["kinds"][kind]
    topics = profile.demand.topics
    offer = profile.channels.offered()[channel]
    contacts = current_volumes(profile)[channel]
    weights = draft.weights
    gates = {name: v["value"] for name, v in values_gates.items()}
    sl_weeks = int(gates["service_level_weeks"])

    financial = (names[channel].privacy in ("authenticated", "private") and
                 sum(w for t, w in zip(topics, weights, strict=True) if t.sensitivity == "financial")
                 >= FINANCIAL_MATERIAL)
    urgent_pairs = [(t, w) for t, w in zip(topics, weights, strict=True)
                    if t.urgency in URGENT and t.sensitivity != "none" and w >= MATERIAL]
    urgent_share = sum(w for _, w in urgent_pairs)
    notice_required, notice_reasons = _notice(profile, channel, offer.share, financial,
                                              (urgent_share, [t.name for t, _ in urgent_pairs]))
    older = profile.customers.ages["55_plus"]
    hard_allowed = older < HARD_BROWNOUT_MAX_OLDER and not urgent_pairs
    style = playbook_kind["brownouts"] if profile.transition.brownouts else "none"
    new_channels = [a.channel for a in draft.alternatives if a.new]
    large = offer.share >= data["notice"]["large"]["share"]
    hiring = draft.hires > 0
    start = next_business_day(start)
    lead = profile.transition.hiring_lead_days
    hired = next_business_day(start + dt.timedelta(days=lead)) if hiring else None
    setup = (add_business_days(start, _duration("new_channel_business_days")) if new_channels
             else start)
    ready = max(hired or start, setup)
    prepare_days = (_duration("prepare_business_days")
                    + (_duration("new_channel_business_days") if new_channels else 0)
                    + (_duration("large_channel_business_days") if large else 0))
    windows = _windows(start, prepare_days=prepare_days, ready=ready, sl_weeks=sl_weeks,
                       notice_days=notice_required,
                       brownout_days=_duration("brownout_business_days") if style != "none" else 0,
                       large=large)
    announce, sunset = windows["announce"][0], windows["sunset"][0]
    notice_days = (sunset - announce).days
    if notice_days > notice_required:
        notice_reasons = [*notice_reasons,
                          f"{notice_days} days in all: a parallel run of at least "
                          f"{_duration('parallel_min_days')} days"
                          + (" and three weeks of brownouts" if style != "none" else "")
                          + " fit between the announcement and the sunset"]

    flags = {name for name, on in (
        ("brownouts", style != "none"), ("hard_brownouts", hard_allowed),
        ("assisted", channel in assisted_ids()), ("anonymous", channel in anonymous_ids()),
        ("financial", financial or "sector_financial" in sectors(profile)),
        ("new_alternative", bool(new_channels)), ("hiring", hiring),
        ("help_centre_kept", "knowledge_base" in kept), ("social_kept", "social_media" in kept))
        if on} | sectors(profile)
    assisted_alts = [a.channel for a in draft.alternatives if a.channel in assisted_ids()]
    handover = (f"a person on {names[assisted_alts[0]].name}" if assisted_alts
                else "the help centre" if "knowledge_base" in kept else "the alternatives")
    ranked = sorted(zip(topics, weights, strict=True), key=lambda x: -x[1])
    live = subtract_business_days(announce, 5 * sl_weeks)
    values = {
        "channel": names[channel].name,
        "alternatives": ", ".join(f"{names[a.channel].name} {a.share * 100:.0f}%"
                                  for a in draft.alternatives) or "none yet",
        "new_channels": ", ".join(names[c].name for c in new_channels) or "none",
        "sunset": sunset.isoformat(),
        "notice": str(notice_days),
        "guides": "; ".join(t.name for t, w in ranked if w >= MATERIAL)[:300],
        "staff_alternatives": (_agents_text(_people(draft.hires)) if hiring else "no extra agents"),
        "hires": f"{_people(draft.hires)}",
        "hires_more": (f"{_people(draft.hires)} more full-time agent"
                       + ("" if _people(draft.hires) == 1 else "s")),
        "hire_channels": ", ".join(names[c].name for c in draft.hire_channels) or "none",
        "hiring_lead_days": str(lead),
        "training_extra": f", new agents included, by {hired.isoformat()}" if hired else "",
        "live": live.isoformat(),
        "sl_weeks": str(sl_weeks),
        "rollback_step": playbook_kind["rollback"].format(channel=names[channel].name),
        "handover": handover,
        "parallel_days": str(_duration("parallel_min_days")),
    }
    values["alternative_targets"] = "; ".join(
        _target_text(profile, a.channel) for a in draft.alternatives if a.channel in assisted_ids()
    ) or "the targets agreed in Prepare"
    values["prepare_purpose"] = (
        (f"Recruit and train {_agents_text(_people(draft.hires))}, put" if hiring else "Put")
        + " the alternatives live, then prove their service level for "
        f"{sl_weeks} weeks before anything is announced; guides written, touchpoints mapped.")
    monitor_first, monitor_next = windows["monitor"]
    values["monitor_weeks"] = str(max(1, round(business_days_between(monitor_first, monitor_next) / 5)))
    purpose = playbook_kind.get("brownout_purpose_hard") if hard_allowed else None
    values["brownout_purpose"] = (purpose or playbook_kind["brownout_purpose"]).format(**values)
    named = {"live": live, "hired": hired}
    owner = data["owners"][channel]
    phases_data = [p for p in data["phases"] if _applies(p, channel, flags)]
    keys = [p["key"] for p in phases_data]
    phases = []
    for phase in phases_data:
        key = phase["key"]
        first, following = windows[key]
        last = max(first, previous_business_day(following))
        items = [*data["common"].get(key, []), *playbook_kind["tasks"].get(key, [])]
        tasks = [Task(id=f"{channel}.{key}.{item['key']}", title=item["title"].format(**values),
                      owner=owner if item["owner"] == "$owner" else item["owner"],
                      due=_due(item["due"], first, last, named), channel=channel, phase=key)
                 for item in items if _applies(item, channel, flags)]
        if key == "parallel":
            weeks = max(1, (following - first).days // 7)
            for week in range(1, weeks + 1):
                due = min(last, max(first, previous_business_day(first + dt.timedelta(days=7 * week))))
                check = (f"measure the move: {names[channel].name}'s volume against its baseline, "
                         "the alternatives' service level, satisfaction, repeat contacts and "
                         "complaints")
                tasks.append(Task(
                    id=f"{channel}.parallel.measure-week-{week}",
                    title=f"Week {week} of {weeks}: {check}",
                    owner="support lead", due=due, channel=channel, phase=key, series=check))
        tasks.sort(key=lambda t: t.due)
        gate = _gate(key, keys, channel, names[channel].name, last, gates, draft, values)
        phases.append(Phase(key=key, name=phase["name"], purpose=phase["purpose"].format(**values),
                            start=first, end=last, tasks=tasks, gate=gate,
                            migrated=float(data["migration"][key])))
    obligations = [t.title for p in phases for t in p.tasks if t.id.split(".")[-1] in (
        "regulator", "vulnerable-customers", "equality-impact", "assisted-digital",
        "essential-service", "clinical-safety", "accessibility")]
    warnings = []
    if draft.gaps:
        warnings.append(f"{channel} is locked with 'decision: retire' but " + " | ".join(draft.gaps)
                        + "; the announcement waits at the Prepare gate until a suited channel is live")
    return Retirement(
        channel=channel, name=names[channel].name, kind=kind, share=offer.share,
        contacts_per_month=contacts, reason=draft.reason, locked=draft.locked,
        alternatives=draft.alternatives, never_arrive=draft.never, notice_days=notice_days,
        notice_required_days=notice_required, notice_reasons=notice_reasons,
        announce_date=announce, sunset_date=sunset, phases=phases, brownouts=style,
        hires=draft.hires, hiring_ready=hired, gaps=draft.gap_gates, baseline_staff=0.0,
        baseline_cost=0.0, obligations=obligations, warnings=warnings)


def _target_text(profile: Profile, channel: str) -> str:
    p = channel_params(profile, channel)
    return (f"{catalogue()[channel].name} {p.target_share * 100:.0f}% within "
            f"{duration_text(p.target_seconds)}")


def _gate(key: str, keys: Sequence[str], channel: str, name: str, day: dt.date,
          gates: dict[str, Any], draft: _Draft, values: dict[str, str]) -> Gate:
    spec = book()["gates"]
    pct = {k: f"{v * 100:g}" for k, v in gates.items() if isinstance(v, float)}
    fill = {**values, **pct, "channel": name,
            "service_level_weeks": str(gates["service_level_weeks"]),
            "rollback_service_level_weeks": str(gates["rollback_service_level_weeks"])}
    last_before_sunset = key == keys[keys.index("sunset") - 1]
    entry = spec[key]
    title = entry.get("name_last", entry["name"]) if last_before_sunset else entry["name"]
    texts = entry.get("last", entry["criteria"]) if last_before_sunset else entry["criteria"]
    if channel in anonymous_ids() and "anonymous" in entry:
        texts = entry["anonymous"]
    criteria = [t.format(**fill) for t in texts]
    if key == "prepare":
        if draft.hires > 0:
            criteria.append(spec["prepare"]["hiring"].format(**fill))
        criteria += draft.gap_gates
    rollback = ([t.format(**fill) for t in spec["rollback"]]
                if last_before_sunset or key == "monitor" else [])
    return Gate(id=f"{channel}.{key}.gate", channel=channel, phase=key, name=title, date=day,
                criteria=criteria, rollback=rollback)


# The programme -----------------------------------------------------------------------------------


def roadmap(profile: Profile, start: dt.date | None = None, retire: Sequence[str] | None = None,
            *, weights: dict[str, float] | None = None) -> Roadmap:
    """The phased transition plan for each channel to retire, as one programme.

    Retires the channels the scorer says to retire (including every ``decision: retire``
    lock), or those named in ``retire``. Day 0 is ``start``, else ``transition.start``, else
    today. A recommended retirement that cannot be done safely (a topic no remaining
    channel suits) is not planned but listed in ``blocked``; a locked one is planned with
    the gap as a gate and a warning. For a channel named in ``retire`` an unsafe retirement
    raises :class:`~channelplan.errors.UsageError`, as does naming a channel that is not
    offered.
    """
    from channelplan.scoring import recommend

    offered = profile.channels.offered()
    result = recommend(profile, weights, robustness=False)
    if retire:
        chosen = []
        for cid in retire:
            if cid not in CHANNEL_IDS:
                hint = did_you_mean(cid, CHANNEL_IDS)
                raise ArgumentError("retire", f"{cid}: unknown channel id{hint}")
            if cid not in offered:
                raise ArgumentError("retire", f"{cid}: {cid} is not offered today, so there is "
                                              "nothing to retire")
            if offered[cid].decision == "keep":
                raise ArgumentError("retire", f"{cid}: the profile locks {cid} with 'decision: "
                                              "keep'; remove the lock to plan its retirement")
            if cid not in chosen:
                chosen.append(cid)
        reasons = {cid: "retirement requested" for cid in chosen}
    else:
        chosen = result.retiring()
        reasons = {cid: (result.verdict(cid).reasons or ["recommended"])[0] for cid in chosen}
    kept = [c for c in result.recommended_set() if c not in chosen]
    day0 = start or profile.transition.start or dt.date.today()
    ordered = sorted(chosen, key=lambda c: (offered[c].share, CHANNEL_IDS.index(c)))
    drafts: list[_Draft] = []
    blocked: list[Blocked] = []
    for cid in ordered:
        try:
            drafts.append(_draft(profile, cid, kept, set(offered), reasons[cid],
                                 locked=offered[cid].decision == "retire"))
        except UsageError as exc:
            if retire:
                raise
            blocked.append(Blocked(cid, str(exc)))
    sizer = Sizer(profile)
    _hires(profile, drafts, sizer, kept)
    values_gates = gate_values(profile)
    retirements = [_schedule(profile, d, add_business_days(day0, _duration("stagger_business_days") * i),
                             kept, values_gates) for i, d in enumerate(drafts)]
    pinned = bool(start or profile.transition.start)
    warnings = [] if pinned or not retirements else [
        "transition.start is not set, so the dates move with today; pin it for reproducible "
        "checklists in CI"]
    warnings += [w for r in retirements for w in r.warnings]   # a locked retirement's gap
    for r in retirements:
        r.warnings = []
    plan = Roadmap(profile=profile, start=next_business_day(day0), start_pinned=pinned,
                   retirements=retirements, kept=kept, gates=values_gates, blocked=blocked,
                   warnings=warnings)
    if retirements:
        _programme(plan, drafts, sizer)
    return plan


def _programme(plan: Roadmap, drafts: Sequence[_Draft], sizer: Sizer) -> None:
    """Size every phase with the moves of all retirements, and build the programme view."""
    profile = plan.profile
    today = current_volumes(profile)
    today_topics = {}
    for cid in today:
        mix = _topic_weights(profile, cid)
        today_topics[cid] = {t.name: today[cid] * w for t, w in zip(profile.demand.topics, mix, strict=True)}
    moves = []
    for r, d in zip(plan.retirements, drafts, strict=True):
        steps = tuple((p.start, p.migrated) for p in r.phases)
        moves.append(Move(channel=r.channel, contacts=r.contacts_per_month, arriving=d.arriving,
                          steps=steps, closes=r.sunset_date))
    baseline = sizer.plan(today)
    for r in plan.retirements:
        r.baseline_staff, r.baseline_cost = baseline.fte_required, baseline.monthly_cost
        for phase in r.phases:
            # the whole operation at its heaviest during the phase: volumes change only on
            # the days a move steps on or a channel closes, so those days (and the first)
            # are every state the phase goes through
            days = {phase.start} | {day for m in moves
                                    for day in (*(first for first, _ in m.steps), m.closes)
                                    if phase.start < day <= phase.end}
            snaps = [snapshot(sizer, today, baseline, moves, day) for day in sorted(days)]
            phase.staff_required = max(s.staff_required for s in snaps)
            phase.monthly_cost = max(s.monthly_cost for s in snaps)
    end = max(r.phases[-1].end for r in plan.retirements)
    plan.programme = build_programme(sizer, today, today_topics, moves, plan.start, end)
    programme = plan.programme
    currency = profile.company.currency
    budget, available = baseline.monthly_budget, baseline.agents_available
    if budget is not None and programme.end_cost > budget and programme.end_cost > baseline.monthly_cost:
        plan.warnings.append(
            f"after the transition the channels cost about {currency} {programme.end_cost:,.0f} a "
            f"month, over the budget of {currency} {budget:,.0f} (today {currency} "
            f"{baseline.monthly_cost:,.0f}); lower the alternatives' cost per contact or move more "
            "volume to self-service")
    if (available is not None and programme.end_staff > available
            and programme.end_staff > baseline.staff_required):
        plan.warnings.append(
            f"after the transition the staffed channels need about {programme.end_staff:g} "
            f"full-time people, more than the {available:g} agents")
