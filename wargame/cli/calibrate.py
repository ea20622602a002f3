"""`wargame calibrate SCENARIO --orders FILE`: the scenario's targets against the model."""

from __future__ import annotations

import argparse
from typing import Any

from wargame.cli import output
from wargame.cli.common import UsageError, load_scenario, path_arg


def add(sub: Any) -> None:
    cal = sub.add_parser(
        "calibrate", help="compare the scenario's targets: with a run of the real moves"
    )
    cal.add_argument("scenario", type=path_arg, help="bundled id or YAML path, e.g. low-water-mark")
    cal.add_argument("--orders", type=path_arg, required=True, metavar="FILE",
        help="the real moves, e.g. --orders real-2019.yaml")
    cal.add_argument("--seed", type=int, default=1, help="first seed, e.g. --seed 7 (default 1)")
    cal.add_argument("--runs", type=int, default=10,
        help="seeds to average over, e.g. --runs 20 (default 10)")
    cal.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from wargame.authoring.calibrate import calibrate, table
    from wargame.authoring.targets import targets_of
    from wargame.paths import find_scenario
    from wargame.storage.orders_file import read_orders

    if args.runs < 1:
        raise UsageError("--runs must be 1 or more")
    content = load_scenario(args.scenario)
    path = find_scenario(args.scenario)
    assert path is not None  # load_scenario found it
    targets = targets_of(path, content)
    if not targets:
        raise UsageError(
            f"{path}: the scenario has no targets: (see docs/tutorial.md, 'Calibrate')"
        )
    scripted = read_orders(args.orders, content)
    rows = calibrate(content, targets, scripted, range(args.seed, args.seed + args.runs))
    for line in table(rows):
        output.line(line)
    over = [r for r in rows if not r.ok]
    runs = f"{args.runs} run{'s' if args.runs != 1 else ''}"
    targets_word = "target" if len(rows) == 1 else "targets"
    if over:
        for r in over:
            output.problem(
                f"{r.target.where}: {r.target.value} at {r.label} is off by "
                f"{abs(r.error):.1f}, more than its tolerance {r.target.tolerance:g}"
            )
        output.problem(f"{len(over)} of {len(rows)} {targets_word} over tolerance ({runs})")
        return 1
    output.problem(f"ok: {len(rows)} {targets_word} within tolerance ({runs})")
    return 0
