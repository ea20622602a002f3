"""Play chunks in this process or in a few worker processes of our own.

Not concurrent.futures: its pool hangs or prints every worker's traceback when Ctrl+C reaches
the process group, and cannot be stopped mid-chunk. Here each worker has one pipe; workers
ignore SIGINT and leave when the pipe closes. The parent waits on the workers' pipes and the
stop pipe (wargame.experiments.stopping) together, and ends the workers (terminate, then
kill) whatever stops it: Ctrl+C to the group or the parent alone, SIGTERM, an error.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import signal
import traceback
from collections.abc import Iterator, Sequence
from multiprocessing.connection import Connection, wait
from typing import Any

from wargame.experiments.plan import Chunk, Plan, Result, run_chunk
from wargame.experiments.stopping import STOPS, Stop


class RunError(Exception):
    """The experiment could not run; the message is for the user."""


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def run_here(plan: Plan, chunks: Sequence[Chunk], stop: Stop) -> Iterator[Result]:
    """In this process; a stop request ends the chunk under way after its current game."""
    for chunk in chunks:
        if stop.requested is not None:
            return
        yield run_chunk(plan, chunk, lambda: stop.requested is not None)


def _worker(conn: Connection, plan: Plan) -> None:
    # The parent decides when to stop: a Ctrl+C to the whole group must not print here, and
    # its SIGTERM ends us at once (not through the parent's handler, inherited by the fork).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for sig in STOPS[1:]:
        signal.signal(sig, signal.SIG_DFL)
    _unblock()
    while True:
        try:
            chunk = conn.recv()
        except (EOFError, OSError):
            return
        if chunk is None:
            return
        try:
            result: Any = run_chunk(plan, chunk)
        except Exception:
            result = ("error", traceback.format_exc())
        try:
            conn.send(result)
        except (BrokenPipeError, OSError):
            return


def _context() -> Any:
    # fork: workers inherit the loaded content, nothing to pickle or reload. The parent
    # starts no thread before forking (progress starts after the workers).
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _block() -> None:
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_BLOCK, STOPS)


def _unblock() -> None:
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPS)


class Pool:
    """Worker processes, started at once (before any thread of ours: they fork)."""

    def __init__(self, plan: Plan, jobs: int) -> None:
        ctx = _context()
        self.workers: list[tuple[Any, Connection]] = []
        self.finished = False
        # Objects that exist now are never collected in a worker: its collector then does
        # not write to (and so copy) every page it shares with this process.
        gc.freeze()
        # Signals wait until a worker has its own handlers (and here, until all are started).
        _block()
        try:
            self._start(ctx, plan, jobs)
        finally:
            _unblock()
            gc.unfreeze()

    def _start(self, ctx: Any, plan: Plan, jobs: int) -> None:
        for _ in range(jobs):
            mine, theirs = ctx.Pipe()
            proc = ctx.Process(target=_worker, args=(theirs, plan), daemon=True)
            try:
                proc.start()
            except OSError as err:
                if not self.workers:
                    raise RunError(f"cannot start a worker process: {err.strerror}") from None
                break  # under a process limit: carry on with the workers we have
            finally:
                theirs.close()
            self.workers.append((proc, mine))

    def submit(self, chunks: Sequence[Chunk], stop: Stop) -> Iterator[Result]:
        """Sends each worker its first chunks now (they play while the caller gets ready);
        the iterator gives results in the order chunks finish, and ends early when a stop
        is requested. Two chunks in flight per worker hide the pipe. Closing the iterator
        (or an error) ends the workers."""
        todo = list(reversed(chunks))
        busy: dict[Connection, int] = {}
        try:
            for _, conn in self.workers:
                busy[conn] = 0
                for _ in range(2):
                    if todo:
                        conn.send(todo.pop())
                        busy[conn] += 1
        except BaseException:
            self.stop()
            raise
        return self._results(todo, busy, stop)

    def _results(
        self, todo: list[Chunk], busy: dict[Connection, int], stop: Stop
    ) -> Iterator[Result]:
        try:
            while any(busy.values()) and stop.requested is None:
                for ready in wait([stop.fd, *(c for c, n in busy.items() if n)]):
                    if stop.requested is not None:
                        return
                    if not isinstance(ready, Connection):
                        continue  # the stop pipe, for a request already seen
                    try:
                        result = ready.recv()
                    except (EOFError, OSError):
                        self._died(stop)
                        return
                    if isinstance(result, tuple):
                        raise RunError(f"a game failed in a worker:\n{result[1]}")
                    busy[ready] -= 1
                    if todo:
                        try:
                            ready.send(todo.pop())
                        except OSError:
                            self._died(stop)
                            return
                        busy[ready] += 1
                    yield result
            if stop.requested is not None:
                return
            for _, conn in self.workers:
                with contextlib.suppress(OSError):  # gone already: nothing to tell
                    conn.send(None)
            self.finished = True
        finally:
            self.stop()

    def _died(self, stop: Stop) -> None:
        """A worker's pipe closed: a SIGTERM or SIGHUP to the whole group (the parent's own
        request is noted once its handler has run, by the time the workers are joined), or
        a real death."""
        self.stop()
        if stop.requested is None:
            raise RunError("a worker process died (out of memory?)")

    def stop(self) -> None:
        _stop(self.workers, self.finished)
        self.workers = []


def _stop(workers: list[tuple[Any, Connection]], finished: bool) -> None:
    """Finished: workers leave on their own. Otherwise (interrupt, error) end them now,
    mid-chunk: SIGTERM, then SIGKILL for one that does not go."""
    for proc, conn in workers:
        conn.close()
        if not finished and proc.is_alive():
            proc.terminate()
    for proc, _ in workers:
        proc.join(2)
        if proc.is_alive():
            proc.kill()
            proc.join()
