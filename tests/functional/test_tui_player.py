"""A new player's game (issue 9): bots think off the UI thread while keys keep working, no
step is lost without asking (quit with orders chosen, take-back), and the game screen shows
the values the rules read, the score and the preview's two cases."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pilots import until

from wargame.engine import bots
from wargame.engine.playout import Playout
from wargame.engine.state import Order
from wargame.storage.saves import load_game
from wargame.tui.app import WargameApp
from wargame.tui.launch import build_session
from wargame.tui.screens.game import GameScreen
from wargame.tui.screens.history import HistoryScreen
from wargame.tui.screens.quit import QuitScreen
from wargame.tui.screens.report import ReportScreen
from wargame.tui.screens.thinking import ThinkingScreen
from wargame.tui.session import HUMAN, Session


def new_app(folder: Path, seats: dict[str, str], seed: int = 4) -> WargameApp:
    session = build_session("convenor", seats, seed)
    assert isinstance(session, Session), session
    app = WargameApp(save_folder=folder, seed=seed, start=session)
    app.animation_level = "none"
    return app


@pytest.fixture
def slow_bot(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """A seat kind "slow" that thinks until released (as a search bot or an agent might): by
    the test, or at its end; no clock releases it while the test looks at the screens."""
    release = threading.Event()

    def slow(p: Playout, role: str) -> tuple[Order, ...]:
        release.wait(600)
        return bots.heuristic_bot(p, role)

    monkeypatch.setitem(bots._KINDS, "slow", lambda _param: slow)
    yield release
    release.set()


def screen_text(app: WargameApp) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query("Static"))


async def test_keys_work_while_the_bots_think(tmp_path: Path,
                                              slow_bot: threading.Event) -> None:
    app = new_app(tmp_path, {"washington": HUMAN, "tokyo": "slow", "seoul": "heuristic"})
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("enter", "s")
        await until(pilot, lambda: isinstance(app.screen, ThinkingScreen), "the thinking screen")
        assert "Tokyo" in screen_text(app) and "thinking" in screen_text(app)
        await pilot.press("h")  # the UI answers while the bot is still thinking
        assert isinstance(app.screen, HistoryScreen)
        assert app.session is not None and not app.session.game.history
        slow_bot.set()
        await app.settle()
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ReportScreen)
        assert app.session.game.history[-1].orders["tokyo"] is not None


async def test_quit_while_bots_think_keeps_the_orders(tmp_path: Path,
                                                      slow_bot: threading.Event) -> None:
    app = new_app(tmp_path, {"washington": HUMAN, "tokyo": "slow", "seoul": "heuristic"})
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("enter", "s")
        await until(pilot, lambda: isinstance(app.screen, ThinkingScreen), "the thinking screen")
        await pilot.press("q")
        if isinstance(app.screen, QuitScreen):
            await pilot.press("y")
        slow_bot.set()
    autos = list(tmp_path.glob("autosave-*.json"))
    assert len(autos) == 1
    loaded = load_game(autos[0])
    # The submitted orders are in the save: resuming resolves the turn with them.
    assert loaded.game.turn == 1 and "washington" in loaded.game.pending
    assert loaded.game.pending["washington"]


async def test_quit_with_orders_chosen_asks_first(tmp_path: Path) -> None:
    app = new_app(tmp_path, {"washington": HUMAN})
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # an order chosen, not submitted
        await pilot.press("q")
        assert isinstance(app.screen, QuitScreen)
        assert "not submitted" in app.screen.message
        await pilot.press("n")
        assert isinstance(app.screen, GameScreen)
        assert app.screen.panel.chosen  # still there


async def test_take_back_asks_first_and_is_in_the_footer(tmp_path: Path) -> None:
    app = new_app(tmp_path, {"washington": HUMAN})
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await app.settle()
        await pilot.pause()
        await pilot.press("c")
        assert isinstance(app.screen, GameScreen)
        footer = {b.key for _, b, _, _ in app.screen.active_bindings.values() if b.show}
        assert "u" in footer
        session = app.session
        assert session is not None and len(session.game.history) == 1
        await pilot.press("u")
        assert isinstance(app.screen, QuitScreen)
        assert "Take back turn 1" in app.screen.message
        await pilot.press("n")  # keep playing: nothing taken back
        assert len(session.game.history) == 1
        await pilot.press("u", "y")
        await pilot.pause()
        assert not session.game.history and isinstance(app.screen, GameScreen)


async def test_game_screen_shows_rules_values_score_and_both_previews(tmp_path: Path) -> None:
    app = new_app(tmp_path, {"washington": HUMAN})
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # convene a trilateral
        await app.settle()  # the others' likely replies
        await pilot.pause()
        text = screen_text(app)
        for shown in ("US commitment", "Trade", "Tokyo grievance", "Seoul leverage",
                      "Travel bans", "score +0"):
            assert shown in text
        assert "If the others pass" in text and "[snubbed]" in text
        assert "If the others play as their bots would" in text and "[convened]" in text
        # End goals are not counted as earned before the end.
        session = app.session
        assert session is not None
        for obj in session.game.view("washington").objectives:
            if obj.scored == "at_end":
                line = next(x for x in text.splitlines() if obj.text[:30] in x)
                assert "so far" not in line and ("on track" in line or "at risk" in line)


async def test_bots_do_not_run_on_the_ui_thread(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []

    def spy(p: Playout, role: str) -> tuple[Order, ...]:
        seen.append(threading.current_thread().name)
        return ()

    monkeypatch.setitem(bots._KINDS, "spy", lambda _param: spy)
    app = new_app(tmp_path, {"washington": "spy", "tokyo": "spy", "seoul": "spy"})
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.settle()
        await pilot.pause()
        assert isinstance(app.screen, ReportScreen)
    assert seen and threading.main_thread().name not in seen


async def test_palette_has_save_and_quit_once(tmp_path: Path) -> None:
    app = new_app(tmp_path, {"washington": HUMAN})
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Save" in titles
        assert titles.count("Quit") == 1


async def test_summary_and_sources_at_start_and_on_i(tmp_path: Path) -> None:
    import argparse

    from wargame.tui.launch import build_app
    from wargame.tui.screens.sources import SourcesScreen

    args = argparse.Namespace(scenario="convenor", humans=[], bot=[], seed=3,
                              save_dir=str(tmp_path))
    app = build_app(args)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SourcesScreen)
        session = app.session
        assert session is not None
        shown = str(app.screen.query_one("#sources-text").render())
        assert "Blinken and Austin" in shown  # the scenario's summary
        assert "Genron NPO" in shown  # one of its sources
        await pilot.press("enter")
        assert isinstance(app.screen, GameScreen)
        await pilot.press("i")
        assert isinstance(app.screen, SourcesScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, GameScreen)


async def test_history_charts_have_axes_and_every_value_the_rules_read(tmp_path: Path) -> None:
    from textual_plotext import PlotextPlot

    app = new_app(tmp_path, {"washington": HUMAN})
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for _ in range(2):
            await pilot.press("s")
            await app.settle()
            await pilot.pause()
            await pilot.press("c")
        await pilot.press("h")
        assert isinstance(app.screen, HistoryScreen)
        await pilot.pause()
        plots = list(app.screen.query(PlotextPlot))
        assert len(plots) >= 4
        text = screen_text(app)
        for name in ("Tokyo grievance", "Seoul leverage", "US commitment", "Trade"):
            assert name in text  # grievance and leverage are charted now
        chart = str(plots[0].render())  # the chart as drawn, at the widget's size
        assert "turn (0 = start)" in chart and "┤" in chart and "US–Japan trust" in chart


def test_after_action_report_has_text_charts(tmp_path: Path) -> None:
    session = build_session("convenor", {"washington": "heuristic"}, 3)
    assert isinstance(session, Session)
    for _ in range(3):
        session.resolve()
    md = session.after_action_markdown()
    charts = md.split("## Charts", 1)[1].split("## Turning points", 1)[0]
    assert "### Trust on each leg" in charts and "### Grievance and leverage" in charts
    assert "turn (0 = start)" in charts and "┤" in charts  # axes with ticks
    assert "\x1b[" not in charts  # plain text, no colour codes
