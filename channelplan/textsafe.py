"""Making text from a profile inert in every output format.

Profile text is untrusted: it must never become terminal control codes, Rich markup,
HTML, Markdown structure or Mermaid syntax in what channelplan prints or writes.
"""

from __future__ import annotations

import re

# C0 and C1 control characters (tab and newline handled separately), DEL, and the Unicode
# bidirectional overrides that can disguise text in a terminal or a rendered page.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def plain(text: object) -> str:
    """One line of printable text: control characters shown as ``\\xNN``, newlines and tabs
    as spaces. Safe for a terminal (no escape sequences) when printed without markup."""
    value = str(text).replace("\r\n", " ").replace("\n", " ").replace("\r", " ").replace("\t", " ")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256
                        else f"\\u{ord(m.group()):04x}", value)


# "&" is escaped only where it could start an entity ("&lt;"), so "Pebble & Pine" stays as
# written in the Markdown and reads the same raw and rendered.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|<>~$]|&(?=#[0-9]+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;))")
_MD_LEADING = re.compile(r"^(\s*)(?:([-+*]|=+)|(\d{1,9})([.)]))(?=\s|$)")


def md(text: object) -> str:
    """Inline Markdown text that renders literally: every character Markdown, GitHub
    tables or HTML could read as syntax is escaped (``<`` and ``>`` become entities, an
    ``&`` that would start an entity is backslash-escaped, any other ``&`` stays as it is),
    so text cannot open HTML, break a table row, start a heading or end a code block."""
    value = plain(text)
    value = _MD_SPECIAL.sub(lambda m: {"<": "&lt;", ">": "&gt;",
                                       "|": "\\|"}.get(m.group(1), "\\" + m.group(1)), value)
    # A leading "-", "+" or "1." followed by a space would start a list, "=" a heading
    return _MD_LEADING.sub(lambda m: m.group(1) + ("\\" + m.group(2) if m.group(2)
                                                   else m.group(3) + "\\" + m.group(4)), value)


def mermaid(text: object, limit: int = 60) -> str:
    """A label safe inside Mermaid syntax: only letters, digits, spaces and a few marks."""
    value = re.sub(r"[^\w .,/+-]", " ", plain(text), flags=re.UNICODE)
    value = re.sub(r"\s+", " ", value).strip() or "-"
    return value[:limit].rstrip()


def md_code(text: object) -> str:
    """Text inside inline code, with backticks and controls made harmless."""
    return plain(text).replace("`", "'")
