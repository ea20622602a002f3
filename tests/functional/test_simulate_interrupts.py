"""`wargame simulate` stops cleanly on any interrupt: Ctrl+C to the whole process group (as a
terminal sends it) or to the parent alone, and SIGTERM. No hang, no traceback, no worker
left behind, and the output file holds the games finished before the interrupt."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pyarrow.parquet as pq
import pytest

RANDOM = ["--bot", "washington=random", "--bot", "tokyo=random", "--bot", "seoul=random"]


def _start(out: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "wargame",
            "simulate",
            "convenor",
            "--runs",
            "200000",
            "--jobs",
            "2",
            *RANDOM,
            "--out",
            str(out),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a shell job has
    )


def _workers_up(proc: subprocess.Popen[str]) -> list[psutil.Process]:
    parent = psutil.Process(proc.pid)
    for _ in range(600):
        kids = parent.children()
        if len(kids) >= 2:
            return kids
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    pytest.fail(f"workers never started: {proc.communicate()}")


@pytest.mark.timeout(120)
@pytest.mark.parametrize("how", ["group", "parent", "sigterm"])
def test_interrupt_stops_cleanly(how: str, tmp_path: Path) -> None:
    out = tmp_path / "runs.parquet"
    proc = _start(out)
    workers = _workers_up(proc)
    time.sleep(1.0)  # let some chunks finish, so there is something to keep
    if how == "group":
        os.killpg(proc.pid, signal.SIGINT)
    elif how == "parent":
        proc.send_signal(signal.SIGINT)
    else:
        proc.send_signal(signal.SIGTERM)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr and "Traceback" not in stdout
    assert "(interrupted)" in stdout
    _gone, alive = psutil.wait_procs(workers, timeout=10)
    assert not alive, f"workers left running: {alive}"
    # The file is complete Parquet with the finished games, in seed order from the first.
    seeds = pq.read_table(out, columns=["seed"]).column("seed").to_pylist()
    assert seeds == list(range(1, len(seeds) + 1))
    assert f"{len(seeds)} games" in stdout
