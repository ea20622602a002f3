"""`wargame serve`: textual-serve on 127.0.0.1 gives a page that starts the game in a browser."""

from __future__ import annotations

import asyncio
import signal
import socket
import subprocess
import sys
from pathlib import Path

import aiohttp

from wargame.cli.main import build_parser
from wargame.cli.serve import command_for


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _page(url: str, proc: subprocess.Popen[bytes]) -> str:
    async with aiohttp.ClientSession() as s:
        for _ in range(300):
            assert proc.poll() is None, "wargame serve exited"
            try:
                async with s.get(url) as r:
                    if r.status == 200:
                        return await r.text()
            except aiohttp.ClientConnectionError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError("no page")


async def test_serve_gives_a_page_on_loopback(tmp_path: Path) -> None:
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "wargame", "serve", "--port", str(port)],
                            cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        html = await _page(f"http://127.0.0.1:{port}/", proc)
        assert "js/textual.js" in html  # the page's terminal
        assert f'data-session-websocket-url="ws://127.0.0.1:{port}/ws"' in html
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


def test_each_tab_runs_play_or_a_host_client() -> None:
    p = build_parser()
    cmd = command_for(p.parse_args(["serve", "--", "convenor", "--as", "tokyo"]))
    assert cmd.endswith("-m wargame play convenor --as tokyo")
    cmd = command_for(p.parse_args(["serve", "--join", "ws://127.0.0.1:8765/ws"]))
    assert cmd.endswith("-m wargame join ws://127.0.0.1:8765/ws")
