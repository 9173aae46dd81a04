"""Did-you-mean: the known name closest to a mistyped one. Light: imports only difflib."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable


def closest(value: object, known: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The name in ``known`` most like ``value`` (a string), or None when none is close."""
    if not isinstance(value, str):
        return None
    names = list(known)
    # A whole word of a name first ("chat" means live_chat, "forum" community_forum).
    words = [n for n in names if value.lower() in re.split(r"[_\-.\s]+", n.lower())]
    if len(words) == 1:
        return words[0]
    scored = [(difflib.SequenceMatcher(None, value, n).ratio(), -i, n) for i, n in enumerate(names)]
    best = max(scored, default=None)
    # equally close names: the one listed first (a default, the usual choice)
    return best[2] if best is not None and best[0] >= cutoff else None


def did_you_mean(value: object, known: Iterable[str], cutoff: float = 0.6,
                 otherwise: str = "") -> str:
    """``"; did you mean 'NAME'?"`` for the closest known name, else ``otherwise``."""
    name = closest(value, known, cutoff)
    return f"; did you mean '{name}'?" if name is not None else otherwise
