"""Whatever lies in the save folder, the game starts: a bad file is listed as damaged with its
reason, and text from a save never reaches the screen as markup or terminal escapes."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

from wargame.storage.saves import list_saves
from wargame.tui import saving
from wargame.tui.app import WargameApp
from wargame.tui.replay.load_screen import LoadScreen
from wargame.tui.screens.title import TitleScreen

HOSTILE = {
    "brackets.json": b"[" * 100_000,  # nested far deeper than the JSON parser's stack
    "braces.json": b'{"a":' * 50_000,
    "long-number.json": b'{"format": "wargame-save", "version": ' + b"9" * 5_000 + b"}",
    "[bold]markup[-.json": b"{}",
    "escape\x1b]0;pwned\x07.json": b"not json",
}


def hostile_folder(tmp_path: Path) -> Path:
    for name, data in HOSTILE.items():
        (tmp_path / name).write_bytes(data)
    return tmp_path


def test_every_bad_file_is_listed_as_damaged_with_a_reason(tmp_path: Path) -> None:
    infos = list_saves(hostile_folder(tmp_path))
    assert len(infos) == len(HOSTILE)
    for info in infos:
        assert not info.sound and info.problem, info
    problems = {i.path.name: i.problem for i in infos}
    assert "nested too deeply" in problems["brackets.json"]
    assert "number too long" in problems["long-number.json"]


async def test_the_game_starts_and_lists_them(tmp_path: Path) -> None:
    app = WargameApp(save_folder=hostile_folder(tmp_path), seed=1)
    app.animation_level = "none"
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, LoadScreen)
        assert app.screen.query_one("DataTable").row_count == len(HOSTILE)
        await pilot.press("down", "down", "enter")  # a damaged one: refused, nothing opened
        await pilot.pause()
        assert isinstance(app.screen, LoadScreen) and app.session is None


async def test_a_title_with_markup_and_escapes_is_shown_as_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    info = attrs.evolve(
        list_saves(hostile_folder(tmp_path))[0],
        title="[bold]Evil[/ \x1b]0;pwned\x07", sound=True, turns_total=12,
    )
    monkeypatch.setattr(saving, "resumable", lambda folder: info)
    app = WargameApp(save_folder=tmp_path, seed=1)
    app.animation_level = "none"
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        menu = app.screen.query_one("#menu")
        shown = str(menu.get_option("resume").prompt)  # type: ignore[attr-defined]
        assert "[bold]Evil[/" in shown and "\x1b" not in shown and "\x07" not in shown
