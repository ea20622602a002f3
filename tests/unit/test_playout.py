"""The trace-free playout path reaches exactly what the traced path reaches: the same
values, scores and state hashes, turn by turn, whatever the orders (legal, refused,
repeated), over many seeds, bots and both scenarios."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wargame.engine.bots import BOTS, bot_for
from wargame.engine.content import Content
from wargame.engine.game import Game
from wargame.engine.playout import Playout, play_game
from wargame.engine.state import Order, Value
from wargame.storage.content_loader import load_content

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ("convenor", "low-water-mark")


@pytest.fixture(scope="module", params=SCENARIOS)
def content(request: pytest.FixtureRequest) -> Content:
    return load_content(ROOT / "scenarios" / f"{request.param}.yaml")


def _side_by_side(content: Content, seed: int, turns: list[dict[str, tuple[Order, ...]]]) -> None:
    game = Game(content, seed)
    p = Playout.start(content, seed)
    assert p.hash() == game.state.hash()
    for orders in turns:
        if game.is_over():
            break
        report = game.resolve(orders)
        assert p.resolve_hashed(orders) == report.hash
        assert p.hash() == game.state.hash()
        assert p.values() == dict(game.state.values)
        assert p.scores() == game.scores()
        assert p.turn == game.turn


MIXES = [
    ("random", "random", "random"),
    ("heuristic", "heuristic", "heuristic"),
    ("heuristic", "random", "pass"),
    ("pass", "heuristic", "random"),
]


@pytest.mark.parametrize("mix", MIXES, ids="-".join)
def test_bots_play_the_same_game_on_both_paths(content: Content, mix: tuple[str, ...]) -> None:
    kinds = dict(zip(content.role_ids, mix, strict=True))
    for seed in range(6 if "heuristic" in mix else 25):
        game = Game(content, seed)
        while not game.is_over():
            game.resolve({role: BOTS[kind](game, role) for role, kind in kinds.items()})
        fast = play_game(content, seed, kinds, hashes=True)
        assert list(fast.orders) == [
            {r: tuple(o) for r, o in turn.items()} for turn in game.orders_history()
        ]
        assert list(fast.hashes) == [r.hash for r in game.history]
        assert dict(fast.scores) == game.scores()
        assert dict(fast.values) == dict(game.state.values)


def _orders(content: Content, picks: list[list[int]]) -> dict[str, tuple[Order, ...]]:
    """Any orders at all, legal or not, repeats included: indices into all of a role's
    actions, plus one action no role has."""
    out = {}
    for role, chosen in zip(content.role_ids, picks, strict=False):
        actions = content.actions[role]
        out[role] = tuple(
            Order(actions[i].id, actions[i].target) if i < len(actions) else Order("no_such")
            for i in chosen
        )
    return out


@settings(max_examples=40, deadline=None)
@given(
    scenario=st.sampled_from(SCENARIOS),
    seed=st.integers(0, 2**32),
    turns=st.lists(
        st.lists(st.lists(st.integers(0, 15), max_size=4), min_size=3, max_size=3),
        min_size=1,
        max_size=12,
    ),
)
def test_any_orders_give_the_same_hashes_on_both_paths(
    scenario: str, seed: int, turns: list[list[list[int]]]
) -> None:
    content = load_content(ROOT / "scenarios" / f"{scenario}.yaml")
    _side_by_side(content, seed, [_orders(content, t) for t in turns])


def test_a_playout_forked_from_a_game_leaves_the_game_alone(content: Content) -> None:
    game = Game(content, 5)
    before = game.state.hash()
    p = Playout.from_state(content, game.state)
    fork = p.copy()
    fork.resolve({"tokyo": (Order("bilateral_talks"),)})
    assert game.state.hash() == before
    assert p.hash() == before
    assert fork.turn == p.turn + 1


def test_an_unknown_bot_kind_is_refused_with_the_kinds() -> None:
    with pytest.raises(ValueError, match="one of: random, heuristic"):
        bot_for("genius")
    assert "genius" not in BOTS
    assert "random" in BOTS


Seen = tuple[int, dict[str, Value], dict[str, int], list[str]]


def test_the_turn_end_hook_sees_what_the_turn_report_shows(content: Content) -> None:
    # resolve(orders, ended): called once a turn, after the turn and before the next
    # turn's events, so it reads what TurnReport.after/.scores hold (not the next events').
    bots = {role: bot_for("random") for role in content.role_ids}
    for seed in range(4):
        game = Game(content, seed)
        p = Playout.start(content, seed)
        seen: list[Seen] = []

        def note(q: Playout, seen: list[Seen] = seen) -> None:
            seen.append((q.turn, q.values(), q.scores(), list(q.event_ids)))

        while not p.over:
            orders = {role: bot(p, role) for role, bot in bots.items()}
            report = game.resolve(orders)
            p.resolve(orders, note)
            turn, values, scores, events = seen[-1]
            assert turn == report.turn + 1 and events == []
            assert values == dict(report.after) and scores == dict(report.scores)
        assert len(seen) == content.turns
