"""The channel catalogue: the eight channel ids and the defaults a profile may rely on."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

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

ASSISTED = ("phone", "email", "live_chat", "social_media", "messaging")
LIVE = ("phone", "live_chat")           # live queues: Erlang A
CONCURRENT = ("live_chat", "messaging")  # an agent works several conversations at once
COMPLEXITY_LEVEL = {"low": 0, "medium": 1, "high": 2}


@dataclass(frozen=True)
class Channel:
    id: str
    name: str
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

    @property
    def assisted(self) -> bool:
        return self.kind != "self_service"


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
        )
    return channels
