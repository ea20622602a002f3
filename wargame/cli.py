"""The `wargame` command (CONTRACT.md). Heavy modules (Textual) load only for the commands
that need them, so `validate`, `run` and `list` start fast."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from wargame import __version__
from wargame.engine.bots import BOTS
from wargame.engine.content import Content
from wargame.storage.content_loader import ContentError

ROLES = ("washington", "tokyo", "seoul")
DEFAULT_SCENARIO = "convenor"


class UsageError(Exception):
    pass


def _bot_specs(specs: Sequence[str]) -> dict[str, str]:
    bots: dict[str, str] = {}
    for spec in specs:
        role, sep, kind = spec.partition("=")
        if not sep or not role or not kind:
            raise UsageError(f"--bot takes ROLE=KIND, e.g. seoul=heuristic (got {spec!r})")
        if kind not in BOTS:
            raise UsageError(f"unknown bot kind {kind!r}; one of: {', '.join(BOTS)}")
        bots[role] = kind
    return bots


def load_scenario(name: str) -> Content:
    from wargame.paths import find_scenario
    from wargame.storage.content_loader import load_content

    path = find_scenario(name)
    if path is None:
        from wargame.paths import bundled_scenarios

        known = ", ".join(p.stem for p in bundled_scenarios())
        raise UsageError(f"no scenario {name!r}: give a bundled id ({known}) or a YAML file")
    return load_content(path)


def _check_roles(content: Content, roles: Sequence[str], what: str) -> None:
    for role in roles:
        if role not in content.role_ids:
            raise UsageError(
                f"{what}: {content.id} has no role {role!r} (roles: {', '.join(content.role_ids)})"
            )


# ---------------------------------------------------------------------------- commands


def cmd_list(args: argparse.Namespace) -> int:
    from wargame.paths import bundled_scenarios
    from wargame.storage.content_loader import load_content

    paths = list(bundled_scenarios())
    local = Path("scenarios")
    if local.is_dir():
        paths += [
            p
            for p in sorted(local.glob("*.yaml"))
            if p.resolve() not in {q.resolve() for q in paths}
        ]
    rows = []
    for path in paths:
        try:
            c = load_content(path)
        except ContentError as err:
            print(
                f"{path}: does not load ({len(err.problems)} problems; run wargame validate)",
                file=sys.stderr,
            )
            continue
        rows.append((c.id, c.title, c.years(), ", ".join(c.role_ids), str(c.turns)))
    if args.json:
        keys = ("id", "title", "years", "roles", "turns")
        for row in rows:
            print(json.dumps(dict(zip(keys, row, strict=True))))
        return 0
    header = ("ID", "TITLE", "YEARS", "ROLES", "TURNS")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(5)]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from wargame.storage.validate import validate_paths

    problems, checked = validate_paths([Path(p) for p in args.paths])
    for p in problems:
        print(p)
    if problems:
        print(
            f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {checked} "
            f"file{'s' if checked != 1 else ''}",
            file=sys.stderr,
        )
        return 1
    print(f"ok: {checked} file{'s' if checked != 1 else ''} checked", file=sys.stderr)
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from wargame.storage.schemas import schema_for

    print(json.dumps(schema_for(args.kind), indent=2, ensure_ascii=False))
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from wargame.engine.game import Game
    from wargame.storage.orders_file import read_orders
    from wargame.storage.turn_json import turn_json

    content = load_scenario(args.scenario)
    bots = _bot_specs(args.bot)
    _check_roles(content, list(bots), "--bot")
    scripted = read_orders(args.orders, content)
    game = Game(content, args.seed)
    limit = content.turns if args.turns is None else max(0, min(args.turns, content.turns))
    out = sys.stdout
    for t in range(limit):
        script = scripted[t] if t < len(scripted) else {}
        for role in content.role_ids:
            if role in script:
                game.pending[role] = script[role]  # illegal ones are refused at resolution
            elif role in bots:
                game.pending[role] = BOTS[bots[role]](game, role)
        report = game.resolve()
        out.write(
            json.dumps(
                turn_json(report, trace=args.trace), ensure_ascii=False, separators=(",", ":")
            )
            + "\n"
        )
    out.flush()
    if args.save:
        from wargame.storage.saves import save_game_to

        save_game_to(
            game, Path(args.save), seats={r: bots.get(r, "script") for r in content.role_ids}
        )
    return 0


def cmd_play(args: argparse.Namespace) -> int:
    from wargame.tui.launch import launch

    return int(launch(args))


def cmd_replay(args: argparse.Namespace) -> int:
    from wargame.storage.replay_cli import replay

    return int(replay(args))


def cmd_report(args: argparse.Namespace) -> int:
    from wargame.storage.report_cli import report

    return int(report(args))


def cmd_simulate(args: argparse.Namespace) -> int:
    from wargame.simulate import simulate

    return int(simulate(args))


# ---------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="wargame",
        description="A tabletop policy wargame: Washington, Tokyo and Seoul.",
        epilog="With no command, opens the terminal game's title screen.",
    )
    p.add_argument("--version", action="version", version=f"wargame {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    play = sub.add_parser("play", help="the terminal game")
    play.add_argument("scenario", nargs="?", help="bundled id or YAML path")
    play.add_argument(
        "--as",
        dest="humans",
        action="append",
        default=[],
        metavar="ROLE",
        help="a seat you play (repeat for hot seat)",
    )
    play.add_argument("--bot", action="append", default=[], metavar="ROLE=KIND")
    play.add_argument("--seed", type=int, default=None)
    play.add_argument("--save-dir", default=None, help="where saves go (or $WARGAME_SAVE_DIR)")
    play.set_defaults(func=cmd_play)

    ls = sub.add_parser("list", help="bundled and local scenarios")
    ls.add_argument("--json", action="store_true", help="one JSON object per scenario")
    ls.set_defaults(func=cmd_list)

    val = sub.add_parser("validate", help="check scenario and rule files or folders")
    val.add_argument("paths", nargs="+", metavar="PATH")
    val.set_defaults(func=cmd_validate)

    sch = sub.add_parser("schema", help="JSON Schema for editors and tools")
    sch.add_argument("kind", nargs="?", default="scenario", choices=["scenario", "rules", "save"])
    sch.set_defaults(func=cmd_schema)

    run = sub.add_parser("run", help="headless play from scripted orders (JSON Lines out)")
    run.add_argument("scenario")
    run.add_argument("--orders", required=True, metavar="FILE")
    run.add_argument("--seed", type=int, default=1)
    run.add_argument("--bot", action="append", default=[], metavar="ROLE=KIND")
    run.add_argument("--turns", type=int, default=None)
    run.add_argument("--save", default=None, metavar="FILE")
    run.add_argument("--trace", action="store_true", help="include every traced change")
    run.set_defaults(func=cmd_run)

    rep = sub.add_parser("replay", help="step through a saved game")
    rep.add_argument("save")
    rep.add_argument("--as", dest="as_role", default=None, metavar="ROLE")
    rep.add_argument("--verify", action="store_true")
    rep.add_argument("--with-current-rules", action="store_true")
    rep.set_defaults(func=cmd_replay)

    rpt = sub.add_parser("report", help="after-action report or per-turn values")
    rpt.add_argument("save")
    rpt.add_argument("--format", choices=["md", "json", "csv"], default="md")
    rpt.set_defaults(func=cmd_report)

    sim = sub.add_parser("simulate", help="many bot-played games")
    sim.add_argument("scenario")
    sim.add_argument("--runs", type=int, required=True)
    sim.add_argument("--jobs", type=int, default=1)
    sim.add_argument("--seed", type=int, default=1)
    sim.add_argument("--bot", action="append", default=[], metavar="ROLE=KIND")
    sim.add_argument("--out", default=None, metavar="FILE")
    sim.set_defaults(func=cmd_simulate)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["play", *(argv or [])])
    try:
        return int(args.func(args))
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
    except BrokenPipeError:
        return 0
