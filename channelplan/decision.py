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
* **staff**: the people the set needs (live queues need someone on duty every open hour,
  and self-service content needs its writing, tuning or moderation) against the team,
  charged steeply when it needs more than the team has;
* **moving customers**: the share of contacts on today's channels that the set drops,
  scaled by the effort priority;
* **focus**: a charge per channel run, larger for small teams, and for launching a new
  channel that does not fit well (score under 60); a help centre, where nobody answers a
  conversation, is charged no run (its writing counts as staff) and half a launch;
* **public risk**: the share of contacts answered on public channels, against the
  business's ``brand_risk_tolerance``.

Hard constraints: locks, ``max_channels``, at least one channel where a person answers,
and every *material* topic (at or above
``min_topic_share``) carried by a channel that suits it. Smaller topics ride on the best
fit available and never force a channel in. A set that retires a channel offered today and
costs more, needs more people and fits customers no better than today's set is never
chosen. Candidate sets are priced with a straight-line stand-in for the capacity model
(:class:`~channelplan.sizing.ChannelModel`); the chosen set is sized exactly afterwards.
A set whose objective ceiling (:func:`_ceiling`) cannot reach the sets a search must rank
is not priced at all, which leaves the answer exactly as if every set had been.
"""

from __future__ import annotations

import copy
import heapq
import math
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from channelplan.allocation import uptake
from channelplan.catalogue import CHANNEL_IDS, assisted_ids, catalogue
from channelplan.fit import serves, suits, topic_fit
from channelplan.model import Profile
from channelplan.rules import parameters
from channelplan.sizing import ChannelModel, containment_rate, topic_containment, usual_containment

NEW_CHANNEL_PULL = 0.15      # the share of a topic a newly added channel draws among others
# (a new help centre draws the share that tries self-service first: allocation.uptake)
POOR_SCORE = 40.0            # a channel scoring this is no help to the customer
FIT_WEIGHT = 1.5
BOT_WITHOUT_CONTENT = 0.5    # channelplan assumption: a bot with no help centre to draw on
SECOND_STEP = 0.8            # a contact handed over after a failed self-service attempt
ASSISTED_CONTACT = 8.01      # Gartner 2019: an assisted contact, when no budget is given
_KB_MASK = 1 << CHANNEL_IDS.index("knowledge_base")
_POSITION = {c: i for i, c in enumerate(CHANNEL_IDS)}
_UNSUITED = 1 << len(CHANNEL_IDS)   # a landing key: no channel in the set suits the topic

# The objective's weights (README, "How the set is chosen"); the cost, effort and focus
# terms scale with the profile's priorities (3 is neutral). They are channelplan's
# calibration against the judgement cases in tests/judgement (verdicts support leads
# wrote before the tool ran); MOVE_WEIGHT went from 0.60 to 0.62 when self-service came to
# be scored by what it resolves, the smallest change that keeps a prepaid operator's phone
# line (30% of contacts) rather than retiring it on a 0.001 margin.
COST_WEIGHT = 0.30
OVER_BUDGET_WEIGHT = 0.30
STAFF_WEIGHT = 0.15
OVER_TEAM_WEIGHT = 0.80
MOVE_WEIGHT = 0.62
FOCUS_WEIGHT = 0.02
SELF_SERVICE_FOCUS = 0.6     # help content and bots need upkeep, but no queue to watch
PER_PERSON_WEIGHT = 0.3
BACKLOG_WATCH = 0.5          # an inbox answered from a backlog takes half the watching of a queue
ADD_MIN = 60.0          # a new channel must fit well (score 60+) to be worth launching
# A help centre, where nobody answers a conversation, counts as this much of a channel in
# the launch charge, as in the FOCUS rule; its writing and review count as staff instead of
# a channel run (see _load).
PUBLISHED: float = parameters("FOCUS")["published"]
NEW_WEIGHT = 0.30       # per 10 points a new channel falls short of ADD_MIN
RISK_WEIGHT = 1.5       # contacts answered in public, against the appetite for public risk
RISK_BY_TOLERANCE = {"low": 1.0, "medium": 0.3, "high": 0.0}
PARTS = ("fit", "cost", "staff", "moved", "focus", "risk")


class TopicFacts(NamedTuple):
    name: str
    share: float
    sensitivity: str
    complexity: str
    material: bool
    suits: frozenset[str]
    fit: Mapping[str, float]             # graded fit 0-1 per channel
    contained: Mapping[str, float]       # self-service containment, with help content
    bot_bare: float                      # a bot's containment with no help centre in the set


class _Arrays(NamedTuple):
    """A problem's constants by catalogue position, so that pricing a set is arithmetic on
    short lists (the search bounds every candidate set and prices those that can win)."""

    offered: list[int]            # positions offered today, in the profile's order
    offered_share: list[float]    # their shares of today's contacts, in the same order
    offered_mask: int
    base: list[float]             # contacts a month on each channel today
    drawn: list[float]            # contacts a new channel draws from the others
    moved_to: list[list[float]]   # per offered position: its contacts by topic when dropped
    moved_by: dict[int, list[float]]   # the same summed over a mask of dropped channels
    arriving: float               # contacts a month on today's channels
    moved_share: dict[int, float]  # the share moved, by the mask of channels kept
    handed: list[float]           # self-service: share handed over; -1 for staffed channels
    fixed: list[float]
    unit: list[float]
    fte_floor: list[float]
    fte_slope: list[float]
    idle_cap: list[float]         # live queues: occupancy cap (0: no idle time)
    work: list[float]
    live: list[bool]              # staffed live queues
    backlog: list[bool]           # staffed channels answered from a backlog
    public: list[bool]
    staffed_mask: int             # staffed channels (live queues and backlogs)
    live_mask: int                # staffed live queues
    backlog_mask: int             # staffed channels answered from a backlog
    self_service_mask: int
    runs: list[float]             # the attention running the channel takes (focus)
    launch: list[float]           # the charge for launching it (focus; 0 when offered today)
    # per topic: its share, and the (fit x quality, channel bit) of the channels that fit it,
    # best first: no landing of the topic counts more than the first the set holds
    fit_order: list[tuple[float, list[tuple[float, int]]]]
    topic_contacts: list[float]   # contacts a month per topic
    least: dict[int, tuple[float, float, float]]   # see :func:`_staffed_least`
    # per channel: fixed cost, cost per contact, handed (as above), people per contact,
    # people at any volume, live, public, idle cap, work (what a set's ceiling reads)
    channels: list[tuple[float, float, float, float, float, bool, bool, float, float]]
    contained: list[list[float]]  # per topic: self-service containment by position (else 0)
    focus: dict[int, float]       # the focus part by mask (:func:`_part_values`)
    public_mask: int
    idle_mask: int                # channels with an occupancy cap (live queues)
    # per topic: its position, the channels whose presence decides its landing rates (those
    # that suit it, and the staffed ones), and those rates by mask (:func:`_landing_rates`)
    topic_keys: list[tuple[int, int, dict[int, tuple[float, float, float]]]]
    kept: dict[int, tuple[float, float, float, float, float]]   # see :func:`_kept_sums`

    @classmethod
    def of(cls, problem: Problem) -> _Arrays:
        ids = CHANNEL_IDS
        channels = catalogue()
        total = problem.contacts
        topics = problem.topics
        moved_to: list[list[float]] = []
        for c in ids:
            share = problem.offered.get(c)
            if share is None:
                moved_to.append([])
                continue
            mix = [t.share * max(t.fit[c], 0.05) for t in topics]
            whole = sum(mix) or 1.0
            moved_to.append([total * share * weight / whole for weight in mix])
        models = [problem.models[c] for c in ids]
        staffed = problem.assisted
        offered = [ids.index(c) for c in problem.offered]
        return cls(
            offered=offered, offered_share=list(problem.offered.values()),
            offered_mask=sum(1 << i for i in offered),
            base=[total * problem.offered.get(c, 0.0) for c in ids],
            drawn=[total * sum(t.share for t in topics if c in t.suits)
                   * (problem.uptake[0] if channels[c].published else NEW_CHANNEL_PULL)
                   for c in ids],
            moved_to=moved_to, moved_by={}, moved_share={},
            arriving=sum(total * s for s in problem.offered.values()),
            handed=[1 - problem.containment[c] if channels[c].kind == "self_service" else -1.0
                    for c in ids],
            fixed=[m.cost_fixed for m in models], unit=[m.cost_unit for m in models],
            fte_floor=[m.fte_floor for m in models], fte_slope=[m.fte_slope for m in models],
            idle_cap=[m.occupancy_cap if m.kind == "realtime" else 0.0 for m in models],
            work=[m.work_slope for m in models],
            live=[c in staffed and m.kind == "realtime" for c, m in zip(ids, models, strict=True)],
            backlog=[c in staffed and m.kind != "realtime" for c, m in zip(ids, models, strict=True)],
            public=[channels[c].privacy == "public" for c in ids],
            staffed_mask=sum(1 << i for i, c in enumerate(ids) if c in staffed),
            live_mask=sum(1 << i for i, (c, m) in enumerate(zip(ids, models, strict=True))
                          if c in staffed and m.kind == "realtime"),
            backlog_mask=sum(1 << i for i, (c, m) in enumerate(zip(ids, models, strict=True))
                             if c in staffed and m.kind != "realtime"),
            self_service_mask=sum(1 << i for i, c in enumerate(ids)
                                  if channels[c].kind == "self_service"),
            runs=[1.0 if c in staffed else 0.0 if channels[c].published else SELF_SERVICE_FOCUS
                  for c in ids],
            launch=[NEW_WEIGHT * max(0.0, ADD_MIN - problem.scores[c]) / 10
                    * (PUBLISHED if channels[c].published else 1.0)
                    if c not in problem.offered and problem.offered else 0.0 for c in ids],
            fit_order=[(t.share, sorted(((t.fit[c] * problem.quality[c], 1 << i)
                                         for i, c in enumerate(ids)
                                         if t.fit[c] * problem.quality[c] > 0), reverse=True))
                       for t in topics],
            topic_contacts=[total * t.share for t in topics], least={},
            channels=[],
            contained=[[t.contained.get(c, 0.0) for c in ids] for t in topics], focus={},
            kept={}, public_mask=sum(1 << i for i, c in enumerate(ids)
                                     if channels[c].privacy == "public"),
            idle_mask=sum(1 << i for i, m in enumerate(models)
                          if m.kind == "realtime" and m.occupancy_cap),
            topic_keys=[])


def _bot_rates(profile: Profile, complexity: str) -> tuple[float, float]:
    """A bot's containment of a topic with help content to draw on, and without. The
    catalogue's rates assume content, and a bot without it contains half
    (:data:`BOT_WITHOUT_CONTENT`). A *measured* rate was measured in today's set: where a
    help centre runs today it is the rate with content; where none does, it is the rate
    without, and a set that adds one doubles it, up to what a bot with content usually
    contains (never below what it measured)."""
    rate = topic_containment(profile, "chatbot", complexity)
    offer = profile.channels.chatbot
    if offer is None or offer.resolution_rate is None or profile.channels.knowledge_base:
        return rate, rate * BOT_WITHOUT_CONTENT
    usual = usual_containment("chatbot", complexity)
    return max(rate, min(rate / BOT_WITHOUT_CONTENT, usual)), rate


class Landing(NamedTuple):
    """Where one topic's contacts land in a set (see :func:`_split`)."""

    split_at: tuple[tuple[int, float], ...]    # fractions by catalogue position, handovers in
    direct_at: tuple[tuple[int, float], ...]   # the same before handovers, summing to one
    coef: dict[str, float]        # customer fit = sum of coefficient x channel quality
    covered: bool
    tied: bool                    # the scores broke a tie in placing it
    fit: float                    # the topic's share x quality: its part of the set's fit


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
    # per topic: the channels that suit it (a bit mask) and the landings already worked out
    suit_masks: list[int] = field(default_factory=list)
    landings: list[dict[int, Landing]] = field(default_factory=list)
    arrays: _Arrays = field(init=False, repr=False)
    assisted: frozenset[str] = field(init=False, repr=False)     # the staffed channels
    assisted_mask: int = field(init=False, repr=False)
    lock_masks: tuple[int, int] = field(init=False, repr=False)   # locked to keep, to retire
    # the share who try self-service first: with a help centre among it, and without
    uptake: tuple[float, float] = field(init=False, repr=False)
    material_mask: int = field(init=False, repr=False)   # material topics, a bit each
    terms: _Terms = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.assisted = frozenset(assisted_ids())
        self.assisted_mask = _mask(tuple(self.assisted))
        self.uptake = (uptake(self.profile, ["knowledge_base"]), uptake(self.profile, ()))
        self.material_mask = sum(1 << i for i, t in enumerate(self.topics) if t.material)
        self.lock_masks = _lock_masks(self.locks)
        self.suit_masks = [_mask(t.suits) for t in self.topics]
        self.landings = [{} for _ in self.topics]
        pulls = {c: (self.offered.get(c, NEW_CHANNEL_PULL) if self.offered else 1.0)
                 for c in CHANNEL_IDS}
        self.weights = [{c: max(t.fit[c], 0.05) * max(pulls[c], 0.02) for c in CHANNEL_IDS}
                        for t in self.topics]
        # A contact landing on a channel counts its score above a poor fit (40), so that
        # channels that fit customers clearly better count clearly more.
        self.quality = {c: FIT_WEIGHT * max(0.0, self.scores[c] - POOR_SCORE) / (100 - POOR_SCORE)
                        for c in self.scores}
        self.arrays = _Arrays.of(self)
        a = self.arrays
        a.channels.extend(zip(a.fixed, a.unit, a.handed, a.fte_slope, a.fte_floor, a.live,
                              a.public, a.idle_cap, a.work, strict=True))
        a.topic_keys.extend((index, bits | a.staffed_mask, {})
                            for index, bits in enumerate(self.suit_masks))
        self.terms = _Terms.of(self)

    def variant(self, *, scores: Mapping[str, float] | None = None,
                min_topic_share: float | None = None, max_channels: int | None = None,
                locks: Mapping[str, str] | None = None) -> Problem:
        """The same problem with other scores, threshold, cap or locks. The topics' facts are
        kept; where a contact lands and what a set costs do not depend on the threshold, cap
        or locks, so without new scores the landings and the constants already worked out
        (:class:`_Arrays`, :class:`_Terms`, with what they remember) are shared."""
        topics = self.topics
        if min_topic_share is not None:
            topics = [t._replace(material=t.share >= min_topic_share - 1e-12) for t in topics]
        cap = self.max_channels if max_channels is None else (max_channels or len(CHANNEL_IDS))
        threshold = self.min_topic_share if min_topic_share is None else min_topic_share
        locks = self.locks if locks is None else locks
        if scores is not None:
            return replace(self, scores=scores, topics=topics, max_channels=cap,
                           min_topic_share=threshold, locks=locks)
        other = copy.copy(self)
        other.topics, other.max_channels, other.min_topic_share, other.locks = \
            topics, cap, threshold, locks
        other.material_mask = sum(1 << i for i, t in enumerate(topics) if t.material)
        other.lock_masks = _lock_masks(locks)
        return other

    @classmethod
    def build(cls, profile: Profile, scores: Mapping[str, float],
              models: Mapping[str, ChannelModel], *, min_topic_share: float | None = None,
              max_channels: int | None = None) -> Problem:
        threshold = profile.constraints.min_topic_share if min_topic_share is None else min_topic_share
        topics = []
        for t in profile.demand.topics:
            fits = {c: (topic_fit(profile, c, t) if serves(c, t) else 0.0) for c in CHANNEL_IDS}
            bot = _bot_rates(profile, t.complexity)
            topics.append(TopicFacts(
                name=t.name, share=t.share, sensitivity=t.sensitivity, complexity=t.complexity,
                material=t.share >= threshold - 1e-12,
                suits=frozenset(c for c in CHANNEL_IDS if serves(c, t) and suits(profile, c, t)),
                fit=fits,
                contained={c: bot[0] if c == "chatbot" else
                           topic_containment(profile, c, t.complexity)
                           for c in CHANNEL_IDS if catalogue()[c].kind == "self_service"},
                bot_bare=bot[1]))
        offered = {cid: offer.share for cid, offer in profile.channels.offered().items()}
        locks = {cid: offer.decision for cid, offer in profile.channels.offered().items()
                 if offer.decision}
        cap = profile.constraints.max_channels if max_channels is None else max_channels
        containment = {c: containment_rate(profile, c) for c in CHANNEL_IDS
                       if catalogue()[c].kind == "self_service"}
        return cls(profile=profile, scores=scores, models=models, topics=topics, offered=offered,
                   locks=locks, max_channels=cap or len(CHANNEL_IDS),
                   min_topic_share=threshold, contacts=profile.demand.contacts_per_month,
                   budget=profile.constraints.monthly_budget, agents=profile.constraints.agents,
                   priorities={p: profile.priorities.get(p) for p in
                               ("cost", "speed", "effort", "satisfaction", "reach")},
                   containment=containment)


def _lock_masks(locks: Mapping[str, str]) -> tuple[int, int]:
    """The channels locked to keep and to retire, as masks."""
    return (_mask([c for c, d in locks.items() if d == "keep"]),
            _mask([c for c, d in locks.items() if d == "retire"]))


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
    # what re-pricing under other scores, thresholds or caps needs (:func:`reprice`)
    fit_by: dict[str, float] = field(default_factory=dict)   # fit = sum of these x quality
    missing: tuple[int, ...] = ()         # topics (by position) no suited channel carries
    public: float = 0.0                   # contacts answered in public
    tied: bool = False                    # scores broke a tie in placing some topic

    @property
    def objective(self) -> float:
        return sum(self.parts.values())


def _best(candidates: Sequence[str], t: TopicFacts, problem: Problem) -> tuple[str, bool]:
    """The candidate that fits the topic best (the better score on equal fit), and whether
    the score decided it."""
    top = max(t.fit[c] for c in candidates)
    tied = sum(1 for c in candidates if t.fit[c] == top) > 1
    return max(candidates, key=lambda c: (t.fit[c], problem.scores[c])), tied


def _split(problem: Problem, chosen: Sequence[str], t: TopicFacts,
           weights: Mapping[str, float]) -> tuple[dict[str, float], dict[str, float], bool, bool]:
    """Where a topic's contacts land among ``chosen``: fractions per channel (self-service
    attempts, then assisted contacts including what self-service hands over); how much of
    the landing's customer fit (0-1) each channel's quality brings (the fit is the sum of
    coefficient times quality, so new scores re-price it without placing contacts again);
    whether a suited channel carries it; and whether scores broke a tie in the placing."""
    suited = [c for c in chosen if c in t.suits]
    covered = bool(suited)
    tied = False
    if not suited:
        servers = [c for c in chosen if t.fit[c] > 0] or list(chosen)
        best, tied = _best(servers, t, problem)
        suited = [best]
    self_service = [c for c in suited if c not in problem.assisted]
    assisted = [c for c in suited if c in problem.assisted]
    tried = (problem.uptake["knowledge_base" not in self_service] if assisted else 1.0) \
        if self_service else 0.0
    out: dict[str, float] = {}
    coef: dict[str, float] = {}
    handed = 0.0
    if self_service:
        # Self-service channels complement each other: a customer the help centre does not
        # answer may try the bot before asking a person.
        # A bot answers from help content: without a knowledge base in the set it contains
        # its rate without content (:func:`_bot_rates`).
        rates = {c: t.bot_bare if c == "chatbot" and "knowledge_base" not in chosen
                 else t.contained[c] for c in self_service}
        missed = 1.0
        for c in self_service:
            missed *= 1 - rates[c]
        contained = 1 - missed
        total = sum(weights[c] for c in self_service)
        answered = sum(rates[c] * weights[c] for c in self_service) or 1.0
        for c in self_service:
            out[c] = tried * weights[c] / total
            # only what it contains is answered there
            coef[c] = tried * contained * rates[c] * weights[c] / answered * t.fit[c]
        handed = tried * missed
    if not assisted and handed > 0:
        # nobody suited to hand over to: the best staffed channel in the set takes them, at
        # its graded fit; with none, those contacts are left unanswered
        staffed = [c for c in chosen if c in problem.assisted]
        if staffed:
            best, tie = _best(staffed, t, problem)
            assisted, tied = [best], tied or tie
    direct = 1.0 - tried
    if assisted:
        total = sum(weights[c] for c in assisted)
        # a handed-over contact reaches a person after a second step; for simple questions
        # trying self-service first is the customer's own choice, not extra effort
        step = 1.0 if t.complexity == "low" else SECOND_STEP
        for c in assisted:
            part = weights[c] / total
            out[c] = out.get(c, 0.0) + (direct + handed) * part
            coef[c] = coef.get(c, 0.0) + (direct + handed * step) * part * t.fit[c]
    return out, coef, covered, tied


def _new_landing(problem: Problem, index: int, chosen: Sequence[str]) -> Landing:
    """A topic's landing in the set ``chosen``. It is worked out once for every set that
    gives the topic the same channels to land on (:func:`_place`): the suited channels in
    the set, whether a help centre feeds the bot, and, when no suited channel is staffed,
    the staffed channels that take handovers (or the whole set when nothing suits it)."""
    split, coef, covered, tied = _split(problem, chosen, problem.topics[index],
                                        problem.weights[index])
    total = sum(split.values()) or 1.0      # the same before handovers, summing to one
    quality = sum(k * problem.quality[c] for c, k in coef.items())
    return Landing(tuple((_POSITION[c], v) for c, v in split.items()),
                   tuple((_POSITION[c], v / total) for c, v in split.items()),
                   coef, covered, tied, problem.topics[index].share * quality)


def _volumes(problem: Problem, mask: int, landings: Sequence[Landing]) -> list[float]:
    """Monthly contacts per channel of the set (by catalogue position): today's volumes where
    the channel stays, a dropped channel's contacts spread over the set topic by topic, a
    new channel drawing its share; self-service hands what it does not contain to the
    staffed channels."""
    a = problem.arrays
    volumes = [0.0] * len(CHANNEL_IDS)
    if not a.offered:   # greenfield: where each topic lands, handovers included
        total = problem.contacts
        for t, landing in zip(problem.topics, landings, strict=True):
            contacts = total * t.share
            for i, part in landing.split_at:
                volumes[i] += contacts * part
        return volumes
    members = _MEMBERS[mask]
    base = a.base
    for i in members:
        volumes[i] = base[i]
    gone = a.offered_mask & ~mask
    if gone:
        for moved, landing in zip(_moved_by_topic(a, gone), landings, strict=True):
            for i, part in landing.direct_at:
                volumes[i] += moved * part
    for new in _MEMBERS[mask & ~a.offered_mask]:
        others = 0.0
        for i in members:
            if i != new:
                others += volumes[i]
        # it draws from the set's other channels, never more than they carry
        drawn = min(a.drawn[new], others)
        if drawn > 0:
            for i in members:
                if i != new:
                    volumes[i] -= drawn * volumes[i] / others
            volumes[new] += drawn
    # what self-service does not contain reaches the staffed channels
    # (in proportion to their volumes before any handover, as the capacity model does)
    staffed = _MEMBERS[mask & a.staffed_mask]
    if staffed:
        handed = 0.0
        for i in _MEMBERS[mask & a.self_service_mask]:
            handed += volumes[i] * a.handed[i]
        if handed > 0:
            before = [volumes[j] for j in staffed]
            base_total = sum(before)
            for j, volume in zip(staffed, before, strict=True):
                volumes[j] += handed * (volume / base_total if base_total > 0 else 1 / len(staffed))
    return volumes


def _moved_by_topic(a: _Arrays, gone: int) -> list[float]:
    """The contacts by topic that the channels in ``gone`` (a mask of channels offered
    today) bring when they are dropped; worked out once per mask."""
    known = a.moved_by.get(gone)
    if known is None:
        low = gone & -gone
        rest = _moved_by_topic(a, gone ^ low) if gone ^ low else None
        own = a.moved_to[low.bit_length() - 1]
        known = a.moved_by[gone] = own if rest is None else [
            x + y for x, y in zip(rest, own, strict=True)]
    return known


def _load(problem: Problem, mask: int, volumes: Sequence[float]) -> tuple[float, float, float]:
    """The set's monthly cost, the people it needs and the contacts it answers in public,
    from the straight-line capacity models."""
    a = problem.arrays
    cost = live = backlog = idle = public = 0.0
    for i in _MEMBERS[mask]:
        v = volumes[i]
        cost += a.fixed[i] + a.unit[i] * v
        fte = a.fte_floor[i] + a.fte_slope[i] * v
        if a.live[i]:
            live += fte
        elif a.backlog[i]:
            backlog += fte
        elif a.handed[i] >= 0:
            backlog += a.fte_floor[i]     # content effort: writing, tuning, moderation
        if a.idle_cap[i]:
            idle += max(0.0, fte * a.idle_cap[i] - a.work[i] * v)
        if a.public[i]:
            public += v
    return cost, live + max(0.0, backlog - idle), public  # blended agents answer backlog between contacts


class Priced(NamedTuple):
    """One candidate set as the search ranks it (the full :class:`Evaluation` is built only
    for the sets a recommendation shows or reads)."""

    objective: float
    fit: float
    cost: float
    fte: float
    uncovered: int        # material topics no suited channel carries


class _Placed(NamedTuple):
    """Where a set's contacts land, and what that alone decides."""

    landings: list[Landing]
    fit: float
    uncovered: int        # material topics no suited channel carries
    moved: float


def _place(problem: Problem, mask: int) -> _Placed:
    """Every topic's landing in the set ``mask`` (each worked out once, see
    :func:`_new_landing`), with the set's fit, the topics no suited channel carries and the
    share of today's contacts it moves (the search asks this of every set it prices)."""
    chosen = _SETS[mask - 1]
    assisted, memos = problem.assisted_mask, problem.landings
    landings = []
    fit = 0.0
    missing = 0
    for index, bits in enumerate(problem.suit_masks):
        suited = mask & bits
        if suited & assisted:
            key = mask & (bits | _KB_MASK)
        elif suited:
            key = mask & (bits | _KB_MASK | assisted)
        else:
            key = mask | _UNSUITED
        known = memos[index].get(key)
        if known is None:
            known = memos[index][key] = _new_landing(problem, index, chosen)
        landings.append(known)
        fit += known.fit
        if not known.covered:
            missing |= 1 << index
    return _Placed(landings, fit, (missing & problem.material_mask).bit_count(),
                   _moved(problem, mask))


def _price(problem: Problem, mask: int) -> Priced:
    """Price and score the set ``mask``: the objective and what ranking needs."""
    landings, fit, uncovered, moved = _place(problem, mask)
    cost, fte, public = _load(problem, mask, _volumes(problem, mask, landings))
    objective = sum(_part_values(problem, mask, fit, cost, fte, moved, public))
    return Priced(objective, fit, cost, fte, uncovered)


def _ceiling(problem: Problem, mask: int) -> float:
    """An objective no lower than the set's, worked out without placing a single topic: the
    exact moved share and focus, with a customer fit no set of these channels can beat and
    the least cost, staff and public answers the set could have (every part falls as cost,
    staff and public contacts rise, and rises with fit). The search prices a set only when
    this can reach the sets it must rank, so it must never fall below the objective; the
    test suite checks that on every set of every profile it holds.

    * Fit: a topic's contacts count at most the best fit x quality among the set's channels
      (the coefficients of its landing add up to at most one).
    * Cost: a contact on a channel costs at least the channel's cost per contact plus, on
      self-service, its handover at the cheapest staffed channel's. A channel kept carries
      its volume today; a dropped channel's contacts of each topic land as
      :func:`_landing_rates` bounds them. Then each new channel draws contacts from the
      others, at least ``min(drawn, arriving - dropped)`` and at most ``drawn``, at their
      mean cost per contact: at most the dearest channel's, less what the channels kept are
      known to carry at a lower cost. A new business's topics land at their own rates.
    * Staff: the same count with people per contact instead of cost, for live queues alone
      and for all staffed channels less the idle time live queues could lend to backlog
      work; live queues need their cover. A new channel's draw takes at most
      ``drawn / (arriving - dropped)`` of each other channel, which gives each channel a
      least volume: the idle time a live queue lends is at most what it has there (or at the
      most it could carry, where idle time grows with volume), self-service hands at least
      that volume's share over, and public channels answer at least that volume.
    """
    a = problem.arrays
    members = _MEMBERS[mask]
    chan = a.channels
    staffed_bits = mask & a.staffed_mask
    staffed_least = a.least.get(staffed_bits) if staffed_bits else None
    if staffed_bits and staffed_least is None:
        staffed_least = _staffed_least(a, staffed_bits)
    greenfield = not a.offered
    # a new business's topics hand over at their own rates (in where they land)
    handover = staffed_least[0] if staffed_least and not greenfield else 0.0
    each = [0.0] * len(CHANNEL_IDS)   # the least a contact on the channel costs
    least = math.inf
    dearest = cost = 0.0
    most_live = most_staffed = 0.0    # the most people per contact on a channel of the set
    fte_live = fte_staffed = 0.0      # people at any volume
    for i in members:
        fixed, unit, handed, slope, floor, live, _, _, _ = chan[i]
        cost += fixed
        if handed >= 0:
            c = each[i] = unit + handed * handover
            fte_staffed += floor      # content effort (see :func:`_load`)
        else:
            c = each[i] = unit
            fte_staffed += floor
            if slope > most_staffed:
                most_staffed = slope
            if live:
                fte_live += floor
                if slope > most_live:
                    most_live = slope
        if c < least:
            least = c
        if c > dearest:
            dearest = c
    fit = 0.0
    for share, best in a.fit_order:
        for value, bit in best:
            if mask & bit:
                fit += share * value
                break
    sure_live = sure_staffed = 0.0    # people certainly needed beyond the floors
    low = [0.0] * len(CHANNEL_IDS)    # contacts each channel carries at least
    if greenfield:
        topic_mass: Sequence[float] = a.topic_contacts
    else:
        kept = mask & a.offered_mask
        gone = a.offered_mask ^ kept
        topic_mass = _moved_by_topic(a, gone) if gone else ()
        sums = a.kept.get(kept)
        if sums is None:
            sums = _kept_sums(a, kept)
        room, unit_sum, handed_sum, staffed_sum, live_sum = sums
        kept_cost = unit_sum + handover * handed_sum
        cost += kept_cost
        sure_staffed += staffed_sum
        sure_live += live_sum
        new = _MEMBERS[mask & ~a.offered_mask]
        scale = 1.0
        if new:
            drawn_by = a.drawn
            factors = []
            for n in new:
                drawn = drawn_by[n]
                f = (1 - drawn / room if drawn < room else 0.0) if room > 0 else 0.0
                factors.append(f)
                scale *= f
            # a draw takes from the others at their mean cost (people) per contact: at most
            # the dearest's, less what the channels kept are known to carry at a lower cost
            part = scale / a.arriving if a.arriving > 0 else 0.0
            rate = dearest - (dearest * room - kept_cost) * part
            rate_staffed = most_staffed - (most_staffed * room - staffed_sum) * part
            rate_live = most_live - (most_live * room - live_sum) * part
            after = 1.0
            for n, f in zip(reversed(new), reversed(factors), strict=True):
                drawn = drawn_by[n]
                _, _, handed, slope, _, live, _, _, _ = chan[n]
                # it draws at least this much, and at most ``drawn``
                sure = drawn if drawn < room else room if room > 0 else 0.0
                x = each[n] - rate
                cost += (drawn if x < 0 else sure) * x
                x = (slope if live else 0.0) - rate_live
                sure_live += (drawn if x < 0 else sure) * x
                x = (slope if handed < 0 else 0.0) - rate_staffed
                sure_staffed += (drawn if x < 0 else sure) * x
                low[n] = sure * after
                after *= f
        for i in _MEMBERS[kept]:
            low[i] = a.base[i] * scale
    if topic_mass:
        for contacts, (index, wide, memo) in zip(topic_mass, a.topic_keys, strict=True):
            key = mask & wide
            rates = memo.get(key)
            if rates is None:
                rates = memo[key] = _landing_rates(problem, index,
                                                   key & problem.suit_masks[index],
                                                   key & a.staffed_mask)
            cost += rates[0] * contacts
            sure_staffed += rates[1] * contacts
            sure_live += rates[2] * contacts
    public = idle = 0.0
    for i in _MEMBERS[mask & a.public_mask]:
        public += low[i]
    if not greenfield and staffed_least:
        handed_over = 0.0
        for i in _MEMBERS[mask & a.self_service_mask]:
            handed_over += chan[i][2] * low[i]
        sure_staffed += handed_over * staffed_least[1]
        sure_live += handed_over * staffed_least[2]
    top = (a.arriving or problem.contacts) * 2   # no channel carries more, handovers in
    for i in _MEMBERS[mask & a.idle_mask]:
        _, _, _, slope, floor, _, _, cap, work = chan[i]
        spare = slope * cap - work
        spare = floor * cap + spare * (low[i] if spare <= 0 else top)
        if spare > 0:
            idle += spare
    fte = fte_staffed + sure_staffed - idle
    if sure_live < 0:
        sure_live = 0.0
    if fte_live + sure_live > fte:
        fte = fte_live + sure_live
    return sum(_part_values(problem, mask, fit, cost, fte, _moved(problem, mask), public))


def _kept_sums(a: _Arrays, kept: int) -> tuple[float, float, float, float, float]:
    """Of the channels offered today in ``kept``, their volumes today weighted by: one, cost
    per contact, share handed over (self-service), people per contact (staffed channels),
    and people per contact (live queues); worked out once per mask."""
    volume = unit = handed = staffed = live = 0.0
    for i in _MEMBERS[kept]:
        v = a.base[i]
        volume += v
        unit += a.unit[i] * v
        if a.handed[i] >= 0:
            handed += a.handed[i] * v
        else:
            staffed += a.fte_slope[i] * v
            if a.live[i]:
                live += a.fte_slope[i] * v
    known = a.kept[kept] = (volume, unit, handed, staffed, live)
    return known


def _landing_rates(problem: Problem, index: int, suited: int,
                   staffed: int) -> tuple[float, float, float]:
    """Per contact of topic ``index`` landing in a set whose channels that suit it are
    ``suited`` and whose staffed channels are ``staffed``: the least cost (a channel's cost
    per contact, plus on self-service its handover at the cheapest staffed channel's),
    people, and people on a live queue (see :func:`_split`). Self-service that suits it is
    tried first by a known share, and hands over at least what no channel of ``suited``
    would contain at its full rate, so staffed channels take at least the rest; with no
    suited staffed channel the best staffed one takes those handovers; with no channel that
    suits it, it may land anywhere (every self-service channel counted, so that the figures
    depend on ``suited`` and ``staffed`` alone and are worked out once for both)."""
    a = problem.arrays
    unit, handed = a.unit, a.handed
    greenfield = not a.offered
    handover = _staffed_least(a, staffed)[0] if staffed and not greenfield else 0.0
    spared = suited & a.self_service_mask
    missed = 1.0        # at least this share of those trying self-service is handed over
    cheap = math.inf    # the least a contact costs on self-service that suits it
    contained = a.contained[index]
    for i in _MEMBERS[spared]:
        missed *= 1 - contained[i]
        cheap = min(cheap, unit[i] + handed[i] * handover)
    assisted = suited & staffed
    if assisted:
        first, person_staffed, person_live = _staffed_least(a, assisted)
        if not spared:
            return first, person_staffed, person_live
        trying = problem.uptake[not spared & _KB_MASK]
        if greenfield:    # self-service takes the share that tries it, a person the rest
            person = 1 - trying + trying * missed
            cost = trying * cheap + person * first
        else:             # where the set's contacts land, as shares summing to one
            tried = trying / (1 + trying * missed)
            person = 1 - tried
            cost = min(first, tried * cheap + person * first)
        return cost, person_staffed * person, person_live * person
    if suited and staffed:    # self-service alone suits it: the best staffed channel takes
        first, person_staffed, person_live = _staffed_least(a, staffed)    # the handovers
        if greenfield:
            return cheap + missed * first, person_staffed * missed, person_live * missed
        least_share = missed / (1 + missed)
        cost = min((1 - w) * cheap + w * first for w in (least_share, 0.5))
        return cost, person_staffed * least_share, person_live * least_share
    anywhere = suited | staffed if suited else a.self_service_mask | staffed
    return min([unit[i] + handed[i] * handover if handed[i] >= 0 else unit[i]
                for i in _MEMBERS[anywhere]]), 0.0, 0.0


def _staffed_least(a: _Arrays, bits: int) -> tuple[float, float, float]:
    """Of the staffed channels in ``bits``: the least cost per contact, the least people
    per contact, and the least people per contact on a live queue (0 where a backlog
    channel is among them); worked out once per mask."""
    known = a.least.get(bits)
    if known is None:
        on = _MEMBERS[bits]
        known = a.least[bits] = (min([a.unit[i] for i in on]), min([a.fte_slope[i] for i in on]),
                                 min([a.fte_slope[i] if a.live[i] else 0.0 for i in on]))
    return known


def _moved(problem: Problem, mask: int) -> float:
    """The share of today's contacts on channels the set drops (worked out once for the
    channels it keeps)."""
    a = problem.arrays
    kept = mask & a.offered_mask
    known = a.moved_share.get(kept)
    if known is None:
        known = a.moved_share[kept] = sum(a.offered_share[k] for k, i in enumerate(a.offered)
                                          if not mask >> i & 1)
    return known


def evaluate(problem: Problem, channels: Sequence[str]) -> Evaluation:
    """Price and score one candidate set, with everything a recommendation reads of it."""
    mask = _mask(channels)
    chosen = _SETS[mask - 1] if mask else ()
    landings = _place(problem, mask).landings if mask else []
    fit = 0.0
    uncovered: list[str] = []
    unsuited: list[str] = []
    fit_by: dict[str, float] = {}
    for t, landing in zip(problem.topics, landings, strict=True):
        if not landing.covered:
            (uncovered if t.material else unsuited).append(t.name)
        fit += landing.fit
        for c, k in landing.coef.items():
            fit_by[c] = fit_by.get(c, 0.0) + t.share * k
    at = _volumes(problem, mask, landings)
    cost, fte, public = _load(problem, mask, at)
    moved = _moved(problem, mask)
    evaluation = Evaluation(channels=chosen, feasible=not uncovered, fit=fit, cost=cost, fte=fte,
                            moved=moved, volumes={CHANNEL_IDS[i]: at[i] for i in _MEMBERS[mask]},
                            uncovered=uncovered, carried_unsuited=unsuited, fit_by=fit_by,
                            missing=tuple(i for i, x in enumerate(landings) if not x.covered),
                            public=public, tied=any(x.tied for x in landings))
    evaluation.parts = dict(zip(PARTS, _part_values(problem, mask, fit, cost, fte, moved, public),
                                strict=True))
    return evaluation


def fit_of(problem: Problem, channels: Sequence[str]) -> float:
    """A set's customer fit alone: exactly :func:`evaluate`'s ``fit``, without pricing."""
    mask = _mask(channels)
    return _place(problem, mask).fit if mask else 0.0


def reprice(problem: Problem, known: Evaluation) -> Evaluation:
    """``known`` (an evaluation of the same set in a problem with the same profile) under
    ``problem``'s scores, threshold and cap: contacts land where they did (unless scores
    broke a tie in placing them: then the set is evaluated again), so volumes, cost and
    staff stand; customer fit, the launch charge and which topics are material change."""
    if known.tied:
        return evaluate(problem, known.channels)
    fit = sum(k * problem.quality[c] for c, k in known.fit_by.items())
    names = [problem.topics[i] for i in known.missing]
    evaluation = Evaluation(channels=known.channels, feasible=not any(t.material for t in names),
                            fit=fit, cost=known.cost, fte=known.fte, moved=known.moved,
                            volumes=known.volumes, uncovered=[t.name for t in names if t.material],
                            carried_unsuited=[t.name for t in names if not t.material],
                            fit_by=known.fit_by, missing=known.missing, public=known.public)
    evaluation.parts = dict(zip(PARTS, _part_values(problem, _mask(known.channels), fit, known.cost,
                                                     known.fte, known.moved, known.public),
                                strict=True))
    return evaluation


class _Terms(NamedTuple):
    """A problem's constants in the objective's parts (:func:`_part_values`)."""

    cost: float           # cost part per unit of monthly cost
    budget: float | None
    over_budget: float    # over-budget part per unit of monthly cost
    staff: float          # staff part per person needed
    agents: float | None
    team: float           # the team, at least half a person
    move: float
    focus: float          # focus part per channel run
    watchers: int         # the most live queues the team can watch (an inbox is half)
    risk: float           # risk part per contact answered in public

    @classmethod
    def of(cls, problem: Problem) -> _Terms:
        p = problem.priorities
        reference = problem.budget if problem.budget else problem.contacts * ASSISTED_CONTACT
        agents = problem.agents
        team = agents if agents is not None else 50.0
        return cls(
            cost=-COST_WEIGHT * p["cost"] / 3 / max(reference, 1e-9),
            budget=problem.budget, over_budget=OVER_BUDGET_WEIGHT / max(problem.budget or 0.0, 1e-9),
            staff=-STAFF_WEIGHT * p["cost"] / 3 / max(agents or 0.0, 0.5), agents=agents,
            team=max(agents or 0.0, 0.5), move=-MOVE_WEIGHT * p["effort"] / 3,
            focus=-FOCUS_WEIGHT * (1 + 20 / (1 + team)),
            watchers=max(1, math.floor(agents)) if agents is not None else 0,
            risk=-RISK_WEIGHT * RISK_BY_TOLERANCE[problem.profile.constraints.brand_risk_tolerance]
            / max(problem.contacts, 1e-9))


def _part_values(problem: Problem, mask: int, fit: float, cost: float, fte: float, moved: float,
                 public: float) -> tuple[float, float, float, float, float, float]:
    """The objective's parts (:data:`PARTS`, in order) for the set ``mask``; README, "How the
    set is chosen"."""
    k = problem.terms
    per_cost, budget, over_budget, per_person, agents, team, move, _, _, risk = k
    cost_part = per_cost * cost
    if budget is not None and cost > budget:
        cost_part -= over_budget * cost - OVER_BUDGET_WEIGHT
    staff = 0.0
    if agents is not None:
        staff = per_person * fte
        if fte > agents:
            staff -= OVER_TEAM_WEIGHT * min(3.0, (fte - agents) / team)
    # moving customers off the channel they chose grows worse than linearly with their share
    moved_part = move * moved * (1 + 1.5 * moved)
    a = problem.arrays
    focus = a.focus.get(mask)
    if focus is None:
        # every channel run takes the team's attention, and the smaller the team the more; a
        # live queue (phone, live chat) needs someone watching it, so no more of them than
        # people (channelplan assumption: one person can watch one queue well, or two inboxes
        # answered from a backlog, which wait for them); launching a channel is a project:
        # only a strong fit is worth it
        runs = launch = 0.0
        for i in _MEMBERS[mask]:
            runs += a.runs[i]
            launch += a.launch[i]
        focus = k.focus * runs
        if k.agents is not None:
            watched = _COUNT[mask & a.live_mask] + BACKLOG_WATCH * _COUNT[mask & a.backlog_mask]
            focus -= PER_PERSON_WEIGHT * max(0.0, watched - k.watchers)
        focus -= launch
        a.focus[mask] = focus
    return fit, cost_part, staff, moved_part, focus, risk * public


def _missing(problem: Problem) -> list[int]:
    """For every mask, the material topics (a bit each) that no channel of the set suits:
    a set's are those of the set without its first channel, less what that channel suits."""
    suits = [0] * len(CHANNEL_IDS)    # per channel: the material topics it suits
    for index, bits in enumerate(problem.suit_masks):
        if problem.material_mask >> index & 1:
            for i in _MEMBERS[bits]:
                suits[i] |= 1 << index
    missing = [problem.material_mask] * (1 << len(CHANNEL_IDS))
    for mask in range(1, 1 << len(CHANNEL_IDS)):
        low = mask & -mask
        missing[mask] = missing[mask ^ low] & ~suits[low.bit_length() - 1]
    return missing


def _allows(problem: Problem, mask: int) -> bool:
    if not mask or _COUNT[mask] > problem.max_channels:
        return False
    # Customers must be able to reach a person: 60% fear AI will make that harder (Gartner,
    # Dec 2023), and self-service hands over what it cannot contain.
    keep, retire = problem.lock_masks
    if not mask & problem.assisted_mask and problem.assisted_mask & ~retire:
        return False
    return mask & keep == keep and not mask & retire


def _no_worse_retirement(problem: Problem, mask: int, cost: float, fte: float, fit: float,
                         today: Evaluation | None) -> bool:
    """A set that retires a channel offered today while costing more, needing more people
    and fitting customers no better than today's set is never chosen."""
    if today is None or not today.feasible:
        return True
    if not problem.arrays.offered_mask & ~mask & ~problem.lock_masks[1]:
        return True    # it retires nothing but what is locked to retire
    return not (cost > today.cost + 1e-6 and fte > today.fte + 1e-6 and fit <= today.fit + 1e-9)


@dataclass
class Search:
    best: Evaluation
    runner_up: Evaluation | None
    today: Evaluation | None
    evaluated: Mapping[tuple[str, ...], Evaluation]
    relaxed: bool                      # no set covers every material topic: coverage relaxed
    ranked: list[tuple[str, ...]] = field(default_factory=list)   # best first
    # (objective, mask, fit, cost, fte, material topics uncovered) of each set priced
    rows: list[tuple[float, int, float, float, float, int]] = field(default_factory=list)
    # a search with ``keep`` under a cap: every set within the cap that it did not price
    # has a ceiling below the ``keep``-th best objective it found
    settled: tuple[int, int] | None = None      # (cap, keep)


class _Evaluations(Mapping[tuple[str, ...], Evaluation]):
    """The sets a search priced; each is built into a full :class:`Evaluation` when first
    read (a recommendation reads a handful of the up to 255)."""

    def __init__(self, problem: Problem, keys: Collection[tuple[str, ...]],
                 made: dict[tuple[str, ...], Evaluation]):
        self._problem = problem
        self._keys = keys
        self._made = made

    def __getitem__(self, key: tuple[str, ...]) -> Evaluation:
        made = self._made.get(key)
        if made is None:
            if key not in self._keys:
                raise KeyError(key)
            made = self._made[key] = evaluate(self._problem, key)
        return made

    def __iter__(self) -> Iterator[tuple[str, ...]]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


_SETS: list[tuple[str, ...]] = [tuple(c for i, c in enumerate(CHANNEL_IDS) if mask >> i & 1)
                                for mask in range(1, 1 << len(CHANNEL_IDS))]
_MASKS: dict[tuple[str, ...], int] = {s: mask for mask, s in enumerate(_SETS, start=1)}
_MEMBERS: list[list[int]] = [[i for i in range(len(CHANNEL_IDS)) if mask >> i & 1]
                             for mask in range(1 << len(CHANNEL_IDS))]
_COUNT: list[int] = [len(m) for m in _MEMBERS]


def _mask(channels: Collection[str]) -> int:
    known = _MASKS.get(channels) if isinstance(channels, tuple) else None
    return known if known is not None else sum(1 << CHANNEL_IDS.index(c) for c in set(channels))


def search(problem: Problem, shortlist: Sequence[tuple[str, ...]] | None = None,
           priced: Mapping[tuple[str, ...], Evaluation] | None = None,
           keep: int | None = None, seed: Search | None = None) -> Search:
    """The best set of all candidate sets (or of ``shortlist``), and the best set that was
    not chosen. ``priced``: evaluations of the same profile's sets under other scores,
    thresholds or caps, re-priced instead of evaluated again. ``keep``: only the best
    ``keep`` sets need to be ranked exactly; a set whose objective cannot reach theirs
    (:func:`_ceiling`) is not priced, so ``ranked`` holds those and the sets priced on the
    way. ``seed``: a search of the same problem under a lower cap (with ``keep``); the sets
    it priced are not priced again."""
    masks = range(1, 1 << len(CHANNEL_IDS)) if shortlist is None else \
        list(dict.fromkeys(_mask(s) for s in shortlist))
    masks = [m for m in masks if _allows(problem, m)]
    # Sets that leave a material topic without a suited channel compete only when no set
    # can carry them all; until then they need no pricing.
    missing = _missing(problem)
    covering = [m for m in masks if not missing[m]]
    pool = covering or masks
    made: dict[tuple[str, ...], Evaluation] = {}
    today_mask = problem.arrays.offered_mask
    today: Evaluation | None = None
    if today_mask:
        key = _SETS[today_mask - 1]
        known = priced.get(key) if priced is not None else None
        if known is not None:
            today = made[key] = reprice(problem, known)
        elif seed is not None and seed.today is not None:
            today = made[key] = seed.today    # the cap does not change a set's objective
        else:
            today = made[key] = evaluate(problem, key)
    # (objective, mask, fit, cost, fte, material topics uncovered) per set
    rows: list[tuple[float, int, float, float, float, int]] = []
    if keep is not None and priced is None and covering:
        # best ceiling first; stop when no set left can reach the best ``keep`` candidates
        top: list[float] = []      # the best candidates' objectives (a min-heap)
        seen = set()
        for row in seed.rows if seed is not None else ():
            if _allows(problem, row[1]):
                rows.append(row)
                seen.add(row[1])
                if not row[5] and _no_worse_retirement(problem, row[1], row[3], row[4], row[2],
                                                       today):
                    heapq.heappush(top, row[0])
                    if len(top) > keep:
                        heapq.heappop(top)
        # a seed's unpriced sets cannot reach its best ``keep``, nor so ours (no more)
        within = seed.settled[0] if seed is not None and seed.settled is not None \
            and keep <= seed.settled[1] else 0
        order = sorted(((_ceiling(problem, m), m) for m in covering
                        if m not in seen and _COUNT[m] > within), key=lambda x: -x[0])
        for ceiling, mask in order:
            if len(top) >= keep and ceiling < top[0] - 1e-9:
                break
            p = _price(problem, mask)
            rows.append((p.objective, mask, p.fit, p.cost, p.fte, p.uncovered))
            if _no_worse_retirement(problem, mask, p.cost, p.fte, p.fit, today):
                heapq.heappush(top, p.objective)
                if len(top) > keep:
                    heapq.heappop(top)
    else:
        for mask in pool:
            key = _SETS[mask - 1]
            known = priced.get(key) if priced is not None else None
            if known is None:
                p = _price(problem, mask)
                rows.append((p.objective, mask, p.fit, p.cost, p.fte, p.uncovered))
                continue
            e = made[key] = reprice(problem, known)
            rows.append((e.objective, mask, e.fit, e.cost, e.fte, len(e.uncovered)))
    evaluated = _Evaluations(problem, {_SETS[row[1] - 1] for row in rows}, made)
    candidates = [r for r in rows if not r[5] and _no_worse_retirement(problem, r[1], r[3], r[4],
                                                                          r[2], today)]
    relaxed = False
    if not candidates:
        # No allowed set carries every material topic (a lock, the cap, or no channel suits
        # it at all): the fewest uncovered topics first, then the objective.
        relaxed = True
        fewest = min(r[5] for r in rows) if rows else 0
        candidates = [r for r in rows if r[5] == fewest]
    if not candidates:
        raise ValueError("no candidate set is allowed by the locks and max_channels")
    candidates.sort(key=lambda r: (-r[0], _COUNT[r[1]], _SETS[r[1] - 1]))
    ranked = [_SETS[r[1] - 1] for r in candidates]
    return Search(best=evaluated[ranked[0]],
                  runner_up=evaluated[ranked[1]] if len(ranked) > 1 else None, today=today,
                  evaluated=evaluated, relaxed=relaxed, ranked=ranked, rows=rows,
                  settled=(problem.max_channels, keep) if keep is not None and priced is None
                  and shortlist is None else None)


__all__ = ["Evaluation", "PARTS", "Problem", "Search", "evaluate", "fit_of", "search"]
