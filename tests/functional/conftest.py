"""Fixtures shared by the functional tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hosting import HostProc


@pytest.fixture
def hosted(tmp_path: Path) -> Iterator[Callable[..., HostProc]]:
    """Starts real hosts in the test's folder; stops every one still running at the end."""
    procs: list[HostProc] = []

    def start(*args: str) -> HostProc:
        proc = HostProc(*args, cwd=tmp_path)
        procs.append(proc)
        return proc

    yield start
    for p in procs:
        if p.alive:
            p.stop()
