"""The host: tables of games behind one aiohttp WebSocket endpoint, ws://HOST:PORT/ws.

One event loop; each table's changes run one at a time under its lock and are recorded on the
disk before they are acknowledged, so an order that was acknowledged survives `kill -9`: a
submit, and the turn it resolves, as a line of the journal (wargame.host.journal, synced for
many submits at once); the table's whole save is written in the background every few turns
and at the end, and at once for the white cell's changes and on a clean stop. Every message
a client sends is checked (size, rate, JSON, type, who may send it); a bad one is answered
with an `error` frame and only that connection is ever closed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiohttp import WSMsgType, web

from wargame.engine.bots import BOTS
from wargame.engine.control import ControlError
from wargame.engine.game import OrderError
from wargame.engine.state import TurnReport
from wargame.formats.controls import ControlFormatError, control_from_json
from wargame.host import messages as m
from wargame.host.codes import SPECTATOR, UMPIRE
from wargame.host.journal import Journal
from wargame.host.table import HUMAN, Table
from wargame.storage.turn_json import plain

log = logging.getLogger("wargame.host")

MAX_MESSAGE = 32 * 1024  # bytes of one message a client may send
MAX_FRAME = 256 * 1024  # larger frames make aiohttp close that connection (code 1009)
RATE = 10.0  # messages a second, sustained, per connection
BURST = 30.0
JOIN_TIMEOUT = 30.0  # a connection that never joins is closed
SAVE_THREADS = 4
SAVE_EVERY = 4  # turns between a table's whole saves (the journal holds those in between)


class Saver:
    """Writes one table's save, one write at a time, newest state last: a request while a
    write runs is served by one more write once it ends (requests in between coalesce)."""

    def __init__(self, table: Table, executor: ThreadPoolExecutor) -> None:
        self.table = table
        self.executor = executor
        self.wanted = 0
        self.written = 0
        self.task: asyncio.Task[None] | None = None
        self.changed = asyncio.Event()
        self.error: Exception | None = None

    def request(self) -> int:
        self.wanted += 1
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self._run())
        return self.wanted

    async def wait(self, ticket: int) -> None:
        while self.written < ticket:
            self.changed.clear()
            await self.changed.wait()
        if self.error is not None:
            raise self.error

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while self.written < self.wanted:
            ticket = self.wanted
            try:
                data = self.table.document()
                await loop.run_in_executor(self.executor, self.table.write, data)
                self.error = None
            except Exception as err:  # the journal still holds what the save missed
                log.exception("cannot save table %d", self.table.number)
                self.error = err
            self.written = ticket
            self.changed.set()


class Bucket:
    """A token bucket: `take()` is False when the connection sends faster than RATE."""

    def __init__(self, rate: float = RATE, burst: float = BURST,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.rate, self.burst, self.clock = rate, burst, clock
        self.tokens = burst
        self.stamp = clock()

    def take(self) -> bool:
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens < 1.0:
            return False
        self.tokens -= 1.0
        return True


class Conn:
    def __init__(self, ws: web.WebSocketResponse) -> None:
        self.ws = ws
        self.role: str | None = None
        self.table: Table | None = None  # None for the umpire: every table
        self.bucket = Bucket()

    async def send(self, msg: dict[str, Any]) -> None:
        if self.ws.closed:
            return
        with contextlib.suppress(ConnectionError, RuntimeError):
            await self.ws.send_str(m.compact(msg))


class Host:
    def __init__(self, tables: Sequence[Table], deadline: float | None = None,
                 journal: Journal | None = None) -> None:
        self.tables = list(tables)
        self.journal = journal
        self.locks = {t.number: asyncio.Lock() for t in self.tables}
        self.conns: set[Conn] = set()
        self.deadline = deadline
        self.deadline_at: dict[int, float] = {}
        self.messages_in = 0
        self.errors_out = 0
        # Saves wait on fsync: several at once let the file system commit them together.
        self.writers = ThreadPoolExecutor(max_workers=SAVE_THREADS,
                                          thread_name_prefix="wargame-save")
        self.savers = {t.number: Saver(t, self.writers) for t in self.tables}

    # -- the web app ---------------------------------------------------------------------
    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/ws", self.websocket)
        app.router.add_get("/", self.index)
        app.on_startup.append(self._start_timers)
        app.on_shutdown.append(self._close_all)
        return app

    async def index(self, request: web.Request) -> web.Response:
        return web.Response(text=f"wargame host: {len(self.tables)} table(s); "
                                 "join with `wargame join ws://HOST:PORT/ws --code CODE`\n")

    async def _start_timers(self, app: web.Application) -> None:
        if self.deadline is not None:
            for t in self.tables:
                self._start_clock(t)
            app["deadline_task"] = asyncio.get_running_loop().create_task(self._deadlines())

    async def _close_all(self, app: web.Application) -> None:
        task = app.get("deadline_task")
        if task is not None:
            task.cancel()
        for c in list(self.conns):
            with contextlib.suppress(Exception):
                await c.ws.close()
        saved = True
        tickets = [(s, s.request()) for s in self.savers.values()]  # all at once
        for saver, ticket in tickets:  # every table's save, whole: no journal needed then
            try:
                await saver.wait(ticket)
            except Exception:
                saved = False
        self.writers.shutdown(wait=True)
        if self.journal is not None:
            self.journal.close(remove=saved)

    async def websocket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=MAX_FRAME, heartbeat=20.0)
        await ws.prepare(request)
        conn = Conn(ws)
        self.conns.add(conn)
        joined_by = time.monotonic() + JOIN_TIMEOUT
        try:
            while True:
                timeout = None if conn.role else max(0.1, joined_by - time.monotonic())
                try:
                    msg = await ws.receive(timeout=timeout)
                except TimeoutError:
                    await self.refuse(conn, "no join message in time; closing")
                    break
                if msg.type in (WSMsgType.CLOSE, WSMsgType.CLOSING, WSMsgType.CLOSED,
                                WSMsgType.ERROR):
                    break
                await self.receive(conn, msg.type, msg.data)
        finally:
            self.conns.discard(conn)
        return ws

    # -- one message ---------------------------------------------------------------------
    async def refuse(self, conn: Conn, text: str, **extra: Any) -> None:
        self.errors_out += 1
        await conn.send(m.error(text, **extra))

    async def receive(self, conn: Conn, kind: WSMsgType, data: Any) -> None:
        self.messages_in += 1
        if not conn.bucket.take():
            await self.refuse(conn, f"too many messages: at most {RATE:g} a second")
            return
        if kind != WSMsgType.TEXT:
            await self.refuse(conn, "send JSON text messages")
            return
        if len(data.encode("utf-8")) > MAX_MESSAGE:
            await self.refuse(conn, f"message too large: at most {MAX_MESSAGE} bytes")
            return
        try:
            msg = json.loads(data)
        except (ValueError, RecursionError):
            await self.refuse(conn, "not JSON: send one JSON object per message")
            return
        if not isinstance(msg, dict) or not isinstance(msg.get("type"), str):
            await self.refuse(conn, 'a message is a JSON object with a "type"')
            return
        try:
            await self.dispatch(conn, msg, data)
        except m.BadMessage as err:
            await self.refuse(conn, str(err))
        except OrderError as err:
            await self.refuse(conn, "; ".join(err.problems), problems=list(err.problems))
        except Exception:  # a bug must not take the room down: log it, tell the client
            log.exception("while handling a %r message", msg.get("type"))
            await self.refuse(conn, "the host could not handle that message (logged)")

    async def dispatch(self, conn: Conn, msg: dict[str, Any], raw: str) -> None:
        kind = msg["type"]
        if kind == "join":
            await self.join(conn, msg)
        elif conn.role is None:
            await self.refuse(conn, 'join first: {"type": "join", "code": "..."}')
        elif kind == "orders":
            await self.orders(conn, raw)
        elif kind in ("seat", "extend", "inject", "override"):
            await self.umpire_command(conn, kind, msg)
        elif kind == "ping":
            await conn.send({"type": "pong"})
        else:
            await self.refuse(conn, f"unknown message type {kind!r}")

    # -- joining -------------------------------------------------------------------------
    async def join(self, conn: Conn, msg: dict[str, Any]) -> None:
        code = msg.get("code")
        if conn.role is not None:
            await self.refuse(conn, f"already joined as {conn.role}")
            return
        if not isinstance(code, str) or not 8 <= len(code) <= 200:
            await self.refuse(conn, '"code" is the join code you were given')
            return
        for table in self.tables:
            role = table.role_of(code)
            if role is not None:
                break
        else:
            await self.refuse(conn, "unknown join code")
            return
        conn.role = role
        conn.table = None if role == UMPIRE else table
        await conn.send(self.welcome(conn, table))
        await self.send_state(conn, table)

    def welcome(self, conn: Conn, table: Table) -> dict[str, Any]:
        c = table.content
        return {
            "type": "welcome",
            "role": conn.role,
            "table": None if conn.role == UMPIRE else table.number,
            "tables": len(self.tables),
            "scenario": c.id,
            "title": c.title,
            "roles": list(c.role_ids),
            "turns": c.turns,
            "seats": dict(table.seats),
            "deadline": self.deadline,
            "content": self._content_texts(table),
        }

    def _content_texts(self, table: Table) -> dict[str, Any]:
        """The scenario and rule texts (public: a client compiles them to show the game)."""
        from wargame.storage.save_format import source_of

        src = source_of(table.content)
        return {"scenario": {"name": src.scenario.name, "text": src.scenario.text},
                "rules": [{"name": r.name, "text": r.text} for r in src.rules]}

    async def send_state(self, conn: Conn, table: Table) -> None:
        """What a (re)joining client needs: its turn, the table's view, or every table."""
        if conn.role == UMPIRE:
            await conn.send(self.umpire_view(self.tables))
            return
        game = table.game
        if conn.role == SPECTATOR:
            await conn.send(m.spectator_message(game))
        elif game.is_over():
            if game.history:
                await conn.send({"type": "report", "turn": game.history[-1].turn,
                                 "report": m.report_json(table.content, game.history[-1],
                                                         str(conn.role))})
            await conn.send(m.end_message(game, str(conn.role)))
        else:
            await conn.send(self.turn_for(table, str(conn.role)))

    def turn_for(self, table: Table, role: str) -> dict[str, Any]:
        msg = m.turn_message(table.game, role, table.game.pending.get(role))
        msg["seat"] = table.seats[role]
        if table.number in self.deadline_at:
            msg["deadline_in"] = round(max(0.0, self.deadline_at[table.number]
                                           - asyncio.get_running_loop().time()), 1)
        return msg

    def umpire_view(self, tables: Sequence[Table]) -> dict[str, Any]:
        """Everything, for the white cell: all values, pending orders and their rationale."""
        out = []
        for t in tables:
            g = t.game
            out.append({
                "table": t.number,
                "turn": g.turn,
                "label": g.label,
                "over": g.is_over(),
                "seats": dict(t.seats),
                "values": {k: plain(v) for k, v in g.state.values.items()},
                "pending": {r: [o.key for o in os_] for r, os_ in g.pending.items()},
                "rationale": t.rationale_for(g.turn),
                "waiting": list(t.waiting_for()),
                "controls": t.all_controls()[-20:],
                "connected": sorted({str(c.role) for c in self.conns
                                     if c.table is t and c.role not in (None, SPECTATOR)}),
                "scores": g.scores(),
            })
        return {"type": "umpire", "tables": out}

    # -- orders --------------------------------------------------------------------------
    async def orders(self, conn: Conn, raw: str) -> None:
        table, role = conn.table, conn.role
        if table is None or role in (UMPIRE, SPECTATOR) or role is None:
            await self.refuse(conn, f"the {role} does not send orders")
            return
        async with self.locks[table.number]:
            if table.game.is_over():
                await self.refuse(conn, "the game is over")
                return
            if table.seats.get(role) != HUMAN:
                await self.refuse(conn, f"a {table.seats[role]} bot plays {role} now "
                                        "(the umpire can give the seat back)")
                return
            orders, rationale = m.read_orders(raw, table.game, role)  # the seat protocol
            turn = table.game.turn
            table.submit(role, orders, rationale)  # OrderError → an error frame
            entries = [table.orders_entry(role, orders, rationale)]
            # The last seat's orders resolve the turn: one sync of the journal holds both.
            report = table.resolve() if table.ready() else None
            if report is not None:
                entries.append(table.resolve_entry(report))
            if self.journal is None:
                await self.save(table)
            else:
                for entry in entries:
                    self.journal.append(entry)
                await self.journal.sync()
            await conn.send({"type": "ack", "turn": turn, "orders": [o.key for o in orders]})
            if report is not None:
                await self.tell_resolved(table, report)
                if self.journal is not None and (report.over or report.turn % SAVE_EVERY == 0):
                    self.savers[table.number].request()  # in the background
            else:
                await self.broadcast_status(table)

    async def save(self, table: Table) -> None:
        """The table's whole save, written now (raises what writing it raised)."""
        saver = self.savers[table.number]
        await saver.wait(saver.request())

    async def resolve(self, table: Table) -> None:
        """Under the table's lock: resolve, save, then tell everyone what they may see."""
        report = table.resolve()
        await self.save(table)
        await self.tell_resolved(table, report)

    async def tell_resolved(self, table: Table, report: TurnReport) -> None:
        if self.deadline is not None:
            self._start_clock(table)
        game = table.game
        for c in list(self.conns):
            if c.role is None or (c.table is not table and c.role != UMPIRE):
                continue
            if c.role == UMPIRE:
                await c.send({"type": "report", "table": table.number, "turn": report.turn,
                              "report": m.report_json(table.content, report, UMPIRE)})
                await c.send(self.umpire_view([table]))
                continue
            await c.send({"type": "report", "turn": report.turn,
                          "report": m.report_json(table.content, report, c.role)})
            if c.role == SPECTATOR:
                await c.send(m.spectator_message(game))
            elif game.is_over():
                await c.send(m.end_message(game, c.role))
            else:
                await c.send(self.turn_for(table, c.role))
        if game.is_over():
            for c in self.conns:
                if c.table is table and c.role == SPECTATOR:
                    await c.send(m.end_message(game, SPECTATOR))

    async def tell_changed(self, table: Table, entry: dict[str, Any]) -> None:
        """The white cell changed the game: each client at the table hears what it did and
        why (as its role may see it), then gets its turn or view again with the new values."""
        game = table.game
        for c in list(self.conns):
            if c.role is None or c.table is not table:
                continue
            await c.send({"type": "control", "turn": game.turn,
                          "control": m.control_as(table.content, entry, c.role)})
            if c.role == SPECTATOR:
                await c.send(m.spectator_message(game))
            else:
                await c.send(self.turn_for(table, c.role))

    async def broadcast_status(self, table: Table) -> None:
        g = table.game
        status = {"type": "status", "turn": g.turn,
                  "submitted": {r: r in g.pending for r in table.content.role_ids}}
        for c in list(self.conns):
            if c.table is table:
                await c.send(status)
            elif c.role == UMPIRE:
                await c.send(self.umpire_view([table]))

    # -- the white cell ------------------------------------------------------------------
    def _table(self, msg: dict[str, Any]) -> Table:
        n = msg.get("table", 1)
        for t in self.tables:
            if t.number == n:
                return t
        raise m.BadMessage(f"no table {n!r} (tables 1..{len(self.tables)})")

    async def umpire_command(self, conn: Conn, kind: str, msg: dict[str, Any]) -> None:
        if conn.role != UMPIRE:
            await self.refuse(conn, f"only the umpire may send {kind!r}")
            return
        table = self._table(msg)
        rationale = m.field_text(msg, "rationale")
        async with self.locks[table.number]:
            if table.game.is_over():
                raise m.BadMessage("the game at that table is over")
            if kind == "seat":
                role, bot = msg.get("role"), msg.get("bot", "heuristic")
                if not isinstance(role, str) or not isinstance(bot, str):
                    raise m.BadMessage('"seat" needs "role" and "bot" (a bot kind or "human")')
                if bot != HUMAN and bot not in BOTS:
                    raise m.BadMessage(f"unknown bot {bot!r}; one of: {', '.join(BOTS)}")
                entry = table.bot_takes_seat(role, bot, rationale)
            elif kind == "extend":
                seconds = msg.get("seconds")
                if self.deadline is None:
                    raise m.BadMessage("this host has no deadlines (start it with --deadline)")
                if not isinstance(seconds, int | float) or not 0 < seconds <= 24 * 3600:
                    raise m.BadMessage('"seconds" is a number of seconds, up to a day')
                self.deadline_at[table.number] = self.deadline_at.get(
                    table.number, asyncio.get_running_loop().time()) + float(seconds)
                entry = table.control("extend", seconds=seconds, rationale=rationale)
            else:  # inject, override: the game itself changes
                try:
                    control = control_from_json(msg, turn=table.game.turn)
                    entry = table.change_game(control)
                except ControlFormatError as err:
                    raise m.BadMessage(str(err)) from None
                except ControlError as err:
                    raise m.BadMessage("; ".join(err.problems)) from None
            await self.save(table)
            await conn.send({"type": "ack", "control": entry})
            if kind in ("inject", "override"):
                await self.tell_changed(table, entry)
            if table.ready():
                await self.resolve(table)
            else:
                await self.broadcast_status(table)

    # -- deadlines -----------------------------------------------------------------------
    def _start_clock(self, table: Table) -> None:
        if self.deadline is not None and not table.game.is_over():
            self.deadline_at[table.number] = asyncio.get_running_loop().time() + self.deadline
        else:
            self.deadline_at.pop(table.number, None)

    async def _deadlines(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(0.25)
            for table in self.tables:
                due = self.deadline_at.get(table.number)
                if due is None or loop.time() < due:
                    continue
                async with self.locks[table.number]:
                    if table.game.is_over() or self.deadline_at.get(table.number) != due:
                        continue
                    late = list(table.waiting_for())
                    if late:
                        table.control("deadline", roles=late, bot="heuristic",
                                      rationale="the turn's deadline passed")
                    await self.resolve(table)
