"""`wargame serve`: the terminal game in a browser, through textual-serve.

Each browser tab that opens the page starts its own `wargame play` (or, with `--join URL`,
its own `wargame join URL`, which asks for a join code: a browser seat at a host)."""

from __future__ import annotations

import argparse
import shlex
import sys
from typing import Any

from wargame.cli.common import UsageError


def add(sub: Any) -> None:
    srv = sub.add_parser("serve", help="the terminal game in a browser (textual-serve)")
    srv.add_argument("--port", type=int, default=8000, help="e.g. --port 8080 (default 8000)")
    srv.add_argument("--bind", default="127.0.0.1",
                     help="address to listen on, e.g. --bind 0.0.0.0 (default 127.0.0.1: this "
                     "machine only)")
    srv.add_argument("--join", default=None, metavar="URL",
                     help="serve a client of this host, e.g. --join ws://10.0.0.5:8765/ws (each "
                     "tab asks for its join code)")
    srv.add_argument("--public-url", default=None, metavar="URL",
                     help="the address browsers use, if not http://BIND:PORT, e.g. "
                     "--public-url https://games.example.org")
    srv.add_argument("play_args", nargs=argparse.REMAINDER,
                     help="after --: arguments for `wargame play` (e.g. -- convenor --as tokyo)")
    srv.set_defaults(func=run)


def command_for(args: argparse.Namespace) -> str:
    """The command textual-serve starts for each browser tab."""
    base = [sys.executable, "-m", "wargame"]
    if args.join:
        if args.play_args:
            raise UsageError("--join serves the client only; give no play arguments")
        return shlex.join([*base, "join", args.join])
    extra = [a for a in args.play_args if a != "--"]
    return shlex.join([*base, "play", *extra])


def run(args: argparse.Namespace) -> int:
    from textual_serve.server import Server

    if not 1 <= args.port <= 65535:
        raise UsageError("--port is 1 to 65535")
    server = Server(command_for(args), host=args.bind, port=args.port, title="wargame",
                    public_url=args.public_url)
    server.serve()
    return 0
