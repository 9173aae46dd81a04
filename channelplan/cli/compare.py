"""`channelplan compare`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

from channelplan.cli.common import (
    NoColorOpt,
    OutputOpt,
    QuietOpt,
    WeightsOpt,
    app,
    check_format,
    console,
    emit,
    examples,
    fail,
    format_option,
    guard,
    input_limit,
    read_weights,
    refuse_directory,
    render_options,
    say,
)
from channelplan.errors import ExitStatus


@app.command(epilog=examples("channelplan compare profiles/",
                             "channelplan compare 'units/**/*.yaml' -f csv -o comparison.csv",
                             "channelplan compare profiles/ --channels phone,email --sort phone",
                             "channelplan compare profiles/ --fail-on retire:phone"))
def compare(
    inputs: list[str] = typer.Argument(..., metavar="PROFILE_OR_DIR...",
                                       help="Profile files, directories (their *.yaml and *.yml) "
                                            "or quoted globs."),
    fmt: str = format_option("compare"),
    output: Path | None = OutputOpt,
    sort: str | None = typer.Option(None, "--sort", metavar="KEY",
                                       help="Sort rows by name, source, or a channel id (best "
                                            "score first). Default: the order given."),
    channels: str | None = typer.Option(None, "--channels", metavar="IDS",
                                           help="Comma-separated channel ids to show, in order."),
    fail_on: list[str] = typer.Option([], "--fail-on", metavar="ACTION[:CHANNEL]",
                                      help="Exit 1 when any profile gets ACTION (for CHANNEL), "
                                           "e.g. retire or retire:phone. Repeatable."),
    robustness: bool = typer.Option(False, "--robustness",
                                    help="Also compute each action's robustness (slower)."),
    jobs: int | None = typer.Option(None, "--jobs", "-j", min=1, metavar="N",
                                       help="Worker processes (default: 2 for 200+ profiles)."),
    weights: Path | None = WeightsOpt,
    quiet: bool = QuietOpt,
    no_color: bool = NoColorOpt,
) -> None:
    """Score many profiles at once: one row per profile, one column per channel.

    A profile that does not load shows its errors and hides nothing else; the exit status
    is then 2.
    """
    from channelplan.comparison import (
        channel_columns,
        check_sort,
        compact,
        compare_iter,
        expand,
        fail_rules,
        matches,
        sort_key,
    )
    from channelplan.errors import ArgumentError
    from channelplan.output import atomic_writer
    from channelplan.render import FORMATS, renderer

    fmt = check_format(fmt, FORMATS["compare"], "compare")
    try:
        columns = channel_columns(channels)
        check_sort(sort)
        rules_to_fail = fail_rules(fail_on)
    except ArgumentError as exc:
        flag = {"channels": "--channels:", "sort": "--sort", "fail_on": "--fail-on"}[exc.argument]
        raise fail([f"channelplan compare: error: {flag} {exc.detail}"]) from None
    with guard():
        paths = expand(inputs)
        stdin = sys.stdin.buffer.read(input_limit()) if "-" in paths else None
        rows = compare_iter(paths, read_weights(weights), robustness, jobs, stdin,
                            encoded=fmt == "json")
        state = {"errors": 0, "matched": 0}

        def watched(items: Any) -> Any:
            for row in items:
                if "errors" in row:
                    state["errors"] += 1
                    if not quiet:
                        for e in row["errors"]:
                            say(f"{e['source']}:{e['line']}:{e['column']}: {e['message']}")
                elif matches(row, rules_to_fail):
                    state["matched"] += 1
                # Tables and CSV need only scores and actions: keep memory flat.
                yield row if fmt == "json" else compact(row)

        stream: Any = watched(rows)
        if sys.stderr.isatty() and len(paths) >= 50 and not quiet:
            from rich.progress import track

            stream = track(stream, total=len(paths), description="Scoring profiles",
                           console=console(no_color, stderr=True), transient=True)
        if sort:
            stream = sorted(stream, key=sort_key(sort))
        to_file = output is not None and str(output) != "-"
        refuse_directory(output)
        chosen = renderer("compare", fmt)
        options = render_options(output, no_color, channels=tuple(columns))
        if chosen.stream is not None:  # rows written as they come: memory stays flat
            if to_file:
                with atomic_writer(output) as handle:  # type: ignore[arg-type]
                    chosen.stream(stream, handle, options)
            else:
                chosen.stream(stream, sys.stdout, options)
        else:
            emit(chosen(list(stream), options), output)
    if state["errors"]:
        raise typer.Exit(int(ExitStatus.BAD_INPUT))
    if state["matched"]:
        raise typer.Exit(int(ExitStatus.CHECK_FAILED))


