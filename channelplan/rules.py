"""The scoring rules: the catalogue of records, and one pure function per rule.

A rule function takes the profile's :class:`Facts` and a channel id and returns a fit from
-1 (a strong reason against) to +1 (a strong reason for) and a sentence that quotes the
profile's own facts. The records (title, weight, evidence, source, and the thresholds the
function uses, its ``parameters``) are data, in ``data/rules.yaml``; ``@rule("ID")``
registers a function under the id of its record.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from channelplan.catalogue import (
    CHANNEL_IDS,
    assisted_ids,
    catalogue,
    public_content_ids,
    published_ids,
)
from channelplan.datafiles import load_data
from channelplan.fit import (
    complexity_fit,
    max_complexity,
    privacy,
    privacy_fit,
    response_seconds,
    serves,
    urgency_fit,
    written_money,
)
from channelplan.model import Profile
from channelplan.sizing import (
    ChannelModel,
    ChannelParams,
    channel_model,
    channel_params,
    current_volumes,
    on_duty,
    usual_containment,
    with_handovers,
)
from channelplan.units import duration_text

BASELINE = 50.0


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    measures: str
    weight: float
    priorities: tuple[str, ...]
    evidence: str
    source: str
    # The thresholds the rule's function uses (not part of the published record).
    parameters: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def to_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "measures": self.measures,
                "weight": self.weight, "priorities": list(self.priorities),
                "evidence": self.evidence, "source": self.source}


@lru_cache(maxsize=1)
def rule_catalogue() -> dict[str, Rule]:
    """Every rule, by id, in catalogue order."""
    records = load_data("rules.yaml")
    return {r["id"]: Rule(id=r["id"], title=r["title"], measures=" ".join(r["measures"].split()),
                          weight=float(r["weight"]), priorities=tuple(r["priorities"]),
                          evidence=" ".join(r["evidence"].split()),
                          source=" ".join(r["source"].split()),
                          parameters=r.get("parameters") or {}) for r in records}


RuleFunction = Callable[["Facts", str], tuple[float, str]]
RULE_FUNCTIONS: dict[str, RuleFunction] = {}


def rule(rule_id: str) -> Callable[[RuleFunction], RuleFunction]:
    """Register the decorated function as the rule whose record in ``data/rules.yaml`` has
    the id ``rule_id``."""
    def register(function: RuleFunction) -> RuleFunction:
        if rule_id in RULE_FUNCTIONS:
            raise ValueError(f"rule {rule_id} has two functions")
        RULE_FUNCTIONS[rule_id] = function
        return function

    return register


def parameters(rule_id: str) -> Mapping[str, Any]:
    """The thresholds of one rule, from its record."""
    return rule_catalogue()[rule_id].parameters


def pct(share: float) -> str:
    return f"{share * 100:.0f}%"


class Facts:
    """What the rules read from a profile, computed once."""

    def __init__(self, profile: Profile, models: Mapping[str, ChannelModel] | None = None):
        """``models`` are the straight-line capacity models (one per channel) that the
        STAFFING and COST rules read; built from the profile when not given."""
        self.profile = profile
        self.models = models if models is not None else {c: channel_model(profile, c)
                                                         for c in CHANNEL_IDS}
        self.ages = profile.customers.ages
        self.topics = profile.demand.topics
        self.maturity = profile.customers.digital_maturity
        self.offered = profile.channels.offered()
        self.volumes = with_handovers(profile, current_volumes(profile))
        self.on_duty = on_duty(profile)
        self.params: dict[str, ChannelParams] = {c: channel_params(profile, c) for c in CHANNEL_IDS}
        budget = profile.constraints.monthly_budget
        self.budget_per_contact = (None if budget is None
                                   else budget / profile.demand.contacts_per_month)

    @property
    def reference_volume(self) -> float:
        """The monthly volume every channel is sized at for STAFFING: an equal share of all
        contacts across the channels run today (all of them for a greenfield business), so
        that channels are compared on how many people they need per contact, whatever
        volume they happen to carry now."""
        return self.profile.demand.contacts_per_month / max(1, len(self.offered))

    @cached_property
    def staff(self) -> dict[str, float]:
        """Productive agents each staffed channel needs in the busiest hour at the reference volume."""
        return {c: self.models[c].peak(self.reference_volume) for c in assisted_ids()}

    @cached_property
    def unit_cost(self) -> dict[str, float]:
        """Cost per contact at the reference volume: staff, fixed and per-contact costs."""
        v = max(self.reference_volume, 1e-9)
        return {c: self.models[c].cost(v) / v for c in CHANNEL_IDS}

    @cached_property
    def containment(self) -> dict[str, float]:
        """Share of what each self-service channel sees that it resolves for this profile's
        topics: the capacity model's containment, a measured resolution where the profile
        gives one, but never below what its kind contains for these topics (a weak
        measurement is a reason to improve the channel, not a lower score)."""
        return {c: max(self.params[c].resolution_rate, self_service_benchmark(self, c))
                for c in CHANNEL_IDS if catalogue()[c].kind == "self_service"}

    def containment_text(self, cid: str) -> str:
        """What a self-service channel resolves, in words (after "it")."""
        measured = self.params[cid].resolution_rate
        if "resolution_rate" in self.params[cid].defaults_used:
            return f"resolves about {pct(measured)} of what it sees for your topics"
        if measured >= self.containment[cid]:
            return f"resolves a measured {pct(measured)} of what it sees"
        return (f"is judged on the {pct(self.containment[cid])} its kind resolves for your topics "
                f"(measured {pct(measured)}: a reason to improve it)")

    @cached_property
    def handover_cost(self) -> float:
        """Cost of the assisted contact a self-service channel hands over to: the unit cost of
        the staffed channels offered today, weighted by their shares (the capacity model's
        handovers go to them in that proportion). With none offered yet, the mean unit cost
        of every staffed channel, priced by the same model for this profile."""
        staffed = [c for c in self.offered if c in assisted_ids()]
        if not staffed:
            return sum(self.unit_cost[c] for c in assisted_ids()) / len(assisted_ids())
        shares = {c: self.offered[c].share for c in staffed}
        total = sum(shares.values())
        if total <= 0:
            return sum(self.unit_cost[c] for c in staffed) / len(staffed)
        return sum(shares[c] * self.unit_cost[c] for c in staffed) / total

    @cached_property
    def tightness(self) -> float:
        """Productive agents the offered staffed channels need together in the busiest hour
        today, over those who can be on duty."""
        if self.on_duty is None or self.on_duty <= 0:
            return 0.0 if self.on_duty is None else 2.0
        need = sum(self.models[c].peak(self.volumes[c]) for c in self.offered if c in assisted_ids())
        return need / self.on_duty


def _clip(value: float) -> float:
    return max(-1.0, min(1.0, value))


BAND_TEXT = {"under_25": "under 25", "25_to_54": "aged 25-54", "55_plus": "55 or older"}


@rule("AGE-FIT")
def age_fit(f: Facts, cid: str) -> tuple[float, str]:
    prefs = parameters("AGE-FIT")["preference"][cid]
    score = sum(f.ages[band] * prefs[band] for band in prefs)
    fit = _clip(2 * score - 1)
    band = max(f.ages, key=lambda b: f.ages[b] * (prefs[b] - 0.5) * (1 if fit >= 0 else -1))
    name = catalogue()[cid].in_sentence
    if fit >= 0:
        return fit, (f"{pct(f.ages[band])} of your customers are {BAND_TEXT[band]}, a group that "
                     f"likes {name} ({pct(prefs[band])} preference)")
    return fit, (f"{pct(f.ages[band])} of your customers are {BAND_TEXT[band]}, who rarely "
                 f"choose {name} ({pct(prefs[band])} preference)")


@rule("URGENCY-FIT")
def urgency_rule(f: Facts, cid: str) -> tuple[float, str]:
    response = response_seconds(f.profile, cid)
    met = sum(t.share * urgency_fit(response, t.urgency) for t in f.topics)
    fit = _clip(2 * met - 1)
    slow = [t for t in f.topics if urgency_fit(response, t.urgency) < 1]
    answer = f"answers in about {duration_text(response)}"
    if not slow:
        return fit, f"{answer}, fast enough for every topic"
    worst = max(slow, key=lambda t: t.share)
    slow_share = sum(t.share for t in slow)
    if fit >= 0:
        return fit, (f"{answer}, fast enough for {pct(1 - slow_share)} of contacts, though not "
                     f"for '{worst.name}' ({worst.urgency})")
    return fit, (f"{answer}: too slow for {pct(slow_share)} of contacts, such as "
                 f"'{worst.name}' ({worst.urgency})")


@rule("SENSITIVITY")
def sensitivity_rule(f: Facts, cid: str) -> tuple[float, str]:
    kind = privacy(f.profile, cid)
    sensitive = [t for t in f.topics if t.sensitivity != "none"]
    name = catalogue()[cid].in_sentence
    if not sensitive:
        return 0.0, "no topic involves personal data or money"
    if cid in public_content_ids():
        # Public help content and forums serve the general questions and never handle personal data,
        # so sensitive topics are simply not its business.
        return 0.0, (f"{name} serves the general questions and handles no personal data, so "
                     "personal and financial topics do not count against it")
    fit = _clip(sum(t.share * (2 * privacy_fit(f.profile, cid, t) - 1) for t in sensitive))
    financial = sum(t.share for t in sensitive if t.sensitivity == "financial")
    personal = sum(t.share for t in sensitive if t.sensitivity == "personal")
    facts = " and ".join(x for x in (f"{pct(financial)} of contacts involve money" if financial else "",
                                     f"{pct(personal)} personal data" if personal else "") if x)
    offer = f.offered.get(cid)
    verdict = {"authenticated": ("customers log in first, so their identity is verified"
                                 if offer is not None and offer.authenticated else
                                 "the customer's identity can be verified"),
               "private": ("personal matters move to private messages, but identity checks are weak"
                           if cid == "social_media" else "private, but identity checks are weak"),
               "public": "public: everyone can read the conversation",
               "none": "self-service content cannot handle a customer's own data"}[kind]
    written = [t for t in sensitive if written_money(f.profile, cid, t)]
    if written:
        verdict += (f"; simple money questions that can wait a day ({pct(sum(t.share for t in written))}"
                    " of contacts) are answered well in writing, with a record")
    return fit, f"{facts}; on {name} {verdict}"


@rule("COMPLEXITY")
def complexity_rule(f: Facts, cid: str) -> tuple[float, str]:
    channel = catalogue()[cid]
    p = parameters("COMPLEXITY")
    topics = [t for t in f.topics if serves(cid, t)]
    total = 0.0
    for t in topics:
        cfit = complexity_fit(f.profile, cid, t.complexity)
        if cfit < 1:
            value = p["unresolved"] if cfit == 0 else p["strained"]
        elif channel.kind == "self_service":
            value = p["self_service_by_maturity"][f.maturity] * (
                1.0 if t.complexity == "low" else p["self_service_not_simple"])
        else:
            value = p["assisted_by_complexity"][t.complexity]
        total += t.share * value
    hard = sum(t.share for t in topics if complexity_fit(f.profile, cid, t.complexity) < 1)
    simple = sum(t.share for t in topics if t.complexity == "low")
    proven = max_complexity(f.profile, cid) != channel.max_complexity
    if hard:
        return _clip(total), (f"{pct(hard)} of contacts are more complex than "
                              f"{channel.in_sentence} resolves well")
    if channel.kind == "self_service":
        return _clip(total), (f"{pct(simple)} of contacts are simple questions it can answer, "
                              f"for customers of {f.maturity} digital maturity")
    complex_share = sum(t.share for t in topics if t.complexity == "high")
    lead = ("its measured resolution shows it resolves harder questions than its kind usually "
            "does; " if proven else "")
    return _clip(total), (lead + (f"resolves every kind of question you get, including the "
                                  f"{pct(complex_share)} that are complex" if complex_share else
                                  "resolves every kind of question you get"))


@rule("DIGITAL-READINESS")
def digital_rule(f: Facts, cid: str) -> tuple[float, str]:
    channel = catalogue()[cid]
    if channel.kind != "self_service":
        return 0.0, "an assisted channel: a person answers, whatever the customer's comfort with technology"
    p = parameters("DIGITAL-READINESS")
    fit = p["by_maturity"][f.maturity]
    if cid == "chatbot":
        fit -= p["chatbot_penalty"]
        return fit, (f"your customers' digital maturity is {f.maturity}, and 64% of customers "
                     "would rather companies did not use AI in service")
    return fit, f"customers of {f.maturity} digital maturity " + (
        "find their own answers" if f.maturity == "high" else
        "use self-service for some questions" if f.maturity == "medium" else
        "struggle with self-service")


# Staffed channels: average first-contact resolution (SQM Group), EFFORT's benchmark.
FCR_BENCHMARK: float = parameters("EFFORT")["fcr_benchmark"]


def self_service_benchmark(f: Facts, cid: str) -> float:
    """What a self-service channel usually contains for this topic mix (the capacity model's
    containment by complexity), the benchmark of its own kind."""
    served = [t for t in f.topics if serves(cid, t)] or list(f.topics)
    total = sum(t.share for t in served)
    return sum(t.share * usual_containment(cid, t.complexity) for t in served) / total \
        if total else 0.0


@rule("EFFORT")
def effort_rule(f: Facts, cid: str) -> tuple[float, str]:
    params = f.params[cid]
    p = parameters("EFFORT")
    measured = "resolution_rate" not in params.defaults_used
    if catalogue()[cid].kind == "self_service":
        # Judged against its own kind, never against staffed channels' first-contact
        # resolution; for simple questions it is the customer's own first choice.
        bench = self_service_benchmark(f, cid)
        simple = sum(t.share for t in f.topics if t.complexity == "low" and serves(cid, t))
        lift = (max(0.0, (params.resolution_rate - bench) / max(bench, p["least_benchmark"]))
                if measured else 0.0)
        fit = _clip(p["simple_gain"] * simple - p["self_service_offset"] + p["lift_gain"] * lift)
        what = (f"measured {pct(params.resolution_rate)} against about {pct(bench)} its kind "
                "contains for your topics" if measured else
                f"contains about {pct(bench)} of what it sees for your mix of topics")
        return fit, (f"{what}; {pct(simple)} of contacts are simple questions customers would "
                     "rather answer themselves")
    typical = catalogue()[cid].resolution_rate
    # A measurement never scores worse than leaving it out would: a weak one is a reason to
    # improve the channel (see the actions), not to lower its fit.
    rate = max(params.resolution_rate, typical) if measured else typical
    fit = _clip((rate - p["fcr_benchmark"]) / p["fcr_spread"] * p["fcr_gain"])
    source = "measured" if measured and params.resolution_rate >= typical else "typical"
    tail = ("; the rest are handed over, and each extra step adds effort"
            if rate < p["handovers_below"] else "")
    return fit, f"resolves about {pct(rate)} of contacts at the first attempt ({source}){tail}"


def _money(currency: str, amount: float) -> str:
    return f"{currency} {amount:.2f}"


@rule("COST")
def cost_rule(f: Facts, cid: str) -> tuple[float, str]:
    currency = f.profile.company.currency
    own = f.unit_cost[cid]
    if cid in f.containment:
        # Self-service resolves only what it contains; the rest is handed over to a person at
        # the cost of an assisted contact, so a contact that starts here costs both.
        kept = f.containment[cid]
        cost = own + (1 - kept) * f.handover_cost
        what = (f"{f.containment_text(cid)}; with handovers a contact costs about "
                f"{_money(currency, cost)} ({_money(currency, own)} here, and "
                f"{pct(1 - kept)} handed to a person at about "
                f"{_money(currency, f.handover_cost)})")
    else:
        cost = own
        what = f"costs {_money(currency, cost)} a contact"
    if f.budget_per_contact is not None and f.budget_per_contact > 0:
        fit = _clip((f.budget_per_contact - cost) / f.budget_per_contact)
        return fit, f"{what} against a budget of {_money(currency, f.budget_per_contact)} per contact"
    if f.budget_per_contact == 0:
        return -1.0 if cost > 0 else 0.0, "the budget is zero"
    assisted = parameters("COST")["assisted_contact"]
    fit = _clip((assisted - cost) / assisted)
    return fit, f"{what} against about {assisted:.2f} for an assisted contact"


@rule("STAFFING")
def staffing_rule(f: Facts, cid: str) -> tuple[float, str]:
    channel = catalogue()[cid]
    if f.on_duty is None:
        return 0.0, "no limit on agents given"
    if not channel.assisted:
        # It needs no agents in a queue, but only what it contains stays off the queues:
        # every contact it hands over reaches an agent.
        kept = f.containment.get(cid, 0.0)
        fit = max(0.0, _clip(f.tightness - parameters("STAFFING")["self_service_from"])) * kept
        load = ("need about as many agents as your team can have on duty at the busiest hour"
                if 0.95 <= f.tightness <= 1.05 else
                f"need {f.tightness:.1f} times the agents your team can have on duty at the "
                "busiest hour" if f.tightness > 1 else
                f"use {pct(f.tightness)} of the agents your team can have on duty at the "
                "busiest hour")
        return fit, (f"needs no agents itself and takes what it resolves off your agents' "
                     f"queues: it {f.containment_text(cid)}; the rest reaches an agent. "
                     f"Today's channels {load}")
    need = f.staff[cid]
    ratio = need / f.on_duty if f.on_duty > 0 else 9.0
    fit = _clip(1 - 2 * ratio) if ratio <= 1 else -1.0
    share = 1 / max(1, len(f.offered))
    return fit, (f"sized at an equal share of your contacts for comparison ({pct(share)}, "
                 f"{f.reference_volume:,.0f} a month), it needs about {need:.1f} agents on duty "
                 f"at the busiest hour, of the {f.on_duty:.1f} your team can have on duty")


@rule("HOURS")
def hours_rule(f: Facts, cid: str) -> tuple[float, str]:
    hours = f.profile.demand.hours
    channel = catalogue()[cid]
    p = parameters("HOURS")
    strength = p["by_hours"][hours]
    if strength == 0:
        return 0.0, "customers need answers in business hours only"
    base = p["by_kind"][channel.kind]
    when = "around the clock" if hours == "always" else "in extended hours"
    what = {"self_service": "answers at any hour without staff",
            "async": "can queue overnight and still meet a reply target",
            "realtime": "needs people on duty through every open hour"}[channel.kind]
    return base * strength, f"customers need answers {when}; this channel {what}"


@rule("BRAND-RISK")
def brand_rule(f: Facts, cid: str) -> tuple[float, str]:
    channel = catalogue()[cid]
    if channel.privacy != "public":
        return 0.0, "conversations are private, so complaints stay out of public view"
    p = parameters("BRAND-RISK")
    tolerance = f.profile.constraints.brand_risk_tolerance
    fit = p["by_tolerance"][tolerance]
    note = ""
    if cid == "social_media" and f.on_duty is not None and f.on_duty < p["small_team"]:
        fit -= p["small_team_penalty"]
        note = "; a team this small cannot monitor it constantly"
    offer = f.offered.get(cid)
    if cid == "social_media" and offer is not None and offer.share > 0 and tolerance != "low":
        # Customers already post here: leaving them unanswered in public is a brand risk too
        # (airlines, telecoms and consumer brands answer large volumes on social media).
        posted = min(1.0, offer.share / p["posting_share"])
        fit += p["posting_gain"] * posted
        note += (f"; {pct(offer.share)} of contacts already arrive here, and posts left "
                 "unanswered in public are the larger risk")
    return _clip(fit), (f"public posts: complaints are visible to everyone, and your tolerance "
                        f"for that is {tolerance}{note}")


@rule("MEASURED")
def measured_rule(f: Facts, cid: str) -> tuple[float, str]:
    offer = f.offered.get(cid)
    if offer is None or (offer.csat is None and offer.resolution_rate is None):
        return 0.0, "no measured satisfaction or resolution given"
    p = parameters("MEASURED")
    csat, resolution = p["typical_csat"], p["typical_resolution"]
    parts, facts = [], []
    if offer.csat is not None:
        parts.append(_clip((offer.csat - csat) / p["csat_spread"]))
        facts.append(f"satisfaction {pct(offer.csat)}")
    if offer.resolution_rate is not None:
        parts.append(_clip((offer.resolution_rate - resolution) / p["resolution_spread"]))
        facts.append(f"first-contact resolution {pct(offer.resolution_rate)}")
    fit = sum(parts) / len(parts)
    # Only good measurements add points: a weak one makes the channel one to improve (see the
    # actions) and never scores worse than leaving the measurement out.
    if fit < 0:
        return 0.0, (f"measured {' and '.join(facts)}, below the typical {pct(csat)} and "
                     f"{pct(resolution)}: a reason to improve it, not to drop it")
    return fit, f"measured {' and '.join(facts)} (typical: {pct(csat)} and {pct(resolution)})"


@rule("FOCUS")
def focus_rule(f: Facts, cid: str) -> tuple[float, str]:
    offer = f.offered.get(cid)
    p = parameters("FOCUS")
    if offer is None:
        running = len(f.offered)
        if not running:
            return 0.0, "a new channel for a business that has none yet"
        crowding = min(1.0, running / p["crowded_at"])
        if cid in published_ids():
            return -crowding * p["published"], (
                f"you run {running} channel{'s' if running != 1 else ''} today; a help centre "
                "adds no queue to watch, but it is one more thing to keep current, so it counts "
                "as half a new channel")
        return -crowding, (f"you run {running} channel"
                                        f"{'s' if running != 1 else ''} today; each new one "
                                        "spreads the team thinner")
    # Continuous in the share: no cliff at any threshold.
    return min(1.0, offer.share / p["full_share"]), (f"carries {pct(offer.share)} of contacts today; moving "
                                          "them elsewhere costs customers effort")


def priority_scale(profile: Profile, rule: Rule) -> float:
    if not rule.priorities:
        return 1.0
    return sum(profile.priorities.get(p) for p in rule.priorities) / len(rule.priorities) / 3.0

