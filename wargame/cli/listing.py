"""`wargame list [--json]`: bundled scenarios and those in ./scenarios."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any


def add(sub: Any) -> None:
    ls = sub.add_parser(
        "list",
        help="bundled and local scenarios",
        description="The scenarios you can play: bundled ones and any in ./scenarios.",
        epilog="examples:\n  wargame list\n  wargame list --json | jq -r .id",
    )
    ls.add_argument("--json", action="store_true",
                    help="one JSON object per scenario, e.g. wargame list --json")
    ls.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from wargame.paths import bundled_scenarios
    from wargame.storage.content_loader import ContentError, load_content

    paths = list(bundled_scenarios())
    local = Path("scenarios")
    if local.is_dir():
        paths += [
            p
            for p in sorted(local.glob("*.yaml"))
            if os.path.realpath(p) not in {os.path.realpath(q) for q in paths}  # never raises
        ]
    rows = []
    for path in paths:
        try:
            c = load_content(path)
        except ContentError as err:
            print(
                f"{path}: does not load ({len(err.every)} problems; run wargame validate)",
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
