"""Asks before a step that would lose something: quitting an unsaved game, taking back a
turn. `y` does it, `n` or Escape stays."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from wargame.tui.widgets.safe_lists import SafeScreen


class QuitScreen(SafeScreen, ModalScreen[bool]):
    DEFAULT_CSS = """
    QuitScreen { align: center middle; }
    QuitScreen #quit-box { width: 56; max-width: 100%; height: auto; border: heavy $error;
        background: $surface; padding: 1 2; }
    QuitScreen #quit-buttons { height: auto; margin-top: 1; }
    QuitScreen Button { margin-right: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, message: str, yes: str = "Quit", no: str = "Stay") -> None:
        super().__init__()
        self.message = message
        self.yes, self.no = yes, no

    def compose(self) -> ComposeResult:
        with Vertical(id="quit-box"):
            yield Static(self.message, id="quit-text")
            with Horizontal(id="quit-buttons"):
                yield Button(f"{self.no} (n)", id="stay", variant="primary")
                yield Button(f"{self.yes} (y)", id="quit", variant="error")

    def on_mount(self) -> None:
        for widget in self.query("#stay"):
            widget.focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "quit")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
