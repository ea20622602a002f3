"""A request to stop an experiment (Ctrl+C, SIGTERM, SIGHUP) as a flag and a pipe, never an
exception.

A handler that raises KeyboardInterrupt fires at whatever line is running: inside a fork
hook, a finalizer or a gc callback Python prints "Exception ignored" and carries on, and a
long run never ends (seen under load). These handlers only note the signal and write one
byte to a pipe; the result loops wait on that pipe beside their work and look at the flag
between games, so a stop request is never lost, whenever it comes.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
from types import FrameType, TracebackType
from typing import Any

STOPS: tuple[int, ...] = tuple(
    s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None
)


class Stop:
    """`with Stop() as stop:` catches the stop signals while it is open (in the main thread;
    elsewhere signals are left alone and only `request()` stops). `stop.requested` is the first
    signal's number (0 for `request()`), or None; `stop.fd` becomes readable when it is set."""

    def __init__(self) -> None:
        self.requested: int | None = None
        self._read, self._write = os.pipe()
        for fd in (self._read, self._write):
            os.set_blocking(fd, False)
        self._saved: dict[int, Any] = {}

    @property
    def fd(self) -> int:
        return self._read

    def request(self, signum: int = 0) -> None:
        if self.requested is None:
            self.requested = signum
        with contextlib.suppress(OSError):  # full (already readable) or closed
            os.write(self._write, b"\0")

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.request(signum)

    def wait(self, timeout: float) -> bool:
        """Sleep up to `timeout` seconds, less if a stop is requested; True if one is."""
        if self.requested is None:
            with contextlib.suppress(OSError, ValueError):
                select.select([self._read], [], [], timeout)
        return self.requested is not None

    def __enter__(self) -> Stop:
        for sig in STOPS:
            try:
                self._saved[sig] = signal.signal(sig, self._handle)
            except ValueError:  # not the main thread
                break
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        err: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for sig, handler in self._saved.items():
            if handler is not None:  # None: set outside Python, cannot be put back
                signal.signal(sig, handler)
        self._saved.clear()
        for fd in (self._read, self._write):
            with contextlib.suppress(OSError):
                os.close(fd)
