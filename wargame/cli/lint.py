"""`wargame lint PATH...`: warnings for content that validates but cannot work."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from wargame.cli import output
from wargame.cli.common import path_arg


def add(sub: Any) -> None:
    lint = sub.add_parser("lint", help="find parts of scenarios that validate but cannot work")
    lint.add_argument("paths", nargs="+", metavar="PATH", type=path_arg,
        help="scenario files or folders, e.g. scenarios/")
    lint.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from wargame.authoring.lint_files import lint_paths

    problems, checked = lint_paths([Path(p) for p in args.paths])
    for p in problems:
        output.line(str(p))
    files = f"{checked} scenario{'s' if checked != 1 else ''}"
    if problems:
        n = len(problems)
        output.problem(f"{n} warning{'s' if n != 1 else ''} in {files}")
        return 1
    output.problem(f"ok: {files} linted, nothing to warn about")
    return 0
