"""An LLM seat against a fake OpenAI-compatible endpoint on 127.0.0.1 (no network):
the prompt is built from the role's view and the scenario's texts, replies become orders
with a rationale, and a bad reply is retried once."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from wargame.engine.bots import BOTS
from wargame.engine.content import Content
from wargame.engine.game import Game
from wargame.seats.spec import AgentOptions, open_seat


class FakeModel:
    """Answers chat completions from a script of answers (strings), last one repeated;
    keeps every request it got."""

    def __init__(self) -> None:
        self.answers: list[str] = []
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        model = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                model.requests.append(body)
                model.headers.append(dict(self.headers))
                if self.path != "/v1/chat/completions":
                    self.send_response(404)
                    self.end_headers()
                    return
                text = model.answers.pop(0) if len(model.answers) > 1 else model.answers[0]
                data = json.dumps({"choices": [{"message": {"role": "assistant",
                                                            "content": text}}]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_model() -> Iterator[FakeModel]:
    model = FakeModel()
    yield model
    model.stop()


def play(game: Game, seat: Any) -> None:
    try:
        while not game.is_over():
            for role in game.content.role_ids:
                bot = seat if role == seat.role else BOTS["pass"]
                game.submit(role, bot(game, role))
            game.resolve()
    finally:
        seat.finish(game)


def test_the_llm_seat_plays_from_a_prompt_of_the_view_and_the_scenario_texts(
    convenor: Content, fake_model: FakeModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WARGAME_LLM_API_KEY", "sk-test")
    fake_model.answers = [
        'Here is my plan:\n```json\n{"orders": ["attend_trilateral"], '
        '"rationale": "Show up; cover matters."}\n```'
    ]
    seat = open_seat("tokyo", f"llm:{fake_model.url}", convenor,
                     AgentOptions(llm_model="tiny-test-model"))
    game = Game(convenor, 3)
    play(game, seat)
    assert seat.errors == []
    assert seat.rationales == dict.fromkeys(range(1, convenor.turns + 1),
                                            "Show up; cover matters.")
    assert [[o.key for o in r.orders["tokyo"]] for r in game.history] == [
        ["attend_trilateral"]
    ] * convenor.turns
    first = fake_model.requests[0]
    assert first["model"] == "tiny-test-model"
    assert fake_model.headers[0]["Authorization"] == "Bearer sk-test"
    prompt = first["messages"][-1]["content"]
    tokyo = convenor.role("tokyo")
    assert convenor.title in prompt and tokyo.name in prompt
    assert all(o.text in prompt for o in convenor.objectives if o.role == "tokyo")
    legal = [o.action for o in Game(convenor, 3).legal_actions("tokyo") if o.legal]
    assert legal and all(a.title in prompt and a.text in prompt for a in legal)
    assert "attend_trilateral" in prompt and "tokyo.capital" in prompt
    for request in fake_model.requests:
        text = json.dumps(request)
        assert "seoul.capital" not in text and "washington.capital" not in text


def test_a_malformed_answer_is_retried_once_then_the_seat_passes(
    convenor: Content, fake_model: FakeModel
) -> None:
    fake_model.answers = [
        "I think Tokyo should attend.",  # turn 1: no JSON...
        '{"orders": ["bilateral_talks"], "rationale": "talk"}',  # ...the retry is good
        '{"orders": ["side_with:tokyo"]}',  # turn 2: not Tokyo's order
        '{"orders": "all of them"}',  # and its retry is bad too
        '{"orders": [], "rationale": "wait"}',  # then good for the rest
    ]
    seat = open_seat("tokyo", f"llm:{fake_model.url}", convenor, AgentOptions())
    game = Game(convenor, 3)
    play(game, seat)
    assert game.is_over()
    assert seat.rationales[1] == "talk"
    assert [o.key for o in game.history[0].orders["tokyo"]] == ["bilateral_talks"]
    assert [(e.turn, e.message) for e in seat.errors] == [(
        2, "the model's answer could not be used twice: "
        '"orders" must be a list (empty to pass); tokyo passes this turn',
    )]
    retry = fake_model.requests[1]["messages"]
    assert retry[-2] == {"role": "assistant", "content": "I think Tokyo should attend."}
    assert "the answer holds no JSON object" in retry[-1]["content"]
    assert len(fake_model.requests) == 4 + (convenor.turns - 2)


def test_an_unreachable_endpoint_is_an_error_each_turn_and_the_game_goes_on(
    convenor: Content,
) -> None:
    seat = open_seat("seoul", "llm:http://127.0.0.1:9/v1", convenor,
                     AgentOptions(time_budget=5, fallback="heuristic"))
    game = Game(convenor, 3)
    play(game, seat)
    assert game.is_over() and len(seat.errors) == convenor.turns
    assert "the model endpoint cannot be reached" in seat.errors[0].message
    assert "the heuristic bot plays for seoul" in seat.errors[0].message


def test_wargame_run_with_an_llm_seat(convenor: Content, fake_model: FakeModel,
                                      tmp_path: Path) -> None:
    fake_model.answers = ['{"orders": ["attend_trilateral"], "rationale": "r"}']
    out = subprocess.run(
        [sys.executable, "-m", "wargame", "run", "convenor", "--turns", "2",
         "--agent", f"tokyo=llm:{fake_model.url}", "--agent-log", str(tmp_path)],
        capture_output=True, text=True, timeout=120,
    )
    assert out.returncode == 0, out.stderr
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert [line["agents"]["tokyo"] for line in lines] == [{"rationale": "r"}] * 2
    assert [line["orders"]["tokyo"] for line in lines] == [["attend_trilateral"]] * 2
