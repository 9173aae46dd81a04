"""Problems found in user input, the one exception that carries them, and exit statuses."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class ExitStatus(enum.IntEnum):
    """Exit statuses of the command line (see README, "Exit status")."""

    OK = 0
    CHECK_FAILED = 1
    BAD_INPUT = 2


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in an input file, located at a line and column (both 1-based)."""

    source: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}:{self.column}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        return {
            "source": self.source,
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


class ProfileError(ValueError):
    """Raised for any input that is not a valid profile; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.line, p.column, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


class ChecklistError(ValueError):
    """Raised for a file that is not a channelplan checklist, or a checklist that is damaged."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class UsageError(ValueError):
    """A request that cannot be carried out as asked (bad option value, impossible retirement)."""


def cannot_read(source: str, exc: OSError) -> Problem:
    """The one message for a file that cannot be read, in every command: ``FILE:1:1: cannot
    read the file: REASON``, with a did-you-mean when a file of a similar name is beside it."""
    import os

    from channelplan.suggest import closest

    message = f"cannot read the file: {exc.strerror or exc}"
    if isinstance(exc, FileNotFoundError):
        folder, name = os.path.split(source)
        try:
            siblings = sorted(os.listdir(folder or "."))
        except OSError:
            siblings = []
        near = closest(name, siblings, cutoff=0.75)
        if near is not None:
            message += f"; did you mean '{os.path.join(folder, near)}'?"
    return Problem(source, 1, 1, message)


class ArgumentError(UsageError, TypeError):
    """An argument of the Python API that cannot be used (wrong type, unknown id, out of
    range). ``argument`` is the parameter's name (``"start"``, ``"shifts"``...), ``detail``
    what is wrong with it; the message is ``"ARGUMENT: DETAIL"``. The command line shows the
    option that carries the argument instead (``--start``, ``--shift``...).

    A subclass of :class:`UsageError` (a ValueError) and of TypeError, so that code catching
    either for a bad argument keeps working."""

    def __init__(self, argument: str, detail: str):
        self.argument = argument
        self.detail = detail
        super().__init__(f"{argument}: {detail}")
