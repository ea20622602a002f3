"""Scenario case files, run by `wargame test PATH...` (and by this repository's own tests).

A case is data: a starting state, one or more turns of orders, a counterfactual baseline,
and what must follow — outcome codes, and expressions over the changes in both runs
(format: docs/tutorial.md, "Test the dynamics you claim"; declared in
wargame.formats.cases). Events of the
scenario are switched off so that a case measures the rules alone.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from wargame.authoring.validate import yaml_files
from wargame.engine.content import Content
from wargame.engine.expr import ExprError, compile_expr
from wargame.engine.resolve import resolve_turn, start
from wargame.engine.state import Order, OrderOutcome
from wargame.formats.cases import RuleCase, RuleCaseFile, TurnOrders
from wargame.formats.reader import read_document
from wargame.formats.yamlsrc import Problem, YamlError, load_yaml_file
from wargame.paths import find_scenario
from wargame.storage.content_loader import ContentError, load_content

SEED = 7


@attrs.frozen
class CaseResult:
    file: str
    case: RuleCase
    where: Problem  # the case's position; message = its id
    failures: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.failures


def read_cases(path: Path) -> tuple[list[tuple[RuleCase, Problem]], list[Problem]]:
    """The cases of a file, each with its position, or the problems that stop it."""
    try:
        doc = load_yaml_file(path)
    except YamlError as err:
        return [], list(err.problems)
    parsed, problems = read_document(doc, RuleCaseFile)
    if problems:
        return [], problems
    return [
        (c, doc.positions.problem(str(path), ("cases", i), c.id))
        for i, c in enumerate(parsed.cases)
    ], []


def scenario_for(case: RuleCase, case_file: Path) -> Path | None:
    """`scenario:` is a bundled id or a path relative to the case file."""
    if case.scenario.endswith((".yaml", ".yml")) or "/" in case.scenario:
        path = (case_file.parent / case.scenario).resolve()
        return path if os.path.exists(path) else None  # never raises; the reader refuses
    return find_scenario(case.scenario)


def orders_of(turn: TurnOrders) -> dict[str, tuple[Order, ...]]:
    return {
        role: tuple(Order(i) if isinstance(i, str) else Order(i.action, i.target) for i in items)
        for role, items in turn.items()
    }


def _run(
    content: Content,
    overrides: Mapping[str, float | bool],
    turns: TurnOrders | list[TurnOrders],
    failures: list[str],
) -> tuple[dict[str, Any], dict[str, Any], list[OrderOutcome]]:
    state = start(content, SEED)
    values = dict(state.values)
    for name, value in overrides.items():
        if name not in values:
            failures.append(f"start sets {name!r}, which is not a variable or flag")
            continue
        values[name] = value if isinstance(value, bool) else float(value)
    state = attrs.evolve(state, values=values)
    before = dict(state.values)
    outcomes: list[OrderOutcome] = []
    for i, turn in enumerate(turns if isinstance(turns, list) else [turns]):
        if state.turn > content.turns:
            failures.append(f"more turns of orders than the scenario's {content.turns}")
            break
        state, report = resolve_turn(content, state, orders_of(turn))
        if i == 0:
            outcomes = list(report.outcomes)
    return before, dict(state.values), outcomes


def _check_results(
    expected: Mapping[str, str], outcomes: list[OrderOutcome], label: str, failures: list[str]
) -> None:
    got = {f"{o.role}.{o.action}": o.result for o in outcomes}
    for key, result in expected.items():
        if got.get(key) != result:
            failures.append(f"{label}: {key} gave {got.get(key)!r}, expected {result!r}")


def run_case(case: RuleCase, content: Content) -> list[str]:
    """What went wrong with one case (empty: it passed)."""
    failures: list[str] = []
    content = attrs.evolve(content, events=())
    before, after, outcomes = _run(content, case.start, case.orders, failures)
    base = case.baseline
    b_before, b_after, b_outcomes = _run(
        content, {**case.start, **base.start}, base.orders, failures
    )
    _check_results(case.results, outcomes, "main run", failures)
    _check_results(case.baseline_results, b_outcomes, "baseline run", failures)
    env: dict[str, Any] = {}
    for name in after:
        env[f"d.{name}"] = float(after[name]) - float(before[name])
        env[f"b.{name}"] = float(b_after[name]) - float(b_before[name])
        env[f"a.{name}"] = float(after[name])
        env[f"ab.{name}"] = float(b_after[name])
    for text in case.expect:
        try:
            check = compile_expr(text, env.__contains__)
        except ExprError as err:
            failures.append(f"expect {text!r}: {err.message}")
            continue
        if not check(env, lambda _p: False):
            shown = ", ".join(f"{n} = {env[n]:.3g}" for n in check.names)
            failures.append(f"expected {text}, but {shown}")
    return failures


def run_files(paths: list[Path]) -> tuple[list[CaseResult], list[Problem]]:
    """Every case in every file (folders: their *.yaml), and the problems that stopped any."""
    files, problems = yaml_files(paths)
    results: list[CaseResult] = []
    loaded: dict[Path, Content] = {}
    for f in files:
        cases, bad = read_cases(f)
        problems += bad
        for case, where in cases:
            path = scenario_for(case, f)
            if path is None:
                problems.append(
                    attrs.evolve(where, message=f"case {case.id!r}: no scenario {case.scenario!r}")
                )
                continue
            if path not in loaded:
                try:
                    loaded[path] = load_content(path)
                except ContentError as err:
                    problems += err.problems
                    continue
            results.append(CaseResult(str(f), case, where, tuple(run_case(case, loaded[path]))))
    return results, problems
