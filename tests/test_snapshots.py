"""Snapshot tests: every format of every command on two example profiles.

A change in output shows up as a reviewed diff. To accept intended changes:
    UPDATE_SNAPSHOTS=1 python -m pytest tests/test_snapshots.py
"""

from __future__ import annotations

import os

import pytest

from channelplan.render import FORMATS
from conftest import ROOT, invoke

SNAPSHOTS = ROOT / "tests" / "snapshots"
PROFILES = {"bank": "profiles/northwind-bank.yaml", "shop": "profiles/pebble-and-pine-shop.yaml"}


def _cases():
    for key, profile in PROFILES.items():
        for command in ("recommend", "capacity", "roadmap", "report", "compare"):
            for fmt in FORMATS[command]:
                yield f"{command}-{key}-{fmt}", [command, profile, "-f", fmt, "--no-color"]
        yield f"checklist-{key}-markdown", ["checklist", profile, "--quiet"]
        for fmt in FORMATS["status"]:
            yield f"status-{key}-{fmt}", ["status", f"tests/snapshots/checklist-{key}-markdown.txt",
                                          "--today", "2027-03-01", "-f", fmt, "--no-color"]
    for fmt in FORMATS["rules"]:
        yield f"rules-{fmt}", ["rules", "-f", fmt, "--no-color"]
    yield "validate-table", ["validate", "--quiet", *PROFILES.values()]
    yield "validate-json", ["validate", "-f", "json", *PROFILES.values()]
    yield "schema-json", ["schema"]
    for template in ("minimal", "full"):
        yield f"init-{template}", ["init", "--template", template]


CASES = sorted(_cases(), key=lambda c: (c[0].startswith("status"), c[0]))


@pytest.mark.parametrize("name, args", CASES, ids=[c[0] for c in CASES])
def test_snapshot(name, args, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = invoke(*args, env={"COLUMNS": "110", "NO_COLOR": "1",
                                "SOURCE_DATE_EPOCH": "1798761600"})  # a fixed DTSTAMP in ics
    assert result.exit_code == 0, result.output
    path = SNAPSHOTS / f"{name}.txt"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_text(result.stdout)
    assert path.exists(), f"no snapshot {path.name}: run with UPDATE_SNAPSHOTS=1 and review it"
    assert result.stdout == path.read_text()
