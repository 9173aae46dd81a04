"""Capacity and cost: how many people each channel needs, what it achieves, what it costs.

Models (see README, "How capacity is computed"):

* **Live queues** (phone, live chat, messaging): Erlang C on the busiest hour.
  Arrivals per hour = monthly contacts / open hours x peak factor. For chat and messaging
  an agent works ``c`` conversations at once, and every extra conversation lengthens each
  one by 15%: agent-seconds per conversation = AHT x (1 + 0.15 (c - 1)) / c. Concurrency
  lengthens handle time, so "chat cost = voice cost / concurrency" would overstate savings.
* **Backlogs** (email, social media): enough agents to keep up on average at 85%
  occupancy, and to clear a two-hour peak within the reply-time target.
* **Deflection** (chatbot, knowledge base, community forum): contacts resolved at the
  channel's resolution rate; the rest are handed over to assisted channels. Their staff is
  content writing or moderation time, not a queue.

Staff to roster = ceil(agents / (1 - shrinkage)). ``constraints.agents`` are full-time
people working 40 hours a week, so over 72 or 168 open hours only part of them are on duty
at once (rosters that follow demand put up to ``peak_factor`` times the average on duty in
the busiest hour); feasibility compares the busiest hour's roster with that number. Monthly
cost = contacts x fully loaded cost per contact.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from channelplan.catalogue import ASSISTED, CHANNEL_IDS, catalogue
from channelplan.errors import UsageError
from channelplan.model import Profile
from channelplan.queueing import agents_needed, average_speed_of_answer, service_level

WEEKLY_OPEN_HOURS = {"business": 45.0, "extended": 72.0, "always": 168.0}
PAID_HOURS_PER_WEEK = 40.0
CONCURRENCY_SLOWDOWN = 0.15
ASYNC_MAX_OCCUPANCY = 0.85
ASYNC_PEAK_HOURS = 2.0
MAX_TARGET_SHARE = 0.999
CONCURRENT = ("live_chat", "messaging")   # channels where an agent works several conversations


@dataclass(frozen=True)
class ChannelParams:
    """A channel's metrics: the profile's where given, else the catalogue's defaults."""

    channel: str
    cost_per_contact: float
    handle_minutes: float
    resolution_rate: float
    target_seconds: float
    target_share: float
    concurrency: float
    defaults_used: tuple[str, ...]


def channel_params(profile: Profile, channel_id: str) -> ChannelParams:
    entry = catalogue()[channel_id]
    offer = getattr(profile.channels, channel_id)
    used: list[str] = []

    def pick(name: str, given: Any, default: float) -> float:
        if given is None:
            used.append(name)
            return default
        return float(given)

    target = offer.target if offer is not None else None
    return ChannelParams(
        channel=channel_id,
        cost_per_contact=pick("cost_per_contact", offer and offer.cost_per_contact, entry.cost_per_contact),
        handle_minutes=pick("handle_minutes", offer and offer.handle_minutes, entry.handle_minutes),
        resolution_rate=pick("resolution_rate", offer and offer.resolution_rate, entry.resolution_rate),
        target_seconds=pick("target.answer_within", target and target.answer_within, entry.target_seconds),
        target_share=pick("target.share", target and target.share, entry.target_share),
        concurrency=(pick("concurrency", offer and offer.concurrency, entry.concurrency)
                     if channel_id in CONCURRENT else 1.0),
        defaults_used=tuple(used),
    )


@dataclass
class ChannelCapacity:
    channel: str
    model: str
    contacts_per_month: float
    peak_hour_contacts: float
    handle_minutes: float
    concurrency: float
    target_seconds: float
    target_share: float
    agents_required: float
    staff_required: float
    service_level: float | None
    average_wait_seconds: float | None
    occupancy: float | None
    feasible: bool
    reason: str
    cost_per_contact: float
    monthly_cost: float
    resolution_rate: float
    handed_over_per_month: float
    change: dict[str, float] | None = None

    @property
    def assisted(self) -> bool:
        return self.channel in ASSISTED

    def to_dict(self) -> dict[str, Any]:
        out = {
            "channel": self.channel,
            "model": self.model,
            "contacts_per_month": round(self.contacts_per_month, 1),
            "peak_hour_contacts": round(self.peak_hour_contacts, 2),
            "handle_minutes": self.handle_minutes,
            "concurrency": self.concurrency,
            "target": {"answer_within_seconds": self.target_seconds, "share": self.target_share},
            "agents_required": self.agents_required,
            "staff_required": self.staff_required,
            "service_level": None if self.service_level is None else round(self.service_level, 4),
            "average_wait_seconds": (None if self.average_wait_seconds is None
                                     or math.isinf(self.average_wait_seconds)
                                     else round(self.average_wait_seconds, 1)),
            "occupancy": None if self.occupancy is None else round(self.occupancy, 4),
            "feasible": self.feasible,
            "reason": self.reason,
            "cost_per_contact": self.cost_per_contact,
            "monthly_cost": round(self.monthly_cost, 2),
            "resolution_rate": self.resolution_rate,
            "handed_over_per_month": round(self.handed_over_per_month, 1),
        }
        if self.change is not None:
            out["change"] = {k: round(v, 2) for k, v in self.change.items()}
        return out


@dataclass
class CapacityPlan:
    profile_name: str
    source: str
    currency: str
    basis: str
    channels: list[ChannelCapacity]
    agents_available: float | None
    on_duty_available: float | None
    monthly_budget: float | None
    shifts: list[dict[str, Any]] = field(default_factory=list)
    baseline: CapacityPlan | None = None
    warnings: list[Any] = field(default_factory=list)

    @property
    def staff_required(self) -> float:
        return sum(c.staff_required for c in self.channels if c.assisted)

    @property
    def content_staff(self) -> float:
        return round(sum(c.staff_required for c in self.channels if not c.assisted), 2)

    @property
    def monthly_cost(self) -> float:
        return sum(c.monthly_cost for c in self.channels)

    @property
    def within_agents(self) -> bool | None:
        if self.on_duty_available is None:
            return None
        return self.staff_required <= self.on_duty_available + 1e-9

    @property
    def within_budget(self) -> bool | None:
        if self.monthly_budget is None:
            return None
        return self.monthly_cost <= self.monthly_budget + 1e-9

    def channel(self, channel_id: str) -> ChannelCapacity | None:
        return next((c for c in self.channels if c.channel == channel_id), None)

    def totals(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "staff_required": self.staff_required,
            "content_staff": self.content_staff,
            "monthly_cost": round(self.monthly_cost, 2),
            "agents_available": self.agents_available,
            "on_duty_available": (None if self.on_duty_available is None
                                  else round(self.on_duty_available, 1)),
            "within_agents": self.within_agents,
            "monthly_budget": self.monthly_budget,
            "within_budget": self.within_budget,
        }
        if self.baseline is not None:
            out["change"] = {
                "staff_required": self.staff_required - self.baseline.staff_required,
                "monthly_cost": round(self.monthly_cost - self.baseline.monthly_cost, 2),
            }
        return out

    def to_dict(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "schema": "channelplan/capacity@1",
            "profile": {"name": self.profile_name, "source": self.source},
            "currency": self.currency,
            "basis": self.basis,
            "channels": [c.to_dict() for c in self.channels],
            "totals": self.totals(),
            "warnings": [w.to_dict() if hasattr(w, "to_dict") else w for w in self.warnings],
        }
        if self.shifts:
            doc["shifts"] = self.shifts
            assert self.baseline is not None
            doc["baseline"] = {"channels": [c.to_dict() for c in self.baseline.channels],
                               "totals": self.baseline.totals()}
        return doc


def on_duty(profile: Profile) -> float | None:
    """Agents who can be on duty in the busiest hour.

    Full-time agents work 40 of the week's open hours, so on average only
    agents x 40 / open hours are on duty; rosters follow the demand curve, so the busiest
    hour can have up to ``peak_factor`` times that average, and never more than everyone.
    """
    agents = profile.constraints.agents
    if agents is None:
        return None
    average = agents * min(1.0, PAID_HOURS_PER_WEEK / WEEKLY_OPEN_HOURS[profile.demand.hours])
    return min(agents, average * profile.demand.peak_factor)


def _describe_target(seconds: float, share: float) -> str:
    from channelplan.units import duration_text

    return f"{share * 100:.0f}% within {duration_text(seconds)}"


def size_channel(profile: Profile, channel_id: str, contacts_per_month: float) -> ChannelCapacity:
    """Size one channel for a monthly volume."""
    p = channel_params(profile, channel_id)
    kind = catalogue()[channel_id].kind
    open_hours = profile.demand.open_hours_per_month
    peak = contacts_per_month / open_hours * profile.demand.peak_factor
    shrinkage = profile.constraints.shrinkage
    handle = p.handle_minutes * 60.0
    target_share = min(p.target_share, MAX_TARGET_SHARE)
    available = on_duty(profile)
    cost = contacts_per_month * p.cost_per_contact
    target_text = _describe_target(p.target_seconds, p.target_share)
    common: dict[str, Any] = dict(channel=channel_id, contacts_per_month=contacts_per_month,
                  peak_hour_contacts=peak, handle_minutes=p.handle_minutes,
                  concurrency=p.concurrency, target_seconds=p.target_seconds,
                  target_share=p.target_share, cost_per_contact=p.cost_per_contact,
                  monthly_cost=cost, resolution_rate=p.resolution_rate)

    if kind == "self_service":
        hours = contacts_per_month * p.handle_minutes / 60.0
        fte = hours / (PAID_HOURS_PER_WEEK * 52 / 12 * (1 - shrinkage))
        handed = contacts_per_month * (1 - p.resolution_rate)
        work = "moderation" if channel_id == "community_forum" else "content and tuning"
        return ChannelCapacity(
            model="deflection", agents_required=round(fte, 2), staff_required=round(fte, 2),
            service_level=None, average_wait_seconds=None, occupancy=None, feasible=True,
            reason=(f"resolves {p.resolution_rate * 100:.0f}% of the contacts it receives and "
                    f"hands about {handed:,.0f} a month over to assisted channels; "
                    f"{fte:.2f} FTE of {work}"),
            handed_over_per_month=handed, **common)

    if contacts_per_month <= 0:
        return ChannelCapacity(model="erlang_c" if kind == "realtime" else "backlog",
                               agents_required=0, staff_required=0, service_level=1.0,
                               average_wait_seconds=0.0, occupancy=0.0, feasible=True,
                               reason="no volume", handed_over_per_month=0.0, **common)

    if kind == "realtime":
        c = p.concurrency
        per_contact = handle * (1 + CONCURRENCY_SLOWDOWN * (c - 1)) / c
        n = agents_needed(peak, per_contact, p.target_seconds, target_share)
        sl = service_level(n, peak, per_contact, p.target_seconds)
        asa = average_speed_of_answer(n, peak, per_contact)
        occ = peak * per_contact / 3600 / n
        model = "erlang_c"
    else:
        average = contacts_per_month / open_hours
        n = max(1, math.ceil(average * handle / 3600 / ASYNC_MAX_OCCUPANCY))
        while True:
            peak_work = peak * handle / 3600
            backlog_hours = max(0.0, (peak_work - n) * ASYNC_PEAK_HOURS)
            wait = backlog_hours / n * 3600 + handle
            if wait <= p.target_seconds or n > 100_000:
                break
            n += 1
        sl = 1.0 if wait <= p.target_seconds else p.target_seconds / wait
        asa = wait / 2
        occ = average * handle / 3600 / n
        model = "backlog"
    staff = math.ceil(n / (1 - shrinkage) - 1e-9)
    if available is None:
        feasible, reason = True, f"meets {target_text} with {_people(n)} at the busiest hour"
    elif staff <= available + 1e-9:
        feasible = True
        reason = (f"meets {target_text}: {_people(n)} at the busiest hour, {staff} rostered "
                  f"after {shrinkage * 100:.0f}% shrinkage, within about {available:.0f} on duty")
    else:
        feasible = False
        reason = (f"needs {staff} rostered at the busiest hour ({n} on contacts) to meet "
                  f"{target_text}, but {profile.constraints.agents:g} agents over "
                  f"{WEEKLY_OPEN_HOURS[profile.demand.hours]:.0f} open hours a week give about "
                  f"{available:.0f} on duty at the busiest hour")
    return ChannelCapacity(model=model, agents_required=n, staff_required=staff,
                           service_level=sl, average_wait_seconds=asa, occupancy=occ,
                           feasible=feasible, reason=reason, handed_over_per_month=0.0, **common)


def _people(count: float) -> str:
    return f"{count:g} agent" + ("" if count == 1 else "s")


def current_volumes(profile: Profile) -> dict[str, float]:
    """Monthly contacts per channel offered today."""
    total = profile.demand.contacts_per_month
    return {cid: total * offer.share for cid, offer in profile.channels.offered().items()}


Shift = tuple[str, str]


def parse_shift(text: str) -> tuple[Shift, float]:
    """Parse ``FROM:TO=SHARE`` (for example ``phone:live_chat=40%``)."""
    import difflib

    from pydantic_core import PydanticCustomError

    from channelplan.model import parse_share

    head, sep, share_text = text.partition("=")
    source, colon, target = head.partition(":")
    if not sep or not colon:
        raise UsageError(f"--shift {text!r}: write FROM:TO=SHARE, for example phone:live_chat=40%")
    for cid in (source.strip(), target.strip()):
        if cid not in CHANNEL_IDS:
            close = difflib.get_close_matches(cid, CHANNEL_IDS, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else f"; known ids: {', '.join(CHANNEL_IDS)}"
            raise UsageError(f"--shift {text!r}: unknown channel id '{cid}'{hint}")
    if source.strip() == target.strip():
        raise UsageError(f"--shift {text!r}: FROM and TO are the same channel")
    value: object = share_text.strip()
    try:
        value = float(str(value))  # a bare number from the command line, e.g. 0.4 or 40
    except ValueError:
        pass
    try:
        share = parse_share(value)
    except PydanticCustomError as exc:
        raise UsageError(f"--shift {text!r}: {exc.message()}") from None
    return (source.strip(), target.strip()), share


def apply_shifts(profile: Profile, volumes: Mapping[str, float],
                 shifts: Mapping[Shift, float]) -> tuple[dict[str, float], list[dict[str, Any]]]:
    """Move shares of each FROM channel's volume to TO. Contacts moved to a self-service
    channel that it does not resolve go back to the channel they came from."""
    result = dict(volumes)
    moved_from: dict[str, float] = {}
    notes = []
    for (source, target), share in shifts.items():
        if volumes.get(source, 0) <= 0:
            raise UsageError(f"--shift {source}:{target}: {source} carries no contacts in this profile")
        moved_from[source] = moved_from.get(source, 0.0) + share
        if moved_from[source] > 1 + 1e-9:
            raise UsageError(f"--shift: more than 100% of {source}'s volume is moved")
        moved = volumes[source] * share
        result[source] -= moved
        result[target] = result.get(target, 0.0) + moved
        returned = 0.0
        if catalogue()[target].kind == "self_service":
            returned = moved * (1 - channel_params(profile, target).resolution_rate)
            result[source] += returned
        notes.append({"from": source, "to": target, "share": share,
                      "contacts_moved": round(moved, 1), "contacts_returned": round(returned, 1)})
    return result, notes


def plan_for_volumes(profile: Profile, volumes: Mapping[str, float], basis: str) -> CapacityPlan:
    channels = [size_channel(profile, cid, volumes[cid]) for cid in CHANNEL_IDS if cid in volumes]
    return CapacityPlan(
        profile_name=profile.company.name, source=profile.source,
        currency=profile.company.currency, basis=basis, channels=channels,
        agents_available=profile.constraints.agents, on_duty_available=on_duty(profile),
        monthly_budget=profile.constraints.monthly_budget, warnings=list(profile.warnings),
    )


def capacity(profile: Profile, shifts: Mapping[Shift, float] | None = None,
             *, volumes: Mapping[str, float] | None = None) -> CapacityPlan:
    """Staffing, service level, occupancy and monthly cost per channel.

    By default the channels offered today are sized with their current volumes; a
    greenfield profile (no channels) is sized on the recommended set. ``shifts`` maps
    ``(from, to)`` to the share of FROM's volume to move first (a what-if); the result then
    carries the plan without the shift as ``baseline`` and the change per channel.
    ``volumes`` sizes an explicit monthly volume per channel instead.
    """
    basis = "given volumes"
    if volumes is None:
        volumes = current_volumes(profile)
        basis = "current channels"
        if not volumes:
            from channelplan.allocation import allocate
            from channelplan.scoring import recommend

            kept = recommend(profile, robustness=False).recommended_set()
            volumes = allocate(profile, kept)
            basis = "recommended channels"
    plan = plan_for_volumes(profile, volumes, basis)
    if shifts:
        shifted, notes = apply_shifts(profile, volumes, shifts)
        what_if = plan_for_volumes(profile, shifted, basis + " with shifts")
        what_if.shifts = notes
        what_if.baseline = plan
        for item in what_if.channels:
            before = plan.channel(item.channel)
            item.change = {
                "contacts_per_month": item.contacts_per_month - (before.contacts_per_month if before else 0),
                "staff_required": item.staff_required - (before.staff_required if before else 0),
                "monthly_cost": item.monthly_cost - (before.monthly_cost if before else 0),
            }
        plan = what_if
    return plan


__all__ = ["capacity", "channel_params", "parse_shift", "size_channel", "CapacityPlan",
           "ChannelCapacity", "ChannelParams", "on_duty"]
