"""How well a channel suits a topic: urgency, sensitivity and complexity.

One place for the judgement the scorer, the volume allocation and the roadmap share:
a channel *suits* a topic when it answers fast enough for the topic's urgency, is private
enough for its sensitivity, and resolves questions as complex as it is.
"""

from __future__ import annotations

from channelplan.catalogue import COMPLEXITY_LEVEL, Channel, catalogue
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


def complexity_fit(channel: Channel, complexity: str) -> float:
    gap = COMPLEXITY_LEVEL[complexity] - COMPLEXITY_LEVEL[channel.max_complexity]
    return {0: 1.0, 1: 0.35, 2: 0.0}[max(0, gap)] if gap > 0 else 1.0


def suits(profile: Profile, channel_id: str, topic: Topic) -> bool:
    """Whether the channel can carry the topic well on all three counts."""
    channel = catalogue()[channel_id]
    return (response_seconds(profile, channel_id) <= TOLERANCE_SECONDS[topic.urgency]
            and channel.privacy in PRIVACY_SUITS[topic.sensitivity]
            and COMPLEXITY_LEVEL[topic.complexity] <= COMPLEXITY_LEVEL[channel.max_complexity])


def topic_fit(profile: Profile, channel_id: str, topic: Topic) -> float:
    """A graded fit from 0 to 1 (the product of urgency, privacy and complexity fits)."""
    channel = catalogue()[channel_id]
    return (urgency_fit(response_seconds(profile, channel_id), topic.urgency)
            * PRIVACY_FIT[topic.sensitivity][channel.privacy]
            * complexity_fit(channel, topic.complexity))


def why_not(profile: Profile, channel_id: str, topic: Topic) -> str:
    """A short phrase saying why a channel does not suit a topic ('' when it does)."""
    channel = catalogue()[channel_id]
    if channel.privacy not in PRIVACY_SUITS[topic.sensitivity]:
        return f"is not private enough for {topic.sensitivity} matters"
    if response_seconds(profile, channel_id) > TOLERANCE_SECONDS[topic.urgency]:
        return f"is too slow for questions needing an answer within {topic.urgency}"
    if COMPLEXITY_LEVEL[topic.complexity] > COMPLEXITY_LEVEL[channel.max_complexity]:
        return f"cannot resolve {topic.complexity}-complexity questions"
    return ""


__all__ = ["TOLERANCE_SECONDS", "URGENCY_SECONDS", "response_seconds", "suits", "topic_fit",
           "urgency_fit", "why_not"]
