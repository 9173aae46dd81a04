"""The one byte decoder: a file's bytes to text, within the size limit and as UTF-8, with
a located problem (line and column of the first byte that is not UTF-8) otherwise."""

from __future__ import annotations

from channelplan.errors import Problem
from channelplan.limits import MAX_INPUT_BYTES as MAX_BYTES


class UndecodableText(ValueError):
    """A file too large or not UTF-8; ``problem`` says where and why."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def decode_text(raw: bytes, source: str, kind: str) -> str:
    """The text of a file's bytes, without a byte-order mark. ``kind`` ends the message for
    a file over the limit, e.g. "a profile is a small text file"."""
    if len(raw) > MAX_BYTES:
        raise UndecodableText(Problem(source, 1, 1, f"file is larger than {MAX_BYTES // 1024} "
                                                    f"KiB ({len(raw):,} bytes); {kind}"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = raw[: exc.start].decode("utf-8", errors="replace")
        line = good.count("\n") + 1
        column = len(good) - (good.rfind("\n") + 1) + 1
        raise UndecodableText(Problem(source, line, column,
                                      f"file is not UTF-8 text (byte 0x{raw[exc.start]:02x} "
                                      "cannot be decoded)")) from None
    return text.removeprefix("\ufeff")
