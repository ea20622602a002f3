"""`wargame run SCENARIO --orders FILE`: headless play, one JSON line per turn on stdout."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from wargame.cli.common import bot_specs, check_roles, load_scenario


def add(sub: Any) -> None:
    run_ = sub.add_parser("run", help="headless play from scripted orders (JSON Lines out)")
    run_.add_argument("scenario")
    run_.add_argument("--orders", required=True, metavar="FILE")
    run_.add_argument("--seed", type=int, default=1)
    run_.add_argument("--bot", action="append", default=[], metavar="ROLE=KIND")
    run_.add_argument("--turns", type=int, default=None)
    run_.add_argument("--save", default=None, metavar="FILE")
    run_.add_argument("--trace", action="store_true", help="include every traced change")
    run_.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from wargame.engine.bots import BOTS
    from wargame.engine.game import Game
    from wargame.storage.orders_file import read_orders
    from wargame.storage.turn_json import turn_json

    content = load_scenario(args.scenario)
    bots = bot_specs(args.bot)
    check_roles(content, list(bots), "--bot")
    scripted = read_orders(args.orders, content)
    game = Game(content, args.seed)
    limit = content.turns if args.turns is None else max(0, min(args.turns, content.turns))
    out = sys.stdout
    for t in range(limit):
        script = scripted[t] if t < len(scripted) else {}
        for role in content.role_ids:
            if role in script:
                game.pending[role] = script[role]  # illegal ones are refused at resolution
            elif role in bots:
                game.pending[role] = BOTS[bots[role]](game, role)
        report = game.resolve()
        out.write(
            json.dumps(
                turn_json(report, trace=args.trace), ensure_ascii=False, separators=(",", ":")
            )
            + "\n"
        )
    out.flush()
    if args.save:
        from wargame.storage.saves import save_game_to

        save_game_to(
            game, Path(args.save), seats={r: bots.get(r, "script") for r in content.role_ids}
        )
    return 0
