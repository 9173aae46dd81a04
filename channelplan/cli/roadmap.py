"""`channelplan roadmap`."""

from __future__ import annotations

from pathlib import Path

import typer

from channelplan.cli.common import (
    NoColorOpt,
    OutputOpt,
    QuietOpt,
    WeightsOpt,
    app,
    date_option,
    examples,
    format_option,
    guard,
    read_profile,
    read_weights,
    render_result,
    warn_plan,
    warn_profile,
)


@app.command(epilog=examples("channelplan roadmap profiles/northwind-bank.yaml",
                             "channelplan roadmap profile.yaml --start 2027-03-01 -f markdown",
                             "channelplan roadmap profile.yaml --retire phone --retire email -f json",
                             "channelplan roadmap profile.yaml -f ics -o transition.ics   # calendar"))
def roadmap(
    profile: str = typer.Argument(..., metavar="PROFILE", help="Profile file ('-' reads standard input)."),
    start: str | None = typer.Option(None, "--start", metavar="DATE",
                                        help="Day 0 (YYYY-MM-DD); default transition.start, else today."),
    retire: list[str] = typer.Option([], "--retire", metavar="ID",
                                     help="Retire this channel instead of the recommended ones "
                                          "(repeatable)."),
    fmt: str = format_option("roadmap"),
    output: Path | None = OutputOpt,
    weights: Path | None = WeightsOpt,
    quiet: bool = QuietOpt,
    no_color: bool = NoColorOpt,
) -> None:
    """The phased, dated transition plan for each channel to retire, as one programme.

    Phases: prepare (hiring and alternatives live first), announce, parallel run, brownouts,
    sunset, monitor; each ends in a gate with numbers. With alternatives, notice, tasks and
    owners per channel kind, staff and cost month by month, and the end state. `-f ics`
    writes an iCalendar file (one event per phase and per gate, with stable ids).
    """
    from channelplan.plan import roadmap_plan

    day0 = date_option(start, "--start")
    with guard():
        loaded = read_profile(profile)
        warn_profile(loaded, quiet)
        result = roadmap_plan(loaded, day0, retire, read_weights(weights))
        warn_plan(result, quiet)
        render_result("roadmap", fmt, result, output, no_color)


