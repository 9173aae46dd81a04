"""Sizing one channel: the workload model every other part of channelplan reads.

One model, four kinds of channel (see README, "How capacity is computed"):

* **Live queues** (phone, live chat) are sized with **Erlang A** on the busiest normal hour:
  callers hang up after an exponential patience (the profile's ``patience``, else the
  catalogue's), the service level counts hang-ups as not answered, and no queue is planned
  above its occupancy cap (``max_occupancy``, 85% by default) or above its abandonment
  ceiling. ``patience: none`` (or ``model="erlang-c"``) gives the conventional Erlang C
  figure. A live chat agent works several chats at once: 1 / 1.7 / 2.5 / 2.9 / 3.5 chats'
  worth of work for 1-5 concurrent chats (Call Centre Helper), never the concurrency itself.
  A live queue needs at least one agent on duty through every open hour; a team too small
  for that covers the hours beyond its own on call.
* **Backlogs** (email, social media, messaging) are workload, not queues: handle hours over
  the reply window, fractional, never rounded up per channel or per hour. The busiest hour
  needs the peak arrivals' work when the reply window is an hour or less, the average when
  it spans the working day, and in between on a log scale of the window.
* **Self-service** (chatbot, knowledge base, forum) *contains* a share of the contacts it
  sees, by the complexity of the topics (the profile's measured ``resolution_rate`` if
  given), and hands the rest over to staffed channels. Its staff is a fixed content effort
  per channel, not a per-contact rate.
* **Cost**: with ``constraints.agent_cost_per_hour``, staff paid hours x the rate + the
  channel's fixed monthly cost + non-staff fees per contact; without it, contacts x the
  fully loaded cost per contact + fixed cost.

Rosters: full-time people work 40 paid hours a week, of which ``1 - shrinkage`` is on
contacts. The busiest normal hour is the average open hour x ``peak_factor`` up to 2; a
peak factor above 2 is a *surge*: shown beside the normal peak with its own requirement and
surge measures, never silently rostered.

This module sits below the scorer; sizing a whole plan (the recommended set, shifts, the
transition) is :mod:`channelplan.staffing`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from channelplan.catalogue import CHANNEL_IDS, OPEN_HOURS, assisted_ids, catalogue, concurrent_ids, live_ids
from channelplan.fit import serves
from channelplan.model import Profile
from channelplan.queueing import QueueResult, agents_needed, erlang_a_cached, erlang_c_result
from channelplan.units import duration_text

PAID_HOURS_PER_WEEK = 40.0
WEEKS_PER_MONTH = 52.0 / 12.0
NORMAL_PEAK_LIMIT = 2.0        # a busiest hour above twice the average is a surge
PEAK_HOURS_SHARE = 0.25        # a quarter of open hours run at the busiest level (rosters)
MAX_TARGET_SHARE = 0.999
# Chats' worth of work one agent does on 1, 2, 3, 4, 5 concurrent chats (Call Centre Helper
# capacity factors); past five, no more (one operation lost productivity at six).
CAPACITY_FACTORS = (1.0, 1.7, 2.5, 2.9, 3.5)
SURGE_MEASURES = ("offer a callback instead of a wait", "play a queue message that points to "
                  "self-service and status updates", "hold back non-urgent outbound work")
MODELS = ("erlang-a", "erlang-c")


def capacity_factor(concurrency: float) -> float:
    """Contacts' worth of work an agent does while working ``concurrency`` at once."""
    c = max(1.0, min(float(concurrency), float(len(CAPACITY_FACTORS))))
    low = int(math.floor(c))
    if low >= len(CAPACITY_FACTORS):
        return CAPACITY_FACTORS[-1]
    frac = c - low
    return CAPACITY_FACTORS[low - 1] + frac * (CAPACITY_FACTORS[low] - CAPACITY_FACTORS[low - 1])


class ChannelParams(NamedTuple):
    """A channel's metrics: the profile's where given, else the catalogue's defaults."""

    channel: str
    cost_per_contact: float
    handle_minutes: float
    resolution_rate: float
    target_seconds: float
    target_share: float
    concurrency: float
    defaults_used: tuple[str, ...]
    patience_seconds: float | None = None
    max_abandon: float | None = None
    max_occupancy: float = 0.85
    fixed_monthly_cost: float = 0.0
    contact_fee: float = 0.0


def usual_containment(channel_id: str, complexity: str) -> float:
    """Share of a topic's contacts a self-service channel of its kind usually resolves: the
    catalogue's rate for the topic's complexity (0 for a staffed channel)."""
    return (catalogue()[channel_id].containment or {}).get(complexity, 0.0)


def topic_containment(profile: Profile, channel_id: str, complexity: str) -> float:
    """Share of a topic's contacts a self-service channel resolves: the profile's measured
    ``resolution_rate`` if given, else the catalogue's rate for the topic's complexity."""
    offer = getattr(profile.channels, channel_id)
    if offer is not None and offer.resolution_rate is not None:
        return float(offer.resolution_rate)
    return usual_containment(channel_id, complexity)


def containment_rate(profile: Profile, channel_id: str) -> float:
    """Share of the contacts a self-service channel sees that it resolves, weighted by the
    mix of the topics it serves (public help content and forums take no topic involving
    personal data or money)."""
    served = [t for t in profile.demand.topics if serves(channel_id, t)] or profile.demand.topics
    whole = sum(t.share for t in served) or 1.0
    return sum(t.share * topic_containment(profile, channel_id, t.complexity)
               for t in served) / whole


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
    if entry.kind == "self_service":
        resolution = containment_rate(profile, channel_id)
        if offer is None or offer.resolution_rate is None:
            used.append("resolution_rate")
    else:
        resolution = pick("resolution_rate", offer and offer.resolution_rate, entry.resolution_rate)
    patience = None
    if channel_id in live_ids():
        given = offer.patience if offer is not None else None
        patience = pick("patience", given, entry.patience_seconds or math.inf)
        patience = None if math.isinf(patience) else patience
    occupancy_cap = (offer.max_occupancy if offer is not None and offer.max_occupancy is not None
                     else profile.constraints.max_occupancy)
    return ChannelParams(
        channel=channel_id,
        cost_per_contact=pick("cost_per_contact", offer and offer.cost_per_contact, entry.cost_per_contact),
        handle_minutes=pick("handle_minutes", offer and offer.handle_minutes, entry.handle_minutes),
        resolution_rate=resolution,
        target_seconds=pick("target.answer_within", target and target.answer_within, entry.target_seconds),
        target_share=pick("target.share", target and target.share, entry.target_share),
        concurrency=(pick("concurrency", offer and offer.concurrency, entry.concurrency)
                     if channel_id in concurrent_ids() else 1.0),
        defaults_used=tuple(used),
        patience_seconds=patience,
        max_abandon=entry.max_abandon,
        max_occupancy=occupancy_cap,
        fixed_monthly_cost=float(offer.fixed_monthly_cost or 0.0) if offer is not None else 0.0,
        contact_fee=entry.contact_fee,
    )


class Supply(NamedTuple):
    """Who can work contacts: the whole team and the busiest hour's share of it."""

    agents: float
    productive: float          # agents x (1 - shrinkage): never exceeded at any hour
    peak_on_duty: float        # productive agents on duty in the busiest hour
    peak_allowance: float      # busiest hour's roster over the average hour's

    def to_dict(self) -> dict[str, float]:
        return {"agents": self.agents, "productive": round(self.productive, 2),
                "peak_on_duty": round(self.peak_on_duty, 2),
                "peak_allowance": round(self.peak_allowance, 2)}


def supply(profile: Profile) -> Supply | None:
    """Agents on duty in the busiest hour, from the roster.

    Full-time people work 40 paid hours a week, ``1 - shrinkage`` of it on contacts, spread
    over the week's open hours; rosters that follow demand put up to the busiest hour's peak
    (at most twice the average) on duty at once, and never more than the whole productive team.
    """
    agents = profile.constraints.agents
    if agents is None:
        return None
    productive = agents * (1 - profile.constraints.shrinkage)
    allowance = min(profile.demand.peak_factor, NORMAL_PEAK_LIMIT)
    share_on_duty = min(1.0, PAID_HOURS_PER_WEEK / OPEN_HOURS[profile.demand.hours].weekly)
    return Supply(agents=agents, productive=productive,
                  peak_on_duty=min(productive, productive * share_on_duty * allowance),
                  peak_allowance=allowance)


def on_duty(profile: Profile) -> float | None:
    """Productive agents who can be on duty in the busiest hour (None: no limit given)."""
    s = supply(profile)
    return None if s is None else s.peak_on_duty


@dataclass
class ChannelCapacity:
    """What one channel needs and costs for a monthly volume."""

    channel: str
    model: str                       # erlang_a | erlang_c | backlog | containment
    contacts_per_month: float
    peak_hour_contacts: float        # the busiest normal hour
    handle_minutes: float
    concurrency: float
    target_seconds: float
    target_share: float
    agents_required: float           # productive agents on contacts in the busiest hour
    staff_required: float            # rostered in the busiest hour, after shrinkage
    fte: float                       # full-time people over the month, after shrinkage
    service_level: float | None
    abandon_rate: float | None
    average_wait_seconds: float | None
    occupancy: float | None
    feasible: bool
    reason: str
    cost_per_contact: float
    monthly_cost: float
    cost_parts: dict[str, float]
    resolution_rate: float
    contained: float = 0.0           # self-service: contacts resolved there a month
    handed_over: float = 0.0         # self-service: contacts passed on to staffed channels
    patience_seconds: float | None = None
    occupancy_cap: float | None = None
    minimum_cover_fte: float = 0.0   # live queues: one agent on duty through every open hour
    on_call_share: float = 0.0       # live queues: the open hours a small team covers on call
    surge: dict[str, Any] | None = None
    work_fte: float = 0.0            # FTE of handling time alone (at 100% occupancy)
    peak_load: float = 0.0           # erlangs of work in the busiest hour
    blended_fte: float = 0.0         # backlog work done between live contacts (plan level)
    given_agents: bool = False
    change: dict[str, float] | None = None

    @property
    def assisted(self) -> bool:
        return self.channel in assisted_ids()

    @property
    def resolved_per_month(self) -> float:
        if self.model == "containment":
            return self.contained
        return self.contacts_per_month * self.resolution_rate

    @property
    def cost_per_resolved(self) -> float | None:
        """Cost per contact resolved: a contact that needs a second one elsewhere costs twice."""
        resolved = self.resolved_per_month
        return self.monthly_cost / resolved if resolved > 0 else None

    def to_dict(self) -> dict[str, Any]:
        def r(value: float | None, digits: int) -> float | None:
            if value is None or (isinstance(value, float) and math.isinf(value)):
                return None
            return round(value, digits)

        per_resolved = self.cost_per_resolved
        out: dict[str, Any] = {
            "channel": self.channel,
            "model": self.model,
            "contacts_per_month": round(self.contacts_per_month, 1),
            "peak_hour_contacts": round(self.peak_hour_contacts, 2),
            "handle_minutes": self.handle_minutes,
            "concurrency": self.concurrency,
            "target": {"answer_within_seconds": self.target_seconds, "share": self.target_share},
            "patience_seconds": self.patience_seconds,
            "occupancy_cap": self.occupancy_cap,
            "agents_required": r(self.agents_required, 2),
            "staff_required": r(self.staff_required, 2),
            "fte": r(self.fte, 2),
            "minimum_cover_fte": r(self.minimum_cover_fte, 2),
            "on_call_share": round(self.on_call_share, 4),
            "service_level": r(self.service_level, 4),
            "abandon_rate": r(self.abandon_rate, 4),
            "average_wait_seconds": r(self.average_wait_seconds, 1),
            "occupancy": r(self.occupancy, 4),
            "contained": round(self.contained, 1),
            "handed_over": round(self.handed_over, 1),
            "feasible": self.feasible,
            "reason": self.reason,
            "resolution_rate": round(self.resolution_rate, 4),
            "cost_per_contact": round(self.cost_per_contact, 2),
            "cost_per_resolved": None if per_resolved is None else round(per_resolved, 2),
            "monthly_cost": round(self.monthly_cost, 2),
            "cost": {k: round(v, 2) for k, v in self.cost_parts.items()},
            "surge": self.surge,
            "blended_fte": round(self.blended_fte, 2),
            "agents_given": self.given_agents,
        }
        if self.change is not None:
            out["change"] = {k: round(v, 2) for k, v in self.change.items()}
        return out


@lru_cache(maxsize=4096)
def _live_agents(arrivals: float, handle: float, within: float, share: float, cap: float,
                 patience: float | None, max_abandon: float | None) -> int:
    return agents_needed(arrivals, handle, within, share, cap, patience_seconds=patience,
                         max_abandon=max_abandon if patience is not None else None)


def _live_result(n: int, arrivals: float, handle: float, within: float,
                 patience: float | None) -> QueueResult:
    if patience is None:
        return erlang_c_result(n, arrivals, handle, within)
    return erlang_a_cached(n, arrivals, handle, patience, within)


def _key(value: float) -> float:
    # Round inputs for the cache so that volumes differing in the 10th digit share a result.
    return float(f"{value:.9g}")


def _pct(share: float) -> str:
    return f"{share * 100:.0f}%"


def _paid_hours_per_fte() -> float:
    return PAID_HOURS_PER_WEEK * WEEKS_PER_MONTH


def blend(profile: Profile, channels: list[ChannelCapacity]) -> float:
    """Let backlog work (email, social, messaging) fill the idle time of live-queue agents, as
    blended agents do between calls and chats, up to the occupancy cap; each backlog channel
    then needs only the rest. Changes ``channels`` in place; returns the FTE blended."""
    live = [c for c in channels if c.model.startswith("erlang") and c.contacts_per_month > 0]
    backlog = [c for c in channels if c.model == "backlog" and c.fte > 0]
    if not live or not backlog:
        return 0.0
    idle = sum(max(0.0, c.fte * (c.occupancy_cap or 1.0) - c.work_fte) for c in live)
    idle_peak = sum(max(0.0, c.agents_required * (c.occupancy_cap or 1.0) - c.peak_load)
                    for c in live if not c.given_agents)
    total = sum(c.fte for c in backlog)
    total_peak = sum(c.agents_required for c in backlog)
    absorbed = min(idle, total)
    keep = 1 - absorbed / total
    keep_peak = 1 - min(idle_peak, total_peak) / total_peak if total_peak > 0 else 1.0
    rate = profile.constraints.agent_cost_per_hour
    for c in backlog:
        c.blended_fte = c.fte * (1 - keep)
        c.fte *= keep
        c.agents_required *= keep_peak
        c.staff_required *= keep_peak
        if rate is not None:
            c.cost_parts["staff"] = c.fte * _paid_hours_per_fte() * rate
            c.monthly_cost = sum(c.cost_parts.values())
            if c.contacts_per_month > 0:
                c.cost_per_contact = c.monthly_cost / c.contacts_per_month
        if c.blended_fte >= 0.005:
            c.reason += (f"; {c.blended_fte:.2f} FTE of it is done between live contacts "
                         "by blended agents")
    return absorbed


def size_channel(profile: Profile, channel_id: str, contacts_per_month: float, *,
                 model: str = "erlang-a", agents: int | None = None) -> ChannelCapacity:
    """Size one channel for a monthly volume.

    ``model`` is ``erlang-a`` (live queues lose impatient callers) or ``erlang-c`` (the
    conventional figure: nobody hangs up). ``agents`` answers the reverse question for a live
    queue: what that many agents on duty in the busiest hour achieve."""
    p = channel_params(profile, channel_id)
    entry = catalogue()[channel_id]
    hours = profile.demand.hours
    shrinkage = profile.constraints.shrinkage
    open_hours = profile.demand.open_hours_per_month
    average = contacts_per_month / open_hours
    normal_peak = min(profile.demand.peak_factor, NORMAL_PEAK_LIMIT)
    peak = average * normal_peak
    rate = profile.constraints.agent_cost_per_hour
    productive_per_fte = _paid_hours_per_fte() * (1 - shrinkage)
    target_text = f"{_pct(p.target_share)} within {duration_text(p.target_seconds)}"
    common: dict[str, Any] = dict(
        channel=channel_id, contacts_per_month=contacts_per_month, peak_hour_contacts=peak,
        handle_minutes=p.handle_minutes, concurrency=p.concurrency, target_seconds=p.target_seconds,
        target_share=p.target_share, resolution_rate=p.resolution_rate)

    def costs(fte: float) -> tuple[float, dict[str, float], float]:
        if rate is not None:
            parts = {"staff": fte * _paid_hours_per_fte() * rate, "fixed": p.fixed_monthly_cost,
                     "per_contact": contacts_per_month * p.contact_fee}
        else:
            parts = {"staff": 0.0, "fixed": p.fixed_monthly_cost,
                     "per_contact": contacts_per_month * p.cost_per_contact}
        total = sum(parts.values())
        per_contact = total / contacts_per_month if contacts_per_month > 0 else (
            p.contact_fee if rate is not None else p.cost_per_contact)
        return total, parts, per_contact

    if entry.kind == "self_service":
        contained = contacts_per_month * p.resolution_rate
        handed = contacts_per_month - contained
        fte = entry.content_fte
        total, parts, per_contact = costs(fte)
        work = entry.upkeep or "content upkeep"
        reason = (f"resolves {_pct(p.resolution_rate)} of the {contacts_per_month:,.0f} contacts it "
                  f"sees ({contained:,.0f} a month) and hands {handed:,.0f} over to staffed "
                  f"channels; {fte:g} FTE of {work}, whatever the traffic")
        return ChannelCapacity(model="containment", agents_required=0.0, staff_required=0.0,
                               fte=fte, service_level=None, abandon_rate=None,
                               average_wait_seconds=None, occupancy=None, feasible=True,
                               reason=reason, cost_per_contact=per_contact, monthly_cost=total,
                               cost_parts=parts, contained=contained, handed_over=handed, **common)

    handle = p.handle_minutes * 60.0
    work_seconds = handle / capacity_factor(p.concurrency)   # agent-seconds per contact
    work_fte = contacts_per_month * work_seconds / 3600 / productive_per_fte   # handling alone
    cap = p.max_occupancy
    available = supply(profile)
    if contacts_per_month <= 0:
        total, parts, per_contact = costs(0.0)
        return ChannelCapacity(model="erlang_a" if channel_id in live_ids() else "backlog",
                               agents_required=0.0, staff_required=0.0, fte=0.0, service_level=1.0,
                               abandon_rate=0.0 if channel_id in live_ids() else None,
                               average_wait_seconds=0.0, occupancy=0.0, feasible=True,
                               reason="no volume", cost_per_contact=per_contact, monthly_cost=total,
                               cost_parts=parts, occupancy_cap=cap, **common)

    surge = None
    on_call = 0.0
    if channel_id in live_ids():
        patience = None if model == "erlang-c" else p.patience_seconds
        share = min(p.target_share, MAX_TARGET_SHARE)

        def need(arrivals: float) -> int:
            return _live_agents(_key(arrivals), _key(work_seconds), p.target_seconds, share, cap,
                                patience, p.max_abandon)

        n: float = int(agents) if agents is not None else need(peak)
        # at the inputs the agents were sized for (rounded for the cache)
        result = _live_result(int(n), _key(peak), _key(work_seconds), p.target_seconds, patience)
        # Rosters: a quarter of open hours at the busiest level, the rest at the level that
        # keeps the average; at least one agent on duty through every open hour.
        base_level = (1 - PEAK_HOURS_SHARE * normal_peak) / (1 - PEAK_HOURS_SHARE)
        base_n = max(1, need(average * max(base_level, 0.0)) if base_level > 0 else 1)
        peak_n = max(1, need(peak))
        weekly_hours = OPEN_HOURS[hours].weekly * (PEAK_HOURS_SHARE * peak_n
                                                   + (1 - PEAK_HOURS_SHARE) * base_n)
        fte = weekly_hours * WEEKS_PER_MONTH / productive_per_fte
        cover = OPEN_HOURS[hours].weekly * WEEKS_PER_MONTH / productive_per_fte
        team = profile.constraints.agents
        if team is not None and cover > team > 0:
            # A team too small to put someone on duty through every open hour (a sole
            # trader's round-the-clock line) is on duty for the share of hours its people
            # work and on call for the rest: calls forwarded to a mobile, or taken back by
            # callback (channelplan assumption). The line then takes at most the whole team's
            # time in person, and never less than the handling itself.
            on_call = 1 - team / cover
            fte = max(fte * team / cover, work_fte / cap)
            cover = team
        model_name = "erlang_a" if patience is not None else "erlang_c"
        if profile.demand.peak_factor > NORMAL_PEAK_LIMIT:
            surge_arrivals = average * profile.demand.peak_factor
            surge_n = need(surge_arrivals)
            surge = {"peak_factor": profile.demand.peak_factor,
                     "hour_contacts": round(surge_arrivals, 2), "agents_required": surge_n,
                     "extra_over_normal_peak": surge_n - n, "measures": list(SURGE_MEASURES)}
        sl, abandon, asa, occ = (result.service_level, result.abandon_rate,
                                 result.average_speed_of_answer, result.occupancy)
        met = sl >= share - 1e-9 and occ <= cap + 1e-9
        lost = f", {_pct(abandon)} hang up" if patience is not None else ""
        if agents is not None:
            what = (f"{n} agent{'s' if n != 1 else ''} on duty give {sl * 100:.1f}% within "
                    f"{duration_text(p.target_seconds)}{lost}, occupancy {_pct(occ)} "
                    f"(target {target_text})")
        else:
            what = (f"meets {target_text} with {n} agent{'s' if n != 1 else ''} at the busiest hour"
                    f"{lost}, occupancy {_pct(occ)} (cap {_pct(cap)})")
        if on_call:
            what += (f"; {team:g} {'person' if team == 1 else 'people'} cannot be on duty all "
                     f"{OPEN_HOURS[hours].weekly:g} open hours a week, so {_pct(on_call)} of "
                     "them are covered on call (calls forwarded to a mobile, or callbacks)")
    else:
        model_name = "backlog"
        window = p.target_seconds
        day = OPEN_HOURS[hours].daily * 3600.0
        # How much of the busiest hour's work must be done within that hour: all of it for a
        # reply window of an hour or less, none beyond the average for a window of a working day.
        if window <= 3600:
            weight = 1.0
        elif window >= day:
            weight = 0.0
        else:
            weight = math.log(day / window) / math.log(day / 3600)
        busiest = average + (peak - average) * weight
        monthly_hours = contacts_per_month * work_seconds / 3600
        fte = monthly_hours / cap / productive_per_fte
        n = busiest * work_seconds / 3600 / cap
        sl, abandon, asa = p.target_share, None, None
        occ = cap
        met = True
        what = (f"{monthly_hours:,.1f} handle hours a month at {_pct(cap)} occupancy: "
                f"{fte:.2f} FTE answers {target_text}")
        if agents is not None:
            what += "; agents on duty apply to live queues only"
    total, parts, per_contact = costs(fte)
    staff = n / (1 - shrinkage)
    if available is None:
        feasible = met
        reason = what
    elif n <= available.peak_on_duty + 1e-9:
        feasible = met
        reason = f"{what}; within about {available.peak_on_duty:.1f} productive agents on duty"
    elif on_call and n <= available.agents + 1e-9:
        feasible = met    # whoever is on call answers
        reason = what
    else:
        feasible = False
        one = available.agents == 1
        reason = (f"{what}, but {available.agents:g} agent{'' if one else 's'} "
                  f"give{'s' if one else ''} about "
                  f"{available.peak_on_duty:.1f} productive agents on duty at the busiest hour")
    if not met and agents is not None:
        reason += "; below the target"
    return ChannelCapacity(
        model=model_name, agents_required=float(n), staff_required=staff, fte=fte,
        service_level=sl, abandon_rate=abandon, average_wait_seconds=asa, occupancy=occ,
        feasible=feasible, reason=reason, cost_per_contact=per_contact, monthly_cost=total,
        cost_parts=parts, patience_seconds=p.patience_seconds if model_name == "erlang_a" else None,
        occupancy_cap=cap, minimum_cover_fte=cover if channel_id in live_ids() else 0.0,
        on_call_share=on_call, surge=surge,
        work_fte=work_fte,
        peak_load=peak * work_seconds / 3600,
        given_agents=agents is not None, **common)


def current_volumes(profile: Profile) -> dict[str, float]:
    """Monthly contacts per channel offered today (what each channel receives first)."""
    total = profile.demand.contacts_per_month
    return {cid: total * offer.share for cid, offer in profile.channels.offered().items()}


def with_handovers(profile: Profile, volumes: Mapping[str, float]) -> dict[str, float]:
    """Add what self-service channels hand over to the staffed channels in ``volumes``, in
    proportion to those channels' volumes (equally when they have none)."""
    result = dict(volumes)
    staffed = [c for c in CHANNEL_IDS if c in result and c in assisted_ids()]
    handed = sum(volumes[c] * (1 - channel_params(profile, c).resolution_rate)
                 for c in CHANNEL_IDS if c in volumes and catalogue()[c].kind == "self_service")
    if handed <= 0 or not staffed:
        return result
    base = sum(volumes[c] for c in staffed)
    for c in staffed:
        result[c] += handed * (volumes[c] / base if base > 0 else 1 / len(staffed))
    return result


class ChannelModel(NamedTuple):
    """A fast straight-line stand-in for :func:`size_channel`, fitted to two exact sizings
    (at 5% and 50% of all contacts): what the decision search and the robustness checks use
    to price hundreds of candidate sets, before the exact model sizes the chosen one."""

    channel: str
    fte_floor: float          # people a channel needs at any volume (live cover, content)
    fte_slope: float          # more people per contact a month
    peak_floor: float         # agents on duty in the busiest hour at any volume
    peak_slope: float
    cost_fixed: float         # monthly cost at any volume
    cost_unit: float          # more cost per contact
    work_slope: float = 0.0   # FTE of handling time alone per contact (blending)
    occupancy_cap: float = 1.0
    kind: str = "async"

    def idle(self, contacts: float) -> float:
        """Live queues: FTE free for backlog work between contacts, within the cap."""
        if self.kind != "realtime":
            return 0.0
        return max(0.0, self.fte(contacts) * self.occupancy_cap - self.work_slope * contacts)

    # A channel that is run has its floor whatever its volume.
    def fte(self, contacts: float) -> float:
        return self.fte_floor + self.fte_slope * contacts

    def peak(self, contacts: float) -> float:
        return self.peak_floor + self.peak_slope * contacts

    def cost(self, contacts: float) -> float:
        return self.cost_fixed + self.cost_unit * contacts


def channel_model(profile: Profile, channel_id: str) -> ChannelModel:
    total = profile.demand.contacts_per_month
    low, high = total * 0.05, total * 0.5
    a = size_channel(profile, channel_id, low)
    b = size_channel(profile, channel_id, high)

    def line(ya: float, yb: float, floor: float) -> tuple[float, float]:
        slope = max(0.0, (yb - ya) / (high - low))
        return max(floor, ya - slope * low), slope

    is_live = channel_id in live_ids()
    cover = a.minimum_cover_fte if is_live else 0.0
    content = catalogue()[channel_id].content_fte if catalogue()[channel_id].kind == "self_service" \
        else 0.0
    fte_floor, fte_slope = line(a.fte, b.fte, max(cover, content))
    peak_floor, peak_slope = line(a.agents_required, b.agents_required, 1.0 if is_live else 0.0)
    cost_fixed, cost_unit = line(a.monthly_cost, b.monthly_cost, 0.0)
    work = b.work_fte / high if high > 0 else 0.0
    return ChannelModel(channel_id, fte_floor, fte_slope, peak_floor, peak_slope, cost_fixed,
                        cost_unit, work_slope=work, occupancy_cap=b.occupancy_cap or 1.0,
                        kind=catalogue()[channel_id].kind)


__all__ = ["CAPACITY_FACTORS", "ChannelCapacity", "ChannelModel", "ChannelParams", "MODELS", "Supply",
           "blend", "capacity_factor", "channel_model", "channel_params", "containment_rate",
           "current_volumes", "on_duty", "size_channel", "supply", "topic_containment", "usual_containment",
           "with_handovers"]
