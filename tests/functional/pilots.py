"""Waiting for a screen to reach a state: tests wait for outcomes, not for a number of
seconds (a busy machine takes longer, never fails sooner)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

POLLS = 2400  # 0.05 s each at the least: two minutes and more, far past any slow machine


async def until(pilot: Pilot[Any], cond: Callable[[], bool], what: str) -> None:
    for _ in range(POLLS):
        if cond():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"timed out waiting for {what}; screen {pilot.app.screen!r}")
