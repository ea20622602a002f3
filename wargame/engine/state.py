"""Immutable game state, orders, and what a resolved turn reports."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

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
        return {
            "turn": self.turn,
            "values": dict(sorted(self.values.items())),
            "marks": sorted(k for k, v in self.marks.items() if v),
            "rng": [self.rng.state, self.rng.inc],
            "tallies": dict(sorted(self.tallies.items())),
            "fired_once": sorted(self.fired_once),
            "events": [e.id for e in self.events],
        }

    def hash(self) -> str:
        text = json.dumps(self.canonical(), sort_keys=True, separators=(",", ":"))
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
