"""Did-you-mean: the known name closest to a mistyped one. Light: imports only difflib."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(value: object, known: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The name in ``known`` most like ``value`` (a string), or None when none is close."""
    if not isinstance(value, str):
        return None
    found = difflib.get_close_matches(value, list(known), n=1, cutoff=cutoff)
    return found[0] if found else None


def did_you_mean(value: object, known: Iterable[str], cutoff: float = 0.6,
                 otherwise: str = "") -> str:
    """``"; did you mean 'NAME'?"`` for the closest known name, else ``otherwise``."""
    name = closest(value, known, cutoff)
    return f"; did you mean '{name}'?" if name is not None else otherwise
