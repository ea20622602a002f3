"""`wargame play [SCENARIO] [--as ROLE]... [--bot ROLE=KIND]...`: the terminal game.

Every mistake on the command line (an unknown scenario, role or bot kind, no terminal) is
answered before any screen opens: one line on stderr, with a did-you-mean, and exit 2."""

from __future__ import annotations

import argparse
from typing import Any

from wargame.cli.common import (
    DEFAULT_SCENARIO,
    UsageError,
    bot_kinds_text,
    bot_specs,
    check_roles,
    has_screen,
    load_scenario,
)
from wargame.cli.seats import add_agent_options, agent_options, agent_specs

EXAMPLES = """examples:
  wargame play                          the title screen
  wargame play convenor                 play Washington against two bots
  wargame play convenor --as tokyo      play Tokyo
  wargame play convenor --as tokyo --as seoul
                                        hot seat; Washington is a bot
  wargame play convenor --bot seoul=random --seed 7
                                        a random Seoul, the same dice each time
  wargame play my-scenario.yaml         a scenario file of your own
  wargame play convenor --agent tokyo="python my_agent.py"
                                        a program plays Tokyo (docs/agents.md)"""


def add(sub: Any) -> None:
    play = sub.add_parser(
        "play",
        help="the terminal game",
        description="Play in the terminal. Seats you do not take are played by bots.",
        epilog=EXAMPLES,
    )
    play.add_argument(
        "scenario", nargs="?",
        help="a bundled id or a YAML path, e.g. convenor (without it: the title screen)",
    )
    play.add_argument(
        "--as", dest="humans", action="append", default=[], metavar="ROLE",
        help="a seat you play, e.g. --as tokyo; repeat for hot seat (default: washington)",
    )
    play.add_argument(
        "--bot", action="append", default=[], metavar="ROLE=KIND",
        help=f"who plays a seat you do not, e.g. --bot seoul=random; kinds: {bot_kinds_text()}"
        " (default: heuristic)",
    )
    play.add_argument(
        "--seed", type=int, default=None, metavar="N",
        help="fix the dice, e.g. --seed 7 (default: a new seed each game)",
    )
    play.add_argument(
        "--save-dir", default=None, metavar="DIR",
        help="where saves go, e.g. --save-dir ~/games (default: $WARGAME_SAVE_DIR or the "
        "user data folder)",
    )
    add_agent_options(play)
    play.set_defaults(func=run)


def check(args: argparse.Namespace) -> None:
    """Everything the command line names must exist before a screen opens."""
    bots = bot_specs(args.bot)
    if args.scenario or args.humans or bots or args.agent:
        content = load_scenario(args.scenario or DEFAULT_SCENARIO)
        check_roles(content, args.humans, "--as")
        check_roles(content, list(bots), "--bot")
        agents = agent_specs(args, content)
        agent_options(args)
        both = [r for r in args.humans if r in bots]
        if both:
            raise UsageError(f"{both[0]} is named by both --as and --bot; give it one seat")
        for named, what in ((args.humans, "--as"), (list(bots), "--bot")):
            twice = [r for r in named if r in agents]
            if twice:
                raise UsageError(f"{twice[0]} is named by both {what} and --agent; "
                                 "give it one seat")
    if not has_screen():
        raise UsageError(
            "play needs a terminal (stdin and stdout); for play without one use "
            "'wargame run SCENARIO'"
        )


def run(args: argparse.Namespace) -> int:
    check(args)
    from wargame.tui.launch import launch

    return int(launch(args))
