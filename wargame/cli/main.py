"""The `wargame` command (docs/reference.md): one parser built from the per-command modules.
Heavy modules (Textual) load only inside the commands that need them, so `validate`, `run`
and `list` start fast."""

from __future__ import annotations

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
    output,
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
from wargame.cli.output import OutputError
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


def main(argv: Sequence[str] | None = None) -> int:
    output.start()
    try:
        code = _main(argv)
    except SystemExit as stop:  # argparse's --help and --version, and its usage errors
        failed = output.finish()
        if failed is not None:
            output.error(str(failed))
            raise SystemExit(stop.code or 1) from None
        raise
    failed = output.finish()
    if failed is not None:
        output.error(str(failed))
        return code or 1
    return code


def _main(argv: Sequence[str] | None) -> int:
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.command is None:
            args = parser.parse_args(["play", *(argv or [])])
        return int(args.func(args))
    except BrokenPipeError:
        # The reader went away (`wargame list | head -1`): not an error, as for other tools.
        output.drop_stdout()
        return 0
    except OutputError as err:
        output.error(str(err))
        return 1
    except UsageError as err:
        output.error(str(err))
        return 2
    except ContentError as err:
        for problem in err.problems:
            output.problem(str(problem))
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as err:
        # Save-file problems are reported, not raised; imported here to keep startup fast.
        from wargame.storage.saves import SaveError

        if isinstance(err, SaveError):
            output.error(err.message)
            return 1
        raise
