"""The command line: a thin layer that parses options, calls the core and picks a renderer.

Heavy modules (pydantic, PyYAML, Rich) are imported inside commands, so that
``channelplan --version`` and ``--help`` start fast.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer

from channelplan.clihelp import RootGroup, print_version
from channelplan.errors import ExitStatus

app = typer.Typer(
    cls=RootGroup,
    name="channelplan",
    help="Plan which customer-support channels to offer, which to retire, and how to retire "
         "them without hurting customers.",
    no_args_is_help=True,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _examples(*lines: str) -> str:
    """An epilog of examples that the help formatter prints as written."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


@app.callback(epilog=_examples("channelplan recommend profiles/northwind-bank.yaml",
                              "channelplan init -o profile.yaml",
                              "channelplan --version            # print the version"))
def _root(
    version: bool = typer.Option(False, "--version", "-V", is_eager=True, callback=print_version,
                                 help="Print the version and exit."),
) -> None:
    """Plan which customer-support channels to offer, which to retire, and how to retire
    them without hurting customers. Run `channelplan COMMAND --help` for examples."""
    # `--version` and `-V` are answered by channelplan.entry before Typer starts; the option
    # is here to be listed in --help. A flag costs no start-up: Typer coerces no bool flag.


# Shared options ------------------------------------------------------------------------

OutputOpt = typer.Option(None, "--output", "-o", help="Write to FILE (atomically) instead of "
                                                      "standard output.", metavar="FILE")
QuietOpt = typer.Option(False, "--quiet", "-q", help="Print nothing but results and errors; no "
                                                     "warnings.")
NoColorOpt = typer.Option(False, "--no-color", help="No colours (also when NO_COLOR is set).")


def _say(line: str) -> None:
    """One line on stderr, with anything from a file made inert (no control codes)."""
    from channelplan.textsafe import plain

    sys.stderr.write(plain(line) + "\n")


def _fail(lines: list[str], status: ExitStatus = ExitStatus.BAD_INPUT) -> typer.Exit:
    for line in lines:
        _say(line)
    sys.stderr.flush()
    return typer.Exit(int(status))


@contextlib.contextmanager
def _guard() -> Iterator[None]:
    """Turn the core's errors into located messages on stderr and exit status 2."""
    from channelplan.errors import ChecklistError, ProfileError, UsageError
    from channelplan.streams import StreamError

    try:
        yield
    except (ProfileError, ChecklistError) as exc:
        raise _fail([str(p) for p in exc.problems]) from None
    except UsageError as exc:
        raise _fail([f"channelplan: error: {_flagged(exc)}"]) from None
    except (BrokenPipeError, StreamError):
        raise  # the standard streams themselves: see run()
    except OSError as exc:
        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        raise _fail([f"channelplan: error: {where}{exc.strerror or exc}"]) from None


# The Python API names arguments; the command line names the options that carry them.
_FLAGS = {"start": "--start", "today": "--today", "shifts": "--shift", "retire": "--retire",
          "weights": "--weights", "channels": "--channels", "jobs": "--jobs",
          "agents": "--agents", "model": "--model"}


def _flagged(exc: Exception) -> str:
    """A core error's message, with the command-line option in place of the argument."""
    from channelplan.errors import ArgumentError

    if isinstance(exc, ArgumentError) and exc.argument in _FLAGS:
        return f"{_FLAGS[exc.argument]} {exc.detail}"
    return str(exc)


def _read_profile(path: str) -> Any:
    from channelplan.loader import load_profile, parse_profile
    if path == "-":
        return parse_profile(sys.stdin.buffer.read(_limit()), source="<stdin>")
    return load_profile(path)


def _warn(profile: Any, quiet: bool, extra: list[Any] | None = None) -> None:
    if quiet:
        return
    for problem in list(profile.warnings) + list(extra or []):
        _say(f"{problem.source}:{problem.line}:{problem.column}: warning: {problem.message}")


def _limit() -> int:
    """One byte past the input limit: enough to tell a file is too large, never a huge read."""
    from channelplan.limits import MAX_INPUT_BYTES

    return MAX_INPUT_BYTES + 1


def _read_bounded(path: Path) -> bytes:
    from channelplan.errors import ChecklistError, cannot_read

    try:
        with open(path, "rb") as handle:
            return handle.read(_limit())
    except OSError as exc:
        raise ChecklistError([cannot_read(str(path), exc)]) from None


def _warn_plan(plan: Any, quiet: bool, *, retirements: bool = False) -> None:
    """A roadmap's warnings on stderr: retirements not planned, an unpinned start, and (where
    the output does not show them) each retirement's own warnings."""
    if quiet:
        return
    source = plan.profile.source
    for item in plan.blocked:
        _say(f"{source}: warning: not planned: {item.reason}")
    for warning in plan.warnings:
        _say(f"{source}: warning: {warning}")
    for r in plan.retirements if retirements else []:
        for warning in r.warnings:
            _say(f"{source}: warning: {r.channel}: {warning}")


def _refuse_directory(output: Path | None) -> None:
    """``-o DIR``: say that DIR is a directory (not an error about a temporary file in it)."""
    if output is not None and str(output) != "-" and output.is_dir():
        raise _fail([f"channelplan: error: -o {output}: is a directory; -o takes a file name, "
                     f"e.g. -o {output / 'NAME'}"])


def _emit(text: str, output: Path | None) -> None:
    from channelplan.output import write_atomic

    _refuse_directory(output)
    if output is None or str(output) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        write_atomic(output, text)


def _check_format(fmt: str, allowed: tuple[str, ...], command: str) -> str:
    """The format, lower-cased, if the command offers it; else a usage error (exit 2)."""
    chosen = fmt.strip().lower()
    if chosen not in allowed:
        names = ", ".join(allowed)
        raise _fail([f"channelplan {command}: error: --format {fmt} is not available here; "
                     f"choose one of: {names}{_did_you_mean(chosen, allowed)}"])
    return chosen


def _did_you_mean(value: str, known: Any) -> str:
    import difflib

    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _render(command: str, fmt: str, result: Any, output: Path | None, no_color: bool,
            **options: Any) -> None:
    from channelplan.render import FORMATS, render

    fmt = _check_format(fmt, FORMATS[command], command)
    to_file = output is not None and str(output) != "-"
    text = render(command, fmt, result, no_color=no_color or to_file,
                  terminal=False if to_file else None, **options)
    _emit(text, output)


def _format_opt(command: str, default: str = "table") -> Any:
    from channelplan.render import FORMATS  # light: imports no renderer

    choices = FORMATS[command]
    return typer.Option(default, "--format", "-f", metavar=f"[{'|'.join(choices)}]",
                        help=f"Output format: {', '.join(choices)}.")


def _weights(path: Path | None) -> dict | None:
    if path is None:
        return None
    from channelplan.errors import ProfileError, cannot_read
    from channelplan.weights import load_weights

    try:
        open(path, "rb").close()  # a missing file gets the message every command gives
    except OSError as exc:
        raise ProfileError([cannot_read(str(path), exc)]) from None

    return load_weights(str(path))


WeightsOpt = typer.Option(None, "--weights", metavar="FILE",
                          help="YAML file of rule weights by rule id, each from 0 to 1000, "
                               "e.g. 'AGE-FIT: 20'.")


# recommend ------------------------------------------------------------------------------


@app.command(epilog=_examples("channelplan recommend profiles/northwind-bank.yaml",
                             "channelplan recommend profile.yaml --explain",
                             "channelplan recommend profile.yaml -f json -o plan.json",
                             "channelplan recommend profile.yaml --weights my-weights.yaml"))
def recommend(
    profile: str = typer.Argument(..., metavar="PROFILE", help="Profile file ('-' reads standard input)."),
    fmt: str = _format_opt("recommend"),
    output: Path | None = OutputOpt,
    explain: bool = typer.Option(False, "--explain", "-e",
                                 help="Show every rule's contribution to every score."),
    weights: Path | None = WeightsOpt,
    quiet: bool = QuietOpt,
    no_color: bool = NoColorOpt,
) -> None:
    """Score every channel for a profile and say keep, improve, add, retire or skip, with reasons.

    Each score (0-100) is 50 plus the points of named rules (see `channelplan rules`);
    robustness is how often the action survives random changes of the rule weights.
    """
    from channelplan.scoring import recommend as score

    with _guard():
        loaded = _read_profile(profile)
        result = score(loaded, _weights(weights))
        _warn(loaded, quiet, [w for w in result.warnings if w not in loaded.warnings])
        _render("recommend", fmt, result, output, no_color, explain=explain)


# rules ----------------------------------------------------------------------------------


@app.command(epilog=_examples("channelplan rules", "channelplan rules AGE-FIT",
                             "channelplan rules -f json"))
def rules(
    rule_id: str | None = typer.Argument(None, metavar="[RULE_ID]",
                                            help="A rule to explain, e.g. AGE-FIT."),
    fmt: str = _format_opt("rules"),
    output: Path | None = OutputOpt,
    no_color: bool = NoColorOpt,
) -> None:
    """List the scoring rules, or explain one: what it measures, its weight, evidence and source."""
    import difflib

    from channelplan.rules import rule_catalogue

    catalogue = rule_catalogue()
    chosen = list(catalogue.values())
    if rule_id is not None:
        key = rule_id.strip().upper()
        if key not in catalogue:
            close = difflib.get_close_matches(key, list(catalogue), n=1, cutoff=0.5)
            hint = f"; did you mean '{close[0]}'?" if close else f"; known: {', '.join(catalogue)}"
            raise _fail([f"channelplan rules: error: unknown rule id {rule_id!r}{hint}"])
        chosen = [catalogue[key]]
    with _guard():
        _render("rules", fmt, chosen, output, no_color)


# capacity -------------------------------------------------------------------------------


@app.command(epilog=_examples("channelplan capacity profiles/northwind-bank.yaml",
                             "channelplan capacity profile.yaml --shift phone:live_chat=40%",
                             "channelplan capacity profile.yaml --shift phone:chatbot=20% "
                             "--shift email:knowledge_base=30% -f csv",
                             "channelplan capacity profile.yaml --agents phone=40 --agents live_chat=12",
                             "channelplan capacity profile.yaml --model erlang-c  # conventional figure"))
def capacity(
    profile: str = typer.Argument(..., metavar="PROFILE", help="Profile file ('-' reads standard input)."),
    shift: list[str] = typer.Option([], "--shift", metavar="FROM:TO=SHARE",
                                    help="Move SHARE of FROM's volume to TO before computing "
                                         "(what-if; repeatable)."),
    agents: list[str] = typer.Option([], "--agents", metavar="CHANNEL=N",
                                     help="The reverse question: what N agents on contacts in a "
                                          "live queue's busiest hour achieve (service level, "
                                          "abandonment, wait, occupancy; repeatable)."),
    model: str = typer.Option("erlang-a", "--model", metavar="MODEL",
                              help="Live queues: erlang-a (callers hang up; default) or erlang-c "
                                   "(the conventional figure, nobody hangs up)."),
    fmt: str = _format_opt("capacity"),
    output: Path | None = OutputOpt,
    quiet: bool = QuietOpt,
    no_color: bool = NoColorOpt,
) -> None:
    """Staffing, service level, abandonment, occupancy and monthly cost per channel.

    Live queues (phone, live chat) are sized with Erlang A on the busiest normal hour under an
    occupancy cap; email, social media and messaging as backlog workload; self-service by
    the contacts it contains. The staffed channels pool their agents: totals are rounded once
    and checked against constraints.agents and constraints.monthly_budget. Sizes the channels
    offered today (a greenfield profile: the recommended ones).
    """
    from channelplan.api import capacity as plan_capacity
    from channelplan.api import parse_agents, parse_shift

    with _guard():
        shifts: dict = {}
        for item in shift:
            key, share = parse_shift(item)
            shifts[key] = shifts.get(key, 0.0) + share
        rosters = dict(parse_agents(item) for item in agents)
        loaded = _read_profile(profile)
        _warn(loaded, quiet)
        result = plan_capacity(loaded, shifts, model=model, agents=rosters)
        _render("capacity", fmt, result, output, no_color)


def _date_option(value: str | None, option: str) -> Any:
    """A date option: exactly YYYY-MM-DD, in the years a plan may use (as transition.start)."""
    if value is None:
        return None
    from channelplan.api import parse_date
    from channelplan.errors import ArgumentError

    try:
        return parse_date(value, option.lstrip("-"))
    except ArgumentError as exc:
        raise _fail([f"channelplan: error: {_flagged(exc)}"]) from None


# roadmap --------------------------------------------------------------------------------


@app.command(epilog=_examples("channelplan roadmap profiles/northwind-bank.yaml",
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
    fmt: str = _format_opt("roadmap"),
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
    from channelplan.transition import roadmap as plan_roadmap

    day0 = _date_option(start, "--start")
    with _guard():
        loaded = _read_profile(profile)
        _warn(loaded, quiet)
        result = plan_roadmap(loaded, day0, retire or None, weights=_weights(weights))
        _warn_plan(result, quiet)
        _render("roadmap", fmt, result, output, no_color)


# checklist ------------------------------------------------------------------------------


@app.command(epilog=_examples("channelplan checklist profile.yaml -o docs/transition.md",
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
    from channelplan.transition import roadmap as plan_roadmap

    day0 = _date_option(start, "--start")
    to_file = output is not None and str(output) != "-"
    _refuse_directory(output)
    if check and not to_file:
        raise _fail(["channelplan checklist: error: --check needs -o FILE (the checklist to check)"])
    with _guard():
        loaded = _read_profile(profile)
        _warn(loaded, quiet)
        plan = plan_roadmap(loaded, day0, retire or None, weights=_weights(weights))
        _warn_plan(plan, quiet, retirements=True)
        existing = None
        if to_file and output is not None and output.exists() and not is_special_target(output):
            existing = decode_checklist(_read_bounded(output), str(output))
        text = render_checklist(plan, existing, str(output))
        if check:
            if same_checklist(existing, text):
                if not quiet:
                    _say(f"{output}: current")
                raise typer.Exit(int(ExitStatus.OK))
            reason = "does not exist" if existing is None else "is stale"
            _say(f"{output}: {reason}; run: channelplan checklist {profile} -o {output}")
            raise typer.Exit(int(ExitStatus.CHECK_FAILED))
        _emit(text, output)
    if to_file and not quiet:
        tasks = len(plan.tasks)
        _say(f"wrote {output} ({tasks} task{'s' * (tasks != 1)}); next: channelplan status {output}")


# status ---------------------------------------------------------------------------------


@app.command(epilog=_examples("channelplan status docs/transition.md",
                             "channelplan status docs/transition.md --fail-on-overdue",
                             "channelplan status docs/transition.md --today 2027-03-01 -f json"))
def status(
    checklist_file: Path = typer.Argument(..., metavar="CHECKLIST",
                                          help="A checklist written by `channelplan checklist`."),
    today: str | None = typer.Option(None, "--today", metavar="DATE",
                                        help="Count overdue tasks as of DATE (default: today)."),
    fail_on_overdue: bool = typer.Option(False, "--fail-on-overdue",
                                         help="Exit 1 when a task is past its due date and not ticked."),
    fmt: str = _format_opt("status"),
    output: Path | None = OutputOpt,
    no_color: bool = NoColorOpt,
) -> None:
    """Progress of a checklist: done, open and overdue tasks per retirement and phase."""
    import datetime as dt

    from channelplan.checklist import checklist_status, decode_checklist

    day = _date_option(today, "--today") or dt.date.today()
    with _guard():
        if str(checklist_file) == "-":
            text = decode_checklist(sys.stdin.buffer.read(_limit()), "<stdin>")
        elif checklist_file.is_dir():
            raise _fail([f"{checklist_file}:1:1: is a directory, not a checklist"])
        else:
            text = decode_checklist(_read_bounded(checklist_file), str(checklist_file))
        report = checklist_status(text, str(checklist_file), day)
        _render("status", fmt, report, output, no_color)
    if fail_on_overdue and report.overdue:
        raise typer.Exit(int(ExitStatus.CHECK_FAILED))


# compare --------------------------------------------------------------------------------


@app.command(epilog=_examples("channelplan compare profiles/",
                             "channelplan compare 'units/**/*.yaml' -f csv -o comparison.csv",
                             "channelplan compare profiles/ --channels phone,email --sort phone",
                             "channelplan compare profiles/ --fail-on retire:phone"))
def compare(
    inputs: list[str] = typer.Argument(..., metavar="PROFILE_OR_DIR...",
                                       help="Profile files, directories (their *.yaml and *.yml) "
                                            "or quoted globs."),
    fmt: str = _format_opt("compare"),
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
    import difflib

    from channelplan.catalogue import CHANNEL_IDS
    from channelplan.comparison import compact, compare_iter, expand, matches, sort_key
    from channelplan.output import atomic_writer
    from channelplan.render import FORMATS, renderer
    from channelplan.render.comparison import STREAMING

    fmt = _check_format(fmt, FORMATS["compare"], "compare")
    columns = list(CHANNEL_IDS)
    if channels:
        columns = list(dict.fromkeys(c.strip() for c in channels.split(",") if c.strip()))
        for c in columns:
            if c not in CHANNEL_IDS:
                close = difflib.get_close_matches(c, CHANNEL_IDS, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                raise _fail([f"channelplan compare: error: --channels: unknown channel id '{c}'{hint}"])
    if sort and sort not in ("name", "source") and sort not in CHANNEL_IDS:
        raise _fail([f"channelplan compare: error: --sort {sort!r}: use name, source or a channel id"
                     f"{_did_you_mean(sort, ('name', 'source', *CHANNEL_IDS))}"])
    rules_to_fail = []
    actions = ("keep", "improve", "add", "retire", "skip")
    for item in fail_on:
        action, _, channel = item.strip().partition(":")
        if action not in actions:
            raise _fail([f"channelplan compare: error: --fail-on {item!r}: unknown action "
                         f"'{action}'; use ACTION[:CHANNEL] with ACTION one of "
                         f"{', '.join(actions)}, e.g. retire:phone{_did_you_mean(action, actions)}"])
        if channel and channel not in CHANNEL_IDS:
            raise _fail([f"channelplan compare: error: --fail-on {item!r}: unknown channel id "
                         f"'{channel}'{_did_you_mean(channel, CHANNEL_IDS)}"])
        rules_to_fail.append((action, channel))
    with _guard():
        paths = expand(inputs)
        stdin = sys.stdin.buffer.read(_limit()) if "-" in paths else None
        rows = compare_iter(paths, _weights(weights), robustness, jobs, stdin)
        state = {"errors": 0, "matched": 0}

        def watched(items: Any) -> Any:
            for row in items:
                if "errors" in row:
                    state["errors"] += 1
                    if not quiet:
                        for e in row["errors"]:
                            _say(f"{e['source']}:{e['line']}:{e['column']}: {e['message']}")
                elif matches(row, rules_to_fail):
                    state["matched"] += 1
                # Tables and CSV need only scores and actions: keep memory flat.
                yield row if fmt == "json" else compact(row)

        stream: Any = watched(rows)
        if sys.stderr.isatty() and len(paths) >= 50 and not quiet:
            from rich.progress import track

            stream = track(stream, total=len(paths), description="Scoring profiles",
                           console=_console(no_color, stderr=True), transient=True)
        if sort:
            stream = sorted(stream, key=sort_key(sort))
        to_file = output is not None and str(output) != "-"
        _refuse_directory(output)
        render = renderer("compare", fmt)
        options = dict(channels=columns, no_color=no_color or to_file,
                       terminal=False if to_file else None)
        if fmt in STREAMING:
            if to_file:
                with atomic_writer(output) as handle:  # type: ignore[arg-type]
                    render(stream, handle, **options)
            else:
                render(stream, sys.stdout, **options)
        else:
            _emit(render(list(stream), **options), output)
    if state["errors"]:
        raise typer.Exit(int(ExitStatus.BAD_INPUT))
    if state["matched"]:
        raise typer.Exit(int(ExitStatus.CHECK_FAILED))


def _console(no_color: bool, stderr: bool = False) -> Any:
    from channelplan.output import console

    return console(no_color=no_color, stderr=stderr)


# report ---------------------------------------------------------------------------------


@app.command(epilog=_examples("channelplan report profiles/northwind-bank.yaml -o report.md",
                             "channelplan report profile.yaml -f html -o report.html",
                             "channelplan report profile.yaml --weights my-weights.yaml -o plan.md"))
def report(
    profile: str = typer.Argument(..., metavar="PROFILE", help="Profile file ('-' reads standard input)."),
    output: Path | None = OutputOpt,
    fmt: str = _format_opt("report", "markdown"),
    weights: Path | None = WeightsOpt,
    quiet: bool = QuietOpt,
    no_color: bool = NoColorOpt,
) -> None:
    """The full report: the decision and its net effect, scores and reasons, a
    fit-against-cost chart, capacity and cost, the transition roadmap with a Gantt chart, the
    checklist, the assumptions, and the rules and sources used. Markdown (Mermaid charts), or
    with -f html one self-contained page (inline SVG charts, no script)."""
    from channelplan.plan import build_plan

    with _guard():
        loaded = _read_profile(profile)
        _warn(loaded, quiet)
        _render("report", fmt, build_plan(loaded, _weights(weights)), output, True)
    if output is not None and str(output) != "-" and not quiet:
        _say(f"wrote {output}")


# validate -------------------------------------------------------------------------------


@app.command(epilog=_examples("channelplan validate profiles/*.yaml    # or a directory: profiles/",
                             "cat profile.yaml | channelplan validate -",
                             "channelplan validate -f json profiles/bank.yaml"))
def validate(
    profiles: list[str] = typer.Argument(..., help="Profile files, directories (their *.yaml and "
                                                   "*.yml) or quoted globs; '-' reads standard "
                                                   "input.", metavar="PROFILE..."),
    fmt: str = typer.Option("table", "--format", "-f", metavar="[table|json]",
                            help="table (plain lines) or json."),
    quiet: bool = QuietOpt,
) -> None:
    """Check profiles and print every problem as FILE:LINE:COLUMN: message.

    Exit status 0 when every profile is valid, 2 when any is not.
    """
    import json

    from channelplan.errors import ProfileError
    from channelplan.textsafe import plain

    fmt = _check_format(fmt, ("table", "json"), "validate")
    from channelplan.comparison import expand

    results: list[tuple[str, list, list]] = []
    with _guard():
        for path in expand(profiles):
            try:
                profile = _read_profile(path)
                results.append((path, [], profile.warnings))
            except ProfileError as exc:
                results.append((path, exc.problems, []))
    failed = any(errors for _, errors, _ in results)
    if fmt == "json":
        doc = {"schema": "channelplan/validation@1", "valid": not failed, "files": [
            {"source": path, "valid": not errors, "errors": [e.to_dict() for e in errors],
             "warnings": [w.to_dict() for w in warnings]} for path, errors, warnings in results]}
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=True) + "\n")
    else:
        for path, errors, warnings in results:
            for error in errors:
                sys.stdout.write(plain(str(error)) + "\n")
            if not quiet:
                for w in warnings:
                    sys.stdout.write(plain(f"{w.source}:{w.line}:{w.column}: warning: "
                                           f"{w.message}") + "\n")
                if not errors:
                    sys.stdout.write(plain(f"{path}: ok") + "\n")
    raise typer.Exit(int(ExitStatus.BAD_INPUT if failed else ExitStatus.OK))


# schema ---------------------------------------------------------------------------------


@app.command(epilog=_examples("channelplan schema -o profile.schema.json",
                             "# then start each profile with the line",
                             "# yaml-language-server: $schema=profile.schema.json"))
def schema(output: Path | None = OutputOpt) -> None:
    """Print the JSON Schema of the profile format (for editors and yaml-language-server)."""
    from channelplan.schema import profile_schema_text

    with _guard():
        _emit(profile_schema_text(), output)


# init -----------------------------------------------------------------------------------

TEMPLATES = ("minimal", "full")


@app.command(epilog=_examples("channelplan init -o profile.yaml",
                             "channelplan init --template full -o profile.yaml --force"))
def init(
    template: str = typer.Option("minimal", "--template", "-t", metavar=f"[{'|'.join(TEMPLATES)}]",
                                 help=f"Starter to write: {', '.join(TEMPLATES)}."),
    output: Path | None = OutputOpt,
    force: bool = typer.Option(False, "--force", help="Overwrite FILE if it exists."),
) -> None:
    """Write a commented starter profile that validates."""
    from importlib import resources

    if template not in TEMPLATES:
        raise _fail([f"channelplan init: error: unknown template {template!r}; choose one of: "
                     f"{', '.join(TEMPLATES)}{_did_you_mean(template, TEMPLATES)}"])
    _refuse_directory(output)
    from channelplan.output import is_special_target

    if output is not None and str(output) != "-" and output.exists() and not force \
            and not is_special_target(output):
        raise _fail([f"channelplan init: error: {output} exists; use --force to overwrite it"])
    text = resources.files("channelplan").joinpath(f"templates/{template}.yaml").read_text("utf-8")
    with _guard():
        _emit(text, output)
    if output is not None and str(output) != "-":
        _say(f"wrote {output}; next: channelplan validate {output}")


# import ---------------------------------------------------------------------------------


@app.command("import", epilog=_examples(
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
    fmt: str = _format_opt("import"),
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

    fmt = _check_format(fmt, FORMATS["import"], "import")
    if source_format is not None and source_format.strip().lower() not in FORMAT_NAMES:
        raise _fail([f"channelplan import: error: --from {source_format}: choose one of "
                     f"{', '.join(FORMAT_NAMES)}"])
    day_from, day_to = _date_option(since, "--since"), _date_option(until, "--until")
    to_file = output is not None and str(output) != "-"
    if to_file and output is not None and output.exists() and not force:
        raise _fail([f"channelplan import: error: {output} exists; use --force to overwrite it"])
    progress = None if quiet else _say
    try:
        result = import_exports(
            exports, fmt=source_format.strip().lower() if source_format else None,
            map_path=str(map_file) if map_file else None, since=day_from, until=day_to,
            timezone=timezone, base_path=base, max_bad_rows=parse_max_bad_rows(max_bad_rows),
            output_name=str(output) if to_file else "<import>", progress=progress)
    except ExportError as exc:
        raise _fail(exc.problems) from None
    if not quiet:
        measured = result.measurement
        for line in measured.bad_rows:
            _say(f"{line} (skipped)")
        if measured.bad_total:
            _say(f"warning: skipped {measured.bad_total:,} unreadable rows of "
                 f"{measured.rows_total:,}")
        for warning in result.warnings:
            _say(f"warning: {warning}")
    with _guard():
        if output is not None:
            _emit(result.profile_text, output)
        if output is None or to_file or summary is not None:
            _render("import", fmt, result.summary(str(output) if to_file else None), summary,
                    no_color)
    if to_file and not quiet:
        _say(f"wrote {output}; next: channelplan recommend {output}")


def run() -> None:
    """Run the command line (``channelplan.entry.main`` answers ``--version`` first).

    Standard streams and signals are handled by :mod:`channelplan.streams`: a reader that
    leaves early ends the command quietly with the status it would have had; a stream that
    is closed or full ends it with status 2; SIGTERM with 143, SIGINT with 130."""
    from channelplan import streams

    out = streams.install()
    status: Any = 0
    try:
        try:
            app(prog_name="channelplan")  # also under `python -m channelplan` (completion scripts)
        except SystemExit as exc:
            status = exc.code
        streams.flush_output(out)
    except streams.Terminated:
        raise SystemExit(streams.TERMINATED_STATUS) from None
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    except OSError as exc:  # a standard stream that is closed, full or failing
        raise SystemExit(streams.stream_failed(exc)) from None
    raise SystemExit(status)

