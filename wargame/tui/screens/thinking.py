"""Shown while bot (or agent) seats decide, which happens off the UI thread: says who is
thinking, and keeps answering keys (help, history, quit, save) until the turn resolves."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import Static

from wargame.tui.widgets.key_footer import KeyFooter
from wargame.tui.widgets.safe_lists import SafeScreen


class ThinkingScreen(SafeScreen, ModalScreen[None]):
    HELP = ("The other seats are choosing their orders. The turn resolves as soon as they "
            "have; your submitted orders are already saved, so quitting now loses nothing.")
    DEFAULT_CSS = """
    ThinkingScreen { align: center middle; }
    ThinkingScreen #thinking-box { width: 56; max-width: 100%; height: auto;
        border: round $accent; background: $surface; padding: 1 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("h", "app.history", "History"),
        Binding("question_mark", "app.help", "Help", key_display="?"),
        Binding("q", "app.request_quit", "Quit"),
    ]

    def __init__(self, who: list[str]) -> None:
        super().__init__()
        self.who = who

    def compose(self) -> ComposeResult:
        names = ", ".join(self.who) if self.who else "The other seats"
        with Vertical(id="thinking-box"):
            yield Static(f"[b]{escape(names)}[/b] thinking…\n\n"
                         "[dim]The turn resolves as soon as they have chosen. Your orders are "
                         "in and saved.[/]", id="thinking-text")
        yield KeyFooter()
