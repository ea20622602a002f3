"""Programs in seats, as real processes: what they are sent, how they misbehave, and that
they are stopped at the end with their stderr in a log."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from wargame.engine.bots import BOTS
from wargame.engine.content import Content
from wargame.engine.game import Game
from wargame.seats.agent import AgentSeat
from wargame.seats.protocol import encode, turn_message
from wargame.seats.spec import AgentOptions, open_seat

AGENTS = Path(__file__).resolve().parents[1] / "fixtures" / "agents"


def agent(name: str, *args: str) -> str:
    return " ".join([sys.executable, str(AGENTS / name), *args])


def play(game: Game, seat: AgentSeat, budget_after_turn_1: float | None = None) -> None:
    try:
        while not game.is_over():
            for role in game.content.role_ids:
                bot = seat if role == seat.role else BOTS["random"]
                game.submit(role, bot(game, role))
            game.resolve()
            if budget_after_turn_1 is not None:
                seat.time_budget = budget_after_turn_1
    finally:
        seat.finish(game)


def test_the_agent_never_receives_another_roles_hidden_values(
    convenor: Content, tmp_path: Path
) -> None:
    record = tmp_path / "sent.jsonl"
    seat = open_seat("tokyo", agent("recorder.py", str(record)), convenor,
                     AgentOptions(log_dir=tmp_path))
    game = Game(convenor, 11)
    unsubmitted: dict[int, dict[str, Any]] = {}
    try:
        while not game.is_over():
            # What Tokyo would be sent if nobody had submitted yet...
            unsubmitted[game.turn] = json.loads(encode(turn_message(game, "tokyo")))
            # ...then Washington and Seoul submit first, so their orders are pending while
            # Tokyo's agent is asked.
            for role in ("washington", "seoul"):
                game.submit(role, BOTS["random"](game, role))
            game.submit("tokyo", seat(game, "tokyo"))
            game.resolve()
    finally:
        seat.finish(game)
    text = record.read_text()
    lines = text.splitlines()
    assert lines[-1] == "END"
    messages = [json.loads(line) for line in lines[:-1]]
    assert [m["type"] for m in messages].count("turn") == convenor.turns
    assert [m["type"] for m in messages][-2:] == ["report", "end"]
    # No other role's capital anywhere in anything sent, under any key or in any sentence.
    for other in ("washington", "seoul"):
        assert f"{other}.capital" not in text
    capital_words = [m for m in messages if m["type"] == "report"
                     for o in m["report"]["outcomes"]
                     if o["role"] != "tokyo" and "capital;" in o["why"]]
    assert capital_words == []
    assert all("hash" not in m.get("report", {}) for m in messages)
    # The others' pending orders change nothing in what Tokyo is sent but who has submitted
    # (their orders show in the next turn's report).
    for m in messages:
        if m["type"] != "turn":
            continue
        assert m["view"]["submitted"] == {"washington": True, "tokyo": False, "seoul": True}
        expected = unsubmitted[m["turn"]]
        assert {**m, "view": {**m["view"], "submitted": None}} == {
            **expected, "view": {**expected["view"], "submitted": None}
        }
    reports = {m["turn"]: m["report"] for m in messages if m["type"] == "report"}
    for report in game.history:
        played = {r: [o.key for o in orders] for r, orders in report.orders.items() if orders}
        assert reports[report.turn]["orders"] == played
    # It played: its rationale is kept, its stderr is in the log, and it exited by itself.
    assert seat.errors == [] and len(seat.rationales) == convenor.turns
    log = next(tmp_path.glob("tokyo-*.log")).read_text()
    assert "thinking about turn 1" in log
    assert seat.transport.proc.returncode == 0  # type: ignore[attr-defined]


# Where lateness is not what a test is about, the budget is far beyond any busy machine's delay,
# so only the misbehaviour under test can produce an error.
LOAD_PROOF = 120.0


def test_a_late_reply_is_an_error_and_is_not_taken_for_the_next_turn(
    convenor: Content, tmp_path: Path
) -> None:
    # The agent answers turn 1 only after the seat gave up on it (no clock decides that), and
    # every later turn has a budget no busy machine reaches: exactly turn 1 is late.
    seat = open_seat("seoul", agent("misbehave.py", "late"), convenor,
                     AgentOptions(time_budget=0.5, log_dir=tmp_path))
    game = Game(convenor, 2)
    play(game, seat, budget_after_turn_1=LOAD_PROOF)
    assert game.is_over()
    assert [(e.turn, e.message) for e in seat.errors] == [
        (1, "no reply within 0.5 s; seoul passes this turn")
    ]
    # The late answer to turn 1 was not taken for turn 2's, nor any later turn's.
    assert seat.rationales == {t: f"t{t}" for t in range(2, convenor.turns + 1)}


def test_a_crashed_agent_passes_for_the_rest_of_the_game(
    convenor: Content, tmp_path: Path
) -> None:
    seat = open_seat("tokyo", agent("misbehave.py", "crash"), convenor,
                     AgentOptions(log_dir=tmp_path, fallback="heuristic", time_budget=LOAD_PROOF))
    game = Game(convenor, 2)
    play(game, seat)
    assert game.is_over()
    assert [(e.turn, e.message) for e in seat.errors] == [
        (2, "the agent exited (code 3); the heuristic bot plays for tokyo for the rest of the game")
    ]
    assert "crashing now" in next(tmp_path.glob("tokyo-*.log")).read_text()


def test_garbage_and_an_over_long_line_are_errors(convenor: Content, tmp_path: Path) -> None:
    seat = open_seat("tokyo", agent("misbehave.py", "garbage"), convenor,
                     AgentOptions(log_dir=tmp_path, time_budget=LOAD_PROOF))
    game = Game(convenor, 2)
    play(game, seat)
    assert game.is_over()
    assert [(e.turn, e.message.split(";")[0]) for e in seat.errors] == [
        (1, "reply is not UTF-8 text (byte 0)"),
        (2, "reply line longer than 1 MiB"),
    ]
    assert set(seat.rationales) == set(range(3, convenor.turns + 1))


@pytest.mark.timeout(60)
def test_an_agent_that_will_not_exit_is_stopped(convenor: Content, tmp_path: Path) -> None:
    seat = open_seat("tokyo", agent("misbehave.py", "ignore-eof"), convenor,
                     AgentOptions(log_dir=tmp_path, time_budget=LOAD_PROOF))
    seat.transport.grace = 0.5  # type: ignore[attr-defined]
    game = Game(convenor, 2)
    play(game, seat)
    proc = seat.transport.proc  # type: ignore[attr-defined]
    assert proc.poll() is not None and proc.returncode != 0  # terminated, not exited
    assert seat.errors == []
