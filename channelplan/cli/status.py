"""`channelplan status`."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from channelplan.cli.common import (
    NoColorOpt,
    OutputOpt,
    app,
    date_option,
    examples,
    fail,
    format_option,
    guard,
    input_limit,
    read_bounded,
    render_result,
)
from channelplan.errors import ExitStatus


@app.command(epilog=examples("channelplan status docs/transition.md",
                             "channelplan status docs/transition.md --fail-on-overdue",
                             "channelplan status docs/transition.md --today 2027-03-01 -f json"))
def status(
    checklist_file: Path = typer.Argument(..., metavar="CHECKLIST",
                                          help="A checklist written by `channelplan checklist`."),
    today: str | None = typer.Option(None, "--today", metavar="DATE",
                                        help="Count overdue tasks as of DATE (default: today)."),
    fail_on_overdue: bool = typer.Option(False, "--fail-on-overdue",
                                         help="Exit 1 when a task is past its due date and not ticked."),
    fmt: str = format_option("status"),
    output: Path | None = OutputOpt,
    no_color: bool = NoColorOpt,
) -> None:
    """Progress of a checklist: done, open and overdue tasks per retirement and phase."""
    import datetime as dt

    from channelplan.checklist import checklist_status, decode_checklist

    day = date_option(today, "--today") or dt.date.today()
    with guard():
        if str(checklist_file) == "-":
            text = decode_checklist(sys.stdin.buffer.read(input_limit()), "<stdin>")
        elif checklist_file.is_dir():
            raise fail([f"{checklist_file}:1:1: is a directory, not a checklist"])
        else:
            text = decode_checklist(read_bounded(checklist_file), str(checklist_file))
        report = checklist_status(text, str(checklist_file), day)
        render_result("status", fmt, report, output, no_color)
    if fail_on_overdue and report.overdue:
        raise typer.Exit(int(ExitStatus.CHECK_FAILED))


