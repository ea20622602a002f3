"""`wargame report SAVE [--format md|json|csv]`: the after-action report of a saved game, or
each turn's values as rows for spreadsheets and notebooks."""

from __future__ import annotations

import argparse
import csv
import io
import json
from typing import TYPE_CHECKING, Any

from wargame.cli import output
from wargame.cli.common import path_arg

if TYPE_CHECKING:  # saves load only when a report is asked for: other commands start faster
    from wargame.engine.state import Value
    from wargame.storage.saves import LoadedGame


def add(sub: Any) -> None:
    rpt = sub.add_parser(
        "report",
        help="after-action report or per-turn values",
        description="The after-action report of a saved game, or its values turn by turn.",
        epilog="examples:\n  wargame report game.json > report.md\n"
        "  wargame report game.json --format csv > turns.csv",
    )
    rpt.add_argument("save", type=path_arg, help="a save file, e.g. game.json")
    rpt.add_argument("--format", choices=["md", "json", "csv"], default="md",
                     help="md (default: the report), json or csv (one row per turn)")
    rpt.set_defaults(func=report)


def report(args: argparse.Namespace) -> int:
    from wargame.storage.saves import load_game

    loaded = load_game(args.save)  # a SaveError is one line on stderr (main)
    fmt = getattr(args, "format", "md") or "md"
    text = {"md": markdown, "json": as_json, "csv": as_csv}[fmt](loaded)
    if fmt == "md":
        from wargame.host.aar import host_markdown_of

        hotwash = host_markdown_of(args.save)  # a hosted game: rationale and interventions
        text = f"{text.rstrip()}\n\n{hotwash}" if hotwash else text
    output.write(text)
    return 0


# ---------------------------------------------------------------------------- json and csv


def header(loaded: LoadedGame) -> dict[str, Any]:
    c = loaded.game.content
    return {
        "game_id": loaded.file.game_id,
        "scenario": loaded.file.scenario,
        "title": c.title,
        "seed": loaded.file.seed,
        "seats": loaded.file.seats,
        "turns_played": len(loaded.game.history),
        "turns_total": c.turns,
        "over": loaded.game.is_over(),
        "scores": loaded.game.scores(),
        "content_sha256": loaded.file.content.sha256,
        "program_version": loaded.file.program_version,
        "save_format": loaded.format_version,
        "parent": (
            {
                "file": loaded.file.parent.file,
                "game_id": loaded.file.parent.game_id,
                "turn": loaded.file.parent.turn,
            }
            if loaded.file.parent
            else None
        ),
    }


def as_json(loaded: LoadedGame) -> str:
    from wargame.storage.turn_json import turn_json

    doc = {"header": header(loaded), "turns": [turn_json(r) for r in loaded.game.history]}
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def _cell(v: Value | int) -> str | float | int:
    from wargame.storage.turn_json import plain

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


def markdown(loaded: LoadedGame) -> str:
    from wargame.history import Header, after_action_markdown

    parent = loaded.file.parent
    fork_of = (
        f"`{parent.file}` (game `{parent.game_id}`) at turn {parent.turn}" if parent else ""
    )
    header = Header(loaded.file.seed, loaded.file.seats, loaded.file.game_id, fork_of)
    return after_action_markdown(loaded.game, header)
