"""Experiment speed, printed as a table with the targets of issue 12 (run by hand:
`.venv/bin/python benchmarks/bench_experiments.py [--quick]`).

Wall-clock rows run the real command (`wargame simulate ... --out FILE.parquet`, output
included) in a fresh process. The machine may be shared: the load average is printed before
and after, and the overhead row uses CPU time, interleaved, which load disturbs least.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def simulate(runs: int, bots: list[str], *extra: str) -> float:
    """Wall seconds for the whole command, interpreter start and Parquet output included."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "wargame", "simulate", "convenor", "--runs", str(runs)]
        cmd += [*bots, "--out", str(Path(tmp) / "runs.parquet"), *extra]
        t0 = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
        return time.perf_counter() - t0


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
        return runs / simulate(runs, RANDOM, "--dask", address)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="smaller runs, for a smoke test")
    args = parser.parse_args()
    big = 10_000 if args.quick else 100_000
    print(f"load average before: {os.getloadavg()[0]:.2f} (on {os.cpu_count()} cores)")
    rows: list[tuple[str, str, str]] = []

    bare, chunk = overhead(300 if args.quick else 1000, 5)
    rows.append(("bare trace-free playout, random bots (CPU)", f"{bare:.3f} ms/game", ""))
    rows.append(
        (
            "experiment chunk, rows included (CPU)",
            f"{chunk:.3f} ms/game",
            f"overhead {chunk / bare - 1:+.1%} (target <= 10%)",
        )
    )
    one = simulate(1000, RANDOM, "--jobs", "1")
    two = simulate(1000, RANDOM, "--jobs", "2")
    rows.append(("1,000 random-bot games, --jobs 1 (wall)", f"{one:.2f} s", ""))
    rows.append(
        ("1,000 random-bot games, --jobs 2 (wall)", f"{two:.2f} s", f"{one / two:.2f}x (>= 1.8x)")
    )
    wall = simulate(big, RANDOM, "--jobs", "2")
    rows.append(
        (f"{big:,} random-bot games, --jobs 2 (wall)", f"{wall:.1f} s", "100,000 in <= 60 s")
    )
    heur = simulate(1000, HEURISTIC, "--jobs", "2")
    rows.append(("1,000 heuristic-bot games, --jobs 2 (wall)", f"{heur:.1f} s", "<= 30 s"))
    runs = 2000 if args.quick else 8000
    d1, d2 = dask_rate(1, runs), dask_rate(2, runs)
    rows.append((f"Dask loopback, 1 worker, {runs:,} games", f"{d1:,.0f} games/s", ""))
    rows.append(
        (f"Dask loopback, 2 workers, {runs:,} games", f"{d2:,.0f} games/s", f"{d2 / d1:.2f}x (> 1)")
    )

    width = max(len(r[0]) for r in rows)
    print(f"{'measure'.ljust(width)}  {'result':>14}  target")
    for name, result, target in rows:
        print(f"{name.ljust(width)}  {result:>14}  {target}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
