"""Immutable game state, orders, and what a resolved turn reports."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping

import attrs

from wargame.engine.rng import RngState

Value = float | bool


@attrs.frozen
class Order:
    action: str
    target: str | None = None

    @property
    def key(self) -> str:
        return self.action if self.target is None else f"{self.action}:{self.target}"

    def __str__(self) -> str:
        return self.action if self.target is None else f"{self.action} → {self.target}"


@attrs.frozen
class Change:
    """One traced change of one value: what moved it, by how much, from which inputs."""

    name: str
    before: Value
    after: Value
    source: str  # "action", "rule", "event", "order" (capital spent)
    source_id: str  # action key, rule id or event id
    role: str | None  # the acting role, for actions and spending
    phase: str
    expr: str  # the expression that gave the amount, as written
    inputs: tuple[tuple[str, Value], ...]
    why: str = ""
    clamped: bool = False

    @property
    def delta(self) -> float:
        if isinstance(self.after, bool) or isinstance(self.before, bool):
            return float(self.after) - float(self.before)
        return self.after - self.before


@attrs.frozen
class OrderOutcome:
    role: str
    action: str
    target: str | None
    result: str
    why: str
    cost: int
    phase: str


@attrs.frozen
class FiredEvent:
    id: str
    title: str
    text: str
    turn: int


@attrs.frozen
class RuleFiring:
    id: str
    phase: str
    why: str


@attrs.frozen
class GameState:
    """The game waiting for the orders of `turn`, with that turn's events already fired.

    `turn` is turns + 1 once the game is over. Marks are the turn-scoped facts that are true
    so far this turn (set by events); they reset when the turn resolves.
    """

    turn: int
    values: Mapping[str, Value]
    marks: Mapping[str, bool]
    rng: RngState
    tallies: Mapping[str, int]
    fired_once: tuple[str, ...]
    events: tuple[FiredEvent, ...]
    event_trace: tuple[Change, ...]

    def canonical(self) -> dict[str, object]:
        return canonical_state(
            self.turn,
            self.values,
            [k for k, v in self.marks.items() if v],
            self.rng,
            self.tallies,
            self.fired_once,
            [e.id for e in self.events],
        )

    def hash(self) -> str:
        return state_hash(self.canonical())


def canonical_state(
    turn: int,
    values: Mapping[str, Value],
    marks: Iterable[str],
    rng: RngState,
    tallies: Mapping[str, int],
    fired_once: Iterable[str],
    event_ids: Iterable[str],
) -> dict[str, object]:
    """What a state's hash covers (GameState and the trace-free Playout both use this)."""
    return {
        "turn": turn,
        "values": dict(sorted(values.items())),
        "marks": sorted(marks),
        "rng": [rng.state, rng.inc],
        "tallies": dict(sorted(tallies.items())),
        "fired_once": sorted(fired_once),
        "events": list(event_ids),
    }


def state_hash(canonical: Mapping[str, object]) -> str:
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


@attrs.frozen
class TurnReport:
    """Everything that happened in one turn, for the report, the why view and replays."""

    turn: int
    label: str
    orders: Mapping[str, tuple[Order, ...]]
    outcomes: tuple[OrderOutcome, ...]
    events: tuple[FiredEvent, ...]
    rules: tuple[RuleFiring, ...]
    trace: tuple[Change, ...]
    before: Mapping[str, Value]
    after: Mapping[str, Value]
    scores: Mapping[str, int]
    over: bool
    hash: str

    def deltas(self) -> dict[str, tuple[Value, Value]]:
        """Every value that ended the turn different from how it started it."""
        return {k: (self.before[k], v) for k, v in self.after.items() if self.before.get(k) != v}

    def trace_of(self, name: str) -> tuple[Change, ...]:
        return tuple(c for c in self.trace if c.name == name)
