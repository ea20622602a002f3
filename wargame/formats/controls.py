"""The JSON form of the white cell's controls (wargame.engine.control), one shape for the
save's `controls` and the umpire's `inject`/`override` messages:

    {"turn": 3, "kind": "inject", "event": "EVENT_ID", "rationale": "..."}
    {"turn": 3, "kind": "inject", "title": "...", "text": "...",
     "changes": [{"name": "korea.tension", "add": 10}, {"name": "some.flag", "set": true}],
     "rationale": "..."}
    {"turn": 3, "kind": "override", "name": "korea.tension", "value": 40, "rationale": "..."}

Numbers are kept as written (the engine turns them into the value's type), so a control read
back from a save is the control that was applied.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

from wargame.engine.control import KINDS, Control, ValueChange
from wargame.engine.state import Value

MAX_TEXT = 4000  # characters of a title, a text or a rationale
MAX_CHANGES = 50
FLOAT_MAX = sys.float_info.max


class ControlFormatError(ValueError):
    """A control that is not of the shape above; the message names the field."""


def control_json(c: Control) -> dict[str, Any]:
    out: dict[str, Any] = {"turn": c.turn, "kind": c.kind}
    if c.kind == "override":
        ch = c.changes[0]
        out.update(name=ch.name, value=ch.value)
    elif c.event is not None:
        out["event"] = c.event
    else:
        out.update(title=c.title, text=c.text,
                   changes=[{"name": ch.name, ch.op: ch.value} for ch in c.changes])
    out["rationale"] = c.rationale
    return out


def _text(obj: Mapping[str, Any], key: str, where: str) -> str:
    value = obj.get(key)
    value = "" if value is None else value
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise ControlFormatError(f'{where}"{key}" is text of at most {MAX_TEXT} characters')
    return value.strip()


def _value(value: Any, what: str) -> Value:
    """A number a float can hold (JSON's integers have no limit; NaN fails the comparison),
    or true/false."""
    if isinstance(value, bool) or (isinstance(value, int | float) and abs(value) <= FLOAT_MAX):
        return value
    raise ControlFormatError(f"{what} is a number or true/false")


def control_from_json(obj: Any, turn: int | None = None, where: str = "") -> Control:
    """A control from its JSON form; `turn` (a message's) replaces the one in `obj`."""
    if not isinstance(obj, Mapping):
        raise ControlFormatError(f"{where}a control is a JSON object")
    kind = obj.get("kind", obj.get("type"))
    if kind not in KINDS:
        raise ControlFormatError(f'{where}"kind" is one of: {", ".join(KINDS)}')
    if turn is None:
        turn = obj.get("turn")
        if isinstance(turn, bool) or not isinstance(turn, int):
            raise ControlFormatError(f'{where}"turn" is the turn it was applied in')
    rationale = _text(obj, "rationale", where)
    if kind == "override":
        name = obj.get("name")
        if not isinstance(name, str) or not name:
            raise ControlFormatError(f'{where}an override needs "name" (the value\'s dotted '
                                     'name) and "value"')
        value = _value(obj.get("value"), f'{where}"value"')
        return Control("override", turn, rationale, changes=(ValueChange(name, "set", value),))
    event = obj.get("event")
    if event is not None:
        if not isinstance(event, str) or not event:
            raise ControlFormatError(f'{where}"event" is a scenario event\'s id')
        if obj.get("changes"):
            raise ControlFormatError(f"{where}inject either a scenario \"event\" or a "
                                     "free-text event with \"changes\", not both")
        return Control("inject", turn, rationale, event=event)
    raw = obj.get("changes")
    if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_CHANGES:
        raise ControlFormatError(
            f'{where}inject needs "event" (a scenario event\'s id) or "title", "text" and '
            f'"changes": [{{"name": NAME, "add": N}} or {{"name": NAME, "set": V}}] '
            f"(1 to {MAX_CHANGES})")
    changes = []
    for i, ch in enumerate(raw):
        at = f'{where}"changes"[{i}]'
        ops = [op for op in ("add", "set") if isinstance(ch, Mapping) and op in ch]
        if (not isinstance(ch, Mapping) or not isinstance(ch.get("name"), str) or len(ops) != 1
                or set(ch) - {"name", "add", "set"}):
            raise ControlFormatError(f'{at} is {{"name": NAME, "add": N}} or '
                                     '{"name": NAME, "set": V}')
        changes.append(ValueChange(ch["name"], ops[0], _value(ch[ops[0]], f'{at}.{ops[0]}')))
    return Control("inject", turn, rationale, title=_text(obj, "title", where),
                   text=_text(obj, "text", where), changes=tuple(changes))
