"""The seat protocol's messages (CONTRACT.md, "Seats for programs"), built from the engine.

This is the one adapter between a Game and the wire: what a role may see is what the
engine's view gives it (hidden: other roles' capital and pending orders); spectators see
what no role keeps private; the umpire sees everything. Messages are plain JSON objects.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from wargame.engine.content import Content
from wargame.engine.game import Game
from wargame.engine.state import Order, TurnReport, Value
from wargame.storage.turn_json import plain, turn_json

MAX_ORDERS = 12  # more than any role can afford; longer lists are refused unread
MAX_RATIONALE = 4000  # characters


class BadMessage(ValueError):
    """A message that cannot be acted on; its text goes back in an `error` frame."""


def error(message: str, **extra: Any) -> dict[str, Any]:
    return {"type": "error", "message": message, **extra}


def _hidden(content: Content, role: str) -> frozenset[str]:
    # Other roles' capital is theirs alone; a spectator (no role) sees nobody's.
    return frozenset(f"{r}.capital" for r in content.role_ids if r != role)


def visible(content: Content, values: Mapping[str, Value], role: str) -> dict[str, Value]:
    hidden = _hidden(content, role)
    return {k: plain(v) for k, v in values.items() if k not in hidden}


def report_json(content: Content, report: TurnReport, role: str) -> dict[str, Any]:
    """A resolved turn as `role` may see it: the shape of a `wargame run` line, without other
    roles' capital (in values or refusal reasons) and without the state hash (a digest of it)."""
    out = turn_json(report)
    if role == "umpire":
        return out
    out["values"] = visible(content, report.after, role)
    out["hash"] = ""
    for o in out["outcomes"]:
        if o["role"] != role and o["result"] == "refused":
            o["why"] = "refused (the reason is known only to that government)"
    return out


def turn_message(game: Game, role: str, submitted: tuple[Order, ...] | None = None
                 ) -> dict[str, Any]:
    """Asks `role` for this turn's orders; `orders` echoes what it has already submitted
    (a client that reconnects sees its orders were kept)."""
    view = game.view(role)
    last = game.history[-1] if game.history else None
    msg: dict[str, Any] = {
        "type": "turn",
        "role": role,
        "turn": view.turn,
        "label": view.label,
        "view": {
            "values": visible(game.content, view.values, role),
            "capital": view.capital,
            "objectives": [
                {"id": o.id, "text": o.text, "holds": o.holds, "points": o.points}
                for o in view.objectives
            ],
            "events": [{"title": t, "text": x} for t, x in view.events],
            "submitted": dict(view.submitted),
            "last_report": None if last is None else report_json(game.content, last, role),
        },
        "legal": [
            {"order": o.order.key, "cost": o.cost}
            for o in game.legal_actions(role)
            if o.legal
        ],
    }
    if submitted is not None:
        msg["orders"] = [o.key for o in submitted]
    return msg


def spectator_message(game: Game) -> dict[str, Any]:
    """What a spectator sees: public values, who has submitted (never what), the last turn."""
    last = game.history[-1] if game.history else None
    return {
        "type": "view",
        "role": "spectator",
        "turn": game.turn,
        "label": game.label,
        "over": game.is_over(),
        "values": visible(game.content, game.state.values, "spectator"),
        "submitted": {r: r in game.pending for r in game.content.role_ids},
        "last_report": None if last is None else report_json(game.content, last, "spectator"),
    }


def end_message(game: Game) -> dict[str, Any]:
    return {"type": "end", "scores": game.scores()}


def parse_order(item: object) -> Order:
    """`"side_with:tokyo"`, `"pass"` or `{"action": "side_with", "target": "tokyo"}`."""
    if isinstance(item, str):
        action, _, target = item.partition(":")
        if not action.strip():
            raise BadMessage("an order is an action id, e.g. \"pass\"")
        return Order(action.strip(), target.strip() or None)
    if isinstance(item, dict):
        act, tgt = item.get("action"), item.get("target")
        if not isinstance(act, str) or not act:
            raise BadMessage('an order object needs "action": an action id')
        if tgt is not None and not isinstance(tgt, str):
            raise BadMessage('"target" is a role id')
        return Order(act, tgt or None)
    raise BadMessage("each order is a string or an object with \"action\"")


def parse_orders(msg: Mapping[str, Any]) -> tuple[tuple[Order, ...], str]:
    """The orders and rationale of an `orders` message; BadMessage says what is wrong."""
    orders = msg.get("orders")
    if not isinstance(orders, list):
        raise BadMessage('"orders" is a list, e.g. ["pass"]')
    if len(orders) > MAX_ORDERS:
        raise BadMessage(f"at most {MAX_ORDERS} orders a turn")
    rationale = msg.get("rationale") or ""
    if not isinstance(rationale, str):
        raise BadMessage('"rationale" is free text')
    if len(rationale) > MAX_RATIONALE:
        raise BadMessage(f"the rationale is longer than {MAX_RATIONALE} characters")
    return tuple(parse_order(o) for o in orders), rationale.strip()
