"""Compiling content never runs on the UI thread: starting a game, opening New game and
continuing a save compile (and replay) in a worker thread behind a loading screen that keeps
answering keys; Escape gives up waiting; an error nobody expected is an error screen."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from edited_saves import edited
from textual.widgets import Static

from wargame.engine.bots import BOTS
from wargame.engine.game import Game
from wargame.storage.content_loader import load_content
from wargame.storage.saves import save_game_to
from wargame.tui import launch, saving
from wargame.tui.app import WargameApp
from wargame.tui.screens.game import GameScreen
from wargame.tui.screens.load_error import LoadErrorScreen
from wargame.tui.screens.loading import LoadingScreen
from wargame.tui.screens.new_game import NewGameScreen
from wargame.tui.screens.sources import SourcesScreen
from wargame.tui.screens.title import TitleScreen

ROOT = Path(__file__).resolve().parents[2]


class Gate:
    """Wraps a loading function: it waits until released, and notes the thread it ran on."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.open = threading.Event()
        self.threads: list[threading.Thread] = []

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.threads.append(threading.current_thread())
        assert self.open.wait(30)
        return self.real(*args, **kwargs)


def _app(folder: Path) -> WargameApp:
    app = WargameApp(save_folder=folder, seed=7)
    app.animation_level = "none"
    return app


async def test_quick_start_compiles_in_a_worker_behind_a_loading_screen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = Gate(launch.build_session)
    monkeypatch.setattr(launch, "build_session", gate)
    app = _app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, LoadingScreen)
        shown = str(app.screen.query_one("#loading", Static).render())
        assert shown == "Loading convenor…"
        assert gate.threads and gate.threads[0] is not threading.main_thread()
        gate.open.set()
        await app.settle()
        await pilot.pause()
        assert isinstance(app.screen, SourcesScreen)  # the brief, over the first seat
        assert app.session is not None and app.session.content.id == "convenor"


async def test_escape_gives_up_waiting_and_the_result_is_dropped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = Gate(launch.build_session)
    monkeypatch.setattr(launch, "build_session", gate)
    app = _app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, LoadingScreen)
        await pilot.press("escape")  # answered while the worker still compiles
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        gate.open.set()
        await app.settle()
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen) and app.session is None


async def test_new_game_compiles_the_scenarios_off_the_ui_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wargame.tui.screens import new_game

    gate = Gate(new_game.load_choices)
    monkeypatch.setattr(new_game, "load_choices", gate)
    app = _app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, LoadingScreen)
        gate.open.set()
        await app.settle()
        await pilot.pause()
        assert isinstance(app.screen, NewGameScreen)
        assert gate.threads[0] is not threading.main_thread()


async def test_an_error_nobody_expected_is_an_error_screen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_a: object, **_k: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(launch, "build_session", broken)
    app = _app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await app.settle()
        await pilot.pause()
        assert isinstance(app.screen, LoadErrorScreen)
        assert app.screen.error_title == "convenor did not load"
        assert app.screen.problems == ["RecursionError: maximum recursion depth exceeded"]


async def test_continuing_a_save_replays_it_in_a_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = load_content(ROOT / "scenarios" / "convenor.yaml")
    game = Game(content, 5)
    for _ in range(2):
        game.resolve({r: BOTS["heuristic"](game, r) for r in content.role_ids})
    seats = {"washington": "human", "tokyo": "heuristic", "seoul": "heuristic"}
    good = save_game_to(game, tmp_path / "good.json", seats=seats, game_id="g")
    false = edited(good, tmp_path / "false.json",
                   lambda d: d["turns"][1]["values"].update(cohesion=99.0))
    gate = Gate(saving.open_saved)
    monkeypatch.setattr(saving, "open_saved", gate)
    app = _app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.continue_saved(false)
        await pilot.pause()
        assert isinstance(app.screen, LoadingScreen)
        assert gate.threads[0] is not threading.main_thread()
        gate.open.set()
        await app.settle()
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen) and app.session is None
        said = [n.message for n in app._notifications]
        assert any("does not replay as saved: turn 2" in m and "cohesion 99 →" in m
                   for m in said), said
        app.continue_saved(good)
        await app.settle()
        await pilot.pause()
        assert isinstance(app.screen, GameScreen)
        assert app.session is not None and app.session.game.turn == 3


async def test_a_scenario_file_named_with_escapes_is_listed_escaped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "\x1b]0;pwned\x07[b].yaml").write_text("id: [\n")
    monkeypatch.chdir(tmp_path)
    app = _app(tmp_path / "saves")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await app.settle()
        await pilot.pause()
        assert isinstance(app.screen, NewGameScreen)
        names = [c.name for c in app.screen.choices]
        assert "\x1b]0;pwned\x07[b]" in names  # the file's own name, kept
        menu = app.screen.query_one("#scenarios")
        shown = [str(menu.get_option_at_index(i).prompt)  # type: ignore[attr-defined]
                 for i in range(len(names))]
        # escaped for the terminal, then for markup (the prompt is markup: `\[` is a "[")
        assert "✘ \\x1b]0;pwned\\x07\\[b]" in shown, shown
