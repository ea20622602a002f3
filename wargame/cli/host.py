"""`wargame host SCENARIO`: a game server for seats on other machines (the work is in
wargame.host)."""

from __future__ import annotations

import argparse
from typing import Any

from wargame.cli.common import UsageError, path_arg


def add(sub: Any) -> None:
    hst = sub.add_parser("host", help="a game server for seats on other machines (WebSocket)")
    hst.add_argument(
        "scenario", nargs="?", help="bundled id or YAML path, e.g. convenor (not with --resume)"
    )
    hst.add_argument(
        "--port", type=int, default=8765, help="e.g. --port 9000; 0: any free port (default 8765)"
    )
    hst.add_argument(
        "--bind",
        default="127.0.0.1",
        help="address to listen on, e.g. --bind 0.0.0.0 (default 127.0.0.1: this machine only)",
    )
    hst.add_argument(
        "--seat",
        action="append",
        default=[],
        metavar="ROLE=human|KIND",
        help="who sits where, e.g. --seat seoul=heuristic (default: every seat human)",
    )
    hst.add_argument("--seed", type=int, default=1, help="e.g. --seed 7; table N plays seed+N-1")
    hst.add_argument(
        "--tables", type=int, default=1, help="independent games, own codes each, e.g. --tables 4"
    )
    hst.add_argument(
        "--codes-file",
        default=None,
        metavar="FILE",
        help="write the join codes as JSON (readable by you only), e.g. --codes-file codes.json",
    )
    hst.add_argument(
        "--save",
        type=path_arg,
        default=None,
        metavar="FILE",
        help="autosave after every submit, e.g. --save game.json",
    )
    hst.add_argument(
        "--resume",
        default=None,
        metavar="SAVE",
        help="carry on a hosted game: orders kept, codes unchanged, e.g. --resume game.json",
    )
    hst.add_argument(
        "--deadline",
        type=float,
        default=None,
        metavar="SECONDS",
        help="per turn, e.g. --deadline 300; a seat still silent then is played by the "
        "heuristic bot",
    )
    hst.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from wargame.host.cli_host import HostUsage, host

    try:
        return host(args)
    except HostUsage as err:
        raise UsageError(str(err)) from None
