"""channelplan: plan which customer-support channels to offer, which to retire, and how.

The public Python API (see README, "Python API")::

    from channelplan import load_profile, parse_profile, recommend, capacity, roadmap

Names are imported lazily so that ``import channelplan`` stays cheap.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "ArgumentError",
    "Problem",
    "Profile",
    "ProfileError",
    "UsageError",
    "capacity",
    "load_profile",
    "parse_profile",
    "recommend",
    "roadmap",
]

_WHERE = {
    "load_profile": "channelplan.loader",
    "parse_profile": "channelplan.loader",
    "Profile": "channelplan.model",
    "ProfileError": "channelplan.errors",
    "Problem": "channelplan.errors",
    "recommend": "channelplan.api",     # the core functions with their arguments checked
    "capacity": "channelplan.api",
    "roadmap": "channelplan.api",
    "ArgumentError": "channelplan.errors",
    "UsageError": "channelplan.errors",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'channelplan' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
