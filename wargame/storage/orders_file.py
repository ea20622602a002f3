"""Scripted orders for `wargame run` (format in docs/reference.md, declared in
wargame.formats.orders), checked against the scenario before any turn runs."""

from __future__ import annotations

import sys
from pathlib import Path

from wargame.engine.content import Content
from wargame.engine.state import Order
from wargame.formats.files import YAML_LIMIT, FileRefused, read_stream
from wargame.formats.orders import OrderItem, OrdersFile, OrderSpec
from wargame.formats.reader import hint, read_document
from wargame.formats.yamlsrc import Document, Problem, YamlError, load_yaml, read_source
from wargame.storage.content_loader import ContentError

ScriptedTurn = dict[str, tuple[Order, ...]]
PathKey = tuple[str | int, ...]


def scenario_named(text: str, file: str) -> str | None:
    """The `scenario:` an orders file names, if any."""
    try:
        data = load_yaml(text, file).data
    except YamlError:
        return None
    named = data.get("scenario") if isinstance(data, dict) else None
    return str(named) if named is not None else None


def parse_orders(
    text: str, file: str, content: Content, check_length: bool = True
) -> list[ScriptedTurn]:
    """The turns of an orders file; every unknown role or action is a Problem at its line.
    `check_length` False: turns past the scenario's end are not a problem (validate checks
    an orders file that names no scenario against the default one)."""
    try:
        doc = load_yaml(text, file)
    except YamlError as err:
        raise ContentError(err.problems) from None
    if doc.data is None:
        return []
    spec, problems = read_document(doc, OrdersFile)
    turns: list[ScriptedTurn] = []
    roles = list(content.role_ids)
    for t, entry in enumerate(spec.turns):
        path: PathKey = ("turns", t)
        if check_length and t >= content.turns:
            problems.append(
                doc.problem(
                    path, f"turn {t + 1} is past the end of {content.id} ({content.turns} turns)"
                )
            )
        turn: ScriptedTurn = {}
        for role, given in (entry or {}).items():
            if role not in roles:
                problems.append(
                    doc.problem((*path, role), f"unknown role {role!r}" + hint(role, roles),
                                at_key=True)
                )
                continue
            items = given if isinstance(given, list) else [] if given is None else [given]
            orders = [_order(doc, content, role, item, (*path, role, i), problems)
                      for i, item in enumerate(items)]
            turn[role] = tuple(o for o in orders if o is not None)
        turns.append(turn)
    if problems:
        raise ContentError(problems)
    return turns


def _order(
    doc: Document, content: Content, role: str, item: OrderItem, path: PathKey,
    problems: list[Problem],
) -> Order | None:
    if isinstance(item, OrderSpec):
        order = Order(item.action, item.target)
    else:
        action, _, target = item.partition(":")
        order = Order(action.strip(), target.strip() or None)
    if not order.action:  # a wrong item, already reported by the reader
        return None
    ids = sorted({a.id for a in content.actions[role]})
    if order.action not in ids:
        problems.append(
            doc.problem(path, f"{role} has no action {order.action!r}" + hint(order.action, ids))
        )
        return None
    if content.action(role, order.key) is not None:
        return order
    targets = sorted(
        {a.target for a in content.actions[role] if a.id == order.action and a.target}
    )
    if targets and order.target is None:
        message = f"{order.action} needs a target: one of {', '.join(targets)}"
    elif targets:
        message = f"{order.action} cannot target {order.target!r}; one of {', '.join(targets)}"
    else:
        message = f"{order.action} takes no target"
    problems.append(doc.problem(path, message))
    return None


def read_orders(path: str | Path, content: Content) -> list[ScriptedTurn]:
    try:
        text = read_source(path)
    except YamlError as err:
        raise ContentError(err.problems) from None
    return parse_orders(text, str(path), content)


def read_stdin() -> str:
    """`--orders -`: standard input, bounded like a file."""
    try:
        return read_stream(sys.stdin.buffer, "<stdin>", YAML_LIMIT, "an orders file").decode()
    except FileRefused as err:
        raise ContentError([Problem(err.name, 1, 1, err.reason)]) from None
    except UnicodeDecodeError as err:
        message = f"not UTF-8 text (byte {err.start}); send UTF-8"
        raise ContentError([Problem("<stdin>", 1, 1, message)]) from None
