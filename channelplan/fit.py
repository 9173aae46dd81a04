"""How well a channel suits a topic: urgency, sensitivity and complexity.

One place for the judgement the scorer, the volume allocation and the roadmap share:
a channel *suits* a topic when it answers fast enough for the topic's urgency, is private
enough for its sensitivity, and resolves questions as complex as it is.
"""

from __future__ import annotations

from typing import Any

from channelplan.catalogue import COMPLEXITY_LEVEL, catalogue, public_content_ids
from channelplan.model import URGENCY_SECONDS, Profile, Topic

# The slowest first answer a customer accepts for each urgency: "10 seconds, 5 minutes,
# an hour, or a day" (domain.md), with room for the service-level conventions: chat's
# 60 s, social's 20 min, the six-hour email reply 41% of customers expect (Forrester), and
# a day and a half for "days".
TOLERANCE_SECONDS = {"seconds": 60, "minutes": 1200, "hours": 21600, "days": 129600}

PRIVACY_FIT = {
    # sensitivity -> privacy -> fit 0..1. Financial issues need the phone or an authenticated
    # private channel; personal data never goes on a public channel.
    "financial": {"authenticated": 1.0, "private": 0.45, "public": 0.0, "none": 0.0},
    "personal": {"authenticated": 1.0, "private": 0.9, "public": 0.0, "none": 0.2},
    "none": {"authenticated": 1.0, "private": 1.0, "public": 1.0, "none": 1.0},
}
PRIVACY_SUITS = {"financial": {"authenticated"}, "personal": {"authenticated", "private"},
                 "none": {"authenticated", "private", "public", "none"}}
# Financial issues usually need the phone "for a fast, effective resolution" (Martech Zone,
# "How to choose the best channel for your customer support strategy"): what they need is
# speed and a verified identity. A *simple* money question that can wait a day (a copy
# invoice, a failed payment answered with a link into the account) is answered well by email,
# in writing and with the record email keeps; no card details are taken there. Refunds,
# disputes and payment plans (medium or high complexity) still need a conversation
# (channelplan's reading of the article, checked on the judgement cases).
WRITTEN_MONEY = frozenset({"email"})
WRITTEN_MONEY_FIT = 0.8


def response_seconds(profile: Profile, channel_id: str) -> float:
    """How soon the channel answers: the profile's service target if given, else the catalogue's."""
    offer = getattr(profile.channels, channel_id)
    if offer is not None and offer.target is not None and offer.target.answer_within is not None:
        return offer.target.answer_within
    return catalogue()[channel_id].response_seconds


def urgency_fit(response: float, urgency: str) -> float:
    """1 when the channel answers within the topic's tolerance, falling to 0 at 10x too slow."""
    tolerance = TOLERANCE_SECONDS[urgency]
    if response <= tolerance:
        return 1.0
    import math

    return max(0.0, 1.0 - math.log10(response / tolerance))


# Measured performance at or above these benchmarks shows a staffed channel resolves harder
# questions than its kind usually does (first-contact resolution 72%, SQM Group; satisfaction
# 80%, the typical figure the MEASURED rule uses).
PROVEN_RESOLUTION = 0.72
PROVEN_CSAT = 0.80
LEVELS = ("low", "medium", "high")


def privacy(profile: Profile, channel_id: str) -> str:
    """The channel's privacy class for this business.

    A channel the profile marks ``authenticated: true`` (secure portal email, in-app messaging
    after log-in) can verify the customer. Social media answers personal matters in private
    messages, so for suitability it is private; its public posts are the brand-risk part
    (BRAND-RISK), not the conversation."""
    offer = getattr(profile.channels, channel_id)
    if offer is not None and offer.authenticated:
        return "authenticated"
    if channel_id == "social_media":
        return "private"
    return catalogue()[channel_id].privacy


def max_complexity(profile: Profile, channel_id: str) -> str:
    """The hardest questions the channel resolves well: the catalogue's, one level more when
    the profile's measured first-contact resolution and satisfaction prove it (a chat at 92%
    satisfaction resolving complex issues suits complex topics)."""
    level = catalogue()[channel_id].max_complexity
    offer = getattr(profile.channels, channel_id)
    if (offer is not None and catalogue()[channel_id].assisted
            and offer.resolution_rate is not None and offer.resolution_rate >= PROVEN_RESOLUTION
            and (offer.csat is None or offer.csat >= PROVEN_CSAT)):
        return LEVELS[min(2, LEVELS.index(level) + 1)]
    return level


def serves(channel_id: str, topic: Any) -> bool:
    """Whether the channel takes the topic at all: public help content and forums serve the
    general questions (how-to, status) and never handle personal data, so topics involving
    personal data or money are simply not theirs."""
    return not (channel_id in public_content_ids() and topic.sensitivity != "none")


def written_money(profile: Profile, channel_id: str, topic: Any) -> bool:
    """Whether the topic is a simple money question that can wait a day and the channel is
    email (not made authenticated, where it suits money matters anyway)."""
    return (topic.sensitivity == "financial" and topic.urgency == "days"
            and topic.complexity == "low"
            and channel_id in WRITTEN_MONEY and privacy(profile, channel_id) == "private")


def privacy_fit(profile: Profile, channel_id: str, topic: Any) -> float:
    """How private the channel is for the topic, 0 to 1."""
    if written_money(profile, channel_id, topic):
        return WRITTEN_MONEY_FIT
    return PRIVACY_FIT[topic.sensitivity][privacy(profile, channel_id)]


def private_enough(profile: Profile, channel_id: str, topic: Any) -> bool:
    """Whether the channel is private enough for the topic's data or money."""
    return (privacy(profile, channel_id) in PRIVACY_SUITS[topic.sensitivity]
            or written_money(profile, channel_id, topic))


def suits(profile: Profile, channel_id: str, topic: Topic) -> bool:
    """Whether the channel can carry the topic well on all three counts."""
    return (response_seconds(profile, channel_id) <= TOLERANCE_SECONDS[topic.urgency]
            and private_enough(profile, channel_id, topic)
            and COMPLEXITY_LEVEL[topic.complexity] <= COMPLEXITY_LEVEL[max_complexity(profile, channel_id)])


def complexity_fit(profile: Profile, channel_id: str, complexity: str) -> float:
    """1 when the channel resolves questions this complex, 0.35 one level short, 0 two short."""
    gap = COMPLEXITY_LEVEL[complexity] - COMPLEXITY_LEVEL[max_complexity(profile, channel_id)]
    return {1: 0.35, 2: 0.0}[gap] if gap > 0 else 1.0


def topic_fit(profile: Profile, channel_id: str, topic: Topic) -> float:
    """A graded fit from 0 to 1 (the product of urgency, privacy and complexity fits)."""
    return (urgency_fit(response_seconds(profile, channel_id), topic.urgency)
            * privacy_fit(profile, channel_id, topic)
            * complexity_fit(profile, channel_id, topic.complexity))


def why_not(profile: Profile, channel_id: str, topic: Topic) -> str:
    """A short phrase saying why a channel does not suit a topic ('' when it does)."""
    if not private_enough(profile, channel_id, topic):
        return f"is not private enough for {topic.sensitivity} matters"
    if response_seconds(profile, channel_id) > TOLERANCE_SECONDS[topic.urgency]:
        return f"is too slow for questions needing an answer within {topic.urgency}"
    if COMPLEXITY_LEVEL[topic.complexity] > COMPLEXITY_LEVEL[max_complexity(profile, channel_id)]:
        return f"cannot resolve {topic.complexity}-complexity questions"
    return ""


__all__ = ["TOLERANCE_SECONDS", "URGENCY_SECONDS", "complexity_fit", "max_complexity", "privacy",
           "privacy_fit", "private_enough", "response_seconds", "serves", "suits", "topic_fit",
           "urgency_fit", "why_not", "written_money"]
