"""`wargame run SCENARIO [--orders FILE] [--bot ROLE=KIND]... [--agent ROLE=COMMAND]...`:
headless play, one JSON line per turn on stdout. Agents' errors go to stderr, and each
turn's line says what each agent replied (`agents`: rationale, error)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from wargame.cli.common import UsageError, bot_specs, check_roles, load_scenario
from wargame.cli.seats import add_agent_options, agent_options, agent_specs, open_agent_seats


def add(sub: Any) -> None:
    run_ = sub.add_parser("run", help="headless play from scripted orders (JSON Lines out)")
    run_.add_argument("scenario")
    run_.add_argument("--orders", default=None, metavar="FILE",
                      help="scripted orders (YAML); roles it leaves out are played by their "
                      "--bot or --agent, or pass")
    run_.add_argument("--seed", type=int, default=1)
    run_.add_argument("--bot", action="append", default=[], metavar="ROLE=KIND")
    run_.add_argument("--turns", type=int, default=None)
    run_.add_argument("--save", default=None, metavar="FILE")
    run_.add_argument("--trace", action="store_true", help="include every traced change")
    add_agent_options(run_)
    run_.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from wargame.engine.bots import BOTS
    from wargame.engine.game import Game
    from wargame.storage.orders_file import read_orders
    from wargame.storage.turn_json import turn_json

    content = load_scenario(args.scenario)
    bots = bot_specs(args.bot)
    check_roles(content, list(bots), "--bot")
    agents = agent_specs(args, content)
    both = sorted(set(bots) & set(agents))
    if both:
        raise UsageError(f"{both[0]} has both a --bot and an --agent; give one")
    options = agent_options(args)
    scripted = read_orders(args.orders, content) if args.orders else []
    game = Game(content, args.seed)
    limit = content.turns if args.turns is None else max(0, min(args.turns, content.turns))
    out = sys.stdout
    seats = open_agent_seats(agents, content, options)
    try:
        for t in range(limit):
            script = scripted[t] if t < len(scripted) else {}
            orders = {}
            for role in content.role_ids:
                if role in script:
                    orders[role] = script[role]  # illegal ones are refused at resolution
                elif role in seats:
                    game.submit(role, seats[role](game, role))
                elif role in bots:
                    orders[role] = BOTS[bots[role]](game, role)
            report = game.resolve(orders)
            line = turn_json(report, trace=args.trace)
            if seats:
                line["agents"] = _agents_json(seats, report.turn)
            out.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")
            out.flush()
    finally:
        for seat in seats.values():
            seat.finish(game)
    if args.save:
        kinds = {r: bots.get(r, "script") for r in content.role_ids}
        kinds.update({r: f"agent:{agents[r]}" for r in seats})
        _save(game, Path(args.save), kinds, seats)
    return 0


def _save(game: Any, path: Path, kinds: dict[str, str], seats: dict[str, Any]) -> None:
    """The game as a save; with agents, their rationale and errors in its `agents` field."""
    from wargame.storage.save_format import dump_document, encode_game
    from wargame.storage.saves import default_game_id, save_game_to, write_atomic

    if not seats:
        save_game_to(game, path, seats=kinds)
        return
    doc = encode_game(game, seats=kinds, game_id=default_game_id(game, kinds))
    doc["agents"] = {
        "rationale": [
            {"turn": t, "role": r, "text": text}
            for r, seat in seats.items()
            for t, text in sorted(seat.rationales.items())
        ],
        "errors": [
            {"turn": e.turn, "role": e.role, "message": e.message}
            for seat in seats.values()
            for e in seat.errors
        ],
    }
    write_atomic(path, dump_document(doc))


def _agents_json(seats: dict[str, Any], turn: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for role, seat in seats.items():
        entry: dict[str, Any] = {}
        if turn in seat.rationales:
            entry["rationale"] = seat.rationales[turn]
        errors = [e.message for e in seat.errors if e.turn == turn]
        if errors:
            entry["error"] = errors[-1]
        out[role] = entry
    return out
