"""`wargame replay SAVE [--as ROLE] [--verify] [--with-current-rules [SCENARIO]]`.

Without a flag it opens the replay viewer (wargame.tui.replay). `--verify` re-resolves every
turn headless with the content embedded in the save and names the first turn that differs
(exit 1 if any); `--with-current-rules` plays the same orders under the bundled scenario of the
save's id now, or under the SCENARIO the user names (never a path written in the save), and
says where and how the game would have gone differently (exit 1 if it would have).
A bad file is a message on stderr and exit 1, never a traceback.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from wargame.cli import output
from wargame.cli.common import UsageError, did_you_mean, has_screen, path_arg


def add(sub: Any) -> None:
    rep = sub.add_parser(
        "replay",
        help="step through a saved game",
        description="Step through a saved game turn by turn, or check it re-resolves the same.",
        epilog="examples:\n  wargame replay game.json\n  wargame replay game.json --as tokyo\n"
        "  wargame replay game.json --verify\n  wargame replay game.json --with-current-rules",
    )
    rep.add_argument("save", type=path_arg, nargs="?", help="a save file, e.g. game.json")
    rep.add_argument("--as", dest="as_role", default=None, metavar="ROLE",
                     help="see only what one role saw, e.g. --as tokyo")
    rep.add_argument("--verify", action="store_true",
                     help="re-resolve every turn headless; exit 1 at the first that differs")
    rep.add_argument("--with-current-rules", nargs="?", const=True, default=False,
                     metavar="SCENARIO", type=path_arg,
                     help="play the same orders under today's bundled scenario of the save's "
                     "id, or under SCENARIO (an id or a file), and say what changes, "
                     "e.g. --with-current-rules my-scenario.yaml")
    rep.set_defaults(func=replay)


def _known_role(role: str | None, scenario: str, roles: Sequence[str]) -> bool:
    """--as names a role of the game (else a usage error on stderr, with a did-you-mean)."""
    if role is None or role in roles:
        return True
    output.error(f"--as: {scenario} has no role {role!r} (roles: {', '.join(roles)})"
                 + did_you_mean(role, roles))
    return False


def replay(args: argparse.Namespace) -> int:
    from wargame.storage.saves import SaveError, open_replay, verify_save

    verify = bool(getattr(args, "verify", False))
    current = getattr(args, "with_current_rules", False)
    if args.save is None and isinstance(current, str):  # `--with-current-rules game.json`
        args.save, current = current, True
    if args.save is None:
        raise UsageError("replay: give a save file, e.g. wargame replay game.json")
    path = Path(args.save)
    try:
        if verify or current:
            result = verify_save(path, current_rules=current)
            if not _known_role(getattr(args, "as_role", None), result.scenario, result.roles):
                return 2
            lines = result.lines()
            if not verify:  # only the comparison was asked for; say if the save itself is off
                lines = [ln for ln in lines if not ln.startswith("ok: ")]
            for line in lines:
                output.line(line)
            differs = current and result.current is not None and (
                result.current.divergence is not None
            )
            return 1 if differs or not result.ok else 0
        rep = open_replay(path)
    except SaveError as err:
        output.error(err.message)
        return 1
    role = getattr(args, "as_role", None)
    if not _known_role(role, rep.content.id, rep.content.role_ids):
        return 2
    if not has_screen():
        output.error("the replay viewer needs a terminal (stdin and stdout); without one use "
             "'wargame replay SAVE --verify' or 'wargame report SAVE'")
        return 2
    from wargame.tui.replay import ReplayApp

    ReplayApp(rep, role=role).run()
    return 0
