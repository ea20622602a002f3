"""`wargame simulate SCENARIO --runs N`: many bot-played games of one scenario, for analysts
and designers (the work is in wargame.experiments; the command line and printing are here).

Run i of every point plays seed S + i, so any single game replays with `wargame run`
(same scenario, seed and bots; with --set, the same start values). Seats not named by
--bot are heuristic bots.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wargame.cli import output

if TYPE_CHECKING:
    from wargame.experiments.stopping import Stop

EXAMPLES = """examples:
  wargame simulate convenor --runs 100
  wargame simulate convenor --runs 1000 --jobs auto --bot tokyo=random \\
      --out runs.parquet
  wargame simulate convenor --runs 200 --sweep nk_threat=40,60,80 \\
      --out sweep.jsonl"""


def add(sub: Any) -> None:
    from wargame.cli.common import bot_kinds_text, path_arg

    sim = sub.add_parser(
        "simulate",
        help="many bot-played games: summary, Parquet, sweeps, Dask",
        description="Play many games with bots in every seat and summarise how they went.",
        epilog=EXAMPLES,
    )
    sim.add_argument("scenario", type=path_arg, help="bundled id or YAML path, e.g. convenor")
    sim.add_argument("--runs", type=int, required=True, metavar="N",
                     help="games per point of the sweep, e.g. --runs 100")
    sim.add_argument("--jobs", default="1", metavar="K|auto",
                     help="worker processes, e.g. --jobs 2 (auto: cores; default 1)")
    sim.add_argument("--seed", type=int, default=1, metavar="S",
                     help="run i plays seed S+i, e.g. --seed 7 (default 1)")
    sim.add_argument("--bot", action="append", default=[], metavar="ROLE=KIND",
                     help=f"a seat's bot, e.g. --bot seoul=random; kinds: {bot_kinds_text()} "
                     "(default: heuristic)")
    sim.add_argument("--out", type=path_arg, default=None, metavar="FILE",
                     help="FILE.parquet or FILE.jsonl, e.g. --out runs.parquet")
    sim.add_argument("--per-turn", action="store_true", help="one row per game and turn")
    sim.add_argument(
        "--hashes",
        action="store_true",
        help="each game's final state hash, to check a replay (per-turn rows always have it)",
    )
    sim.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE",
        help="a start value or param, e.g. --set nk_threat=60",
    )
    sim.add_argument(
        "--sweep",
        action="append",
        default=[],
        metavar="NAME=V1,V2,...",
        help="a grid over several names (repeat), e.g. --sweep nk_threat=40,60,80",
    )
    sim.add_argument("--dask", default=None, metavar="ADDRESS",
                     help="an existing Dask scheduler, e.g. --dask tcp://10.0.0.5:8786")
    sim.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from wargame.experiments.stopping import Stop

    # From here on Ctrl+C, SIGTERM and SIGHUP are requests the run answers (stopping.py):
    # one that comes while the scenario loads or the workers start stops the run at once.
    with Stop() as stop:
        return _simulate(args, stop)


def _simulate(args: argparse.Namespace, stop: Stop) -> int:
    from wargame.cli.common import UsageError, bot_specs, check_roles, load_scenario
    from wargame.experiments.local import RunError
    from wargame.experiments.plan import Plan
    from wargame.experiments.run import resolve_jobs, run_experiment
    from wargame.experiments.settings import SettingError, parse_settings
    from wargame.experiments.sinks import OutputError, check_path, without_numpy

    if args.runs < 1:
        raise UsageError("--runs must be at least 1")
    content = load_scenario(args.scenario)
    named = bot_specs(args.bot)
    check_roles(content, list(named), "--bot")
    bots = {r: named.get(r, "heuristic") for r in content.role_ids}
    try:
        points = parse_settings(content, args.set, args.sweep)
    except SettingError as err:
        raise UsageError(str(err)) from None
    out = Path(args.out) if args.out else None
    without_numpy()  # this process only writes Arrow buffers: pyarrow loads ~2x faster
    try:
        if out is not None:
            check_path(out)
        plan = Plan(content, bots, tuple(points), args.seed, args.runs, args.per_turn, args.hashes)
        jobs, note = (1, "") if args.dask else resolve_jobs(args.jobs, plan.games)
    except (OutputError, RunError) as err:
        raise UsageError(str(err)) from None
    if note:
        output.error(note)
    shown = _Progress(plan.games) if _stderr_tty() else None

    def started() -> None:
        if shown:
            shown.start()
        # The summary's modules (~20 ms) load now: with --jobs 2, while the workers play.
        import rich.table  # noqa: F401
    try:
        outcome = run_experiment(
            plan,
            jobs=jobs,
            dask=args.dask,
            out=out,
            progress=shown.update if shown else None,
            started=started,
            stop=stop,
        )
    except RunError as err:
        output.error(str(err))
        return 1
    except OutputError as err:
        output.error(str(err))
        return 1
    except OSError as err:
        output.error(f"cannot write {out}: {err.strerror or err}")
        return 1
    finally:
        if shown:
            shown.stop()
    from wargame.experiments.run import default_out_note

    code = 130 if outcome.interrupted else 0
    if not _print_summary(outcome.summary.render(bots, outcome.interrupted)):
        return 1
    with contextlib.suppress(OSError, ValueError):
        output.problem(default_out_note(outcome, out))
    return 130 if stop.requested is not None else code


def _print_summary(renderables: Sequence[Any]) -> bool:
    """Print to stdout; a closed or full stdout is reported on stderr, never a traceback."""
    from rich.console import Console

    if sys.stdout is None:  # started with stdout closed
        output.error("cannot write the summary: standard output is closed")
        return False
    import io

    terminal = sys.stdout.isatty()
    # Rendered to text first: rich turns a closed pipe into exit 1; we want a quiet 0.
    text = io.StringIO()
    console = Console(
        file=text,
        width=None if terminal else 120,
        force_terminal=terminal,
        no_color=not terminal,
        highlight=False,
        soft_wrap=False,
    )
    if terminal:
        console.size = Console().size
    for r in renderables:
        console.print(r)
    try:
        sys.stdout.write(text.getvalue())
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_stdout()
    except OSError as err:
        _quiet_stdout()
        output.error(f"cannot write the summary: {err.strerror or err}")
        return False
    return True


def _quiet_stdout() -> None:
    # Python flushes stdout again at exit; point it at /dev/null so that flush cannot fail.
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _stderr_tty() -> bool:
    try:
        return sys.stderr is not None and sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


class _Progress:
    """A rich progress bar on stderr: games done, rate, elapsed and time left."""

    def __init__(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.progress = Progress(
            TextColumn("games"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=Console(file=sys.stderr),
            transient=True,
        )
        self.task = self.progress.add_task("games", total=total, rate="")
        self.started = False

    def start(self) -> None:
        self.progress.start()
        self.started = True

    def update(self, done: int, total: int) -> None:
        speed = self.progress.tasks[0].speed
        rate = f"{speed:,.0f} games/s" if speed else ""
        self.progress.update(self.task, completed=done, rate=rate)

    def stop(self) -> None:
        if self.started:
            self.progress.stop()
