"""`wargame report SAVE [--format md|json|csv]`: the after-action report of a saved game, or
each turn's values as rows for spreadsheets and notebooks."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from wargame.engine.content import Content
from wargame.engine.resolve import format_delta, format_value
from wargame.engine.state import Change, TurnReport, Value
from wargame.storage.saves import LoadedGame, SaveError, load_game
from wargame.storage.turn_json import plain, turn_json

TURNING_POINTS = 6


def add(sub: Any) -> None:
    rpt = sub.add_parser("report", help="after-action report or per-turn values")
    rpt.add_argument("save")
    rpt.add_argument("--format", choices=["md", "json", "csv"], default="md")
    rpt.set_defaults(func=report)


def report(args: argparse.Namespace) -> int:
    try:
        loaded = load_game(args.save)
    except SaveError as err:
        print(f"wargame: {err.message}", file=sys.stderr)
        return 1
    fmt = getattr(args, "format", "md") or "md"
    text = {"md": markdown, "json": as_json, "csv": as_csv}[fmt](loaded)
    if fmt == "md":
        from wargame.host.aar import host_markdown_of

        hotwash = host_markdown_of(args.save)  # a hosted game: rationale and interventions
        text = f"{text.rstrip()}\n\n{hotwash}" if hotwash else text
    sys.stdout.write(text)
    sys.stdout.flush()
    return 0


# ---------------------------------------------------------------------------- json and csv


def header(loaded: LoadedGame) -> dict[str, Any]:
    c = loaded.game.content
    return {
        "game_id": loaded.game_id,
        "scenario": loaded.scenario,
        "title": c.title,
        "seed": loaded.seed,
        "seats": loaded.seats,
        "turns_played": len(loaded.game.history),
        "turns_total": c.turns,
        "over": loaded.game.is_over(),
        "scores": loaded.game.scores(),
        "content_sha256": loaded.content_hash,
        "program_version": loaded.program_version,
        "save_format": loaded.format_version,
        "parent": (
            {
                "file": loaded.parent.file,
                "game_id": loaded.parent.game_id,
                "turn": loaded.parent.turn,
            }
            if loaded.parent
            else None
        ),
    }


def as_json(loaded: LoadedGame) -> str:
    doc = {"header": header(loaded), "turns": [turn_json(r) for r in loaded.game.history]}
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def _cell(v: Value | int) -> str | float | int:
    if isinstance(v, bool):
        return "true" if v else "false"
    return plain(v)


def as_csv(loaded: LoadedGame) -> str:
    content = loaded.game.content
    names = list(content.variables)
    roles = list(content.role_ids)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["turn", "label", *names, *(f"score.{r}" for r in roles)])
    for rep in loaded.game.history:
        w.writerow(
            [
                rep.turn,
                rep.label,
                *(_cell(rep.after[n]) for n in names),
                *(rep.scores.get(r, 0) for r in roles),
            ]
        )
    return out.getvalue()


# ---------------------------------------------------------------------------- markdown


def _v(v: Value | int) -> str:
    return format_value(v) if isinstance(v, bool) else format_value(float(v))


def cause(content: Content, c: Change) -> str:
    if c.source in ("action", "order") and c.role:
        return f"{content.role_name(c.role)}: {c.source_id}"
    return f"{c.source} {c.source_id}"


def watched(content: Content) -> list[str]:
    names = ["us_japan.trust", "us_rok.trust", "japan_rok.trust", "cohesion"]
    names += [f"{r}.approval" for r in content.role_ids]
    return [n for n in names if n in content.variables]


def turning_points(
    content: Content, history: Sequence[TurnReport], limit: int = TURNING_POINTS
) -> list[tuple[float, TurnReport, str, Value, Value, list[tuple[str, float]]]]:
    """The largest single-turn moves of the legs, cohesion and approval, with their causes."""
    swings = []
    for rep in history:
        deltas = rep.deltas()
        for name in watched(content):
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
            size = abs(float(after) - float(before))
            swings.append((size, rep, name, before, after, causes[:3]))
    swings.sort(key=lambda s: (-s[0], s[1].turn, s[2]))
    return swings[:limit]


def _scores_line(content: Content, scores: Mapping[str, int]) -> str:
    return ", ".join(f"{content.role_name(r)} {scores.get(r, 0)}" for r in content.role_ids)


def markdown(loaded: LoadedGame) -> str:
    game = loaded.game
    c = game.content
    history = game.history
    lines = [f"# After-action report — {c.title}", ""]
    lines.append(
        f"Scenario `{c.id}`, {c.years()}, {len(history)} of {c.turns} turns played"
        f"{' (game over)' if game.is_over() else ''}, seed {loaded.seed}, "
        f"game `{loaded.game_id}`."
    )
    seats = ", ".join(f"{c.role_name(r)}: {k}" for r, k in loaded.seats.items())
    lines.append(f"Seats: {seats}.")
    if loaded.parent is not None:
        lines.append(
            f"A what-if forked from `{loaded.parent.file}` (game `{loaded.parent.game_id}`) "
            f"at turn {loaded.parent.turn}."
        )
    lines += ["", "## Scores", "", "| Role | Seat | Score |", "|---|---|---|"]
    scores = game.scores()
    for role in sorted(c.role_ids, key=lambda r: (-scores[r], c.role_ids.index(r))):
        lines.append(f"| {c.role_name(role)} | {loaded.seats.get(role, '?')} | {scores[role]} |")

    lines += ["", "## Turning points", ""]
    points = turning_points(c, history)
    if not points:
        lines.append("No turn moved the legs, cohesion or approval.")
    for _, rep, name, before, after, causes in points:
        why = "; ".join(f"{k} {format_delta(0.0, d)}" for k, d in causes) or "no traced cause"
        lines.append(
            f"- **Turn {rep.turn} ({rep.label})** — `{name}` {_v(before)} → {_v(after)} "
            f"({format_delta(before, after)}): {why}"
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
