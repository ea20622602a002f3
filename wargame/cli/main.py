"""The `wargame` command (docs/reference.md): one parser built from the per-command modules.
Heavy modules (Textual) load only inside the commands that need them, so `validate`, `run`
and `list` start fast."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from wargame import __version__
from wargame.cli import (
    calibrate,
    casetest,
    completion,
    host,
    join,
    lint,
    listing,
    new,
    play,
    plot,
    replay,
    report,
    run,
    schema,
    serve,
    simulate,
    tournament,
    validate,
)
from wargame.cli.common import Parser, UsageError
from wargame.storage.content_loader import ContentError

# In the order `wargame --help` lists them.
COMMANDS = (
    play,
    listing,
    new,
    validate,
    lint,
    casetest,
    calibrate,
    schema,
    run,
    replay,
    report,
    simulate,
    plot,
    tournament,
    host,
    join,
    serve,
    completion,
)


def build_parser() -> Parser:
    p = Parser(
        prog="wargame",
        description="A tabletop policy wargame: Washington, Tokyo and Seoul.",
        epilog="With no command, opens the terminal game's title screen.\n"
        "Each command has its own help, e.g. 'wargame play --help'.",
    )
    p.add_argument(
        "--version", action="version", version=f"wargame {__version__}",
        help="print the version and exit",
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for command in COMMANDS:
        command.add(sub)
    return p


def _quiet_broken_pipe() -> int:
    # The reader went away (`wargame run ... | head -1`): that is not an error. Point stdout at
    # /dev/null so the interpreter's final flush does not print a second traceback.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["play", *(argv or [])])
    try:
        return int(args.func(args))
    except BrokenPipeError:
        return _quiet_broken_pipe()
    except UsageError as err:
        print(f"wargame: {err}", file=sys.stderr)
        return 2
    except ContentError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as err:
        # Save-file problems are reported, not raised; imported here to keep startup fast.
        from wargame.storage.saves import SaveError

        if isinstance(err, SaveError):
            print(f"wargame: {err.message}", file=sys.stderr)
            return 1
        raise
