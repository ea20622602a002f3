"""An agent in a seat of the terminal game: it plays off the UI thread through the same seat
interface as the bots, its bad replies show as notifications, and it is stopped at the end."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from wargame.seats.spec import AgentOptions
from wargame.tui.app import WargameApp
from wargame.tui.launch import build_session
from wargame.tui.screens.end import EndScreen
from wargame.tui.screens.game import GameScreen
from wargame.tui.screens.report import ReportScreen
from wargame.tui.session import AGENT, HUMAN, Session

AGENTS = Path(__file__).resolve().parents[1] / "fixtures" / "agents"


async def test_a_human_plays_against_an_agent_seat(tmp_path: Path) -> None:
    record = tmp_path / "sent.jsonl"
    seats = {"washington": HUMAN, "tokyo": AGENT, "seoul": "heuristic"}
    session = build_session(
        "convenor", seats, 5,
        {"tokyo": f"{sys.executable} {AGENTS / 'recorder.py'} {record}"},
        AgentOptions(log_dir=tmp_path),
    )
    assert isinstance(session, Session), session
    assert session.seat_text("tokyo") == "agent"
    app = WargameApp(save_folder=tmp_path, seed=5, start=session)
    app.animation_level = "none"
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            for turn in range(1, session.content.turns + 1):
                assert isinstance(app.screen, GameScreen)
                await pilot.press("s")  # Washington passes
                await app.settle()
                await pilot.pause()
                await pilot.pause()
                assert isinstance(app.screen, ReportScreen)
                report = session.game.history[-1]
                assert report.turn == turn and report.orders.get("tokyo"), "the agent played"
                await pilot.press("enter")
            assert isinstance(app.screen, EndScreen)
    finally:
        session.close()
    sent = record.read_text().splitlines()
    assert sent[-1] == "END"
    kinds = [json.loads(line)["type"] for line in sent[:-1]]
    assert kinds.count("turn") == session.content.turns and kinds[-1] == "end"
    assert all("seoul.capital" not in line for line in sent)
    seat = session.agents["tokyo"]
    assert seat.errors == [] and len(seat.rationales) == session.content.turns  # type: ignore[attr-defined]
    assert seat.transport.proc.returncode == 0  # type: ignore[attr-defined]


async def test_an_agents_bad_reply_is_a_notification_and_the_game_goes_on(tmp_path: Path
                                                                          ) -> None:
    from functools import partial

    from wargame.tui.launch import _notify

    seats = {"washington": HUMAN, "tokyo": "heuristic", "seoul": AGENT}
    session = build_session(
        "convenor", seats, 5,
        {"seoul": f"{sys.executable} {AGENTS / 'misbehave.py'} garbage"},
        AgentOptions(log_dir=tmp_path),
    )
    assert isinstance(session, Session), session
    app = WargameApp(save_folder=tmp_path, seed=5, start=session)
    app.animation_level = "none"
    session.agents["seoul"].on_error = partial(_notify, app)  # type: ignore[attr-defined]
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await pilot.press("s")
            await app.settle()
            await pilot.pause()
            await pilot.pause()
            assert isinstance(app.screen, ReportScreen)
            notes = [n.message for n in app._notifications]
            assert any("seoul's agent, turn 1: reply is not UTF-8" in n for n in notes), notes
    finally:
        session.close()


def test_play_agent_usage_errors(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from wargame.cli import main

    assert main(["play", "convenor", "--as", "tokyo", "--agent", "tokyo=python x.py"]) == 2
    assert "tokyo is named by both --as and --agent" in capsys.readouterr().err
    assert main(["play", "convenor", "--agent", "tokio=python x.py"]) == 2
    assert "has no role 'tokio'" in capsys.readouterr().err
