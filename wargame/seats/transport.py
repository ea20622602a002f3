"""Carrying protocol messages to a seat and its replies back.

A transport sends messages (dicts) and receives reply lines (bytes) within a deadline.
`ProcessTransport` runs a program and speaks JSON Lines on its stdin/stdout; its stderr goes
to a log file, never to the terminal. Reading and writing happen on two small threads, so a
program that hangs, floods or stops reading can never stall the game: the game only ever
waits on a queue, with a timeout.
"""

from __future__ import annotations

import contextlib
import os
import queue
import subprocess
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any, Protocol

from wargame.seats.protocol import ReplyError, encode

MAX_LINE = 1 << 20
"""A reply line longer than 1 MiB is answered with an error, not held in memory."""


class SeatTimeout(Exception):
    """No reply within the turn's time budget."""


class SeatGone(Exception):
    """The seat can no longer answer (the program exited or closed its output)."""


class Transport(Protocol):
    def send(self, message: Mapping[str, Any]) -> None: ...

    def receive(self, timeout: float | None) -> bytes:
        """The next reply line; SeatTimeout if none came in time, SeatGone if none can."""
        ...

    def discard_pending(self) -> int:
        """Drop replies that arrived too late for the turn they answered; how many."""
        ...

    def close(self) -> None: ...


_EOF = b""
_TOO_LONG = b"\x00too-long"


class ProcessTransport:
    """A program as a seat. `argv` is started at once; FileNotFoundError/PermissionError/
    OSError if it cannot be."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        log: Path | None = None,
        cwd: Path | None = None,
        grace: float = 2.0,
    ) -> None:
        self.argv = list(argv)
        self.grace = grace
        self.log_path = log
        self._log: IO[bytes] | None = None
        if log is not None:
            log.parent.mkdir(parents=True, exist_ok=True)
            self._log = open(log, "ab")  # noqa: SIM115 - closed in close()
        env = dict(os.environ)
        env.setdefault("PYTHONUNBUFFERED", "1")  # a Python agent's print() reaches us at once
        try:
            self.proc = subprocess.Popen(
                self.argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._log if self._log is not None else subprocess.DEVNULL,
                cwd=cwd,
                env=env,
                bufsize=1 << 16,  # buffered: a raw pipe's readline reads byte by byte
            )
        except BaseException:
            if self._log is not None:
                self._log.close()
            raise
        self._replies: queue.Queue[bytes] = queue.Queue()
        self._outbox: queue.Queue[bytes | None] = queue.Queue()
        self._closed = False
        self._reader = threading.Thread(target=self._read, name="agent-reader", daemon=True)
        self._writer = threading.Thread(target=self._write, name="agent-writer", daemon=True)
        self._reader.start()
        self._writer.start()

    # -- threads ---------------------------------------------------------------------------
    def _read(self) -> None:
        stream = self.proc.stdout
        assert stream is not None
        try:
            while True:
                line = stream.readline(MAX_LINE + 1)
                if not line:
                    break
                if len(line) > MAX_LINE and not line.endswith(b"\n"):
                    while True:  # skip the rest of the over-long line
                        rest = stream.readline(MAX_LINE)
                        if not rest or rest.endswith(b"\n"):
                            break
                    self._replies.put(_TOO_LONG)
                    continue
                self._replies.put(line)
        except (OSError, ValueError):
            pass
        self._replies.put(_EOF)

    def _write(self) -> None:
        stream = self.proc.stdin
        assert stream is not None
        while True:
            data = self._outbox.get()
            if data is None:
                break
            try:
                stream.write(data)
                stream.flush()
            except (OSError, ValueError):
                break  # the program stopped reading; its replies will say so
        with contextlib.suppress(OSError, ValueError):
            stream.close()

    # -- Transport -------------------------------------------------------------------------
    def send(self, message: Mapping[str, Any]) -> None:
        if not self._closed:
            self._outbox.put(encode(message))

    def receive(self, timeout: float | None) -> bytes:
        try:
            line = self._replies.get(timeout=timeout)
        except queue.Empty:
            raise SeatTimeout() from None
        if line == _EOF:
            self._replies.put(_EOF)  # every later receive sees it too
            raise SeatGone(self._exit_text())
        if line == _TOO_LONG:
            raise ReplyError("reply line longer than 1 MiB")
        return line

    def discard_pending(self) -> int:
        dropped = 0
        while True:
            try:
                line = self._replies.get_nowait()
            except queue.Empty:
                return dropped
            if line == _EOF:
                self._replies.put(_EOF)
                return dropped
            dropped += 1

    def close(self) -> None:
        """Close the program's stdin, give it `grace` seconds to exit, then stop it."""
        if self._closed:
            return
        self._closed = True
        self._outbox.put(None)
        self._writer.join(timeout=self.grace)
        try:
            self.proc.wait(timeout=self.grace)
        except subprocess.TimeoutExpired:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=1.0)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._reader.join(timeout=1.0)
        if self.proc.stdout is not None:
            with contextlib.suppress(OSError):
                self.proc.stdout.close()
        if self._log is not None:
            self._log.close()

    def _exit_text(self) -> str:
        try:
            code = self.proc.wait(timeout=0.5)
        except subprocess.TimeoutExpired:
            code = None
        if code is None:
            return "the agent closed its output"
        return f"the agent exited (code {code})"
