"""What the loaded content reads: every value a rule, objective, event, action check or
warning depends on, with the thresholds it is compared against. The board shows exactly
these (so a scenario's own values appear without a list kept in the UI), each with its trend
and a band word drawn from the content's own thresholds."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Mapping
from itertools import pairwise

import attrs

from wargame.engine.content import Content, Effect
from wargame.engine.expr import Expr
from wargame.engine.state import Value


@attrs.frozen
class ReadValue:
    """A value the content reads; `thresholds`: the constants it is compared against."""

    name: str
    thresholds: tuple[float, ...]
    readers: int  # how many expressions read it (more: more central)


def _effect_exprs(effects: Iterable[Effect]) -> Iterator[Expr]:
    for e in effects:
        yield e.amount
        if e.when is not None:
            yield e.when


def _exprs(content: Content) -> Iterator[Expr]:
    for rule in content.rules:
        if rule.when is not None:
            yield rule.when
        yield from _effect_exprs(rule.effects)
    for obj in content.objectives:
        yield obj.when
    for ev in content.events:
        for x in (ev.when, ev.chance):
            if x is not None:
                yield x
        for m in ev.modifiers:
            yield m.when
            yield from (x for x in (m.add, m.factor) if x is not None)
        yield from _effect_exprs(ev.effects)
    for actions in content.actions.values():
        for a in actions:
            yield from (r.check for r in (*a.requires, *a.warnings))
            yield from _effect_exprs(a.effects)
            for o in a.outcomes:
                if o.when is not None:
                    yield o.when
                yield from _effect_exprs(o.effects)


def _dotted(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


def _number(node: ast.AST) -> float | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float) \
            and not isinstance(node.value, bool):
        return float(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _number(node.operand)
        return -inner if inner is not None else None
    return None


def _comparisons(source: str) -> Iterator[tuple[str, float]]:
    """(name, constant) for each `name OP constant` (either way round) in an expression."""
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError:
        return
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare):
            continue
        operands = [node.left, *node.comparators]
        for a, b in pairwise(operands):
            for x, y in ((a, b), (b, a)):
                name, number = _dotted(x), _number(y)
                if name is not None and number is not None:
                    yield name, number


def read_values(content: Content) -> tuple[ReadValue, ...]:
    """Every variable or flag any expression of the content reads, in the scenario's order
    (capital aside: it is shown as the seat's budget)."""
    counts: dict[str, int] = {}
    thresholds: dict[str, set[float]] = {}
    for expr in _exprs(content):
        for name in expr.names:
            counts[name] = counts.get(name, 0) + 1
        if expr.names and not expr.is_constant:
            for name, number in _comparisons(expr.source):
                thresholds.setdefault(name, set()).add(number)
    return tuple(
        ReadValue(name, tuple(sorted(thresholds.get(name, ()))), counts[name])
        for name in content.variables
        if name in counts and not name.endswith(".capital")
    )


BAND_WORDS: Mapping[int, tuple[str, ...]] = {
    0: ("",),
    1: ("low", "high"),
    2: ("low", "middling", "high"),
    3: ("very low", "low", "high", "very high"),
}


def band(value: Value, thresholds: tuple[float, ...], lo: float = 0.0, hi: float = 100.0
         ) -> str:
    """A word for where a value sits among the thresholds the content compares it with
    (with none, thirds of its range); flags read as on/off."""
    if isinstance(value, bool):
        return "on" if value else "off"
    cuts = thresholds if thresholds else (lo + (hi - lo) / 3, lo + 2 * (hi - lo) / 3)
    if len(cuts) > 3:  # many cut points: keep the outer two and the middle one
        cuts = (cuts[0], cuts[len(cuts) // 2], cuts[-1])
    words = BAND_WORDS[len(cuts)]
    above = sum(1 for t in cuts if float(value) >= t)
    return words[above]
