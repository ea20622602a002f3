"""A long-lived worker that runs hostile cases in-process, under a memory cap.

Started by hostile_runner as `python hostile_worker.py MIB`: it caps its own address space
(RLIMIT_AS) at MIB, then reads one JSON request a line from stdin and answers one JSON line
on the stdout it was started with. Each case runs the `wargame` entry point (or the save-folder
loading the title screen does) in the case's folder, with stdin, stdout and stderr replaced by
byte streams encoded as a pipe's would be (stdout strict UTF-8: a lone surrogate fails there
as it would for a user). A case over its time gets SIGALRM and is answered "timeout".

Before each case it writes {"start": ID} so the parent knows which case killed it, if one does.
"""

from __future__ import annotations

import base64
import contextlib
import gc
import io
import json
import os
import resource
import signal
import sys
import traceback
from pathlib import Path
from typing import Any


class Timeout(BaseException):
    """Raised by SIGALRM: the case ran past its time."""


def _alarm(signum: int, frame: Any) -> None:
    raise Timeout()


def _streams(stdin: bytes) -> tuple[Any, Any, Any, io.BytesIO, io.BytesIO]:
    out, err = io.BytesIO(), io.BytesIO()
    sin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    sout = io.TextIOWrapper(out, encoding="utf-8", errors="strict", write_through=True)
    serr = io.TextIOWrapper(err, encoding="utf-8", errors="backslashreplace", write_through=True)
    return sin, sout, serr, out, err


def run_cli(argv: list[str]) -> int:
    from wargame.cli.main import main

    try:
        return main(argv)
    except SystemExit as exit_:  # argparse's --help and usage errors
        code = exit_.code
        return code if isinstance(code, int) else (0 if code is None else 1)


def run_save_folder() -> int:
    """What the terminal game does with its save folder: the title screen's resume offer,
    the load screen's list, and opening each file. Raises nothing for any file."""
    from wargame.tui import saving

    folder = Path("saves")
    saving.resumable(folder)
    from wargame.storage.saves import list_saves

    infos = list_saves(folder)
    for info in infos:
        if not info.sound and not info.problem:
            print(f"{info.path}: listed as damaged without a reason", file=sys.stderr)
            return 3
        result = saving.open_saved(info.path, folder)
        if isinstance(result, str):
            print(result, file=sys.stderr)
    return 0


def run_case(req: dict[str, Any]) -> dict[str, Any]:
    os.chdir(req["cwd"])
    stdin = base64.b64decode(req["stdin"]) if req.get("stdin") else b""
    sin, sout, serr, out, err = _streams(stdin)
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = sin, sout, serr
    status, rc, exc = "done", None, None
    signal.setitimer(signal.ITIMER_REAL, req.get("timeout", 30))
    try:
        rc = run_save_folder() if req.get("kind") == "saves" else run_cli(req["argv"])
    except Timeout:
        status = "timeout"
    except MemoryError:
        status = "memory"
        exc = "MemoryError"
    except BaseException:
        status = "traceback"
        exc = traceback.format_exc()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        for s in (sout, serr):
            with contextlib.suppress(Exception):
                s.flush()
        sys.stdin, sys.stdout, sys.stderr = saved
    return {
        "id": req["id"],
        "status": status,
        "rc": rc,
        "out": out.getvalue()[:20_000].decode("utf-8", "backslashreplace"),
        "out_len": len(out.getvalue()),
        "err": err.getvalue()[:20_000].decode("utf-8", "backslashreplace"),
        "exc": exc,
    }


def _die_with_parent() -> None:
    """Linux: killed when the process that started it dies (no orphan keeps running)."""
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def main() -> None:
    _die_with_parent()
    mib = int(sys.argv[1])
    resource.setrlimit(resource.RLIMIT_AS, (mib << 20, mib << 20))
    signal.signal(signal.SIGALRM, _alarm)
    import wargame.cli.main  # noqa: F401 - imported once, before any case

    # Requests and replies move to their own descriptors: programs a case starts (agents,
    # simulate's workers) inherit 0 and 1, and must not read requests or write into replies.
    requests = os.fdopen(os.dup(0), "r", encoding="utf-8")
    reply = os.fdopen(os.dup(1), "w", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    for line in requests:
        req = json.loads(line)
        reply.write(json.dumps({"start": req["id"]}) + "\n")
        reply.flush()
        try:
            result = run_case(req)
        except MemoryError:
            result = {"id": req["id"], "status": "memory", "rc": None, "out": "", "err": "",
                      "out_len": 0, "exc": "MemoryError"}
        reply.write(json.dumps(result) + "\n")
        reply.flush()
        if result["status"] in ("memory", "timeout"):
            return  # its heap or its threads may be left in any state: the parent starts anew
        gc.collect()


if __name__ == "__main__":
    main()
