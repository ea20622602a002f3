"""`wargame join URL --code CODE`: the terminal game as a client of a host.

A seat plays on the same GameScreen as at home, driven through a RemoteSession (remote.py);
the umpire and spectators get screens of their own (join_screens.py). The Link underneath
reconnects by itself; the subtitle says whether the client is connected.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.message import Message

from wargame.host.aar import KINDS, describe
from wargame.host.client import JoinRefused, Link
from wargame.host.join_screens import (
    CodeScreen,
    EndView,
    RationaleScreen,
    ReportView,
    SpectatorScreen,
    UmpireScreen,
    WaitingScreen,
)
from wargame.host.remote import RemoteSession, content_from
from wargame.tui.messages import OrdersSubmitted
from wargame.tui.screens.game import GameScreen


class FromHost(Message):
    """A message from the host, queued like any other event so screens change in order."""

    def __init__(self, msg: dict[str, Any]) -> None:
        super().__init__()
        self.msg = msg


class SeatScreen(GameScreen):
    """The home game screen, loaded only once its orders panel has composed: a message from
    the host can push it while the app is busy, and the panel's children may then mount
    after the screen does."""

    def load(self) -> None:
        if self._ready and not self.query("#actions"):
            self.call_after_refresh(self.load)
            return
        super().load()


class JoinApp(App[int]):
    TITLE = "wargame"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "request_quit", "Quit", show=False, priority=True),
        Binding("ctrl+c", "request_quit", "Quit", show=False, priority=True),
    ]

    def __init__(self, url: str, code: str | None = None) -> None:
        super().__init__()
        self.url = url
        self.code = code
        self.link: Link | None = None
        self.role: str | None = None
        self.session: RemoteSession | None = None
        self.game_screen: GameScreen | None = None
        self.last_report: dict[str, Any] | None = None
        self.umpire: UmpireScreen | None = None
        self.spectator: SpectatorScreen | None = None
        self.sub_title = url

    def on_mount(self) -> None:
        if self.code:
            self.connect(self.code)
        else:
            self.push_screen(CodeScreen(self.url), self.connect)

    def connect(self, code: str | None) -> None:
        if not code:
            self.exit(1)
            return
        self.link = Link(self.url, code, self.on_host_message, self.on_link_state)
        self.run_worker(self._run_link(), exclusive=True, group="link")

    async def _run_link(self) -> None:
        assert self.link is not None
        try:
            await self.link.run()
        except JoinRefused as err:
            self.notify(f"The host refused the code: {err}", severity="error", timeout=10)
            self.link = None
            self.push_screen(CodeScreen(self.url, str(err)), self.connect)

    def on_link_state(self, state: str) -> None:
        where = f"{self.role} · " if self.role else ""
        self.sub_title = f"{where}{state} · {self.url}"

    async def send(self, msg: dict[str, Any]) -> None:
        if self.link is None or not await self.link.send(msg):
            self.notify("Not connected to the host: reconnecting; send again then.",
                        severity="warning")

    # -- what the host says --------------------------------------------------------------
    def on_host_message(self, msg: dict[str, Any]) -> None:
        self.post_message(FromHost(msg))

    def on_from_host(self, event: FromHost) -> None:
        msg = event.msg
        handler = getattr(self, f"host_{msg.get('type')}", None)
        if handler is None:
            return
        try:
            handler(msg)
        except Exception as err:  # a message this client cannot show must not end the game
            self.log.error(f"cannot show {msg.get('type')!r}: {err!r}")
            self.notify(f"Could not show a {msg.get('type')!r} message from the host.",
                        severity="warning")

    def host_welcome(self, msg: dict[str, Any]) -> None:
        self.role = msg["role"]
        self.on_link_state("connected")
        if self.session is not None or self.umpire is not None or self.spectator is not None:
            return  # a reconnection: the screens are already there
        if self.role == "umpire":
            self.umpire = UmpireScreen()
            self.push_screen(self.umpire)
        elif self.role == "spectator":
            self.spectator = SpectatorScreen(msg["title"], content_from(msg))
            self.push_screen(self.spectator)
        else:
            self.session = RemoteSession(content_from(msg), msg["role"], msg["seats"])

    def host_turn(self, msg: dict[str, Any]) -> None:
        s = self.session
        if s is None:
            return
        if msg["turn"] != s.game.turn:
            s.drafts.clear()  # a new turn starts with no orders, as at home
        s.game.update(s.role, msg)
        if self.game_screen is None:
            self.game_screen = SeatScreen(s, s.role)  # type: ignore[arg-type]
            self.push_screen(self.game_screen)
        else:
            self.game_screen.load()
        self._drop_waiting()
        if msg.get("orders") is not None:
            self.push_screen(WaitingScreen(msg["orders"], s.game.pending))

    def host_ack(self, msg: dict[str, Any]) -> None:
        if "control" in msg and self.umpire is not None:
            self.notify(f"Recorded: {msg['control']['kind']}")
            return
        if self.session is not None and not isinstance(self.screen, WaitingScreen):
            self.push_screen(WaitingScreen(msg["orders"], self.session.game.pending))

    def host_control(self, msg: dict[str, Any]) -> None:
        """The white cell changed the game: say what and why (a new turn or view follows)."""
        c = msg["control"]
        why = c.get("rationale") or "no reason given"
        self.notify(f"{describe(c)} — why: {why}", title=f"White cell: {KINDS[c['kind']]}",
                    severity="warning", timeout=15)
        if self.spectator is not None:
            self.spectator.note_control(c)

    def host_status(self, msg: dict[str, Any]) -> None:
        if self.session is not None:
            self.session.game.set_submitted(msg["submitted"])
            if isinstance(self.screen, WaitingScreen):
                self.screen.show_status(msg["submitted"])
        if self.spectator is not None:
            self.spectator.show_status(msg["submitted"])

    def host_report(self, msg: dict[str, Any]) -> None:
        self.last_report = msg["report"]
        if self.umpire is not None:
            self.umpire.note_report(msg.get("table"), msg["report"])
            return
        if self.spectator is not None:
            self.spectator.show_report(msg["report"])
            return
        self._drop_waiting()
        self.push_screen(ReportView(msg["report"], self.role or ""))

    def host_view(self, msg: dict[str, Any]) -> None:
        if self.spectator is not None:
            self.spectator.show_view(msg)

    def host_umpire(self, msg: dict[str, Any]) -> None:
        if self.umpire is not None:
            self.umpire.show_tables(msg["tables"])

    def host_end(self, msg: dict[str, Any]) -> None:
        if self.session is not None:
            self.session.game.over = True
        self.push_screen(EndView(msg["scores"]))

    def host_error(self, msg: dict[str, Any]) -> None:
        self.notify(msg["message"], severity="error", timeout=8)

    def _drop_waiting(self) -> None:
        while isinstance(self.screen, WaitingScreen):
            self.pop_screen()

    # -- what the screens ask ------------------------------------------------------------
    def on_orders_submitted(self, event: OrdersSubmitted) -> None:
        orders = [o.key for o in event.orders]

        def send(rationale: str | None) -> None:
            if rationale is None:
                return  # Escape: back to the orders
            self.run_worker(self.send({"type": "orders", "orders": orders or ["pass"],
                                       "rationale": rationale,
                                       "turn": self.session.game.turn if self.session else 0}))

        self.push_screen(RationaleScreen(orders), send)

    async def umpire_command(self, msg: dict[str, Any]) -> None:
        await self.send(msg)

    def action_last_report(self) -> None:
        if self.last_report is not None:
            self.push_screen(ReportView(self.last_report, self.role or ""))
        else:
            self.notify("No turn has resolved yet.")

    def action_why(self) -> None:
        self.notify("The why view is in the after-action report: `wargame report SAVE`.")

    def action_history(self) -> None:
        self.action_why()

    def action_help(self) -> None:
        self.notify("Pick orders, submit with s, add a rationale, Enter to send. "
                    "Orders stay secret until every seat has submitted.", timeout=8)

    async def action_request_quit(self) -> None:
        if self.link is not None:
            await self.link.stop()
        self.exit(0)


def run_join(url: str, code: str | None) -> int:
    return int(JoinApp(url, code).run() or 0)
