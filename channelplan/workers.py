"""Worker processes that map a function over many items, results in order, streamed.

Why not :class:`multiprocessing.Pool`: its ``terminate()`` takes locks the workers share
(the task queue's read lock, the result iterator's condition), and a worker or the parent
interrupted while holding one leaves ``terminate()`` waiting forever; an interrupted
``compare`` hung that way under load. Here each worker has a pipe of its own and shares no
lock with anything, so stopping is always the same two steps: kill each worker, reap it.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection, wait
from typing import Any

AHEAD = 2   # chunks sent to a worker before its first result comes back


class WorkerFailed(RuntimeError):
    """A worker process ended without answering (killed by the system, out of memory)."""


def _serve(conn: Connection, func: Callable[..., Any], extra: tuple[Any, ...]) -> None:
    """A worker's loop: SIGINT is the parent's to handle (a terminal sends it to the whole
    group; the parent then stops the workers), SIGTERM ends the worker at once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        index, items = job
        reply: tuple[int, bool, Any]
        try:
            reply = (index, True, [func(item, *extra) for item in items])
        except Exception as exc:  # noqa: BLE001 - handed to the parent, which raises it
            reply = (index, False, exc)
        try:
            conn.send(reply)
        except Exception as exc:  # noqa: BLE001 - e.g. an exception that does not pickle
            conn.send((index, False, RuntimeError(f"{type(exc).__name__}: {exc}")))


def ordered_map(func: Callable[..., Any], items: Sequence[Any], workers: int, chunk: int,
                extra: tuple[Any, ...] = ()) -> Iterator[Any]:
    """``func(item, *extra)`` for each item, computed by ``workers`` processes, yielded in the
    order of ``items``. At most ``workers * AHEAD`` chunks are out at once, so memory does
    not grow with the batch. However the iteration ends (finished, abandoned, an error, an
    interrupt), every worker is stopped with it."""
    chunks = [list(items[i:i + chunk]) for i in range(0, len(items), chunk)]
    context = multiprocessing.get_context()
    processes: list[Any] = []
    pipes: list[Connection] = []
    try:
        for _ in range(min(workers, len(chunks))):
            parent_end, child_end = context.Pipe()
            process = context.Process(target=_serve, args=(child_end, func, extra), daemon=True)
            process.start()
            child_end.close()
            processes.append(process)
            pipes.append(parent_end)
        out: dict[Connection, int] = {pipe: 0 for pipe in pipes}   # chunks each worker holds
        finished: dict[int, list[Any]] = {}
        sent = 0
        limit = len(pipes) * AHEAD
        for want in range(len(chunks)):
            while want not in finished:
                for pipe in pipes:   # keep every worker busy, within the limit
                    while out[pipe] < AHEAD and sent < len(chunks) and sent - want < limit:
                        pipe.send((sent, chunks[sent]))
                        out[pipe] += 1
                        sent += 1
                for ready in wait([pipe for pipe in pipes if out[pipe]]):
                    assert isinstance(ready, Connection)
                    try:
                        index, ok, payload = ready.recv()
                    except (EOFError, OSError):
                        raise WorkerFailed("a worker process ended without answering") from None
                    out[ready] -= 1
                    if not ok:
                        raise payload
                    finished[index] = payload
            yield from finished.pop(want)
        for pipe in pipes:
            pipe.send(None)
        for process in processes:
            process.join(timeout=5)
    finally:
        for process in processes:
            if process.is_alive():
                process.kill()
        for process in processes:
            process.join()
        for pipe in pipes:
            pipe.close()
