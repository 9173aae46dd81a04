"""Writing results: atomic files, standard output, and consoles that honour NO_COLOR.

Kept free of Rich at import time so that light commands start fast.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any


def write_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the new one, never a
    half-written file (see :func:`atomic_writer`)."""
    with atomic_writer(path) as handle:
        handle.write(text)


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike[str]) -> Iterator[IO[str]]:
    """A text file handle whose content replaces ``path`` only when the block succeeds:
    a temporary file beside it, flushed to disk, then renamed over it. On any failure the
    temporary file is removed and ``path`` is left byte for byte as it was."""
    target = Path(os.path.realpath(path))  # through a symlink to the file it points at
    directory = target.parent
    directory.mkdir(parents=True, exist_ok=True)  # `-o docs/transition.md` in a new repository
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        except FileNotFoundError:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def color_wanted(no_color: bool) -> bool:
    return not no_color and "NO_COLOR" not in os.environ


def console(*, no_color: bool = False, stderr: bool = False, width: int | None = None) -> Any:
    """A Rich console that never interprets markup or emoji in what we print through it."""
    from rich.console import Console

    return Console(
        file=sys.stderr if stderr else sys.stdout,
        no_color=not color_wanted(no_color),
        markup=False,
        emoji=False,
        highlight=False,
        width=width,
        soft_wrap=False,
    )


def _terminal_width() -> int:
    import shutil

    return shutil.get_terminal_size((100, 24)).columns


def _file_width() -> int:
    """Width for tables written to a pipe or a file: $COLUMNS if set, else a roomy 160."""
    try:
        return max(60, int(os.environ.get("COLUMNS", "")))
    except ValueError:
        return 160


def render_to_text(draw: Callable[[Any], None], *, no_color: bool, width: int | None = None,
                   terminal: bool | None = None) -> str:
    """Render Rich output to a string (for ``-o FILE`` and tests), colour only on a terminal."""
    import io

    from rich.console import Console

    buffer = io.StringIO()
    isatty = sys.stdout.isatty() if terminal is None else terminal
    out = Console(file=buffer, force_terminal=isatty and color_wanted(no_color),
                  no_color=not color_wanted(no_color), markup=False, emoji=False,
                  highlight=False, width=width or (_terminal_width() if isatty else _file_width()))
    draw(out)
    return buffer.getvalue()
