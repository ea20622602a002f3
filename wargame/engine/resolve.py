"""Turn resolution: a pure function of content, state and orders.

`start(content, seed)` makes the first state; `resolve_turn(content, state, orders)` gives the
next state and a TurnReport. Nothing here reads a clock, a file or a global generator: the
same inputs always give the same bytes out.

Order of a turn (docs/rules-reference.md):
  0. events of the turn have already fired (when the previous turn ended, or at start);
  1. intake: each role's orders, in role order, are checked against the state and capital;
     illegal ones are refused with the reason, legal ones pay their cost;
  2. phases, in PHASES order: the accepted orders of that phase (in content order, then role
     order), then the systemic rules of that phase;
  3. objectives are tallied, marks cleared, the turn advances and the next turn's events fire.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from wargame.engine.content import (
    PHASE_INDEX,
    PHASES,
    Action,
    Content,
    Effect,
    Event,
    Objective,
    Variable,
)
from wargame.engine.expr import history_names
from wargame.engine.rng import Rng
from wargame.engine.state import (
    Change,
    FiredEvent,
    GameState,
    Order,
    OrderOutcome,
    RuleFiring,
    TurnReport,
    Value,
)

Orders = Mapping[str, Sequence[Order]]

_TEXT_VALUE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_.]*)\}")


def format_value(value: Value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


def format_delta(before: Value, after: Value) -> str:
    """A change as people read it: +2.5, −1 (a true minus), ±0 for one too small to show
    (no sign that could mislead), or on/off for flags."""
    if isinstance(before, bool) or isinstance(after, bool):
        return "on" if after else "off"
    d = float(after) - float(before)
    size = format_value(abs(d))
    if size == "0":
        return "±0"
    return f"{'+' if d > 0 else '−'}{size}"


def render(text: str, env: Mapping[str, Value]) -> str:
    """Fill `{dotted.name}` in a sentence with the value it has now."""
    if "{" not in text:
        return text
    return _TEXT_VALUE.sub(
        lambda m: format_value(env[m.group(1)]) if m.group(1) in env else m.group(0), text
    )


def ordered_name(role: str, action: str, target: str | None = None) -> str:
    return f"ordered.{role}.{action}" + (f".{target}" if target else "")


def base_env(content: Content, state: GameState) -> dict[str, Value]:
    """The names an expression can read: variables, flags, marks (false unless set), orders
    (all false until the turn resolves), the turn number and the number of turns."""
    env: dict[str, Value] = dict(content.env_defaults)
    env.update(state.values)
    env.update(state.marks)
    env["turn"] = float(state.turn)
    set_history(content, env, state.tallies, state.turn)
    return env


NEVER = 9999.0
"""What turns_since(c) reads when c has never held."""


def set_history(
    content: Content, env: dict[str, Value], tallies: Mapping[str, int], turn: int
) -> None:
    """Put ever(c), count(c) and turns_since(c) for the turn about to be played into `env`,
    from the tallies of earlier turns (`count(c)` and `last(c)`, kept in the state)."""
    for condition, _ in content.history:
        ever, count, since = history_names(condition)
        n = tallies.get(count, 0)
        env[ever] = n > 0
        env[count] = float(n)
        env[since] = float(turn - tallies[f"last({condition})"]) if n else NEVER


def _tally_history(
    content: Content, env: Mapping[str, Value], tallies: dict[str, int], turn: int
) -> None:
    """At the end of a turn: count the turn for every history condition that holds."""
    for condition, expr in content.history:
        if expr.fn(env, _no_chance):
            key = f"count({condition})"
            tallies[key] = tallies.get(key, 0) + 1
            tallies[f"last({condition})"] = turn


class _Resolver:
    """Mutable scratch space for one resolution; never escapes its caller.

    Traced (`trace` a list), every change is recorded with its inputs and reason, and each
    order's outcome and each rule firing is reported; quiet (`trace` None) only the values
    move. Both run the same code in the same order, so they draw the same rolls and reach the
    same values (tests/unit/test_playout.py checks it).
    """

    __slots__ = ("chance", "content", "env", "firings", "outcomes", "phase", "rng", "trace")

    def __init__(self, content: Content, env: dict[str, Value], rng: Rng, traced: bool) -> None:
        self.content = content
        self.env = env
        self.rng = rng
        self.chance: Callable[[float], bool] = rng.chance
        self.trace: list[Change] | None = [] if traced else None
        self.outcomes: list[OrderOutcome] = []
        self.firings: list[RuleFiring] = []
        self.phase = "events"

    def apply(
        self, effects: Sequence[Effect], source: str, source_id: str, role: str | None
    ) -> None:
        env = self.env
        chance = self.chance
        variables = self.content.variables
        trace = self.trace
        for e in effects:
            when = e.when
            if when is not None and not when.fn(env, chance):
                continue
            amount = e.amount.fn(env, chance)
            name = e.name
            before = env[name]
            var: Variable | None = variables.get(name)
            if var is None or var.is_flag:
                after: Value = bool(amount)
                clamped = False
            else:
                raw = float(before) + float(amount) if e.op == "add" else float(amount)
                after = var.clamp(raw)
                clamped = after != raw
            if after == before and not clamped:
                continue
            if trace is None:
                env[name] = after
                continue
            # Inputs are read before the write: a change that reads its own value must show
            # the value it was computed from.
            inputs = tuple([(n, env[n]) for n in e.inputs])
            env[e.name] = after
            # Positional: attrs' generated __init__ is measurably faster without keywords.
            trace.append(
                Change(
                    e.name,
                    before,
                    after,
                    source,
                    source_id,
                    role,
                    self.phase,
                    e.amount.source,
                    inputs,
                    render(e.why, env) if e.why else "",
                    clamped,
                )
            )

    def spend(self, role: str, action: Action) -> None:
        name = f"{role}.capital"
        before = self.env[name]
        after = float(before) - action.cost
        self.env[name] = after
        if self.trace is None:
            return
        self.trace.append(
            Change(
                name,
                before,
                after,
                "order",
                action.key,
                role,
                "intake",
                str(action.cost),
                (),
                f"{action.title} costs {action.cost} capital",
            )
        )

    def fire_events(self, turn: int, fired_once: list[str]) -> list[FiredEvent]:
        """Fire the events due on `turn`; `fired_once` grows by the once-only ones fired."""
        fired: list[FiredEvent] = []
        env = self.env
        traced = self.trace is not None
        for ev in self.content.events:
            if ev.once and ev.id in fired_once:
                continue
            if not _event_due(ev, turn, env, self.chance):
                continue
            fired.append(FiredEvent(ev.id, ev.title, render(ev.text, env) if traced else "", turn))
            if ev.once:
                fired_once.append(ev.id)
            self.apply(ev.effects, "event", ev.id, None)
        return fired

    def play(self, role_ids: Sequence[str], orders: Orders, tallies: dict[str, int]) -> None:
        """Intake, the phases and the objectives' tallies of one turn (events already fired)."""
        content = self.content
        env = self.env
        traced = self.trace is not None
        self.phase = "intake"
        # 1. Intake: legality and capital, in role order, each role's orders in order given.
        accepted: list[tuple[Action, str]] = []
        refused = self.outcomes
        for role in role_ids:
            seen: set[str] = set()
            capital_name = content.capital_name[role]
            for order in orders.get(role, ()):
                capital = float(env[capital_name])
                if traced:
                    action, reason = check_order(content, env, role, order, capital, self.chance)
                    if not reason and order.key in seen:
                        reason = f"{order} was already ordered this turn"
                    if reason or action is None:
                        refused.append(
                            OrderOutcome(
                                role, order.action, order.target, "refused", reason, 0, "intake"
                            )
                        )
                        continue
                else:
                    action = _allowed(content, env, role, order, capital, self.chance)
                    if action is None or order.key in seen:
                        continue
                seen.add(order.key)
                self.spend(role, action)
                for name in action.ordered_names:
                    env[name] = True
                accepted.append((action, role))

        # 2. Phases: the orders of each phase, then its systemic rules.
        if len(accepted) > 1:
            rank = content.action_rank
            roles = content.role_rank
            accepted.sort(key=lambda ar: (PHASE_INDEX[ar[0].phase], rank[ar[0].id], roles[ar[1]]))
        chance = self.chance
        i = 0
        for phase in PHASES:
            self.phase = phase
            while i < len(accepted) and accepted[i][0].phase == phase:
                self._resolve_action(accepted[i][0])
                i += 1
            for rule in content.rules_by_phase[phase]:
                if rule.when is not None and not rule.when.fn(env, chance):
                    continue
                if traced:
                    self.firings.append(RuleFiring(rule.id, phase, render(rule.why, env)))
                self.apply(rule.effects, "rule", rule.id, None)

        # 3. Objectives held this turn, and the history conditions that held.
        for obj in content.each_turn_objectives:
            if obj.when.fn(env, chance):
                tallies[obj.key] = tallies.get(obj.key, 0) + 1
        if content.history:
            _tally_history(content, env, tallies, int(env["turn"]))

    def _resolve_action(self, action: Action) -> None:
        self.apply(action.effects, "action", action.key, action.role)
        traced = self.trace is not None
        for outcome in action.outcomes:
            if outcome.when is None or outcome.when.fn(self.env, self.chance):
                self.apply(outcome.effects, "action", action.key, action.role)
                if traced:
                    self.outcomes.append(
                        OrderOutcome(
                            action.role,
                            action.id,
                            action.target,
                            outcome.result,
                            render(outcome.why, self.env),
                            action.cost,
                            action.phase,
                        )
                    )
                return
        if traced:
            self.outcomes.append(
                OrderOutcome(
                    action.role,
                    action.id,
                    action.target,
                    "done",
                    f"{action.title}: none of its outcomes applied.",
                    action.cost,
                    action.phase,
                )
            )


def _event_due(
    ev: Event, turn: int, env: Mapping[str, Value], chance: Callable[[float], bool]
) -> bool:
    if ev.turns:
        if turn not in ev.turns:
            return False
        if ev.when is not None and not ev.when(env, chance):
            return False
        return ev.chance is None or chance(float(ev.chance(env, chance)))
    if ev.when is not None and not ev.when(env, chance):
        return False
    if ev.chance is None:
        return True
    p = float(ev.chance(env, chance))
    for m in ev.modifiers:
        if m.when(env, chance):
            if m.factor is not None:
                p *= float(m.factor(env, chance))
            if m.add is not None:
                p += float(m.add(env, chance))
    return chance(p)


def _variables_only(content: Content, env: Mapping[str, Value]) -> dict[str, Value]:
    return {name: env[name] for name in content.variables}


def blank_state(content: Content, seed: int) -> GameState:
    """The state before the first turn's events have fired."""
    values: dict[str, Value] = {v.name: v.start for v in content.variables.values()}
    return GameState(1, values, {}, Rng.from_seed(seed).snapshot(), {}, (), (), ())


def start(content: Content, seed: int) -> GameState:
    """The state before the first turn's orders, with the first turn's events fired."""
    blank = blank_state(content, seed)
    return _begin_turn(content, blank, Rng(blank.rng), base_env(content, blank))


def _begin_turn(content: Content, state: GameState, rng: Rng, env: dict[str, Value]) -> GameState:
    """Fire the events of `state.turn` into `env` (which must hold the turn-start names)."""
    turn = state.turn
    if turn > content.turns:
        values = _variables_only(content, env)
        return GameState(turn, values, {}, rng.snapshot(), state.tallies, state.fired_once, (), ())
    r = _Resolver(content, env, rng, traced=True)
    fired_once = list(state.fired_once)
    fired = r.fire_events(turn, fired_once)
    marks = {m: True for m in content.marks if env[m] is True}
    return GameState(
        turn=turn,
        values=_variables_only(content, env),
        marks=marks,
        rng=rng.snapshot(),
        tallies=state.tallies,
        fired_once=tuple(fired_once),
        events=tuple(fired),
        event_trace=tuple(r.trace or ()),
    )


def check_order(
    content: Content,
    env: Mapping[str, Value],
    role: str,
    order: Order,
    capital: float,
    chance: Callable[[float], bool],
) -> tuple[Action | None, str]:
    """The action an order names and "" if it may be taken now, else the reason it may not."""
    action = content.action(role, order.key)
    if action is None:
        known = content.action(role, order.action) or any(
            a.id == order.action for a in content.actions.get(role, ())
        )
        if known and order.target is None:
            return None, f"{order.action} needs a target"
        if known:
            return None, f"{order.action} cannot target {order.target}"
        return None, f"{role} has no action {order.action!r}"
    if action.cost > capital:
        return action, (
            f"{action.title} costs {action.cost} capital; "
            f"{content.role(role).name} has {format_value(capital)}"
        )
    for req in action.requires:
        if not req.check(env, chance):
            return action, render(req.reason, env) or "not allowed now"
    return action, ""


def _allowed(
    content: Content,
    env: Mapping[str, Value],
    role: str,
    order: Order,
    capital: float,
    chance: Callable[[float], bool],
) -> Action | None:
    """check_order without the reason: the action if it may be taken now, else None.
    Evaluates the same checks in the same order, so it draws the same rolls."""
    action = content.action_index.get(role, {}).get(order.key)
    if action is None or action.cost > capital:
        return None
    for req in action.requires:
        if not req.check.fn(env, chance):
            return None
    return action


def resolve_turn(
    content: Content, state: GameState, orders: Orders
) -> tuple[GameState, TurnReport]:
    """The next state and the full report of the turn, with the causal trace.

    For look-ahead and mass play, `wargame.engine.playout.Playout` resolves the same turn
    without building the trace, outcomes or report.
    """
    if state.turn > content.turns:
        raise ValueError("the game is over")
    rng = Rng(state.rng)
    env = base_env(content, state)
    r = _Resolver(content, env, rng, traced=True)
    tallies = dict(state.tallies)
    r.play(content.role_ids, orders, tallies)

    values = _variables_only(content, env)
    before = dict(state.values)
    for c in reversed(state.event_trace):
        if c.name in before:
            before[c.name] = c.before
    ended = GameState(state.turn + 1, values, {}, rng.snapshot(), tallies, state.fired_once, (), ())
    # Reuse the working names for the next turn: marks and orders back to false.
    env.update(content.env_defaults)
    env["turn"] = float(ended.turn)
    set_history(content, env, tallies, ended.turn)
    standing = _scores(content, tallies, env)
    next_state = _begin_turn(content, ended, rng, env)
    over = next_state.turn > content.turns
    report = TurnReport(
        turn=state.turn,
        label=content.label(state.turn),
        orders={role: tuple(orders.get(role, ())) for role in content.role_ids},
        outcomes=tuple(r.outcomes),
        events=state.events,
        rules=tuple(r.firings),
        trace=state.event_trace + tuple(r.trace or ()),
        before=before,
        after=values,
        scores=standing,
        over=over,
        hash=ended.hash(),
    )
    return next_state, report


def scores(content: Content, state: GameState) -> dict[str, int]:
    """Each role's standing on its objectives: turns held so far, and end goals held now."""
    return _scores(content, state.tallies, base_env(content, state))


def _scores(
    content: Content, tallies: Mapping[str, int], env: Mapping[str, Value]
) -> dict[str, int]:
    totals = {role: 0 for role in content.role_ids}
    for obj in content.objectives:
        if obj.scored == "each_turn":
            totals[obj.role] += obj.points * tallies.get(obj.key, 0)
        elif obj.when(env, _no_chance):
            totals[obj.role] += obj.points
    return totals


def _no_chance(p: float) -> bool:
    # Scoring must not consume the game's rolls; a chance() in an objective counts as unmet.
    return False


def objective_status(
    content: Content, state: GameState, role: str
) -> list[tuple[str, str, bool, int]]:
    """For each objective of a role: id, text, whether it holds now, points earned so far
    (an end goal earns nothing until the game is over, as the final score counts it)."""
    return [(o.id, o.text, holds, banked)
            for o, holds, banked, _ in objective_standings(content, state) if o.role == role]


STANDINGS = ("met", "on track", "at risk", "missed")


def objective_standings(
    content: Content, state: GameState
) -> list[tuple[Objective, bool, int, str]]:
    """Every objective with whether it holds now, the points it has banked and its standing:
    `met` / `missed` once settled (the game is over), before that `on track` (a goal that
    holds, a penalty that does not) or `at risk`. Banked points are what the final score
    will count whatever happens next: turns held for `each_turn`, nothing for `at_end`
    until the end."""
    env = base_env(content, state)
    over = state.turn > content.turns
    out = []
    for obj in content.objectives:
        holds = bool(obj.when(env, _no_chance))
        good = holds if obj.points >= 0 else not holds
        if obj.scored == "each_turn":
            held = state.tallies.get(obj.key, 0)
            banked = obj.points * held
            settled = (held > 0) if obj.points >= 0 else (held == 0)
        else:
            banked = obj.points if over and holds else 0
            settled = good
        settled_word = "met" if settled else "missed"
        standing = settled_word if over else "on track" if good else "at risk"
        out.append((obj, holds, banked, standing))
    return out


def banked_scores(content: Content, state: GameState) -> dict[str, int]:
    """Each role's points that are already certain (equal to `scores` once the game is over)."""
    totals = {role: 0 for role in content.role_ids}
    for obj, _, banked, _ in objective_standings(content, state):
        totals[obj.role] += banked
    return totals
