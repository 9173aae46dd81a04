"""`channelplan recommend`."""

from __future__ import annotations

from pathlib import Path

import typer

from channelplan.cli.common import (
    NoColorOpt,
    OutputOpt,
    QuietOpt,
    WeightsOpt,
    app,
    examples,
    format_option,
    guard,
    read_profile,
    read_weights,
    render_result,
    warn_profile,
)


@app.command(epilog=examples("channelplan recommend profiles/northwind-bank.yaml",
                             "channelplan recommend profile.yaml --explain",
                             "channelplan recommend profile.yaml -f json -o plan.json",
                             "channelplan recommend profile.yaml --weights my-weights.yaml"))
def recommend(
    profile: str = typer.Argument(..., metavar="PROFILE", help="Profile file ('-' reads standard input)."),
    fmt: str = format_option("recommend"),
    output: Path | None = OutputOpt,
    explain: bool = typer.Option(False, "--explain", "-e",
                                 help="Show every rule's contribution to every score."),
    weights: Path | None = WeightsOpt,
    quiet: bool = QuietOpt,
    no_color: bool = NoColorOpt,
) -> None:
    """Score every channel for a profile and say keep, improve, add, retire or skip, with reasons.

    Each score (0-100) is 50 plus the points of named rules (see `channelplan rules`);
    robustness is how often the action survives seeded changes of the inputs, the
    thresholds and the rule weights.
    """
    from channelplan.scoring import recommend as score

    with guard():
        loaded = read_profile(profile)
        result = score(loaded, read_weights(weights))
        warn_profile(loaded, quiet, [w for w in result.warnings if w not in loaded.warnings])
        render_result("recommend", fmt, result, output, no_color, explain=explain)


