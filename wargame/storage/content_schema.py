"""The shape of scenario and rule files, written once: it validates YAML with positions and
emits the JSON Schema that editors use (`wargame schema scenario|rules`)."""

from __future__ import annotations

from wargame.engine.content import PHASES
from wargame.storage.schema import (
    Bool,
    Expr,
    Field,
    ListOf,
    ListOrOne,
    MapOf,
    Num,
    Obj,
    OneOf,
    Str,
)

ID = r"[a-z][a-z0-9_]*"
NAME = r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*"
TEMPLATED = r"\$?[a-z][a-z0-9_]*(\.\$?[a-z][a-z0-9_]*)*"

_id = Str(pattern=ID, pattern_text="lower-case letters, digits and _ (starting with a letter)")
_role_id = Str("A role id, e.g. tokyo", pattern=ID, pattern_text="a role id such as tokyo")
_var_key = Str(pattern=NAME, pattern_text="a dotted name such as japan_rok.trust")
_target_key = Str(
    pattern=TEMPLATED,
    pattern_text="a dotted name, possibly with $actor/$target (e.g. $actor.approval)",
)
_text = Str()

EFFECT = Obj(
    {
        "if": Field(Expr(), description="Apply this effect only when the condition holds"),
        "add": Field(
            MapOf(Expr("Amount to add (negative to subtract)"), key=_target_key),
            description="Numbers to move: name → amount",
        ),
        "set": Field(
            MapOf(Expr("New value (true/false for flags and marks)"), key=_target_key),
            description="Values to set: name → value",
        ),
        "why": Field(_text, description="A sentence explaining this change, shown in the trace"),
    },
    "One effect: add to numbers and/or set values, optionally only if a condition holds",
    name="effect",
)
EFFECTS = ListOf(EFFECT, "Effects, applied in order")

OUTCOME = Obj(
    {
        "result": Field(_id, required=True, description="Outcome code, e.g. convened, snubbed"),
        "if": Field(
            Expr(),
            description="This outcome applies when the condition holds; "
            "the first matching outcome wins",
        ),
        "why": Field(
            _text,
            required=True,
            description="The sentence that explains the outcome; {name} shows a value",
        ),
        "effects": Field(EFFECTS),
    },
    "A possible outcome of an action",
    name="outcome",
)

REQUIREMENT = Obj(
    {
        "check": Field(Expr(), required=True, description="Must hold for the order to be legal"),
        "reason": Field(_text, required=True, description="Shown when the order is refused"),
    },
    "A condition for an action to be legal",
    name="requirement",
)

WARNING = Obj(
    {
        "if": Field(Expr(), required=True, description="Warn in the preview when this holds"),
        "say": Field(_text, required=True, description="The warning"),
    },
    "A warning shown in the order preview",
    name="warning",
)

ACTION = Obj(
    {
        "who": Field(ListOf(_role_id), required=True, description="Roles that may take it"),
        "targets": Field(ListOf(_role_id), description="Roles it can be aimed at ($target)"),
        "cost": Field(
            Num(min=0, max=20, integer=True),
            required=True,
            description="Political capital it costs",
        ),
        "phase": Field(
            Str(choices=PHASES, name="phase"),
            required=True,
            description="When it resolves: " + " → ".join(PHASES),
        ),
        "title": Field(_text, description="Short name shown in menus"),
        "text": Field(_text, required=True, description="One-line description for players"),
        "ai": Field(
            OneOf(Num(), MapOf(Num(), key=_role_id)),
            description="Bot preference weight (number, or per role)",
        ),
        "requires": Field(ListOf(REQUIREMENT), description="Conditions for being legal"),
        "warn": Field(ListOf(WARNING), description="Warnings for the preview"),
        "effects": Field(EFFECTS, description="Effects applied whatever the outcome"),
        "outcomes": Field(
            ListOf(OUTCOME, min_items=1),
            required=True,
            description="Possible outcomes; the first whose `if` holds applies",
        ),
    },
    "An action a role can order",
    name="action",
)

RULE = Obj(
    {
        "phase": Field(Str(choices=PHASES, name="phase"), required=True),
        "each": Field(ListOf(_role_id), description="Apply once per role, as $actor"),
        "if": Field(Expr(), description="The rule applies whenever this holds"),
        "why": Field(_text, required=True, description="The sentence shown when it applies"),
        "effects": Field(EFFECTS, required=True),
    },
    "A systemic rule: applies by itself in its phase",
    name="rule",
)

RULES_SCHEMA = Obj(
    {
        "title": Field(_text, description="What these rules cover"),
        "marks": Field(
            MapOf(_text, key=_var_key),
            description="Facts true for the current turn only: name → meaning",
        ),
        "formulas": Field(
            MapOf(Expr(), key=_id),
            description="Named expressions usable in any condition or amount",
        ),
        "actions": Field(MapOf(ACTION, key=_id), description="Actions by id"),
        "rules": Field(MapOf(RULE, key=_id), description="Systemic rules by id"),
    },
    "A rule file: actions, marks, formulas and systemic rules",
    name="rule file",
)

VARIABLE = OneOf(
    Num(),
    Obj(
        {
            "start": Field(Num(), required=True, description="Value at the start"),
            "min": Field(Num(), description="Lowest value (default 0)"),
            "max": Field(Num(), description="Highest value (default 100)"),
            "text": Field(_text, description="What it means"),
        },
        name="variable",
    ),
    description="A number: its start value, or {start, min, max, text}",
)

FLAG = OneOf(
    Bool(),
    Obj({"start": Field(Bool(), required=True), "text": Field(_text)}, name="flag"),
    description="A true/false fact: its start value, or {start, text}",
)

EVENT = Obj(
    {
        "id": Field(_id, required=True),
        "title": Field(_text, required=True),
        "text": Field(_text, required=True, description="What players read when it fires"),
        "turn": Field(ListOrOne(Num(min=1, integer=True)), description="Turn(s) it fires on"),
        "if": Field(Expr(), description="It fires only when this holds"),
        "chance": Field(Expr(), description="Chance per turn (0–1), for conditional events"),
        "modifiers": Field(
            ListOf(
                Obj(
                    {
                        "if": Field(Expr(), required=True),
                        "add": Field(Expr(), description="Added to the chance"),
                        "factor": Field(Expr(), description="Multiplies the chance"),
                    },
                    name="modifier",
                )
            ),
            description="Adjust the chance while conditions hold",
        ),
        "once": Field(Bool(), description="Fire at most once (default: true for scheduled)"),
        "effects": Field(EFFECTS),
    },
    "An inject: scheduled by turn, or conditional with a chance each turn",
    name="event",
)

OBJECTIVE = Obj(
    {
        "id": Field(_id, required=True),
        "text": Field(_text, required=True),
        "if": Field(Expr(), required=True, description="Met while this holds"),
        "points": Field(Num(min=-100, max=100, integer=True), required=True),
        "scored": Field(
            Str(choices=("each_turn", "at_end"), name="scoring"),
            required=True,
            description="each_turn: points every turn it holds; at_end: if it holds at the end",
        ),
    },
    "One objective of a role",
    name="objective",
)

ROLE = Obj(
    {
        "name": Field(_text, required=True),
        "text": Field(_text),
        "aliases": Field(
            MapOf(Str(pattern=NAME), key=_id),
            description="Names usable after $actor/$target: rival: seoul",
        ),
    },
    "A playable role",
    name="role",
)

SCENARIO_SCHEMA = Obj(
    {
        "id": Field(
            Str(pattern=r"[a-z0-9][a-z0-9-]*", pattern_text="lower-case words joined by -"),
            required=True,
        ),
        "title": Field(_text, required=True),
        "summary": Field(_text, required=True),
        "sources": Field(ListOf(_text), description="Where the numbers came from"),
        "start": Field(Str(), required=True, description="2021-Q1 or 2018-10"),
        "turns": Field(
            Num(min=1, max=2000, integer=True),
            required=True,
            description="Number of quarterly turns",
        ),
        "turn_length": Field(Str(choices=("quarter",), name="turn length")),
        "rules": Field(
            ListOf(Str(), min_items=1),
            required=True,
            description="Rule files: names under rules/ or relative paths",
        ),
        "roles": Field(MapOf(ROLE, key=_role_id, min_items=1), required=True),
        "actors": Field(
            MapOf(
                Obj({"name": Field(_text, required=True), "text": Field(_text)}, name="actor"),
                key=_id,
            )
        ),
        "variables": Field(MapOf(VARIABLE, key=_var_key), required=True),
        "flags": Field(MapOf(FLAG, key=_var_key)),
        "events": Field(ListOf(EVENT)),
        "objectives": Field(MapOf(ListOf(OBJECTIVE), key=_role_id)),
    },
    "A scenario: the situation, its values, events and objectives",
    name="scenario",
)
