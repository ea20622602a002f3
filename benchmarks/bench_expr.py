"""Time compiling and evaluating scenario expressions: `python benchmarks/bench_expr.py`.

The engine evaluates conditions many times per turn (and bots per look-ahead), so one
evaluation of a simple condition should stay well under 2 µs.
"""

from __future__ import annotations

import sys
import timeit
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from wargame.engine.expr import Value, compile_expr

VALUES: dict[str, Value] = {
    "japan_rok.trust": 25.0,
    "convened": False,
    "seoul.favorability.tokyo": 60.0,
    "cover": True,
    "trade": 12.0,
    "us.pressure": 40.0,
    "turn": 3,
}

CASES = [
    ("condition", "japan_rok.trust < 30 and not convened"),
    ("amount", "(100 - seoul.favorability.tokyo) * 0.08 * (0.3 if cover else 1)"),
    ("clamp/min", "clamp(trade - 5, 0, 200) + min(us.pressure, 50) / 10"),
    ("chained", "0 < japan_rok.trust <= 50 and turn >= 2 or convened"),
    ("chance", "chance(0.25 + japan_rok.trust / 200)"),
    ("constant", "2 * 3 + 1"),
]


def chance(p: float) -> bool:
    return p >= 0.5


def best_us(stmt: Callable[[], object], number: int, repeat: int = 5) -> float:
    times = timeit.repeat(stmt, number=number, repeat=repeat)
    return min(times) / number * 1e6


def main() -> None:
    known = VALUES.__contains__
    rows = []
    for label, source in CASES:
        compile_us = best_us(partial(compile_expr, source, known), number=500)
        expr = compile_expr(source, known)
        eval_us = best_us(partial(expr, VALUES, chance), number=200_000)
        rows.append((label, source, eval_us, compile_us))
    baseline = best_us(lambda: None, number=200_000)

    width = max(len(source) for _, source, _, _ in rows)
    print(f"{'case':<10} {'expression':<{width}} {'eval µs':>8} {'compile µs':>11}")
    print("-" * (10 + width + 23))
    for label, source, eval_us, compile_us in rows:
        print(f"{label:<10} {source:<{width}} {eval_us:8.3f} {compile_us:11.1f}")
    print(f"(timeit overhead of a no-op call: {baseline:.3f} µs, included above)")


if __name__ == "__main__":
    main()
