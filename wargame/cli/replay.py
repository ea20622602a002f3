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
from typing import TYPE_CHECKING, Any

from wargame.cli import output
from wargame.cli.common import UsageError, did_you_mean, has_screen, path_arg

if TYPE_CHECKING:
    from wargame.storage.saves import CurrentRules, VerifyResult


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


def _verify_lines(result: VerifyResult) -> list[str]:
    """What `--verify` prints: what is wrong, naming the file as every message about a file
    does, or that the turns verified."""
    out = []
    if result.divergence is not None:
        out.append(f"{result.path}: {result.divergence.describe()}")
        if result.divergent_orders:
            out.append(f"  orders of turn {result.divergence.turn}: {result.divergent_orders}")
    out += [f"{result.path}: problem: {p}" for p in result.problems]
    if result.divergence is None and result.ok:
        out.append(
            f"ok: {result.turns} turn{'s' if result.turns != 1 else ''} verified "
            f"(content sha256 {result.content_hash[:12]}…)"
        )
    elif result.divergence is None:
        out.append(f"{result.path}: {result.turns} turns replay as saved, but the file has "
                   "problems")
    if result.current is not None:
        out += _current_lines(result.current)
    return out


def _current_lines(cur: CurrentRules) -> list[str]:
    out = [f"current rules: {cur.scenario_path} (content sha256 {cur.content_hash[:12]}…)"]
    out += [f"  note: {n}" for n in cur.notes]
    if cur.same_content:
        out.append("  the content on disk is the content this game was played with")
    if cur.divergence is None:
        out.append(f"  the game would have gone the same way ({cur.turns_compared} turns)")
        return out
    out.append("  " + cur.divergence.describe("as played", "with current rules"))
    for d in cur.outcome_diffs[:12]:
        out.append(f"  turn {d.turn}: {d.role} {d.action}: {d.saved}  →  {d.now}")
    if len(cur.outcome_diffs) > 12:
        out.append(f"  … and {len(cur.outcome_diffs) - 12} more changed outcomes")
    if cur.final_diffs:
        shown = "; ".join(str(d) for d in cur.final_diffs[:12])
        more = f"; and {len(cur.final_diffs) - 12} more" if len(cur.final_diffs) > 12 else ""
        out.append(f"  at the end (as played → with current rules): {shown}{more}")
    return out


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
            lines = _verify_lines(result)
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
