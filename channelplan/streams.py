"""The process around a command: standard streams that may be closed, full or cut short,
and signals that stop it.

- A reader that leaves early (``channelplan compare ... | head``) is not an error: the rest
  of the output is dropped and the command ends with the status it would have had.
- Any other failure to write standard output (``> /dev/full``) or a stream that is closed
  (``>&-``, ``2>&-``) ends the command with exit status 2 and one line on stderr where
  stderr can take it, never a traceback.
- SIGTERM stops the command as SIGINT does (temporary files removed, workers stopped),
  with exit status 143 (128 + 15); SIGINT gives 130.

Used by the command line only; the library never touches the process's streams.
"""

from __future__ import annotations

import errno
import os
import signal
import sys
from typing import Any

TERMINATED_STATUS = 128 + signal.SIGTERM


class Terminated(BaseException):  # noqa: N818 - named for the signal, like KeyboardInterrupt
    """Raised in the main thread when the process receives SIGTERM.

    A BaseException, so that no ``except Exception`` (nor Click's handling of
    KeyboardInterrupt) swallows it, and every ``finally`` and context manager on the way
    out runs (temporary files are removed, worker processes stopped)."""


class StreamError(OSError):
    """Standard output or standard error cannot be written (closed, full, failing)."""


class _ClosedStream:
    """Stands in for a standard stream that was closed when the process started."""

    def __init__(self, name: str, fd: int):
        self.name = name
        self._fd = fd

    def write(self, text: str) -> int:
        raise StreamError(errno.EBADF, "the stream is closed", self.name)

    def flush(self) -> None:
        return None

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return self._fd

    @property
    def encoding(self) -> str:
        return "utf-8"

    @property
    def errors(self) -> str:
        return "strict"

    def writable(self) -> bool:
        return True


class _Output:
    """Standard output that drops the rest quietly once the reader has gone, and names
    itself in any other write error."""

    def __init__(self, inner: Any):
        self._inner = inner
        self.reader_left = False

    def _failed(self, exc: OSError) -> None:
        if isinstance(exc, BrokenPipeError) or exc.errno == errno.EPIPE:
            self.reader_left = True
            _to_devnull(self._inner)
            return
        if isinstance(exc, StreamError):
            raise exc
        raise StreamError(exc.errno or errno.EIO, exc.strerror or str(exc),
                          "standard output") from None

    def write(self, text: str) -> int:
        if self.reader_left:
            return len(text)
        try:
            return self._inner.write(text)
        except OSError as exc:
            self._failed(exc)
            return len(text)

    def flush(self) -> None:
        if self.reader_left:
            return
        try:
            self._inner.flush()
        except OSError as exc:
            self._failed(exc)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def _to_devnull(stream: Any) -> None:
    """Point the stream's descriptor at /dev/null, so that what is still buffered (and
    Python's flush at exit) goes nowhere instead of failing again."""
    try:
        fd = stream.fileno()
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, fd)
        os.close(null)
    except (OSError, ValueError, AttributeError):
        pass


def _occupy_closed_descriptors() -> None:
    """Open /dev/null on descriptors 0-2 that were closed at start, so that no file this
    process opens later (a temporary output file, a worker's pipe) takes their number and
    receives what was meant for a standard stream."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            try:
                null = os.open(os.devnull, os.O_RDWR)
            except OSError:
                return
            if null != fd:  # a lower descriptor was free after all: leave things as they were
                os.close(null)


def install() -> _Output:
    """Prepare the process's streams and signals for a command; returns standard output."""
    closed = {name: getattr(sys, name) is None for name in ("stdin", "stdout", "stderr")}
    _occupy_closed_descriptors()
    if closed["stdin"]:
        sys.stdin = open(os.devnull)  # noqa: SIM115 - lives as long as the process
    if closed["stderr"]:
        sys.stderr = _ClosedStream("standard error", 2)  # type: ignore[assignment]
    out = _Output(_ClosedStream("standard output", 1) if closed["stdout"] else sys.stdout)
    sys.stdout = out  # type: ignore[assignment]
    signal.signal(signal.SIGTERM, _terminate)
    return out


def _terminate(signum: int, frame: Any) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # one is enough; the way out is under way
    raise Terminated()


def say_error(line: str) -> None:
    """Write one line to stderr if it can take it; never raise."""
    try:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass


def stream_failed(exc: OSError) -> int:
    """Say (where stderr can take it) that a standard stream failed; the exit status."""
    what = exc.filename or "output"
    say_error(f"channelplan: error: cannot write to {what}: {exc.strerror or exc}")
    return 2


def flush_output(out: _Output) -> None:
    """Flush standard output at the end of a command (raises :class:`StreamError`)."""
    out.flush()
