"""Scripted orders for `wargame run` (format in docs/reference.md), checked before any turn runs."""

from __future__ import annotations

import difflib
from pathlib import Path

from wargame.engine.content import Content
from wargame.engine.state import Order
from wargame.formats.yamlsrc import Problem, YamlError, load_yaml
from wargame.storage.content_loader import ContentError

ScriptedTurn = dict[str, tuple[Order, ...]]


def _close(word: str, choices: list[str]) -> str:
    m = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"; did you mean {m[0]!r}?" if m else ""


def parse_orders(text: str, file: str, content: Content) -> list[ScriptedTurn]:
    """The turns of an orders file; every unknown role or action is a Problem at its line."""
    try:
        doc = load_yaml(text, file)
    except YamlError as err:
        raise ContentError(err.problems) from None
    pos = doc.positions
    problems: list[Problem] = []
    data = doc.data
    if data is None:
        data = {"turns": []}
    if not isinstance(data, dict) or not isinstance(data.get("turns"), list):
        raise ContentError(
            [
                pos.problem(
                    file,
                    (),
                    "an orders file is a mapping with a list under 'turns:' "
                    "(see docs/reference.md)",
                )
            ]
        )
    for key in data:
        if key != "turns":
            problems.append(
                pos.problem(file, (key,), f"unknown key {key!r}; expected 'turns'", at_key=True)
            )
    turns: list[ScriptedTurn] = []
    roles = list(content.role_ids)
    for t, entry in enumerate(data["turns"]):
        path: tuple[str | int, ...] = ("turns", t)
        if t >= content.turns:
            problems.append(
                pos.problem(
                    file,
                    path,
                    f"turn {t + 1} is past the end of {content.id} ({content.turns} turns)",
                )
            )
        turn: ScriptedTurn = {}
        if entry is None:
            turns.append(turn)
            continue
        if not isinstance(entry, dict):
            problems.append(pos.problem(file, path, "each turn maps roles to their orders"))
            turns.append(turn)
            continue
        for role, items in entry.items():
            if role not in roles:
                problems.append(
                    pos.problem(
                        file,
                        (*path, role),
                        f"unknown role {role!r}" + _close(role, roles),
                        at_key=True,
                    )
                )
                continue
            if items is None:
                items = []
            if not isinstance(items, list):
                items = [items]
            ids = sorted({a.id for a in content.actions[role]})
            orders: list[Order] = []
            for i, item in enumerate(items):
                ipath = (*path, role, i)
                if isinstance(item, str):
                    action, _, target = item.partition(":")
                    order = Order(action.strip(), target.strip() or None)
                elif isinstance(item, dict) and isinstance(item.get("action"), str):
                    extra = set(item) - {"action", "target"}
                    if extra:
                        problems.append(
                            pos.problem(
                                file,
                                (*ipath, sorted(extra)[0]),
                                f"unknown key {sorted(extra)[0]!r} in an "
                                "order; expected 'action' and 'target'",
                                at_key=True,
                            )
                        )
                    raw_target = item.get("target")
                    order = Order(
                        item["action"], str(raw_target) if raw_target is not None else None
                    )
                else:
                    problems.append(
                        pos.problem(
                            file, ipath, "an order is an action id or {action: ID, target: ROLE}"
                        )
                    )
                    continue
                if order.action not in ids:
                    problems.append(
                        pos.problem(
                            file,
                            ipath,
                            f"{role} has no action {order.action!r}" + _close(order.action, ids),
                        )
                    )
                elif content.action(role, order.key) is None:
                    targets = sorted(
                        {
                            a.target
                            for a in content.actions[role]
                            if a.id == order.action and a.target
                        }
                    )
                    if targets and order.target is None:
                        msg = f"{order.action} needs a target: one of {', '.join(targets)}"
                    elif targets:
                        msg = (
                            f"{order.action} cannot target {order.target!r}; one of "
                            f"{', '.join(targets)}"
                        )
                    else:
                        msg = f"{order.action} takes no target"
                    problems.append(pos.problem(file, ipath, msg))
                else:
                    orders.append(order)
            turn[role] = tuple(orders)
        turns.append(turn)
    if problems:
        raise ContentError(problems)
    return turns


def read_orders(path: str | Path, content: Content) -> list[ScriptedTurn]:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ContentError([Problem(str(p), 1, 1, f"cannot read orders: {err}")]) from None
    return parse_orders(text, str(p), content)
