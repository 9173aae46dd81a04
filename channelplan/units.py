"""Small formatting helpers shared by renderers: durations, money, shares."""

from __future__ import annotations


def duration_text(seconds: float) -> str:
    """``20 s``, ``5 min``, ``6 h``, ``2 days``."""
    if seconds < 120:
        return f"{seconds:g} s"
    if seconds < 7200:
        return f"{seconds / 60:g} min"
    if seconds < 172800:
        return f"{seconds / 3600:g} h"
    return f"{seconds / 86400:g} days"


def money(amount: float, currency: str) -> str:
    return f"{currency} {amount:,.0f}"


def percent(share: float | None, digits: int = 0) -> str:
    return "-" if share is None else f"{share * 100:.{digits}f}%"


def full_time(count: float) -> str:
    """``count`` full-time people, in words ("1 full-time person", "2.5 full-time people")."""
    return f"{count:g} full-time {'person' if count == 1 else 'people'}"
