"""The channel scorer and the decision: explained scores, the best channel set, and keep /
improve / add / retire / skip with the basis of each verdict.

Every score is BASELINE (50) plus the points of each rule in ``data/rules.yaml``; a rule's
points are its share of the remaining 50 (its weight, scaled by the profile's priorities,
over the sum of all scaled weights) times its fit from -1 to +1. So a score is always
within 0-100 and always exactly the sum of its contributions.

The recommended set is then the best of every candidate set under one objective
(:mod:`channelplan.decision`): customer fit, cost and staff from the capacity model,
customers moved and focus, with locks, ``max_channels`` and coverage of every material topic
as hard constraints. Actions follow from membership; robustness is the share of seeded
perturbations of the inputs, thresholds and weights under which each action stays.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from channelplan.catalogue import CHANNEL_IDS, catalogue
from channelplan.decision import PARTS, Evaluation, Search, evaluate, fit_of, search
from channelplan.decision import Problem as SetProblem
from channelplan.errors import Problem
from channelplan.fit import suits, why_not
from channelplan.model import Profile, Topic
from channelplan.rules import (
    BASELINE,
    FCR_BENCHMARK,
    RULE_FUNCTIONS,
    Facts,
    priority_scale,
    rule_catalogue,
    self_service_benchmark,
)
from channelplan.sizing import ChannelModel, blend, channel_model, size_channel
from channelplan.weights import checked_weights
from channelplan.weights import load_weights as load_weights  # its old home; kept importable

SCHEMA = "channelplan/recommendation@2"
CSAT_BENCHMARK = 0.75    # below this measured satisfaction, a kept channel is one to improve
PERTURBATIONS = 24
# One perturbation in four moves the inputs (a full re-score of a changed profile); the others
# move a threshold or the weights, which re-price the main search's sets at little cost.
INPUTS_EVERY = 4
SHORTLIST = 12           # robustness re-prices the best sets of the full search
WEIGHT_JITTER = 0.25
SEED = 20261124
BASES = ("fit", "coverage", "cap", "cost", "lock")
PART_TEXT = {"fit": "customer fit", "cost": "cost", "staff": "staff", "moved": "customers moved",
             "focus": "focus", "risk": "public risk"}


@dataclass(frozen=True)
class Contribution:
    rule: str
    points: float
    detail: str
    fit: float

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "points": round(self.points, 2), "detail": self.detail,
                "fit": round(self.fit, 3)}


@dataclass
class ChannelVerdict:
    channel: str
    name: str
    offered: bool
    share: float
    score: float
    rank: int
    action: str
    reasons: list[str]
    contributions: list[Contribution]
    stability: float | None
    decision: str | None
    covers: list[str] = field(default_factory=list)
    basis: str = "fit"
    forced_by: list[dict[str, Any]] = field(default_factory=list)

    @property
    def robustness(self) -> float | None:
        return self.stability

    def to_dict(self) -> dict[str, Any]:
        return {
            "channel": self.channel,
            "name": self.name,
            "offered": self.offered,
            "share": round(self.share, 4),
            "score": round(self.score, 1),
            "rank": self.rank,
            "action": self.action,
            "basis": self.basis,
            "forced_by": self.forced_by,
            "robustness": None if self.stability is None else round(self.stability, 3),
            "decision": self.decision,
            "reasons": self.reasons,
            "covers": self.covers,
            "contributions": [c.to_dict() for c in self.contributions],
        }


@dataclass
class SetSummary:
    """A channel set sized with the exact capacity model."""

    channels: list[str]
    monthly_cost: float
    staff_required: int
    fte: float
    topics_covered: int
    topics: int

    def to_dict(self) -> dict[str, Any]:
        return {"channels": self.channels, "monthly_cost": round(self.monthly_cost, 2),
                "staff_required": self.staff_required, "fte": round(self.fte, 2),
                "topics_covered": self.topics_covered, "topics": self.topics}


@dataclass
class RunnerUp:
    channels: list[str]
    objective_gap: float
    parts: dict[str, float]
    why: str

    def to_dict(self) -> dict[str, Any]:
        return {"channels": self.channels, "objective_gap": round(self.objective_gap, 4),
                "parts": {k: round(v, 4) for k, v in self.parts.items()}, "why": self.why}


@dataclass
class Recommendation:
    profile: Profile
    channels: list[ChannelVerdict]
    channel_cap: int
    cap_reason: str
    weights: dict[str, float]
    warnings: list[Problem]
    coverage: dict[str, list[str]]
    net: dict[str, Any] = field(default_factory=dict)
    runner_up: RunnerUp | None = None
    objective: dict[str, float] = field(default_factory=dict)

    def verdict(self, channel_id: str) -> ChannelVerdict:
        return next(v for v in self.channels if v.channel == channel_id)

    def recommended_set(self) -> list[str]:
        """Channels kept, improved or added, best first."""
        return [v.channel for v in self.channels if v.action in ("keep", "improve", "add")]

    def retiring(self) -> list[str]:
        return [v.channel for v in self.channels if v.action == "retire"]

    def explain(self) -> list[str]:
        """Why the chosen set beats the runner-up, in plain words that cite the profile."""
        lines = []
        plan = self.net.get("plan", {})
        today = self.net.get("today")
        names = ", ".join(catalogue()[c].name for c in plan.get("channels", []))
        lines.append(f"Recommended set: {names}.")
        if today:
            moved = self.net.get("customers_moved_share", 0.0)
            cur = self.profile.company.currency
            lines.append(
                f"Against today's channels it costs {cur} {plan['monthly_cost']:,.0f} a month "
                f"(today {cur} {today['monthly_cost']:,.0f}), needs {plan['staff_required']} "
                f"full-time people for the staffed channels (today {today['staff_required']}) "
                f"and asks {moved * 100:.0f}% of contacts to move to another channel.")
        if self.runner_up is not None:
            lines.append(self.runner_up.why)
        return lines

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "profile": {"name": self.profile.company.name, "source": self.profile.source},
            "channels": [v.to_dict() for v in self.channels],
            "recommended": self.recommended_set(),
            "net": self.net,
            "runner_up": None if self.runner_up is None else self.runner_up.to_dict(),
            "objective": {k: round(v, 4) for k, v in self.objective.items()},
            "channel_cap": {"max": self.channel_cap, "reason": self.cap_reason},
            "coverage": [{"topic": name, "channels": chans} for name, chans in self.coverage.items()],
            "weights": {k: round(v, 3) for k, v in self.weights.items()},
            "warnings": [w.to_dict() for w in self.warnings],
        }


def _reasons(verdict_action: str, contributions: list[Contribution], note: str,
             topics: Sequence[Topic], cap_reason: str) -> list[str]:
    positive = verdict_action in ("keep", "add", "improve")
    ranked = sorted((c for c in contributions if c.rule != "BASELINE"),
                    key=lambda c: -c.points if positive else c.points)
    lead = []
    if note.startswith("covers:"):
        names = [topics[int(i)].name for i in note[7:].split(",") if i]
        lead.append("needed so that every topic keeps a suitable channel: "
                    + ", ".join(f"'{n}'" for n in names))
    elif note == "cap":
        lead.append(f"a good fit, but cut to keep the set focused ({cap_reason})")
    elif note:
        lead.append(note)
    chosen = [c for c in ranked if (c.points > 0) == positive and abs(c.points) >= 0.05][:3]
    if not chosen:
        chosen = ranked[:2]
    return lead + [c.detail[0].upper() + c.detail[1:] for c in chosen]


def _effective(profile: Profile, weights: Mapping[str, float] | None) -> dict[str, float]:
    return {rid: (weights or {}).get(rid, rule.weight) * priority_scale(profile, rule)
            for rid, rule in rule_catalogue().items()}


def _scores(fits: Mapping[str, Mapping[str, tuple[float, str]]],
            effective: Mapping[str, float]) -> dict[str, float]:
    total = sum(effective.values())
    if total <= 0:
        return {cid: BASELINE for cid in CHANNEL_IDS}
    return {cid: BASELINE + sum(50.0 * effective[r] / total * fits[cid][r][0] for r in effective)
            for cid in CHANNEL_IDS}


def _fits(facts: Facts) -> dict[str, dict[str, tuple[float, str]]]:
    return {cid: {rid: RULE_FUNCTIONS[rid](facts, cid) for rid in rule_catalogue()}
            for cid in CHANNEL_IDS}


def size_set(profile: Profile, evaluation: Evaluation) -> SetSummary:
    """The exact capacity model on a candidate set's volumes (pooled, rounded once)."""
    sized = [size_channel(profile, c, evaluation.volumes.get(c, 0.0)) for c in evaluation.channels]
    blend(profile, sized)
    fte = sum(c.fte for c in sized if c.assisted)
    covered = len(profile.demand.topics) - len(evaluation.uncovered) - len(evaluation.carried_unsuited)
    return SetSummary(channels=list(evaluation.channels),
                      monthly_cost=sum(c.monthly_cost for c in sized),
                      staff_required=max(0, math.ceil(fte - 1e-6)), fte=fte,
                      topics_covered=covered, topics=len(profile.demand.topics))


def _why_runner_up(best: Evaluation, other: Evaluation, profile: Profile) -> str:
    names = ", ".join(catalogue()[c].name for c in other.channels)
    diffs = {k: best.parts[k] - other.parts[k] for k in PARTS}
    worse = sorted((k for k in PARTS if diffs[k] > 1e-4), key=lambda k: -diffs[k])
    better = [k for k in PARTS if diffs[k] < -1e-4]
    added = [catalogue()[c].name for c in other.channels if c not in best.channels]
    dropped = [catalogue()[c].name for c in best.channels if c not in other.channels]
    change = "; ".join(x for x in (f"adds {', '.join(added)}" if added else "",
                                   f"drops {', '.join(dropped)}" if dropped else "") if x)
    cur = profile.company.currency
    detail = []
    for k in worse[:3]:
        if k == "cost":
            detail.append(f"costs about {cur} {abs(other.cost - best.cost):,.0f} a month "
                          + ("more" if other.cost > best.cost else "less, but not enough"))
        elif k == "staff":
            detail.append(f"needs about {abs(other.fte - best.fte):.1f} "
                          + ("more" if other.fte > best.fte else "fewer, but not enough")
                          + " full-time people")
        elif k == "moved":
            detail.append(f"moves {(other.moved - best.moved) * 100:.0f}% more of today's contacts")
        elif k == "fit":
            detail.append("serves the topics less well")
        elif k == "risk":
            detail.append("answers more contacts in public than your appetite for public risk allows")
        elif k == "focus":
            detail.append(f"runs {len(other.channels) - len(best.channels)} more channel"
                          f"{'s' if len(other.channels) - len(best.channels) != 1 else ''}")
    gains = [PART_TEXT[k] for k in better]
    text = (f"The runner-up ({names}{'; ' + change if change else ''}) scores "
            f"{best.objective - other.objective:.3f} lower on the objective: it "
            + ("; ".join(detail) if detail else "is no better on any count"))
    if gains:
        text += f", though it does better on {', '.join(gains)}"
    return text + "."


# What a set gives up on each part of the objective, as the object of "to pay for ..."
PART_COST = {"cost": "its cost", "staff": "the people it needs", "focus": "the attention another "
             "channel takes", "risk": "answering more in public", "moved": "moving customers"}


def _basis(problem: SetProblem, found: Search, cid: str, scores: Mapping[str, float],
           capless: Evaluation | None) -> tuple[str, list[dict[str, Any]], str]:
    """Why the verdict: its basis, the topics that force it (coverage), and for a ``cost``
    basis the note that says which parts of the objective decided it."""
    best = found.best
    if problem.locks.get(cid):
        return "lock", [], ""
    if cid in best.channels:
        forced = [{"topic": t.name, "share": round(t.share, 4)} for t in problem.topics
                  if t.material and t.suits & set(best.channels) == {cid}]
        if forced:
            return "coverage", forced, ""
        others = tuple(c for c in best.channels if c != cid)
        # the fit alone decides most cases: the set is priced only when it could be "cost"
        if others and fit_of(problem, others) >= best.fit - 1e-9:
            without = found.evaluated.get(others) or evaluate(problem, others)
            if without.parts["cost"] + without.parts["staff"] \
                    < best.parts["cost"] + best.parts["staff"]:
                more = [x for x, part in (("cost more", "cost"), ("need more people", "staff"))
                        if without.parts[part] < best.parts[part] - 1e-9]
                return "cost", [], ("customers would be served at least as well without it, but "
                                    f"dropping it would {' and '.join(more)}")
        return "fit", [], ""
    if capless is not None and cid in capless.channels:
        return "cap", [], ""
    more_set = tuple(c for c in CHANNEL_IDS if c in best.channels or c == cid)
    if fit_of(problem, more_set) > best.fit + 1e-9:
        with_it = found.evaluated.get(more_set) or evaluate(problem, more_set)
        worse = sorted((k for k in PART_COST if with_it.parts[k] < best.parts[k] - 1e-9),
                       key=lambda k: with_it.parts[k] - best.parts[k])
        paid = " and ".join(PART_COST[k] for k in worse) or "what it takes"
        return "cost", [], f"it would serve customers better, but not enough to pay for {paid}"
    return "fit", [], ""


def _improve(profile: Profile, facts: Facts, cid: str) -> str:
    """Why a kept channel should improve: measured performance below its own kind's
    benchmark ('' when it need not)."""
    offer = profile.channels.offered().get(cid)
    if offer is None:
        return ""
    poor = []
    if catalogue()[cid].kind == "self_service":
        bench = self_service_benchmark(facts, cid)
        if offer.resolution_rate is not None and offer.resolution_rate < bench - 1e-9:
            poor.append(f"contains {offer.resolution_rate * 100:.0f}%, below the {bench * 100:.0f}% "
                        "its kind usually contains for your topics")
    elif offer.resolution_rate is not None and offer.resolution_rate < FCR_BENCHMARK:
        poor.append(f"first-contact resolution {offer.resolution_rate * 100:.0f}% is below the "
                    f"{FCR_BENCHMARK * 100:.0f}% average (SQM Group)")
    if offer.csat is not None and offer.csat < CSAT_BENCHMARK:
        poor.append(f"satisfaction {offer.csat * 100:.0f}% is below {CSAT_BENCHMARK * 100:.0f}%")
    return "; ".join(poor)


def _models(profile: Profile) -> dict[str, ChannelModel]:
    return {c: channel_model(profile, c) for c in CHANNEL_IDS}


def _decide(profile: Profile, scores: Mapping[str, float], models: Mapping[str, ChannelModel],
            shortlist: Sequence[tuple[str, ...]] | None = None, keep: int | None = None,
            **overrides: Any) -> tuple[SetProblem, Search]:
    problem = SetProblem.build(profile, scores, models, **overrides)
    return problem, search(problem, shortlist, keep=keep)


def _actions(profile: Profile, best: Evaluation, facts: Facts) -> dict[str, str]:
    offered = profile.channels.offered()
    actions = {}
    for cid in CHANNEL_IDS:
        if cid in best.channels:
            actions[cid] = "keep" if cid in offered else "add"
            if actions[cid] == "keep" and _improve(profile, facts, cid):
                actions[cid] = "improve"
        else:
            actions[cid] = "retire" if cid in offered else "skip"
    return actions


def _perturbed(profile: Profile, rng: random.Random) -> Profile:
    """The profile with its inputs moved within what a support lead could be wrong about:
    each share and volume +-10%, agents +-10%, one priority +-1, the age mix +-5 points,
    digital maturity one step where the profile states it."""
    data = profile.model_dump(by_alias=True, exclude_none=True, mode="json")
    for offer in (data.get("channels") or {}).values():
        if offer.get("patience") is not None and not isinstance(offer["patience"], (int, float)):
            offer["patience"] = "none"         # infinite patience: nobody hangs up
    demand = data["demand"]
    demand["contacts_per_month"] = demand["contacts_per_month"] * rng.uniform(0.9, 1.1)
    shares = [t["share"] * rng.uniform(0.9, 1.1) for t in demand["topics"]]
    for t, share in zip(demand["topics"], shares, strict=True):
        t["share"] = share / sum(shares)
    channels = data.get("channels") or {}
    if channels:
        moved = {c: o["share"] * rng.uniform(0.9, 1.1) for c, o in channels.items()}
        total = sum(moved.values()) or 1.0
        for c in channels:
            channels[c]["share"] = moved[c] / total
    constraints = data.setdefault("constraints", {})
    if constraints.get("agents") is not None:
        constraints["agents"] = constraints["agents"] * rng.uniform(0.9, 1.1)
    priorities = data.setdefault("priorities", {})
    name = rng.choice(["cost", "speed", "effort", "satisfaction", "reach"])
    priorities[name] = max(0, min(5, profile.priorities.get(name) + rng.choice((-1, 1))))
    customers = data.setdefault("customers", {})
    if customers.get("age_mix"):
        mix = customers["age_mix"]
        bands = list(mix)
        a, b = rng.sample(bands, 2)
        step = min(0.05, mix[a])
        mix[a] -= step
        mix[b] += step
    if "digital_maturity" in profile.customers.model_fields_set:
        levels = ["low", "medium", "high"]
        at = levels.index(profile.customers.digital_maturity)
        customers["digital_maturity"] = levels[max(0, min(2, at + rng.choice((-1, 1))))]
    moved_profile = Profile.model_validate(data)
    moved_profile._source = profile.source
    moved_profile._locate = profile._locate
    return moved_profile


def recommend(profile: Profile, weights: Mapping[str, float] | None = None,
              *, robustness: bool = True) -> Recommendation:
    """Score every catalogue channel for ``profile``, choose the best channel set and say what
    to do with each channel.

    ``weights`` overrides rule weights by rule id. The result's ``to_dict()`` is the
    ``channelplan/recommendation@2`` JSON document.
    """
    weights = checked_weights(weights)
    # One straight-line capacity model per channel (two exact sizings each) serves the
    # STAFFING and COST rules, the set search and robustness; the chosen set and today's are
    # sized exactly below.
    models = _models(profile)
    facts = Facts(profile, models=models)
    effective = _effective(profile, weights)
    fits = _fits(facts)
    scores = _scores(fits, effective)
    # The runner-up needs the best two sets ranked exactly; robustness and the lock checks
    # re-price the best SHORTLIST.
    locked = any(offer.decision for offer in profile.channels.offered().values())
    problem, found = _decide(profile, scores, models,
                             keep=SHORTLIST if robustness or locked else 2)
    best = found.best
    actions = _actions(profile, best, facts)
    topics = profile.demand.topics
    offered = profile.channels.offered()
    locks = problem.locks

    capless = None
    if profile.constraints.max_channels is not None and len(best.channels) >= problem.max_channels:
        capless = search(problem.variant(max_channels=len(CHANNEL_IDS)), keep=1, seed=found).best

    stability: dict[str, float | None] = {cid: None for cid in CHANNEL_IDS}
    if robustness:
        shortlist = found.ranked[:SHORTLIST]
        if found.today is not None and found.today.channels not in shortlist:
            shortlist.append(found.today.channels)
        stability = _robustness(profile, weights, effective, fits, models, actions, shortlist,
                                problem, found.evaluated)

    warnings: list[Problem] = list(profile.warnings)
    final = list(best.channels)
    for cid, decision in locks.items():
        line, column = profile.locate(("channels", cid, "decision"))
        alt = problem.variant(locks={k: v for k, v in problem.locks.items() if k != cid})
        # the near-best sets with and without the channel: where the lock could matter
        near = found.ranked[:SHORTLIST]
        toggled = [tuple(c for c in CHANNEL_IDS if (c in s) != (c == cid)) for s in near]
        free = search(alt, [*near, *toggled], priced=found.evaluated).best
        would = cid in free.channels
        if decision == "keep" and not would:
            warnings.append(Problem(profile.source, line, column,
                                    f"{cid} is locked to keep, but the best set without the lock "
                                    "leaves it out; kept as decided"))
        elif decision == "retire" and would:
            warnings.append(Problem(profile.source, line, column,
                                    f"{cid} is locked to retire, but the best set without the lock "
                                    "keeps it; retired as decided"))
    coverage = {t.name: [c for c in final if suits(profile, c, t)] for t in topics}
    for cid, decision in locks.items():
        if decision != "retire":
            continue
        for facts_t in problem.topics:
            if not facts_t.material or cid not in facts_t.suits:
                continue
            staying = [c for c in offered if c != cid and c in final and c in facts_t.suits]
            added = [c for c in final if c not in offered and c in facts_t.suits]
            if staying or not added:
                continue   # still served by a channel offered today, or warned about below
            warnings.append(Problem(
                profile.source, *profile.locate(("channels", cid, "decision")),
                f"the locked retirement of {cid} leaves topic '{facts_t.name}' "
                f"({facts_t.share * 100:.0f}% of contacts) at risk: no other channel offered "
                f"today suits it, so the plan adds {', '.join(catalogue()[c].name for c in added)}; "
                "provide it before announcing"))
    for index, topic in enumerate(topics):
        if coverage[topic.name]:
            continue
        fallback = sorted(final, key=lambda c: -problem.topics[index].fit[c])[:1]
        coverage[topic.name] = fallback
        material = problem.topics[index].material
        reason = why_not(profile, fallback[0], topic) if fallback else "no channel is kept"
        locked_out = [c for c, d in locks.items() if d == "retire" and suits(profile, c, topic)]
        message = (f"no recommended channel fully suits topic '{topic.name}' "
                   f"({topic.share * 100:.0f}% of contacts)"
                   + (f": {catalogue()[fallback[0]].name} carries it but {reason}" if fallback else ""))
        if locked_out and material:
            message += (f"; the locked retirement of {', '.join(locked_out)} leaves it at risk: "
                        "provide a suited channel before announcing")
        elif not material:
            message += (f"; under min_topic_share "
                        f"({problem.min_topic_share * 100:g}%), so it does not force a channel in")
        warnings.append(Problem(profile.source, *profile.locate(("demand", "topics", index, "name")),
                                message))

    today_summary = size_set(profile, found.today) if found.today is not None else None
    plan_summary = size_set(profile, best)
    net: dict[str, Any] = {
        "today": None if today_summary is None else today_summary.to_dict(),
        "plan": plan_summary.to_dict(),
        "customers_moved_share": round(best.moved, 4),
        "agents": profile.constraints.agents,
        "monthly_budget": profile.constraints.monthly_budget,
    }
    runner = None
    if found.runner_up is not None:
        other = found.runner_up
        runner = RunnerUp(channels=list(other.channels), objective_gap=best.objective - other.objective,
                          parts={k: best.parts[k] - other.parts[k] for k in PARTS},
                          why=_why_runner_up(best, other, profile))

    ordered = sorted(CHANNEL_IDS, key=lambda c: (-scores[c], CHANNEL_IDS.index(c)))
    total_eff = sum(effective.values())
    verdicts = []
    hard = problem.max_channels
    cap_reason = (f"your profile allows at most {hard}" if profile.constraints.max_channels is not None
                  else "no cap on channels: the objective's focus charge keeps the set small")
    for rank, cid in enumerate(ordered, start=1):
        contributions = [Contribution("BASELINE", BASELINE, "every channel starts neutral at 50", 0.0)]
        for rid in effective:
            fit, detail = fits[cid][rid]
            points = 50.0 * effective[rid] / total_eff * fit if total_eff > 0 else 0.0
            contributions.append(Contribution(rid, points, detail, fit))
        action = actions[cid]
        basis, forced, why_cost = _basis(problem, found, cid, scores, capless)
        note = ""
        if basis == "lock":
            note = f"locked by decision: {locks[cid]}"
        elif basis == "coverage":
            note = "covers:" + ",".join(str(i) for i, t in enumerate(topics)
                                        if any(f["topic"] == t.name for f in forced))
        elif basis == "cap":
            note = "cap"
        elif basis == "cost" and action == "add":
            note = "adding it saves more cost and staff elsewhere than it takes"
        elif basis == "cost":
            note = why_cost
        if action == "improve":
            note = ("kept, but it performs poorly: " if scores[cid] < BASELINE
                    else "a good fit that performs poorly: ") + _improve(profile, facts, cid)
        offer = offered.get(cid)
        verdicts.append(ChannelVerdict(
            channel=cid, name=catalogue()[cid].name, offered=offer is not None,
            share=offer.share if offer else 0.0, score=round(scores[cid], 1), rank=rank,
            action=action, reasons=_reasons(action, contributions, note, topics, cap_reason),
            contributions=contributions, stability=stability[cid], decision=locks.get(cid),
            covers=[t.name for t in topics if suits(profile, cid, t)],
            basis=basis, forced_by=forced,
        ))
    if found.relaxed:
        warnings.append(Problem(profile.source, *profile.locate(("demand", "topics")),
                                "no allowed channel set carries every material topic with a suited "
                                "channel; the plan keeps the fewest topics at risk"))
    return Recommendation(profile=profile, channels=verdicts, channel_cap=hard,
                          cap_reason=cap_reason, weights=effective, warnings=warnings,
                          coverage=coverage, net=net, runner_up=runner,
                          objective=dict(best.parts))


def _robustness(profile: Profile, weights: Mapping[str, float] | None,
                effective: Mapping[str, float], fits: Mapping[str, Mapping[str, tuple[float, str]]],
                models: Mapping[str, ChannelModel], actions: Mapping[str, str],
                shortlist: Sequence[tuple[str, ...]], base: SetProblem,
                priced: Mapping[tuple[str, ...], Evaluation]) -> dict[str, float | None]:
    """Share of seeded perturbations (inputs, thresholds, weights) under which each action
    stays. Perturbed profiles are re-scored with every rule; the best sets of the full search
    (``shortlist``) are priced again with the same straight-line capacity models and the best
    of them wins, so the check stays fast: a small change of inputs moves the winner among
    the sets that were already close."""
    rng = random.Random(SEED)
    same = {cid: 0 for cid in CHANNEL_IDS}
    runs = 0
    base_threshold = profile.constraints.min_topic_share
    facts = Facts(profile, models=models)
    for index in range(PERTURBATIONS):
        # inputs, then thresholds and weights in turn: 6, 9 and 9 of the 24
        kind = 0 if index % INPUTS_EVERY == 0 else 1 + (index - index // INPUTS_EVERY - 1) % 2
        try:
            if kind == 0:      # inputs
                moved = _perturbed(profile, rng)
                moved_facts = Facts(moved, models=models)
                eff = _effective(moved, weights)
                scores = _scores(_fits(moved_facts), eff)
                _, found = _decide(moved, scores, models, shortlist)
                trial = _actions(moved, found.best, moved_facts)
            elif kind == 1:    # thresholds
                threshold = max(0.0, base_threshold + rng.uniform(-0.02, 0.02))
                cap = profile.constraints.max_channels
                cap = None if cap is None else max(1, min(len(CHANNEL_IDS), cap + rng.choice((-1, 0, 1))))
                found = search(base.variant(min_topic_share=threshold, max_channels=cap), shortlist,
                               priced)
                trial = _actions(profile, found.best, facts)
            else:              # weights
                eff = {r: w * rng.uniform(1 - WEIGHT_JITTER, 1 + WEIGHT_JITTER) for r, w in effective.items()}
                found = search(base.variant(scores=_scores(fits, eff)), shortlist, priced)
                trial = _actions(profile, found.best, facts)
        except ValueError:
            continue
        runs += 1
        for cid in CHANNEL_IDS:
            same[cid] += trial[cid] == actions[cid]
    return {cid: (same[cid] / runs if runs else None) for cid in CHANNEL_IDS}
