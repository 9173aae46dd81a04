"""`channelplan checklist`."""

from __future__ import annotations

from pathlib import Path

import typer

from channelplan.cli.common import (
    OutputOpt,
    QuietOpt,
    WeightsOpt,
    app,
    date_option,
    emit,
    examples,
    fail,
    guard,
    read_bounded,
    read_profile,
    read_weights,
    refuse_directory,
    say,
    warn_plan,
    warn_profile,
)
from channelplan.errors import ExitStatus


@app.command(epilog=examples("channelplan checklist profile.yaml -o docs/transition.md",
                             "channelplan checklist profile.yaml -o docs/transition.md --check",
                             "channelplan checklist profile.yaml    # print to standard output"))
def checklist(
    profile: str = typer.Argument(..., metavar="PROFILE", help="Profile file ('-' reads standard input)."),
    output: Path | None = OutputOpt,
    check: bool = typer.Option(False, "--check", help="Write nothing; exit 1 if FILE is not what "
                                                     "a regeneration would write, 0 if current."),
    start: str | None = typer.Option(None, "--start", metavar="DATE",
                                        help="Day 0 (YYYY-MM-DD); default transition.start, else today."),
    retire: list[str] = typer.Option([], "--retire", metavar="ID",
                                     help="Retire this channel instead of the recommended ones."),
    weights: Path | None = WeightsOpt,
    quiet: bool = QuietOpt,
) -> None:
    """The roadmap as a Markdown task list that keeps your ticks and notes when regenerated.

    Each task ends with <!-- task:ID -->. Regenerating into an existing FILE keeps every
    tick and every line you added under a task; tasks that left the plan move to a
    "Removed tasks" section.
    """
    from channelplan.checklist import decode_checklist, render_checklist, same_checklist
    from channelplan.output import is_special_target
    from channelplan.plan import roadmap_plan

    day0 = date_option(start, "--start")
    to_file = output is not None and str(output) != "-"
    refuse_directory(output)
    if check and not to_file:
        raise fail(["channelplan checklist: error: --check needs -o FILE (the checklist to check)"])
    with guard():
        loaded = read_profile(profile)
        warn_profile(loaded, quiet)
        plan = roadmap_plan(loaded, day0, retire, read_weights(weights))
        warn_plan(plan, quiet, retirements=True)
        existing = None
        if to_file and output is not None and output.exists() and not is_special_target(output):
            existing = decode_checklist(read_bounded(output), str(output))
        text = render_checklist(plan, existing, str(output))
        if check:
            if same_checklist(existing, text):
                if not quiet:
                    say(f"{output}: current")
                raise typer.Exit(int(ExitStatus.OK))
            reason = "does not exist" if existing is None else "is stale"
            say(f"{output}: {reason}; run: channelplan checklist {profile} -o {output}")
            raise typer.Exit(int(ExitStatus.CHECK_FAILED))
        emit(text, output)
    if to_file and not quiet:
        tasks = len(plan.tasks)
        say(f"wrote {output} ({tasks} task{'s' * (tasks != 1)}); next: channelplan status {output}")


