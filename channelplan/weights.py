"""Rule weights chosen by the user: a weights file (``--weights FILE``) or a mapping given to
the Python API, checked the same way with the same messages.

A weight is a finite number from 0 to :data:`MAX_WEIGHT` for a known rule id. Weights are
relative (each rule's points are its share of the sum), so the range costs nothing real
(the bundled weights are 8-14) and keeps every score within 0-100.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from typing import Any

from channelplan.errors import ArgumentError, Problem, ProfileError
from channelplan.limits import MAX_NUMBER_DIGITS, OverlongNumber
from channelplan.suggest import did_you_mean

MAX_WEIGHT = 1000.0


def _known() -> list[str]:
    from channelplan.rules import rule_catalogue

    return list(rule_catalogue())


def _short(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool) \
            and abs(value) >= 10 ** MAX_NUMBER_DIGITS:
        return str(OverlongNumber.of(value))
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def weight_problem(key: Any, value: Any, known: list[str]) -> tuple[str, bool] | None:
    """What is wrong with one ``key: value`` entry (and whether it is the key), or None."""
    if not isinstance(key, str) or key not in known:
        hint = did_you_mean(str(key), known, cutoff=0.5,
                            otherwise=f"; known rules: {', '.join(known)}")
        return f"unknown rule id {_short(key)}{hint}", True
    number = value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
    if number is None or (isinstance(number, float) and not math.isfinite(number)) \
            or not 0 <= number <= MAX_WEIGHT:
        return (f"{key}: a weight is a number from 0 to {MAX_WEIGHT:g}, got {_short(value)}",
                False)
    return None


def checked_weights(weights: Mapping[str, float] | None) -> dict[str, float] | None:
    """``weights`` as a dict of floats, or :class:`~channelplan.errors.ArgumentError`
    (argument ``weights``) naming the first bad entry."""
    if weights is None:
        return None
    if not isinstance(weights, Mapping):
        raise ArgumentError("weights", "expected a mapping of rule id to weight, such as "
                                       f"{{'AGE-FIT': 20}}, got {_short(weights)}")
    known = _known()
    out = {}
    for key, value in weights.items():
        problem = weight_problem(key, value, known)
        if problem:
            raise ArgumentError("weights", problem[0])
        out[key] = float(value)
    return out


def load_weights(path: str | os.PathLike[str]) -> dict[str, float]:
    """Read a weights file: a YAML mapping of rule id to a weight from 0 to MAX_WEIGHT.

    Raises :class:`~channelplan.errors.ProfileError` with every problem, located."""
    from channelplan.limits import MAX_INPUT_BYTES
    from channelplan.yamlsafe import YamlProblems, decode, parse_yaml

    source = os.fspath(path)
    try:
        with open(source, "rb") as handle:
            doc = parse_yaml(decode(handle.read(MAX_INPUT_BYTES + 1), source), source)
    except YamlProblems as exc:
        raise ProfileError(exc.problems) from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        reason = getattr(exc, "strerror", None) or str(exc)
        raise ProfileError([Problem(source, 1, 1, f"cannot read the weights file: "
                                                  f"{reason}")]) from None
    if not isinstance(doc.data, dict):
        raise ProfileError([doc.problem((), "a weights file is a mapping of rule id to weight, "
                                            "for example 'AGE-FIT: 20'")])
    known = _known()
    problems, weights = [], {}
    for key, value in doc.data.items():
        problem = weight_problem(key, value, known)
        if problem:
            problems.append(doc.problem((key,), problem[0], key=problem[1]))
        else:
            weights[key] = float(value)
    if problems:
        raise ProfileError(problems)
    return weights
