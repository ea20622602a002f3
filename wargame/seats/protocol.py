"""The seat protocol (docs/agents.md): the messages a seat is sent, and reading its replies.

One JSON object per message: a line on an agent's stdin/stdout, a frame on the host's
WebSocket. Everything a seat is sent is built here from `Game.view(role)` (where visibility
is decided) and the role's legal orders, so no path can send it another role's hidden values.

Engine → seat: `turn`, `report`, `end`, `error`. Seat → engine: `orders`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from wargame.engine.game import Game, RoleView
from wargame.engine.state import Order, TurnReport
from wargame.engine.visibility import report_as
from wargame.storage.turn_json import plain, turn_json

PROTOCOL = 1
MAX_ORDERS_IN_REPLY = 20
MAX_RATIONALE = 20_000
"""Longer rationales are cut (and the cut said) so one reply cannot bloat a save."""

Message = dict[str, Any]


class ReplyError(ValueError):
    """A seat's reply that cannot be used; the message is what the seat is told."""


@attrs.frozen
class Reply:
    orders: tuple[Order, ...]
    rationale: str | None = None


# ---------------------------------------------------------------------------- engine → seat


def encode(message: Mapping[str, Any]) -> bytes:
    """One message as one line of compact UTF-8 JSON (what goes down the pipe)."""
    return json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def report_json(report: TurnReport) -> dict[str, Any]:
    """A role-filtered report in `wargame run`'s shape, without the state hash it cannot have."""
    out = turn_json(report)
    if not out.get("hash"):
        out.pop("hash", None)
    return out


def view_json(view: RoleView) -> dict[str, Any]:
    return {
        "role": view.role,
        "turn": view.turn,
        "label": view.label,
        "values": {k: plain(v) for k, v in view.values.items()},
        "capital": plain(view.capital),
        "objectives": [
            {
                "id": o.id,
                "text": o.text,
                "holds": o.holds,
                "points": o.points,
                "worth": o.worth,
                "scored": o.scored,
                "standing": o.standing,  # met / on track / at risk / missed
            }
            for o in view.objectives
        ],
        "events": [{"title": t, "text": x} for t, x in view.events],
        "submitted": dict(view.submitted),
        "last_report": None if view.last_report is None else report_json(view.last_report),
    }


def legal_json(game: Game, role: str) -> list[dict[str, Any]]:
    """The orders the role may give now, each with its cost and texts."""
    out = []
    for option in game.legal_actions(role):
        if not option.legal:
            continue
        a = option.action
        item: dict[str, Any] = {"order": option.order.key, "action": a.id, "cost": a.cost}
        if a.target is not None:
            item["target"] = a.target
        item["title"] = a.title
        item["text"] = a.text
        out.append(item)
    return out


def turn_message(game: Game, role: str) -> Message:
    view = game.view(role)
    return {
        "type": "turn",
        "protocol": PROTOCOL,
        "role": role,
        "turn": view.turn,
        "label": view.label,
        "view": view_json(view),
        "legal": legal_json(game, role),
    }


def report_message(game: Game, role: str, report: TurnReport) -> Message:
    return {
        "type": "report",
        "turn": report.turn,
        "report": report_json(report_as(game.content, report, role)),
    }


def end_message(game: Game, role: str) -> Message:
    """The game is over: every role's final score is public."""
    return {"type": "end", "role": role, "scores": game.scores()}


def error_message(message: str, turn: int | None = None) -> Message:
    out: Message = {"type": "error", "message": message}
    if turn is not None:
        out["turn"] = turn
    return out


# ---------------------------------------------------------------------------- seat → engine


def _order(item: object, where: str) -> Order:
    if isinstance(item, str):
        action, _, target = item.partition(":")
        if not action.strip():
            raise ReplyError(f"{where}: an empty order")
        return Order(action.strip(), target.strip() or None)
    if isinstance(item, dict):
        name, aim = item.get("action"), item.get("target")
        extra = sorted(set(item) - {"action", "target"})
        if not isinstance(name, str) or not name:
            raise ReplyError(f'{where}: needs "action", a string')
        if aim is not None and not isinstance(aim, str):
            raise ReplyError(f'{where}: "target" must be a string or null')
        if extra:
            raise ReplyError(f"{where}: unknown field {extra[0]!r:.40} (action, target)")
        return Order(name, aim or None)
    raise ReplyError(f'{where}: an order is a string ("attend_trilateral") or an object '
                     f'({{"action": "side_with", "target": "tokyo"}})')


def decode_reply(line: bytes | str) -> tuple[tuple[Order, ...], str | None, int | None]:
    """The orders, rationale and (optional) turn of an `orders` message, or ReplyError."""
    if isinstance(line, bytes):
        try:
            line = line.decode("utf-8")
        except UnicodeDecodeError as err:
            raise ReplyError(f"reply is not UTF-8 text (byte {err.start})") from None
    text = line.strip()
    if not text:
        raise ReplyError("empty reply: send one JSON object on one line")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as err:
        raise ReplyError(f"reply is not JSON: {err.msg} at column {err.colno}") from None
    except RecursionError:
        raise ReplyError("reply is not JSON: nested too deeply") from None
    if not isinstance(doc, dict):
        raise ReplyError(f"reply must be a JSON object, not {type(doc).__name__}")
    if doc.get("type") != "orders":
        raise ReplyError(f'reply must have "type": "orders" (got {doc.get("type")!r:.40})')
    extra = sorted(set(doc) - {"type", "orders", "rationale", "turn"})
    if extra:
        raise ReplyError(f"unknown field {extra[0]!r:.40} (type, orders, rationale, turn)")
    orders = doc.get("orders")
    if not isinstance(orders, list):
        raise ReplyError('"orders" must be a list (empty to pass)')
    if len(orders) > MAX_ORDERS_IN_REPLY:
        raise ReplyError(f"{len(orders)} orders; at most {MAX_ORDERS_IN_REPLY}")
    parsed = tuple(_order(o, f"order {i + 1}") for i, o in enumerate(orders))
    rationale = doc.get("rationale")
    if rationale is not None and not isinstance(rationale, str):
        raise ReplyError('"rationale" must be a string')
    if rationale is not None and len(rationale) > MAX_RATIONALE:
        rationale = rationale[:MAX_RATIONALE] + " […cut]"
    turn = doc.get("turn")
    if turn is not None and (not isinstance(turn, int) or isinstance(turn, bool)):
        raise ReplyError('"turn" must be a whole number')
    return parsed, rationale, turn


def check_orders(game: Game, role: str, orders: Sequence[Order]) -> None:
    """ReplyError unless every order is on the role's legal list, once, within its capital."""
    legal = {o.order.key: o for o in game.legal_actions(role)}
    seen: set[str] = set()
    for order in orders:
        option = legal.get(order.key)
        if option is None:
            problems = game.validate_orders(role, [order])
            raise ReplyError(problems[0] if problems else f"{order.key} is not an order of {role}")
        if not option.legal:
            raise ReplyError(f"{order.key} is not legal now: {option.reason}")
        if order.key in seen:
            raise ReplyError(f"{order.key} given twice")
        seen.add(order.key)
    problems = game.validate_orders(role, orders)
    if problems:
        raise ReplyError("; ".join(problems))


def read_reply(line: bytes | str, game: Game, role: str) -> Reply:
    """A seat's reply to the turn message for `game`'s current turn, checked; or ReplyError."""
    orders, rationale, turn = decode_reply(line)
    if turn is not None and turn != game.turn:
        raise ReplyError(f"reply is for turn {turn}; this is turn {game.turn}")
    check_orders(game, role, orders)
    return Reply(orders, rationale)
