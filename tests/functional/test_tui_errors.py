"""A scenario that does not load shows its problems on a screen; the title stays usable."""

from __future__ import annotations

import argparse
from pathlib import Path

from wargame.tui.launch import build_app
from wargame.tui.screens.load_error import LoadErrorScreen
from wargame.tui.screens.title import TitleScreen


async def test_broken_scenario_shows_file_line_col(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\ntitle: [unclosed\n", encoding="utf-8")
    args = argparse.Namespace(scenario=str(bad), humans=[], bot=[], seed=1,
                              save_dir=str(tmp_path))
    app = build_app(args)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LoadErrorScreen)
        text = str(app.screen.query_one("#problem-list").render())
        assert f"{bad}:" in text
        await pilot.press("escape")
        assert isinstance(app.screen, TitleScreen)


async def test_unknown_scenario_name(tmp_path: Path) -> None:
    args = argparse.Namespace(scenario="no-such-thing", humans=[], bot=[], seed=1,
                              save_dir=str(tmp_path))
    app = build_app(args)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LoadErrorScreen)
        assert "no-such-thing" in app.screen.error_title
