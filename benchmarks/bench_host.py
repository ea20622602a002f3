"""`wargame host` under load and under fire, on loopback (run by hand:
`.venv/bin/python benchmarks/bench_host.py [--tables 30] [--turns 12] [--kills 20]`).

Targets (issue 13):
  load   one host, --tables 30, 3 scripted seat clients each (90 WebSocket clients):
         submit → report p95 <= 100 ms (from the last seat's submit at a table to its report)
  kills  >= 20 `kill -9` of the host at random moments, each followed by `--resume` on the
         same port; every order the host acknowledged is in the final saves: 0 lost

Bounded: a fixed number of turns and kills, every wait with a time-out; only 127.0.0.1.
Latencies are wall-clock: on a machine shared with other work they are pessimistic.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

from wargame.host.client import Link

ROLES = ("washington", "tokyo", "seoul")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc): a measure a busy machine
    does not inflate the way it inflates wall-clock latency."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_host(folder: Path, port: int, *args: str) -> subprocess.Popen[str]:
    prefix = os.environ.get("HOST_PREFIX", "").split()
    proc = subprocess.Popen(
        [sys.executable, *prefix, "-m", "wargame", "host", *args, "--port", str(port)],
        cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("listening on "):
            return proc
    raise SystemExit("the host did not start")


def pctl(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(q * (len(xs) - 1)))]


# ---------------------------------------------------------------------------- load

async def load(tables: int, turns: int) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="bench-host-"))
    port = free_port()
    proc = start_host(folder, port, "convenor", "--tables", str(tables),
                      "--codes-file", "codes.json", "--save", "class.json")
    codes = json.loads((folder / "codes.json").read_text())
    url = f"ws://127.0.0.1:{port}/ws"
    sent: dict[tuple[int, int], list[float]] = {}  # (table, turn) → send times
    latency: list[float] = []
    acks: list[float] = []
    rng = random.Random(1)

    async def seat(table: int, role: str, code: str) -> None:
        async with aiohttp.ClientSession() as s, s.ws_connect(url) as ws:
            await ws.send_str(json.dumps({"type": "join", "code": code}))
            done = 0
            t_sent = 0.0
            async for raw in ws:
                msg = json.loads(raw.data)
                if msg["type"] == "turn":
                    if done >= turns:
                        break
                    legal = [o["order"] for o in msg["legal"]]
                    await asyncio.sleep(rng.random() * 0.5)  # people do not all click at once
                    t_sent = time.perf_counter()
                    sent.setdefault((table, msg["turn"]), []).append(t_sent)
                    await ws.send_str(json.dumps({"type": "orders",
                                                  "orders": [rng.choice(legal)]}))
                elif msg["type"] == "ack":
                    acks.append(time.perf_counter() - t_sent)
                elif msg["type"] == "report":
                    now = time.perf_counter()
                    if role == "washington":
                        latency.append(now - max(sent[(table, msg["turn"])]))
                    done += 1
                elif msg["type"] in ("end", "error"):
                    break

    t0 = time.perf_counter()
    cpu0 = cpu_seconds(proc.pid)
    await asyncio.wait_for(asyncio.gather(*(
        seat(t["table"] if tables > 1 else 1, r, t[r])
        for t in (codes if tables > 1 else [codes]) for r in ROLES)), timeout=900)
    wall = time.perf_counter() - t0
    cpu = cpu_seconds(proc.pid) - cpu0
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)
    return {"clients": tables * 3, "reports": len(latency), "wall": wall,
            "p50": statistics.median(latency) * 1000, "p95": pctl(latency, 0.95) * 1000,
            "max": max(latency) * 1000, "ack_p95": pctl(acks, 0.95) * 1000,
            "cpu_per_submit": cpu / max(1, len(acks)) * 1000}


# ---------------------------------------------------------------------------- kills

async def kills(n_kills: int, tables: int) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="bench-host-kill-"))
    port = free_port()
    args = ["--codes-file", "codes.json", "--save", "k.json", "--tables", str(tables)]
    proc = start_host(folder, port, "convenor", *args)
    codes = json.loads((folder / "codes.json").read_text())
    tables_codes = codes if tables > 1 else [{"table": 1, **codes}]
    url = f"ws://127.0.0.1:{port}/ws"
    acked: dict[tuple[int, int, str], list[str]] = {}
    rng = random.Random(7)
    finished = 0
    links: list[Link] = []

    def seat(table: int, role: str, code: str) -> Link:
        state: dict[str, Any] = {}

        async def on_message(msg: dict[str, Any]) -> None:
            nonlocal finished
            if msg["type"] == "turn":
                if msg.get("orders") is not None:
                    return  # the host kept our orders through the restart
                pick = [rng.choice([o["order"] for o in msg["legal"]])]
                state[msg["turn"]] = pick
                await asyncio.sleep(rng.random() * 0.3)
                await link.send({"type": "orders", "orders": pick, "turn": msg["turn"]})
            elif msg["type"] == "ack":
                acked[(table, msg["turn"], role)] = msg["orders"]
            elif msg["type"] == "end":
                finished += 1
                await link.stop()

        link = Link(url, code, on_message)
        return link

    for t in tables_codes:
        for r in ROLES:
            links.append(seat(t["table"], r, t[r]))
    runs = [asyncio.ensure_future(lk.run()) for lk in links]
    killed = 0
    while killed < n_kills:
        await asyncio.sleep(0.2 + rng.random() * 1.2)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        killed += 1
        proc = start_host(folder, port, "--resume", "k.json")
    deadline = time.monotonic() + 600
    while finished < len(links) and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    for lk in links:
        await lk.stop()
    for r in runs:
        r.cancel()
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)
    lost = []
    for k in range(1, tables + 1):
        path = folder / (f"k.table{k}.json" if tables > 1 else "k.json")
        doc = json.loads(path.read_text())
        for (table, turn, role), orders in acked.items():
            if table != k:
                continue
            if turn <= len(doc["turns"]):
                saved = doc["turns"][turn - 1]["orders"].get(role, [])
            else:
                saved = doc["pending"].get(role, [])
            keys = [o if isinstance(o, str) else
                    (o["action"] if not o.get("target") else f"{o['action']}:{o['target']}")
                    for o in saved]
            if keys != orders:
                lost.append((table, turn, role, orders, keys))
        verify = subprocess.run([sys.executable, "-m", "wargame", "replay", str(path),
                                 "--verify"], capture_output=True, text=True)
        if verify.returncode != 0:
            lost.append(("verify", k, verify.stdout))
    return {"kills": killed, "acked": len(acked), "lost": len(lost), "detail": lost[:3],
            "finished": finished, "reconnects": sum(lk.reconnects for lk in links)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tables", type=int, default=30)
    ap.add_argument("--turns", type=int, default=12)
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--kill-tables", type=int, default=3)
    ap.add_argument("--skip-load", action="store_true")
    ap.add_argument("--skip-kills", action="store_true")
    a = ap.parse_args()
    print(f"load: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start")
    rows = []
    if not a.skip_load:
        r = asyncio.run(load(a.tables, a.turns))
        rows.append(("submit → report p95", f"{r['p95']:.1f} ms", "<= 100 ms",
                     f"{r['reports']} reports, {r['clients']} clients, p50 {r['p50']:.1f} ms, "
                     f"max {r['max']:.1f} ms, submit → ack p95 {r['ack_p95']:.1f} ms, "
                     f"{r['wall']:.0f} s"))
        rows.append(("host CPU per submit", f"{r['cpu_per_submit']:.2f} ms", "",
                     "user+system time of the host process / orders acknowledged "
                     "(saves, resolution and every message sent)"))
    if not a.skip_kills:
        k = asyncio.run(kills(a.kills, a.kill_tables))
        rows.append(("orders lost across kill -9", str(k["lost"]), "0",
                     f"{k['kills']} kills, {k['acked']} acked orders, {k['finished']} seats "
                     f"saw the end, {k['reconnects']} reconnects {k['detail'] or ''}"))
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    w = max(len(r[0]) for r in rows)
    print(f"{'measure':<{w}}  {'value':>10}  {'target':>10}  notes")
    for name, value, target, notes in rows:
        print(f"{name:<{w}}  {value:>10}  {target:>10}  {notes}")


if __name__ == "__main__":
    main()
