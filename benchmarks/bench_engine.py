"""Engine speed, printed as a table (run by hand: `.venv/bin/python benchmarks/bench_engine.py`).

Targets (issue 2): median turn resolution on convenor with three random bots <= 300 us;
one compiled condition <= 2 us; `wargame validate scenarios rules` <= 0.5 s wall, interpreter
start included. For scale: the Python Diplomacy engine takes ~9 ms to adjudicate one phase and
simpleeval ~22 us to evaluate one parsed condition on this kind of machine.

Targets (issue 7), on the trace-free playout path (wargame.engine.playout): >= 1,000
random-bot 12-turn convenor games a second on one core; a heuristic-bot game <= 50 ms; a
search-bot decision at the default budget <= 1 s (wall, on this machine).
Game rates are CPU time of this process (time.process_time), so a machine shared with other
work does not skew them as much as wall time would; wall time is printed beside them.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
import timeit
from pathlib import Path

from wargame.engine.bots import BOTS, bot_for
from wargame.engine.content import Content
from wargame.engine.expr import compile_expr
from wargame.engine.game import Game
from wargame.engine.playout import Playout, play_game
from wargame.engine.resolve import resolve_turn
from wargame.engine.search import DEFAULT_BUDGET
from wargame.storage.content_loader import load_content

ROOT = Path(__file__).resolve().parents[1]


def _games(content: Content, kind: str, seeds: range) -> tuple[float, float]:
    """CPU and wall seconds a game, best of three rounds, bots of one kind in every seat."""
    bots = {r: kind for r in content.role_ids}
    cpu, wall = [], []
    for _ in range(3):
        c0, w0 = time.process_time(), time.perf_counter()
        for seed in seeds:
            play_game(content, seed, bots)
        cpu.append((time.process_time() - c0) / len(seeds))
        wall.append((time.perf_counter() - w0) / len(seeds))
    return min(cpu), min(wall)


def _search_decisions(content: Content, seed: int) -> tuple[list[float], list[float]]:
    """CPU and wall seconds of each of Tokyo's decisions with the search bot at its default
    budget, the other seats heuristic, over one game."""
    search, heuristic = bot_for("search"), bot_for("heuristic")
    p = Playout.start(content, seed)
    cpu, wall = [], []
    while not p.over:
        orders = {r: heuristic(p, r) for r in content.role_ids if r != "tokyo"}
        c0, w0 = time.process_time(), time.perf_counter()
        orders["tokyo"] = search(p, "tokyo")
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
        p.resolve(orders)
    return cpu, wall


def main() -> None:
    content = load_content(ROOT / "scenarios" / "convenor.yaml")
    resolve_us: list[float] = []
    bots_us: list[float] = []
    for seed in range(40):
        game = Game(content, seed)
        while not game.is_over():
            t0 = time.perf_counter()
            orders = {r: BOTS["random"](game, r) for r in content.role_ids}
            t1 = time.perf_counter()
            resolve_turn(content, game.state, orders)
            t2 = time.perf_counter()
            game.resolve(orders)
            bots_us.append((t1 - t0) * 1e6)
            resolve_us.append((t2 - t1) * 1e6)

    values = {**{v: 50.0 for v in content.variables}, "convened": False}
    cond = compile_expr("japan_rok.trust < 30 and not convened", values.__contains__)
    n = 200_000
    cond_us = timeit.timeit(lambda: cond(values, lambda p: False), number=n) / n * 1e6

    walls = []
    for _ in range(5):
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "wargame", "validate", "scenarios", "rules"],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        walls.append(time.perf_counter() - t0)

    random_cpu, random_wall = _games(content, "random", range(300))
    heuristic_cpu, heuristic_wall = _games(content, "heuristic", range(10))

    search_cpu, search_wall = _search_decisions(content, 0)

    rows = [
        (
            f"search-bot decision, budget {DEFAULT_BUDGET} (cpu, median)",
            f"{statistics.median(search_cpu):.2f} s",
            "",
        ),
        ("  same, slowest of the game (cpu)", f"{max(search_cpu):.2f} s", ""),
        ("  same, slowest of the game (wall)", f"{max(search_wall):.2f} s", "<= 1 s"),
        (
            "random-bot convenor games a second, playout (cpu)",
            f"{1 / random_cpu:.0f}",
            ">= 1000",
        ),
        ("  same, wall", f"{1 / random_wall:.0f}", ""),
        (
            "heuristic-bot convenor game, playout (cpu)",
            f"{heuristic_cpu * 1000:.1f} ms",
            "<= 50 ms",
        ),
        ("  same, wall", f"{heuristic_wall * 1000:.1f} ms", ""),
        (
            "turn resolution, convenor, 3 random bots (median)",
            f"{statistics.median(resolve_us):.0f} us",
            "<= 300 us",
        ),
        (
            "  same, 95th percentile",
            f"{sorted(resolve_us)[int(len(resolve_us) * 0.95)]:.0f} us",
            "",
        ),
        ("three random bots choosing orders (median)", f"{statistics.median(bots_us):.0f} us", ""),
        ("one compiled condition", f"{cond_us:.2f} us", "<= 2 us"),
        (
            "wargame validate scenarios rules (median of 5, wall)",
            f"{statistics.median(walls):.3f} s",
            "<= 0.5 s",
        ),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'measure'.ljust(width)}  {'result':>10}  target")
    for name, result, target in rows:
        print(f"{name.ljust(width)}  {result:>10}  {target}")
    print(f"({len(resolve_us)} turns measured)")


if __name__ == "__main__":
    main()
