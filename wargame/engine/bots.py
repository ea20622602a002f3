"""Bots that can take any seat. Each draws only from a stream derived from the game's
seeded generator, role and turn, so a bot's choice is reproducible and never shifts the
game's own rolls.

A bot is a function of a trace-free position (wargame.engine.playout.Playout) and a role.
`BOTS[kind](game, role)` runs one on a Game; `bot_for(kind)` gives the Playout form for
look-ahead and mass play. A kind may take a parameter after a colon: `search:200` is the
search bot with a budget of 200 iterations a decision.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

import attrs

from wargame.engine.content import Action
from wargame.engine.game import Game
from wargame.engine.playout import Bot, Playout
from wargame.engine.rng import Rng
from wargame.engine.state import Order

MAX_ORDERS = 3


def _orders(actions: list[Action]) -> tuple[Order, ...]:
    return tuple(Order(a.id, a.target) for a in actions)


def random_bot(p: Playout, role: str) -> tuple[Order, ...]:
    """Uniform over legal orders: each step picks an affordable action or stops, equal odds."""
    rng = p.bot_rng(role, "random")
    left = p.legal(role)  # in content order; a chosen action leaves it
    capital = p.capital(role)
    chosen: list[Action] = []
    while len(chosen) < MAX_ORDERS:
        choices = [a for a in left if a.cost <= capital]
        if not choices:
            break
        pick = rng.below(len(choices) + 1)
        if pick == len(choices):
            break
        action = choices[pick]
        chosen.append(action)
        capital -= action.cost
        left = [a for a in left if a is not action]
        if not p.content.required_names.isdisjoint(action.ordered_names):
            left = p.legal(role, chosen, among=left)  # it may rule out a later order
    return _orders(chosen)


def value(p: Playout, role: str) -> float:
    """A role's score now, with its own approval and capital to break ties (so a bot is not
    reckless)."""
    return (
        p.scores()[role]
        + 0.02 * float(p.env[f"{role}.approval"])
        + 0.05 * float(p.env[p.content.capital_name[role]])
    )


def heuristic_bot(p: Playout, role: str) -> tuple[Order, ...]:
    """Greedy one-turn look-ahead on its own objectives, nudged by each action's `ai` weight.

    Other roles are assumed to pass; chance is rolled on the bot's own stream, so it cannot
    see the game's real dice.
    """
    rng = p.bot_rng(role, "heuristic")
    probe = p.copy(rng=rng.derive("lookahead"))
    legal = p.legal(role)
    capital = p.capital(role)

    def worth(actions: list[Action], weight: float) -> float:
        after = probe.copy()
        after.resolve({role: _orders(actions)})
        # Small jitter from the bot's stream keeps equal choices from always going one way.
        return value(after, role) + weight + rng.random() * 0.01

    chosen: list[Action] = []
    weight = 0.0
    best = worth(chosen, weight)
    while len(chosen) < MAX_ORDERS:
        pick: tuple[float, Action] | None = None
        for action in p.legal(role, chosen, among=legal) if chosen else legal:
            if action.cost > capital or any(action is c for c in chosen):
                continue
            score = worth([*chosen, action], weight + action.ai_weight)
            if pick is None or score > pick[0]:
                pick = (score, action)
        if pick is None or pick[0] <= best:
            break
        best = pick[0]
        chosen.append(pick[1])
        weight += pick[1].ai_weight
        capital -= pick[1].cost
    return _orders(chosen)


def pass_bot(p: Playout, role: str) -> tuple[Order, ...]:
    return ()


def _search(param: str | None) -> Bot:
    from wargame.engine.search import DEFAULT_BUDGET, search

    budget = DEFAULT_BUDGET
    if param is not None:
        if not param.isdigit() or int(param) < 1:
            raise ValueError(
                f"search takes a budget in iterations, a whole number from 1, "
                f"e.g. search:100 (got {param!r})"
            )
        budget = int(param)

    def bot(p: Playout, role: str) -> tuple[Order, ...]:
        return search(p, role, budget)

    return bot


def _plain(bot: Bot) -> Callable[[str | None], Bot]:
    def make(param: str | None) -> Bot:
        if param is not None:
            raise ValueError(f"this bot kind takes no parameter (got {param!r})")
        return bot

    return make


# Each kind: a maker from its parameter (None when not given) to a bot.
_KINDS: dict[str, Callable[[str | None], Bot]] = {
    "random": _plain(random_bot),
    "heuristic": _plain(heuristic_bot),
    "pass": _plain(pass_bot),
    "search": _search,
}


def bot_for(spec: str) -> Bot:
    """The Playout bot for a kind, `KIND` or `KIND:PARAM`; ValueError saying why if unknown."""
    kind, colon, param = spec.partition(":")
    if kind not in _KINDS:
        raise ValueError(f"unknown bot kind {spec!r}; one of: {', '.join(_KINDS)}")
    return _KINDS[kind](param if colon else None)


def _on_game(bot: Bot) -> Callable[[Game, str], tuple[Order, ...]]:
    def play(game: Game, role: str) -> tuple[Order, ...]:
        return bot(Playout.from_state(game.content, game.state), role)

    return play


class _Bots(Mapping[str, Callable[[Game, str], tuple[Order, ...]]]):
    """The bot kinds by name, each as a function of (Game, role). Iterating lists the kinds;
    lookup also takes a parameter (`BOTS["search:200"]`), and `in` tells if a spec is valid."""

    def __getitem__(self, spec: str) -> Callable[[Game, str], tuple[Order, ...]]:
        try:
            return _on_game(bot_for(spec))
        except ValueError:
            raise KeyError(spec) from None

    def __contains__(self, spec: object) -> bool:
        if not isinstance(spec, str):
            return False
        try:
            bot_for(spec)
        except ValueError:
            return False
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(_KINDS)

    def __len__(self) -> int:
        return len(_KINDS)


BOTS = _Bots()


def likely_replies(
    game: Game, role: str, seats: Mapping[str, str]
) -> dict[str, tuple[Order, ...]]:
    """What the other seats would likely order this turn, for `role`'s preview: each seat's
    own bot (`seats[r]`, a BOTS kind), a heuristic guess for people and for seats of kinds
    the engine does not know. Orders already submitted stay secret; each bot draws on a side
    stream (so this is a likely reply, not the bot's actual one, and no roll is consumed)."""
    side = Rng(game.state.rng).derive(f"likely:{game.state.turn}:{role}")
    # The same game with the state's generator swapped for the side stream, nothing pending.
    twin = Game.from_history(
        game.content,
        game.seed,
        game.history,
        [*game.states, attrs.evolve(game.state, rng=side.snapshot())],
    )
    replies = {}
    for other in game.content.role_ids:
        if other == role:
            continue
        kind = seats.get(other, "heuristic")
        bot = BOTS[kind] if kind in BOTS else BOTS["heuristic"]
        try:
            replies[other] = tuple(bot(twin, other))
        except Exception:  # a seat that fails to guess is taken to pass in the preview
            replies[other] = ()
    return replies
