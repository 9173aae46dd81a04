from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
PROFILES = sorted((ROOT / "profiles").glob("*.yaml"))
BANK = ROOT / "profiles" / "northwind-bank.yaml"
"""A retail bank with many older customers: phone locked to keep, social media to retire."""
SHOP = ROOT / "profiles" / "pebble-and-pine-shop.yaml"
"""An online shop with too many channels for its team: several retirements."""
AGELESS = """version: 1
company: {name: Ageless Co}
demand:
  contacts_per_month: 5000
  topics:
    - {name: Order status, share: 60%, urgency: hours, complexity: low}
    - {name: Billing problems, share: 40%, urgency: minutes, sensitivity: financial}
channels:
  email: {share: 70%}
  phone: {share: 30%}
"""
"""A valid profile with one soft problem: no age mix, so a warning says what is assumed."""
PROFILE_TEXTS = [p.read_text() for p in PROFILES]
"""The example profiles' text, in the order of PROFILES."""

# Property tests: no deadline (a CI machine may be slow) and no "too slow" health check; each
# test sets only its number of examples.
settings.register_profile("channelplan", deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("channelplan")


def profile_data() -> list[dict]:
    """The example profiles as parsed YAML (fresh copies each call: tests mutate them)."""
    from channelplan.yamlsafe import parse_yaml

    return [parse_yaml(text, str(path)).data for path, text in zip(PROFILES, PROFILE_TEXTS,
                                                                    strict=True)]


class Result:
    def __init__(self, exit_code: int, stdout: str, stderr: str, exception: BaseException | None):
        self.exit_code = exit_code
        self.stdout = stdout
        self.stderr = stderr
        self.exception = exception

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def invoke(*args: str, input: str | bytes | None = None, env: dict | None = None) -> Result:
    """Run the real CLI in-process, as a user would call it."""
    from channelplan.cli import app

    runner = CliRunner()
    result = runner.invoke(app, [str(a) for a in args], input=input, env=env)
    exception = result.exception if not isinstance(result.exception, SystemExit) else None
    stderr = result.stderr if hasattr(result, "stderr") else ""
    return Result(result.exit_code, result.stdout, stderr, exception)


def run(*args: str, input: bytes | None = None, cwd: Path | None = None,
        env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m channelplan`` in a subprocess (for startup and real stdin/stdout)."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "channelplan", *map(str, args)], input=input,
                          capture_output=True, cwd=cwd or ROOT, env=full_env, timeout=120)


@pytest.fixture
def cli():
    return invoke
