"""The error an import stops on: every problem as one ``FILE:LINE: message`` line.

A problem that is about an argument of :func:`channelplan.importer.import_exports` names it
as an :class:`Arg`, not as text: the Python API's message shows the argument's name
(``max_bad_rows``, ``fmt='zendesk'``), and the command line shows the option that carries
it instead (``--max-bad-rows``, ``--from zendesk``), through :meth:`ExportError.lines`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Arg:
    """An argument named in a message; ``value`` is an example or the value given."""

    name: str
    value: str | None = None

    def __str__(self) -> str:
        return self.name if self.value is None else f"{self.name}={self.value!r}"


Part = str | Arg
Naming = Callable[[Arg], str]


def _line(parts: str | Sequence[Part], naming: Naming) -> str:
    if isinstance(parts, str):
        return parts
    return "".join(naming(p) if isinstance(p, Arg) else p for p in parts)


class ExportError(ValueError):
    """An export (or a map file, or an argument) that cannot be imported; nothing is written.

    ``problems`` are ready-made lines such as ``tickets.csv:12: message``; none of them
    quotes a cell of the export, so no personal data can leak through an error message.
    A problem may be given as parts, plain text and :class:`Arg` references; ``problems``
    names those arguments as the Python API spells them, ``lines(naming)`` as a caller
    (the command line) spells them. ``arguments`` are the names of the arguments at fault.
    """

    def __init__(self, problems: Sequence[str | Sequence[Part]]):
        self._parts = list(problems)
        self.problems = self.lines(str)
        self.arguments = tuple(dict.fromkeys(
            p.name for parts in self._parts if not isinstance(parts, str)
            for p in parts if isinstance(p, Arg)))
        super().__init__("\n".join(self.problems))

    def lines(self, naming: Naming) -> list[str]:
        """The problems with each argument written by ``naming``."""
        return [_line(parts, naming) for parts in self._parts]
