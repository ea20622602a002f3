"""`wargame test PATH...`: run scenario case files (docs/tutorial.md, section 4)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from wargame.cli import output
from wargame.cli.common import path_arg


def add(sub: Any) -> None:
    t = sub.add_parser("test", help="run scenario case files: start, orders, expected changes")
    t.add_argument("paths", nargs="+", metavar="PATH", type=path_arg,
        help="case files or folders of them, e.g. tests/cases/")
    t.add_argument("-v", "--verbose", action="store_true", help="list passing cases too")
    t.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from wargame.authoring.cases import run_files

    results, problems = run_files([Path(p) for p in args.paths])
    for p in problems:
        output.line(str(p))
    failed = 0
    for r in results:
        w = r.where
        if r.ok:
            if args.verbose:
                output.line(f"{w.file}:{w.line}:{w.col}: ok {r.case.id}")
            continue
        failed += 1
        for f in r.failures:
            output.line(f"{w.file}:{w.line}:{w.col}: FAIL {r.case.id}: {f}")
    passed = len(results) - failed
    output.problem(
        f"{passed} passed, {failed} failed"
        + (f", {len(problems)} problems in the files" if problems else "")
    )
    return 1 if failed or problems or not results else 0
