"""The channel catalogue: the eight channel ids and the defaults a profile may rely on."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal

import yaml

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

    @property
    def assisted(self) -> bool:
        return self.kind != "self_service"


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Channel]:
    """The catalogue, read once from the package's data file."""
    text = resources.files("channelplan").joinpath("data/channels.yaml").read_text("utf-8")
    raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
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
        )
    return channels
