"""`channelplan import`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from channelplan.cli.common import (
    NoColorOpt,
    QuietOpt,
    app,
    check_format,
    date_option,
    emit,
    examples,
    fail,
    format_option,
    guard,
    render_result,
    say,
)

if TYPE_CHECKING:
    from channelplan.importer.problems import Arg


# The option that carries each argument of import_exports, for the core's messages.
OPTIONS = {"fmt": "--from", "map_path": "--map MAP.yaml", "since": "--since", "until": "--until",
           "timezone": "--timezone", "max_bad_rows": "--max-bad-rows", "base_path": "--base",
           "paths": "EXPORT"}


def option_text(arg: Arg) -> str:
    """An argument of the core's message as the command line spells it (``--from zendesk``)."""
    option = OPTIONS.get(arg.name, arg.name)
    return option if arg.value is None else f"{option} {arg.value}"


@app.command("import", epilog=examples(
    "channelplan import tickets.csv --map map.yaml -o profile.yaml",
    "channelplan import jan.csv feb.csv mar.csv --timezone Europe/Paris --base old.yaml -o new.yaml",
    "channelplan import conversations.csv --from intercom --since 2024-01-01 --until 2024-03-31",
    "channelplan import export.csv --from generic --map examples/import-map.yaml -o profile.yaml",
    "channelplan import tickets.csv --map map.yaml -f markdown --summary data.md -o profile.yaml"))
def import_(
    exports: list[str] = typer.Argument(..., metavar="EXPORT...",
                                        help="Help-desk export files (CSV); several combine, a "
                                             "ticket id in two files counts once."),
    source_format: str | None = typer.Option(None, "--from", metavar="zendesk|intercom|generic",
                                                help="The export's format (default: detected "
                                                     "from the header row)."),
    map_file: Path | None = typer.Option(None, "--map", metavar="MAP.yaml",
                                            help="Map file: topic rules, extra channel values, and "
                                                 "the columns of a generic export."),
    since: str | None = typer.Option(None, "--since", metavar="DATE",
                                        help="First day to measure (YYYY-MM-DD, in --timezone)."),
    until: str | None = typer.Option(None, "--until", metavar="DATE",
                                        help="Last day to measure, included (YYYY-MM-DD)."),
    timezone: str = typer.Option("UTC", "--timezone", metavar="TZ",
                                 help="Time zone of the team's hours, e.g. Europe/Paris or +02:00. "
                                      "Times with a zone (or a zone in the column name) are "
                                      "converted to it; times without one are read as in it."),
    base: str | None = typer.Option(None, "--base", metavar="PROFILE",
                                       help="Take everything not measured (company, customers, "
                                            "constraints, priorities, transition, topic "
                                            "attributes, channel costs and targets) from PROFILE."),
    output: Path | None = typer.Option(None, "--output", "-o", metavar="PROFILE.yaml",
                                          help="Write the measured profile (atomically; '-' prints "
                                               "it instead of the summary). Without it only the "
                                               "summary is shown."),
    force: bool = typer.Option(False, "--force", help="Overwrite PROFILE.yaml if it exists."),
    fmt: str = format_option("import"),
    summary: Path | None = typer.Option(None, "--summary", metavar="FILE",
                                           help="Write the summary to FILE instead of standard "
                                                "output."),
    max_bad_rows: str = typer.Option("0.5%", "--max-bad-rows", metavar="SHARE|ROWS",
                                     help="Unreadable rows to skip before giving up: a share "
                                          "(0.5%) or a number of rows."),
    quiet: bool = QuietOpt,
    no_color: bool = NoColorOpt,
) -> None:
    """Measure a profile from help-desk exports (Zendesk, Intercom, or any CSV with a map file).

    Measures contacts per month, channel shares, hours, peak factor, topics (through the
    map's rules), and per channel satisfaction, one-touch resolution, first reply against
    the target and handle time; each value is written with a comment saying where it came
    from. Prints a summary with an hour-of-week heat map. No requester name, email, phone,
    subject or description is ever read into the profile, the summary or a message.
    """
    from channelplan.importer import ExportError, import_exports, parse_max_bad_rows
    from channelplan.importer.formats import FORMAT_NAMES
    from channelplan.render import FORMATS

    fmt = check_format(fmt, FORMATS["import"], "import")
    if source_format is not None and source_format.strip().lower() not in FORMAT_NAMES:
        raise fail([f"channelplan import: error: --from {source_format}: choose one of "
                     f"{', '.join(FORMAT_NAMES)}"])
    day_from, day_to = date_option(since, "--since"), date_option(until, "--until")
    to_file = output is not None and str(output) != "-"
    if to_file and output is not None and output.exists() and not force:
        raise fail([f"channelplan import: error: {output} exists; use --force to overwrite it"])
    progress = None if quiet else say
    try:
        bad_rows = parse_max_bad_rows(max_bad_rows)
    except ExportError as exc:
        raise fail(exc.lines(option_text)) from None
    try:
        result = import_exports(
            exports, fmt=source_format.strip().lower() if source_format else None,
            map_path=str(map_file) if map_file else None, since=day_from, until=day_to,
            timezone=timezone, base_path=base, max_bad_rows=bad_rows,
            output_name=str(output) if to_file else "<import>", progress=progress)
    except ExportError as exc:
        raise fail(exc.lines(option_text)) from None
    if not quiet:
        measured = result.measurement
        for line in measured.bad_rows:
            say(f"{line} (skipped)")
        if measured.bad_total:
            say(f"warning: skipped {measured.bad_total:,} unreadable rows of "
                 f"{measured.rows_total:,}")
        for warning in result.warnings:
            say(f"warning: {warning}")
    with guard():
        if output is not None:
            emit(result.profile_text, output)
        if output is None or to_file or summary is not None:
            render_result("import", fmt, result.summary(str(output) if to_file else None), summary,
                    no_color)
    if to_file and not quiet:
        say(f"wrote {output}; next: channelplan recommend {output}")

