"""Writing results: atomic files, standard output, and consoles that honour NO_COLOR.

Kept free of Rich at import time so that light commands start fast.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import signal
import stat
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


# Names that stand for a descriptor this process already holds (`-o /dev/stdout`): writing
# goes through the descriptor, never by replacing whatever file it happens to point at.
_DESCRIPTOR_PATH = re.compile(r"/dev/(stdout|stderr|fd/\d+)|/proc/(self|thread-self|\d+)/fd/\d+")


def is_special_target(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is written in place rather than replaced: anything that exists and
    is not a regular file (a character device such as /dev/null, a named pipe, a process
    substitution), and names of descriptors such as /dev/stdout."""
    if _DESCRIPTOR_PATH.fullmatch(os.path.abspath(os.fspath(path))):
        return True
    try:
        mode = os.stat(path).st_mode  # through symlinks
    except OSError:
        return False  # a new file (or one we cannot look at: the write will say why)
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _named(exc: OSError, path: str | os.PathLike[str]) -> OSError:
    """The same error, naming the target the user gave (never a temporary file)."""
    return type(exc)(exc.errno, exc.strerror or str(exc), os.fspath(path))


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """SIGINT and SIGTERM are held (not lost) inside the block, where the platform allows."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike[str]) -> Iterator[IO[str]]:
    """A text file handle whose content replaces ``path`` only when the block succeeds:
    a temporary file beside it, flushed to disk, then renamed over it. On any failure the
    temporary file is removed and ``path`` is left byte for byte as it was.

    A target that is not a regular file (a device, a named pipe, a process substitution,
    /dev/stdout) is written in place instead: renaming over it would replace the device or
    pipe itself. Errors (:class:`OSError`) name ``path`` as given."""
    if os.path.isdir(path):
        raise IsADirectoryError(errno.EISDIR, "is a directory; give a file name", os.fspath(path))
    if is_special_target(path):
        with _direct_writer(path) as handle:
            yield handle
        return
    target = Path(os.path.realpath(path))  # through a symlink to the file it points at
    directory = target.parent
    tmp = ""
    try:
        # SIGINT and SIGTERM wait while the temporary file is made and named, so that a signal
        # never finds a file the clean-up below does not know about
        with _signals_deferred():
            try:
                directory.mkdir(parents=True, exist_ok=True)  # `-o docs/plan.md` in a new repo
                fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                           dir=directory)
            except OSError as exc:
                raise _named(exc, path) from None
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        except FileNotFoundError:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException as exc:
        if tmp:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
        if isinstance(exc, OSError) and exc.filename in (None, tmp, str(target)):
            raise _named(exc, path) from None
        raise


@contextlib.contextmanager
def _direct_writer(path: str | os.PathLike[str]) -> Iterator[IO[str]]:
    """Write straight to a device, pipe or descriptor (no temporary file, no rename).
    A descriptor name opens in append mode, so `-o /dev/stdout >> log` appends."""
    flags = os.O_WRONLY | os.O_APPEND if _DESCRIPTOR_PATH.fullmatch(
        os.path.abspath(os.fspath(path))) else os.O_WRONLY
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
        handle = os.fdopen(fd, "w", encoding="utf-8", newline="")
    except OSError as exc:
        raise _named(exc, path) from None
    try:
        with handle:
            yield handle
    except BrokenPipeError:
        return  # the reader of the pipe left (`-o >(head -1)`): nothing more to write
    except OSError as exc:
        if exc.filename is None:
            raise _named(exc, path) from None
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
