"""Ctrl+S: ask for a name to save the game under."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from wargame.tui.widgets.safe_lists import SafeScreen


class SaveAsScreen(SafeScreen, ModalScreen[str | None]):
    """Dismissed with the name typed (Enter), or None (Esc)."""

    DEFAULT_CSS = """
    SaveAsScreen { align: center middle; }
    SaveAsScreen #save-box { width: 60; max-width: 96%; height: auto; padding: 1 2;
                             border: round $accent; background: $surface; }
    SaveAsScreen #save-help { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, default_name: str, folder: str) -> None:
        super().__init__()
        self.default_name = default_name
        self.folder = folder

    def compose(self) -> ComposeResult:
        with Vertical(id="save-box"):
            yield Static("[b]Save the game as[/b]")
            yield Input(value=self.default_name, id="save-name")
            yield Static(f"Enter saves into {self.folder} · Esc cancels", id="save-help")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = event.value.strip()
        self.dismiss(name or self.default_name)

    def action_cancel(self) -> None:
        self.dismiss(None)
