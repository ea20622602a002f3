"""The seat protocol without processes: messages built from the role's view, replies read
and checked, and a game that always goes on, whatever a seat answers."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wargame.engine.bots import BOTS
from wargame.engine.content import Content
from wargame.engine.game import Game
from wargame.engine.state import Order
from wargame.seats.agent import AgentSeat
from wargame.seats.protocol import ReplyError, encode, read_reply, turn_message
from wargame.seats.transport import SeatGone, SeatTimeout


class FakeTransport:
    """Answers every turn with `reply` (bytes, or an exception to raise); keeps what it got."""

    def __init__(self, reply: bytes | Exception) -> None:
        self.reply = reply
        self.sent: list[dict[str, Any]] = []
        self.closed = False

    def send(self, message: Mapping[str, Any]) -> None:
        self.sent.append(json.loads(encode(message)))  # exactly what would go on the wire

    def receive(self, timeout: float | None) -> bytes:
        if isinstance(self.reply, Exception):
            raise self.reply
        return self.reply

    def discard_pending(self) -> int:
        return 0

    def close(self) -> None:
        self.closed = True


def play(game: Game, seats: Mapping[str, Any]) -> None:
    while not game.is_over():
        for role in game.content.role_ids:
            seat = seats.get(role, BOTS["random"])
            game.submit(role, seat(game, role))
        game.resolve()
    for seat in seats.values():
        if isinstance(seat, AgentSeat):
            seat.finish(game)


def _line(doc: object) -> bytes:
    return json.dumps(doc).encode() + b"\n"


def malformed_replies(content: Content) -> list[bytes]:
    """Replies that are never usable from Tokyo, whatever the turn: broken JSON, wrong
    shapes, other roles' actions, duplicates, over any capital."""
    good = b'{"type": "orders", "orders": ["pass"], "rationale": "ok"}'
    replies = [good[:i] for i in range(len(good) - 1)]  # every truncation (the empty one too)
    replies += [
        b" ", b"hello", b"null", b"true", b"1", b'"orders"', b"[]", b"{}", b"NaN",
        b"{'type': 'orders', 'orders': []}", good + b" trailing", b"\xff\xfe\x00",
        b"[" * 100_000 + b"]" * 100_000,
    ]
    shapes: list[object] = [
        {"type": "order", "orders": []}, {"type": "orders"}, {"orders": []},
        {"type": "orders", "orders": None}, {"type": "orders", "orders": "pass"},
        {"type": "orders", "orders": {}}, {"type": "orders", "orders": 1},
        {"type": "orders", "orders": [1]}, {"type": "orders", "orders": [None]},
        {"type": "orders", "orders": [True]}, {"type": "orders", "orders": [[]]},
        {"type": "orders", "orders": [{}]}, {"type": "orders", "orders": [{"action": 1}]},
        {"type": "orders", "orders": [{"action": ""}]}, {"type": "orders", "orders": [""]},
        {"type": "orders", "orders": [":tokyo"]},
        {"type": "orders", "orders": [{"action": "pass", "target": 1}]},
        {"type": "orders", "orders": [{"action": "pass", "extra": 1}]},
        {"type": "orders", "orders": [], "rationale": 1},
        {"type": "orders", "orders": [], "rationale": []},
        {"type": "orders", "orders": [], "turn": "1"},
        {"type": "orders", "orders": [], "turn": True},
        {"type": "orders", "orders": [], "turn": 999},
        {"type": "orders", "orders": [], "foo": 1},
        {"type": "orders", "orders": ["pass"] * 21},
        {"type": "orders", "orders": ["bilateral_talks", "bilateral_talks"]},
        {"type": "orders", "orders": [a.key for a in content.actions["tokyo"]]},
        {"type": "orders", "orders": ["pass:seoul"]},
    ]
    tokyo = {a.id for a in content.actions["tokyo"]}
    others = sorted({a.key for r in ("washington", "seoul") for a in content.actions[r]}
                    - tokyo)
    shapes += [{"type": "orders", "orders": [key]} for key in others]
    return replies + [_line(s) for s in shapes]


def test_at_least_100_malformed_replies_each_reported_and_every_game_finishes(
    convenor: Content,
) -> None:
    replies = malformed_replies(convenor)
    assert len(replies) >= 100
    for reply in replies:
        transport = FakeTransport(reply)
        seat = AgentSeat("tokyo", transport)
        game = Game(convenor, 5)
        play(game, {"tokyo": seat})
        assert game.is_over(), reply[:60]
        assert [e.turn for e in seat.errors] == list(range(1, convenor.turns + 1)), reply[:60]
        errors = [m for m in transport.sent if m["type"] == "error"]
        assert [(m["turn"], m["message"]) for m in errors] == [
            (e.turn, e.message) for e in seat.errors
        ]
        assert all(m["message"].endswith("tokyo passes this turn") for m in errors)
        assert all(r.orders.get("tokyo", ()) == () for r in game.history), reply[:60]
        assert transport.sent[-1]["type"] == "end" and transport.closed


def test_a_bad_reply_lets_the_fallback_bot_play(convenor: Content) -> None:
    seat = AgentSeat("tokyo", FakeTransport(b"nonsense\n"), fallback=BOTS["heuristic"],
                     fallback_name="heuristic")
    game, twin = Game(convenor, 7), Game(convenor, 7)
    play(game, {"tokyo": seat, "seoul": BOTS["pass"], "washington": BOTS["pass"]})
    play_bots = {"tokyo": BOTS["heuristic"], "seoul": BOTS["pass"], "washington": BOTS["pass"]}
    while not twin.is_over():
        for role, bot in play_bots.items():
            twin.submit(role, bot(twin, role))
        twin.resolve()
    assert game.orders_history() == twin.orders_history()
    assert "the heuristic bot plays for tokyo this turn" in seat.errors[0].message


@pytest.mark.parametrize(("problem", "said"), [
    (SeatTimeout(), "no reply within 10 s; tokyo passes this turn"),
    (SeatGone("the agent exited (code 3)"),
     "the agent exited (code 3); tokyo passes for the rest of the game"),
])
def test_late_and_vanished_seats_pass(convenor: Content, problem: Exception, said: str) -> None:
    transport = FakeTransport(problem)
    seat = AgentSeat("tokyo", transport)
    game = Game(convenor, 1)
    play(game, {"tokyo": seat})
    assert game.is_over() and seat.errors[0].message == said
    gone = isinstance(problem, SeatGone)
    assert len(seat.errors) == (1 if gone else convenor.turns)
    turns_sent = [m for m in transport.sent if m["type"] == "turn"]
    assert len(turns_sent) == (1 if gone else convenor.turns)


def test_good_replies_are_played_and_rationale_kept(convenor: Content) -> None:
    game = Game(convenor, 3)
    legal = [m["order"] for m in turn_message(game, "tokyo")["legal"] if m["action"] != "pass"]
    reply = _line({"type": "orders", "orders": [legal[0]], "rationale": "why not", "turn": 1})
    seat = AgentSeat("tokyo", FakeTransport(reply))
    assert seat(game, "tokyo") == (Order(*legal[0].partition(":")[::2]) if ":" in legal[0]
                                   else Order(legal[0]),)
    assert seat.rationales == {1: "why not"} and seat.errors == []


def test_orders_as_objects_and_strings_read_the_same(convenor: Content) -> None:
    game = Game(convenor, 3)
    a = read_reply(_line({"type": "orders", "orders": ["bilateral_talks"]}), game, "tokyo")
    b = read_reply(_line({"type": "orders", "orders": [{"action": "bilateral_talks"}]}), game,
                   "tokyo")
    assert a.orders == b.orders == (Order("bilateral_talks"),)
    with pytest.raises(ReplyError, match="no action 'nuke'"):
        read_reply(_line({"type": "orders", "orders": ["nuke"]}), game, "tokyo")


def test_the_turn_message_is_the_role_view_and_its_legal_orders(convenor: Content) -> None:
    game = Game(convenor, 3)
    msg = turn_message(game, "seoul")
    assert msg["type"] == "turn" and msg["role"] == "seoul" and msg["turn"] == 1
    assert msg["view"]["capital"] == game.state.values["seoul.capital"]
    assert "tokyo.capital" not in msg["view"]["values"]
    legal = {o.order.key for o in game.legal_actions("seoul") if o.legal}
    assert {m["order"] for m in msg["legal"]} == legal
    assert all(m["title"] and "cost" in m for m in msg["legal"])


@settings(max_examples=300, deadline=None)
@given(st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300).map(str.encode),
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
        lambda inner: st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(["type", "orders", "rationale", "turn", "action",
                                           "target", "x"]), inner, max_size=5),
        max_leaves=20,
    ).map(lambda doc: json.dumps(doc).encode()),
))
def test_any_reply_is_read_or_answered_with_a_reply_error(convenor: Content, line: bytes) -> None:
    game = Game(convenor, 1)
    try:
        reply = read_reply(line, game, "tokyo")
    except ReplyError as err:
        assert str(err)
    else:
        assert not game.validate_orders("tokyo", reply.orders)
