"""The scenario file and the rule file, declared once: the reader structures YAML into these
classes (FILE:LINE:COL problems), the JSON Schemas are written from them, and the content
compiler (wargame.storage.content_loader) builds the engine's Content from them. Defaults
live here and nowhere else."""

from __future__ import annotations

import keyword
from typing import Annotated

import attrs

from wargame.engine.content import BUILT_IN_NAMES, BUILT_IN_PREFIXES, PHASES
from wargame.engine.expr import MAX_MAGNITUDE, WORDS
from wargame.formats.declare import (
    Choice,
    Doc,
    Expression,
    MinItems,
    Pattern,
    Range,
    declared,
    field,
)

ID = r"[a-z][a-z0-9_]*"
NAME = r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*"
TEMPLATED = r"\$?[a-z][a-z0-9_]*(\.\$?[a-z][a-z0-9_]*)*"

Id = Annotated[str, Pattern(ID, "lower-case letters, digits and _ (starting with a letter)")]
RoleId = Annotated[str, Pattern(ID, "a role id such as tokyo"), Doc("A role id, e.g. tokyo")]
MAX_TURNS = 400
"""Quarterly turns a scenario may have: a century."""

_KEYWORDS = [k for k in keyword.kwlist if k.islower()]  # `x.if` does not parse
VarName = Annotated[
    str,
    Pattern(
        rf"(?!({'|'.join((*BUILT_IN_NAMES, *WORDS))})$|({'|'.join(BUILT_IN_PREFIXES)})\.)"
        rf"(?!(.*\.)?({'|'.join(_KEYWORDS)})(\.|$)){NAME}",
        "a dotted name such as japan_rok.trust, and not one the engine provides ("
        + ", ".join([*BUILT_IN_NAMES, *(f"{p}.*" for p in BUILT_IN_PREFIXES)])
        + "), a word of expressions ("
        + ", ".join(WORDS)
        + ") or, in any part, a keyword such as if, in, or",
    ),
]
Number = Annotated[float, Range(-MAX_MAGNITUDE, MAX_MAGNITUDE)]
"""Every number in a content file: finite and at most 1e12 in size, as in expressions."""
Target = Annotated[
    str,
    Pattern(TEMPLATED, "a dotted name, possibly with $actor/$target (e.g. $actor.approval)"),
]
Phase = Annotated[str, Choice(PHASES, "phase")]
# A date's syntax, declared once: the reader checks it, the compiler reads the turn from its
# groups (year, quarter, month).
DATE = r"(\d{4})-(?:Q([1-4])|(0?[1-9]|1[0-2]))"
Date = Annotated[
    str, Pattern(DATE, "a year and quarter (2023-Q3) or year and month (2023-08)")
]


@declared(
    "effect", "One effect: add to numbers and/or set values, optionally only if a condition holds"
)
@attrs.frozen(kw_only=True)
class EffectSpec:
    when: Expression | None = field(
        "Apply this effect only when the condition holds", key="if", default=None
    )
    add: dict[Target, Annotated[Expression, Doc("Amount to add (negative to subtract)")]] = field(
        "Numbers to move: name → amount", factory=dict
    )
    set: dict[Target, Annotated[Expression, Doc("New value (true/false for flags and marks)")]] = (
        field("Values to set: name → value", factory=dict)
    )
    why: str = field("A sentence explaining this change, shown in the trace", default="")


Effects = Annotated[list[EffectSpec], Doc("Effects, applied in order")]


@declared("outcome", "A possible outcome of an action")
@attrs.frozen(kw_only=True)
class OutcomeSpec:
    result: Id = field("Outcome code, e.g. convened, snubbed")
    when: Expression | None = field(
        "This outcome applies when the condition holds; the first matching outcome wins",
        key="if",
        default=None,
    )
    why: str = field("The sentence that explains the outcome; {name} shows a value")
    effects: Effects = field(factory=list)


@declared("requirement", "A condition for an action to be legal")
@attrs.frozen(kw_only=True)
class RequirementSpec:
    check: Expression = field("Must hold for the order to be legal")
    reason: str = field("Shown when the order is refused")


@declared("warning", "A warning shown in the order preview")
@attrs.frozen(kw_only=True)
class WarningSpec:
    when: Expression = field("Warn in the preview when this holds", key="if")
    say: str = field("The warning")


@declared("action", "An action a role can order")
@attrs.frozen(kw_only=True)
class ActionSpec:
    who: list[RoleId] = field("Roles that may take it")
    targets: list[RoleId] = field("Roles it can be aimed at ($target)", factory=list)
    cost: Annotated[int, Range(0, 20)] = field("Political capital it costs")
    phase: Phase = field("When it resolves: " + " → ".join(PHASES))
    title: str = field("Short name shown in menus", default="")
    text: str = field("One-line description for players")
    ai: Number | dict[RoleId, Number] = field(
        "Bot preference weight (number, or per role)", default=0.0
    )
    tags: list[Id] = field(
        "What kind of action it is (e.g. meeting): while a role's order of it is accepted, "
        "tagged.<role>.<tag> is true, so rules can recognise actions they do not name",
        factory=list,
    )
    override: bool = field(
        "Replace the action of this id from an earlier rule file (else a second one is an error)",
        default=False,
    )
    requires: list[RequirementSpec] = field("Conditions for being legal", factory=list)
    warn: list[WarningSpec] = field("Warnings for the preview", factory=list)
    effects: Effects = field("Effects applied whatever the outcome", factory=list)
    outcomes: Annotated[list[OutcomeSpec], MinItems(1)] = field(
        "Possible outcomes; the first whose `if` holds applies"
    )


@declared("rule", "A systemic rule: applies by itself in its phase")
@attrs.frozen(kw_only=True)
class RuleSpec:
    phase: Phase = field()
    each: list[RoleId] = field("Apply once per role, as $actor", factory=list)
    when: Expression | None = field("The rule applies whenever this holds", key="if", default=None)
    why: str = field("The sentence shown when it applies")
    effects: Effects = field()
    override: bool = field(
        "Replace the rule of this id from an earlier rule file (else a second one is an error)",
        default=False,
    )


@declared("rule file", "A rule file: actions, marks, formulas and systemic rules")
@attrs.frozen(kw_only=True)
class RuleFile:
    title: str = field("What these rules cover", default="")
    marks: dict[VarName, str] = field(
        "Facts true for the current turn only: name → meaning", factory=dict
    )
    formulas: dict[Id, Expression] = field(
        "Named expressions usable in any condition or amount", factory=dict
    )
    params: dict[Id, Number] = field(
        "Named constants with their default: usable like formulas; a scenario's `params:` "
        "sets its own values",
        factory=dict,
    )
    actions: dict[Id, ActionSpec] = field("Actions by id", factory=dict)
    rules: dict[Id, RuleSpec] = field("Systemic rules by id", factory=dict)


@declared("variable")
@attrs.frozen(kw_only=True)
class VariableSpec:
    start: Number = field("Value at the start")
    min: Number = field("Lowest value (default 0)", default=0.0)
    max: Number = field("Highest value (default 100)", default=100.0)
    text: str = field("What it means", default="")


@declared("flag")
@attrs.frozen(kw_only=True)
class FlagSpec:
    start: bool = field()
    text: str = field(default="")


@declared("modifier")
@attrs.frozen(kw_only=True)
class ModifierSpec:
    when: Expression = field(key="if")
    add: Expression | None = field("Added to the chance", default=None)
    factor: Expression | None = field("Multiplies the chance", default=None)


@declared("event", "An inject: scheduled by turn, or conditional with a chance each turn")
@attrs.frozen(kw_only=True)
class EventSpec:
    id: Id = field()
    title: str = field()
    text: str = field("What players read when it fires")
    turn: Annotated[int, Range(min=1)] | list[Annotated[int, Range(min=1)]] = field(
        "Turn(s) it fires on", factory=list
    )
    date: Date | list[Date] = field(
        "Quarter(s) it fires in, instead of turn numbers: 2023-Q3", factory=list
    )
    when: Expression | None = field("It fires only when this holds", key="if", default=None)
    chance: Expression | None = field("Chance per turn (0–1), for conditional events", default=None)
    modifiers: list[ModifierSpec] = field("Adjust the chance while conditions hold", factory=list)
    once: bool | None = field("Fire at most once (default: true for scheduled)", default=None)
    effects: Effects = field(factory=list)


@declared("objective", "One objective of a role")
@attrs.frozen(kw_only=True)
class ObjectiveSpec:
    id: Id = field()
    text: str = field()
    when: Expression = field("Met while this holds", key="if")
    points: Annotated[int, Range(-100, 100)] = field()
    scored: Annotated[str, Choice(("each_turn", "at_end"), "scoring")] = field(
        "each_turn: points every turn it holds; at_end: if it holds at the end"
    )
    turn: Annotated[int, Range(min=1)] | None = field(
        "Only on this turn: points if it holds when this turn ends (scored: each_turn)",
        default=None,
    )
    date: Date | None = field("Only in this quarter, instead of turn: 2023-Q3", default=None)


@declared("target", "An observed figure the engine should reproduce when the real moves are played")
@attrs.frozen(kw_only=True)
class TargetSpec:
    value: VarName = field("The variable observed")
    turn: Annotated[int, Range(min=1)] | None = field(
        "The turn it was observed at (its value when that turn ends)", default=None
    )
    date: Date | None = field("Or the quarter it was observed in: 2021-Q2", default=None)
    observed: Number = field("The observed figure, in the variable's units")
    source: str = field("Where the figure comes from")
    tolerance: Annotated[float, Range(0, MAX_MAGNITUDE)] = field(
        "How far the model may be off before `wargame calibrate` fails"
    )


@declared("actor")
@attrs.frozen(kw_only=True)
class ActorSpec:
    name: str = field()
    text: str = field(default="")


@declared("role", "A playable role")
@attrs.frozen(kw_only=True)
class RoleSpec(ActorSpec):
    aliases: dict[Id, Annotated[str, Pattern(NAME)]] = field(
        "Names usable after $actor/$target: rival: seoul", factory=dict
    )


@declared("scenario", "A scenario: the situation, its values, events and objectives")
@attrs.frozen(kw_only=True)
class Scenario:
    id: Annotated[str, Pattern(r"[a-z0-9][a-z0-9-]*", "lower-case words joined by -")] = field()
    title: str = field()
    summary: str = field()
    sources: list[str] = field("Where the numbers came from", factory=list)
    start: str = field("2021-Q1 or 2018-10")
    turns: Annotated[int, Range(1, MAX_TURNS)] = field("Number of quarterly turns")
    turn_length: Annotated[str, Choice(("quarter",), "turn length")] = field(default="quarter")
    rules: Annotated[list[str], MinItems(1)] = field(
        "Rule files: names under rules/ or relative paths"
    )
    roles: Annotated[dict[RoleId, RoleSpec], MinItems(1)] = field()
    actors: dict[Id, ActorSpec] = field(factory=dict)
    variables: dict[
        VarName,
        Annotated[
            Number | VariableSpec, Doc("A number: its start value, or {start, min, max, text}")
        ],
    ] = field()
    flags: dict[
        VarName,
        Annotated[bool | FlagSpec, Doc("A true/false fact: its start value, or {start, text}")],
    ] = field(factory=dict)
    events: list[EventSpec] = field(factory=list)
    objectives: dict[RoleId, list[ObjectiveSpec]] = field(factory=dict)
    params: dict[Id, Number] = field(
        "This scenario's values for constants its rule files declare under params:",
        factory=dict,
    )
    targets: list[TargetSpec] = field("Observed figures for `wargame calibrate`", factory=list)
