"""Rule-case files (tests/cases/*.yaml, format in tests/cases/README.md), declared so that a
misspelt key is an error at its line instead of a check silently skipped."""

from __future__ import annotations

import attrs

from wargame.formats.content import Id, Number, RoleId, VarName
from wargame.formats.declare import declared, field
from wargame.formats.orders import OrderSpec

TurnOrders = dict[RoleId, list[str | OrderSpec]]


@declared("baseline", "The counterfactual run: its own start changes and/or orders")
@attrs.frozen(kw_only=True)
class Baseline:
    start: dict[VarName, Number | bool] = field("Values set before the turn", factory=dict)
    orders: TurnOrders | list[TurnOrders] = field("One turn, or a list of turns", factory=dict)


@declared("rule case", "One dynamic of the essay, checked against a counterfactual run")
@attrs.frozen(kw_only=True)
class RuleCase:
    id: str = field()
    says: str = field("The essay's claim, in a sentence")
    scenario: str = field(
        "Scenario whose rules and variables are used: a bundled id, or a path from this file"
    )
    start: dict[VarName, Number | bool] = field("Values set before the turn", factory=dict)
    orders: TurnOrders | list[TurnOrders] = field("One turn, or a list of turns")
    baseline: Baseline = field(factory=Baseline)
    results: dict[str, Id] = field("Outcome codes in the main run: role.action → result",
                                   factory=dict)
    baseline_results: dict[str, Id] = field("Outcome codes in the baseline run", factory=dict)
    expect: list[str] = field("Expressions over d.X, b.X, a.X and ab.X that must hold")


@declared("rule case file")
@attrs.frozen(kw_only=True)
class RuleCaseFile:
    cases: list[RuleCase] = field()
