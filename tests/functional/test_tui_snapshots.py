"""Snapshots of the title, new-game, board, orders, report, why and end screens at 80×24 and
120×40; the board also without colour (NO_COLOR) and in the light theme, at 80×24.

Deterministic: fixed scenario file (the bundled convenor), fixed seed and seats, animations
off, no clock text; the after-action report goes to a relative folder inside a temporary
working directory so its shown name never changes. Update with `--snapshot-update`, then look
at the SVGs under tests/__snapshots__/."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from wargame.tui.app import WargameApp
from wargame.tui.launch import build_session
from wargame.tui.screens.new_game import NewGameScreen
from wargame.tui.session import HUMAN, Session

SIZES = [(80, 24), (120, 40)]
SEATS = {"washington": HUMAN, "tokyo": "heuristic", "seoul": "heuristic"}


def app_with_game(turns_played: int = 0) -> WargameApp:
    session = build_session("convenor", SEATS, 7)
    assert isinstance(session, Session)
    for _ in range(turns_played):
        session.submit("washington", [])
    app = WargameApp(save_folder=Path("saves"), seed=7, start=session)
    app.animation_level = "none"
    return app


def pressing(*keys: str):  # type: ignore[no-untyped-def]
    """A run_before that presses keys, letting the bots (a worker thread) finish after `s`,
    and waits for the likely replies the preview shows."""

    async def run(pilot: Pilot[object]) -> None:
        assert isinstance(pilot.app, WargameApp)
        for key in keys:
            await pilot.press(key)
            await pilot.app.settle()
            await pilot.pause()

    return run


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_title(snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    app = WargameApp(save_folder=Path("saves"), seed=7)
    app.animation_level = "none"
    assert snap_compare(app, terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_new_game(snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    # From the title with `n`: the bundled scenarios, the default one shown, seats and seed 7.
    app = WargameApp(save_folder=Path("saves"), seed=7)
    app.animation_level = "none"

    async def open_new_game(pilot: Pilot[object]) -> None:
        await pilot.press("n")
        assert isinstance(pilot.app, WargameApp)
        await pilot.app.settle()  # the scenarios compile in a worker thread
        await pilot.pause()
        assert isinstance(pilot.app.screen, NewGameScreen)

    assert snap_compare(app, run_before=open_new_game, terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_board(snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_with_game(2), terminal_size=size)


def test_board_no_color(snap_compare, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NO_COLOR", "1")  # read when the app is created
    app = app_with_game(2)
    assert app.no_color
    assert snap_compare(app, terminal_size=(80, 24))


def test_board_light(snap_compare) -> None:  # type: ignore[no-untyped-def]
    app = app_with_game(2)
    app.theme = "textual-light"
    assert snap_compare(app, terminal_size=(80, 24))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_orders(snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    # Convene, then reassure Tokyo: the list marks both ordered, the preview shows the effect.
    assert snap_compare(app_with_game(), run_before=pressing("enter", "down", "enter"),
                        terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_report(snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_with_game(), run_before=pressing("enter", "s"), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_why(snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    # w opens the why view, tab goes into the tree
    assert snap_compare(app_with_game(), run_before=pressing("enter", "s", "w", "tab"),
                        terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_end(snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_with_game(11), run_before=pressing("enter", "s", "enter"),
                        terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_history(snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    # Three turns played: the charts (axes, legends) and the values' ranges.
    assert snap_compare(app_with_game(3), run_before=pressing("h"), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_sources_at_start(snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    session = build_session("convenor", SEATS, 7)
    assert isinstance(session, Session)
    app = WargameApp(save_folder=Path("saves"), seed=7, start=session, brief=True)
    app.animation_level = "none"
    assert snap_compare(app, terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_help(snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_with_game(), run_before=pressing("question_mark"), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_take_back_asks(snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_with_game(2), run_before=pressing("u"), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_thinking(snap_compare, size: tuple[int, int],  # type: ignore[no-untyped-def]
                  monkeypatch: pytest.MonkeyPatch) -> None:
    # Reached as a player reaches it: submit (s) while a seat's bot is still thinking. The
    # "slow" bot waits until the app exits, after the snapshot.
    import threading

    from wargame.engine import bots
    from wargame.engine.playout import Playout
    from wargame.engine.state import Order
    from wargame.tui.screens.thinking import ThinkingScreen

    release = threading.Event()

    def slow(p: Playout, role: str) -> tuple[Order, ...]:
        release.wait(10)
        return bots.heuristic_bot(p, role)

    monkeypatch.setitem(bots._KINDS, "slow", lambda _param: slow)
    session = build_session("convenor", {**SEATS, "tokyo": "slow"}, 7)
    assert isinstance(session, Session)

    class Thinking(WargameApp):
        def exit(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            release.set()  # the bot may finish now: the snapshot is taken
            super().exit(*args, **kwargs)

    app = Thinking(save_folder=Path("saves"), seed=7, start=session)
    app.animation_level = "none"

    async def thinking(pilot: Pilot[object]) -> None:
        await pilot.press("s")
        for _ in range(100):  # the screen comes up THINKING_DELAY after the submit
            if isinstance(pilot.app.screen, ThinkingScreen):
                break
            await pilot.pause(0.05)
        assert isinstance(pilot.app.screen, ThinkingScreen)

    assert snap_compare(app, run_before=thinking, terminal_size=size)


def _saved_games() -> Path:
    """Two saves in ./saves with fixed times: a finished game and an autosave at turn 4."""
    import os

    from wargame.engine.bots import BOTS
    from wargame.engine.game import Game
    from wargame.storage.saves import autosave, save_game_to

    session = build_session("convenor", SEATS, 7)
    assert isinstance(session, Session)
    game = Game(session.content, 7)
    folder = Path("saves")
    for turn in range(session.content.turns):
        if turn == 3:
            path = autosave(game, seats=SEATS, folder=folder, game_id="g7")
            os.utime(path, (1_700_000_000, 1_700_000_000))
        game.resolve({role: BOTS["heuristic"](game, role) for role in session.content.role_ids})
    done = save_game_to(game, folder / "finished-seminar-game.json", seats=SEATS, game_id="f7")
    os.utime(done, (1_700_000_100, 1_700_000_100))
    return done


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_load_list(snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    _saved_games()
    app = WargameApp(save_folder=Path("saves"), seed=7)
    app.animation_level = "none"
    assert snap_compare(app, run_before=pressing("l"), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_replay_viewer(snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    from wargame.storage.saves import open_replay
    from wargame.tui.replay import ReplayApp

    app = ReplayApp(open_replay(_saved_games()))
    app.animation_level = "none"
    assert snap_compare(app, press=["right", "right"], terminal_size=size)
