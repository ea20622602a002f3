"""Whole games by key presses alone, for every bundled scenario: one human against bots, and
three humans in hot seat. Asserts on what the screen shows."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import Static

from wargame.paths import bundled_scenarios
from wargame.storage.content_loader import load_content
from wargame.tui.app import WargameApp
from wargame.tui.launch import build_session
from wargame.tui.screens.end import EndScreen
from wargame.tui.screens.game import GameScreen
from wargame.tui.screens.handoff import HandoffScreen
from wargame.tui.screens.report import ReportScreen
from wargame.tui.session import HUMAN, Session
from wargame.tui.widgets.orders_panel import OrdersPanel

SCENARIOS = [p.stem for p in bundled_scenarios()]


def text_of(app: App[object], selector: str) -> str:
    widget = app.screen.query_one(selector, Static)
    rendered = widget.render()
    return getattr(rendered, "plain", str(rendered))


def screen_text(app: App[object]) -> str:
    parts = []
    for widget in app.screen.query(Static):
        rendered = widget.render()
        parts.append(getattr(rendered, "plain", str(rendered)))
    return "\n".join(parts)


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    """Let the bots (which think in a worker thread) finish and the report come up."""
    await pilot.app.settle()
    await pilot.pause()
    await pilot.pause()


def make_app(scenario: str, seats: dict[str, str], seed: int, folder: Path) -> WargameApp:
    session = build_session(scenario, seats, seed)
    assert isinstance(session, Session), session
    app = WargameApp(save_folder=folder, seed=seed, start=session)
    app.animation_level = "none"
    return app


@pytest.mark.parametrize("scenario", SCENARIOS)
async def test_single_human_plays_a_whole_game(scenario: str, tmp_path: Path) -> None:
    content = load_content(next(p for p in bundled_scenarios() if p.stem == scenario))
    seats = {r: (HUMAN if r == "washington" else "heuristic") for r in content.role_ids}
    app = make_app(scenario, seats, 11, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        session = app.session
        assert session is not None
        for turn in range(1, content.turns + 1):
            assert isinstance(app.screen, GameScreen)
            assert f"turn {turn}/{content.turns}" in text_of(app, "#status")
            await pilot.press("enter")  # add the highlighted (first legal) action
            assert len(app.screen.query_one(OrdersPanel).chosen) == 1
            assert "Preview" in text_of(app, "#preview")
            await pilot.press("s")
            await settle(pilot)
            assert isinstance(app.screen, ReportScreen)
            report = session.game.history[-1]
            assert report.turn == turn
            assert report.orders["washington"], "the order added by Enter was submitted"
            story = text_of(app, "#story-text")
            for outcome in report.outcomes:
                assert f"[{outcome.result}]" in story
                assert outcome.why in story
            for event in report.events:
                assert event.title in story
            await pilot.press("enter")  # continue
        assert isinstance(app.screen, EndScreen)
        end = text_of(app, "#end-text")
        assert "Game over" in end and "Turning points" in end
        written = list(tmp_path.glob("after-action-*.md"))
        assert len(written) == 1 and written[0].name in end
        assert written[0].read_text(encoding="utf-8").startswith("# After-action report")
        assert not session.unsaved  # the game is over: quitting needs no confirmation


@pytest.mark.parametrize("scenario", SCENARIOS)
async def test_three_humans_hot_seat(scenario: str, tmp_path: Path) -> None:
    content = load_content(next(p for p in bundled_scenarios() if p.stem == scenario))
    roles = content.role_ids
    app = make_app(scenario, dict.fromkeys(roles, HUMAN), 5, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        session = app.session
        assert session is not None
        for turn in range(1, content.turns + 1):
            for i, role in enumerate(roles):
                screen = app.screen
                assert isinstance(screen, HandoffScreen), f"turn {turn}: {screen}"
                shown = screen_text(app)
                assert f"Pass to {session.name(role)}" in shown
                # The hand-off hides everything of the previous seat: no orders, no seat panel.
                assert not screen.query(OrdersPanel)
                assert not any(isinstance(s, GameScreen) for s in app.screen_stack)
                if i > 0:
                    previous = roles[i - 1]
                    for order in session.game.pending[previous]:
                        action = content.action(previous, order.key)
                        assert action is not None and action.title not in shown
                await pilot.press("enter")  # ready
                assert isinstance(app.screen, GameScreen) and app.screen.role == role
                # Nothing of an earlier seat's orders shows on this seat's screen.
                assert app.screen.query_one(OrdersPanel).chosen == []
                if i == 0:
                    await pilot.press("enter")
                await pilot.press("s")
            await settle(pilot)
            assert isinstance(app.screen, ReportScreen)
            report = session.game.history[-1]
            assert report.turn == turn
            story = text_of(app, "#story-text")
            for outcome in report.outcomes:
                assert f"[{outcome.result}]" in story
            await pilot.press("enter")
        assert isinstance(app.screen, EndScreen)
        assert list(tmp_path.glob("after-action-*.md"))


async def test_keys_typed_ahead_are_handled_in_order(tmp_path: Path) -> None:
    """Enter then "s" arriving together (a fast typist, a paste): the order Enter added is
    part of what "s" submits."""
    from textual import events

    seats = {"washington": HUMAN, "tokyo": "heuristic", "seoul": "heuristic"}
    app = make_app("convenor", seats, 11, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, GameScreen)
        first = app.screen.query_one(OrdersPanel).options[0].order
        assert app._driver is not None
        for key, char in (("enter", "\r"), ("s", "s")):  # both queued before either is handled
            event = events.Key(key, char)
            event.set_sender(app)
            app._driver.send_message(event)
        await pilot.pause()
        await settle(pilot)
        assert isinstance(app.screen, ReportScreen)
        report = app.screen.report
        assert tuple(report.orders["washington"]) == (first,), report.orders
