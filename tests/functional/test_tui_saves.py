"""Saving in the terminal game: autosave every turn, Ctrl+S under a name, resume after a
restart with nothing lost, a failed save that does not stop the game, and the load list."""

from __future__ import annotations

from pathlib import Path

import pytest

from wargame.engine.state import Order
from wargame.storage import saves
from wargame.storage.saves import SaveError, load_game
from wargame.tui.app import WargameApp
from wargame.tui.launch import build_session
from wargame.tui.replay.load_screen import LoadScreen
from wargame.tui.screens.game import GameScreen
from wargame.tui.screens.report import ReportScreen
from wargame.tui.screens.title import TitleScreen
from wargame.tui.session import HUMAN, Session

SEATS = {"washington": HUMAN, "tokyo": "heuristic", "seoul": "random"}


def new_app(folder: Path, seed: int = 21) -> WargameApp:
    session = build_session("convenor", SEATS, seed)
    assert isinstance(session, Session)
    app = WargameApp(save_folder=folder, seed=seed, start=session)
    app.animation_level = "none"
    return app


async def play_turns(pilot, app: WargameApp, n: int) -> None:  # type: ignore[no-untyped-def]
    for _ in range(n):
        assert isinstance(app.screen, GameScreen)
        await pilot.press("enter", "s")  # the first legal action, submitted
        await app.settle()  # the bots think in a worker thread
        await pilot.pause()
        assert isinstance(app.screen, ReportScreen)
        await pilot.press("c")


async def test_autosave_after_every_turn_matches_the_game(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await play_turns(pilot, app, 2)
        autos = list(tmp_path.glob("autosave-*.json"))
        assert len(autos) == 1
        loaded = load_game(autos[0])
        game = app.session.game  # type: ignore[union-attr]
        assert loaded.game.turn == game.turn == 3
        assert loaded.game.state.hash() == game.state.hash()
        assert not app.session.unsaved  # type: ignore[union-attr]


async def test_ctrl_s_saves_under_the_name_typed(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await play_turns(pilot, app, 1)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("ctrl+u", *"seminar", "enter")  # ctrl+u clears the default name
        await pilot.pause()
        assert any("seminar.json" in n.message for n in app._notifications)
    saved = tmp_path / "seminar.json"
    assert saved.is_file(), sorted(p.name for p in tmp_path.iterdir())
    assert load_game(saved).game.turn == 2


async def test_resume_after_restart_continues_exactly(tmp_path: Path) -> None:
    first = new_app(tmp_path)
    async with first.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await play_turns(pilot, first, 2)
        original = first.session.game.clone()  # type: ignore[union-attr]
    # A new process on the same folder: the title offers to resume.
    second = WargameApp(save_folder=tmp_path, seed=99)
    second.animation_level = "none"
    async with second.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(second.screen, TitleScreen)
        assert second.screen.resume is not None
        await pilot.press("down", "enter")  # the resume line is second
        await second.settle()  # the save replays in a worker thread
        await pilot.pause()
        assert isinstance(second.screen, GameScreen)
        game = second.session.game  # type: ignore[union-attr]
        assert game.turn == 3 and game.state.hash() == original.state.hash()
        orders = (Order("convene_trilateral"),)
        given = {"washington": orders, "tokyo": (), "seoul": ()}
        assert game.resolve(given).hash == original.resolve(given).hash


async def test_a_failed_save_is_shown_and_the_game_goes_on(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*_a: object, **_k: object) -> None:
        raise SaveError("cannot save: the disk is full")

    monkeypatch.setattr(saves, "write_atomic", full)
    app = new_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await play_turns(pilot, app, 2)
        assert app.session.game.turn == 3  # type: ignore[union-attr]
        assert app.session.unsaved  # type: ignore[union-attr]
        shown = [n.message for n in app._notifications]
        assert any("disk is full" in m for m in shown), shown
    assert not list(tmp_path.glob("*.json"))


async def test_load_screen_refuses_a_damaged_save(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await play_turns(pilot, app, 1)
    good = next(tmp_path.glob("autosave-*.json"))
    bad = tmp_path / "damaged.json"
    bad.write_bytes(good.read_bytes().replace(b'"turn"', b'"tUrn"', 1))
    good.unlink()
    second = WargameApp(save_folder=tmp_path, seed=1)
    second.animation_level = "none"
    async with second.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(second.screen, LoadScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(second.screen, LoadScreen), "a damaged save must not be opened"
        assert second.session is None


async def test_quit_asks_only_when_something_would_be_lost(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from wargame.tui.screens.quit import QuitScreen

    app = new_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await play_turns(pilot, app, 1)
        session = app.session
        assert session is not None and session.saved and not session.unsaved

        def full(*_a: object, **_k: object) -> None:
            raise SaveError("cannot save: the disk is full")

        monkeypatch.setattr(saves, "write_atomic", full)
        await play_turns(pilot, app, 1)
        assert session.unsaved
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, QuitScreen)
        assert "1 turn played" in str(app.screen.message)
        await pilot.press("n")  # stay
        assert isinstance(app.screen, GameScreen)


def test_orders_submitted_count_as_unsaved() -> None:
    session = build_session("convenor", dict.fromkeys(("washington", "tokyo", "seoul"), HUMAN), 3)
    assert isinstance(session, Session)
    assert not session.unsaved  # nothing done yet: nothing to lose
    assert session.submit("washington", []) is None  # hot seat: the turn waits for the others
    assert session.unsaved and session.unsaved_text() == "orders submitted"
    session.mark_saved()
    assert not session.unsaved
