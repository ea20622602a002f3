"""Helpers for tests of `wargame host`: a real host process on 127.0.0.1 (any free port)
and scripted WebSocket clients (aiohttp's client)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parents[2]


class HostProc:
    """`python -m wargame host ... --port 0`, read until it says where it listens."""

    def __init__(self, *args: str, cwd: Path, port: int = 0) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "wargame", "host", *args, "--port", str(port)],
            cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )
        self.lines: list[str] = []
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))
            if line.startswith("listening on "):
                self.url = line.split()[-1]
                break
        else:
            raise AssertionError(f"host did not start: {self.lines} {self.proc.stderr.read()}")

    def kill9(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self) -> str:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        _, err = self.proc.communicate(timeout=30)
        return err

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None


class Client:
    """One WebSocket connection; `seen` keeps every message received, for leak checks."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.seen: list[dict[str, Any]] = []
        self.queue: list[dict[str, Any]] = []
        self.role = ""

    @classmethod
    async def connect(cls, session: aiohttp.ClientSession, url: str) -> Client:
        return cls(await session.ws_connect(url))

    @classmethod
    async def join(cls, session: aiohttp.ClientSession, url: str, code: str) -> Client:
        c = await cls.connect(session, url)
        await c.send({"type": "join", "code": code})
        welcome = await c.expect("welcome")
        c.role = welcome["role"]
        return c

    async def send(self, msg: dict[str, Any]) -> None:
        await self.ws.send_str(json.dumps(msg))

    async def next(self, timeout: float = 30.0) -> dict[str, Any]:
        if self.queue:
            return self.queue.pop(0)
        raw = await self.ws.receive(timeout=timeout)
        if raw.type != aiohttp.WSMsgType.TEXT:
            raise AssertionError(f"connection ended: {raw.type} {raw.data!r}")
        msg = json.loads(raw.data)
        self.seen.append(msg)
        return msg

    async def expect(self, kind: str, timeout: float = 30.0) -> dict[str, Any]:
        """The next message of this type; others before it are kept for later."""
        skipped = []
        try:
            while True:
                msg = await self.next(timeout)
                if msg["type"] == kind:
                    return msg
                if msg["type"] == "error" and kind != "error":
                    raise AssertionError(f"error while waiting for {kind}: {msg}")
                skipped.append(msg)
        finally:
            self.queue = skipped + self.queue

    async def close(self) -> None:
        await self.ws.close()


def codes_of(path: Path) -> Any:
    return json.loads(path.read_text())



def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
