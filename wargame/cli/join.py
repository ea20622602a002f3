"""`wargame join URL --code CODE`: the terminal game as a client of a host (wargame.host)."""

from __future__ import annotations

import argparse
from typing import Any

from wargame.cli.common import UsageError


def add(sub: Any) -> None:
    j = sub.add_parser("join", help="play at a host: a seat, the umpire or a spectator")
    j.add_argument("url", help="the host's address, e.g. ws://127.0.0.1:8765/ws")
    j.add_argument("--code", default=None,
                   help="your join code, e.g. --code K7Q-2M9 (asked for if not given)")
    j.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not args.url.startswith(("ws://", "wss://")):
        raise UsageError(f"the host's address starts with ws:// (got {args.url!r}); "
                         "e.g. ws://127.0.0.1:8765/ws")
    from wargame.host.join_app import run_join

    return run_join(args.url, args.code)
