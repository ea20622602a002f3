"""Declared file formats: every kind of problem with its exact position and wording, the
structured result, and the JSON Schema written from the same declaration."""

from __future__ import annotations

import json
import textwrap
from typing import Annotated, Any

import attrs
import pytest

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
from wargame.formats.jsonschema import DIALECT, document_schema
from wargame.formats.reader import Names, Reader, describe, read_document
from wargame.formats.yamlsrc import load_yaml

PHASES = ("convening", "cooperation", "coercion", "backlash", "drift")
Role = Annotated[str, Choice(("washington", "tokyo", "seoul"), "role")]


@declared("effect")
@attrs.frozen(kw_only=True)
class AddEffect:
    add: str = field()
    by: Expression = field()


@declared("effect")
@attrs.frozen(kw_only=True)
class SetEffect:
    set: str = field()
    to: Expression = field()


Effect = Annotated[AddEffect | SetEffect, Doc("a change to the state")]


@declared("action", "something a role can do")
@attrs.frozen(kw_only=True)
class Action:
    cost: Annotated[float, Range(0, 100)] = field("political capital")
    phase: Annotated[str, Choice(PHASES, "phase")] = field(default="drift")
    when: Expression | None = field(default=None)
    secret: bool = field(default=False)
    effects: Annotated[list[Effect], MinItems(1)] = field(factory=list)
    roles: Role | list[Role] = field(factory=list)


@declared("scenario")
@attrs.frozen(kw_only=True)
class Toy:
    title: str = field()
    turns: Annotated[int, Range(1, 40)] = field()
    variables: dict[Annotated[str, Pattern(r"[a-z][a-z0-9_]*", "a lower_snake_case name")],
                    float] = field(factory=dict)
    actions: Annotated[dict[str, Action], Doc("actions by id")] = field(factory=dict)


def check(text: str, kind: Any = Toy) -> list[str]:
    doc = load_yaml(textwrap.dedent(text), "s.yaml")
    reader = Reader(doc.file, doc.positions)
    reader.read(kind, doc.data)
    return [str(p) for p in reader.ordered()]


VALID = """\
title: Alliance under strain
turns: 12
variables:
  trust: 50
  nk_threat: 3.5
actions:
  export_controls:
    cost: 2
    phase: coercion
    when: trust > 10
    effects:
      - add: trust
        by: -5
      - set: sanctions
        to: true
    roles: tokyo
  summit:
    cost: 0
    effects: [{add: trust, by: 2}]
    roles: [washington, seoul]
"""


def test_valid_document_has_no_problems() -> None:
    assert check(VALID) == []


# -------------------------------------------------------------------- each kind of problem


def test_type_error_names_the_path() -> None:
    assert check(
        """\
        title: t
        turns: 3
        actions:
          export_controls:
            cost: two
        """
    ) == ["s.yaml:5:11: actions.export_controls.cost: expected a number, found text 'two'"]


def test_expected_a_list_found_a_mapping() -> None:
    assert check(
        """\
        title: t
        turns: 3
        actions:
          a:
            cost: 1
            effects:
              add: trust
              by: 1
        """
    ) == ["s.yaml:7:7: actions.a.effects: expected a list, found a mapping"]


def test_root_type_error_has_no_prefix() -> None:
    assert check("- 1\n- 2\n") == ["s.yaml:1:1: expected a mapping (scenario), found a list"]


def test_empty_document_is_a_type_error_at_1_1() -> None:
    assert check("") == ["s.yaml:1:1: expected a mapping (scenario), found an empty value"]


def test_maximum_and_minimum() -> None:
    assert check(
        """\
        title: t
        turns: 0
        actions:
          a: {cost: 140}
        """
    ) == [
        "s.yaml:2:8: turns: value 0 is below the minimum 1",
        "s.yaml:4:13: actions.a.cost: value 140 is above the maximum 100",
    ]


def test_integer_and_bool_is_not_a_number() -> None:
    assert check("title: t\nturns: 2.5\nvariables: {x: true}\n") == [
        "s.yaml:2:8: turns: expected a whole number, found the number 2.5",
        "s.yaml:3:16: variables.x: expected a number, found true",
    ]


def test_nan_is_rejected() -> None:
    assert check("title: t\nturns: 1\nvariables: {x: .nan}\n") == [
        "s.yaml:3:16: variables.x: expected a number, found .nan (not a number)"
    ]


def test_unknown_key_with_did_you_mean_points_at_the_key() -> None:
    assert check(
        """\
        title: t
        turns: 3
        actions:
          a:
            coast: 2
        """
    ) == ["s.yaml:5:5: actions.a: unknown key 'coast' in action; did you mean 'cost'?"]


def test_unknown_key_without_a_close_match_lists_allowed_keys() -> None:
    assert check("title: t\nturns: 3\nzzz: 1\n") == [
        "s.yaml:3:1: unknown key 'zzz' in scenario "
        "(allowed keys: title, turns, variables, actions)"
    ]


def test_missing_key_points_at_the_mappings_key() -> None:
    assert check(
        """\
        title: t
        turns: 3
        actions:
          summit:
            phase: drift
        """
    ) == ["s.yaml:4:3: actions.summit: missing key 'cost' in action"]


def test_missing_key_at_root() -> None:
    assert check("# comment\nturns: 3\n") == ["s.yaml:2:1: missing key 'title' in scenario"]


def test_choices_did_you_mean() -> None:
    assert check("title: t\nturns: 3\nactions:\n  a: {cost: 1, phase: drfit}\n") == [
        "s.yaml:4:23: actions.a.phase: unknown phase 'drfit'; did you mean 'drift'? "
        "(one of: convening, cooperation, coercion, backlash, drift)"
    ]


def test_choices_without_close_match() -> None:
    assert check("title: t\nturns: 3\nactions:\n  a: {cost: 1, phase: zzz}\n") == [
        "s.yaml:4:23: actions.a.phase: unknown phase 'zzz' "
        "(one of: convening, cooperation, coercion, backlash, drift)"
    ]


def test_text_expected_but_yes_no_word_found() -> None:
    assert check("title: no\nturns: 3\n") == [
        "s.yaml:1:8: title: expected text, found false; "
        "put words like yes, no, on and off in quotes to keep them as text"
    ]


def test_bool_expected() -> None:
    assert check("title: t\nturns: 3\nactions:\n  a: {cost: 1, secret: maybe}\n") == [
        "s.yaml:4:24: actions.a.secret: expected true or false, found text 'maybe'"
    ]


def test_expr_accepts_text_numbers_and_booleans_only() -> None:
    schema = list[Expression]
    assert check("- x > 1\n- 3\n- 2.5\n- true\n", schema) == []
    assert check("- [a]\n- \n", schema) == [
        "s.yaml:1:3: [0]: expected an expression (text, a number or true/false), found a list",
        "s.yaml:2:2: [1]: expected an expression (text, a number or true/false), "
        "found an empty value",
    ]


def test_an_empty_value_is_not_a_missing_one() -> None:
    assert check("title: t\nturns: 3\nactions:\n  a:\n    cost:\n    when:\n") == [
        "s.yaml:5:10: actions.a.cost: expected a number, found an empty value",
        "s.yaml:6:10: actions.a.when: expected an expression (text, a number or true/false), "
        "found an empty value",
    ]


def test_min_items() -> None:
    assert check("title: t\nturns: 3\nactions:\n  a: {cost: 1, effects: []}\n") == [
        "s.yaml:4:25: actions.a.effects: needs at least 1 item, found none"
    ]


def test_map_key_pattern_error_points_at_the_key() -> None:
    assert check("title: t\nturns: 3\nvariables:\n  good: 1\n  Bad Name: 2\n") == [
        "s.yaml:5:3: variables: key 'Bad Name' must be a lower_snake_case name"
    ]


def test_map_key_choices() -> None:
    schema = dict[Annotated[str, Choice(("tokyo", "seoul"), "role")], float]
    assert check("tokyo: 1\ntokio: 2\n", schema) == [
        "s.yaml:2:1: unknown role 'tokio'; did you mean 'tokyo'? (one of: tokyo, seoul)"
    ]


@attrs.frozen(kw_only=True)
class Vars:
    vars: dict[Annotated[str, Pattern(r"[a-z]+")], float] = field()


def test_map_key_raw_pattern_message() -> None:
    assert check("vars:\n  ok: 1\n  x1: 2\n", Vars) == [
        "s.yaml:3:3: vars: key 'x1' does not match the pattern [a-z]+"
    ]


def test_one_of_picks_by_shape_and_by_keys() -> None:
    assert check(
        """\
        title: t
        turns: 3
        actions:
          a:
            cost: 1
            effects:
              - {set: flag, to: [1]}
              - {add: trust}
              - 7
        """
    ) == [
        "s.yaml:7:25: actions.a.effects[0].to: expected an expression "
        "(text, a number or true/false), found a list",
        "s.yaml:8:9: actions.a.effects[1]: missing key 'by' in effect",
        "s.yaml:9:9: actions.a.effects[2]: expected a mapping (effect), found the number 7",
    ]


@attrs.frozen(kw_only=True)
class Either:
    x: bool | list[str] = field()


def test_one_of_message_lists_options() -> None:
    assert check("x: 3\n", Either) == [
        "s.yaml:1:4: x: expected true or false or a list, found the number 3"
    ]


def test_list_or_one() -> None:
    base = "title: t\nturns: 3\nactions:\n  a:\n    cost: 1\n    roles: "
    assert check(base + "tokyo\n") == []
    assert check(base + "[tokyo, seol]\n") == [
        "s.yaml:6:20: actions.a.roles[1]: unknown role 'seol'; did you mean 'seoul'? "
        "(one of: washington, tokyo, seoul)"
    ]
    assert check(base + "{a: 1}\n") == [
        "s.yaml:6:12: actions.a.roles: expected text or a list of them, found a mapping"
    ]


def test_all_problems_reported_together_in_file_order() -> None:
    problems = check(
        """\
        title: t
        turns: 99
        actions:
          a:
            coast: 1
            phase: drfit
        """
    )
    assert problems == [
        "s.yaml:2:8: turns: value 99 is above the maximum 40",
        "s.yaml:5:5: actions.a: unknown key 'coast' in action; did you mean 'cost'?",
        "s.yaml:6:12: actions.a.phase: unknown phase 'drfit'; did you mean 'drift'? "
        "(one of: convening, cooperation, coercion, backlash, drift)",
    ]
    # the misspelt 'coast' is not reported a second time as "missing key 'cost'"
    assert not any("missing" in p for p in problems)


def test_aliased_problem_is_reported_once_per_path() -> None:
    text = "title: t\nturns: 3\nactions:\n  a: &a {cost: x}\n  b: *a\n"
    assert check(text) == [
        "s.yaml:4:16: actions.a.cost: expected a number, found text 'x'",
        "s.yaml:4:16: actions.b.cost: expected a number, found text 'x'",
    ]


def test_a_reader_can_be_used_directly() -> None:
    reader = Reader("direct.yaml")
    assert reader.read(Annotated[float, Range(max=1)], 5, ("x",)) == 5
    assert [str(p) for p in reader.problems] == [
        "direct.yaml:1:1: x: value 5 is above the maximum 1"
    ]


def test_a_valid_document_structures_into_the_declared_classes() -> None:
    toy, problems = read_document(load_yaml(VALID, "s.yaml"), Toy)
    assert problems == []
    assert toy.turns == 12 and toy.variables == {"trust": 50.0, "nk_threat": 3.5}
    controls = toy.actions["export_controls"]
    assert controls.cost == 2.0 and controls.phase == "coercion" and controls.when == "trust > 10"
    assert controls.effects == [AddEffect(add="trust", by=-5), SetEffect(set="sanctions", to=True)]
    assert controls.roles == "tokyo"
    summit = toy.actions["summit"]
    assert summit.phase == "drift" and summit.when is None and summit.secret is False


def test_wrong_parts_are_replaced_by_neutral_values() -> None:
    doc = load_yaml("title: [x]\nturns: many\nactions: {a: {phase: drfit}}\n", "s.yaml")
    toy, problems = read_document(doc, Toy)
    assert len(problems) == 4
    assert toy.title == "" and toy.turns == 40
    assert toy.actions["a"].phase == "convening" and toy.actions["a"].cost == 0


def test_helpers() -> None:
    assert describe("two") == "text 'two'"
    assert describe("it's") == 'text "it\'s"'
    assert describe(None) == "an empty value"
    assert describe(3) == "the number 3"
    assert describe(False) == "false"
    assert describe([]) == "a list"
    assert describe({}) == "a mapping"
    assert Names(["cost", "phase"]).guess("coast") == "cost"
    assert Names(["cost"]).guess("COST") == "cost"
    assert Names(["cost"]).guess("zzz") is None


# -------------------------------------------------------------------- JSON Schema


def test_json_schema_of_a_composite() -> None:
    js = document_schema(Toy, "Scenario", "https://example.org/scenario.schema.json")
    assert js["$schema"] == DIALECT == "https://json-schema.org/draft/2020-12/schema"
    assert js["$id"] == "https://example.org/scenario.schema.json"
    assert js["title"] == "Scenario"
    assert js["type"] == "object"
    assert js["additionalProperties"] is False
    assert js["required"] == ["title", "turns"]
    props = js["properties"]
    assert isinstance(props, dict)
    assert props["turns"] == {"type": "integer", "minimum": 1, "maximum": 40}
    assert props["variables"]["propertyNames"] == {
        "type": "string",
        "pattern": "^(?:[a-z][a-z0-9_]*)$",
    }
    assert props["variables"]["additionalProperties"] == {"type": "number"}
    action = props["actions"]["additionalProperties"]
    assert props["actions"]["description"] == "actions by id"
    assert action["description"] == "something a role can do"
    assert action["title"] == "action"
    assert action["required"] == ["cost"]
    assert action["properties"]["cost"] == {
        "type": "number",
        "minimum": 0,
        "maximum": 100,
        "description": "political capital",
    }
    assert action["properties"]["phase"]["enum"] == list(PHASES)
    assert action["properties"]["when"] == {"type": ["string", "number", "boolean"]}
    assert action["properties"]["effects"]["minItems"] == 1
    effect = action["properties"]["effects"]["items"]
    assert effect["description"] == "a change to the state"
    assert len(effect["anyOf"]) == 2
    roles = action["properties"]["roles"]["anyOf"]
    assert roles[1]["type"] == "array" and roles[1]["items"] == roles[0]
    json.dumps(js)  # plain JSON all the way down


def test_json_schema_agrees_with_the_reader() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    js = document_schema(Toy, "Scenario", "https://example.org/scenario.schema.json")
    validator_cls = jsonschema.Draft202012Validator
    validator_cls.check_schema(js)
    validator = validator_cls(js)
    good = load_yaml(VALID, "s.yaml").data
    assert list(validator.iter_errors(good)) == []
    for bad in (
        "title: t\nturns: 0\n",
        "title: t\nturns: 3\nzzz: 1\n",
        "title: t\nturns: 3\nvariables: {Bad: 1}\n",
        "title: t\nturns: 3\nactions: {a: {cost: 1, phase: drfit}}\n",
        "title: t\nturns: 3\nactions: {a: {cost: 1, effects: [{add: x}]}}\n",
        "turns: 3\n",
    ):
        data = load_yaml(bad, "s.yaml").data
        assert list(validator.iter_errors(data)), bad
        assert check(bad), bad
