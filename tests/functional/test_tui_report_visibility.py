"""The report a human reads after a turn hides what the other seats keep to themselves: a bot's
capital never reaches the screen (the seat protocol hides it too)."""

from __future__ import annotations

from pathlib import Path

from wargame.tui.app import WargameApp
from wargame.tui.launch import build_session
from wargame.tui.screens.report import ReportScreen
from wargame.tui.session import HUMAN, Session


async def test_the_report_table_shows_only_the_humans_capital(tmp_path: Path) -> None:
    session = build_session("convenor", {"washington": HUMAN, "tokyo": "heuristic",
                                         "seoul": "random"}, 5)
    assert isinstance(session, Session)
    app = WargameApp(save_folder=tmp_path, seed=5, start=session)
    app.animation_level = "none"
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter", "s")  # the first legal action, submitted
        for _ in range(50):
            if isinstance(app.screen, ReportScreen):
                break
            await pilot.pause(0.1)
        screen = app.screen
        assert isinstance(screen, ReportScreen)
        assert "washington.capital" in screen.names
        assert not {"tokyo.capital", "seoul.capital"} & set(screen.names), screen.names
        # ...while the game itself moved them (so the check above can fail).
        report = session.game.history[-1]
        assert {"tokyo.capital", "seoul.capital"} & {
            k for k in report.after if report.after[k] != report.before.get(k)
        }
