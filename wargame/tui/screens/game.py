"""One seat's turn: the board, your seat, the orders and a preview of what they would do.

The app keeps one GameScreen per human seat for the whole game and reloads it each turn
(`load`), which is much faster than building the screen again."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.widgets import Button, Static

from wargame.engine.state import Order
from wargame.tui.labels import flags_in_force
from wargame.tui.messages import OrdersSubmitted, RepliesKnown, TakeBack
from wargame.tui.screens.base import GameScreenBase
from wargame.tui.session import Session
from wargame.tui.widgets.key_footer import KeyFooter
from wargame.tui.widgets.measures import Measures
from wargame.tui.widgets.orders_panel import OrdersPanel
from wargame.tui.widgets.preview import PreviewPanel
from wargame.tui.widgets.seat_panel import SeatPanel
from wargame.tui.widgets.triangle import Triangle


class GameScreen(GameScreenBase):
    HELP = ("Your turn. Pick orders from the action list (Enter or click adds one, again removes "
            "it); dimmed actions (✘) say why they cannot be taken. The preview shows what your "
            "orders would change compared with passing, in two cases: if the others pass, and "
            "if they play as their bots would. Submit with s. Orders stay secret until every "
            "seat has submitted; then the turn resolves and the report explains it. On the "
            "left: the board, every value the rules read (with its change since last turn "
            "and a band word), your score and how each objective stands. u takes back the "
            "last turn (it asks first).")
    DEFAULT_CSS = """
    GameScreen #status { height: 1; padding: 0 1; background: $panel; }
    GameScreen #main { height: 1fr; }
    GameScreen #left { width: 1fr; min-width: 36; }
    GameScreen #right { width: 1fr; min-width: 38; border-left: vkey $panel; }
    GameScreen #orders { height: 2fr; }
    /* The scrollbar's column is kept: the preview keeps its width when it grows past the
       pane, instead of wrapping again and being laid out a second time. */
    GameScreen #preview-scroll { height: 1fr; min-height: 4; border-top: hkey $panel;
                                 scrollbar-gutter: stable; scrollbar-size-vertical: 1; }
    GameScreen #buttons { height: auto; }
    GameScreen #buttons Button { margin: 0 2 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "submit", "Submit"),
        Binding("a", "add", "Add", show=False),
        Binding("x,delete,backspace", "remove", "Remove", key_display="x"),
        Binding("c", "clear", "Clear", show=False),
        Binding("r", "app.last_report", "Report"),
        Binding("w", "app.why", "Why"),
        Binding("h", "app.history", "History"),
        Binding("u", "take_back", "Take back"),
        *GameScreenBase.BINDINGS,
    ]

    START_FOCUS = "#actions"

    def __init__(self, session: Session, role: str) -> None:
        super().__init__()
        self.session = session
        self.role = role
        self._replies_for: tuple[int, int] | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="status")
        with Horizontal(id="main"):
            with VerticalScroll(id="left"):
                yield Triangle(id="board")
                yield Measures(id="measures")
                yield SeatPanel(id="seat")
            with Vertical(id="right"):
                yield OrdersPanel(self.session.content, self._orders_changed, id="orders")
                with Horizontal(id="buttons"):
                    yield Button("Submit (s)", id="submit", variant="primary", compact=True)
                    yield Button("Clear (c)", id="clear", compact=True)
                with VerticalScroll(id="preview-scroll"):
                    yield PreviewPanel(id="preview")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._ready = True
        self.load()

    def load(self) -> None:
        """Show the game as it stands now for this seat."""
        if not self._ready:
            return
        s = self.session
        game = s.game
        view = game.view(self.role)
        names = {r: s.name(r) for r in s.content.role_ids}
        self.query_one("#status", Static).update(self._status())
        self.query_one(Triangle).show(view.values, names, s.turn_text(),
                                      flags_in_force(view.values, s.content))
        self.query_one(SeatPanel).show(view, s.content)
        history = getattr(game, "history", ())  # a host's client mirrors no history
        before = history[-1].before if history else None
        self.query_one(Measures).show(s.content, view.values, before)
        draft = s.draft(self.role)
        self.panel.load(game.legal_actions(self.role), float(view.capital), draft, s.content)
        self._update_preview(draft)
        self.query_one("#left", VerticalScroll).scroll_home(animate=False)
        self.focus_start()
        self._fit(self.size.width, self.size.height)

    def _status(self) -> str:
        s = self.session
        seats = " · ".join(
            f"{'[b]' if r == self.role else ''}{escape(s.name(r))}"
            f"{'[/b] (you)' if r == self.role else ' ✔' if r in s.game.pending else ''}"
            for r in s.content.role_ids)
        banked = sum(o.points for o in s.game.view(self.role).objectives)
        return (f"[b]{escape(s.content.title)}[/b] · {escape(s.turn_text())} · "
                f"score [b]{banked:+d}[/b] · {seats}")

    def on_resize(self) -> None:
        self._fit(self.size.width, self.size.height)

    def _fit(self, width: int, height: int) -> None:
        self.set_class(width < 100 or height < 30, "narrow")
        for footer in self.query(KeyFooter):
            footer.compact = width < 100  # every key, `u` too, fits in 80 columns
        board = self.query_one(Triangle)
        board.max_height = max(12, height // 2)

    # -- orders --------------------------------------------------------------------------
    @property
    def panel(self) -> OrdersPanel:
        return self.query_one(OrdersPanel)

    def _orders_changed(self, orders: list[Order]) -> None:
        self.session.drafts[self.role] = list(orders)
        self._update_preview(orders)

    def _update_preview(self, orders: list[Order]) -> None:
        s = self.session
        game = s.game
        panel = self.query_one(PreviewPanel)
        if not orders or game.is_over():
            panel.show(None, {}, s.content)
            return
        known = getattr(s, "known_replies", None)  # a host's client has no bots to ask
        replies = known(self.role) if known is not None else None
        preview = (game.preview(self.role, orders) if replies is None
                   else game.preview(self.role, orders, replies))
        panel.show(preview, game.values(), s.content, thinking=known is not None)
        if known is not None and replies is None:
            self._work_out_replies()

    def _work_out_replies(self) -> None:
        """The others' likely replies, in a worker thread on a clone (a search bot takes up
        to a second per seat); the preview is redrawn when they are known."""
        s = self.session
        if self._replies_for == (s.game.turn, len(s.game.history)):
            return
        self._replies_for = (s.game.turn, len(s.game.history))
        game = s.game.clone()
        role = self.role

        def work() -> None:
            s.likely_replies(game, role)
            self.post_message(RepliesKnown())

        self.run_worker(work, name="likely", group="likely", thread=True, exit_on_error=False)

    def on_replies_known(self, message: RepliesKnown) -> None:
        message.stop()
        self._update_preview(list(self.panel.chosen))

    def action_add(self) -> None:
        self.panel.add_highlighted()

    def action_remove(self) -> None:
        self.panel.remove_highlighted_or_last()

    def action_clear(self) -> None:
        self.panel.clear()

    def action_submit(self) -> None:
        self.post_message(OrdersSubmitted(self.role, list(self.panel.chosen)))

    def action_take_back(self) -> None:
        self.post_message(TakeBack())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "submit":
            self.action_submit()
        elif event.button.id == "clear":
            self.action_clear()
