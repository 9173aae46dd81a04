"""Bounds on untrusted input, in one place (profiles, weights files and checklists)."""

from __future__ import annotations

MAX_INPUT_BYTES = 1024 * 1024   # a profile or a checklist is a small text file
MAX_NODES = 100_000             # values after alias expansion ("billion laughs")
MAX_DEPTH = 64                  # nesting of YAML mappings and lists
MAX_NUMBER_DIGITS = 300         # a whole number longer than this is beyond every field


class OverlongNumber:
    """A whole number written with more than MAX_NUMBER_DIGITS digits: kept as its digit
    count, never converted (Python refuses to convert very long ones, and no float holds
    them), so that the field it was given for can say it is too large."""

    def __init__(self, text: str):
        self.negative = text.lstrip().startswith("-")
        self.digits = sum(ch.isdigit() for ch in text)

    @classmethod
    def of(cls, value: int) -> OverlongNumber:
        """The same for a whole number given as a Python int (counted without converting
        it to text, which Python refuses beyond 4,300 digits)."""
        import math

        digits = len(str(abs(value))) if value.bit_length() < 10_000 else int(
            value.bit_length() * math.log10(2)) + 1
        made = cls("")
        made.negative, made.digits = value < 0, digits
        return made

    def __repr__(self) -> str:
        return f"a {'negative ' if self.negative else ''}number of {self.digits} digits"

    __str__ = __repr__
