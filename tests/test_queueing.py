"""Erlang C against the published check values and an independent exact computation."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from channelplan.queueing import (
    agents_needed,
    average_speed_of_answer,
    erlang_a,
    erlang_b,
    erlang_c,
    erlang_c_result,
    occupancy,
    service_level,
)


def exact_erlang_c(n: int, a: Fraction) -> Fraction:
    """Textbook Erlang C with exact rational arithmetic: independent of the recursion."""
    term = Fraction(1)
    total = Fraction(0)
    for k in range(n):
        total += term
        term = term * a / (k + 1)
    top = term * n / (n - a)  # a^n / n! * n / (n - a)
    return top / (total + top)


def test_domain_check_values():
    # 100 contacts in 30 min = 200 an hour, AHT 180 s, N = 14, target 20 s (check values of the
    # R package ErlangC documentation)
    assert erlang_c(14, 200, 180) == pytest.approx(0.17413, abs=5e-5)
    assert service_level(14, 200, 180, 20) == pytest.approx(0.88835, abs=5e-5)
    assert average_speed_of_answer(14, 200, 180) == pytest.approx(7.84, abs=5e-3)
    assert occupancy(14, 200, 180) == pytest.approx(0.714, abs=5e-4)


# (agents, arrivals per hour, handle seconds): at least 20 cases across small and large loads.
CASES = [
    (1, 10, 180), (2, 20, 180), (3, 40, 180), (5, 60, 240), (8, 100, 240), (10, 150, 200),
    (12, 200, 180), (14, 200, 180), (15, 200, 180), (20, 300, 220), (25, 400, 200),
    (30, 500, 180), (40, 700, 180), (50, 900, 180), (60, 1000, 200), (80, 1500, 180),
    (100, 1800, 190), (120, 2300, 180), (150, 2800, 180), (200, 3800, 180), (3, 1, 3600),
    (2, 30, 60), (8, 91, 300),
]


@pytest.mark.parametrize("n, arrivals, handle", CASES)
def test_matches_exact_erlang_c(n, arrivals, handle):
    a = Fraction(arrivals * handle, 3600)
    assert a < n
    expected = exact_erlang_c(n, a)
    assert erlang_c(n, arrivals, handle) == pytest.approx(float(expected), abs=1e-4)
    sl = 1 - float(expected) * math.exp(-(n - float(a)) * 20 / handle)
    assert service_level(n, arrivals, handle, 20) == pytest.approx(sl, abs=1e-4)


def test_published_erlang_b_values():
    # Standard Erlang B table values
    assert erlang_b(10, 5) == pytest.approx(0.01838, abs=5e-5)
    assert erlang_b(5, 2) == pytest.approx(0.03670, abs=5e-5)
    assert erlang_b(1, 1) == pytest.approx(0.5)


def test_agents_needed_for_the_check_case():
    assert agents_needed(200, 180, 20, 0.8) == 14
    assert service_level(14, 200, 180, 20) >= 0.8 > service_level(13, 200, 180, 20)
    assert agents_needed(200, 180, 20, 0.85) == 14
    assert agents_needed(200, 180, 20, 0.8, max_occupancy=0.7) == 15


@pytest.mark.parametrize("erlangs", [0.01, 0.5, 10, 1000, 100_000])
def test_stable_from_tiny_to_huge_loads(erlangs):
    handle = 180.0
    arrivals = erlangs * 3600 / handle
    n = agents_needed(arrivals, handle, 20, 0.8)
    assert n > erlangs
    c = erlang_c(n, arrivals, handle)
    assert 0 <= c <= 1 and math.isfinite(c)
    assert 0.8 <= service_level(n, arrivals, handle, 20) <= 1
    assert service_level(n - 1, arrivals, handle, 20) < 0.8


def test_overloaded_queue_is_infeasible_never_a_negative_wait():
    assert erlang_c(10, 200, 180) == 1.0          # 10 erlangs on 10 agents
    assert service_level(10, 200, 180, 20) == 0.0
    assert average_speed_of_answer(9, 200, 180) == math.inf
    assert occupancy(9, 200, 180) > 1


def test_zero_arrivals():
    assert erlang_c(3, 0, 180) == 0.0
    assert service_level(3, 0, 180, 20) == 1.0
    assert agents_needed(0, 180, 20, 0.8) == 0


@pytest.mark.parametrize("call", [
    lambda: erlang_c(-1, 10, 180), lambda: erlang_c(2.5, 10, 180), lambda: erlang_c(3, -1, 180),
    lambda: erlang_c(3, 10, 0), lambda: erlang_c(3, math.nan, 180),
    lambda: service_level(3, 10, 180, -5), lambda: agents_needed(10, 180, 20, 1.0),
    lambda: agents_needed(10, 180, 20, 0), lambda: agents_needed(10, 180, 20, 0.8, max_occupancy=1.5),
    lambda: agents_needed(10, 180, 20, 0.8, max_occupancy=0), lambda: erlang_c(True, 10, 180),
])
def test_invalid_arguments_raise_value_error(call):
    with pytest.raises(ValueError):
        call()


@settings(max_examples=200)
@given(st.floats(0.05, 400), st.floats(10, 1200), st.floats(0, 120), st.floats(0.5, 0.98))
def test_agents_needed_is_the_smallest_meeting_the_target(erlangs, handle, within, target):
    arrivals = erlangs * 3600 / handle
    n = agents_needed(arrivals, handle, within, target)
    assert service_level(n, arrivals, handle, within) >= target
    if n - 1 > erlangs:
        assert service_level(n - 1, arrivals, handle, within) < target


# --- Erlang A ----------------------------------------------------------------------------

def exact_erlang_a(n: int, arrivals_per_hour: float, handle: float, patience: float, within: float):
    """An independent, slow computation of M/M/n+M: the stationary distribution of the
    birth-death chain (truncated where it no longer counts), and for each place in the queue
    the chance of being answered within ``within`` by uniformising the queue ahead of the
    caller (each waiting caller, the tagged one too, hangs up at rate theta; an agent frees
    up at rate n / handle)."""
    lam = arrivals_per_hour / 3600
    mu, theta = 1 / handle, 1 / patience
    weights = [1.0]
    k = 0
    while True:
        k += 1
        death = mu * min(k, n) + theta * max(0, k - n)
        weights.append(weights[-1] * lam / death)
        if k > n and weights[-1] < 1e-16 * sum(weights):
            break
    total = sum(weights)
    p = [w / total for w in weights]
    queue = len(p) - n                      # places 1..queue-1 matter
    answered = sum(p[:n])
    abandoned = 0.0
    waited = 0.0
    rate_max = n * mu + queue * theta
    # For place j (j-1 callers ahead), P(answered within t) by uniformisation: states are the
    # number of callers ahead (j-1 .. 0), plus answered; leaving to 'hang up' is lost mass.
    poisson_terms = []
    term = math.exp(-rate_max * within)
    cumulative = 0.0
    step = 0
    while cumulative < 1 - 1e-13:
        poisson_terms.append(term)
        cumulative += term
        step += 1
        term *= rate_max * within / step
    for m in range(queue):
        j = m + 1
        prob = p[n + m]
        if prob < 1e-18:
            continue
        state = [0.0] * j                     # state[i]: i callers ahead, tagged still waiting
        state[j - 1] = 1.0
        done = 0.0
        within_t = 0.0
        for t in poisson_terms:
            within_t += t * done
            new = [0.0] * j
            for i, mass in enumerate(state):
                if mass == 0.0:
                    continue
                advance = n * mu + i * theta
                new[i] += mass * (1 - (advance + theta) / rate_max)
                if i == 0:
                    done += mass * n * mu / rate_max
                else:
                    new[i - 1] += mass * advance / rate_max
            state = new
        answered += prob * within_t
        served_share = n * mu / (n * mu + j * theta)
        abandoned += prob * (1 - served_share)
        waited += prob * served_share * sum(1 / (n * mu + i * theta) for i in range(1, j + 1))
    return answered, abandoned, waited / (1 - abandoned)


def test_erlang_a_published_check_value():
    # 100 calls per 30 minutes, handle 180 s, patience 300 s (pyworkforce's README)
    r13 = erlang_a(13, 200, 180, 300, 20)
    assert r13.service_level == pytest.approx(0.858, abs=5e-4)
    assert r13.abandon_rate == pytest.approx(0.025, abs=5e-4)
    assert erlang_a(12, 200, 180, 300, 20).service_level == pytest.approx(0.772, abs=5e-4)


@pytest.mark.parametrize("n, arrivals, handle, patience, within", [
    (13, 200, 180, 300, 20), (12, 200, 180, 300, 20), (1, 10, 300, 60, 20), (3, 60, 240, 120, 30),
    (12, 120, 300, 60, 20), (21, 240, 300, 60, 20), (8, 200, 180, 90, 60), (5, 100, 300, 600, 20),
])
def test_erlang_a_matches_an_exact_birth_death_chain(n, arrivals, handle, patience, within):
    sl, abandon, asa = exact_erlang_a(n, arrivals, handle, patience, within)
    r = erlang_a(n, arrivals, handle, patience, within)
    assert r.service_level == pytest.approx(sl, abs=2e-5)
    assert r.abandon_rate == pytest.approx(abandon, abs=2e-5)
    assert r.average_speed_of_answer == pytest.approx(asa, rel=1e-4, abs=1e-4)


def test_erlang_a_agents_needed_check_values():
    # 80% in 20 s, handle 300 s, patience 60 s (domain check values): fewer than the offered
    # load at 960 calls an hour (80 erlangs), and fewer than Erlang C's 14 / 25 / 46 / 88.
    for arrivals, expected, conventional in ((120, 12, 14), (240, 21, 25), (480, 39, 46), (960, 75, 88)):
        assert agents_needed(arrivals, 300, 20, 0.8, patience_seconds=60) == expected
        assert agents_needed(arrivals, 300, 20, 0.8) == conventional


def test_erlang_a_search_is_the_smallest_meeting_the_target():
    for arrivals in (5, 50, 333, 2000):
        n = agents_needed(arrivals, 240, 30, 0.8, patience_seconds=120)
        assert erlang_a(n, arrivals, 240, 120, 30).service_level >= 0.8
        assert n == 1 or erlang_a(n - 1, arrivals, 240, 120, 30).service_level < 0.8


def test_occupancy_cap_check_value():
    # 1,000 calls an hour, 120 s, 80% in 20 s: 38 for the service level, 40 under an 85% cap
    assert agents_needed(1000, 120, 20, 0.8) == 38
    assert agents_needed(1000, 120, 20, 0.8, max_occupancy=0.85) == 40
    r = erlang_c_result(40, 1000, 120, 20)
    assert r.service_level == pytest.approx(0.937, abs=1e-3)
    assert r.average_speed_of_answer == pytest.approx(3.4, abs=0.05)


def test_max_abandon_adds_agents():
    loose = agents_needed(960, 300, 20, 0.8, patience_seconds=60)
    strict = agents_needed(960, 300, 20, 0.8, patience_seconds=60, max_abandon=0.02)
    assert strict > loose
    assert erlang_a(strict, 960, 300, 60, 20).abandon_rate <= 0.02
    assert erlang_a(strict - 1, 960, 300, 60, 20).abandon_rate > 0.02


@pytest.mark.parametrize("erlangs", [0.01, 0.5, 7, 150, 4_000, 100_000])
def test_erlang_a_is_stable_across_loads(erlangs):
    arrivals = erlangs * 3600 / 300
    n = agents_needed(arrivals, 300, 20, 0.8, patience_seconds=180)
    r = erlang_a(n, arrivals, 300, 180, 20)
    for value in (r.service_level, r.abandon_rate, r.p_wait, r.occupancy):
        assert 0 <= value <= 1 and math.isfinite(value)
    assert r.service_level >= 0.8
    assert math.isfinite(r.average_speed_of_answer) and r.average_speed_of_answer >= 0
    # Long patience tends to Erlang C
    assert erlang_a(n + 5, arrivals, 300, 1e9, 20).service_level == pytest.approx(
        service_level(n + 5, arrivals, 300, 20), abs=1e-5)


def test_erlang_a_no_agents_and_no_calls():
    assert erlang_a(0, 100, 180, 60, 20).abandon_rate == 1.0
    assert erlang_a(5, 0, 180, 60, 20).service_level == 1.0
    with pytest.raises(ValueError, match="patience_seconds"):
        erlang_a(5, 10, 180, 0, 20)
