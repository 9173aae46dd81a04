"""What every command shares: the Typer application, the common options, and the helpers
that read a profile, turn the core's errors into located messages, pick a renderer and write
the result (atomically to a file, or to standard output).

Heavy modules (pydantic, PyYAML, Rich) are imported inside functions, so that
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


def examples(*lines: str) -> str:
    """An epilog of examples that the help formatter prints as written."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


@app.callback(epilog=examples("channelplan recommend profiles/northwind-bank.yaml",
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


def say(line: str) -> None:
    """One line on stderr, with anything from a file made inert (no control codes)."""
    from channelplan.textsafe import plain

    sys.stderr.write(plain(line) + "\n")


def fail(lines: list[str], status: ExitStatus = ExitStatus.BAD_INPUT) -> typer.Exit:
    for line in lines:
        say(line)
    sys.stderr.flush()
    return typer.Exit(int(status))


@contextlib.contextmanager
def guard() -> Iterator[None]:
    """Turn the core's errors into located messages on stderr and exit status 2."""
    from channelplan.errors import ChecklistError, ProfileError, UsageError
    from channelplan.streams import StreamError

    try:
        yield
    except (ProfileError, ChecklistError) as exc:
        raise fail([str(p) for p in exc.problems]) from None
    except UsageError as exc:
        raise fail([f"channelplan: error: {flagged(exc)}"]) from None
    except (BrokenPipeError, StreamError):
        raise  # the standard streams themselves: see run()
    except OSError as exc:
        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        raise fail([f"channelplan: error: {where}{exc.strerror or exc}"]) from None


# The Python API names arguments; the command line names the options that carry them.
FLAGS = {"start": "--start", "today": "--today", "shifts": "--shift", "retire": "--retire",
          "weights": "--weights", "channels": "--channels", "jobs": "--jobs",
          "agents": "--agents", "model": "--model"}


def flagged(exc: Exception) -> str:
    """A core error's message, with the command-line option in place of the argument."""
    from channelplan.errors import ArgumentError

    if isinstance(exc, ArgumentError) and exc.argument in FLAGS:
        return f"{FLAGS[exc.argument]} {exc.detail}"
    return str(exc)


def read_profile(path: str) -> Any:
    from channelplan.loader import load_profile, parse_profile
    if path == "-":
        return parse_profile(sys.stdin.buffer.read(input_limit()), source="<stdin>")
    return load_profile(path)


def warn_profile(profile: Any, quiet: bool, extra: list[Any] | None = None) -> None:
    if quiet:
        return
    for problem in list(profile.warnings) + list(extra or []):
        say(f"{problem.source}:{problem.line}:{problem.column}: warning: {problem.message}")


def input_limit() -> int:
    """One byte past the input limit: enough to tell a file is too large, never a huge read."""
    from channelplan.limits import MAX_INPUT_BYTES

    return MAX_INPUT_BYTES + 1


def read_bounded(path: Path) -> bytes:
    from channelplan.errors import ChecklistError, cannot_read

    try:
        with open(path, "rb") as handle:
            return handle.read(input_limit())
    except OSError as exc:
        raise ChecklistError([cannot_read(str(path), exc)]) from None


def warn_plan(plan: Any, quiet: bool, *, retirements: bool = False) -> None:
    """A roadmap's warnings on stderr: retirements not planned, an unpinned start, and (where
    the output does not show them) each retirement's own warnings."""
    if quiet:
        return
    source = plan.profile.source
    for item in plan.blocked:
        say(f"{source}: warning: not planned: {item.reason}")
    for warning in plan.warnings:
        say(f"{source}: warning: {warning}")
    for r in plan.retirements if retirements else []:
        for warning in r.warnings:
            say(f"{source}: warning: {r.channel}: {warning}")


def refuse_directory(output: Path | None) -> None:
    """``-o DIR``: say that DIR is a directory (not an error about a temporary file in it)."""
    if output is not None and str(output) != "-" and output.is_dir():
        raise fail([f"channelplan: error: -o {output}: is a directory; -o takes a file name, "
                     f"e.g. -o {output / 'NAME'}"])


def emit(text: str, output: Path | None) -> None:
    from channelplan.output import write_atomic

    refuse_directory(output)
    if output is None or str(output) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        write_atomic(output, text)


def check_format(fmt: str, allowed: tuple[str, ...], command: str) -> str:
    """The format, lower-cased, if the command offers it; else a usage error (exit 2)."""
    from channelplan.suggest import did_you_mean

    chosen = fmt.strip().lower()
    if chosen not in allowed:
        names = ", ".join(allowed)
        raise fail([f"channelplan {command}: error: --format {fmt} is not available here; "
                     f"choose one of: {names}{did_you_mean(chosen, allowed)}"])
    return chosen


def render_options(output: Path | None, no_color: bool, **chosen: Any) -> Any:
    """The renderers' options: no colours and no terminal when writing to a file."""
    from channelplan.render import RenderOptions

    to_file = output is not None and str(output) != "-"
    return RenderOptions(no_color=no_color or to_file, terminal=False if to_file else None,
                         **chosen)


def render_result(command: str, fmt: str, result: Any, output: Path | None, no_color: bool,
                  *, explain: bool = False) -> None:
    from channelplan.render import FORMATS, render

    fmt = check_format(fmt, FORMATS[command], command)
    emit(render(command, fmt, result, render_options(output, no_color, explain=explain)), output)


def format_option(command: str, default: str = "table") -> Any:
    from channelplan.render import FORMATS  # light: imports no renderer

    choices = FORMATS[command]
    return typer.Option(default, "--format", "-f", metavar=f"[{'|'.join(choices)}]",
                        help=f"Output format: {', '.join(choices)}.")


def read_weights(path: Path | None) -> dict | None:
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


def date_option(value: str | None, option: str) -> Any:
    """A date option: exactly YYYY-MM-DD, in the years a plan may use (as transition.start)."""
    if value is None:
        return None
    from channelplan.api import parse_date
    from channelplan.errors import ArgumentError

    try:
        return parse_date(value, option.lstrip("-"))
    except ArgumentError as exc:
        raise fail([f"channelplan: error: {flagged(exc)}"]) from None


def console(no_color: bool, stderr: bool = False) -> Any:
    from channelplan.output import console

    return console(no_color=no_color, stderr=stderr)


