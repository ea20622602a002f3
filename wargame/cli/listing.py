"""`wargame list [--json]`: bundled scenarios and those in ./scenarios."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

from wargame.cli import output
from wargame.formats.untrusted import printable


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
            output.problem(
                f"{path}: does not load ({len(err.every)} problems; run wargame validate)"
            )
            continue
        rows.append((c.id, c.title, c.years(), ", ".join(c.role_ids), str(c.turns)))
    if args.json:
        keys = ("id", "title", "years", "roles", "turns")
        for row in rows:
            output.line(json.dumps(dict(zip(keys, row, strict=True))))
        return 0
    header: tuple[str, ...] = ("ID", "TITLE", "YEARS", "ROLES", "TURNS")
    # Escaped first, so the columns line up as shown.
    shown: list[tuple[str, ...]] = [tuple(printable(cell) for cell in row) for row in rows]
    widths = [max(len(r[i]) for r in [header, *shown]) for i in range(5)]
    for cells in [header, *shown]:
        padded = (cell.ljust(w) for cell, w in zip(cells, widths, strict=True))
        output.line("  ".join(padded).rstrip())
    return 0
