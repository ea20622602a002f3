"""`wargame plot RUNS [--out DIR]`: PNG and SVG charts of what `wargame simulate --out` wrote
(the drawing is in wargame.experiments.plots)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from wargame.cli import output
from wargame.cli.common import path_arg


def add(sub: Any) -> None:
    p = sub.add_parser("plot", help="charts (PNG and SVG) of a simulate run's output")
    p.add_argument("runs", metavar="RUNS",
                   help="a .parquet or .jsonl file from simulate --out, e.g. runs.parquet")
    p.add_argument(
        "--out", type=path_arg, default=None, metavar="DIR",
        help="folder for the charts, e.g. --out charts/ (default: RUNS-charts)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from wargame.experiments.plots import PlotError, plot_runs

    runs = Path(args.runs)
    out = Path(args.out) if args.out else runs.with_name(f"{runs.stem}-charts")
    try:
        written = plot_runs(runs, out)
    except PlotError as err:
        output.error(str(err))
        return 1
    for path in written:
        output.line(str(path))
    return 0
