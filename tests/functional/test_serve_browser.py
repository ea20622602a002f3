"""`wargame serve` in a real browser: headless Chromium (driven by Playwright) loads the page
from textual-serve on 127.0.0.1, the game starts in it, and a key pressed in the page reaches
the game. Checked on the page's DOM (the terminal and the text the game sent it) and on a
screenshot (saved under the test's tmp folder, to look at).

Chromium comes from the system (Debian's `chromium`, which scripts/bootstrap installs when it
runs as root with apt); Playwright never downloads a browser here.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

playwright = pytest.importorskip("playwright.async_api", reason="playwright is a dev extra")

ANSI = re.compile(r"\x1b(\[[0-9;?$]*[A-Za-z]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][A-Z0-9])")

# Every message the page's WebSocket receives (the terminal's output), kept for the test.
RECORD_FRAMES = """
window.__frames = [];
const PageSocket = window.WebSocket;
window.WebSocket = class extends PageSocket {
  constructor(...args) {
    super(...args);
    this.addEventListener("message", (e) => {
      if (typeof e.data === "string") window.__frames.push(e.data);
      else if (e.data instanceof Blob) e.data.text().then((t) => window.__frames.push(t));
      else window.__frames.push(new TextDecoder().decode(e.data));
    });
  }
};
"""


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("no Chromium on this machine: scripts/bootstrap installs Debian's `chromium` "
                "when it runs as root with apt-get; install it to run this test")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _text(page: object, wanted: str, what: str, since: int = 0) -> str:
    """The text the game has sent the page (from frame `since` on), once it holds `wanted`."""
    for _ in range(1200):  # bounded: the game starts a Python process per tab
        raw = await page.evaluate(  # type: ignore[attr-defined]
            f"window.__frames.slice({since}).join('')")
        text = ANSI.sub("", raw)
        if wanted in text:
            return text
        await asyncio.sleep(0.1)
    raise AssertionError(f"the page never showed {what} ({wanted!r}): {text[-3000:]!r}")


async def test_the_game_renders_and_plays_in_headless_chromium(tmp_path: Path) -> None:
    browser_path = chromium()
    port = _free_port()
    serve = subprocess.Popen(
        [sys.executable, "-m", "wargame", "serve", "--port", str(port), "--",
         "convenor", "--as", "tokyo"],
        cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        env={**os.environ, "WARGAME_SAVE_DIR": str(tmp_path / "saves")},
    )
    try:
        async with playwright.async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=browser_path,
                                               args=["--no-sandbox"])
            page = await browser.new_page(viewport={"width": 1280, "height": 800})
            await page.add_init_script(RECORD_FRAMES)
            for _ in range(300):
                assert serve.poll() is None, serve.stderr.read() if serve.stderr else ""
                try:
                    await page.goto(f"http://127.0.0.1:{port}/")
                    break
                except playwright.Error:
                    await asyncio.sleep(0.1)
            # The DOM: textual-serve's page with its terminal, connected to this server.
            terminal = page.locator(".textual-terminal")
            assert await terminal.get_attribute("data-session-websocket-url") == (
                f"ws://127.0.0.1:{port}/ws")
            intro = await _text(page, "Begin (Enter)", "the scenario's introduction")
            assert "The Convenor · 2021–2023 · 12 turns" in intro
            assert "Washington: heuristic bot · Tokyo: you · Seoul: heuristic bot" in intro
            assert await page.locator(".textual-terminal .xterm-screen").count() == 1
            await page.screenshot(path=tmp_path / "intro.png")

            # A key pressed in the browser reaches the game: the intro closes, the board shows.
            # (Focus without a click: a click would be a mouse event for the game.)
            await page.locator(".textual-terminal .xterm-helper-textarea").focus()
            before = await page.evaluate("window.__frames.length")
            await page.keyboard.press("Enter")
            # What the intro covered is drawn again: the orders and the preview beside them.
            board = await _text(page, "Your orders · Enter or click removes one",
                                "the board after the intro", since=before)
            assert "Preview · your orders compared with passing" in board
            shot = tmp_path / "board.png"
            await page.screenshot(path=shot)
            assert shot.stat().st_size > 20_000  # a drawn screen, not a blank page
            await browser.close()
    finally:
        serve.send_signal(signal.SIGTERM)
        try:
            serve.wait(timeout=30)
        except subprocess.TimeoutExpired:
            serve.kill()
            serve.wait(timeout=30)
