"""`wargame play [SCENARIO] [--as ROLE]... [--bot ROLE=KIND]...`: the terminal game."""

from __future__ import annotations

import argparse
from typing import Any


def add(sub: Any) -> None:
    play = sub.add_parser("play", help="the terminal game")
    play.add_argument("scenario", nargs="?", help="bundled id or YAML path")
    play.add_argument(
        "--as",
        dest="humans",
        action="append",
        default=[],
        metavar="ROLE",
        help="a seat you play (repeat for hot seat)",
    )
    play.add_argument("--bot", action="append", default=[], metavar="ROLE=KIND")
    play.add_argument("--seed", type=int, default=None)
    play.add_argument("--save-dir", default=None, help="where saves go (or $WARGAME_SAVE_DIR)")
    play.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from wargame.tui.launch import launch

    return int(launch(args))
