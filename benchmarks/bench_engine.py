"""Engine speed, printed as a table (run by hand: `.venv/bin/python benchmarks/bench_engine.py`).

Targets (issue 2): median turn resolution on convenor with three random bots <= 300 us;
one compiled condition <= 2 us; `wargame validate scenarios rules` <= 0.5 s wall, interpreter
start included. For scale: the Python Diplomacy engine takes ~9 ms to adjudicate one phase and
simpleeval ~22 us to evaluate one parsed condition on this kind of machine.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
import timeit
from pathlib import Path

from wargame.engine.bots import BOTS
from wargame.engine.expr import compile_expr
from wargame.engine.game import Game
from wargame.engine.resolve import resolve_turn
from wargame.storage.content_loader import load_content

ROOT = Path(__file__).resolve().parents[1]


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
            game.pending = orders
            game.resolve()
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

    rows = [
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
