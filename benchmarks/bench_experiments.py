"""Experiment speed, printed as a table with the targets of issue 12 (run by hand:
`.venv/bin/python benchmarks/bench_experiments.py [--quick]`).

Each row runs the real command (`wargame simulate ... --out FILE.parquet`, output included)
in a fresh process and reports its wall time and its CPU time, split three ways: serial
(everything outside the run: interpreter, imports, compiling, the summary, exit; the whole
command's CPU less the rest), the main process during the run (from just before the workers
fork; the command's own note) and the workers. The machine may be shared: the load average
is printed before and after. On a loaded machine wall times mean little; the "2 idle cores"
column is what the CPU times imply there: the serial part, then the run with the main
process and the workers sharing 2 cores. `--repeat N` plays the --jobs 1 / --jobs 2 pair N
times, interleaved, and keeps the best of each; "the run alone" compares the runs without the
serial start-up (what the workers gain; the whole command's ratio is capped by start-up: with
0.19 s of it, 1,000 games cannot pass ~1.75x however well the run parallelises). Commands
run with bytecode caches, as an installed wargame does (see INSTALLED). The overhead row uses
CPU time, interleaved, which load disturbs least. `--jobs-only` runs just the start-up and
--jobs rows.
"""

from __future__ import annotations

import argparse
import atexit
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import attrs

from wargame.engine.playout import play_game
from wargame.experiments.loopback import loopback_cluster
from wargame.experiments.plan import Chunk, Plan, run_chunk
from wargame.storage.content_loader import load_content

ROOT = Path(__file__).resolve().parents[1]
RANDOM = ["--bot", "washington=random", "--bot", "tokyo=random", "--bot", "seoul=random"]
HEURISTIC = [
    "--bot",
    "washington=heuristic",
    "--bot",
    "tokyo=heuristic",
    "--bot",
    "seoul=heuristic",
]


NOTE = re.compile(r"CPU ([0-9.]+) s here(?: \+ ([0-9.]+) s in)?")


@attrs.frozen
class Timing:
    wall: float  # whole command, interpreter start and Parquet output included
    cpu: float  # CPU of the whole command: main process and workers, start to exit
    here: float  # CPU of the main process during the run (from just before the workers fork)
    workers: float  # CPU of its worker processes

    @property
    def serial(self) -> float:
        """CPU outside the run: interpreter, imports, compiling, the summary, exit."""
        return max(0.0, self.cpu - self.here - self.workers)

    def idle(self, cores: int = 2) -> float:
        """Wall time these CPU times imply on `cores` idle cores: the serial part, then the
        run, where the main process and the workers share the cores."""
        if self.workers:
            return self.serial + max(self.here, (self.here + self.workers) / cores)
        return self.cpu


# The command runs as an installed wargame does: with bytecode caches (pip writes them at
# install; Python writes __pycache__ on an editable install's first run). A sandbox may set
# PYTHONDONTWRITEBYTECODE, and then every start compiles wargame's sources again (~60 ms CPU
# for simulate), which no user pays: the caches go to a folder of this run, warmed first.
_PYCACHE = tempfile.mkdtemp(prefix="bench-pycache-")
atexit.register(shutil.rmtree, _PYCACHE, ignore_errors=True)
INSTALLED = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    "PYTHONPYCACHEPREFIX": _PYCACHE,
}
NO_CACHES = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}


def simulate(runs: int, bots: list[str], *extra: str, env: dict[str, str] = INSTALLED) -> Timing:
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "wargame", "simulate", "convenor", "--runs", str(runs)]
        cmd += [*bots, "--out", str(Path(tmp) / "runs.parquet"), *extra]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        done = subprocess.run(
            cmd, cwd=ROOT, check=True, capture_output=True, text=True, env=env
        )
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    found = NOTE.search(done.stderr)
    assert found, done.stderr
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return Timing(wall, cpu, float(found.group(1)), float(found.group(2) or 0))


def best(timings: list[Timing]) -> Timing:
    """The least disturbed of several runs: least wall, and least CPU of each kind."""
    return Timing(
        min(t.wall for t in timings),
        min(t.cpu for t in timings),
        min(t.here for t in timings),
        min(t.workers for t in timings),
    )


def startup(env: dict[str, str] = INSTALLED) -> Timing:
    """A one-game run: interpreter, imports, content, output, summary; best of 3."""
    simulate(1, RANDOM, env=env)  # writes the bytecode caches (INSTALLED)
    return best([simulate(1, RANDOM, env=env) for _ in range(3)])


def overhead(games: int, rounds: int) -> tuple[float, float]:
    """CPU ms a game: bare trace-free playouts vs the experiment's chunk (rows included).
    Interleaved rounds, best of each, so a busy neighbour hurts both alike."""
    content = load_content(ROOT / "scenarios" / "convenor.yaml")
    bots = {r: "random" for r in content.role_ids}
    plan = Plan(content, bots, ((),), 0, games)
    bare, chunk = [], []
    for _ in range(rounds):
        t0 = time.process_time()
        for seed in range(games):
            play_game(content, seed, bots)
        bare.append(time.process_time() - t0)
        t0 = time.process_time()
        run_chunk(plan, Chunk(0, 0, 0, games))
        chunk.append(time.process_time() - t0)
    return min(bare) / games * 1e3, min(chunk) / games * 1e3


def dask_rate(workers: int, runs: int) -> float:
    with loopback_cluster(workers) as address:
        simulate(200, RANDOM, "--dask", address)  # warm the workers (imports, content)
        return runs / simulate(runs, RANDOM, "--dask", address).wall


def _row(name: str, t: Timing, target: str) -> tuple[str, str, str, str]:
    cpu = f"CPU {t.serial:.2f}+{t.here:.2f}+{t.workers:.2f} s"
    return (name, f"{t.wall:.2f} s ({cpu})", f"{t.idle():.2f} s", target)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="smaller runs, for a smoke test")
    parser.add_argument(
        "--jobs-only",
        action="store_true",
        help="only the --jobs 1 vs --jobs 2 rows (1,000 random-bot games)",
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="interleaved runs of --jobs 1 and 2 (best kept)"
    )
    args = parser.parse_args()
    big = 10_000 if args.quick else 100_000
    print(f"load average before: {os.getloadavg()[0]:.2f} (on {os.cpu_count()} cores)")
    rows: list[tuple[str, str, str, str]] = []

    if not args.jobs_only:
        bare, chunk = overhead(300 if args.quick else 1000, 5)
        rows.append(("bare trace-free playout, random bots (CPU)", f"{bare:.3f} ms/game", "", ""))
        rows.append(
            (
                "experiment chunk, rows included (CPU)",
                f"{chunk:.3f} ms/game",
                "",
                f"overhead {chunk / bare - 1:+.1%} (<= 10%)",
            )
        )
    start = startup()
    rows.append(_row("start-up: a one-game run", start, ""))
    cold = startup(NO_CACHES)
    rows.append(_row("start-up, no bytecode caches (not a user's case)", cold, ""))
    for games in (1000, 4000):
        ones, twos = [], []
        for _ in range(args.repeat):
            ones.append(simulate(games, RANDOM, "--jobs", "1"))
            twos.append(simulate(games, RANDOM, "--jobs", "2"))
        one, two = best(ones), best(twos)
        target = "(>= 1.8x)" if games == 1000 else "(a longer run: start-up matters less)"
        rows.append(
            _row(
                f"{games:,} random-bot games, --jobs 1",
                one,
                f"{one.here / games * 1e3:.2f} ms CPU/game",
            )
        )
        rows.append(
            _row(
                f"{games:,} random-bot games, --jobs 2",
                two,
                f"{two.workers / games * 1e3:.2f} ms CPU/game in workers; "
                f"{one.idle() / two.idle():.2f}x idle, {one.wall / two.wall:.2f}x measured "
                f"(the run alone {one.here / (two.idle() - two.serial):.2f}x) " + target,
            )
        )
    if not args.jobs_only:
        big_run = simulate(big, RANDOM, "--jobs", "2")
        rows.append(_row(f"{big:,} random-bot games, --jobs 2", big_run, "100,000 <= 60 s"))
        heur = simulate(1000, HEURISTIC, "--jobs", "2")
        rows.append(_row("1,000 heuristic-bot games, --jobs 2", heur, "<= 30 s"))
        runs = 2000 if args.quick else 8000
        d1, d2 = dask_rate(1, runs), dask_rate(2, runs)
        rows.append((f"Dask loopback, 1 worker, {runs:,} games", f"{d1:,.0f} games/s", "", ""))
        rows.append(
            (
                f"Dask loopback, 2 workers, {runs:,} games",
                f"{d2:,.0f} games/s",
                "",
                f"{d2 / d1:.2f}x (> 1)",
            )
        )

    width = max(len(r[0]) for r in rows)
    print("CPU: serial (start-up, summary, exit) + main process during the run + workers")
    print(f"{'measure'.ljust(width)}  {'measured':>34}  {'2 idle cores':>12}  target")
    for name, result, idle, target in rows:
        print(f"{name.ljust(width)}  {result:>34}  {idle:>12}  {target}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
