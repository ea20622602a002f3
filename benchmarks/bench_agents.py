"""The seat protocol's cost per turn, printed as a table (run by hand:
`.venv/bin/python benchmarks/bench_agents.py [--turns N]`).

Target (issue 11): an agent seat costs <= 1 ms of protocol overhead per turn beyond the
agent's own time. Measured three ways, on convenor:

- in process: the seat's own work per turn (the report and turn messages built from the
  view, encoded, the reply decoded and checked), with a transport that answers at once;
  CPU time of this process.
- real process, host CPU: a Python agent that answers at once, over real pipes; CPU time
  this process spends per turn (all its threads: the seat, the pipe reader and writer).
- real process, wall minus agent: the same, wall time per turn minus the time the agent
  says it spent between reading the turn and writing its reply — the pipes, the threads
  and the operating system's scheduling included. This one is noisy on a loaded machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from wargame.engine.game import Game
from wargame.seats.agent import AgentSeat
from wargame.seats.protocol import encode
from wargame.seats.transport import ProcessTransport
from wargame.storage.content_loader import load_content

ROOT = Path(__file__).resolve().parents[1]
TARGET_MS = 1.0

ECHO_AGENT = r'''
import json, sys, time
out = sys.stdout
for line in sys.stdin:
    t0 = time.perf_counter()
    msg = json.loads(line)
    if msg["type"] != "turn":
        continue
    own = time.perf_counter() - t0
    out.write(json.dumps({"type": "orders", "orders": [], "rationale": repr(own)}) + "\n")
    out.flush()
'''


class Instant:
    """A transport whose agent answers at once with a pass (no process, no pipe)."""

    def __init__(self) -> None:
        self.reply = encode({"type": "orders", "orders": [], "rationale": "0"})
        self.bytes_sent = 0

    def send(self, message: Mapping[str, Any]) -> None:
        self.bytes_sent += len(encode(message))

    def receive(self, timeout: float | None) -> bytes:
        return self.reply

    def discard_pending(self) -> int:
        return 0

    def close(self) -> None:
        pass


def timed_turns(seat: AgentSeat, content: Any, turns: int) -> tuple[list[float], list[float],
                                                                    list[float]]:
    """Wall and CPU seconds of each seat call, and the agent's own seconds (as it reported
    them in its rationale), over as many games as `turns` needs."""
    wall, cpu, own = [], [], []
    seed = 0
    while len(wall) < turns:
        seed += 1
        game = Game(content, seed)
        while not game.is_over() and len(wall) < turns:
            w0, c0 = time.perf_counter(), time.process_time()
            orders = seat(game, seat.role)
            wall.append(time.perf_counter() - w0)
            cpu.append(time.process_time() - c0)
            own.append(float(seat.rationales.get(game.turn, "0")))
            game.submit(seat.role, orders)
            game.resolve()
    seat.finish(game)
    return wall, cpu, own


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=600)
    args = parser.parse_args()
    content = load_content(ROOT / "scenarios" / "convenor.yaml")

    instant = Instant()
    seat = AgentSeat("tokyo", instant)
    seat(Game(content, 99), "tokyo")  # warm up
    _, local_cpu, _ = timed_turns(seat, content, args.turns)
    sent_per_turn = instant.bytes_sent / (args.turns + 1)

    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "echo_agent.py"
        script.write_text(ECHO_AGENT)
        transport = ProcessTransport([sys.executable, str(script)], log=Path(tmp) / "agent.log")
        seat = AgentSeat("tokyo", transport, time_budget=30)
        seat(Game(content, 98), "tokyo")  # the interpreter's start-up is not a turn's cost
        wall, cpu, own = timed_turns(seat, content, args.turns)

    rows = [
        ("in process (CPU)", local_cpu),
        ("real process, host CPU", cpu),
        ("real process, wall - agent", [w - a for w, a in zip(wall, own, strict=True)]),
        ("(real process, wall)", wall),
        ("(agent's own time)", own),
    ]
    print(f"Seat protocol cost per turn, convenor, {args.turns} turns each; "
          f"~{sent_per_turn / 1024:.1f} KiB sent to the agent a turn")
    head = ("measure", "median ms", "p95 ms", "target", "ok")
    table = [head]
    for name, values in rows:
        ms = [v * 1000 for v in values]
        target = "" if name.startswith("(") else f"<= {TARGET_MS:g} ms"
        ok = "" if not target else ("yes" if statistics.median(ms) <= TARGET_MS else "NO")
        table.append((name, f"{statistics.median(ms):.3f}", f"{pct(ms, 0.95):.3f}", target, ok))
    widths = [max(len(r[i]) for r in table) for i in range(len(head))]
    for row in table:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    print(json.dumps({"median_ms": {n: round(statistics.median(v) * 1000, 4)
                                    for n, v in rows}}))


if __name__ == "__main__":
    main()
