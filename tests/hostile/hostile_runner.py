"""Runs hostile cases through capped worker processes and judges what came back.

`run_cases(cases, root)` lays each case's files out under `root`, sends the cases to a worker
(hostile_worker.py, RLIMIT_AS = MEMORY_MIB) and returns one Outcome each; `problems(outcome)`
says what a well-behaved program would have done differently (empty: the case passes).
A worker that dies or stops answering is killed and replaced; the case it was on fails.
"""

from __future__ import annotations

import base64
import json
import os
import select
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hostile_cases import DIR, FIFO, Case

HERE = Path(__file__).resolve().parent
MEMORY_MIB = 512  # the bound: no input may take a run over 512 MiB
# Generous: a case that takes this long is a hang, not a slow machine.
CASE_SECONDS = int(os.environ.get("HOSTILE_CASE_SECONDS", "60"))
GRACE_SECONDS = 30  # then the worker is killed from outside (stuck where SIGALRM cannot reach)

# Characters that do something to a terminal: C0 (but tab and newline), DEL's neighbours in C1.
_CONTROL = {chr(c) for c in range(0x20)} - {"\t", "\n"} | {chr(c) for c in range(0x80, 0xA0)}


@dataclass
class Outcome:
    case: Case
    status: str  # done, traceback, timeout, memory, died
    rc: int | None
    out: str
    err: str
    exc: str | None
    folder: Path


def materialize(case: Case, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for rel, what in case.files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if what == FIFO:
            os.mkfifo(path)
        elif what == DIR:
            path.mkdir(exist_ok=True)
        elif isinstance(what, tuple) and what[0] == "symlink":
            os.symlink(what[1], path)
        else:
            path.write_bytes(what)
    return folder


def worker_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        HOME=str(home),
        WARGAME_SAVE_DIR=str(home / "saves"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        PYTHONPATH=str(HERE),
        NO_COLOR="1",
        COLUMNS="100",
    )
    env.pop("PYTEST_XDIST_WORKER", None)
    return env


class Worker:
    def __init__(self, home: Path, mib: int = MEMORY_MIB) -> None:
        home.mkdir(parents=True, exist_ok=True)
        self.log = home / "worker-stderr.log"
        self.proc = subprocess.Popen(
            [sys.executable, str(HERE / "hostile_worker.py"), str(mib)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log.open("ab"),
            env=worker_env(home),
            cwd=home,
        )
        self.buffer = b""

    def _line(self, deadline: float) -> dict[str, Any] | None:
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        while b"\n" not in self.buffer:
            ready, _, _ = select.select([fd], [], [], deadline)
            if not ready:
                return None
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return None
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return json.loads(line)

    def run(self, case: Case, folder: Path, seconds: int) -> dict[str, Any]:
        req = {
            "id": case.id,
            "cwd": str(folder),
            "argv": case.argv,
            "kind": case.kind,
            "stdin": base64.b64encode(case.stdin).decode() if case.stdin else None,
            "timeout": seconds,
        }
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write((json.dumps(req) + "\n").encode())
            self.proc.stdin.flush()
        except BrokenPipeError:
            return self._died()
        started = self._line(seconds)
        if started is None:
            return self._died()
        result = self._line(seconds + GRACE_SECONDS)
        if result is None:
            return self._died()
        return result

    def _died(self) -> dict[str, Any]:
        hung = self.proc.poll() is None
        self.stop()
        rc = self.proc.returncode
        tail = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
        return {"status": "timeout" if hung else "died", "rc": rc, "out": "", "err": tail,
                "exc": f"worker {'stopped answering' if hung else f'died (exit {rc})'}"}

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for s in (self.proc.stdin, self.proc.stdout):
            if s is not None:
                s.close()


def run_cases(cases: Sequence[Case], root: Path, *, stop_at_first: bool = False,
              case_seconds: int | None = None) -> list[Outcome]:
    """Every case through one worker (replaced whenever one dies), in order; with
    stop_at_first, only up to the first that is mishandled."""
    outcomes: list[Outcome] = []
    worker: Worker | None = None
    home = root / "home"
    for n, case in enumerate(cases):
        folder = materialize(case, root / f"c{n}")
        if worker is None or not worker.alive:
            worker = Worker(home)
        r = worker.run(case, folder, case_seconds or CASE_SECONDS)
        outcomes.append(Outcome(case, r["status"], r.get("rc"), r.get("out", ""),
                                r.get("err", ""), r.get("exc"), folder))
        if stop_at_first and problems(outcomes[-1]):
            break
        if r["status"] not in ("done", "traceback"):
            worker.stop()
            worker = None
    if worker is not None:
        worker.stop()
    return outcomes


def problems(o: Outcome) -> list[str]:
    """What is wrong with how the program met this input; [] if nothing."""
    case, found = o.case, []
    if o.status == "traceback":
        last = (o.exc or "").strip().splitlines()[-1:] or ["?"]
        found.append(f"traceback: {last[0][:300]}")
    elif o.status == "timeout":
        found.append("hang: no answer in time")
    elif o.status == "memory":
        found.append(f"over {MEMORY_MIB} MiB (MemoryError)")
    elif o.status == "died":
        found.append(f"{o.exc}: {o.err[-300:]}")
    if o.status != "done":
        return found
    if "Traceback (most recent call last)" in o.out + o.err:
        found.append("a traceback in the output")
    allowed = {"fail": {1, 2}, "ok": {0}, "any": {0, 1, 2}}[case.expect]
    if o.rc not in allowed:
        hint = "silently accepted" if o.rc == 0 else f"exit {o.rc}"
        found.append(f"{hint}; expected {case.expect} ({sorted(allowed)})")
    if o.rc not in (0, None):
        said = (o.out + o.err).strip()
        if not said:
            found.append("failed without a message")
        elif case.names and case.names.isprintable() and not any(
            name in said for name in case.names.split("|")
        ):
            found.append(f"the message does not name {case.names!r}")
    shown = o.err + (o.out if case.terminal else "")
    typed = {c for a in case.argv for c in a}  # a user's own command line may come back
    bad = sorted({c for c in shown if c in _CONTROL and c not in typed})
    if bad:
        found.append(f"control characters reach the terminal: {bad!r}")
    if (o.folder / "PWNED").exists():
        found.append("an expression ran code (PWNED was created)")
    if any(s in o.out + o.err for s in (case.secret, "root:x:0:0") if s):
        found.append("a local file was read and shown")
    return found


def failures(outcomes: Iterable[Outcome]) -> list[tuple[Outcome, list[str]]]:
    return [(o, p) for o in outcomes if (p := problems(o))]


def describe(case: Case, o: Outcome | None = None, found: Sequence[str] = ()) -> str:
    """One failure, with a reproducer a person can paste into a shell."""
    def what(v: Any) -> str:
        if v in (FIFO, DIR):
            return str(v[0])
        return f"-> {v[1]}" if isinstance(v, tuple) else f"{len(v)} bytes"

    files = ", ".join(f"{k} ({what(v)})" for k, v in case.files.items())
    cmd = ("(save folder: wargame, title and load screens)" if case.kind == "saves"
           else "wargame " + " ".join(repr(a) if len(a) < 60 else repr(a[:60]) + "..."
                                      for a in case.argv))
    text = f"{case.id}: {'; '.join(found)}\n    {cmd}" + (f"\n    files: {files}" if files else "")
    if o is not None and o.status == "done" and o.rc:
        text += f"\n    said: {(o.out.strip() + chr(10) + o.err.strip()).strip()[:240]!r}"
    return text
