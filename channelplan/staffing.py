"""Capacity of a whole plan: the channels of a profile sized together, pooled and priced.

One channel is sized by :mod:`channelplan.sizing` (Erlang A live queues, backlog workload,
self-service containment). A plan adds what the channels hand each other and rounds once:

* **Volumes**: each channel's share of the month's contacts; what self-service channels do
  not contain is handed over to the staffed channels offered, in proportion to their shares.
* **Pooling**: the staffed channels share one pool of agents. Fractional positions (backlog
  workload, FTE) are summed and rounded up once for the pool, never per channel or per
  hour (rounding each queue first overstaffs small teams).
* **Supply**: productive agents on duty in the busiest hour come from the roster (agents x
  (1 - shrinkage), spread over the open hours with the peak allowance) and never exceed
  agents x (1 - shrinkage); the pool's busiest-hour requirement is checked against it, and
  its FTE against the agents.
* **Cost**: the channels' monthly costs (staff hours x ``agent_cost_per_hour`` + fixed +
  fees, or contacts x cost per contact), checked against ``monthly_budget``.

This module sits above the scorer: a greenfield profile is sized on the recommended set.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from channelplan.catalogue import CHANNEL_IDS, catalogue
from channelplan.errors import ArgumentError
from channelplan.model import Profile
from channelplan.sizing import (
    MODELS,
    ChannelCapacity,
    ChannelParams,
    Supply,
    blend,
    channel_params,
    current_volumes,
    on_duty,
    size_channel,
    supply,
    with_handovers,
)

SCHEMA = "channelplan/capacity@2"


def _up(value: float) -> int:
    """Round a pooled requirement up once (a hair of float noise is not another person)."""
    return max(0, math.ceil(value - 1e-6))


@dataclass
class CapacityPlan:
    profile_name: str
    source: str
    currency: str
    basis: str
    model: str
    channels: list[ChannelCapacity]
    supply: Supply | None
    monthly_budget: float | None
    shrinkage: float
    priced_by_hour: bool
    blended_fte: float = 0.0
    shifts: list[dict[str, Any]] = field(default_factory=list)
    baseline: CapacityPlan | None = None
    warnings: list[Any] = field(default_factory=list)

    # --- pooled totals, rounded once ---------------------------------------------------
    @property
    def agents_at_peak(self) -> int:
        """Productive agents the staffed channels need together in the busiest hour."""
        return _up(sum(c.agents_required for c in self.channels if c.assisted))

    @property
    def staff_required(self) -> int:
        """People rostered in the busiest hour, after shrinkage, for the whole pool."""
        return _up(sum(c.staff_required for c in self.channels if c.assisted))

    @property
    def fte(self) -> float:
        return sum(c.fte for c in self.channels if c.assisted)

    @property
    def fte_required(self) -> int:
        return _up(self.fte)

    @property
    def content_staff(self) -> float:
        return round(sum(c.fte for c in self.channels if not c.assisted), 2)

    @property
    def monthly_cost(self) -> float:
        return sum(c.monthly_cost for c in self.channels)

    @property
    def agents_available(self) -> float | None:
        return None if self.supply is None else self.supply.agents

    @property
    def on_call(self) -> bool:
        """Whether a live queue is covered on call for the hours the team cannot be on duty
        (:func:`~channelplan.sizing.size_channel`)."""
        return any(c.on_call_share > 0 for c in self.channels)

    @property
    def on_duty_available(self) -> float | None:
        """Agents who can answer in the busiest hour: those the roster puts on duty, or the
        whole team when it covers a live queue on call."""
        if self.supply is None:
            return None
        if self.on_call:
            return max(self.supply.peak_on_duty, self.supply.agents)
        return self.supply.peak_on_duty

    @property
    def within_agents(self) -> bool | None:
        available = self.on_duty_available
        if self.supply is None or available is None:
            return None
        return (self.agents_at_peak <= available + 1e-6
                and self.fte <= self.supply.agents + 1e-6)

    @property
    def within_budget(self) -> bool | None:
        if self.monthly_budget is None:
            return None
        return self.monthly_cost <= self.monthly_budget + 1e-9

    @property
    def surges(self) -> list[ChannelCapacity]:
        return [c for c in self.channels if c.surge]

    def channel(self, channel_id: str) -> ChannelCapacity | None:
        return next((c for c in self.channels if c.channel == channel_id), None)

    def totals(self) -> dict[str, Any]:
        # a contact self-service hands over is counted again on the staffed channel that
        # answers it: the customers' own contacts are the channels' volumes less those
        contacts = (sum(c.contacts_per_month for c in self.channels)
                    - sum(c.handed_over for c in self.channels))
        resolved = sum(c.resolved_per_month for c in self.channels)
        out: dict[str, Any] = {
            "agents_at_peak": self.agents_at_peak,
            "staff_required": self.staff_required,
            "fte": round(self.fte, 2),
            "fte_required": self.fte_required,
            "content_staff": self.content_staff,
            "blended_fte": round(self.blended_fte, 2),
            "monthly_cost": round(self.monthly_cost, 2),
            "cost_per_contact": round(self.monthly_cost / contacts, 2) if contacts else None,
            "cost_per_resolved": round(self.monthly_cost / resolved, 2) if resolved else None,
            "agents_available": self.agents_available,
            "on_duty_available": (None if self.on_duty_available is None
                                  else round(self.on_duty_available, 1)),
            "within_agents": self.within_agents,
            "monthly_budget": self.monthly_budget,
            "within_budget": self.within_budget,
        }
        if self.baseline is not None:
            out["change"] = {
                "agents_at_peak": self.agents_at_peak - self.baseline.agents_at_peak,
                "staff_required": self.staff_required - self.baseline.staff_required,
                "fte": round(self.fte - self.baseline.fte, 2),
                "monthly_cost": round(self.monthly_cost - self.baseline.monthly_cost, 2),
            }
        return out

    def to_dict(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "schema": SCHEMA,
            "profile": {"name": self.profile_name, "source": self.source},
            "currency": self.currency,
            "basis": self.basis,
            "model": self.model,
            "pricing": "staff hours x agent_cost_per_hour + fixed + fees per contact"
                       if self.priced_by_hour else "contacts x cost per contact + fixed",
            "supply": None if self.supply is None else self.supply.to_dict(),
            "shrinkage": self.shrinkage,
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


Shift = tuple[str, str]


def apply_shifts(profile: Profile, volumes: Mapping[str, float], shifts: Mapping[Shift, float],
                 *, returns: bool = True) -> tuple[dict[str, float], list[dict[str, Any]]]:
    """Move shares of each FROM channel's volume to TO. Contacts moved to a self-service
    channel that it does not contain come back: to the channel they came from (``returns``),
    or, when the plan hands self-service contacts over anyway, through that hand-over."""
    result = dict(volumes)
    moved_from: dict[str, float] = {}
    notes = []
    for (source, target), share in shifts.items():
        if volumes.get(source, 0) <= 0:
            raise ArgumentError("shifts", f"{source}:{target}: {source} carries no contacts in this "
                                          "profile")
        moved_from[source] = moved_from.get(source, 0.0) + share
        if moved_from[source] > 1 + 1e-9:
            raise ArgumentError("shifts", f"more than 100% of {source}'s volume is moved")
        moved = volumes[source] * share
        result[source] -= moved
        result[target] = result.get(target, 0.0) + moved
        returned = 0.0
        if catalogue()[target].kind == "self_service":
            returned = moved * (1 - channel_params(profile, target).resolution_rate)
            if returns:
                result[source] += returned
        notes.append({"from": source, "to": target, "share": share,
                      "contacts_moved": round(moved, 1), "contacts_returned": round(returned, 1)})
    return result, notes


def plan_for_volumes(profile: Profile, volumes: Mapping[str, float], basis: str, *,
                     model: str = "erlang-a", agents: Mapping[str, int] | None = None,
                     handovers: bool = False) -> CapacityPlan:
    """Size every channel in ``volumes`` (monthly contacts each receives).

    ``handovers`` first adds what self-service channels hand over to the staffed ones (for
    volumes as the profile states them; allocated volumes already include them)."""
    if model not in MODELS:
        raise ArgumentError("model", f"unknown queueing model {model!r}; choose {' or '.join(MODELS)}")
    if handovers:
        volumes = with_handovers(profile, volumes)
    given = dict(agents or {})
    channels = [size_channel(profile, cid, volumes[cid], model=model, agents=given.get(cid))
                for cid in CHANNEL_IDS if cid in volumes]
    blended = blend(profile, channels)
    return CapacityPlan(
        profile_name=profile.company.name, source=profile.source,
        currency=profile.company.currency, basis=basis, model=model, channels=channels,
        supply=supply(profile), monthly_budget=profile.constraints.monthly_budget,
        shrinkage=profile.constraints.shrinkage,
        priced_by_hour=profile.constraints.agent_cost_per_hour is not None,
        blended_fte=blended, warnings=list(profile.warnings),
    )


def capacity(profile: Profile, shifts: Mapping[Shift, float] | None = None,
             *, volumes: Mapping[str, float] | None = None, model: str = "erlang-a",
             agents: Mapping[str, int] | None = None) -> CapacityPlan:
    """Staffing, service level, abandonment, occupancy and monthly cost per channel.

    By default the channels offered today are sized with their current volumes plus what
    self-service hands over; a greenfield profile (no channels) is sized on the recommended
    set. ``shifts`` maps ``(from, to)`` to the share of FROM's volume to move first (a
    what-if); the result then carries the plan without the shift as ``baseline`` and the
    change per channel. ``volumes`` sizes an explicit monthly volume per channel instead.
    ``model`` is ``erlang-a`` (default) or ``erlang-c``; ``agents`` maps a live channel to
    the agents on duty in its busiest hour, to see what they achieve.
    """
    basis = "given volumes"
    handovers = False
    if volumes is None:
        volumes = current_volumes(profile)
        basis, handovers = "current channels", True
        if not volumes:
            from channelplan.allocation import allocate
            from channelplan.scoring import recommend

            kept = recommend(profile, robustness=False).recommended_set()
            volumes = allocate(profile, kept)
            basis, handovers = "recommended channels", False
    plan = plan_for_volumes(profile, volumes, basis, model=model, agents=agents,
                            handovers=handovers)
    if agents:
        missing = [cid for cid in agents if plan.channel(cid) is None]
        if missing:
            raise ArgumentError("agents", f"{', '.join(missing)} carries no contacts in this profile")
    if shifts:
        shifted, notes = apply_shifts(profile, volumes, shifts, returns=not handovers)
        what_if = plan_for_volumes(profile, shifted, basis + " with shifts", model=model,
                                   agents=agents, handovers=handovers)
        what_if.shifts = notes
        what_if.baseline = plan
        for item in what_if.channels:
            before = plan.channel(item.channel)
            item.change = {
                "contacts_per_month": item.contacts_per_month - (before.contacts_per_month if before else 0),
                "fte": item.fte - (before.fte if before else 0),
                "staff_required": item.staff_required - (before.staff_required if before else 0),
                "monthly_cost": item.monthly_cost - (before.monthly_cost if before else 0),
            }
        plan = what_if
    return plan


__all__ = ["CapacityPlan", "ChannelCapacity", "ChannelParams", "apply_shifts", "capacity",
           "channel_params", "current_volumes", "on_duty", "plan_for_volumes", "size_channel",
           "with_handovers"]
