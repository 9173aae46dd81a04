"""The programme view: every retirement together, month by month, to the end state.

Each retirement is a :class:`Move`: from given days, a share of the retiring channel's
contacts has moved, and the contacts that arrive on each alternative (net of those that
never arrive elsewhere) are added there. Moves that overlap add up, so a channel that
absorbs two retirements is sized for both. A retiring channel keeps its full staff and
cost until it closes (running old and new side by side is the expensive part); from its
sunset it has none.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from channelplan.catalogue import CHANNEL_IDS, catalogue
from channelplan.model import Profile
from channelplan.staffing import CapacityPlan, plan_for_volumes

MEASURED_ON_DAY = 15     # each month is measured on its 15th: mid-month


class Sizer:
    """Capacity plans for volume mixes, each computed once: many months and phases of a
    programme share the same state, and sizing a large queue is the slow part."""

    def __init__(self, profile: Profile):
        self.profile = profile
        self._plans: dict[tuple[tuple[str, float], ...], CapacityPlan] = {}

    def plan(self, volumes: Mapping[str, float], basis: str = "programme") -> CapacityPlan:
        key = tuple(sorted((c, round(v, 6)) for c, v in volumes.items()))
        if key not in self._plans:
            # volumes as customers bring them: self-service hands over what it does not contain
            self._plans[key] = plan_for_volumes(self.profile, dict(volumes), basis, handovers=True)
        return self._plans[key]


@dataclass(frozen=True)
class Move:
    """One retirement's effect on volumes over time."""

    channel: str
    contacts: float                                  # monthly contacts on the channel today
    arriving: Mapping[str, Mapping[str, float]]      # alternative -> topic -> contacts, fully moved
    steps: tuple[tuple[dt.date, float], ...]         # (from this day, share of contacts moved)
    closes: dt.date                                  # the sunset: no staff or cost from this day

    def moved_on(self, day: dt.date) -> float:
        share = 0.0
        for first, moved in self.steps:
            if day >= first:
                share = moved
        return share


def volumes_on(today: Mapping[str, float], moves: Sequence[Move], day: dt.date | None) -> dict[str, float]:
    """Monthly contacts per channel on ``day`` (None: once every move is complete)."""
    volumes = dict(today)
    for move in moves:
        moved = 1.0 if day is None else move.moved_on(day)
        volumes[move.channel] = volumes.get(move.channel, 0.0) - move.contacts * moved
        for alternative, topics in move.arriving.items():
            volumes[alternative] = volumes.get(alternative, 0.0) + sum(topics.values()) * moved
        if day is None or day >= move.closes:
            volumes.pop(move.channel, None)
    return {c: max(0.0, v) for c, v in volumes.items()}


@dataclass
class Snapshot:
    """Staff and cost of the whole operation on one day."""

    day: dt.date | None
    plan: CapacityPlan
    open_retiring: dict[str, Any]        # retiring channels still open: their baseline sizing

    def _sized(self) -> list[Any]:
        """The channels that day: open retiring ones at their baseline sizing."""
        return [c for c in self.plan.channels if c.channel not in self.open_retiring] \
            + list(self.open_retiring.values())

    @property
    def staff_required(self) -> int:
        """Full-time people for the staffed channels, pooled and rounded once."""
        return math.ceil(sum(c.fte for c in self._sized() if c.assisted) - 1e-6)

    @property
    def monthly_cost(self) -> float:
        return sum(c.monthly_cost for c in self._sized())

    @property
    def agents_at_peak(self) -> int:
        """Productive agents on contacts in the busiest hour, pooled and rounded once."""
        return math.ceil(sum(c.agents_required for c in self._sized() if c.assisted) - 1e-6)

    def channels(self) -> dict[str, dict[str, float]]:
        out = {}
        for c in sorted(self._sized(), key=lambda c: CHANNEL_IDS.index(c.channel)):
            out[c.channel] = {"contacts_per_month": round(c.contacts_per_month, 1),
                              "staff_required": round(c.fte, 2),
                              "monthly_cost": round(c.monthly_cost, 2)}
        return out


def snapshot(sizer: Sizer, today: Mapping[str, float], baseline: CapacityPlan,
             moves: Sequence[Move], day: dt.date | None) -> Snapshot:
    volumes = volumes_on(today, moves, day)
    open_retiring = {}
    for move in moves:
        if day is not None and day < move.closes:
            old = baseline.channel(move.channel)
            if old is not None:
                open_retiring[move.channel] = old
    # Contacts still on an open retiring channel are carried by its baseline staff (it stays
    # in the volumes so that what it hands over still reaches the staffed channels).
    return Snapshot(day=day, plan=sizer.plan(volumes), open_retiring=open_retiring)


@dataclass
class Month:
    month: str
    day: dt.date
    staff_required: float
    monthly_cost: float
    channels: dict[str, dict[str, float]]
    within_agents: bool | None
    within_budget: bool | None

    def to_dict(self) -> dict[str, Any]:
        return {"month": self.month, "measured_on": self.day.isoformat(),
                "staff_required": self.staff_required, "monthly_cost": round(self.monthly_cost, 2),
                "within_agents": self.within_agents, "within_budget": self.within_budget,
                "channels": self.channels}


@dataclass
class EndChannel:
    channel: str
    name: str
    share: float
    contacts_per_month: float
    new: bool
    staff_required: float
    monthly_cost: float
    topics: list[dict[str, Any]]
    blended: float = 0.0          # FTE of its work done by live agents between contacts

    def to_dict(self) -> dict[str, Any]:
        return {"channel": self.channel, "name": self.name, "share": round(self.share, 4),
                "contacts_per_month": round(self.contacts_per_month, 1), "new": self.new,
                "staff_required": self.staff_required, "monthly_cost": round(self.monthly_cost, 2),
                "topics": self.topics}


@dataclass
class Programme:
    start: dt.date
    end: dt.date
    months: list[Month]
    end_state: list[EndChannel]
    end_staff: float
    end_cost: float
    today_staff: float
    today_cost: float
    lost_contacts: float
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(),
                "measured_on_day": MEASURED_ON_DAY,
                "today": {"staff_required": self.today_staff,
                          "monthly_cost": round(self.today_cost, 2)},
                "end_state": {"channels": [c.to_dict() for c in self.end_state],
                              "staff_required": self.end_staff,
                              "monthly_cost": round(self.end_cost, 2),
                              "contacts_never_arriving": round(self.lost_contacts, 1)},
                "months": [m.to_dict() for m in self.months]}


def month_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """The measuring day (the 15th) of every month from ``start``'s to ``end``'s."""
    days, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        days.append(dt.date(year, month, MEASURED_ON_DAY))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return days


def build_programme(sizer: Sizer, today: Mapping[str, float],
                    today_topics: Mapping[str, Mapping[str, float]], moves: Sequence[Move],
                    start: dt.date, end: dt.date) -> Programme:
    """Month by month from ``start`` to ``end``, and the end state once every move is done."""
    baseline = sizer.plan(today)
    months = []
    for day in month_days(start, end):
        snap = snapshot(sizer, today, baseline, moves, day)
        # the capacity model's test: the people for the month and the agents on duty in the
        # busiest hour, both within what the team gives
        within_agents = (None if baseline.agents_available is None
                         else snap.staff_required <= baseline.agents_available + 1e-9
                         and (baseline.on_duty_available is None
                              or snap.agents_at_peak <= baseline.on_duty_available + 1e-6))
        within_budget = (None if baseline.monthly_budget is None
                         else snap.monthly_cost <= baseline.monthly_budget + 1e-9)
        months.append(Month(month=f"{day.year:04d}-{day.month:02d}", day=day,
                            staff_required=snap.staff_required, monthly_cost=snap.monthly_cost,
                            channels=snap.channels(), within_agents=within_agents,
                            within_budget=within_budget))
    final = sizer.plan(volumes_on(today, moves, None))
    topics: dict[str, dict[str, float]] = {c: dict(t) for c, t in today_topics.items()}
    for move in moves:
        topics.pop(move.channel, None)
    for move in moves:
        for alternative, moved in move.arriving.items():
            into = topics.setdefault(alternative, {})
            for name, contacts in moved.items():
                into[name] = into.get(name, 0.0) + contacts
    total = sum(c.contacts_per_month for c in final.channels) or 1.0
    end_state = []
    for c in final.channels:
        if c.contacts_per_month <= 0:
            continue
        mix = topics.get(c.channel, {})
        whole = sum(mix.values()) or 1.0
        end_state.append(EndChannel(
            channel=c.channel, name=catalogue()[c.channel].name,
            share=c.contacts_per_month / total, contacts_per_month=c.contacts_per_month,
            new=c.channel not in today, staff_required=round(c.fte, 2),
            monthly_cost=c.monthly_cost, blended=round(c.blended_fte, 2),
            topics=[{"topic": name, "share": round(value / whole, 4)}
                    for name, value in sorted(mix.items(), key=lambda kv: -kv[1])
                    if value / whole >= 0.005]))
    lost = sum(m.contacts - sum(sum(t.values()) for t in m.arriving.values()) for m in moves)
    return Programme(start=start, end=end, months=months, end_state=end_state,
                     end_staff=final.fte_required, end_cost=final.monthly_cost,
                     today_staff=baseline.fte_required, today_cost=baseline.monthly_cost,
                     lost_contacts=max(0.0, lost))
