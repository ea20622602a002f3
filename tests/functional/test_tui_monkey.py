"""A monkey: a few thousand random keys (every key a screen binds, printable keys, Enter,
Escape, Tab, arrows, Page Up/Down, Ctrl+P…), clicks at random places and resizes between
40×12 and 200×60, from a seeded generator. The app must always have a screen, must be alive
at the end and must have raised nothing.

More seeds and events by hand (each 3000 events takes ~20 s):
    MONKEY_SEEDS=1,2,3,4,5,6,7,8,9,10 MONKEY_STEPS=3000 pytest tests/functional/test_tui_monkey.py
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import os
import pkgutil
import random
import string
from pathlib import Path

import pytest
from textual import events
from textual.binding import Binding
from textual.drivers.headless_driver import HeadlessDriver
from textual.geometry import Size
from textual.screen import Screen

import wargame.tui.screens
from wargame.tui.app import WargameApp
from wargame.tui.widgets.safe_lists import SafeScreen

STEPS = int(os.environ.get("MONKEY_STEPS", "3000"))
SEEDS = [int(s) for s in os.environ.get("MONKEY_SEEDS", "20240611").split(",") if s.strip()]

COMMON = ["enter", "enter", "enter", "escape", "escape", "tab", "shift+tab", "up", "down",
          "down", "left", "right", "home", "end", "pageup", "pagedown", "space", "backspace",
          "delete", "ctrl+p", "ctrl+s", "ctrl+c", "ctrl+q"]
CHAR_NAMES = {" ": "space", "?": "question_mark", "[": "left_square_bracket",
              "]": "right_square_bracket", ".": "full_stop", ",": "comma", "-": "minus",
              "/": "slash", "!": "exclamation_mark", "=": "equals_sign"}
KEY_CHARS = {name: char for char, name in CHAR_NAMES.items()}


def screen_classes() -> list[type[Screen[object]]]:
    """Every screen class the game's screens package defines."""
    found: dict[type, None] = {}
    for info in pkgutil.iter_modules(wargame.tui.screens.__path__):
        module = importlib.import_module(f"wargame.tui.screens.{info.name}")
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, Screen) and value.__module__ == module.__name__:
                found[value] = None
    return list(found)


def bound_keys() -> list[str]:
    """Every key the app or one of its screens binds."""
    keys: dict[str, None] = {}
    for cls in [WargameApp, *screen_classes()]:
        for binding in cls.BINDINGS:
            if isinstance(binding, Binding):
                for key in binding.key.split(","):
                    keys[key.strip()] = None
    return list(keys)


def random_key(rng: random.Random, bound: list[str]) -> str:
    roll = rng.random()
    if roll < 0.45:
        return rng.choice(bound)
    if roll < 0.80:
        return rng.choice(COMMON)
    char = rng.choice(string.ascii_letters + string.digits + " ?[].,-/!=")
    return CHAR_NAMES.get(char, char)


class MonkeyApp(WargameApp):
    """Exits are counted, not obeyed, so the monkey can keep going after a confirmed quit."""

    exits = 0

    def exit(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def,override]
        self.exits += 1


def _key(app: WargameApp, key: str) -> None:
    event = events.Key(key, KEY_CHARS.get(key, key if len(key) == 1 else None))
    event.set_sender(app)
    assert app._driver is not None
    app._driver.send_message(event)


def _click(app: WargameApp, x: int, y: int) -> None:
    """A press and a release where a terminal would send them, through the driver: the app
    makes the Click itself, as it does for a real mouse."""
    assert app._driver is not None
    for cls in (events.MouseDown, events.MouseUp):
        event = cls(widget=None, x=x, y=y, delta_x=0, delta_y=0, button=1, shift=False,
                    meta=False, ctrl=False, screen_x=x, screen_y=y)
        event.set_sender(app)
        app._driver.send_message(event)


async def run_monkey(seed: int, steps: int, folder: Path) -> MonkeyApp:
    rng = random.Random(seed)
    bound = bound_keys()
    app = MonkeyApp(save_folder=folder, seed=3)
    app.animation_level = "none"
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for step in range(steps):
            roll = rng.random()
            if roll < 0.78:
                _key(app, random_key(rng, bound))
            elif roll < 0.985:
                width, height = app.size
                _click(app, rng.randrange(width), rng.randrange(height))
            else:
                size = Size(rng.randint(40, 200), rng.randint(12, 60))
                assert isinstance(app._driver, HeadlessDriver)
                app._driver._size = size
                app.post_message(events.Resize(size, size))
            await asyncio.sleep(0)
            # Mostly the events pile up (a fast player, and races with what is still being
            # drawn); now and then everything is let settle.
            if rng.random() < 0.012:
                await pilot.pause()
            assert app._exception is None, f"seed {seed}, step {step}: {app._exception!r}"
            assert app.screen_stack, f"seed {seed}, step {step}: no screen"
        await pilot.pause()
        assert app.is_running
        assert app._exception is None
        assert len(app.screen_stack) >= app.MAIN_DEPTH
        # Still answers: Escape twice closes what is open on top, the main screen stays.
        await pilot.press("escape", "escape")
        assert len(app.screen_stack) >= app.MAIN_DEPTH
    assert app.return_code in (0, None)
    return app


# ~20 s alone, but ten times that on a loaded 2-core machine: the suite's 5-minute guard
# against hangs is for tests that wait, not for one that works through 3000 events.
@pytest.mark.timeout(1800)
@pytest.mark.parametrize("seed", SEEDS)
async def test_monkey(seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WARGAME_SAVE_DIR", str(tmp_path))
    monkeypatch.chdir(tmp_path)  # the new-game screen also lists ./scenarios
    app = await run_monkey(seed, STEPS, tmp_path)
    assert app.exits > 0, "the monkey never even tried to quit: are the keys reaching the app?"


def test_every_screen_has_the_guards() -> None:
    """The crash guards live in SafeScreen (widgets/safe_lists.py): a new screen without
    them brings back what the monkey found (a double dismiss popping the main screen…)."""
    missing = [cls.__name__ for cls in screen_classes() if not issubclass(cls, SafeScreen)]
    assert not missing, f"screens without SafeScreen: {missing}"
