"""`wargame validate PATH...`: every problem in scenario and rule files, FILE:LINE:COL each."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from wargame.cli import output
from wargame.cli.common import path_arg


def add(sub: Any) -> None:
    val = sub.add_parser(
        "validate",
        help="check scenario and rule files or folders",
        description="Every problem as FILE:LINE:COL: message; exit 0 if clean, 1 if not.",
        epilog="examples:\n  wargame validate my-scenario.yaml\n"
        "  wargame validate scenarios/ rules/",
    )
    val.add_argument("paths", nargs="+", metavar="PATH", type=path_arg,
                     help="scenario or rule files, or folders of them, e.g. scenarios/")
    val.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from wargame.authoring.validate import validate_paths
    from wargame.storage.content_loader import shown

    problems, checked = validate_paths([Path(p) for p in args.paths])
    for p in shown(problems):
        output.line(str(p))
    if problems:
        output.problem(
            f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {checked} "
            f"file{'s' if checked != 1 else ''}"
        )
        return 1
    output.problem(f"ok: {checked} file{'s' if checked != 1 else ''} checked")
    return 0
