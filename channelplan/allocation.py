"""Where contacts go: splitting each topic's contacts over a set of channels.

Used to size a recommended set that has no volumes yet (a greenfield business) and to say
which channels absorb a retiring channel's contacts, topic by topic.

Within a topic, the channels that suit it share its contacts in proportion to how well
they fit it. Where self-service channels suit the topic too, a part of its contacts try
self-service first (more for digitally mature customers); what self-service does not
resolve is handed over to the assisted channels.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from channelplan.catalogue import CHANNEL_IDS, catalogue
from channelplan.fit import suits, topic_fit
from channelplan.model import Profile, Topic
from channelplan.sizing import channel_params

# Share of a topic's contacts that try a suitable self-service channel first. 70% of
# customers use self-service somewhere in their journey (Gartner); far fewer start there,
# and fewer still when they are not comfortable with it (channelplan assumption).
SELF_SERVICE_UPTAKE = {"low": 0.15, "medium": 0.30, "high": 0.45}
# A help centre is where self-service starts: for the simple, impersonal questions it suits,
# customers comfortable online look there first, up to the 70% who use self-service on the
# way (Gartner 2019). A bot or a forum alone is a conversation customers choose less often
# (64% would rather companies did not use AI in service, Gartner, Dec 2023): the shares
# above (channelplan assumption, scaled by digital maturity).
HELP_CENTRE_UPTAKE = {"low": 0.30, "medium": 0.50, "high": 0.70}


def uptake(profile: Profile, self_service: Iterable[str]) -> float:
    """The share of a topic's contacts that try the self-service channels ``self_service``
    (those that suit it) before a person: more where a help centre is among them."""
    shares = HELP_CENTRE_UPTAKE if any(catalogue()[c].published for c in self_service) \
        else SELF_SERVICE_UPTAKE
    return shares[profile.customers.digital_maturity]


def split_topic(profile: Profile, topic: Topic, channels: Iterable[str]) -> dict[str, float]:
    """Fractions of the topic's contacts each channel takes (they sum to at least 1: contacts
    that self-service does not resolve are counted again on the assisted channel)."""
    pool = [c for c in CHANNEL_IDS if c in set(channels)]
    if not pool:
        return {}
    suited = [c for c in pool if suits(profile, c, topic)]
    if not suited:
        suited = [max(pool, key=lambda c: (topic_fit(profile, c, topic), -CHANNEL_IDS.index(c)))]
    self_service = [c for c in suited if catalogue()[c].kind == "self_service"]
    assisted = [c for c in suited if c not in self_service]
    if not assisted:
        return {c: 1.0 / len(self_service) for c in self_service}
    result: dict[str, float] = {}
    remaining = 1.0
    if self_service:
        tried = uptake(profile, self_service)
        handed_over = 0.0
        for c in self_service:
            attempts = tried / len(self_service)
            result[c] = attempts
            handed_over += attempts * (1 - channel_params(profile, c).resolution_rate)
        remaining = 1.0 - tried + handed_over
    weights = {c: max(topic_fit(profile, c, topic), 0.05) for c in assisted}
    total = sum(weights.values())
    for c in assisted:
        result[c] = result.get(c, 0.0) + remaining * weights[c] / total
    return result


def allocate(profile: Profile, channels: Iterable[str],
             contacts_by_topic: Mapping[str, float] | None = None) -> dict[str, float]:
    """Monthly contacts per channel when ``channels`` serve the profile's demand (or
    ``contacts_by_topic``, topic name to monthly contacts)."""
    chosen = list(channels)
    volumes = {c: 0.0 for c in CHANNEL_IDS if c in chosen}
    for topic in profile.demand.topics:
        contacts = (contacts_by_topic or {}).get(
            topic.name, profile.demand.contacts_per_month * topic.share if contacts_by_topic is None else 0.0)
        for c, fraction in split_topic(profile, topic, chosen).items():
            volumes[c] += contacts * fraction
    return volumes
