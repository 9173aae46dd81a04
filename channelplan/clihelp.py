"""How the command line presents itself: plain metavars in help, and the version option.

Typer writes a required argument as ``{PROFILE}``, an optional one as ``[[RULE_ID]]`` and adds
the Python type (``<str>``, ``<list[str]>``); channelplan's help shows the metavar it declares
(``PROFILE``, ``[RULE_ID]``, ``PROFILE_OR_DIR...``). Light: imports nothing beyond Typer.
"""

from __future__ import annotations

from typing import Any, cast

import typer
from typer.core import TyperCommand, TyperGroup


def _argument_with_metavar(param: Any) -> bool:
    return getattr(param, "param_type_name", "") == "argument" and bool(param.metavar)


class PlainHelpCommand(TyperCommand):
    """A command whose help names each argument by its declared metavar, without a type."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if _argument_with_metavar(param):
                pieces.append(str(param.metavar))
            else:
                pieces.extend(param.get_usage_pieces(ctx))
        return pieces

    def format_options(self, ctx: Any, formatter: Any) -> None:
        for param in self.get_params(ctx):
            if _argument_with_metavar(param):
                param = cast(Any, param)
                param.display_type_rich = _no_type  # the metavar says it; no "<str>" after it
                param.display_type = _no_type
        super().format_options(ctx, formatter)


def _no_type(*_args: Any, **_kwargs: Any) -> None:
    return None


def print_version(ctx: Any, _param: Any, value: bool) -> None:
    """The callback of the root's ``-V/--version`` option (for in-process runs and help)."""
    if not value or ctx.resilient_parsing:
        return
    from channelplan.metadata import version

    typer.echo(f"channelplan {version()}")
    raise typer.Exit()


class RootGroup(TyperGroup):
    """The ``channelplan`` group: gives every command plain metavars in its help."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        for command in self.commands.values():
            if type(command) is TyperCommand:
                command.__class__ = PlainHelpCommand
