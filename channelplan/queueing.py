"""Erlang C queueing maths for live support queues (phone, live chat, real-time messaging).

Workload A (erlangs) = arrivals per hour x handle seconds / 3600. With N agents, N > A:

* P(wait) = Erlang C(N, A), computed from the Erlang B recursion
  B(0) = 1, B(k) = A B(k-1) / (k + A B(k-1)), then C = N B / (N - A (1 - B));
* service level SL(t) = 1 - P(wait) exp(-(N - A) t / AHT);
* average speed of answer ASA = P(wait) AHT / (N - A); occupancy = A / N.

The recursion needs no factorials or powers, so it neither overflows nor loses precision
from 0.01 to 100,000 erlangs. With N <= A the queue grows without bound: P(wait) is 1, the
service level 0 and the average wait infinite, never negative.
"""

from __future__ import annotations

import math

__all__ = [
    "agents_needed",
    "average_speed_of_answer",
    "erlang_b",
    "erlang_c",
    "occupancy",
    "service_level",
    "workload",
]


def _positive(name: str, value: float, *, allow_zero: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{name} must be a number, got {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    if value < 0 or (value == 0 and not allow_zero):
        raise ValueError(f"{name} must be {'at least 0' if allow_zero else 'more than 0'}, got {value!r}")
    return float(value)


def _agents(agents: int) -> int:
    if isinstance(agents, bool) or not isinstance(agents, (int, float)) or agents != int(agents):
        raise ValueError(f"agents must be a whole number, got {agents!r}")
    if agents < 0:
        raise ValueError(f"agents must be at least 0, got {agents!r}")
    return int(agents)


def workload(arrivals_per_hour: float, handle_seconds: float) -> float:
    """Offered load in erlangs."""
    arrivals = _positive("arrivals_per_hour", arrivals_per_hour, allow_zero=True)
    handle = _positive("handle_seconds", handle_seconds)
    return arrivals * handle / 3600.0


def erlang_b(agents: int, traffic: float) -> float:
    """Blocking probability of Erlang B for ``agents`` servers and ``traffic`` erlangs."""
    n = _agents(agents)
    a = _positive("traffic", traffic, allow_zero=True)
    b = 1.0
    for k in range(1, n + 1):
        b = a * b / (k + a * b)
    return b


def _c_from_b(n: int, a: float, b: float) -> float:
    if n <= a:
        return 1.0
    return n * b / (n - a * (1.0 - b))


def erlang_c(agents: int, arrivals_per_hour: float, handle_seconds: float) -> float:
    """Probability that a contact waits (0-1); 1 when ``agents`` cannot carry the workload."""
    a = workload(arrivals_per_hour, handle_seconds)
    n = _agents(agents)
    if a == 0:
        return 0.0
    return _c_from_b(n, a, erlang_b(n, a))


def _sl(n: int, a: float, c: float, handle: float, within: float) -> float:
    if a == 0:
        return 1.0
    if n <= a:
        return 0.0
    return max(0.0, 1.0 - c * math.exp(-(n - a) * within / handle))


def service_level(agents: int, arrivals_per_hour: float, handle_seconds: float,
                  answer_within_seconds: float) -> float:
    """Share of contacts answered within ``answer_within_seconds`` (0 when infeasible)."""
    within = _positive("answer_within_seconds", answer_within_seconds, allow_zero=True)
    c = erlang_c(agents, arrivals_per_hour, handle_seconds)
    return _sl(int(agents), workload(arrivals_per_hour, handle_seconds), c, float(handle_seconds),
               within)


def average_speed_of_answer(agents: int, arrivals_per_hour: float, handle_seconds: float) -> float:
    """Average wait in seconds; ``math.inf`` when the queue grows without bound."""
    a = workload(arrivals_per_hour, handle_seconds)
    n = _agents(agents)
    if a == 0:
        return 0.0
    if n <= a:
        return math.inf
    return erlang_c(n, arrivals_per_hour, handle_seconds) * handle_seconds / (n - a)


def occupancy(agents: int, arrivals_per_hour: float, handle_seconds: float) -> float:
    """Share of agents' time spent on contacts (A / N); above 1 means infeasible."""
    n = _agents(agents)
    a = workload(arrivals_per_hour, handle_seconds)
    if n == 0:
        return math.inf if a > 0 else 0.0
    return a / n


def agents_needed(arrivals_per_hour: float, handle_seconds: float, answer_within_seconds: float,
                  target_share: float, max_occupancy: float = 1.0) -> int:
    """The smallest number of agents whose service level meets ``target_share`` within
    ``answer_within_seconds`` and whose occupancy is at most ``max_occupancy``.

    O(N) work in total: the Erlang B recursion advances one agent at a time instead of
    being recomputed for each candidate N.
    """
    a = workload(arrivals_per_hour, handle_seconds)
    handle = float(handle_seconds)
    within = _positive("answer_within_seconds", answer_within_seconds, allow_zero=True)
    target = _positive("target_share", target_share)
    if target >= 1:
        raise ValueError(f"target_share must be below 1 (a queue never answers everyone at once), "
                         f"got {target_share!r}")
    cap = _positive("max_occupancy", max_occupancy)
    if cap > 1:
        raise ValueError(f"max_occupancy must be at most 1, got {max_occupancy!r}")
    if a == 0:
        return 0
    b = 1.0
    n = 0
    while True:
        n += 1
        b = a * b / (n + a * b)
        if n <= a or a / n > cap:
            continue
        c = _c_from_b(n, a, b)
        if _sl(n, a, c, handle, within) >= target:
            return n
