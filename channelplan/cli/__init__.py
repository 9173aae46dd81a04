"""The command line: a thin layer that parses options, calls the core and picks a renderer.

:mod:`channelplan.cli.common` holds the Typer application, the shared options and the
helpers every command uses; each command lives in its own module, imported here in the
order ``--help`` lists them. Heavy modules (pydantic, PyYAML, Rich) are imported inside
commands, so that ``channelplan --version`` and ``--help`` start fast.
"""

# isort: skip_file

from __future__ import annotations

import sys

from typing import Any

# Each module registers its command; in this order `channelplan --help` lists them.
from channelplan.cli import (  # noqa: F401
    recommend,
    rules,
    capacity,
    roadmap,
    checklist,
    status,
    compare,
    report,
    validate,
    schema,
    init,
    import_,
)
from channelplan.cli.common import app

__all__ = ["app", "run"]


def _invoked(commands: list[Any]) -> list[Any]:
    """The one command named on the command line, when one is (Typer builds every registered
    command before running any, a few milliseconds of each start); all of them for the
    group's own help, an unknown name (did-you-mean needs them all) and shell completion."""
    import os

    from typer.main import get_command_name

    if len(sys.argv) < 2 or "_CHANNELPLAN_COMPLETE" in os.environ:   # Typer's completion
        return commands
    named = [c for c in commands
             if (c.name or get_command_name(c.callback.__name__)) == sys.argv[1]]
    return named or commands


def run() -> None:
    """Run the command line (``channelplan.entry.main`` answers ``--version`` first).

    Standard streams and signals are handled by :mod:`channelplan.streams`: a reader that
    leaves early ends the command quietly with the status it would have had; a stream that
    is closed or full ends it with status 2; SIGTERM with 143, SIGINT with 130."""
    from channelplan import streams

    out = streams.install()
    exit_status: Any = 0
    everything = app.registered_commands
    try:
        try:
            app.registered_commands = _invoked(everything)
            app(prog_name="channelplan")  # also under `python -m channelplan` (completion scripts)
        except SystemExit as exc:
            exit_status = exc.code
        finally:
            app.registered_commands = everything
        streams.flush_output(out)
    except streams.Terminated:
        raise SystemExit(streams.TERMINATED_STATUS) from None
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    except OSError as exc:  # a standard stream that is closed, full or failing
        raise SystemExit(streams.stream_failed(exc)) from None
    raise SystemExit(exit_status)

