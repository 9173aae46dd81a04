"""The error an import stops on: every problem as one ``FILE:LINE: message`` line."""

from __future__ import annotations


class ExportError(ValueError):
    """An export (or a map file, or an option) that cannot be imported; nothing is written.

    ``problems`` are ready-made lines such as ``tickets.csv:12: message``; none of them
    quotes a cell of the export, so no personal data can leak through an error message.
    """

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))
