"""The white cell's interventions that change the game: an injected event, an overridden value.

A `Control` is the rule for the changes it makes: applied to the state waiting for the orders
of its turn (after that turn's events fired), it records each change in the state's event
trace with source "umpire" and the umpire's rationale as the reason, and adds a fired event
("White cell: ...") that every role sees. A save keeps its controls, and a replay applies
each one again at the same point, so the same controls give the same game, hash for hash.

Kinds:
  inject    a scenario event by id (its effects apply now, whatever its turns, conditions
            or chance), or a free-text event (title, text) with value changes
  override  one value set to a new one
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from wargame.engine.content import Content
from wargame.engine.resolve import base_env, render
from wargame.engine.rng import Rng
from wargame.engine.state import Change, FiredEvent, GameState, Value

KINDS = ("inject", "override")
SOURCE = "umpire"
PHASE = "umpire"


class ControlError(ValueError):
    """A control that cannot be applied as it stands; `problems` says why, one line each."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = tuple(problems)


@attrs.frozen
class ValueChange:
    """`add` moves a number by `value`; `set` gives a variable or flag the value."""

    name: str
    op: str  # "add" or "set"
    value: Value


@attrs.frozen
class Control:
    kind: str
    turn: int
    rationale: str = ""
    event: str | None = None  # inject: a scenario event's id
    title: str = ""  # inject: a free-text event's title and text
    text: str = ""
    changes: tuple[ValueChange, ...] = ()  # inject (free text) and override (one `set`)

    @property
    def source_id(self) -> str:
        """What the trace names as the source of its changes."""
        if self.kind == "inject" and self.event:
            return f"inject:{self.event}"
        return self.kind


def override(turn: int, name: str, value: Value, rationale: str = "") -> Control:
    return Control("override", turn, rationale, changes=(ValueChange(name, "set", value),))


def problems(content: Content, state: GameState, control: Control) -> list[str]:
    """What stops `control` applying to `state` (empty: it can)."""
    out: list[str] = []
    if control.kind not in KINDS:
        return [f"unknown control {control.kind!r}; one of: {', '.join(KINDS)}"]
    if state.turn > content.turns:
        return ["the game is over"]
    if control.turn != state.turn:
        return [f"this control is for turn {control.turn}; the game is at turn {state.turn}"]
    if control.kind == "inject" and control.event is not None:
        if not any(ev.id == control.event for ev in content.events):
            known = ", ".join(ev.id for ev in content.events) or "none"
            out.append(f"no event {control.event!r} in {content.id} (events: {known})")
        if control.changes:
            out.append("inject either a scenario event or a free-text event with changes")
        return out
    if control.kind == "inject" and not control.title.strip():
        out.append("a free-text event needs a title (or name a scenario event)")
    if control.kind == "override" and len(control.changes) != 1:
        out.append("an override sets exactly one value")
    if control.kind == "inject" and not control.changes:
        out.append("a free-text event needs at least one value change")
    for ch in control.changes:
        out += _change_problems(content, ch)
    return out


def _change_problems(content: Content, ch: ValueChange) -> list[str]:
    var = content.variables.get(ch.name)
    if var is None:
        return [f"no value {ch.name!r} in {content.id}"]
    if ch.op not in ("add", "set"):
        return [f"{ch.name}: a change is add or set, not {ch.op!r}"]
    if var.is_flag:
        if ch.op != "set" or not isinstance(ch.value, bool):
            return [f"{ch.name} is a flag: set it to true or false"]
        return []
    if isinstance(ch.value, bool) or ch.value != ch.value or abs(ch.value) == float("inf"):
        return [f"{ch.name} is a number from {var.min:g} to {var.max:g}"]
    if ch.op == "set" and not var.min <= ch.value <= var.max:
        return [f"{ch.name} is a number from {var.min:g} to {var.max:g}, not {ch.value:g}"]
    return []


def apply(content: Content, state: GameState, control: Control) -> GameState:
    """The state with `control` applied (ControlError if it cannot be)."""
    found = problems(content, state, control)
    if found:
        raise ControlError(found)
    env = base_env(content, state)
    rng = Rng(state.rng)
    trace: list[Change] = []
    fired_once = state.fired_once
    if control.event is not None:
        ev = next(e for e in content.events if e.id == control.event)
        title, text = ev.title, render(ev.text, env)
        for effect in ev.effects:
            if effect.when is not None and not effect.when.fn(env, rng.chance):
                continue
            amount = effect.amount.fn(env, rng.chance)
            inputs = tuple((n, env[n]) for n in effect.inputs)
            _change(content, env, trace, control, ValueChange(effect.name, effect.op, amount),
                    effect.amount.source, inputs)
        if ev.once and ev.id not in fired_once:
            fired_once = (*fired_once, ev.id)
    else:
        title, text = control.title, control.text
        if control.kind == "override":
            title = f"override of {control.changes[0].name}"
        for ch in control.changes:
            _change(content, env, trace, control, ch, repr(ch.value), ())
    why = f" Why: {control.rationale}" if control.rationale else ""
    fired = FiredEvent(f"{SOURCE}:{control.source_id}", f"White cell: {title}",
                       f"{text}{' ' if text and why else ''}{why.strip()}", state.turn)
    values = {name: env[name] for name in content.variables}
    marks = {m: True for m in content.marks if env.get(m) is True}
    return attrs.evolve(state, values=values, marks=marks, rng=rng.snapshot(),
                        fired_once=fired_once, events=(*state.events, fired),
                        event_trace=(*state.event_trace, *trace))


def _change(content: Content, env: dict[str, Value], trace: list[Change], control: Control,
            ch: ValueChange, expr: str, inputs: tuple[tuple[str, Value], ...]) -> None:
    before = env[ch.name]
    var = content.variables.get(ch.name)
    clamped = False
    after: Value
    if var is None or var.is_flag:  # marks (a scenario event may set them) and flags
        after = bool(ch.value)
    else:
        raw = float(before) + float(ch.value) if ch.op == "add" else float(ch.value)
        after = var.clamp(raw)
        clamped = after != raw
    if after == before and not clamped:
        return
    env[ch.name] = after
    trace.append(Change(ch.name, before, after, SOURCE, control.source_id, None, PHASE, expr,
                        inputs, control.rationale or f"the white cell's {control.kind}", clamped))


def with_controls(content: Content, state: GameState, controls: Iterable[Control]) -> GameState:
    """`state` with the controls of its turn applied, in the order they were given."""
    for c in controls:
        if c.turn == state.turn:
            state = apply(content, state, c)
    return state
