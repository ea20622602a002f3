"""`wargame new scenario PATH [--from ID]`: write a starter scenario that validates."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from wargame.cli import output
from wargame.cli.common import DEFAULT_SCENARIO, UsageError


def add(sub: Any) -> None:
    new = sub.add_parser("new", help="write a starter scenario with comments that teach the format")
    new.add_argument("kind", choices=["scenario"], help="what to write (only: scenario)")
    new.add_argument("path", metavar="PATH",
        help="the file to write (must not exist), e.g. my-scenario.yaml")
    new.add_argument(
        "--from", dest="base", default=None, metavar="ID",
            help="copy a bundled scenario instead, e.g. --from convenor"
    )
    new.add_argument("--force", action="store_true", help="overwrite PATH if it exists")
    new.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from wargame.authoring.starter import copy_of, scenario_id, starter
    from wargame.formats.files import shown, unwritable
    from wargame.paths import bundled_scenarios
    from wargame.storage.content_loader import load_content

    path = Path(args.path)
    if path.suffix not in (".yaml", ".yml"):
        raise UsageError(f"{path}: a scenario file ends in .yaml")
    if os.path.lexists(path) and not args.force:
        raise UsageError(f"{path} already exists (--force to overwrite)")
    problem = unwritable(path)  # a named pipe would block, a device is no scenario file
    if problem and not problem.startswith("no folder"):
        raise UsageError(f"{shown(args.path)}: {problem}")
    bundled = {p.stem: p for p in bundled_scenarios()}
    new_id = scenario_id(path.stem)
    if args.base is not None:
        if args.base not in bundled:
            raise UsageError(
                f"--from: no bundled scenario {args.base!r} (one of: {', '.join(bundled)})"
            )
        text = copy_of(bundled[args.base].read_text(encoding="utf-8"), new_id)
    else:
        text = starter(load_content(bundled[DEFAULT_SCENARIO]), new_id)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as err:
        raise UsageError(f"cannot write {path}: {err.strerror or err}") from None
    output.problem(f"wrote {path} (id {new_id})")
    output.problem(f"next: wargame validate {path} && wargame lint {path}")
    return 0
