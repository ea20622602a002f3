"""`wargame simulate SCENARIO --runs N`: many bot-played games (the work is in
wargame.experiments; the command line and the summary's printing are here)."""

from __future__ import annotations

import argparse
from typing import Any


def add(sub: Any) -> None:
    from wargame.experiments.command import add_arguments

    sim = sub.add_parser("simulate", help="many bot-played games: summary, Parquet, sweeps, Dask")
    add_arguments(sim)
    sim.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from wargame.cli.common import UsageError, bot_specs, check_roles, load_scenario
    from wargame.experiments.command import simulate

    content = load_scenario(args.scenario)
    named = bot_specs(args.bot)
    check_roles(content, list(named), "--bot")
    bots = {r: named.get(r, "heuristic") for r in content.role_ids}
    return simulate(args, content, bots, UsageError)
