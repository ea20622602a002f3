"""`wargame simulate` stops cleanly on any interrupt: Ctrl+C to the whole process group (as a
terminal sends it) or to the parent alone, SIGTERM, SIGHUP, a second Ctrl+C while stopping,
and at any moment (while the workers start, while they play). No hang, no traceback, no
process left behind, and the output file holds the games finished before the interrupt.

Nothing here depends on timing: a loaded machine only makes the waits longer (each wait is
for an event, e.g. the workers exist, a row is written), and every started process group is
killed afterwards whatever happened.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pyarrow.parquet as pq
import pytest

RANDOM = ["--bot", "washington=random", "--bot", "tokyo=random", "--bot", "seoul=random"]


def _group(pgid: int) -> list[psutil.Process]:
    found = []
    for p in psutil.process_iter():
        with contextlib.suppress(OSError, psutil.Error):
            if os.getpgid(p.pid) == pgid and p.status() != psutil.STATUS_ZOMBIE:
                found.append(p)
    return found


@pytest.fixture
def started() -> Iterator[list[subprocess.Popen[str]]]:
    """Processes the test starts; their groups are killed at the end, pass or fail."""
    procs: list[subprocess.Popen[str]] = []
    yield procs
    for proc in procs:
        # The group may be gone: the test's own assertions said whether it should be.
        with contextlib.suppress(OSError):
            os.killpg(proc.pid, signal.SIGKILL)
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


def _start(started: list[subprocess.Popen[str]], out: Path, jobs: int) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "wargame",
            "simulate",
            "convenor",
            "--runs",
            "200000",
            "--jobs",
            str(jobs),
            *RANDOM,
            "--out",
            str(out),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a shell job has
    )
    started.append(proc)
    return proc


def _until(what: str, proc: subprocess.Popen[str], ready: object) -> None:
    """Wait for an event (no deadline but the test's timeout); fail if the run ends first."""
    while not ready():  # type: ignore[operator]
        if proc.poll() is not None:
            pytest.fail(f"the run ended before {what}: {proc.communicate()}")
        time.sleep(0.02)


def _workers(proc: subprocess.Popen[str]) -> list[psutil.Process]:
    parent = psutil.Process(proc.pid)
    kids: list[psutil.Process] = []

    def two() -> bool:
        kids[:] = parent.children()
        return len(kids) >= 2

    _until("the workers started", proc, two)
    return kids


def _send(proc: subprocess.Popen[str], how: str) -> None:
    if how == "group":
        os.killpg(proc.pid, signal.SIGINT)
    elif how == "parent":
        proc.send_signal(signal.SIGINT)
    elif how == "sigterm":
        proc.send_signal(signal.SIGTERM)
    elif how == "hangup":  # the terminal closed: SIGHUP to the whole group
        os.killpg(proc.pid, signal.SIGHUP)
    elif how == "twice":
        os.killpg(proc.pid, signal.SIGINT)
        os.killpg(proc.pid, signal.SIGINT)
    else:
        raise AssertionError(how)


def _stopped(proc: subprocess.Popen[str], workers: list[psutil.Process]) -> str:
    """The run ended as an interrupted one; returns its stdout."""
    stdout, stderr = proc.communicate(timeout=240)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr and "Traceback" not in stdout
    assert "Exception ignored" not in stderr
    assert "(interrupted)" in stdout
    _gone, alive = psutil.wait_procs(workers, timeout=30)
    assert not alive, f"workers left running: {alive}"
    assert not _group(proc.pid), "processes of the run left behind"
    return stdout


def _has_rows(path: Path) -> bool:
    return path.exists() and path.stat().st_size > 0


def _played(workers: list[psutil.Process], seconds: float) -> bool:
    # CPU time, not wall time: each worker has played about `seconds` worth of games.
    try:
        return all(sum(w.cpu_times()[:2]) >= seconds for w in workers)
    except psutil.Error:
        return True  # one is gone: let the run say why


def _seeds(out: Path) -> list[int]:
    if out.suffix == ".parquet":
        return list(pq.read_table(out, columns=["seed"]).column("seed").to_pylist())
    return [json.loads(line)["seed"] for line in out.read_text().splitlines()]


@pytest.mark.timeout(300)
@pytest.mark.parametrize(
    ("how", "when"),
    [
        ("group", "writing"),
        ("parent", "writing"),
        ("sigterm", "writing"),
        ("hangup", "writing"),
        ("twice", "writing"),
        # Parquet buffers 64k rows, its file shows nothing until the end: the workers' CPU
        # says they are playing.
        ("group", "playing"),
        ("sigterm", "playing"),
        # The moment both workers exist: the output may not be open yet.
        ("group", "forked"),
        ("parent", "forked"),
    ],
)
def test_interrupt_stops_cleanly(
    how: str, when: str, tmp_path: Path, started: list[subprocess.Popen[str]]
) -> None:
    out = tmp_path / ("runs.jsonl" if when == "writing" else "runs.parquet")
    proc = _start(started, out, jobs=2)
    workers = _workers(proc)
    if when == "writing":
        _until("a chunk was written", proc, lambda: _has_rows(out))
    elif when == "playing":
        _until("the workers played", proc, lambda: _played(workers, 1.0))
    _send(proc, how)
    stdout = _stopped(proc, workers)
    # The file is complete (Parquet with its footer; whole JSON lines) with the finished
    # games, in seed order from the first.
    seeds = _seeds(out)
    assert seeds == list(range(1, len(seeds) + 1))
    if when == "writing":
        assert seeds
    assert f"{len(seeds)} games" in stdout


@pytest.mark.timeout(300)
def test_interrupt_without_workers(tmp_path: Path, started: list[subprocess.Popen[str]]) -> None:
    """--jobs 1 plays in the parent: Ctrl+C ends the chunk under way after its current game,
    and the games of that chunk played so far are kept."""
    out = tmp_path / "runs.jsonl"
    proc = _start(started, out, jobs=1)
    _until("a chunk was written", proc, lambda: _has_rows(out))
    os.killpg(proc.pid, signal.SIGINT)
    stdout = _stopped(proc, [])
    seeds = _seeds(out)
    assert seeds == list(range(1, len(seeds) + 1))
    assert f"{len(seeds)} games" in stdout
