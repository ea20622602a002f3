"""A monkey: a few thousand random keys, clicks and resizes from a seeded generator. The app
must be alive at the end and must have raised nothing."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

import pytest
from textual import events
from textual.drivers.headless_driver import HeadlessDriver
from textual.geometry import Size

from wargame.tui.app import WargameApp

KEYS = [
    "enter", "enter", "enter", "escape", "tab", "shift+tab", "up", "down", "down", "left",
    "right", "home", "end", "pageup", "pagedown", "space", "backspace", "delete",
    "s", "s", "a", "x", "c", "r", "w", "h", "e", "n", "t", "u", "q", "y", "question_mark",
    "left_square_bracket", "right_square_bracket", "ctrl+p", "1", "7", "ctrl+c", "ctrl+q",
]
SIZES = [(80, 24), (120, 40), (60, 18), (100, 30), (40, 12), (200, 60), (81, 25)]


class MonkeyApp(WargameApp):
    """Exits are counted, not obeyed, so the monkey can keep going after a confirmed quit."""

    exits = 0

    def exit(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def,override]
        self.exits += 1


def _key(app: WargameApp, key: str) -> None:
    char = {"space": " ", "question_mark": "?", "left_square_bracket": "[",
            "right_square_bracket": "]"}.get(key, key if len(key) == 1 else None)
    event = events.Key(key, char)
    event.set_sender(app)
    assert app._driver is not None
    app._driver.send_message(event)


def _click(app: WargameApp, x: int, y: int) -> None:
    screen = app.screen
    args = dict(widget=screen, x=x, y=y, delta_x=0, delta_y=0, button=1, shift=False,
                meta=False, ctrl=False, screen_x=x, screen_y=y)
    for cls in (events.MouseDown, events.MouseUp, events.Click):
        event = cls(**args)  # type: ignore[arg-type]
        app.mouse_position = event.screen_offset
        screen._forward_event(event)


@pytest.mark.xfail(strict=False, reason="open: after ~1700 random events the screen stack can "
                   "empty (ScreenStackError) — being investigated")
async def test_monkey(tmp_path: Path) -> None:
    rng = random.Random(20240611)
    app = MonkeyApp(save_folder=tmp_path, seed=3)
    app.animation_level = "none"
    steps = 3000
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for step in range(steps):
            roll = rng.random()
            if roll < 0.75:
                _key(app, rng.choice(KEYS))
            elif roll < 0.97:
                width, height = app.size
                _click(app, rng.randrange(width), rng.randrange(height))
            else:
                size = Size(*rng.choice(SIZES))
                assert isinstance(app._driver, HeadlessDriver)
                app._driver._size = size
                app.post_message(events.Resize(size, size))
            await asyncio.sleep(0)
            if step % 40 == 0:
                await pilot.pause()
            assert app._exception is None, f"step {step}: {app._exception!r}"
        await pilot.pause()
        assert app.is_running
        assert app._exception is None
    assert app.return_code in (0, None)
