"""channelplan: plan which customer-support channels to offer, which to retire, and how.

The public Python API (see README, "Python API")::

    from channelplan import load_profile, recommend, capacity, roadmap, compare

Names are imported lazily so that ``import channelplan`` stays cheap; type checkers and
editors see the real imports below (``TYPE_CHECKING``), with their full signatures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from channelplan.api import capacity, recommend, roadmap
    from channelplan.comparison import Comparison, compare, load_profiles
    from channelplan.errors import ArgumentError, ChecklistError, Problem, ProfileError, UsageError
    from channelplan.loader import load_profile, parse_profile
    from channelplan.model import Profile
    from channelplan.scoring import ChannelVerdict, Contribution, Recommendation
    from channelplan.staffing import CapacityPlan, ChannelCapacity
    from channelplan.transition import Phase, Retirement, Roadmap, Task

__all__ = [
    "ArgumentError",
    "CapacityPlan",
    "ChannelCapacity",
    "ChannelVerdict",
    "ChecklistError",
    "Comparison",
    "Contribution",
    "Phase",
    "Problem",
    "Profile",
    "ProfileError",
    "Recommendation",
    "Retirement",
    "Roadmap",
    "Task",
    "UsageError",
    "capacity",
    "compare",
    "load_profile",
    "load_profiles",
    "parse_profile",
    "recommend",
    "roadmap",
]

_WHERE = {
    "load_profile": "channelplan.loader",
    "parse_profile": "channelplan.loader",
    "load_profiles": "channelplan.comparison",
    "compare": "channelplan.comparison",
    "Comparison": "channelplan.comparison",
    "Profile": "channelplan.model",
    "ProfileError": "channelplan.errors",
    "Problem": "channelplan.errors",
    "UsageError": "channelplan.errors",
    "ChecklistError": "channelplan.errors",
    "Recommendation": "channelplan.scoring",
    "ChannelVerdict": "channelplan.scoring",
    "Contribution": "channelplan.scoring",
    "CapacityPlan": "channelplan.staffing",
    "ChannelCapacity": "channelplan.staffing",
    "Roadmap": "channelplan.transition",
    "Retirement": "channelplan.transition",
    "Phase": "channelplan.transition",
    "Task": "channelplan.transition",
    "recommend": "channelplan.api",     # the core functions with their arguments checked
    "capacity": "channelplan.api",
    "roadmap": "channelplan.api",
    "ArgumentError": "channelplan.errors",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        import importlib

        value = getattr(importlib.import_module(_WHERE[name]), name)
        globals()[name] = value  # once imported, a plain attribute
        return value
    raise AttributeError(f"module 'channelplan' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
