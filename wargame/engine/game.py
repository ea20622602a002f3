"""A game in progress: the small API that the terminal game, bots, saves and scripts use.

A Game is its history: the content, the seed and each turn's orders. Its current state is
a replay of that history; `clone()` gives an independent copy (for bots' look-ahead and
what-if forks).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

import attrs

from wargame.engine.content import Action, Content
from wargame.engine.control import Control
from wargame.engine.control import apply as apply_control
from wargame.engine.resolve import (
    banked_scores,
    base_env,
    check_order,
    objective_standings,
    ordered_name,
    render,
    resolve_turn,
    scores,
    start,
)
from wargame.engine.rng import Rng
from wargame.engine.state import GameState, Order, OrderOutcome, TurnReport, Value
from wargame.engine.visibility import report_as, visible_values


class OrderError(ValueError):
    """Orders that cannot be submitted as they stand; `problems` says why, one line each."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = tuple(problems)


@attrs.frozen
class ActionOption:
    """An action a role could order now, with whether it is legal and, if not, why."""

    action: Action
    order: Order
    legal: bool
    reason: str

    @property
    def cost(self) -> int:
        return self.action.cost


@attrs.frozen
class Preview:
    """What a role's orders would do if the other roles passed (chance rolled on a side stream).

    `deltas`: every value that would end the turn different from now (now, then), drift and
    rules included. `versus_pass`: the values that would end differently than if this role
    passed (if passing, with these orders) — the effect of the orders alone.
    `likely`: the same, if the others played `others` (their likely replies) instead of
    passing; None when no replies were given.
    """

    outcomes: tuple[OrderOutcome, ...]
    deltas: Mapping[str, tuple[Value, Value]]
    warnings: tuple[str, ...]
    capital_left: float
    versus_pass: Mapping[str, tuple[Value, Value]] = attrs.field(factory=dict)
    likely: Preview | None = None
    others: Mapping[str, tuple[Order, ...]] = attrs.field(factory=dict)


@attrs.frozen
class ObjectiveStanding:
    """`points`: banked so far (an end goal banks nothing before the end); `worth`: per turn
    held (each_turn) or once (at_end); `standing`: met, on track, at risk or missed."""

    id: str
    text: str
    holds: bool
    points: int
    worth: int = 0
    scored: str = "at_end"
    standing: str = ""  # "" when not known (a view built by an older peer)


@attrs.frozen
class RoleView:
    """What one role may see: public values, its own capital and objectives, the last report.

    `values` leaves out the other roles' capital; `submitted` says who has submitted, never
    what; `last_report` is the last resolved turn as this role saw it (wargame.engine.visibility).
    """

    role: str
    turn: int
    label: str
    values: Mapping[str, Value]
    capital: float
    objectives: tuple[ObjectiveStanding, ...]
    events: tuple[tuple[str, str], ...]
    submitted: Mapping[str, bool]
    last_report: TurnReport | None = None


class Game:
    """Changed only through its methods (submit, withdraw, resolve, take_back, control);
    built from a seed (`Game(content, seed)`), from orders (`replay`) or from a saved history
    (`from_history`). What a role may see is decided by `view(role)` alone."""

    def __init__(self, content: Content, seed: int) -> None:
        self.content = content
        self.seed = seed
        self._state = start(content, seed)
        self._history: list[TurnReport] = []
        # _states[i] is the state the turn _history[i] was resolved from (take-back, forks)
        self._states: list[GameState] = []
        self._pending: dict[str, tuple[Order, ...]] = {}
        # The white cell's interventions (wargame.engine.control), each applied at its turn.
        self._controls: list[Control] = []

    @classmethod
    def replay(
        cls,
        content: Content,
        seed: int,
        turns: Sequence[Mapping[str, Sequence[Order]]],
        controls: Sequence[Control] = (),
    ) -> Game:
        """Re-resolve a history of orders (and the white cell's controls, each at its turn)
        from the start; the same inputs give the same game."""
        game = cls(content, seed)
        for c in controls:
            if c.turn == game.turn:
                game.control(c)
        for orders in turns:
            game.resolve(orders)
            for c in controls:
                if c.turn == game.turn:
                    game.control(c)
        return game

    @classmethod
    def from_history(
        cls,
        content: Content,
        seed: int,
        history: Sequence[TurnReport],
        states: Sequence[GameState],
        pending: Mapping[str, Sequence[Order]] | None = None,
        controls: Sequence[Control] = (),
    ) -> Game:
        """A game already resolved elsewhere (a save, a replay): `states[i]` is the state turn
        `history[i]` was resolved from and `states[-1]` the current one (each with the
        `controls` of its turn already applied). `pending`: orders submitted for the next turn
        (kept as given; illegal ones are refused at resolution)."""
        if len(states) != len(history) + 1:
            raise ValueError("from_history needs one state more than it has turns")
        game = cls(content, seed)
        game._controls = [c for c in controls if c.turn <= states[-1].turn]
        game._history = list(history)
        game._states = list(states[:-1])
        game._state = states[-1]
        if pending and not game.is_over():
            game._pending = {r: tuple(o) for r, o in pending.items() if r in content.role_ids}
        return game

    # -- reading -------------------------------------------------------------------------
    @property
    def state(self) -> GameState:
        return self._state

    @property
    def history(self) -> list[TurnReport]:
        """The resolved turns' reports (a copy: changing it does not change the game)."""
        return list(self._history)

    @property
    def states(self) -> list[GameState]:
        """The state each turn of `history` was resolved from (a copy)."""
        return list(self._states)

    @property
    def pending(self) -> Mapping[str, tuple[Order, ...]]:
        """Orders submitted for this turn (secret: only the storage layer and resolve read it)."""
        return MappingProxyType(self._pending)

    @property
    def controls(self) -> list[Control]:
        """The white cell's controls so far, in the order applied (a copy)."""
        return list(self._controls)

    @property
    def turn(self) -> int:
        return self.state.turn

    @property
    def label(self) -> str:
        return self.content.label(min(self.state.turn, self.content.turns))

    def is_over(self) -> bool:
        return self.state.turn > self.content.turns

    def scores(self) -> dict[str, int]:
        """Each role's score if the game ended now (the final score once it is over)."""
        return scores(self.content, self.state)

    def banked_scores(self) -> dict[str, int]:
        """Each role's points already certain: turns held so far, end goals once over."""
        return banked_scores(self.content, self.state)

    def values(self) -> dict[str, Value]:
        return dict(self.state.values)

    def legal_actions(self, role: str) -> list[ActionOption]:
        """Every action of the role, legal or not (with the reason), in content order."""
        env = base_env(self.content, self.state)
        capital = float(self.state.values[f"{role}.capital"])
        options = []
        for action in self.content.actions.get(role, ()):
            order = Order(action.id, action.target)
            _, reason = check_order(self.content, env, role, order, capital, _never)
            options.append(ActionOption(action, order, not reason, reason))
        return options

    def view(self, role: str) -> RoleView:
        """What `role` may see now; the one place a seat's visibility is decided."""
        last = self._history[-1] if self._history else None
        return RoleView(
            role=role,
            turn=self.state.turn,
            label=self.label,
            values=visible_values(self.content, self.state.values, role),
            capital=float(self.state.values[f"{role}.capital"]),
            objectives=tuple(
                ObjectiveStanding(o.id, o.text, holds, banked, o.points, o.scored, standing)
                for o, holds, banked, standing in objective_standings(self.content, self.state)
                if o.role == role
            ),
            events=tuple((e.title, e.text) for e in self.state.events),
            submitted={r: r in self.pending for r in self.content.role_ids},
            last_report=None if last is None else report_as(self.content, last, role),
        )

    # -- acting --------------------------------------------------------------------------
    def validate_orders(self, role: str, orders: Sequence[Order]) -> list[str]:
        """Problems that stop these orders being submitted (unknown action, over capital)."""
        if role not in self.content.role_ids:
            return [f"unknown role {role!r}"]
        env = base_env(self.content, self.state)
        capital = float(self.state.values[f"{role}.capital"])
        problems = []
        total = 0
        for order in orders:
            action, reason = check_order(self.content, env, role, order, capital, _never)
            if action is None:
                problems.append(reason)
            else:
                total += action.cost
        if total > capital:
            problems.append(f"these orders cost {total} capital; {role} has {capital:g}")
        return problems

    def submit(self, role: str, orders: Sequence[Order]) -> None:
        """Orders stay secret until resolve(); they can be replaced until then."""
        if self.is_over():
            raise OrderError(["the game is over"])
        problems = self.validate_orders(role, orders)
        if problems:
            raise OrderError(problems)
        self._pending[role] = tuple(orders)

    def withdraw(self, role: str) -> None:
        self._pending.pop(role, None)

    def control(self, control: Control) -> None:
        """Apply a white-cell control to the state waiting for this turn's orders (its
        `turn` must be this turn). ControlError says why it cannot; nothing changes then.
        Orders already submitted stay; any the change made illegal are refused at resolution."""
        self._state = apply_control(self.content, self._state, control)
        self._controls.append(control)

    def resolve(self, orders: Mapping[str, Sequence[Order]] | None = None) -> TurnReport:
        """Resolve the turn with what was submitted, plus `orders` (role → orders, replacing
        what that role submitted; not checked first: illegal ones are refused, with the
        reason, in the report). Roles with no orders pass."""
        if orders:
            self._pending.update({r: tuple(o) for r, o in orders.items()})
        before = self._state
        self._state, report = resolve_turn(self.content, self._state, self._pending)
        self._states.append(before)
        self._history.append(report)
        self._pending = {}
        return report

    def preview(
        self,
        role: str,
        orders: Sequence[Order],
        others: Mapping[str, Sequence[Order]] | None = None,
    ) -> Preview:
        """Resolve copies with this role's orders, the others passing; and, given `others`
        (their likely replies), with the others playing those. The real generator is not
        touched: chance is rolled on a side stream, the same in every case."""
        side = Rng(self.state.rng).derive(f"preview:{self.state.turn}:{role}")
        probe = attrs.evolve(self.state, rng=side.snapshot())
        passing = self._preview_case(probe, role, orders, {})
        if others is None:
            return passing
        replies = {r: tuple(o) for r, o in others.items() if r != role}
        likely = self._preview_case(probe, role, orders, replies)
        return attrs.evolve(passing, likely=likely, others=replies)

    def _preview_case(
        self,
        probe: GameState,
        role: str,
        orders: Sequence[Order],
        others: Mapping[str, tuple[Order, ...]],
    ) -> Preview:
        _, report = resolve_turn(self.content, probe, {**others, role: tuple(orders)})
        _, passing = resolve_turn(self.content, probe, others)
        mine = tuple(o for o in report.outcomes if o.role == role)
        env = base_env(self.content, self.state)
        env.update(report.after)
        for o in report.outcomes:  # what the warnings may ask: who ordered what (accepted)
            if o.result != "refused":
                env[ordered_name(o.role, o.action)] = True
                if o.target:
                    env[ordered_name(o.role, o.action, o.target)] = True
        warnings = []
        for order in orders:
            action = self.content.action(role, order.key)
            if action is None:
                continue
            for w in action.warnings:
                if w.check(env, _never):
                    warnings.append(render(w.reason, env))
        spent = sum(o.cost for o in mine)
        capital = float(self.state.values[f"{role}.capital"]) - spent
        now = self.state.values
        deltas = {
            k: (now[k], v)
            for k, v in report.after.items()
            if v != now[k] and not k.endswith(".capital")
        }
        versus = {
            k: (passing.after[k], v)
            for k, v in report.after.items()
            if v != passing.after[k] and not k.endswith(".capital")
        }
        return Preview(mine, deltas, tuple(dict.fromkeys(warnings)), capital, versus)

    def take_back(self) -> TurnReport:
        """Undo the last resolved turn; returns its report so a caller can keep it as a branch."""
        if not self.history:
            raise OrderError(["no turn to take back"])
        report = self._history.pop()
        self._state = self._states.pop()
        self._pending = {}
        self._controls = [c for c in self._controls if c.turn <= self._state.turn]
        return report

    def orders_history(self) -> list[dict[str, tuple[Order, ...]]]:
        return [dict(r.orders) for r in self.history]

    def clone(self) -> Game:
        return Game.from_history(
            self.content, self.seed, self._history, [*self._states, self._state], self._pending,
            self._controls,
        )


def _never(p: float) -> bool:
    # Legality and previews must not consume the game's rolls.
    return False


def parse_order(text: str) -> Order:
    """`side_with:tokyo` or `side_with` → Order."""
    action, _, target = text.partition(":")
    return Order(action.strip(), target.strip() or None)
