"""The channel catalogue: the eight channel ids, the defaults a profile may rely on, the
groups of channels derived from them (assisted, live queues, concurrent, ...) and the open
hours of each ``demand.hours`` setting. Everything else reads these from here."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal, NamedTuple

from channelplan.datafiles import load_data

CHANNEL_IDS: tuple[str, ...] = (
    "phone",
    "email",
    "live_chat",
    "chatbot",
    "social_media",
    "messaging",
    "community_forum",
    "knowledge_base",
)
"""The catalogue's channel ids, in the order the spec lists them."""

COMPLEXITY_LEVEL = {"low": 0, "medium": 1, "high": 2}


class OpenHours(NamedTuple):
    """When a ``demand.hours`` setting is open: hours a day, days a week, days a month."""

    daily: float
    days_per_week: float
    days_per_month: float

    @property
    def weekly(self) -> float:
        return self.daily * self.days_per_week

    @property
    def monthly(self) -> float:
        return self.daily * self.days_per_month


# The one open-hours table. Days a month: 22 working days (the payroll convention for a
# five-day week), 26 for a six-day week (6 x 52 / 12), 365 / 12 every day. So a month is
# 198, 312 and 730 open hours, a week 45, 72 and 168.
OPEN_HOURS: dict[str, OpenHours] = {
    "business": OpenHours(daily=9.0, days_per_week=5.0, days_per_month=22.0),
    "extended": OpenHours(daily=12.0, days_per_week=6.0, days_per_month=26.0),
    "always": OpenHours(daily=24.0, days_per_week=7.0, days_per_month=365.0 / 12.0),
}


class Channel(NamedTuple):
    id: str
    name: str
    short: str                                # a label of at most four characters (legend)
    kind: Literal["realtime", "async", "self_service"]
    cost_per_contact: float
    handle_minutes: float
    resolution_rate: float
    target_seconds: float
    target_share: float
    concurrency: float
    response_seconds: float
    privacy: Literal["authenticated", "private", "public", "none"]
    max_complexity: Literal["low", "medium", "high"]
    sources: dict[str, str]
    patience_seconds: float | None = None     # live queues: mean patience; None never abandons
    max_abandon: float | None = None          # live queues: most callers planned to be lost
    containment: dict[str, float] | None = None   # self-service: share resolved by complexity
    content_fte: float = 0.0                  # self-service: fixed content effort (people)
    contact_fee: float = 0.0                  # non-staff cost of one contact
    upkeep: str = ""                          # self-service: what the content effort is
    anonymous: bool = False                   # its users cannot be told one by one

    @property
    def in_sentence(self) -> str:
        """The name inside a sentence: "Messaging (SMS and apps)" -> "messaging (SMS and apps)"."""
        return self.name[:1].lower() + self.name[1:]

    @property
    def assisted(self) -> bool:
        """Staffed: people answer (every kind but self-service)."""
        return self.kind != "self_service"

    @property
    def live(self) -> bool:
        """A live queue, sized with Erlang A."""
        return self.kind == "realtime"

    @property
    def concurrent(self) -> bool:
        """An agent works several of its conversations at once."""
        return self.concurrency > 1

    @property
    def public_content(self) -> bool:
        """Self-service whose content everyone can read (help content, forums)."""
        return self.kind == "self_service" and self.privacy in ("public", "none")

    @property
    def published(self) -> bool:
        """Content customers read, where nobody answers a conversation (help centre): it
        adds no queue, inbox or thread for the team to watch, only writing and review."""
        return self.kind == "self_service" and self.privacy == "none"


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Channel]:
    """The catalogue, read once from the package's data file."""
    raw = load_data("channels.yaml")
    channels = {}
    for cid in CHANNEL_IDS:
        entry = raw[cid]
        channels[cid] = Channel(
            id=cid,
            name=entry["name"],
            short=entry["short"],
            kind=entry["kind"],
            cost_per_contact=float(entry["cost_per_contact"]),
            handle_minutes=float(entry["handle_minutes"]),
            resolution_rate=float(entry["resolution_rate"]),
            target_seconds=float(entry["target"]["answer_within"]),
            target_share=float(entry["target"]["share"]),
            concurrency=float(entry["concurrency"]),
            response_seconds=float(entry["response_seconds"]),
            privacy=entry["privacy"],
            max_complexity=entry["max_complexity"],
            sources=dict(entry.get("sources", {})),
            patience_seconds=(None if entry.get("patience") in (None, "none")
                              else float(entry["patience"])),
            max_abandon=None if entry.get("max_abandon") is None else float(entry["max_abandon"]),
            containment=({k: float(v) for k, v in entry["containment"].items()}
                         if entry.get("containment") else None),
            content_fte=float(entry.get("content_fte", 0.0)),
            contact_fee=float(entry.get("contact_fee", 0.0)),
            upkeep=str(entry.get("upkeep", "")),
            anonymous=bool(entry.get("anonymous", False)),
        )
    return channels


@lru_cache(maxsize=None)
def _group(flag: str) -> tuple[str, ...]:
    return tuple(cid for cid, channel in catalogue().items() if getattr(channel, flag))


def assisted_ids() -> tuple[str, ...]:
    """Staffed channels (phone, email, live chat, social media, messaging), in id order."""
    return _group("assisted")


def live_ids() -> tuple[str, ...]:
    """Live queues (phone, live chat)."""
    return _group("live")


def concurrent_ids() -> tuple[str, ...]:
    """Channels whose agents work several conversations at once (live chat, messaging)."""
    return _group("concurrent")


def public_content_ids() -> tuple[str, ...]:
    """Self-service content everyone can read (community forum, knowledge base)."""
    return _group("public_content")


def published_ids() -> tuple[str, ...]:
    """Content nobody answers conversations on (knowledge base)."""
    return _group("published")


def anonymous_ids() -> tuple[str, ...]:
    """Channels whose users cannot be told one by one (chatbot, knowledge base)."""
    return _group("anonymous")
