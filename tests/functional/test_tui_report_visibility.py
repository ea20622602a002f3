"""The report a human reads after a turn hides what the other seats keep to themselves: a bot's
capital never reaches the screen (the seat protocol hides it too)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pilots import until
from textual.widgets import OptionList, Tree

from wargame.tui.app import WargameApp
from wargame.tui.launch import build_session
from wargame.tui.screens.report import ReportScreen
from wargame.tui.screens.why import WhyScreen
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
        await until(pilot, lambda: isinstance(app.screen, ReportScreen), "the report")
        screen = app.screen
        assert isinstance(screen, ReportScreen)
        assert "washington.capital" in screen.names
        assert not {"tokyo.capital", "seoul.capital"} & set(screen.names), screen.names
        # ...while the game itself moved them (so the check above can fail).
        report = session.game.history[-1]
        assert {"tokyo.capital", "seoul.capital"} & {
            k for k in report.after if report.after[k] != report.before.get(k)
        }


def _tree_text(node: Any) -> list[str]:
    return [str(node.label), *(t for child in node.children for t in _tree_text(child))]


async def test_the_why_view_hides_the_bots_capital_in_values_and_inputs(tmp_path: Path) -> None:
    session = build_session("convenor", {"washington": HUMAN, "tokyo": "heuristic",
                                         "seoul": "random"}, 5)
    assert isinstance(session, Session)
    hidden = {"tokyo.capital", "seoul.capital"}
    app = WargameApp(save_folder=tmp_path, seed=5, start=session)
    app.animation_level = "none"
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter", "s")
        await until(pilot, lambda: isinstance(app.screen, ReportScreen), "the report")
        await pilot.press("w")
        await pilot.pause()
        why = app.screen
        assert isinstance(why, WhyScreen)
        values = why.query_one("#why-values", OptionList)
        names = [values.get_option_at_index(i).id for i in range(values.option_count)]
        assert "washington.capital" in names and not hidden & set(names), names
        shown: list[str] = []
        for name in names:
            why._show(name)
            why.action_expand_all()
            shown += _tree_text(why.query_one("#why-tree", Tree).root)
        assert not [line for line in shown if "tokyo.capital" in line or "seoul.capital" in line]
        # ...while the turn's trace does read them (so the check above can fail).
        raw = session.game.history[-1]
        assert hidden & {n for c in raw.trace for n, _ in c.inputs}
