"""The host's messages. A seat's `turn`, `report`, `end` and `error` and the reading of its
`orders` are the seat protocol's (wargame.seats.protocol, the same as for stdio agents);
this module adds what only the host says: to spectators (what no role keeps private) and to
the umpire (everything), and the orders' extra checks for a network seat.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from wargame.engine.content import Content
from wargame.engine.game import Game
from wargame.engine.state import Order, TurnReport, Value
from wargame.engine.visibility import hidden_names, report_as, visible_values
from wargame.seats import protocol
from wargame.storage.turn_json import plain

SPECTATOR = "spectator"
UMPIRE = "umpire"
MAX_RATIONALE = 4000  # characters, for a person typing at a seat or in the white cell


class BadMessage(ValueError):
    """A message that cannot be acted on; its text goes back in an `error` frame."""


def error(message: str, **extra: Any) -> dict[str, Any]:
    return {**protocol.error_message(message), **extra}


def visible(content: Content, values: Mapping[str, Value], role: str) -> dict[str, Value]:
    """Values as `role` may see them; a spectator (no role) sees nobody's capital."""
    return {k: plain(v) for k, v in visible_values(content, values, role).items()}


def report_json(content: Content, report: TurnReport, role: str) -> dict[str, Any]:
    """A resolved turn as `role` (a role, the umpire or a spectator) may see it."""
    if role == UMPIRE:
        return protocol.report_json(report)
    return protocol.report_json(report_as(content, report, role))


def turn_message(game: Game, role: str, submitted: tuple[Order, ...] | None = None
                 ) -> dict[str, Any]:
    """The protocol's `turn`; `orders` echoes what the seat already submitted this turn (a
    client that reconnects sees its orders were kept)."""
    msg = protocol.turn_message(game, role)
    if submitted is not None:
        msg["orders"] = [o.key for o in submitted]
    return msg


def spectator_message(game: Game) -> dict[str, Any]:
    """What a spectator sees: public values, who has submitted (never what), the last turn."""
    last = game.history[-1] if game.history else None
    return {
        "type": "view",
        "role": SPECTATOR,
        "turn": game.turn,
        "label": game.label,
        "over": game.is_over(),
        "values": visible(game.content, game.state.values, SPECTATOR),
        "submitted": {r: r in game.pending for r in game.content.role_ids},
        "events": [{"id": e.id, "title": e.title, "text": e.text} for e in game.state.events],
        "last_report": None if last is None else report_json(game.content, last, SPECTATOR),
    }


def control_as(content: Content, entry: Mapping[str, Any], role: str) -> dict[str, Any]:
    """A white-cell control (its JSON form) as `role` may see it: the value set or added to a
    name the role may not see (another role's capital) is left out, the name and why kept."""
    hidden = hidden_names(content, role) if role != UMPIRE else frozenset()
    out = dict(entry)
    if out.get("name") in hidden:
        out.pop("value", None)
    if "changes" in out:
        out["changes"] = [{"name": ch["name"]} if ch.get("name") in hidden else ch
                          for ch in out["changes"]]
    return out


def end_message(game: Game, role: str) -> dict[str, Any]:
    return protocol.end_message(game, role)


def read_orders(raw: str, game: Game, role: str) -> tuple[tuple[Order, ...], str]:
    """The orders and rationale of an `orders` message, checked against the role's legal
    orders now (the protocol's rules); BadMessage says what is wrong."""
    try:
        reply = protocol.read_reply(raw, game, role)
    except protocol.ReplyError as err:
        raise BadMessage(str(err)) from None
    rationale = (reply.rationale or "").strip()
    if len(rationale) > MAX_RATIONALE:
        raise BadMessage(f"the rationale is longer than {MAX_RATIONALE} characters")
    return reply.orders, rationale


def field_text(msg: Mapping[str, Any], name: str) -> str:
    value = msg.get(name) or ""
    if not isinstance(value, str) or len(value) > MAX_RATIONALE:
        raise BadMessage(f'"{name}" is free text of at most {MAX_RATIONALE} characters')
    return value.strip()


def compact(msg: Mapping[str, Any]) -> str:
    return json.dumps(msg, ensure_ascii=False, separators=(",", ":"))
