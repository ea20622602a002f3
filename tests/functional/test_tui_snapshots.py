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
    assert snap_compare(app_with_game(), press=["enter", "down", "enter"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_report(snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_with_game(), press=["enter", "s"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_why(snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    async def open_why(pilot: Pilot[object]) -> None:
        await pilot.press("enter", "s")
        await pilot.press("w")
        await pilot.press("tab")  # into the tree

    assert snap_compare(app_with_game(), run_before=open_why, terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_end(snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_with_game(11), press=["enter", "s", "enter"], terminal_size=size)
