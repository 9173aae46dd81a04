"""Queueing maths for live support queues: Erlang C (callers wait for ever) and Erlang A
(M/M/n+M: callers hang up after an exponential patience).

Workload A (erlangs) = arrivals per hour x handle seconds / 3600. With N agents:

* **Erlang C** (N > A): P(wait) = C(N, A); service level SL(t) = 1 - P(wait) exp(-(N - A) t / AHT);
  average speed of answer ASA = P(wait) AHT / (N - A); occupancy = A / N. With N <= A the
  queue grows without bound: P(wait) is 1, the service level 0 and the average wait
  infinite, never negative.
* **Erlang A** (any N >= 1): each waiting caller hangs up at rate theta = 1 / patience. With
  the service rate a = N / AHT and the arrival rate lambda, the density of a caller being
  answered after waiting s is proportional to exp(-a s + (lambda / theta)(1 - exp(-theta s)))
  exp(-theta s) (Mandelbaum and Zeltyn, 2004; Garnett, Mandelbaum and Reiman, 2002). The
  service level is the share of *all* arrivals answered within the target: callers who hang
  up count as not answered.

Both rest on the Poisson probabilities of the M/M/N loss system, summed in logarithms over
the window of terms that matter, so nothing overflows and no factorial is formed from 0.01
to well beyond 100,000 erlangs; the Erlang A integrals are taken numerically over the
window where their log-concave integrand is not negligible. The agent searches bracket the
answer from a square-root-staffing guess and bisect, so they cost a few dozen evaluations
whatever the size of the queue.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

__all__ = [
    "QueueResult",
    "agents_needed",
    "average_speed_of_answer",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "erlang_c_result",
    "occupancy",
    "service_level",
    "workload",
]

_LOG_TINY = -60.0          # terms below exp(-60) of the largest are negligible
_RECURSION_AGENTS = 64     # below this, the plain Erlang B recursion is cheapest
_LINEAR_ERLANGS = 2000.0   # below this load, a linear Erlang C search beats bisection
_NODES = 48                # Gauss-Legendre nodes per integration panel
_PANELS = 3                # panels over the window where the integrand counts


def _positive(name: str, value: float, *, allow_zero: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{name} must be a number, got {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    if value < 0 or (value == 0 and not allow_zero):
        raise ValueError(f"{name} must be {'at least 0' if allow_zero else 'more than 0'}, got {value!r}")
    return float(value)


def _agents(agents: int) -> int:
    if isinstance(agents, bool) or not isinstance(agents, (int, float)) or not math.isfinite(agents) \
            or agents != int(agents):
        raise ValueError(f"agents must be a whole number, got {agents!r}")
    if agents < 0:
        raise ValueError(f"agents must be at least 0, got {agents!r}")
    return int(agents)


def workload(arrivals_per_hour: float, handle_seconds: float) -> float:
    """Offered load in erlangs."""
    arrivals = _positive("arrivals_per_hour", arrivals_per_hour, allow_zero=True)
    handle = _positive("handle_seconds", handle_seconds)
    return arrivals * handle / 3600.0


# --- the loss system: log of (sum of Poisson terms below N) / (term N) ---------------------

def _log_lower_ratio(n: int, a: float) -> float:
    """log L with L = sum_{k<n} a^k/k! / (a^n/n!) = 1/B(n, a) - 1; -inf for n = 0.

    Summed downwards from k = n - 1 by the ratio of neighbouring terms (k / a), starting
    from the largest term, and only as far as terms still count."""
    if n == 0:
        return -math.inf
    if n <= _RECURSION_AGENTS:
        b = 1.0
        for k in range(1, n + 1):
            b = a * b / (k + a * b)
        if b <= 0.0:  # underflow: far more agents than load
            return n * math.log(n / a) if a > 0 else math.inf
        return math.log1p(-b) - math.log(b)
    # Terms t_k relative to t_n: log t_k - log t_n = (k - n) log a + lgamma(n+1) - lgamma(k+1).
    top = min(n - 1, int(a))                     # the largest term with k < n
    log_top = (top - n) * math.log(a) + math.lgamma(n + 1) - math.lgamma(top + 1)
    total = 1.0
    term = 1.0                                   # relative to the top term
    k = top
    while k > 0:                                 # downwards: t_{k-1} = t_k * k / a
        term *= k / a
        k -= 1
        total += term
        if term < 1e-17 * total:
            break
    term, k = 1.0, top
    while k < n - 1:                             # upwards to n - 1: t_{k+1} = t_k * a / (k+1)
        k += 1
        term *= a / k
        total += term
        if term < 1e-17 * total:
            break
    return log_top + math.log(total)


def erlang_b(agents: int, traffic: float) -> float:
    """Blocking probability of Erlang B for ``agents`` servers and ``traffic`` erlangs."""
    n = _agents(agents)
    a = _positive("traffic", traffic, allow_zero=True)
    if a == 0:
        return 1.0 if n == 0 else 0.0
    log_l = _log_lower_ratio(n, a)
    return 1.0 / (1.0 + math.exp(log_l)) if log_l < 700 else math.exp(-log_l)


def _erlang_c_from_log_l(n: int, a: float, log_l: float) -> float:
    # C = N / (N + L (N - A)) for N > A.
    if n <= a:
        return 1.0
    x = log_l + math.log((n - a) / n)
    return 1.0 / (1.0 + math.exp(x)) if x < 700 else math.exp(-x)


def erlang_c(agents: int, arrivals_per_hour: float, handle_seconds: float) -> float:
    """Probability that a contact waits (0-1); 1 when ``agents`` cannot carry the workload."""
    a = workload(arrivals_per_hour, handle_seconds)
    n = _agents(agents)
    if a == 0:
        return 0.0
    if n <= a:
        return 1.0
    return _erlang_c_from_log_l(n, a, _log_lower_ratio(n, a))


def _sl_c(n: int, a: float, c: float, handle: float, within: float) -> float:
    if a == 0:
        return 1.0
    if n <= a:
        return 0.0
    return max(0.0, 1.0 - c * math.exp(-(n - a) * within / handle))


def service_level(agents: int, arrivals_per_hour: float, handle_seconds: float,
                  answer_within_seconds: float) -> float:
    """Share of contacts answered within ``answer_within_seconds`` (Erlang C; 0 when infeasible)."""
    within = _positive("answer_within_seconds", answer_within_seconds, allow_zero=True)
    c = erlang_c(agents, arrivals_per_hour, handle_seconds)
    return _sl_c(int(agents), workload(arrivals_per_hour, handle_seconds), c, float(handle_seconds),
                 within)


def average_speed_of_answer(agents: int, arrivals_per_hour: float, handle_seconds: float) -> float:
    """Average wait in seconds (Erlang C); ``math.inf`` when the queue grows without bound."""
    a = workload(arrivals_per_hour, handle_seconds)
    n = _agents(agents)
    if a == 0:
        return 0.0
    if n <= a:
        return math.inf
    return erlang_c(n, arrivals_per_hour, handle_seconds) * handle_seconds / (n - a)


def occupancy(agents: int, arrivals_per_hour: float, handle_seconds: float) -> float:
    """Share of agents' time spent on contacts (A / N, Erlang C); above 1 means infeasible."""
    n = _agents(agents)
    a = workload(arrivals_per_hour, handle_seconds)
    if n == 0:
        return math.inf if a > 0 else 0.0
    return a / n


# --- Erlang A --------------------------------------------------------------------------

class QueueResult(NamedTuple):
    """What a live queue achieves with a given number of agents."""

    agents: int
    service_level: float            # answered within the target, over all arrivals
    abandon_rate: float             # share of arrivals who hang up (0 for Erlang C)
    p_wait: float                   # share of arrivals who find every agent busy
    average_speed_of_answer: float  # seconds, of answered contacts (inf when unbounded)
    occupancy: float                # share of agents' time on contacts


def _gauss_legendre(count: int) -> tuple[tuple[float, float], ...]:
    """Nodes and weights on [-1, 1] (Newton on the Legendre recurrence)."""
    if count % 2:
        raise ValueError("an even number of nodes: the second half mirrors the first")
    out = []
    for i in range(1, count // 2 + 1):
        x = math.cos(math.pi * (i - 0.25) / (count + 0.5))
        for _ in range(100):
            p0, p1 = 1.0, x
            for k in range(2, count + 1):
                p0, p1 = p1, ((2 * k - 1) * x * p1 - (k - 1) * p0) / k
            dp = count * (x * p1 - p0) / (x * x - 1)
            step = p1 / dp
            x -= step
            if abs(step) < 1e-15:
                break
        out.append((x, 2 / ((1 - x * x) * dp * dp)))
    return tuple(out) + tuple((-x, w) for x, w in reversed(out))


def _unit_nodes() -> tuple[tuple[float, float], ...]:
    """Composite Gauss-Legendre nodes on [0, 1] (``_PANELS`` panels of ``_NODES``): each
    node's place and weight, so that an integral over [lo, hi] is (hi - lo) times the
    weighted sum at lo + (hi - lo) x place."""
    nodes = _gauss_legendre(_NODES)
    return tuple(((p + 0.5 + x / 2) / _PANELS, w / 2 / _PANELS)
                 for p in range(_PANELS) for x, w in nodes)


_UNIT: tuple[tuple[float, float], ...] = ()


def erlang_a(agents: int, arrivals_per_hour: float, handle_seconds: float, patience_seconds: float,
             answer_within_seconds: float) -> QueueResult:
    """Erlang A (M/M/n+M): a live queue whose callers hang up after an exponentially
    distributed patience with mean ``patience_seconds``.

    The service level is the share of all arrivals answered within
    ``answer_within_seconds``; callers who hang up count as not answered. The average speed
    of answer is that of answered contacts."""
    n = _agents(agents)
    lam = _positive("arrivals_per_hour", arrivals_per_hour, allow_zero=True) / 3600.0
    handle = _positive("handle_seconds", handle_seconds)
    theta = 1.0 / _positive("patience_seconds", patience_seconds)
    within = _positive("answer_within_seconds", answer_within_seconds, allow_zero=True)
    load = lam * handle
    if lam == 0:
        return QueueResult(n, 1.0, 0.0, 0.0, 0.0, 0.0)
    if n == 0:
        return QueueResult(0, 0.0, 1.0, 1.0, math.inf, 0.0)
    rate = n / handle                        # service completions per second, all busy
    y = lam / theta

    def phi(s: float) -> float:              # log of the waiting-time kernel
        return -rate * s - y * math.expm1(-theta * s)

    # phi is concave with its top at s* = log(lam / rate) / theta (0 when not overloaded).
    top = math.log(lam / rate) / theta if lam > rate else 0.0
    peak = phi(top)

    def edge(direction: float) -> float:
        # Where phi falls below its top by |_LOG_TINY| (or 0 on the left): step out
        # doubling, then bisect.
        step = 1.0 / (rate + theta)
        inside, outside = top, top + direction * step
        while phi(max(outside, 0.0)) > peak + _LOG_TINY:
            if outside <= 0:
                return 0.0
            inside, step = outside, step * 2
            outside = top + direction * step
        outside = max(outside, 0.0)
        # the integrand is below e^-60 of its top out there: the edge needs no more than
        # a part in 10^9 of the bracket
        for _ in range(30):
            mid = (inside + outside) / 2
            if phi(mid) > peak + _LOG_TINY:
                inside = mid
            else:
                outside = mid
        return outside

    left = edge(-1.0) if top > 0 else 0.0
    right = edge(1.0)

    # One set of nodes over the window for the three whole-window integrals, another over
    # [left, target] for the answered-within-target one. In the loops, phi(s) - peak is
    # written out with e = expm1(-theta s), so exp(-theta s) = 1 + e costs nothing more.
    global _UNIT
    if not _UNIT:
        _UNIT = _unit_nodes()
    exp, expm1 = math.exp, math.expm1
    i_all = i_answered = i_wait = 0.0
    width = right - left
    for at, w in _UNIT:
        s_ = left + width * at
        e = expm1(-theta * s_)
        k = exp(-rate * s_ - y * e - peak)
        a_ = k * (1.0 + e)
        i_all += w * k
        i_answered += w * a_
        i_wait += w * s_ * a_
    i_all, i_answered, i_wait = i_all * width, i_answered * width, i_wait * width
    i_within = 0.0
    if within > left:
        width = min(within, right) - left
        for at, w in _UNIT:
            s_ = left + width * at
            e = expm1(-theta * s_)
            i_within += w * exp(-rate * s_ - y * e - peak) * (1.0 + e)
        i_within *= width

    # Normalise: the M/M/n states below n weigh L (relative to state n), the queue a * e^peak * I.
    log_l = _log_lower_ratio(n, load)
    log_q = math.log(rate) + peak
    log_queue_total = log_q + math.log(i_all) if i_all > 0 else -math.inf
    high = max(log_l, log_queue_total)
    log_norm = high + math.log(math.exp(log_l - high) + math.exp(log_queue_total - high))
    p_free = math.exp(log_l - log_norm)
    queue_weight = math.exp(log_q - log_norm)
    p_wait = 1.0 - p_free
    abandon = min(1.0, max(0.0, queue_weight * (i_all - i_answered)))
    sl = min(1.0, max(0.0, p_free + queue_weight * i_within))
    served = 1.0 - abandon
    asa = queue_weight * i_wait / served if served > 0 else math.inf
    return QueueResult(agents=n, service_level=sl, abandon_rate=abandon, p_wait=p_wait,
                       average_speed_of_answer=asa, occupancy=min(1.0, load * served / n))


# The same queue at the same staffing is asked again: sizing a channel reads the result at
# the number of agents its search just tried.
erlang_a_cached = lru_cache(maxsize=4096)(erlang_a)


def erlang_c_result(agents: int, arrivals_per_hour: float, handle_seconds: float,
                    answer_within_seconds: float) -> QueueResult:
    """The Erlang C figures as a :class:`QueueResult` (nobody abandons)."""
    n = _agents(agents)
    a = workload(arrivals_per_hour, handle_seconds)
    within = _positive("answer_within_seconds", answer_within_seconds, allow_zero=True)
    if a == 0:
        return QueueResult(n, 1.0, 0.0, 0.0, 0.0, 0.0)
    if n <= a:
        return QueueResult(n, 0.0, 0.0, 1.0, math.inf, 1.0 if n else 0.0)
    c = _erlang_c_from_log_l(n, a, _log_lower_ratio(n, a))
    return QueueResult(n, _sl_c(n, a, c, float(handle_seconds), within), 0.0, c,
                       c * handle_seconds / (n - a), a / n)


def _smallest(ok: Callable[[int], bool], guess: int, floor: int = 0) -> int:
    """The smallest n >= floor with ok(n), for ok monotone in n: gallop from a guess, bisect."""
    guess = max(floor, guess)
    if ok(guess):
        hi, step = guess, 1
        lo = guess - 1
        while lo >= floor and ok(lo):
            hi = lo
            step *= 2
            lo = hi - step
        lo = max(lo, floor - 1)
    else:
        lo, step = guess, 1
        hi = guess + 1
        while not ok(hi):
            lo = hi
            step *= 2
            hi = lo + step
            if hi > 10**9:
                raise ValueError("no number of agents up to a billion meets the target")
    while hi - lo > 1:  # ok(hi) holds, ok(lo) fails (or lo is below the floor)
        mid = (lo + hi) // 2
        if ok(mid):
            hi = mid
        else:
            lo = mid
    return hi


def agents_needed(arrivals_per_hour: float, handle_seconds: float, answer_within_seconds: float,
                  target_share: float, max_occupancy: float = 1.0, *,
                  patience_seconds: float | None = None, max_abandon: float | None = None) -> int:
    """The smallest number of agents whose service level meets ``target_share`` within
    ``answer_within_seconds`` and whose occupancy is at most ``max_occupancy``.

    With ``patience_seconds`` the queue is sized with Erlang A (callers hang up; abandoned
    calls count as not answered), and ``max_abandon`` caps the share who hang up; without
    it, with Erlang C. Short patience can need fewer agents than the offered load.
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
    if max_abandon is not None:
        max_abandon = _positive("max_abandon", max_abandon)
        if max_abandon >= 1:
            raise ValueError(f"max_abandon must be below 1, got {max_abandon!r}")
    if patience_seconds is not None:
        _positive("patience_seconds", patience_seconds)
    if a == 0:
        return 0
    guess = max(1, math.ceil(a + math.sqrt(a)))
    if patience_seconds is None and a < _LINEAR_ERLANGS:
        # Small queues: advance the Erlang B recursion one agent at a time (O(N) in all).
        b, n = 1.0, 0
        while True:
            n += 1
            b = a * b / (n + a * b)
            if n <= a or a / n > cap:
                continue
            c = n * b / (n - a * (1.0 - b))
            if _sl_c(n, a, c, handle, within) >= target:
                return n
    if patience_seconds is None:
        def ok(n: int) -> bool:
            if n <= a or a / n > cap:
                return False
            c = _erlang_c_from_log_l(n, a, _log_lower_ratio(n, a))
            return _sl_c(n, a, c, handle, within) >= target
        return _smallest(ok, max(guess, math.floor(a) + 1), floor=math.floor(a) + 1)

    def ok_a(n: int) -> bool:
        r = erlang_a_cached(n, arrivals_per_hour, handle, patience_seconds, within)
        return (r.service_level >= target and r.occupancy <= cap + 1e-12
                and (max_abandon is None or r.abandon_rate <= max_abandon))
    # Erlang C's answer (cheap) is a close guess: impatient callers need no more, or a few
    # more when the abandonment ceiling binds.
    conventional = agents_needed(arrivals_per_hour, handle, within, target, cap)
    return _smallest(ok_a, conventional, floor=1)
