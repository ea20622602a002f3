"""The rule-case table (tests/cases/*.yaml): each essay dynamic as data, checked against a
counterfactual run with the bundled rules. See tests/cases/README.md for the format."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import attrs
import pytest

from wargame.engine.content import Content
from wargame.engine.expr import compile_expr
from wargame.engine.resolve import resolve_turn, start
from wargame.engine.state import Order, OrderOutcome
from wargame.formats.cases import RuleCase, RuleCaseFile, TurnOrders
from wargame.formats.reader import read_document
from wargame.formats.yamlsrc import load_yaml
from wargame.paths import find_scenario
from wargame.storage.content_loader import load_content

CASES = Path(__file__).resolve().parents[1] / "cases"


def _read(path: Path) -> RuleCaseFile:
    parsed, problems = read_document(load_yaml(path.read_text(), str(path)), RuleCaseFile)
    assert not problems, "\n".join(str(p) for p in problems)
    return parsed


def _all_cases() -> list[tuple[str, RuleCase]]:
    out = []
    for path in sorted(CASES.glob("*.yaml")):
        for case in _read(path).cases:
            out.append((f"{path.stem}::{case.id}", case))
    return out


@cache
def _content(name: str) -> Content:
    path = find_scenario(name)
    assert path is not None, name
    # Scenario events are switched off so a case measures the rules alone.
    return attrs.evolve(load_content(path), events=())


def _orders(turn: TurnOrders) -> dict[str, tuple[Order, ...]]:
    return {
        role: tuple(Order(i) if isinstance(i, str) else Order(i.action, i.target) for i in items)
        for role, items in turn.items()
    }


def _run(
    content: Content,
    overrides: Mapping[str, float | bool],
    turns: TurnOrders | list[TurnOrders],
    seed: int = 7,
) -> tuple[dict[str, Any], dict[str, Any], list[OrderOutcome]]:
    state = start(content, seed)
    values = dict(state.values)
    for name, value in overrides.items():
        assert name in values, f"case sets unknown variable {name}"
        values[name] = value if isinstance(value, bool) else float(value)
    state = attrs.evolve(state, values=values)
    before = dict(state.values)
    outcomes: list[OrderOutcome] = []
    for i, turn in enumerate(turns if isinstance(turns, list) else [turns]):
        state, report = resolve_turn(content, state, _orders(turn))
        if i == 0:
            outcomes = list(report.outcomes)
    return before, dict(state.values), outcomes


def _check_results(expected: dict[str, str], outcomes: list[OrderOutcome], label: str) -> None:
    got = {f"{o.role}.{o.action}": o.result for o in outcomes}
    for key, result in expected.items():
        assert got.get(key) == result, f"{label}: {key} gave {got.get(key)!r}, expected {result!r}"


@pytest.mark.parametrize("case", [c for _, c in _all_cases()], ids=[i for i, _ in _all_cases()])
def test_rule_case(case: RuleCase) -> None:
    content = _content(case.scenario)
    before, after, outcomes = _run(content, case.start, case.orders)
    base = case.baseline
    b_before, b_after, b_outcomes = _run(content, {**case.start, **base.start}, base.orders)

    _check_results(case.results, outcomes, "main run")
    _check_results(case.baseline_results, b_outcomes, "baseline run")

    env: dict[str, Any] = {}
    for name in after:
        env[f"d.{name}"] = float(after[name]) - float(before[name])
        env[f"b.{name}"] = float(b_after[name]) - float(b_before[name])
        env[f"a.{name}"] = float(after[name])
        env[f"ab.{name}"] = float(b_after[name])
    for text in case.expect:
        check = compile_expr(text, env.__contains__)
        shown = {n: round(env[n], 3) for n in check.names}
        assert check(env, lambda p: False), f"{case.id}: expected {text} — values {shown}"


def test_a_misspelt_key_in_a_case_file_is_an_error_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        "cases:\n  - id: X\n    says: s\n    scenario: convenor\n"
        "    orders: {}\n    expect: []\n    baseline_result: {seoul.boycott: started}\n"
    )
    _, problems = read_document(load_yaml(path.read_text(), str(path)), RuleCaseFile)
    assert [str(p) for p in problems] == [
        f"{path}:7:5: cases[0]: unknown key 'baseline_result' in rule case; "
        "did you mean 'baseline_results'?"
    ]


def test_table_covers_every_required_dynamic() -> None:
    ids = {i.split("::")[1].split("-")[0] for i, _ in _all_cases()}
    assert {"C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9", "C10", "C11"} <= ids
