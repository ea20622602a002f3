"""A real Dask cluster on this machine (127.0.0.1): a scheduler and N one-thread workers,
each its own process, started with Dask's own commands and stopped on exit. For tests,
benchmarks and trying `--dask` before pointing it at a real cluster."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path


def _dask(*args: str) -> list[str]:
    return [sys.executable, "-m", "distributed.cli." + args[0], *args[1:]]


@contextlib.contextmanager
def loopback_cluster(workers: int = 2, timeout: float = 60.0) -> Iterator[str]:
    """Yields the scheduler's address once all `workers` have joined."""
    procs: list[subprocess.Popen[bytes]] = []
    with tempfile.TemporaryDirectory(prefix="wargame-dask-") as tmp:
        info = Path(tmp) / "scheduler.json"
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        try:
            procs.append(
                subprocess.Popen(
                    _dask(
                        "dask_scheduler",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        "0",
                        "--no-dashboard",
                        "--scheduler-file",
                        str(info),
                    ),
                    **quiet,  # type: ignore[call-overload]
                )
            )
            address = _wait_for_file(info, procs[0], timeout)
            for i in range(workers):
                procs.append(
                    subprocess.Popen(
                        _dask(
                            "dask_worker",
                            address,
                            "--host",
                            "127.0.0.1",
                            "--nthreads",
                            "1",
                            "--no-nanny",
                            "--no-dashboard",
                            "--name",
                            f"w{i}",
                            "--local-directory",
                            tmp,
                        ),
                        **quiet,  # type: ignore[call-overload]
                    )
                )
            from distributed import Client

            with Client(address, timeout=timeout) as client:  # type: ignore[no-untyped-call]
                client.wait_for_workers(workers, timeout=timeout)
            yield address
        finally:
            for p in reversed(procs):
                p.terminate()
            for p in procs:
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()


def _wait_for_file(path: Path, proc: subprocess.Popen[bytes], timeout: float) -> str:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"dask scheduler exited with code {proc.returncode}")
        try:
            return str(json.loads(path.read_text())["address"])
        except (OSError, ValueError, KeyError):
            time.sleep(0.05)
    raise RuntimeError("dask scheduler did not start in time")
