"""Choosing the channel set: an exact search over every candidate set under one objective.

The eight channels give at most 255 non-empty sets. Each is scored with one objective that
adds up (README, "How the set is chosen"):

* **customer fit**: for each topic, the contacts it brings land on the set's channels that
  suit it (self-service first for what it can contain, the rest handed over), and each
  contact counts the explained score of the channel it lands on, scaled by how well that
  channel fits the topic; summed over topics weighted by their shares;
* **cost**: the set's monthly cost from the capacity model against the budget (or against
  a fully assisted contact when no budget is given), scaled by the cost priority, plus a
  steep charge for going over the budget;
* **staff**: the people the set needs (live queues need someone on duty every open hour)
  against the team, charged steeply when it needs more than the team has;
* **moving customers**: the share of contacts on today's channels that the set drops,
  scaled by the effort priority;
* **focus**: a charge per channel run, larger for small teams, and for launching a new
  channel that does not fit well (score under 60);
* **public risk**: the share of contacts answered on public channels, against the
  business's ``brand_risk_tolerance``.

Hard constraints: locks, ``max_channels``, at least one channel where a person answers,
and every *material* topic (at or above
``min_topic_share``) carried by a channel that suits it. Smaller topics ride on the best
fit available and never force a channel in. A set that retires a channel offered today and
costs more, needs more people and fits customers no better than today's set is never
chosen. Candidate sets are priced with a straight-line stand-in for the capacity model
(:class:`~channelplan.sizing.ChannelModel`); the chosen set is sized exactly afterwards.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from channelplan.allocation import SELF_SERVICE_UPTAKE
from channelplan.catalogue import CHANNEL_IDS, assisted_ids, catalogue
from channelplan.fit import serves, suits, topic_fit
from channelplan.model import Profile
from channelplan.sizing import ChannelModel, topic_containment

NEW_CHANNEL_PULL = 0.15      # the share of a topic a newly added channel draws among others
POOR_SCORE = 40.0            # a channel scoring this is no help to the customer
FIT_WEIGHT = 1.5
BOT_WITHOUT_CONTENT = 0.5    # channelplan assumption: a bot with no help centre to draw on
SECOND_STEP = 0.8            # a contact handed over after a failed self-service attempt
ASSISTED_CONTACT = 8.01      # Gartner 2019: an assisted contact, when no budget is given

# The objective's weights (README, "How the set is chosen"); the cost, effort and focus
# terms scale with the profile's priorities (3 is neutral).
COST_WEIGHT = 0.30
OVER_BUDGET_WEIGHT = 0.30
STAFF_WEIGHT = 0.15
OVER_TEAM_WEIGHT = 0.80
MOVE_WEIGHT = 0.60
FOCUS_WEIGHT = 0.02
SELF_SERVICE_FOCUS = 0.6     # help content and bots need upkeep, but no queue to watch
PER_PERSON_WEIGHT = 0.3
ADD_MIN = 60.0          # a new channel must fit well (score 60+) to be worth launching
NEW_WEIGHT = 0.30       # per 10 points a new channel falls short of ADD_MIN
RISK_WEIGHT = 1.5       # contacts answered in public, against the appetite for public risk
RISK_BY_TOLERANCE = {"low": 1.0, "medium": 0.3, "high": 0.0}
PARTS = ("fit", "cost", "staff", "moved", "focus", "risk")


@dataclass(frozen=True)
class TopicFacts:
    name: str
    share: float
    sensitivity: str
    complexity: str
    material: bool
    suits: frozenset[str]
    fit: Mapping[str, float]             # graded fit 0-1 per channel
    contained: Mapping[str, float]       # self-service containment for this topic


@dataclass
class Problem:
    """Everything the search needs, fixed for one profile and one set of scores."""

    profile: Profile
    scores: Mapping[str, float]
    models: Mapping[str, ChannelModel]
    topics: list[TopicFacts]
    offered: Mapping[str, float]          # channel -> share of contacts today
    locks: Mapping[str, str]
    max_channels: int
    min_topic_share: float
    contacts: float
    budget: float | None
    agents: float | None
    priorities: Mapping[str, int]
    containment: Mapping[str, float]      # self-service: share contained of what it sees
    quality: Mapping[str, float] = field(default_factory=dict)  # from the score, 0 at 40
    weights: list[dict[str, float]] = field(default_factory=list)  # per topic: pull per channel

    def __post_init__(self) -> None:
        pulls = {c: (self.offered.get(c, NEW_CHANNEL_PULL) if self.offered else 1.0)
                 for c in CHANNEL_IDS}
        self.weights = [{c: max(t.fit[c], 0.05) * max(pulls[c], 0.02) for c in CHANNEL_IDS}
                        for t in self.topics]
        # A contact landing on a channel counts its score above a poor fit (40), so that
        # channels that fit customers clearly better count clearly more.
        self.quality = {c: FIT_WEIGHT * max(0.0, self.scores[c] - POOR_SCORE) / (100 - POOR_SCORE)
                        for c in self.scores}

    @classmethod
    def build(cls, profile: Profile, scores: Mapping[str, float],
              models: Mapping[str, ChannelModel], *, min_topic_share: float | None = None,
              max_channels: int | None = None) -> Problem:
        threshold = profile.constraints.min_topic_share if min_topic_share is None else min_topic_share
        topics = []
        for t in profile.demand.topics:
            fits = {c: (topic_fit(profile, c, t) if serves(c, t) else 0.0) for c in CHANNEL_IDS}
            topics.append(TopicFacts(
                name=t.name, share=t.share, sensitivity=t.sensitivity, complexity=t.complexity,
                material=t.share >= threshold - 1e-12,
                suits=frozenset(c for c in CHANNEL_IDS if serves(c, t) and suits(profile, c, t)),
                fit=fits,
                contained={c: topic_containment(profile, c, t.complexity) for c in CHANNEL_IDS
                           if catalogue()[c].kind == "self_service"}))
        offered = {cid: offer.share for cid, offer in profile.channels.offered().items()}
        locks = {cid: offer.decision for cid, offer in profile.channels.offered().items()
                 if offer.decision}
        cap = profile.constraints.max_channels if max_channels is None else max_channels
        containment = {}
        for c in CHANNEL_IDS:
            if catalogue()[c].kind != "self_service":
                continue
            served = [t for t in topics if serves(c, t)] or topics
            whole = sum(t.share for t in served) or 1.0
            containment[c] = sum(t.share * t.contained[c] for t in served) / whole
        return cls(profile=profile, scores=scores, models=models, topics=topics, offered=offered,
                   locks=locks, max_channels=cap or len(CHANNEL_IDS),
                   min_topic_share=threshold, contacts=profile.demand.contacts_per_month,
                   budget=profile.constraints.monthly_budget, agents=profile.constraints.agents,
                   priorities={p: profile.priorities.get(p) for p in
                               ("cost", "speed", "effort", "satisfaction", "reach")},
                   containment=containment)


@dataclass
class Evaluation:
    """One candidate set, priced and scored."""

    channels: tuple[str, ...]
    feasible: bool
    fit: float
    cost: float
    fte: float
    moved: float
    volumes: dict[str, float]
    uncovered: list[str]                  # material topics with no suited channel
    carried_unsuited: list[str]           # small topics carried by the best fit available
    parts: dict[str, float] = field(default_factory=dict)

    @property
    def objective(self) -> float:
        return sum(self.parts.values())


def _split(problem: Problem, chosen: Sequence[str], t: TopicFacts,
           weights: Mapping[str, float]) -> tuple[dict[str, float], float, bool]:
    """Where a topic's contacts land among ``chosen``: fractions per channel (self-service
    attempts, then assisted contacts including what self-service hands over), the customer
    fit of that landing (0-1), and whether a suited channel carries it."""
    suited = [c for c in chosen if c in t.suits]
    covered = bool(suited)
    if not suited:
        servers = [c for c in chosen if t.fit[c] > 0] or list(chosen)
        suited = [max(servers, key=lambda c: (t.fit[c], problem.scores[c]))]
    self_service = [c for c in suited if catalogue()[c].kind == "self_service"]
    assisted = [c for c in suited if c not in self_service]
    uptake = SELF_SERVICE_UPTAKE[problem.profile.customers.digital_maturity]
    tried = (uptake if assisted else 1.0) if self_service else 0.0
    out: dict[str, float] = {}
    quality = handed = 0.0
    if self_service:
        # Self-service channels complement each other: a customer the help centre does not
        # answer may try the bot before asking a person.
        # A bot answers from help content: without a knowledge base it contains half as much.
        rates = {c: t.contained[c] * (BOT_WITHOUT_CONTENT if c == "chatbot"
                                      and "knowledge_base" not in chosen else 1.0)
                 for c in self_service}
        missed = 1.0
        for c in self_service:
            missed *= 1 - rates[c]
        contained = 1 - missed
        total = sum(weights[c] for c in self_service)
        answered = sum(rates[c] * weights[c] for c in self_service) or 1.0
        for c in self_service:
            out[c] = tried * weights[c] / total
            # only what it contains is answered there
            quality += (tried * contained * rates[c] * weights[c] / answered
                        * problem.quality[c] * t.fit[c])
        handed = tried * missed
    if not assisted and handed > 0:
        # nobody suited to hand over to: the best staffed channel in the set takes them, at
        # its graded fit; with none, those contacts are left unanswered
        staffed = [c for c in chosen if c in assisted_ids()]
        if staffed:
            assisted = [max(staffed, key=lambda c: (t.fit[c], problem.scores[c]))]
    direct = 1.0 - tried
    if assisted:
        total = sum(weights[c] for c in assisted)
        for c in assisted:
            part = weights[c] / total
            out[c] = out.get(c, 0.0) + (direct + handed) * part
            quality += direct * part * problem.quality[c] * t.fit[c]
            # a handed-over contact reaches a person after a second step; for simple questions
            # trying self-service first is the customer's own choice, not extra effort
            step = 1.0 if t.complexity == "low" else SECOND_STEP
            quality += handed * part * problem.quality[c] * t.fit[c] * step
    return out, quality, covered


def _volumes(problem: Problem, chosen: Sequence[str],
             splits: Sequence[dict[str, float]]) -> dict[str, float]:
    """Monthly contacts per chosen channel: today's volumes where the channel stays, a dropped
    channel's contacts spread over the set topic by topic, a new channel drawing its share;
    self-service hands what it does not contain to the staffed channels."""
    total = problem.contacts
    if not problem.offered:                      # greenfield: where each topic lands
        volumes = {c: 0.0 for c in chosen}
        for t, split in zip(problem.topics, splits, strict=True):
            for c, part in split.items():
                volumes[c] += total * t.share * part
        return volumes
    volumes = {c: total * problem.offered.get(c, 0.0) for c in chosen}
    dropped = [(c, share) for c, share in problem.offered.items() if c not in volumes]
    if dropped:
        direct = [_without_handover(split) for split in splits]
        for gone, share in dropped:
            mix = [t.share * max(t.fit[gone], 0.05) for t in problem.topics]
            whole = sum(mix) or 1.0
            for weight, split in zip(mix, direct, strict=True):
                moved = total * share * weight / whole
                for c, part in split.items():
                    volumes[c] += moved * part
    for new in (c for c in chosen if c not in problem.offered):
        drawn = total * sum(t.share * NEW_CHANNEL_PULL for t in problem.topics if new in t.suits)
        others = sum(v for c, v in volumes.items() if c != new)
        if others > 0:
            for c in volumes:
                if c != new:
                    volumes[c] -= drawn * volumes[c] / others
        volumes[new] += drawn
    # what self-service does not contain reaches the staffed channels
    staffed = [c for c in chosen if c in assisted_ids()]
    base = sum(volumes[c] for c in staffed)
    for c in chosen:
        if catalogue()[c].kind != "self_service" or not staffed:
            continue
        handed = volumes[c] * (1 - problem.containment[c])
        for s in staffed:
            volumes[s] += handed * (volumes[s] / base if base > 0 else 1 / len(staffed))
    return volumes


def _without_handover(split: dict[str, float]) -> dict[str, float]:
    total = sum(split.values()) or 1.0
    return {c: v / total for c, v in split.items()}


def evaluate(problem: Problem, channels: Sequence[str]) -> Evaluation:
    """Price and score one candidate set."""
    chosen = tuple(c for c in CHANNEL_IDS if c in set(channels))
    fit = 0.0
    uncovered: list[str] = []
    unsuited: list[str] = []
    splits: list[dict[str, float]] = []
    for t, weights in zip(problem.topics, problem.weights, strict=True):
        split, quality, covered = _split(problem, chosen, t, weights)
        splits.append(split)
        if not covered:
            (uncovered if t.material else unsuited).append(t.name)
        fit += t.share * quality
    volumes = _volumes(problem, chosen, splits)
    cost = sum(problem.models[c].cost(volumes[c]) for c in chosen)
    live = sum(problem.models[c].fte(volumes[c]) for c in chosen
               if c in assisted_ids() and problem.models[c].kind == "realtime")
    backlog = sum(problem.models[c].fte(volumes[c]) for c in chosen
                  if c in assisted_ids() and problem.models[c].kind != "realtime")
    idle = sum(problem.models[c].idle(volumes[c]) for c in chosen)
    fte = live + max(0.0, backlog - idle)      # blended agents answer backlog between contacts
    moved = sum(share for c, share in problem.offered.items() if c not in chosen)
    evaluation = Evaluation(channels=chosen, feasible=not uncovered, fit=fit, cost=cost, fte=fte,
                            moved=moved, volumes=volumes, uncovered=uncovered,
                            carried_unsuited=unsuited)
    evaluation.parts = _parts(problem, evaluation)
    return evaluation


def _parts(problem: Problem, e: Evaluation) -> dict[str, float]:
    p = problem.priorities
    reference = problem.budget if problem.budget else problem.contacts * ASSISTED_CONTACT
    cost = -COST_WEIGHT * p["cost"] / 3 * e.cost / max(reference, 1e-9)
    if problem.budget is not None and e.cost > problem.budget:
        cost -= OVER_BUDGET_WEIGHT * (e.cost / max(problem.budget, 1e-9) - 1)
    staff = 0.0
    if problem.agents is not None:
        team = max(problem.agents, 0.5)
        staff = -STAFF_WEIGHT * p["cost"] / 3 * e.fte / team
        if e.fte > problem.agents:
            staff -= OVER_TEAM_WEIGHT * min(3.0, (e.fte - problem.agents) / team)
    # moving customers off the channel they chose grows worse than linearly with their share
    moved = -MOVE_WEIGHT * p["effort"] / 3 * e.moved * (1 + 1.5 * e.moved)
    team = problem.agents if problem.agents is not None else 50.0
    # every channel run takes the team's attention, and the smaller the team the more; a
    # staffed channel needs someone watching it, so no more of them than people (channelplan
    # assumption: one person can watch one queue well)
    runs = sum(1.0 if c in assisted_ids() else SELF_SERVICE_FOCUS for c in e.channels)
    focus = -FOCUS_WEIGHT * (1 + 20 / (1 + team)) * runs
    if problem.agents is not None:
        staffed = sum(1 for c in e.channels if c in assisted_ids())
        focus -= PER_PERSON_WEIGHT * max(0, staffed - max(1, math.floor(problem.agents)))
    # launching a channel is a project: only a strong fit is worth it
    focus -= sum(NEW_WEIGHT * max(0.0, ADD_MIN - problem.scores[c]) / 10
                 for c in e.channels if c not in problem.offered and problem.offered)
    public = sum(v for c, v in e.volumes.items() if catalogue()[c].privacy == "public")
    risk = -RISK_WEIGHT * RISK_BY_TOLERANCE[problem.profile.constraints.brand_risk_tolerance] \
        * public / max(problem.contacts, 1e-9)
    return {"fit": e.fit, "cost": cost, "staff": staff, "moved": moved, "focus": focus,
            "risk": risk}


def allowed(problem: Problem, channels: Sequence[str]) -> bool:
    chosen = set(channels)
    if not chosen or len(chosen) > problem.max_channels:
        return False
    # Customers must be able to reach a person: 60% fear AI will make that harder (Gartner,
    # Dec 2023), and self-service hands over what it cannot contain.
    if not chosen & set(assisted_ids()) and any(c in assisted_ids() and problem.locks.get(c) != "retire"
                                          for c in CHANNEL_IDS):
        return False
    return all((c in chosen) == (lock == "keep") for c, lock in problem.locks.items())


def _no_worse_retirement(problem: Problem, e: Evaluation, today: Evaluation | None) -> bool:
    """A set that retires a channel offered today while costing more, needing more people
    and fitting customers no better than today's set is never chosen."""
    if today is None or not today.feasible:
        return True
    retires = [c for c in problem.offered if c not in e.channels and problem.locks.get(c) != "retire"]
    if not retires:
        return True
    return not (e.cost > today.cost + 1e-6 and e.fte > today.fte + 1e-6 and e.fit <= today.fit + 1e-9)


@dataclass
class Search:
    best: Evaluation
    runner_up: Evaluation | None
    today: Evaluation | None
    evaluated: dict[tuple[str, ...], Evaluation]
    relaxed: bool                      # no set covers every material topic: coverage relaxed
    ranked: list[tuple[str, ...]] = field(default_factory=list)   # best first


def _every_set() -> list[tuple[str, ...]]:
    return [tuple(c for i, c in enumerate(CHANNEL_IDS) if mask >> i & 1)
            for mask in range(1, 1 << len(CHANNEL_IDS))]


def search(problem: Problem, shortlist: Sequence[tuple[str, ...]] | None = None) -> Search:
    """The best set of all candidate sets (or of ``shortlist``), and the best set that was
    not chosen."""
    evaluated: dict[tuple[str, ...], Evaluation] = {}
    for chosen in (shortlist if shortlist is not None else _every_set()):
        if allowed(problem, chosen):
            evaluated[chosen] = evaluate(problem, chosen)
    today_key = tuple(c for c in CHANNEL_IDS if c in problem.offered)
    today = evaluate(problem, today_key) if today_key else None
    candidates = [e for e in evaluated.values() if e.feasible and _no_worse_retirement(problem, e, today)]
    relaxed = False
    if not candidates:
        # No allowed set carries every material topic (a lock, the cap, or no channel suits
        # it at all): the fewest uncovered topics first, then the objective.
        relaxed = True
        fewest = min(len(e.uncovered) for e in evaluated.values()) if evaluated else 0
        candidates = [e for e in evaluated.values() if len(e.uncovered) == fewest]
    if not candidates:
        raise ValueError("no candidate set is allowed by the locks and max_channels")
    ranked = sorted(candidates, key=lambda e: (-e.objective, len(e.channels), e.channels))
    return Search(best=ranked[0], runner_up=ranked[1] if len(ranked) > 1 else None, today=today,
                  evaluated=evaluated, relaxed=relaxed, ranked=[e.channels for e in ranked])


__all__ = ["Evaluation", "PARTS", "Problem", "Search", "allowed", "evaluate", "search"]
