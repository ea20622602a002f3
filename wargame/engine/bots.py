"""Bots that can take any seat. Each draws only from a stream derived from the game's
seeded generator, role and turn, so a bot's choice is reproducible and never shifts the
game's own rolls.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from wargame.engine.content import Content
from wargame.engine.game import ActionOption, Game
from wargame.engine.resolve import resolve_turn, scores
from wargame.engine.rng import Rng
from wargame.engine.state import GameState, Order

MAX_ORDERS = 3


def _bot_rng(state: GameState, role: str, kind: str) -> Rng:
    return Rng(state.rng).derive(f"bot:{kind}:{role}:{state.turn}")


def _affordable(
    options: list[ActionOption], capital: float, chosen: list[Order]
) -> list[ActionOption]:
    taken = {o.key for o in chosen}
    return [
        o
        for o in options
        if o.legal and o.cost <= capital and o.order.key not in taken and o.action.id != "pass"
    ]


def random_orders(game: Game, role: str) -> tuple[Order, ...]:
    """Uniform over legal orders: each step picks an affordable action or stops, equal odds."""
    rng = _bot_rng(game.state, role, "random")
    options = game.legal_actions(role)
    capital = float(game.state.values[f"{role}.capital"])
    chosen: list[Order] = []
    while len(chosen) < MAX_ORDERS:
        choices = _affordable(options, capital, chosen)
        if not choices:
            break
        pick = rng.below(len(choices) + 1)
        if pick == len(choices):
            break
        option = choices[pick]
        chosen.append(option.order)
        capital -= option.cost
    return tuple(chosen)


def _value(content: Content, state: GameState, role: str) -> float:
    # Own objectives first; own approval and capital break ties so a bot is not reckless.
    standing = scores(content, state)[role]
    return (
        standing
        + 0.02 * float(state.values[f"{role}.approval"])
        + 0.05 * float(state.values[f"{role}.capital"])
    )


def heuristic_orders(game: Game, role: str) -> tuple[Order, ...]:
    """Greedy one-turn look-ahead on its own objectives, nudged by each action's `ai` weight.

    Other roles are assumed to pass; chance is rolled on the bot's own stream, so it cannot
    see the game's real dice.
    """
    content = game.content
    rng = _bot_rng(game.state, role, "heuristic")
    probe_state = attrs.evolve(game.state, rng=rng.derive("lookahead").snapshot())
    options = game.legal_actions(role)
    capital = float(game.state.values[f"{role}.capital"])

    def worth(orders: list[Order], weight: float) -> float:
        after, _ = resolve_turn(content, probe_state, {role: tuple(orders)})
        # Small jitter from the bot's stream keeps equal choices from always going one way.
        return _value(content, after, role) + weight + rng.random() * 0.01

    chosen: list[Order] = []
    weight = 0.0
    best = worth(chosen, weight)
    while len(chosen) < MAX_ORDERS:
        pick: tuple[float, ActionOption] | None = None
        for option in _affordable(options, capital, chosen):
            score = worth([*chosen, option.order], weight + option.action.ai_weight)
            if pick is None or score > pick[0]:
                pick = (score, option)
        if pick is None or pick[0] <= best:
            break
        best = pick[0]
        chosen.append(pick[1].order)
        weight += pick[1].action.ai_weight
        capital -= pick[1].cost
    return tuple(chosen)


def pass_orders(game: Game, role: str) -> tuple[Order, ...]:
    return ()


BOTS: dict[str, Callable[[Game, str], tuple[Order, ...]]] = {
    "random": random_orders,
    "heuristic": heuristic_orders,
    "pass": pass_orders,
}
