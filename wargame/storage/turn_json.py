"""The JSON form of a resolved turn (docs/reference.md, `wargame run` output)."""

from __future__ import annotations

from typing import Any

from wargame.engine.state import Change, TurnReport, Value


def plain(value: Value) -> Value:
    """Floats rounded for people and diff tools; the state hash keeps full precision."""
    if isinstance(value, bool):
        return value
    r = round(float(value), 4)
    return int(r) if r == int(r) and abs(r) < 1e15 else r


def change_json(c: Change) -> dict[str, Any]:
    return {
        "name": c.name,
        "before": plain(c.before),
        "after": plain(c.after),
        "delta": plain(c.delta),
        "source": c.source,
        "id": c.source_id,
        "role": c.role,
        "phase": c.phase,
        "expr": c.expr,
        "inputs": {k: plain(v) for k, v in c.inputs},
        "why": c.why,
        "clamped": c.clamped,
    }


def turn_json(report: TurnReport, *, trace: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "turn": report.turn,
        "label": report.label,
        "orders": {
            role: [o.key for o in orders] for role, orders in report.orders.items() if orders
        },
        "events": [{"id": e.id, "title": e.title, "text": e.text} for e in report.events],
        "outcomes": [
            {
                "role": o.role,
                "action": o.action,
                **({"target": o.target} if o.target else {}),
                "result": o.result,
                "why": o.why,
            }
            for o in report.outcomes
        ],
        "rules": [{"id": r.id, "phase": r.phase, "why": r.why} for r in report.rules],
        "values": {k: plain(v) for k, v in report.after.items()},
        "scores": dict(report.scores),
        "over": report.over,
        "hash": report.hash,
    }
    if trace:
        out["trace"] = [change_json(c) for c in report.trace]
    return out
