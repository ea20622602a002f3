"""The replay viewer driven by keys: stepping, play/pause, jump, viewpoints, fork, why-trace."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from textual.app import App
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from wargame.engine.bots import BOTS
from wargame.engine.game import Game
from wargame.storage.content_loader import load_content
from wargame.storage.save_format import sign_bytes
from wargame.storage.saves import autosave, load_game, open_replay, save_game_to
from wargame.tui.replay import LoadScreen, ReplayApp, ReplayScreen
from wargame.tui.replay.app import WhyTree

ROOT = Path(__file__).resolve().parents[2]
SEATS = {"washington": "human", "tokyo": "heuristic", "seoul": "random"}


@pytest.fixture(scope="module")
def game() -> Game:
    content = load_content(ROOT / "scenarios" / "convenor.yaml")
    g = Game(content, 6)
    kinds = {"washington": "random", "tokyo": "random", "seoul": "random"}
    for _ in range(content.turns):
        g.resolve({role: BOTS[kinds[role]](g, role) for role in content.role_ids})
    return g


@pytest.fixture
def saved(game: Game, tmp_path: Path) -> Path:
    return save_game_to(game, tmp_path / "match.json", seats=SEATS, game_id="m1")


def text(app: ReplayApp, selector: str) -> str:
    rendered = app.view.query_one(selector, Static).render()
    return getattr(rendered, "plain", str(rendered))


def tree_text(app: ReplayApp) -> str:
    tree = app.view.query_one(WhyTree)
    lines = []

    def walk(node, depth: int) -> None:  # type: ignore[no-untyped-def]
        lines.append("  " * depth + node.label.plain)
        for child in node.children:
            walk(child, depth + 1)

    walk(tree.root, 0)
    return "\n".join(lines)


async def test_stepping_through_the_turns(saved: Path, game: Game) -> None:
    app = ReplayApp(open_replay(saved))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.view.position == 1
        assert "turn 1/12 · 2021 Q1" in text(app, "#status")
        await pilot.press("right", "right")
        assert app.view.position == 3 and "turn 3/12" in text(app, "#status")
        await pilot.press("left")
        assert app.view.position == 2
        await pilot.press("end")
        assert app.view.position == 12 and "2023 Q4" in text(app, "#status")
        await pilot.press("right")
        assert app.view.position == 12  # no turn after the last
        await pilot.press("home")
        assert app.view.position == 1
        await pilot.press("left")
        assert app.view.position == 1
        body = text(app, "#turn")
        first = game.history[0]
        for outcome in first.outcomes:
            assert outcome.why in body.replace("\n", " ") or outcome.result in body
        for ev in first.events:
            assert ev.title in body
        assert "Orders" in body and "Changes" in body and "Scores" in body


async def test_the_why_tree_groups_changes_by_value(saved: Path, game: Game) -> None:
    app = ReplayApp(open_replay(saved))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("right")
        report = game.history[1]
        shown = tree_text(app)
        assert shown.startswith("why · turn 2 (2021 Q2)")
        names = list(dict.fromkeys(c.name for c in report.trace))
        top = [n.label.plain.split(" ")[0] for n in app.view.query_one(WhyTree).root.children]
        assert top == names
        for change in report.trace:
            if change.why:
                assert change.why in shown


async def test_play_pause_advances_a_turn_a_second(saved: Path) -> None:
    app = ReplayApp(open_replay(saved))
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.view.tick_seconds == 1.0
        # The test is the clock: the real timer must never fire, however busy the machine.
        app.view.tick_seconds = 24 * 3600.0
        await pilot.press("space")
        assert app.view.playing and "▶ playing" in text(app, "#status")
        app.view._tick()  # what the one-second timer calls
        app.view._tick()
        assert app.view.position == 3
        await pilot.press("space")
        assert not app.view.playing and "paused" in text(app, "#status")
        await pilot.press("end", "space")  # play from the end starts over
        assert app.view.playing and app.view.position == 1
        for _ in range(20):
            app.view._tick()
        assert app.view.position == 12 and not app.view.playing  # stops at the last turn


async def test_jump_to_a_turn(saved: Path) -> None:
    app = ReplayApp(open_replay(saved))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("g")
        box = app.view.query_one("#jump", Input)
        assert box.display and box.has_focus
        await pilot.press("9", "enter")
        assert app.view.position == 9 and not box.display
        await pilot.press("g", "4", "2", "enter")
        assert app.view.position == 9 and box.display  # no turn 42: says so, stays open
        await pilot.press("escape")
        assert not box.display
        await pilot.press("g", "q", "escape")  # typing q in the box does not quit
        assert app.is_running


async def test_viewpoints_hide_what_a_role_did_not_know(saved: Path, game: Game) -> None:
    app = ReplayApp(open_replay(saved))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("right")
        report = game.history[1]
        everyone = text(app, "#turn")
        assert "Scores" in everyone and "seen by: all" in text(app, "#status")
        await pilot.press("v")
        assert app.view.viewpoint == "washington" and "seen by: Washington" in text(app, "#status")
        mine = text(app, "#turn")
        assert "Washington's objectives" in mine
        assert "tokyo.capital" not in mine and "seoul.capital" not in mine
        assert "washington.capital" in mine
        for outcome in report.outcomes:  # everyone's outcomes stay visible
            assert outcome.action in mine
        # Nor in the why tree, not even as an input of a change Washington may see...
        assert "tokyo.capital" not in tree_text(app) and "seoul.capital" not in tree_text(app)
        # ...though the turn's trace reads them (so the checks above can fail).
        assert {"tokyo.capital", "seoul.capital"} & {n for c in report.trace for n, _ in c.inputs}
        await pilot.press("v", "v", "v")
        assert app.view.viewpoint == "all"


async def test_as_role_fixes_the_viewpoint(saved: Path) -> None:
    app = ReplayApp(open_replay(saved), role="seoul")
    async with app.run_test(size=(100, 30)) as pilot:
        assert "seen by: Seoul (--as)" in text(app, "#status")
        await pilot.press("v")
        assert app.view.viewpoint == "seoul"


async def test_fork_from_here_writes_a_new_save(saved: Path, game: Game, tmp_path: Path) -> None:
    app = ReplayApp(open_replay(saved))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("right", "right", "right", "f")  # turn 4
        assert app.view.last_fork is not None
        assert "forked at turn 4" in text(app, "#status")
    fork = load_game(app.view.last_fork)
    parent = fork.file.parent
    assert app.view.last_fork.parent == tmp_path and parent is not None
    assert (parent.file, parent.game_id, parent.turn) == ("match.json", "m1", 4)
    assert fork.game.turn == 4 and fork.game.history == game.history[:3]


async def test_a_turn_that_does_not_replay_is_flagged(saved: Path) -> None:
    doc = json.loads(saved.read_text())
    doc["turns"][1]["orders"]["washington"] = [{"action": "joint_exercise"}]
    saved.write_bytes(sign_bytes(json.dumps(doc).encode()))
    app = ReplayApp(open_replay(saved))
    async with app.run_test(size=(100, 30)) as pilot:
        assert not app.view.query_one("#warning").display
        await pilot.press("right")
        assert app.view.query_one("#warning").display
        assert "does not replay as saved: turn 2" in text(app, "#warning")


async def test_quit(saved: Path) -> None:
    app = ReplayApp(open_replay(saved))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("q")
        assert not app.is_running


async def test_a_game_with_no_turns(tmp_path: Path, game: Game) -> None:
    empty = save_game_to(Game(game.content, 1), tmp_path / "empty.json", seats=SEATS)
    app = ReplayApp(open_replay(empty))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("right", "end", "f", "space")
        assert "no turns were played" in text(app, "#status")


# ---------------------------------------------------------------------------- in the game app


class Host(App[None]):
    """Stands in for the game app: pushes the screens and keeps what they return."""

    def __init__(self, screen: Screen[Path | None]) -> None:
        super().__init__()
        self.first = screen
        self.results: list[Path | None] = []

    def on_mount(self) -> None:
        self.push_screen(self.first, self.results.append)


async def test_the_replay_screen_inside_another_app(saved: Path) -> None:
    app = Host(ReplayScreen(open_replay(saved)))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("end", "f", "q")
        assert app.is_running and len(app.results) == 1
        fork = app.results[0]
        assert fork is not None and fork.name == "match-fork-t12.json"


async def test_the_load_screen_lists_and_continues_saves(saved: Path, game: Game,
                                                         tmp_path: Path) -> None:
    autosave(game, seats=SEATS, folder=tmp_path, game_id="m1")
    (tmp_path / "broken.json").write_text("{")
    os.utime(tmp_path / "broken.json", (1, 1))  # the oldest: listed last
    app = Host(LoadScreen(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LoadScreen)
        table = screen.query_one(DataTable)
        assert table.row_count == 3
        names = [info.name for info in screen.saves]
        assert names[-1] == "broken" and set(names) == {"match", "autosave-m1", "broken"}
        row = table.get_row_at(0)
        # Columns: name, turn, sound, saved, kind, scenario, seats; a finished game is "over".
        assert str(row[5]) == "convenor" and row[1] == "over (12 turns)"
        assert "W:human" in str(row[6])
        await pilot.press("end")  # the broken one: says why, cannot be continued
        await pilot.press("down", "down")
        assert screen.current() is not None and screen.current().name == "broken"
        assert "cut short" in str(screen.query_one("#detail", Static).render())
        await pilot.press("enter")
        assert app.results == []
        await pilot.press("up", "r")  # replay a sound one in the viewer, then back
        assert isinstance(app.screen, ReplayScreen)
        await pilot.press("q")
        assert app.screen is screen
        await pilot.press("enter")
        assert app.results == [screen.saves[1].path]


async def test_the_viewer_shows_the_board_and_has_help(saved: Path, game: Game) -> None:
    from wargame.tui.screens.help import HelpScreen
    from wargame.tui.widgets.triangle import Triangle

    app = ReplayApp(open_replay(saved))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        board = app.view.query_one(Triangle)
        assert board.display
        after = game.history[0].after
        assert board.values["us_japan.trust"] == after["us_japan.trust"]
        await pilot.press("right")
        assert board.values["us_japan.trust"] == game.history[1].after["us_japan.trust"]
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert "fork" in app.screen.screen_help
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
