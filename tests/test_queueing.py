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
    erlang_b,
    erlang_c,
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
    # 100 contacts in 30 min = 200 an hour, AHT 180 s, N = 14, target 20 s (domain.md)
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
