"""The public Python API with its arguments checked (``from channelplan import recommend,
capacity, roadmap``), and the argument parsers the command line shares with it.

Each function checks the arguments it knows and passes any other keyword argument on to
the core function unchanged. A bad argument raises
:class:`~channelplan.errors.ArgumentError` (a ``UsageError``, so a ``ValueError``, and a
``TypeError``) whose ``argument`` is the parameter's name and whose
message names it (``"start: expected a datetime.date, got '2027-01-04'"``), never an
``AttributeError`` or ``KeyError`` from inside, and never a command-line option: the
command line puts its option in front (``--start``) itself.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from channelplan.catalogue import CHANNEL_IDS, live_ids
from channelplan.errors import ArgumentError
from channelplan.model import FIRST_DAY, LAST_DAY, Profile
from channelplan.suggest import did_you_mean

if TYPE_CHECKING:
    from channelplan.scoring import Recommendation
    from channelplan.staffing import CapacityPlan
    from channelplan.transition import Roadmap

__all__ = ["capacity", "check_agents", "check_channel_ids", "check_date", "check_profile",
           "check_shifts", "parse_agents", "parse_date", "parse_shift", "recommend", "roadmap"]

_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _show(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        return "a very large number"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def check_profile(profile: Any, argument: str = "profile") -> Profile:
    if not isinstance(profile, Profile):
        raise ArgumentError(argument, "expected a Profile from load_profile() or "
                                      f"parse_profile(), got {_show(profile)}")
    return profile


def _in_range(day: dt.date, argument: str, shown: str) -> dt.date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ArgumentError(argument, f"{shown} is out of range: plan between {FIRST_DAY.year} "
                                      f"and {LAST_DAY.year}")
    return day


def parse_date(text: str, argument: str = "date") -> dt.date:
    """A date written exactly as YYYY-MM-DD, within the years a plan may use (the same as
    ``transition.start``). Other ISO 8601 forms (``20270104``, ``2027-W01-1``), which some
    Python versions accept, are refused on every version."""
    stripped = text.strip()
    if not _ISO_DAY.fullmatch(stripped):
        raise ArgumentError(argument, f"{_show(text)} is not a date; write YYYY-MM-DD")
    try:
        day = dt.date.fromisoformat(stripped)
    except ValueError as exc:
        raise ArgumentError(argument, f"{_show(text)} is not a date ({exc})") from None
    return _in_range(day, argument, stripped)


def check_date(value: Any, argument: str) -> dt.date | None:
    """``None``, or a :class:`datetime.date` within the years a plan may use."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        hint = "; use datetime.date.fromisoformat()" if isinstance(value, str) else ""
        raise ArgumentError(argument, f"expected a datetime.date, got {_show(value)}{hint}")
    return _in_range(value, argument, value.isoformat())


def _channel_id(value: Any, argument: str) -> str:
    if not isinstance(value, str) or value not in CHANNEL_IDS:
        hint = did_you_mean(value, CHANNEL_IDS, otherwise=f"; known ids: {', '.join(CHANNEL_IDS)}")
        raise ArgumentError(argument, f"unknown channel id {_show(value)}{hint}")
    return value


def check_channel_ids(values: Any, argument: str) -> list[str] | None:
    """``None``, or a list of known channel ids (a bare string is refused, not read as a
    list of letters)."""
    if values is None:
        return None
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise ArgumentError(argument, f"expected a list of channel ids, got {_show(values)}"
                                      + (f"; write [{values!r}]" if isinstance(values, str) else ""))
    return [_channel_id(v, argument) for v in values]


def _share(value: Any, argument: str, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or not 0 <= value <= 1:
        raise ArgumentError(argument, f"{where}: a share is a number from 0 to 1, got "
                                      f"{_show(value)}")
    return float(value)


def check_shifts(shifts: Any, argument: str = "shifts") -> dict[tuple[str, str], float]:
    """``{(FROM, TO): share}`` with known, different channel ids and shares from 0 to 1
    (together at most 1 per FROM channel)."""
    if shifts is None:
        return {}
    if not isinstance(shifts, Mapping):
        raise ArgumentError(argument, "expected a mapping such as {('phone', 'live_chat'): 0.4}, "
                                      f"got {_show(shifts)}")
    out: dict[tuple[str, str], float] = {}
    moved: dict[str, float] = {}
    for key, value in shifts.items():
        if not (isinstance(key, tuple) and len(key) == 2):
            raise ArgumentError(argument, f"{_show(key)}: a key is a pair of channel ids "
                                          "(FROM, TO), such as ('phone', 'live_chat')")
        source, target = (_channel_id(k, argument) for k in key)
        if source == target:
            raise ArgumentError(argument, f"{key!r}: FROM and TO are the same channel")
        share = _share(value, argument, f"{key!r}")
        moved[source] = moved.get(source, 0.0) + share
        if moved[source] > 1 + 1e-9:
            raise ArgumentError(argument, f"more than 100% of {source}'s volume is moved")
        out[(source, target)] = out.get((source, target), 0.0) + share
    return out


def parse_shift(text: str, argument: str = "shifts") -> tuple[tuple[str, str], float]:
    """``FROM:TO=SHARE`` (for example ``phone:live_chat=40%``) as ``((FROM, TO), share)``."""
    from pydantic_core import PydanticCustomError

    from channelplan.model import parse_share

    head, sep, share_text = text.partition("=")
    source, colon, target = head.partition(":")
    if not sep or not colon:
        raise ArgumentError(argument, f"{text!r}: write FROM:TO=SHARE, for example "
                                      "phone:live_chat=40%")
    try:
        key = (_channel_id(source.strip(), argument), _channel_id(target.strip(), argument))
    except ArgumentError as exc:
        raise ArgumentError(argument, f"{text!r}: {exc.detail}") from None
    if key[0] == key[1]:
        raise ArgumentError(argument, f"{text!r}: FROM and TO are the same channel")
    value: object = share_text.strip()
    try:
        value = float(str(value))  # a bare number from the command line, e.g. 0.4 or 40
    except ValueError:
        pass
    try:
        share = parse_share(value)
    except PydanticCustomError as exc:
        raise ArgumentError(argument, f"{text!r}: {exc.message()}") from None
    return key, share


MAX_ROSTER = 1_000_000


def check_agents(value: Any, argument: str = "agents") -> dict[str, int]:
    """A mapping of live queue (phone, live_chat) to agents on duty in its busiest hour."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ArgumentError(argument, f"expected a mapping of channel id to agents, such as "
                                      f"{{'phone': 40}}, got {_show(value)}")
    out = {}
    for cid, count in value.items():
        if cid not in live_ids():
            known = ", ".join(live_ids())
            what = "is not a live queue" if cid in CHANNEL_IDS else "is not a channel id"
            raise ArgumentError(argument, f"{_show(cid)} {what}; rosters are asked of {known}")
        if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_ROSTER:
            raise ArgumentError(argument, f"{cid}: expected a whole number of agents from 0 to "
                                          f"{MAX_ROSTER:,}, got {_show(count)}")
        out[cid] = count
    return out


def parse_agents(text: str, argument: str = "agents") -> tuple[str, int]:
    """``CHANNEL=N`` (for example ``phone=40``) as ``(CHANNEL, N)``."""
    cid, sep, count = text.partition("=")
    if not sep:
        raise ArgumentError(argument, f"{text!r}: write CHANNEL=N, for example phone=40")
    cid = cid.strip()
    if cid not in CHANNEL_IDS:
        _channel_id(cid, argument)
    try:
        n = int(count.strip())
    except ValueError:
        raise ArgumentError(argument, f"{text!r}: N must be a whole number of agents") from None
    return next(iter(check_agents({cid: n}, argument).items()))


def recommend(profile: Profile, weights: Mapping[str, float] | None = None,
              *, robustness: bool = True, **options: Any) -> Recommendation:
    """Score every channel for ``profile`` and say what to do with each (see
    :func:`channelplan.scoring.recommend`); ``weights`` maps rule ids to weights from 0 to
    1000."""
    from channelplan import scoring
    from channelplan.weights import checked_weights

    return scoring.recommend(check_profile(profile), checked_weights(weights),
                             robustness=bool(robustness), **options)


def capacity(profile: Profile, shifts: Mapping[tuple[str, str], float] | None = None,
             *, volumes: Mapping[str, float] | None = None, model: str = "erlang-a",
             agents: Mapping[str, int] | None = None, **options: Any) -> CapacityPlan:
    """Staffing, service level, abandonment, occupancy and monthly cost per channel (see
    :func:`channelplan.staffing.capacity`); ``shifts`` maps ``(FROM, TO)`` channel ids to
    the share of FROM's volume to move, ``volumes`` channel ids to contacts a month;
    ``model`` is ``"erlang-a"`` or ``"erlang-c"``; ``agents`` maps a live queue to the agents
    on duty in its busiest hour (what do they achieve?)."""
    from channelplan import staffing
    from channelplan.sizing import MODELS

    check_profile(profile)
    checked = check_shifts(shifts)
    rosters = check_agents(agents)
    if model not in MODELS:
        hint = did_you_mean(str(model), MODELS)
        raise ArgumentError("model", f"{_show(model)}: choose {' or '.join(MODELS)}{hint}")
    if volumes is not None:
        if not isinstance(volumes, Mapping):
            raise ArgumentError("volumes", f"expected a mapping of channel id to contacts a "
                                           f"month, got {_show(volumes)}")
        for cid, value in volumes.items():
            _channel_id(cid, "volumes")
            if isinstance(value, bool) or not isinstance(value, (int, float)) \
                    or not math.isfinite(value) or value < 0:
                raise ArgumentError("volumes", f"{cid}: expected a number of contacts of 0 or "
                                               f"more, got {_show(value)}")
    return staffing.capacity(profile, checked or None, volumes=volumes, model=model,
                             agents=rosters or None, **options)


def roadmap(profile: Profile, start: dt.date | None = None, retire: Any = None,
            *, weights: Mapping[str, float] | None = None, **options: Any) -> Roadmap:
    """The phased transition plan for each channel to retire (see
    :func:`channelplan.transition.roadmap`); ``start`` is a :class:`datetime.date`,
    ``retire`` a list of channel ids."""
    from channelplan import transition
    from channelplan.weights import checked_weights

    check_profile(profile)
    day0 = check_date(start, "start")
    chosen = check_channel_ids(retire, "retire")
    return transition.roadmap(profile, day0, chosen, weights=checked_weights(weights), **options)
