"""One role's view as numbers, and its orders as one discrete action (docs/agents.md).

Observation: a float32 vector in [0, 1], every entry named in `Encoding.names`:
  turn progress; each value the role may see (numbers scaled by their declared min/max,
  flags 0/1), sorted by name; whether each of the role's own objectives holds; which
  scenario events fired this turn; which orders each other role gave last turn.
It is read from `Game.view(role)`, so it holds nothing the role may not see.

Action: an index into `Encoding.order_sets`: 0 is "pass", then every set of 1 to
`max_orders` different actions of the role (content order) whose total cost the role could
ever afford. The mask marks the sets it may give now: every order legal, within capital.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from wargame.engine.content import Action, Content
from wargame.engine.game import Game
from wargame.engine.state import Order
from wargame.engine.visibility import hidden_names

DEFAULT_MAX_ORDERS = 3
"""Orders per turn in one action; the bundled bots give at most 3 too."""


class Encoding:
    """The fixed vector and action layout of one role in one scenario."""

    def __init__(self, content: Content, role: str, max_orders: int = DEFAULT_MAX_ORDERS):
        if max_orders < 1:
            raise ValueError("max_orders must be at least 1")
        self.content = content
        self.role = role
        hidden = hidden_names(content, role)
        self.values = tuple(sorted(n for n in content.variables if n not in hidden))
        self.objectives = tuple(o for o in content.objectives if o.role == role)
        self.events = tuple(e.id for e in content.events)
        self.others = tuple(
            (r, a.key) for r in content.role_ids if r != role for a in content.actions.get(r, ())
        )
        self.names: tuple[str, ...] = (
            "turn",
            *self.values,
            *(f"objective.{o.id}" for o in self.objectives),
            *(f"event.{e}" for e in self.events),
            *(f"last.{r}.{key}" for r, key in self.others),
        )
        capital = content.variables.get(f"{role}.capital")
        most = capital.max if capital is not None else float("inf")
        actions: list[Action] = [a for a in content.actions.get(role, ()) if a.id != "pass"]
        self.actions = tuple(actions)
        sets: list[tuple[int, ...]] = [()]
        for size in range(1, max_orders + 1):
            for combo in itertools.combinations(range(len(actions)), size):
                if sum(actions[i].cost for i in combo) <= most:
                    sets.append(combo)
        self._sets = sets
        self.order_sets: tuple[tuple[Order, ...], ...] = tuple(
            tuple(Order(actions[i].id, actions[i].target) for i in combo) for combo in sets
        )
        member = np.zeros((len(sets), len(actions)), dtype=np.int8)
        for row, combo in enumerate(sets):
            member[row, list(combo)] = 1
        self._member = member
        self._cost = np.array([sum(actions[i].cost for i in c) for c in sets], dtype=np.float64)
        self._low = np.array([content.variables[n].min for n in self.values], dtype=np.float64)
        span = np.array(
            [content.variables[n].max - content.variables[n].min for n in self.values],
            dtype=np.float64,
        )
        self._span = np.where(np.isfinite(span) & (span > 0), span, 1.0)

    @property
    def size(self) -> int:
        return len(self.names)

    @property
    def actions_count(self) -> int:
        return len(self.order_sets)

    def observe(self, game: Game) -> npt.NDArray[np.float32]:
        view = game.view(self.role)
        raw = np.array([float(view.values[n]) for n in self.values], dtype=np.float64)
        scaled = np.clip((raw - self._low) / self._span, 0.0, 1.0)
        turns = game.content.turns
        holds = {o.id: o.holds for o in view.objectives}
        fired = {e.id for e in game.state.events}  # the view's events, by id
        last = view.last_report.orders if view.last_report is not None else {}
        given = {(r, o.key) for r, orders in last.items() for o in orders}
        return np.concatenate([
            np.array([min(1.0, (view.turn - 1) / max(1, turns))]),
            scaled,
            np.array([1.0 if holds.get(o.id) else 0.0 for o in self.objectives]),
            np.array([1.0 if e in fired else 0.0 for e in self.events]),
            np.array([1.0 if pair in given else 0.0 for pair in self.others]),
        ]).astype(np.float32)

    def mask(self, game: Game) -> npt.NDArray[np.int8]:
        """1 for each order set the role may give now (0 for all once the game is over)."""
        if game.is_over():
            return np.zeros(len(self._sets), dtype=np.int8)
        legal = {o.order.key for o in game.legal_actions(self.role) if o.legal}
        ok = np.array([a.key in legal for a in self.actions], dtype=np.int8)
        capital = float(game.view(self.role).capital)
        blocked = self._member @ (1 - ok)
        allowed: npt.NDArray[np.int8] = ((blocked == 0) & (self._cost <= capital)).astype(np.int8)
        return allowed

    def orders(self, action: int) -> tuple[Order, ...]:
        return self.order_sets[int(action)]

    def index(self, orders: Sequence[Order]) -> int | None:
        """The action for a set of orders (any order), or None if it has none."""
        want = sorted(o.key for o in orders)
        for i, s in enumerate(self.order_sets):
            if sorted(o.key for o in s) == want:
                return i
        return None
