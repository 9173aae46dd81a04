"""The channel scorer: explained scores, ranks and keep / improve / add / retire / skip.

Every score is BASELINE (50) plus the points of each rule in ``data/rules.yaml``; a rule's
points are its share of the remaining 50 (its weight, scaled by the profile's priorities,
over the sum of all scaled weights) times its fit from -1 to +1. So a score is always
within 0-100 and always exactly the sum of its contributions.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from channelplan.catalogue import ASSISTED, CHANNEL_IDS, catalogue
from channelplan.errors import Problem
from channelplan.fit import suits, topic_fit, why_not
from channelplan.model import Profile, Topic
from channelplan.rules import BASELINE, RULE_FUNCTIONS, Facts, priority_scale, rule_catalogue
from channelplan.weights import checked_weights
from channelplan.weights import load_weights as load_weights  # its old home; kept importable

KEEP_MIN = 50.0      # an offered channel scoring below this is a poor fit
ADD_MIN = 60.0       # a channel not offered needs a strong fit to be added
THIN_SHARE = 0.10    # a staffed channel carrying less than this, at a cost per contact no
                     # lower than the other staffed channels', must fit like a new one
MIN_ON_DUTY_PER_CHANNEL = 2.0   # a live or backlog channel needs someone on it and cover
SELF_SERVICE_ALLOWANCE = 2      # self-service channels allowed beyond the assisted ones
IMPROVE_BELOW = {"csat": 0.75, "resolution_rate": 0.65}
PERTURBATIONS = 200
PERTURBATION = 0.25
SEED = 20261124


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

    def to_dict(self) -> dict[str, Any]:
        return {
            "channel": self.channel,
            "name": self.name,
            "offered": self.offered,
            "share": round(self.share, 4),
            "score": round(self.score, 1),
            "rank": self.rank,
            "action": self.action,
            "stability": None if self.stability is None else round(self.stability, 3),
            "decision": self.decision,
            "reasons": self.reasons,
            "covers": self.covers,
            "contributions": [c.to_dict() for c in self.contributions],
        }


@dataclass
class Recommendation:
    profile: Profile
    channels: list[ChannelVerdict]
    channel_cap: int
    cap_reason: str
    weights: dict[str, float]
    warnings: list[Problem]
    coverage: dict[str, list[str]]

    def verdict(self, channel_id: str) -> ChannelVerdict:
        return next(v for v in self.channels if v.channel == channel_id)

    def recommended_set(self) -> list[str]:
        """Channels kept, improved or added, best first."""
        return [v.channel for v in self.channels if v.action in ("keep", "improve", "add")]

    def retiring(self) -> list[str]:
        return [v.channel for v in self.channels if v.action == "retire"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": "channelplan/recommendation@1",
            "profile": {"name": self.profile.company.name, "source": self.profile.source},
            "channels": [v.to_dict() for v in self.channels],
            "recommended": self.recommended_set(),
            "channel_cap": {"max": self.channel_cap, "reason": self.cap_reason},
            "coverage": [{"topic": name, "channels": chans} for name, chans in self.coverage.items()],
            "weights": {k: round(v, 3) for k, v in self.weights.items()},
            "warnings": [w.to_dict() for w in self.warnings],
        }


def _caps(profile: Profile, facts: Facts) -> tuple[int, int, int, str]:
    """(hard cap, soft total cap, soft cap on assisted channels, why).

    The hard cap is ``max_channels``: never exceeded. The soft caps keep the set in
    proportion to the team; covering every topic may go beyond them."""
    assisted_cap = len(ASSISTED)
    why = "no limit on channels or agents given"
    if facts.on_duty is not None:
        assisted_cap = max(1, min(len(ASSISTED), math.floor(facts.on_duty / MIN_ON_DUTY_PER_CHANNEL)))
        why = (f"about {facts.on_duty:.0f} agent{'s' if round(facts.on_duty) != 1 else ''} on duty "
               f"at the busiest hour can run "
               f"{assisted_cap} assisted channel{'s' if assisted_cap != 1 else ''} "
               f"(at least {MIN_ON_DUTY_PER_CHANNEL:g} people each)")
    total = min(len(CHANNEL_IDS), assisted_cap + SELF_SERVICE_ALLOWANCE)
    if facts.on_duty is None:
        total = len(CHANNEL_IDS)
    cap = profile.constraints.max_channels
    hard = cap if cap is not None else len(CHANNEL_IDS)
    if cap is not None and cap < total:
        total, why = cap, f"max_channels is {cap}"
    return hard, total, assisted_cap, why


def _thin_and_costly(facts: Facts) -> list[str]:
    """Staffed channels that carry under THIN_SHARE of contacts and cost at least as much per
    contact as the other staffed channels offered: they cost more than they carry."""
    staffed = [c for c in facts.offered if c in ASSISTED]
    out = []
    for cid in staffed:
        others = [facts.params[c].cost_per_contact for c in staffed if c != cid]
        if (facts.offered[cid].share < THIN_SHARE and others
                and facts.params[cid].cost_per_contact >= sum(others) / len(others)):
            out.append(cid)
    return out


def _topic_order(topics: Sequence[Topic]) -> list[int]:
    rank = {"financial": 0, "personal": 1, "none": 2}
    return sorted(range(len(topics)), key=lambda i: (rank[topics[i].sensitivity], -topics[i].share))


@dataclass(frozen=True)
class _Problem:
    """Everything selection needs, fixed for a profile (only scores vary)."""

    offered: frozenset[str]
    thin: frozenset[str]
    locks: Mapping[str, str]
    hard_cap: int
    total_cap: int
    assisted_cap: int
    suited: tuple[frozenset[str], ...]          # per topic: channels that suit it
    best_fit: tuple[tuple[str, ...], ...]       # per topic: channels by graded fit, best first
    shares: tuple[float, ...]
    order: tuple[int, ...]


def _select(problem: _Problem, scores: Mapping[str, float]) -> tuple[dict[str, str], dict[str, str]]:
    """Choose the recommended set; returns (channel -> action, channel -> note)."""
    selected: list[str] = [c for c in CHANNEL_IDS if problem.locks.get(c) == "keep"]
    notes: dict[str, str] = {c: "locked by decision: keep" for c in selected}
    banned = {c for c, d in problem.locks.items() if d == "retire"}

    def room(channel: str, soft: bool = True) -> bool:
        if len(selected) >= (problem.total_cap if soft else problem.hard_cap):
            return False
        if not soft:
            return True
        if channel in ASSISTED:
            return sum(1 for c in selected if c in ASSISTED) < problem.assisted_cap
        return True

    def eligible(channel: str) -> bool:
        # A channel offered today stays on a fair fit; a new one, or a thin and costly
        # staffed one (see _thin_and_costly), must earn its place with a strong fit.
        established = channel in problem.offered and channel not in problem.thin
        return scores[channel] >= (KEEP_MIN if established else ADD_MIN)

    # 1. The best fits, best score first, as far as the caps allow.
    for channel in sorted(CHANNEL_IDS, key=lambda c: -scores[c]):
        if channel in selected or channel in banned or not eligible(channel):
            continue
        if room(channel):
            selected.append(channel)
        elif channel in problem.offered:
            notes[channel] = "cap"

    def covered(i: int, chosen: list[str]) -> bool:
        return bool(problem.suited[i] & set(chosen))

    # 2. Coverage: every topic keeps a kept or added channel suited to its urgency,
    #    sensitivity and complexity. Add the best suited channel; when the caps are full,
    #    swap out the weakest channel whose topics stay covered without it.
    for i in problem.order:
        if covered(i, selected):
            continue
        uncovered = [j for j in problem.order if not covered(j, selected)]
        options = sorted(
            (c for c in problem.suited[i] if c not in selected and c not in banned),
            # A good fit first; then one offered today (keeping costs customers less than
            # moving them); then the one covering most contacts, weighted by its score.
            key=lambda c: (-eligible(c), -(c in problem.offered),
                           -sum(problem.shares[j] for j in uncovered
                                if c in problem.suited[j]) * (0.5 + scores[c] / 100),
                           -scores[c]))
        for option in options:
            # Within the team's capacity if possible; else swap out the weakest channel
            # whose topics stay covered; else beyond the team's comfort, up to max_channels.
            if room(option):
                selected.append(option)
                break
            victims = sorted((c for c in selected if c not in problem.locks),
                             key=lambda c: scores[c])
            swapped = False
            for victim in victims:
                trial = [c for c in selected if c != victim]
                if all(covered(j, trial + [option]) for j in problem.order if covered(j, selected)):
                    selected = trial + [option]
                    if victim in problem.offered:
                        notes[victim] = "cap"
                    swapped = True
                    break
            if swapped:
                break
            if room(option, soft=False):
                selected.append(option)
                break
        else:
            continue
        notes[selected[-1]] = "covers:" + ",".join(
            str(j) for j in uncovered if selected[-1] in problem.suited[j])
    # Topics no channel suits at all: the best graded fit carries them, if there is room.
    for i in problem.order:
        if covered(i, selected):
            continue
        best = next((c for c in problem.best_fit[i] if c not in banned), None)
        if best is not None and best not in selected and room(best, soft=False):
            selected.append(best)
            notes[best] = f"covers:{i}"
    actions = {}
    for channel in CHANNEL_IDS:
        if channel in selected:
            actions[channel] = "keep" if channel in problem.offered else "add"
        else:
            actions[channel] = "retire" if channel in problem.offered else "skip"
    return actions, notes


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


def recommend(profile: Profile, weights: Mapping[str, float] | None = None,
              *, robustness: bool = True) -> Recommendation:
    """Score every catalogue channel for ``profile`` and say what to do with each.

    ``weights`` overrides rule weights by rule id. The result's ``to_dict()`` is the
    ``channelplan/recommendation@1`` JSON document.
    """
    weights = checked_weights(weights)
    rules = rule_catalogue()
    facts = Facts(profile)
    effective = {rid: (weights or {}).get(rid, rule.weight) * priority_scale(profile, rule)
                 for rid, rule in rules.items()}
    fits: dict[str, dict[str, tuple[float, str]]] = {
        cid: {rid: RULE_FUNCTIONS[rid](facts, cid) for rid in rules} for cid in CHANNEL_IDS}

    def scores_for(eff: Mapping[str, float]) -> dict[str, float]:
        total = sum(eff.values())
        if total <= 0:
            return {cid: BASELINE for cid in CHANNEL_IDS}
        return {cid: BASELINE + sum(50.0 * eff[r] / total * fits[cid][r][0] for r in rules)
                for cid in CHANNEL_IDS}

    topics = profile.demand.topics
    offered = profile.channels.offered()
    locks = {cid: offer.decision for cid, offer in offered.items() if offer.decision}
    hard_cap, total_cap, assisted_cap, cap_reason = _caps(profile, facts)
    problem = _Problem(
        offered=frozenset(offered),
        thin=frozenset(_thin_and_costly(facts)), locks=locks,
        hard_cap=hard_cap, total_cap=total_cap, assisted_cap=assisted_cap,
        suited=tuple(frozenset(c for c in CHANNEL_IDS if suits(profile, c, t)) for t in topics),
        best_fit=tuple(tuple(sorted(CHANNEL_IDS, key=lambda c: -topic_fit(profile, c, t)))
                       for t in topics),
        shares=tuple(t.share for t in topics), order=tuple(_topic_order(topics)),
    )
    scores = scores_for(effective)
    actions, notes = _select(problem, scores)

    stability: dict[str, float | None] = {cid: None for cid in CHANNEL_IDS}
    if robustness:
        rng = random.Random(SEED)
        same = {cid: 0 for cid in CHANNEL_IDS}
        for _ in range(PERTURBATIONS):
            eff = {r: w * rng.uniform(1 - PERTURBATION, 1 + PERTURBATION) for r, w in effective.items()}
            trial, _notes = _select(problem, scores_for(eff))
            for cid in CHANNEL_IDS:
                same[cid] += trial[cid] == actions[cid]
        stability = {cid: same[cid] / PERTURBATIONS for cid in CHANNEL_IDS}

    warnings: list[Problem] = list(profile.warnings)
    unlocked, _ = _select(_Problem(**{**problem.__dict__, "locks": {}}), scores) if locks else (actions, {})
    for cid, decision in locks.items():
        line, column = profile.locate(("channels", cid, "decision"))
        would = unlocked[cid]
        if decision == "keep" and would == "retire":
            warnings.append(Problem(profile.source, line, column,
                                    f"{cid} is locked to keep, but its score ({scores[cid]:.1f}) "
                                    "says retire; kept as decided"))
        elif decision == "retire" and would == "keep":
            warnings.append(Problem(profile.source, line, column,
                                    f"{cid} is locked to retire, but its score ({scores[cid]:.1f}) "
                                    "says keep; retired as decided"))
    if len([c for c in actions if actions[c] in ("keep", "add")]) > hard_cap:
        warnings.append(Problem(profile.source, *profile.locate(("channels",)),
                                f"decision locks keep more channels than max_channels ({hard_cap})"))

    final = [c for c in CHANNEL_IDS if actions[c] in ("keep", "add")]
    coverage = {t.name: [c for c in final if c in problem.suited[i]] for i, t in enumerate(topics)}
    for index, topic in enumerate(topics):
        if not coverage[topic.name]:
            fallback = [c for c in problem.best_fit[index] if c in final][:1]
            coverage[topic.name] = fallback
            reason = why_not(profile, fallback[0], topic) if fallback else "no channel is kept"
            warnings.append(Problem(profile.source, *profile.locate(("demand", "topics", index, "name")),
                                    f"no recommended channel fully suits topic '{topic.name}'"
                                    + (f": {fallback[0]} carries it but {reason}" if fallback else "")))

    ordered = sorted(CHANNEL_IDS, key=lambda c: (-scores[c], CHANNEL_IDS.index(c)))
    total_eff = sum(effective.values())
    verdicts = []
    for rank, cid in enumerate(ordered, start=1):
        contributions = [Contribution("BASELINE", BASELINE, "every channel starts neutral at 50", 0.0)]
        for rid in rules:
            fit, detail = fits[cid][rid]
            points = 50.0 * effective[rid] / total_eff * fit if total_eff > 0 else 0.0
            contributions.append(Contribution(rid, points, detail, fit))
        action = actions[cid]
        offer = offered.get(cid)
        if action == "keep" and offer is not None:
            poor = [f"{name.replace('_', ' ')} {getattr(offer, name) * 100:.0f}% is below "
                    f"{limit * 100:.0f}%" for name, limit in IMPROVE_BELOW.items()
                    if getattr(offer, name) is not None and getattr(offer, name) < limit]
            if poor:
                action = "improve"
                notes[cid] = "a good fit that performs poorly: " + "; ".join(poor)
        if locks.get(cid) and not notes.get(cid, "").startswith("a good fit"):
            notes[cid] = f"locked by decision: {locks[cid]}"
        verdicts.append(ChannelVerdict(
            channel=cid, name=catalogue()[cid].name, offered=offer is not None,
            share=offer.share if offer else 0.0, score=round(scores[cid], 1), rank=rank,
            action=action, reasons=_reasons(action, contributions, notes.get(cid, ""), topics, cap_reason),
            contributions=contributions, stability=stability[cid],
            decision=locks.get(cid),
            covers=[t.name for i, t in enumerate(topics) if cid in problem.suited[i]],
        ))
    return Recommendation(profile=profile, channels=verdicts, channel_cap=total_cap,
                          cap_reason=cap_reason, weights=effective, warnings=warnings,
                          coverage=coverage)
