"""Content: a scenario and its rules, compiled once at load into frozen objects.

The loader (wargame.storage.content_loader) builds these from YAML; the engine only reads
them. Actions are stored already expanded per acting role (and target), with `$actor`,
`$target` and role aliases substituted, so resolution never does text work.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from wargame.engine.expr import Expr, compile_expr

PHASES: tuple[str, ...] = ("convening", "cooperation", "coercion", "backlash", "drift", "derived")
"""Resolution order within a turn. Events fire before orders; see docs/rules-reference.md."""

BUILT_IN_NAMES = ("turn", "turns")
BUILT_IN_PREFIXES = ("ordered", "tagged")
"""Names the engine gives every expression: `turn`, `turns`, `ordered.<role>.<action>[.<target>]`
and `tagged.<role>.<tag>`. A variable, flag or mark may not take them (it would be overwritten)."""

PHASE_INDEX: Mapping[str, int] = {p: i for i, p in enumerate(PHASES)}


@attrs.frozen
class SourceRef:
    """Where a piece of content was written, so traces and errors can point at it."""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@attrs.frozen
class Variable:
    name: str
    start: float | bool
    min: float
    max: float
    text: str = ""
    is_flag: bool = False

    def clamp(self, value: float) -> float:
        if value != value:  # NaN: keep the bound rather than poison the state
            return self.min
        return self.min if value < self.min else self.max if value > self.max else value


@attrs.frozen
class Effect:
    """`add` moves a number by an amount; `set` gives a variable, flag or mark a value."""

    op: str
    name: str
    amount: Expr
    when: Expr | None = None
    why: str = ""
    # The names a trace records as inputs: the amount's, then the condition's (computed once).
    inputs: tuple[str, ...] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        names = self.amount.names + (self.when.names if self.when is not None else ())
        object.__setattr__(self, "inputs", tuple(dict.fromkeys(names)))


@attrs.frozen
class Requirement:
    check: Expr
    reason: str


@attrs.frozen
class Outcome:
    result: str
    when: Expr | None
    why: str
    effects: tuple[Effect, ...] = ()


# The hash is cached: the search bot keys its statistics on moves (tuples of actions), and
# hashing an action afresh walks every effect and expression in it.
@attrs.frozen(cache_hash=True)
class Action:
    """One action as one role may take it (against one target, for targeted actions)."""

    id: str
    role: str
    target: str | None
    cost: int
    phase: str
    title: str
    text: str
    requires: tuple[Requirement, ...]
    effects: tuple[Effect, ...]
    outcomes: tuple[Outcome, ...]
    ai_weight: float
    source: SourceRef
    warnings: tuple[Requirement, ...] = ()
    # What kind of action it is: an accepted order sets tagged.<role>.<tag> for each.
    tags: tuple[str, ...] = ()
    # The `ordered.*` and `tagged.*` names an accepted order of this action sets true
    # (computed once).
    ordered_names: tuple[str, ...] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        names = [f"ordered.{self.role}.{self.id}"]
        if self.target:
            names.append(f"ordered.{self.role}.{self.id}.{self.target}")
        names += [f"tagged.{self.role}.{tag}" for tag in self.tags]
        object.__setattr__(self, "ordered_names", tuple(names))

    @property
    def key(self) -> str:
        return self.id if self.target is None else f"{self.id}:{self.target}"


@attrs.frozen
class Rule:
    """A systemic rule: whenever its condition holds in its phase, its effects apply."""

    id: str
    phase: str
    when: Expr | None
    why: str
    effects: tuple[Effect, ...]
    source: SourceRef


@attrs.frozen
class Modifier:
    when: Expr
    add: Expr | None = None
    factor: Expr | None = None


@attrs.frozen
class Event:
    """An inject: scheduled on given turns, or conditional with a chance each turn."""

    id: str
    title: str
    text: str
    turns: tuple[int, ...]
    when: Expr | None
    chance: Expr | None
    modifiers: tuple[Modifier, ...]
    once: bool
    effects: tuple[Effect, ...]
    source: SourceRef


@attrs.frozen
class Objective:
    id: str
    role: str
    text: str
    when: Expr
    points: int
    scored: (
        str  # "each_turn": points for every turn it holds; "at_end": points if it holds at the end
    )
    source: SourceRef

    @property
    def key(self) -> str:
        return f"{self.role}.{self.id}"


@attrs.frozen
class Role:
    id: str
    name: str
    text: str = ""
    aliases: Mapping[str, str] = attrs.field(factory=dict)


@attrs.frozen
class Actor:
    id: str
    name: str
    text: str = ""


@attrs.frozen
class Content:
    """Everything a game needs to run, immutable. `content_hash` names it in save files."""

    id: str
    title: str
    summary: str
    sources: tuple[str, ...]
    start_year: int
    start_quarter: int
    turns: int
    roles: tuple[Role, ...]
    actors: tuple[Actor, ...]
    variables: Mapping[str, Variable]
    marks: Mapping[str, str]
    actions: Mapping[str, tuple[Action, ...]]
    rules: tuple[Rule, ...]
    events: tuple[Event, ...]
    objectives: tuple[Objective, ...]
    content_hash: str
    rule_files: tuple[str, ...] = ()
    # The exact (file name, text) pairs it was compiled from, so that a game can be saved with
    # them without reading any file again; empty for content built in code.
    texts: tuple[tuple[str, str], ...] = attrs.field(default=(), eq=False, repr=False)
    # The `params:` constants in force (name -> value). The compiler has already put them into
    # every expression; kept so tools can list them and recompile with others (`--set`).
    params: Mapping[str, float] = attrs.field(factory=dict, eq=False, repr=False)
    # Derived once so a turn does not rebuild them: the names every expression can read with
    # their turn-start defaults, and the order actions resolve in within a phase.
    env_defaults: Mapping[str, float | bool] = attrs.field(init=False, eq=False, repr=False)
    action_rank: Mapping[str, int] = attrs.field(init=False, eq=False, repr=False)
    # Lookups resolution and bots would otherwise rebuild every turn: each role's actions by
    # key, each role's capital name and rank, the rules of each phase, the per-turn objectives.
    action_index: Mapping[str, Mapping[str, Action]] = attrs.field(init=False, eq=False, repr=False)
    capital_name: Mapping[str, str] = attrs.field(init=False, eq=False, repr=False)
    role_rank: Mapping[str, int] = attrs.field(init=False, eq=False, repr=False)
    rules_by_phase: Mapping[str, tuple[Rule, ...]] = attrs.field(init=False, eq=False, repr=False)
    each_turn_objectives: tuple[Objective, ...] = attrs.field(init=False, eq=False, repr=False)
    # The conditions inside ever()/count()/turns_since() anywhere in the content (canonical
    # text, compiled): the engine tallies each at the end of every turn.
    history: tuple[tuple[str, Expr], ...] = attrs.field(init=False, eq=False, repr=False)
    # The names some action's requirements read: an order that sets one (`ordered.*`,
    # `tagged.*`) may rule out a later order of the same turn, so bots ask again after it.
    required_names: frozenset[str] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        defaults: dict[str, float | bool] = {m: False for m in self.marks}
        first: dict[str, Action] = {}
        for actions in self.actions.values():
            for a in actions:
                for name in a.ordered_names:
                    defaults[name] = False
                first.setdefault(a.id, a)
        defaults["turns"] = float(self.turns)
        # Rule files resolve in the order the scenario lists them, then as written: never by
        # path, so the same texts resolve the same wherever they are stored.
        files = {name: i for i, name in enumerate(self.rule_files)}
        ranked = sorted(
            first.values(),
            key=lambda a: (files.get(a.source.file, len(files)), a.source.line, a.source.col),
        )
        object.__setattr__(self, "env_defaults", defaults)
        object.__setattr__(self, "action_rank", {a.id: i for i, a in enumerate(ranked)})
        index: dict[str, dict[str, Action]] = {}
        for role, actions in self.actions.items():
            for a in actions:
                index.setdefault(role, {}).setdefault(a.key, a)
        object.__setattr__(self, "action_index", index)
        object.__setattr__(
            self,
            "required_names",
            frozenset(
                n for acts in self.actions.values() for a in acts for r in a.requires
                for n in r.check.names
            ),
        )
        roles = [r.id for r in self.roles]
        object.__setattr__(self, "capital_name", {r: f"{r}.capital" for r in roles})
        object.__setattr__(self, "role_rank", {r: i for i, r in enumerate(roles)})
        object.__setattr__(
            self,
            "rules_by_phase",
            {p: tuple(r for r in self.rules if r.phase == p) for p in PHASES},
        )
        object.__setattr__(
            self,
            "each_turn_objectives",
            tuple(o for o in self.objectives if o.scored == "each_turn"),
        )
        conditions = dict.fromkeys(c for e in self.expressions() for c in e.history)
        # Checked when the expressions holding them were compiled.
        object.__setattr__(
            self,
            "history",
            tuple((c, compile_expr(c, lambda _name: True)) for c in conditions),
        )

    def expressions(self) -> list[Expr]:
        """Every compiled expression, in content order."""
        out: list[Expr] = []

        def effects(items: tuple[Effect, ...]) -> None:
            for e in items:
                out.append(e.amount)
                if e.when is not None:
                    out.append(e.when)

        for actions in self.actions.values():
            for a in actions:
                out.extend(r.check for r in a.requires)
                out.extend(w.check for w in a.warnings)
                effects(a.effects)
                for o in a.outcomes:
                    if o.when is not None:
                        out.append(o.when)
                    effects(o.effects)
        for rule in self.rules:
            if rule.when is not None:
                out.append(rule.when)
            effects(rule.effects)
        for ev in self.events:
            out.extend(x for x in (ev.when, ev.chance) if x is not None)
            for m in ev.modifiers:
                out.extend(x for x in (m.when, m.add, m.factor) if x is not None)
            effects(ev.effects)
        out.extend(o.when for o in self.objectives)
        return out

    @property
    def role_ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.roles)

    def role_name(self, role_id: str | None) -> str:
        """A role's display name ('Tokyo'); unknown ids title-cased, None empty."""
        if role_id is None:
            return ""
        for r in self.roles:
            if r.id == role_id:
                return r.name
        return role_id.title()

    def role(self, role_id: str) -> Role:
        for r in self.roles:
            if r.id == role_id:
                return r
        raise KeyError(role_id)

    def action(self, role: str, key: str) -> Action | None:
        return self.action_index.get(role, {}).get(key)

    def label(self, turn: int) -> str:
        """The calendar label of a turn: '2019 Q3'. Turns are quarters from the start."""
        q = self.start_quarter - 1 + (turn - 1)
        return f"{self.start_year + q // 4} Q{q % 4 + 1}"

    def years(self) -> str:
        last = self.label(self.turns).split()[0]
        return f"{self.start_year}–{last}" if str(self.start_year) != last else last
