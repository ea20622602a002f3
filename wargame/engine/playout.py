"""Trace-free playout: the game's rules without the causal trace, for bots and mass play.

`resolve_turn` (wargame.engine.resolve) builds everything a player or a save needs: each
change with its inputs and reason, every outcome's sentence, the report and the state hash.
Look-ahead, search and `simulate` need none of that, only where the values end up. A
`Playout` is a mutable position that resolves turns with the very same resolver in its quiet
mode: same rules, same order, same rolls, so the same values and the same state hash
(tests/unit/test_playout.py checks both paths over many seeds, bots and both scenarios).

    from wargame.engine.playout import Playout, play_game

    p = Playout.start(content, seed)          # or Playout.from_state(content, game.state)
    while not p.over:
        p.resolve({"tokyo": (Order("bilateral_talks"),)})   # roles not named pass
    p.scores()                                # {"washington": 12, "tokyo": 9, "seoul": 11}

    result = play_game(content, seed, {"washington": "random", "tokyo": "heuristic",
                                       "seoul": "search:100"})
    result.scores, result.orders, result.values, result.hashes

A Playout never touches the Game it came from; `copy()` forks one cheaply. Use the traced
path (Game, resolve_turn) for anything a person will read or a save will keep.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Callable, Mapping, Sequence

import attrs

from wargame.engine.content import Action, Content
from wargame.engine.resolve import (
    Orders,
    _Resolver,
    _scores,
    base_env,
    blank_state,
    set_history,
)
from wargame.engine.rng import Rng
from wargame.engine.state import GameState, Order, Value, canonical_state, state_hash


class Playout:
    """A position: every value an expression can read, the generator, tallies and events.

    `env` maps every readable name (variables, flags, marks, `ordered.*`, `turn`) to its
    value now; treat it as read-only outside this class. `turn` is the turn waiting for
    orders (content.turns + 1 once over).
    """

    __slots__ = ("content", "env", "event_ids", "fired_once", "rng", "tallies", "turn")

    def __init__(
        self,
        content: Content,
        env: dict[str, Value],
        rng: Rng,
        tallies: dict[str, int],
        fired_once: list[str],
        event_ids: list[str],
        turn: int,
    ) -> None:
        self.content = content
        self.env = env
        self.rng = rng
        self.tallies = tallies
        self.fired_once = fired_once
        self.event_ids = event_ids
        self.turn = turn

    @classmethod
    def start(cls, content: Content, seed: int) -> Playout:
        """The first turn of a new game, as `Game(content, seed)` starts it."""
        p = cls.from_state(content, blank_state(content, seed))
        p._fire_events()
        return p

    @classmethod
    def from_state(cls, content: Content, state: GameState) -> Playout:
        return cls(
            content,
            base_env(content, state),
            Rng(state.rng),
            dict(state.tallies),
            list(state.fired_once),
            [e.id for e in state.events],
            state.turn,
        )

    def copy(self, rng: Rng | None = None) -> Playout:
        """An independent fork; with `rng`, the fork rolls its dice from that generator."""
        return Playout(
            self.content,
            dict(self.env),
            Rng(self.rng.snapshot()) if rng is None else rng,
            dict(self.tallies),
            list(self.fired_once),
            list(self.event_ids),
            self.turn,
        )

    @property
    def over(self) -> bool:
        return self.turn > self.content.turns

    def value(self, name: str) -> Value:
        return self.env[name]

    def capital(self, role: str) -> float:
        return float(self.env[self.content.capital_name[role]])

    def legal(
        self, role: str, after: Sequence[Action] = (), among: Sequence[Action] | None = None
    ) -> list[Action]:
        """The role's actions (or those `among` them) it could order now (capital and
        requirements), `pass` left out, in content order. `after`: what the role has already
        chosen this turn; requirements see those orders as intake will (`ordered.*`,
        `tagged.*`), so an action they rule out is left out. Checks never draw from the
        game's generator."""
        env: Mapping[str, Value] = self.env
        if after:
            env = ChainMap({name: True for a in after for name in a.ordered_names}, self.env)
        capital = self.capital(role)
        out = []
        for action in self.content.actions.get(role, ()) if among is None else among:
            if action.id == "pass" or action.cost > capital:
                continue
            for req in action.requires:
                if not req.check.fn(env, _never):
                    break
            else:
                out.append(action)
        return out

    def resolve(self, orders: Orders, ended: TurnEnded | None = None) -> None:
        """Resolve this turn with these orders (roles not named pass) and fire the next
        turn's events, exactly as resolve_turn does, without the trace or the report.

        `ended(self)` is called between the two: the turn is over (`turn` is the next one)
        and the next turn's events have not fired, so the position holds what
        TurnReport.after and .scores report. Read it there; change nothing."""
        self._resolve(orders, False, ended)

    def resolve_hashed(self, orders: Orders, ended: TurnEnded | None = None) -> str:
        """resolve(), returning the hash of the state the turn ended in (TurnReport.hash)."""
        return self._resolve(orders, True, ended)

    def _resolve(self, orders: Orders, hashed: bool, ended_hook: TurnEnded | None) -> str:
        content = self.content
        if self.turn > content.turns:
            raise ValueError("the game is over")
        env = self.env
        r = _Resolver(content, env, self.rng, traced=False)
        r.play(content.role_ids, orders, self.tallies)
        env.update(content.env_defaults)
        self.turn += 1
        env["turn"] = float(self.turn)
        set_history(content, env, self.tallies, self.turn)
        self.event_ids = []
        ended = self.hash() if hashed else ""
        if ended_hook is not None:
            ended_hook(self)
        self._fire_events()
        return ended

    def _fire_events(self) -> None:
        """Fire the events of `turn` (its marks and orders are already false)."""
        if self.turn <= self.content.turns:
            r = _Resolver(self.content, self.env, self.rng, traced=False)
            self.event_ids = [ev.id for ev in r.fire_events(self.turn, self.fired_once)]

    def scores(self) -> dict[str, int]:
        """Each role's standing now, as `wargame.engine.resolve.scores` gives it."""
        return _scores(self.content, self.tallies, self.env)

    def values(self) -> dict[str, Value]:
        return {name: self.env[name] for name in self.content.variables}

    def hash(self) -> str:
        """The same hash GameState.hash() gives for this position."""
        marks = [m for m in self.content.marks if self.env[m] is True]
        rng = self.rng.snapshot()
        return state_hash(
            canonical_state(
                self.turn, self.values(), marks, rng, self.tallies, self.fired_once, self.event_ids
            )
        )

    def bot_rng(self, role: str, kind: str) -> Rng:
        """A bot's own stream for this role and turn, derived so it never shifts the game's."""
        return self.rng.derive(f"bot:{kind}:{role}:{self.turn}")


def _never(p: float) -> bool:
    # Legality must not consume the game's rolls.
    return False


Bot = Callable[[Playout, str], tuple[Order, ...]]
TurnEnded = Callable[[Playout], None]
"""Called by resolve() as a turn ends, before the next turn's events (a per-turn observer)."""


@attrs.frozen
class PlayedGame:
    """A game played to the end by bots on the trace-free path.

    `orders[i]` are the orders of turn i + 1 by role; `hashes[i]` the hash of the state that
    turn ended in (as TurnReport.hash); `values` and `scores` are those at the end.
    """

    seed: int
    scores: Mapping[str, int]
    values: Mapping[str, Value]
    orders: tuple[Mapping[str, tuple[Order, ...]], ...]
    hashes: tuple[str, ...]


def play_game(
    content: Content,
    seed: int,
    bots: Mapping[str, str | Bot],
    hashes: bool = False,
) -> PlayedGame:
    """Play a whole game with a bot in every seat (a kind such as "heuristic" or "search:100",
    or a function of (Playout, role)); roles not named pass. With `hashes`, record each turn's
    state hash (costs about as much as a turn; off by default)."""
    from wargame.engine.bots import bot_for

    players: dict[str, Bot] = {
        role: bot_for(kind) if isinstance(kind, str) else kind for role, kind in bots.items()
    }
    p = Playout.start(content, seed)
    played: list[dict[str, tuple[Order, ...]]] = []
    turn_hashes: list[str] = []
    while not p.over:
        orders = {role: players[role](p, role) for role in content.role_ids if role in players}
        played.append(orders)
        if hashes:
            turn_hashes.append(p.resolve_hashed(orders))
        else:
            p.resolve(orders)
    return PlayedGame(seed, p.scores(), p.values(), tuple(played), tuple(turn_hashes))
