"""The scenario: its summary and the sources it was built from (the scenario's `sources:`).
Shown when a new game starts (Enter to begin) and on `i` during the game."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.markup import escape
from textual.widgets import Button, Static

from wargame.engine.content import Content
from wargame.tui.screens.text_panel import TextPanelScreen


def sources_markup(content: Content, seats: str = "") -> str:
    c = content
    lines = [f"[b]{escape(c.title)}[/b] · {escape(c.years())} · {c.turns} turns"]
    if seats:
        lines.append(f"[dim]{escape(seats)}[/]")
    lines.append("")
    lines.append(escape(" ".join(c.summary.split())) or "[dim]This scenario has no summary.[/]")
    lines.append("")
    lines.append("[b]Sources[/b]")
    if c.sources:
        lines += [f"• {escape(' '.join(src.split()))}" for src in c.sources]
    else:
        lines.append("[dim]The scenario lists no sources.[/]")
    return "\n".join(lines)


class SourcesScreen(TextPanelScreen):
    CLOSE_BUTTON = "#sources-close"
    HELP = ("The scenario you are playing: what it is about and the sources its events and "
            "numbers come from. At the start of a game, Enter begins.")
    DEFAULT_CSS = """
    SourcesScreen { align: center middle; }
    SourcesScreen #sources-box { width: 90; max-width: 100%; height: auto; max-height: 100%;
        border: heavy $accent; background: $surface; padding: 0 1; }
    SourcesScreen #sources-scroll { height: auto; max-height: 1fr; }
    SourcesScreen #sources-close { width: 100%; dock: bottom; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,i,enter", "close", "Close"),
        Binding("q", "app.request_quit", "Quit"),
    ]

    def __init__(self, content: Content, seats: str = "", start: bool = False) -> None:
        super().__init__()
        self.content = content
        self.seats = seats
        self.start = start

    def compose(self) -> ComposeResult:
        with Vertical(id="sources-box"):
            with VerticalScroll(id="sources-scroll"):
                yield Static(sources_markup(self.content, self.seats), id="sources-text")
            label = "Begin (Enter)" if self.start else "Close (Esc)"
            yield Button(label, id="sources-close", variant="primary" if self.start else "default")
