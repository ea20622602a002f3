"""A game's history read one way for everyone: the causes of each change, the turning points
and the after-action report. The end screen, the why view, the AAR file the terminal game
writes and `wargame report` all ask here, so they tell the same story."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from wargame.engine.content import Content
from wargame.engine.game import Game
from wargame.engine.resolve import format_delta, format_value
from wargame.engine.state import Change, TurnReport, Value

TURNING_POINTS = 6
# What a turning point is about: the triangle's legs, cohesion, the governments' standing at
# home and the dangers around them.
WATCHED = ("us_japan.trust", "us_rok.trust", "japan_rok.trust", "cohesion", "nk_threat",
           "china_pressure", "trade", "us_commitment")


@attrs.frozen
class Swing:
    """A turning point: one value's move in one turn and what moved it (largest first)."""

    turn: int
    label: str
    name: str
    before: Value
    after: Value
    causes: tuple[tuple[str, float], ...]

    @property
    def size(self) -> float:
        return abs(float(self.after) - float(self.before))


@attrs.frozen
class Header:
    """What a report says about the game besides its turns."""

    seed: int
    seats: Mapping[str, str]  # role → "human" or a bot kind
    game_id: str = ""
    fork_of: str = ""  # "`file` (game `id`) at turn N" for a what-if


def cause(content: Content, change: Change) -> str:
    """Who or what made a change, in words: `Washington: convene_trilateral`."""
    if change.source in ("action", "order") and change.role:
        return f"{content.role_name(change.role)}: {change.source_id}"
    return f"{change.source} {change.source_id}"


def watched(content: Content) -> list[str]:
    names = [*WATCHED[:4], *(f"{r}.approval" for r in content.role_ids), *WATCHED[4:]]
    return [n for n in names if n in content.variables]


def turning_points(
    content: Content, history: Sequence[TurnReport], limit: int = TURNING_POINTS
) -> list[Swing]:
    """The largest single-turn moves of the watched values, with their main causes."""
    swings = []
    names = watched(content)
    for rep in history:
        deltas = rep.deltas()
        for name in names:
            if name not in deltas:
                continue
            before, after = deltas[name]
            totals: dict[str, float] = {}
            for c in rep.trace_of(name):
                key = cause(content, c)
                totals[key] = totals.get(key, 0.0) + c.delta
            causes = sorted(
                ((k, d) for k, d in totals.items() if abs(d) >= 0.05), key=lambda kv: -abs(kv[1])
            )
            swings.append(Swing(rep.turn, rep.label, name, before, after, tuple(causes[:3])))
    swings.sort(key=lambda s: (-s.size, s.turn, s.name))
    return swings[:limit]


def _v(v: Value | int) -> str:
    return format_value(v) if isinstance(v, bool) else format_value(float(v))


def _scores_line(content: Content, scores: Mapping[str, int]) -> str:
    return ", ".join(f"{content.role_name(r)} {scores.get(r, 0)}" for r in content.role_ids)


def _chart_label(name: str, content: Content) -> str:
    """A value's name for a chart legend: `seoul.favorability.tokyo` → `Seoul → Tokyo favour`."""
    parts = name.split(".")
    if parts[0] in content.role_ids:
        who = content.role_name(parts[0])
        if len(parts) == 3 and parts[1] == "favorability":
            return f"{who} → {content.role_name(parts[2])} favour"
        return f"{who} {' '.join(parts[1:]).replace('_', ' ')}"
    return name.replace("_", " ").replace(".", " ")


def after_action_markdown(game: Game, header: Header) -> str:
    """The after-action report of a game, in Markdown."""
    c = game.content
    history = game.history
    lines = [f"# After-action report — {c.title}", ""]
    game_id = f", game `{header.game_id}`" if header.game_id else ""
    lines.append(
        f"Scenario `{c.id}`, {c.years()}, {len(history)} of {c.turns} turns played"
        f"{' (game over)' if game.is_over() else ''}, seed {header.seed}{game_id}."
    )
    seats = ", ".join(f"{c.role_name(r)}: {k}" for r, k in header.seats.items())
    lines.append(f"Seats: {seats}.")
    if header.fork_of:
        lines.append(f"A what-if forked from {header.fork_of}.")
    lines += ["", "## Scores", "", "| Role | Seat | Score |", "|---|---|---|"]
    scores = game.scores()
    for role in sorted(c.role_ids, key=lambda r: (-scores[r], c.role_ids.index(r))):
        lines.append(f"| {c.role_name(role)} | {header.seats.get(role, '?')} | {scores[role]} |")

    lines += ["", "## Objectives", ""]
    for role in c.role_ids:
        lines += [f"### {c.role_name(role)}", ""]
        for obj in game.view(role).objectives:
            mark = "x" if obj.holds else " "
            lines.append(f"- [{mark}] {obj.text} — {obj.points} point{'s' * (obj.points != 1)}")
        lines.append("")

    from wargame.charts import charts_markdown

    lines += charts_markdown(c, history, _chart_label)
    lines += ["## Turning points", ""]
    points = turning_points(c, history)
    if not points:
        lines.append("No turn moved the legs, cohesion or approval.")
    for s in points:
        why = "; ".join(f"{k} {format_delta(0.0, d)}" for k, d in s.causes) or "no traced cause"
        lines.append(
            f"- **Turn {s.turn} ({s.label})** — `{s.name}` {_v(s.before)} → {_v(s.after)} "
            f"({format_delta(s.before, s.after)}): {why}"
        )

    lines += [
        "",
        "## Timeline",
        "",
        "| Turn | Date | Events | Orders | Scores |",
        "|---|---|---|---|---|",
    ]
    for rep in history:
        events = "; ".join(e.title for e in rep.events) or "—"
        orders = (
            "; ".join(
                f"{c.role_name(r)}: {', '.join(o.key for o in os_)}"
                for r, os_ in rep.orders.items()
                if os_
            )
            or "all passed"
        )
        lines.append(
            f"| {rep.turn} | {rep.label} | {events} | {orders} | {_scores_line(c, rep.scores)} |"
        )

    lines += ["", "## Turn by turn", ""]
    for rep in history:
        lines += [f"### Turn {rep.turn} · {rep.label}", ""]
        for ev in rep.events:
            lines.append(f"- Event: **{ev.title}** — {ev.text}")
        for role, given in rep.orders.items():
            if given:
                keys = ", ".join(f"`{o.key}`" for o in given)
                lines.append(f"- {c.role_name(role)} ordered: {keys}")
        for o in rep.outcomes:
            target = f" → {c.role_name(o.target)}" if o.target else ""
            lines.append(f"- {c.role_name(o.role)}: `{o.action}`{target} — **{o.result}**: {o.why}")
        for rule in rep.rules:
            lines.append(f"- Rule `{rule.id}`: {rule.why}")
        moved = rep.deltas()
        if moved:
            lines += ["", "| Value | Before | After | Change | Why |", "|---|---|---|---|---|"]
            for name, (before, after) in moved.items():
                why = "; ".join(
                    f"{cause(c, ch)} {format_delta(ch.before, ch.after)}"
                    for ch in rep.trace_of(name)
                )
                lines.append(
                    f"| `{name}` | {_v(before)} | {_v(after)} | "
                    f"{format_delta(before, after)} | {why} |"
                )
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
