"""A client of `wargame host` that reconnects by itself: the terminal client (`wargame join`)
and the load benchmark use it.

`Link.run()` connects, joins with its code, hands every message to `on_message`, and when
the connection drops (the host restarted, the network blinked) waits a little and joins
again; the host then sends the turn with the orders it kept, so nothing is typed twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp

BACKOFF = (0.1, 0.25, 0.5, 1.0, 2.0, 4.0)

Handler = Callable[[dict[str, Any]], Awaitable[None] | None]


class JoinRefused(Exception):
    """The host said no to the code: reconnecting would not help."""


class Link:
    def __init__(self, url: str, code: str, on_message: Handler,
                 on_state: Callable[[str], None] | None = None) -> None:
        self.url = url
        self.code = code
        self.on_message = on_message
        self.on_state = on_state or (lambda _s: None)
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.joined = asyncio.Event()
        self.stopped = False
        self.reconnects = 0

    async def send(self, msg: dict[str, Any]) -> bool:
        """False if not connected now (the caller may try again once rejoined)."""
        ws = self.ws
        if ws is None or ws.closed or not self.joined.is_set():
            return False
        try:
            await ws.send_str(json.dumps(msg))
        except (ConnectionError, RuntimeError):
            return False
        return True

    async def stop(self) -> None:
        self.stopped = True
        if self.ws is not None:
            await self.ws.close()

    async def run(self) -> None:
        tries = 0
        async with aiohttp.ClientSession() as session:
            while not self.stopped:
                try:
                    self.on_state("connecting")
                    async with session.ws_connect(self.url, heartbeat=20.0) as ws:
                        self.ws = ws
                        await ws.send_str(json.dumps({"type": "join", "code": self.code}))
                        async for raw in ws:
                            if raw.type != aiohttp.WSMsgType.TEXT:
                                break
                            msg = json.loads(raw.data)
                            if msg.get("type") == "welcome":
                                tries = 0
                                self.joined.set()
                                self.on_state("connected")
                            elif msg.get("type") == "error" and not self.joined.is_set():
                                raise JoinRefused(str(msg.get("message")))
                            result = self.on_message(msg)
                            if result is not None:
                                await result
                except (TimeoutError, aiohttp.ClientError, OSError):
                    pass
                finally:
                    self.joined.clear()
                    self.ws = None
                if self.stopped:
                    break
                self.on_state("reconnecting")
                self.reconnects += 1
                with contextlib.suppress(asyncio.CancelledError):
                    await asyncio.sleep(BACKOFF[min(tries, len(BACKOFF) - 1)])
                tries += 1
