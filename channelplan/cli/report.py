"""`channelplan report`."""

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
    say,
    warn_profile,
)


@app.command(epilog=examples("channelplan report profiles/northwind-bank.yaml -o report.md",
                             "channelplan report profile.yaml -f html -o report.html",
                             "channelplan report profile.yaml --weights my-weights.yaml -o plan.md"))
def report(
    profile: str = typer.Argument(..., metavar="PROFILE", help="Profile file ('-' reads standard input)."),
    output: Path | None = OutputOpt,
    fmt: str = format_option("report", "markdown"),
    weights: Path | None = WeightsOpt,
    quiet: bool = QuietOpt,
    no_color: bool = NoColorOpt,
) -> None:
    """The full report: the decision and its net effect, scores and reasons, a
    fit-against-cost chart, capacity and cost, the transition roadmap with a Gantt chart, the
    checklist, the assumptions, and the rules and sources used. Markdown (Mermaid charts), or
    with -f html one self-contained page (inline SVG charts, no script)."""
    from channelplan.plan import build_plan

    with guard():
        loaded = read_profile(profile)
        warn_profile(loaded, quiet)
        render_result("report", fmt, build_plan(loaded, read_weights(weights)), output, True)
    if output is not None and str(output) != "-" and not quiet:
        say(f"wrote {output}")


