"""`wargame lint`: what validates but cannot work.

Validation checks that a scenario is well formed; this looks for content that is well formed
and still dead: conditions that read players' orders where no orders exist yet, modifiers the
engine never applies, values nothing reads, `sources:` lines naming values that do not exist,
events that can never fire, actions that can never be legal, objectives that can never hold,
and comparisons a value's range decides. Each is a Problem at the place to edit.

"Never changes" is decided from the compiled content: a name no effect, order or rule writes
keeps its start value all game, so a condition reading only such names has one value.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable, Mapping

from wargame.engine.content import Content, Effect, Event, SourceRef
from wargame.engine.expr import HISTORY_FUNCTIONS, Expr
from wargame.engine.resolve import NEVER

Warn = Callable[[SourceRef | None, str], None]

_NAME = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z0-9_*]+)+|[a-z][a-z0-9]*_[a-z0-9_]+")
_SLOT = re.compile(r"\{([A-Za-z_][A-Za-z0-9_.]*)\}")
_ENGINE_READS = ("capital",)  # <role>.capital: the engine reads it to pay for orders
# The board shows every role's approval and favourability, so those are read by the game.
_SHOWN = re.compile(r"[a-z][a-z0-9_]*\.(approval|favorability\.[a-z][a-z0-9_]*)")


def lint_content(
    content: Content,
    warn: Warn,
    variable_at: Callable[[str], SourceRef | None],
    sources_at: Callable[[int], SourceRef | None],
    also_read: Iterable[str] = (),
) -> None:
    """Call `warn(where, message)` for each problem. `variable_at(name)` finds a variable's
    declaration; `sources_at(i)` the i-th line of `sources:`; `also_read` names values read
    from outside the content (the scenario's targets)."""
    also_read = set(also_read)
    written = _written(content)
    start = _start_env(content)
    read = _read_names(content)

    def fixed(e: Expr) -> bool:
        names = set(e.names)
        return (
            not names & written
            and not any(n.startswith(("ordered.", "turn")) for n in names)
            and not any(n.startswith(HISTORY_FUNCTIONS) for n in names)
            and "chance(" not in e.source
        )

    def value_of(e: Expr) -> object:
        return e.fn(start, lambda _p: False)

    # Events: orders are never known when events fire; modifiers only apply to chance events.
    for ev in content.events:
        for e in _event_exprs(ev):
            orders = [n for n in e.names if n.startswith("ordered.")]
            if orders:
                warn(
                    ev.source,
                    f"event {ev.id!r} reads {orders[0]}, but events fire before orders are "
                    "given, so it is always false there: use ever(...), count(...) or "
                    "turns_since(...) of "
                    "earlier turns, or a mark the action sets",
                )
        if ev.turns and ev.modifiers:
            warn(
                ev.source,
                f"event {ev.id!r} is scheduled (turn or date), so its modifiers are never applied "
                "(they adjust the chance of unscheduled events only)",
            )
        if ev.when is not None and fixed(ev.when) and not value_of(ev.when):
            warn(ev.source, f"event {ev.id!r} can never fire: {_never_holds(ev.when)}")
        if ev.chance is not None and ev.chance.is_constant and not value_of(ev.chance):
            warn(ev.source, f"event {ev.id!r} can never fire: its chance is 0")

    # Objectives.
    for obj in content.objectives:
        name = f"objective '{obj.role}.{obj.id}'"
        if obj.scored == "at_end":
            gone = [n for n in obj.when.names if n.startswith("ordered.") or n in content.marks]
            if gone:
                warn(
                    obj.source,
                    f"{name} is scored at_end but reads {gone[0]}, which is false once the "
                    "last turn has resolved: score it each_turn, or use ever(...)",
                )
        if obj.when.is_constant or fixed(obj.when):
            holds = bool(value_of(obj.when))
            warn(
                obj.source,
                f"{name} "
                + ("always holds" if holds else f"can never hold: {_never_holds(obj.when)}"),
            )

    # Actions: legal only if affordable and every requirement can hold.
    capital_max = {
        role: content.variables[content.capital_name[role]].max
        for role in content.role_ids
        if content.capital_name[role] in content.variables
    }
    seen: set[tuple[str, str]] = set()
    for role, actions in content.actions.items():
        for a in actions:
            if (role, a.id) in seen:
                continue
            if a.cost > capital_max.get(role, a.cost):
                seen.add((role, a.id))
                warn(
                    a.source,
                    f"action {a.id!r} costs {a.cost} but {role}.capital is at most "
                    f"{capital_max[role]:g}: {role} can never take it",
                )
                continue
            for req in a.requires:
                if fixed(req.check) and not value_of(req.check):
                    seen.add((role, a.id))
                    warn(
                        a.source,
                        f"action {a.id!r} is never legal for {role}: {_never_holds(req.check)}",
                    )
                    break

    # Comparisons the value's range decides, anywhere.
    reported: set[tuple[str, str]] = set()
    for where, e in _all_exprs(content):
        for message in _range_problems(e, content):
            if (str(where), message) not in reported:
                reported.add((str(where), message))
                warn(where, message)

    # Values nothing reads.
    # A number that effects move but nothing reads is an indicator players watch; a flag
    # nothing reads, or a number nothing reads or moves, does nothing at all.
    for name, var in content.variables.items():
        if name in read or name in also_read or name.rsplit(".", 1)[-1] in _ENGINE_READS:
            continue
        if _SHOWN.fullmatch(name):
            continue
        if var.is_flag:
            warn(
                variable_at(name),
                f"flag {name!r} is never read by a rule, event, objective or text: "
                "setting it changes nothing",
            )
        elif name not in written:
            warn(
                variable_at(name),
                f"variable {name!r} is never read or changed by any rule, event, objective or text",
            )

    # `sources:` lines should name values that exist.
    known = set(content.variables)
    for i, line in enumerate(content.sources):
        for claimed in _claimed_names(line):
            if claimed.endswith(".*"):
                prefix = claimed[:-1]
                if not any(n.startswith(prefix) for n in known):
                    warn(sources_at(i), f"sources line names {claimed!r}, but no value matches")
            elif claimed not in known:
                guess = _close(claimed, known)
                warn(
                    sources_at(i),
                    f"sources line names {claimed!r}, which is not a variable or flag"
                    + (f"; did you mean {guess!r}?" if guess else ""),
                )


def _never_holds(e: Expr) -> str:
    names = ", ".join(e.names) or "nothing"
    return f"'{e.source}' is false, and {names} never change"


def _close(word: str, choices: Iterable[str]) -> str | None:
    import difflib

    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.7)
    return found[0] if found else None


def _claimed_names(line: str) -> list[str]:
    """The value names a sources line claims, before its first ':' ("name value, name2 ...")."""
    head = line.split(":", 1)[0] if ":" in line else ""
    out = []
    for chunk in head.split(","):
        words = chunk.split()
        if not words:
            continue
        first = words[0]
        if _NAME.fullmatch(first) or (
            len(words) > 1 and re.fullmatch(r"-?\d+(\.\d+)?%?", words[1]) and first.isidentifier()
        ):
            out.append(first)
    return out


def _written(content: Content) -> set[str]:
    out: set[str] = set(content.capital_name.values())

    def effects(items: Iterable[Effect]) -> None:
        out.update(e.name for e in items)

    for actions in content.actions.values():
        for a in actions:
            effects(a.effects)
            for o in a.outcomes:
                effects(o.effects)
    for rule in content.rules:
        effects(rule.effects)
    for ev in content.events:
        effects(ev.effects)
    return out


def _start_env(content: Content) -> dict[str, float | bool]:
    env: dict[str, float | bool] = dict(content.env_defaults)
    env.update({v.name: v.start for v in content.variables.values()})
    env["turn"] = 1.0
    for condition, _ in content.history:
        env[f"ever({condition})"] = False
        env[f"count({condition})"] = 0.0
        env[f"turns_since({condition})"] = NEVER
    return env


def _read_names(content: Content) -> set[str]:
    out: set[str] = set()
    for e in content.expressions():
        out.update(e.names)
    for _, e in content.history:
        out.update(e.names)
    for text in _texts(content):
        out.update(_SLOT.findall(text))
    return out


def _texts(content: Content) -> Iterable[str]:
    for actions in content.actions.values():
        for a in actions:
            yield a.text
            yield a.title
            yield from (r.reason for r in a.requires)
            yield from (w.reason for w in a.warnings)
            for o in a.outcomes:
                yield o.why
                yield from (e.why for e in o.effects)
            yield from (e.why for e in a.effects)
    for rule in content.rules:
        yield rule.why
        yield from (e.why for e in rule.effects)
    for ev in content.events:
        yield ev.text
        yield from (e.why for e in ev.effects)
    for obj in content.objectives:
        yield obj.text


def _event_exprs(ev: Event) -> list[Expr]:
    out = [x for x in (ev.when, ev.chance) if x is not None]
    for m in ev.modifiers:
        out.extend(x for x in (m.when, m.add, m.factor) if x is not None)
    return out


def _all_exprs(content: Content) -> Iterable[tuple[SourceRef, Expr]]:
    def effects(ref: SourceRef, items: Iterable[Effect]) -> Iterable[tuple[SourceRef, Expr]]:
        for e in items:
            yield ref, e.amount
            if e.when is not None:
                yield ref, e.when

    for actions in content.actions.values():
        for a in actions:
            yield from ((a.source, r.check) for r in a.requires)
            yield from ((a.source, w.check) for w in a.warnings)
            yield from effects(a.source, a.effects)
            for o in a.outcomes:
                if o.when is not None:
                    yield a.source, o.when
                yield from effects(a.source, o.effects)
    for rule in content.rules:
        if rule.when is not None:
            yield rule.source, rule.when
        yield from effects(rule.source, rule.effects)
    for ev in content.events:
        yield from ((ev.source, e) for e in _event_exprs(ev))
        yield from effects(ev.source, ev.effects)
    yield from ((o.source, o.when) for o in content.objectives)


_FLIP = {ast.Lt: ast.Gt, ast.Gt: ast.Lt, ast.LtE: ast.GtE, ast.GtE: ast.LtE}


def _range_problems(e: Expr, content: Content) -> list[str]:
    """`name OP number` comparisons that are always true or false for the name's range."""
    if e.is_constant or not isinstance(e.source, str):
        return []
    try:
        tree = ast.parse(e.source.replace("\n", " ").strip(), mode="eval")
    except SyntaxError:
        return []
    out = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare) or len(node.ops) != 1:
            continue
        left, op, right = node.left, node.ops[0], node.comparators[0]
        if isinstance(left, ast.Constant):
            left, right = right, left
            flipped = _FLIP.get(type(op))
            if flipped is None:
                continue
            op = flipped()
        name = _dotted(left)
        if name is None or not isinstance(right, ast.Constant):
            continue
        var = content.variables.get(name)
        value = right.value
        if var is None or var.is_flag or isinstance(value, bool):
            continue
        if not isinstance(value, int | float):
            continue
        verdict = _decide(op, var.min, var.max, float(value))
        if verdict is not None:
            text = ast.unparse(node)
            out.append(
                f"'{text}' is always {'true' if verdict else 'false'}: {name} stays between "
                f"{var.min:g} and {var.max:g}"
            )
    return out


def _dotted(node: ast.AST) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def _decide(op: ast.cmpop, lo: float, hi: float, c: float) -> bool | None:
    if isinstance(op, ast.Gt):
        return True if lo > c else False if hi <= c else None
    if isinstance(op, ast.GtE):
        return True if lo >= c else False if hi < c else None
    if isinstance(op, ast.Lt):
        return True if hi < c else False if lo >= c else None
    if isinstance(op, ast.LtE):
        return True if hi <= c else False if lo > c else None
    if isinstance(op, ast.Eq):
        return False if c < lo or c > hi else None
    return None


Lookup = Mapping[str, SourceRef]
