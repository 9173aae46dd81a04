"""channelplan benchmarks: run `python benchmarks/bench.py [queueing] [startup] [compare] [import]`.

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
    mismatches = sum(1 for x, y in zip(fast, slow, strict=True) if x != y)
    print(f"queueing: agents_needed over {len(grid):,} scenarios (up to "
          f"{max(g[0] * g[1] / 3600 for g in grid):.0f} erlangs)")
    print(f"  channelplan (linear scan, bisection from 2,000 erlangs): {fast_time:.3f} s")
    print(f"  naive (Erlang C from scratch per N):    {slow_time:.3f} s")
    print(f"  same answers: {len(grid) - mismatches:,} of {len(grid):,}; "
          f"speed-up {slow_time / fast_time:.1f}x")
    if mismatches:
        raise SystemExit("queueing: answers differ")
    # Erlang A (callers hang up) against the Erlang C search, on the same grid with a patience
    # of three handle times' worth of a minute or more.
    start = time.perf_counter()
    with_patience = [agents_needed(*case, patience_seconds=max(60.0, case[1] / 2)) for case in grid[::10]]
    a_time = time.perf_counter() - start
    start = time.perf_counter()
    for case in grid[::10]:
        agents_needed(*case)
    c_time = time.perf_counter() - start
    fewer = sum(1 for a, c in zip(with_patience, fast[::10], strict=True) if a <= c)
    print(f"  Erlang A search over {len(grid) // 10:,} of them: {a_time:.3f} s against "
          f"{c_time:.3f} s for Erlang C ({a_time / c_time:.1f}x); {a_time / (len(grid) // 10) * 1000:.2f} "
          f"ms a search; needs no more agents than Erlang C in {fewer:,}")
    big = []
    for erlangs in (1_000.0, 10_000.0, 100_000.0, 1_000_000.0):
        start = time.perf_counter()
        agents_needed(erlangs * 3600 / 300, 300, 20, 0.8, 0.85, patience_seconds=180)
        big.append(time.perf_counter() - start)
    print("  one Erlang A search at 1,000 / 10,000 / 100,000 / 1,000,000 erlangs: "
          + " / ".join(f"{t * 1000:.0f} ms" for t in big))
    return {"fast": fast_time, "slow": slow_time, "erlang_a": a_time, "erlang_c": c_time}


# --- startup ----------------------------------------------------------------------------

REFERENCE = """
import pydantic, yaml, typer
from rich.console import Console
from rich.table import Table

class Inner(pydantic.BaseModel):
    share: float
    label: str

class Outer(pydantic.BaseModel):
    name: str
    items: list[Inner]

data = yaml.load("name: ref\\nitems:\\n  - {share: 0.5, label: a}\\n  - {share: 0.3, label: b}\\n"
                 "  - {share: 0.2, label: c}\\n", Loader=yaml.CSafeLoader)
model = Outer.model_validate(data)
table = Table("label", "share")
for item in model.items:
    table.add_row(item.label, str(item.share))
Console().print(table)
"""


def _best_of(command: list[str], runs: int) -> float:
    import subprocess

    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - start)
    return best


def bench_startup(runs: int = 15) -> dict[str, float]:
    import os
    import subprocess
    import tempfile
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    profile = str(root / "profiles" / "northwind-bank.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        reference = Path(tmp) / "reference.py"
        reference.write_text(REFERENCE)
        commands = {
            "reference": [sys.executable, str(reference)],
            "recommend": [sys.executable, "-m", "channelplan", "recommend", profile],
            "version": [sys.executable, "-m", "channelplan", "--version"],
            "help": [sys.executable, "-m", "channelplan", "--help"],
        }
        os.environ.setdefault("COLUMNS", "120")
        # Byte-compile the package as `pip install` does: where PYTHONDONTWRITEBYTECODE is
        # set, a source checkout would otherwise be compiled again on every run.
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(root / "channelplan")],
                       check=True)
        for command in commands.values():  # warm the file cache and .pyc files
            _best_of(command, 1)
        times = {}
        for _ in range(runs):  # interleaved, so that machine noise hits all alike
            for name, command in commands.items():
                times[name] = min(times.get(name, float("inf")), _best_of(command, 1))
    ref = times["reference"]
    print(f"startup: best of {runs} runs each, interleaved")
    print(f"  reference program (4 libraries, a pydantic model, a Rich table): {ref * 1000:.0f} ms")
    print(f"  channelplan recommend (bank profile): {times['recommend'] * 1000:.0f} ms = "
          f"{times['recommend'] / ref:.2f}x the reference (limit 1.5x)")
    print(f"  channelplan --version: {times['version'] * 1000:.0f} ms = "
          f"{times['version'] / ref:.2f}x the reference (limit 0.6x)")
    print(f"  channelplan --help: {times['help'] * 1000:.0f} ms = {times['help'] / ref:.2f}x")
    return times


# --- compare ----------------------------------------------------------------------------

def make_profiles(folder: object, count: int) -> list[str]:
    """Write ``count`` varied profiles based on the bundled examples."""
    import random
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    bases = [p.read_text() for p in sorted((root / "profiles").glob("*.yaml"))]
    rng = random.Random(7)
    paths = []
    for index in range(count):
        text = bases[index % len(bases)]
        text = text.replace("contacts_per_month: ", f"contacts_per_month: {rng.randint(1, 9)}", 1)
        text = text.replace("  name: ", f"  name: Unit {index} ", 1)
        path = Path(str(folder)) / f"unit-{index:05d}.yaml"
        path.write_text(text)
        paths.append(str(path))
    return paths


PARSE_ONLY = """
import sys, yaml
for path in sys.argv[1:]:
    with open(path, "rb") as handle:
        yaml.load(handle.read(), Loader=yaml.CSafeLoader)
"""


def bench_compare(count: int = 2000) -> dict[str, float]:
    import subprocess
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "profiles"
        folder.mkdir()
        paths = make_profiles(folder, count)
        script = Path(tmp) / "parse.py"
        script.write_text(PARSE_ONLY)
        start = time.perf_counter()
        subprocess.run([sys.executable, str(script), *paths], check=True)
        parse = time.perf_counter() - start
        out = Path(tmp) / "out.json"
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "channelplan", "compare", str(folder), "-f", "json",
                        "-o", str(out), "--quiet"], check=True)
        compare = time.perf_counter() - start
        import json

        loaded = len(json.loads(out.read_text())["profiles"])
    print(f"compare: {count:,} generated profiles ({loaded:,} in the output)")
    print(f"  channelplan compare DIR -f json: {compare:.2f} s = {count / compare:,.0f} profiles/s")
    print(f"  parsing the same files with libyaml's C loader only: {parse:.2f} s")
    print(f"  ratio compare / parse-only: {compare / parse:.1f}x")
    return {"compare": compare, "parse": parse}


# --- import -----------------------------------------------------------------------------

CSV_FLOOR = """
import csv, sys
rows = 0
with open(sys.argv[1], newline="", encoding="utf-8") as handle:
    for row in csv.reader(handle):
        rows += 1
print(rows)
"""

MEASURED_RUN = """
import resource, runpy, sys
sys.argv = ["channelplan", *sys.argv[1:]]
try:
    runpy.run_module("channelplan", run_name="__main__")
except SystemExit as exc:
    if exc.code:
        raise
print("MAXRSS", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


def _timed(command: list[str]) -> tuple[float, str]:
    import subprocess

    start = time.perf_counter()
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return time.perf_counter() - start, done.stderr


def bench_import(rows: int = 1_000_000) -> dict[str, float]:
    """A generated Zendesk export (37 columns, multi-line descriptions, as the test suite's
    generator writes them): `channelplan import` against Python's csv module only reading
    the same file, each in its own process (best of 3, interleaved); peak memory at a
    quarter and all of the rows."""
    import datetime as dt
    import tempfile
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root / "tests"))
    from exportgen import Truth, write_export, write_map

    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        map_file = write_map(folder / "map.yaml", "zendesk")
        floor_script = folder / "floor.py"
        floor_script.write_text(CSV_FLOOR)
        runner = folder / "run.py"
        runner.write_text(MEASURED_RUN)
        for count in (rows // 4, rows):
            export = folder / f"tickets-{count}.csv"
            start = time.perf_counter()
            write_export(export, "zendesk", Truth(rows=count, start=dt.date(2024, 1, 1), days=365))
            made = time.perf_counter() - start
            size = export.stat().st_size
            floor = best = float("inf")
            rss = 0
            for _ in range(3):  # interleaved, so that machine noise hits both alike
                floor = min(floor, _timed([sys.executable, str(floor_script), str(export)])[0])
                seconds, err = _timed([sys.executable, str(runner), "import", str(export), "--map",
                                       str(map_file), "-f", "json", "--quiet"])
                best = min(best, seconds)
                rss = max(rss, int(err.rsplit("MAXRSS", 1)[1].split()[0]))
            print(f"import: {count:,} rows, {size / 2**20:,.0f} MiB (generated in {made:.0f} s)")
            print(f"  channelplan import: {best:.2f} s = {count / best:,.0f} rows/s, "
                  f"peak memory {rss / 1024:,.0f} MiB")
            print(f"  csv module reading only: {floor:.2f} s = {count / floor:,.0f} rows/s")
            print(f"  ratio import / csv floor: {best / floor:.2f}x (goal at most 2x)")
            results[f"import_{count}"] = best
            results[f"floor_{count}"] = floor
            results[f"rss_{count}"] = rss
    return results


SECTIONS = {"queueing": bench_queueing, "startup": bench_startup, "compare": bench_compare,
            "import": bench_import}


def main(argv: list[str]) -> None:
    chosen = argv or list(SECTIONS)
    for name in chosen:
        if name not in SECTIONS:
            raise SystemExit(f"unknown benchmark {name!r}; choose from {', '.join(SECTIONS)}")
        SECTIONS[name]()


if __name__ == "__main__":
    main(sys.argv[1:])
