"""One bot-played game on the engine's trace-free path, kept as the little an experiment
needs: each turn's orders, the values that turn ended with, the standings, and the hash.

No causal trace is kept: an analyst who wants the why of one game replays it with
`wargame run` (same scenario, seed and bots). tests/unit/test_experiments.py checks these
records against the traced path (Game, TurnReport) turn by turn.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

import attrs

from wargame.engine.bots import bot_for
from wargame.engine.content import Content
from wargame.engine.playout import Bot, Playout
from wargame.engine.state import Order, Value


class Turn(NamedTuple):
    # A NamedTuple: one is made per turn of every game, and these are the cheapest to make.
    orders: Mapping[str, tuple[Order, ...]]
    events: Sequence[str]  # ids of the events that opened this turn
    # As the turn ended, before the next turn's events (TurnReport.after and .scores):
    # every value by name with per_turn; else the tracked values, in `tracked()` order.
    after: Mapping[str, Value] | tuple[Value, ...]
    scores: Mapping[str, int] | None  # with per_turn
    held: tuple[bool, ...] | None  # with per_turn: each objective holds (each_turn: scored)
    hash: str  # with per_turn


@attrs.frozen
class GameRecord:
    seed: int
    start: tuple[Value, ...]  # tracked values as the first orders are given
    turns: tuple[Turn, ...]
    values: Mapping[str, Value]  # at the end
    scores: Mapping[str, int]
    objectives: tuple[int | bool, ...]  # each_turn: turns held; at_end: holds at the end
    hash: str  # "" unless asked for


class _TurnEnd:
    """Notes what a turn ended with: Playout.resolve calls it as the turn ends, before the
    next turn's events fire."""

    __slots__ = ("content", "names", "per_turn", "seen", "tallies_before")

    def __init__(self, content: Content, names: Sequence[str], per_turn: bool) -> None:
        self.content = content
        self.names = names
        self.per_turn = per_turn
        self.tallies_before: dict[str, int] = {}
        self.seen: tuple[
            dict[str, Value] | tuple[Value, ...], dict[str, int] | None, tuple[bool, ...] | None
        ] = ((), None, None)

    def __call__(self, p: Playout) -> None:
        env = p.env
        if self.per_turn:
            values = {n: env[n] for n in self.names}
            held = _held(self.content, env, p.tallies, self.tallies_before)
            self.seen = (values, p.scores(), held)
        else:
            self.seen = (tuple([env[n] for n in self.names]), None, None)


def _held(
    content: Content, env: Mapping[str, Value], now: Mapping[str, int], before: Mapping[str, int]
) -> tuple[bool, ...]:
    return tuple(
        now.get(o.key, 0) > before.get(o.key, 0)
        if o.scored == "each_turn"
        else bool(o.when.fn(env, _no_chance))
        for o in content.objectives
    )


def _no_chance(p: float) -> bool:
    # Objectives are read, never rolled: a chance() in one counts as unmet (as in scoring).
    return False


def tracked(content: Content, fan: str) -> tuple[str, ...]:
    """The values a per-game row follows turn by turn: flags (for reversals) and `fan`."""
    names = [n for n, v in content.variables.items() if v.is_flag]
    if fan in content.variables:
        names.append(fan)
    return tuple(names)


def play(
    content: Content,
    seed: int,
    bots: Mapping[str, Bot],
    names: Sequence[str],
    per_turn: bool = False,
    hashed: bool = False,
) -> GameRecord:
    """Every seat played by its bot from `seed`: the game `wargame run` would play. The
    final state's hash (about 5% of a random-bot game) only with `hashed` or `per_turn`."""
    p = Playout.start(content, seed)
    ended = _TurnEnd(content, tuple(content.variables) if per_turn else tuple(names), per_turn)
    start = tuple([p.env[n] for n in names])
    seats = [(role, bots[role]) for role in content.role_ids]
    turns: list[Turn] = []
    while not p.over:
        events = p.event_ids  # a new list each turn, never changed after
        orders = {role: bot(p, role) for role, bot in seats}
        if per_turn:
            ended.tallies_before = dict(p.tallies)
            turn_hash = p.resolve_hashed(orders, ended)
        else:
            p.resolve(orders, ended)
            turn_hash = ""
        after, scores, held = ended.seen
        turns.append(Turn(orders, events, after, scores, held, turn_hash))
    env = p.env
    tallies = p.tallies
    # Scores from the objectives as met, rather than evaluating them twice (Playout.scores).
    scores = dict.fromkeys(content.role_ids, 0)
    objectives: list[int | bool] = []
    for o in content.objectives:
        if o.scored == "each_turn":
            count = tallies.get(o.key, 0)
            scores[o.role] += o.points * count
            objectives.append(count)
        else:
            holds = bool(o.when.fn(env, _no_chance))
            scores[o.role] += o.points if holds else 0
            objectives.append(holds)
    final = turns[-1].hash if per_turn else p.hash() if hashed else ""
    values = {n: env[n] for n in content.variables}
    return GameRecord(seed, start, tuple(turns), values, scores, tuple(objectives), final)


def seat_bots(bots: Mapping[str, str]) -> dict[str, Bot]:
    return {role: bot_for(kind) for role, kind in bots.items()}
