"""A game's history read one way for everyone: each turn's story, the causes of each change,
the turning points and the after-action report. The report screen, the replay viewer, the end
screen, the why view, the AAR file the terminal game writes and `wargame report` all ask here,
so they tell the same story (a screen only styles it). It reads engine objects only and writes
no file: it sits beside wargame.authoring, below the applications (pyproject's layers)."""

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


@attrs.frozen
class Line:
    """One line of a turn's story. `kind` lets a screen style it: head, none, outcome, passed,
    note, event, rule, scores; `detail` is the sentence after it, `code` an outcome's result
    or a rule's phase."""

    kind: str
    text: str
    detail: str = ""
    code: str = ""


NUMBERS_NOTE = ("Numbers in sentences are as each order took effect; the rules below move "
                "values again before the turn ends.")


def _has_number(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def turn_story(content: Content, report: TurnReport) -> list[Line]:
    """A resolved turn, told: orders and their outcomes, events, rules, scores. Callers pass
    the report as its reader may see it (engine.visibility)."""
    name = content.role_name
    out = [Line("head", "Orders and outcomes")]
    if not report.outcomes:
        out.append(Line("none", "Every seat passed."))
    for o in report.outcomes:
        target = f" → {name(o.target)}" if o.target else ""
        out.append(Line("outcome", f"{name(o.role)} {o.action}{target}", o.why, o.result))
    silent = [name(r) for r in content.role_ids if not report.orders.get(r)]
    if silent:
        out.append(Line("passed", "Passed: " + ", ".join(silent)))
    if report.rules and any(_has_number(o.why) for o in report.outcomes):
        # A sentence's number ("trade recovered to 88") is the value as the order took
        # effect; the values at the turn's end come after the rules.
        out.append(Line("note", NUMBERS_NOTE))
    out.append(Line("head", "Events"))
    out += [Line("event", e.title, e.text) for e in report.events] or [
        Line("none", "None this turn.")]
    out.append(Line("head", "Rules that fired"))
    out += [Line("rule", r.id, r.why, r.phase) for r in report.rules] or [
        Line("none", "None this turn.")]
    out.append(Line("scores", "Scores so far", _scores_line(content, report.scores, " · ")))
    return out


@attrs.frozen
class Move:
    """A value that ended a turn different from how it started it, and what moved it."""

    name: str
    before: Value
    after: Value
    causes: tuple[str, ...]  # `Washington: convene_trilateral +2`, in order


def moves(content: Content, report: TurnReport) -> list[Move]:
    return [Move(name, before, after, tuple(f"{cause(content, c)} {format_delta(c.before, c.after)}"
                                            for c in report.trace_of(name)))
            for name, (before, after) in report.deltas().items()]


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


def _scores_line(content: Content, scores: Mapping[str, int], sep: str = ", ") -> str:
    return sep.join(f"{content.role_name(r)} {scores.get(r, 0)}" for r in content.role_ids)


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
        lines.append(f"### Turn {rep.turn} · {rep.label}")
        for line in turn_story(c, rep):
            lines.append(_markdown(line))
        moved = moves(c, rep)
        if moved:
            lines += ["", "| Value | Before | After | Change | Why |", "|---|---|---|---|---|"]
            for m in moved:
                lines.append(f"| `{m.name}` | {_v(m.before)} | {_v(m.after)} | "
                             f"{format_delta(m.before, m.after)} | {'; '.join(m.causes)} |")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _markdown(line: Line) -> str:
    if line.kind == "head":
        return f"\n**{line.text}**\n"
    if line.kind == "outcome":
        return f"- {line.text} — **{line.code}**: {line.detail}"
    if line.kind == "event":
        return f"- **{line.text}** — {line.detail}"
    if line.kind == "rule":
        return f"- `{line.text}` ({line.code}): {line.detail}"
    if line.kind == "scores":
        return f"\n{line.text}: {line.detail}."
    return f"- {line.text}" if line.kind == "passed" else f"\n*{line.text}*"
