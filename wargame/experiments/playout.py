"""One bot-played game, kept as the little an experiment needs: each turn's orders, the
values after it, the standings and the state hash. No causal trace is kept: an analyst who
wants the why of one game replays it with `wargame run` (same scenario, seed and bots).
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from wargame.engine.bots import BOTS
from wargame.engine.content import Content
from wargame.engine.game import Game
from wargame.engine.resolve import resolve_turn
from wargame.engine.state import GameState, Order, Value


@attrs.frozen
class Turn:
    orders: Mapping[str, tuple[Order, ...]]
    after: Mapping[str, Value]  # values when the turn resolved, before next turn's events
    scores: Mapping[str, int]
    events: tuple[str, ...]  # ids of the events that opened this turn
    hash: str
    state: GameState  # the state after the turn, next turn's events fired


@attrs.frozen
class Playout:
    seed: int
    start: Mapping[str, Value]  # values as the first turn's orders are given
    turns: tuple[Turn, ...]
    final: GameState


def play(content: Content, seed: int, bots: Mapping[str, str]) -> Playout:
    """Every seat played by its bot from `seed`; the same game `wargame run` would play."""
    game = Game(content, seed)
    seats = [(role, BOTS[bots[role]]) for role in content.role_ids]
    first = game.state.values
    turns: list[Turn] = []
    while not game.is_over():
        state = game.state
        orders = {role: choose(game, role) for role, choose in seats}
        # resolve_turn directly: Game.resolve would also keep every state for take-back.
        game.state, report = resolve_turn(content, state, orders)
        turns.append(
            Turn(
                report.orders,
                report.after,
                report.scores,
                tuple(e.id for e in state.events),
                report.hash,
                game.state,
            )
        )
    return Playout(seed, first, tuple(turns), game.state)
