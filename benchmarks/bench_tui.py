"""Speed of the terminal game, printed as a table (run by hand: python benchmarks/bench_tui.py).

1. command to interactive title screen: `python -m wargame` in a pseudo-terminal, until the
   title menu has been painted (target ≤ 1.0 s);
2. submitting the last orders to the report on screen: key `s` → ReportScreen current and
   painted, bots and resolution included (target ≤ 150 ms);
3. each key handled and painted, p95, over a mixed sequence of game keys (target ≤ 50 ms).
Times 2 and 3 run in-process on the headless driver and stop when every queued message has
been handled and the screen repainted. Wall-clock times grow with the machine's load, so the
table also gives the keys' process CPU time (worker threads included) and the load average.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import pty
import select
import statistics
import struct
import sys
import termios
import time
from pathlib import Path

from textual import events

from wargame.tui.app import WargameApp
from wargame.tui.launch import build_session
from wargame.tui.screens.report import ReportScreen
from wargame.tui.session import HUMAN, Session


def startup_seconds(runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:
            os.execv(sys.executable, [sys.executable, "-m", "wargame"])
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        seen = b""
        elapsed = float("inf")
        while time.perf_counter() - start < 10:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    seen += os.read(fd, 65536)
                except OSError:
                    break
                if b"Quick start" in seen:
                    elapsed = time.perf_counter() - start
                    break
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        os.close(fd)
        best = min(best, elapsed)
    return best


CPU: list[tuple[str, float]] = []
"""Each key timed by `_key` with its process CPU time (all threads), in order."""


async def _key(app: WargameApp, pilot, key: str) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    cpu = time.process_time()
    event = events.Key(key, key if len(key) == 1 else None)
    event.set_sender(app)
    assert app._driver is not None
    screen = app.screen
    app._driver.send_message(event)
    for _ in range(500):
        await asyncio.sleep(0)
        if app.screen is not screen:
            break
    if key == "s":  # the bots think in a worker thread: wait for the report to come up
        deadline = time.perf_counter() + 5
        while not isinstance(app.screen, ReportScreen) and time.perf_counter() < deadline:
            await asyncio.sleep(0.0005)
    await pilot._wait_for_screen()
    app.screen._on_timer_update()  # paint now
    CPU.append((key, time.process_time() - cpu))
    return time.perf_counter() - start


async def in_app(turns: int = 6) -> tuple[list[float], list[float]]:
    session = build_session("convenor", {"washington": HUMAN}, 7)
    assert isinstance(session, Session)
    app = WargameApp(save_folder=Path("/tmp/wargame-bench"), seed=7, start=session)
    app.animation_level = "none"
    submits, keys = [], []
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for _ in range(turns):
            for key in ("down", "enter", "down", "down", "enter", "up", "x", "enter", "tab",
                        "tab"):
                keys.append(await _key(app, pilot, key))
                await pilot.pause()
            submits.append(await _key(app, pilot, "s"))
            assert isinstance(app.screen, ReportScreen)
            await pilot.pause()
            for key in ("tab", "down", "down", "up"):
                keys.append(await _key(app, pilot, key))
                await pilot.pause()
            keys.append(await _key(app, pilot, "c"))
            await pilot.pause()
    return submits, keys


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def main() -> int:
    load = os.getloadavg()
    start = startup_seconds()
    CPU.clear()
    submits, keys = asyncio.run(in_app())
    # The keys' CPU times, without the submits (`s`, which include the bots' thinking).
    key_cpu = [c for k, c in CPU if k != "s"]
    rows = [
        ("command → interactive title", f"{start * 1000:.0f} ms", "≤ 1000 ms", start <= 1.0),
        ("submit last orders → report (median)", f"{statistics.median(submits) * 1000:.0f} ms",
         "≤ 150 ms", statistics.median(submits) <= 0.150),
        ("submit last orders → report (max)", f"{max(submits) * 1000:.0f} ms", "≤ 150 ms",
         max(submits) <= 0.150),
        (f"key handled and painted, p95 of {len(keys)}", f"{p95(keys) * 1000:.1f} ms", "≤ 50 ms",
         p95(keys) <= 0.050),
        (f"  its process CPU time, p95 of {len(key_cpu)}", f"{p95(key_cpu) * 1000:.1f} ms", "",
         None),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} (1, 5, 15 min) at the start,"
          f" {os.cpu_count()} CPUs")
    print(f"{'measure':<{width}}  {'time':>9}  {'target':>10}  ok")
    for name, value, target, ok in rows:
        mark = "" if ok is None else "yes" if ok else "NO"
        print(f"{name:<{width}}  {value:>9}  {target:>10}  {mark}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
