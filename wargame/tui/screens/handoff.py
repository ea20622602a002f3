"""Hot seat: a blank, full-screen hand-off between players, so nobody sees another's orders."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.markup import escape
from textual.widgets import Button, Static

from wargame.tui.messages import SeatReady
from wargame.tui.screens.base import GameScreenBase
from wargame.tui.widgets.key_footer import KeyFooter


class HandoffScreen(GameScreenBase):
    HELP = ("Hot seat: the previous player's orders are hidden. Hand the keyboard over; the "
            "named player presses Enter when ready.")
    DEFAULT_CSS = """
    HandoffScreen { align: center middle; }
    HandoffScreen #handoff-box { width: 60; max-width: 100%; height: auto; border: heavy $accent;
        padding: 1 2; }
    HandoffScreen #handoff-text { width: 100%; text-align: center; }
    HandoffScreen #ready { width: 100%; margin-top: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "ready", "I'm ready"),
        *GameScreenBase.BINDINGS,
    ]

    START_FOCUS = "#ready"

    def __init__(self, role: str, name: str, when: str, note: str = "") -> None:
        super().__init__()
        self.role = role
        self.seat_name = name
        self.when = when
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="handoff-box"):
            yield Static("", id="handoff-text")
            yield Button("", id="ready", variant="primary")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._ready = True
        self.load(self.role, self.seat_name, self.when, self.note)

    def load(self, role: str, name: str, when: str, note: str = "") -> None:
        self.role, self.seat_name, self.when, self.note = role, name, when, note
        if not self._ready:
            return
        text = (f"[b]Pass to {escape(name)}[/b] — press Enter when ready\n\n"
                f"[dim]{escape(when)}[/]")
        if note:
            text += f"\n[dim]{escape(note)}[/]"
        self.query_one("#handoff-text", Static).update(text)
        ready = self.query_one("#ready", Button)
        ready.label = f"I am {name} — show my seat"
        self.focus_start()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_ready()

    def action_ready(self) -> None:
        self.post_message(SeatReady(self.role))
