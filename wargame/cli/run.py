"""`wargame run SCENARIO [--orders FILE|-] [--bot ROLE=KIND]... [--agent ROLE=COMMAND]...`:
headless play, one JSON line per turn on stdout. Agents' errors go to stderr, and each
turn's line says what each agent replied (`agents`: rationale, error).

Seats with orders in the file play them (a turn they have none for, they pass, unless `--bot`
or `--agent` names who fills it); every seat the file never mentions is played by its
`--agent` or `--bot`, else the heuristic bot. `--orders -` reads the file from stdin."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from wargame.cli import output
from wargame.cli.common import (
    DEFAULT_SCENARIO,
    UsageError,
    bot_kinds_text,
    bot_specs,
    check_roles,
    load_scenario,
    path_arg,
    turn_count,
)
from wargame.cli.seats import add_agent_options, agent_options, agent_specs, open_agent_seats

EXAMPLES = """examples:
  wargame run convenor --seed 1                     every seat a heuristic bot
  wargame run convenor --bot tokyo=random --turns 4
  wargame run convenor --orders turns.yaml          scripted seats; bots fill in
  cat my-orders.yaml | wargame run convenor --orders -
  wargame run convenor --agent tokyo='python my_agent.py'
  wargame run convenor --save game.json | jq .scores"""


def add(sub: Any) -> None:
    run_ = sub.add_parser(
        "run",
        help="headless play: bots, agents and scripted orders (JSON Lines out)",
        description="Play a game without a screen; one JSON object per resolved turn on stdout.",
        epilog=EXAMPLES,
    )
    run_.add_argument("scenario", type=path_arg,
                      help=f"a bundled id or a YAML path, e.g. {DEFAULT_SCENARIO}")
    run_.add_argument(
        "--orders", type=path_arg, default=None, metavar="FILE",
        help="scripted orders (YAML, see docs/playing.md), e.g. --orders turns.yaml; '-' reads "
        "stdin; seats it never mentions are played by their --agent or --bot, else heuristic",
    )
    run_.add_argument("--seed", type=int, default=1, metavar="N",
                      help="the game's dice, e.g. --seed 7 (default: 1)")
    run_.add_argument(
        "--bot", action="append", default=[], metavar="ROLE=KIND",
        help=f"the bot for a seat without orders, e.g. --bot seoul=random; kinds: "
        f"{bot_kinds_text()} (default: heuristic)",
    )
    run_.add_argument("--turns", type=turn_count, default=None, metavar="N",
                      help="stop after N turns, e.g. --turns 4 (default: the whole game)")
    run_.add_argument("--save", type=path_arg, default=None, metavar="FILE",
                      help="also write the game as a save file, e.g. --save game.json")
    run_.add_argument("--trace", action="store_true",
                      help="include every traced change in each line")
    add_agent_options(run_)
    run_.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from wargame.engine.bots import BOTS
    from wargame.engine.game import Game
    from wargame.formats.files import shown, unwritable
    from wargame.storage.orders_file import parse_orders, read_orders, read_stdin
    from wargame.storage.turn_json import turn_json

    content = load_scenario(args.scenario)
    problem = unwritable(args.save) if args.save is not None else None
    if problem:  # seen before playing: a game is not played to be lost
        raise UsageError(f"--save {shown(args.save)}: {problem}")
    bots = bot_specs(args.bot)
    check_roles(content, list(bots), "--bot")
    agents = agent_specs(args, content)
    both = sorted(set(bots) & set(agents))
    if both:
        raise UsageError(f"{both[0]} has both a --bot and an --agent; give one")
    options = agent_options(args)
    if args.orders == "-":
        scripted = parse_orders(read_stdin(), "<stdin>", content)
    elif args.orders is not None:
        scripted = read_orders(args.orders, content)
    else:
        scripted = []
    # A seat the file never mentions, with no agent, is a bot (heuristic unless --bot says);
    # a scripted seat passes the turns it has no orders for, unless --bot names a bot for it.
    played = {role for turn in scripted for role in turn}
    bots = {**{r: "heuristic" for r in content.role_ids if r not in played and r not in agents},
            **bots}
    game = Game(content, args.seed)
    limit = content.turns if args.turns is None else max(0, min(args.turns, content.turns))
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
            output.line(json.dumps(line, ensure_ascii=False, separators=(",", ":")))
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
    from wargame.formats.save import AgentsRecord
    from wargame.storage.saves import default_game_id, save_game_to

    agents = AgentsRecord(
        rationale=[{"turn": t, "role": r, "text": text}
                   for r, seat in seats.items() for t, text in sorted(seat.rationales.items())],
        errors=[{"turn": e.turn, "role": e.role, "message": e.message}
                for seat in seats.values() for e in seat.errors],
    ) if seats else None
    save_game_to(game, path, seats=kinds, game_id=default_game_id(game, kinds), agents=agents)


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
