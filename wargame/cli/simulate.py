"""`wargame simulate SCENARIO --runs N`: many bot-played games (the work is in wargame.simulate)."""

from __future__ import annotations

import argparse
from typing import Any


def add(sub: Any) -> None:
    sim = sub.add_parser("simulate", help="many bot-played games")
    sim.add_argument("scenario")
    sim.add_argument("--runs", type=int, required=True)
    sim.add_argument("--jobs", type=int, default=1)
    sim.add_argument("--seed", type=int, default=1)
    sim.add_argument("--bot", action="append", default=[], metavar="ROLE=KIND")
    sim.add_argument("--out", default=None, metavar="FILE")
    sim.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from wargame.simulate import simulate

    return int(simulate(args))
