"""Help: what the current screen is for and every key it answers to."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.markup import escape
from textual.widgets import Button, Static

from wargame.tui.screens.text_panel import TextPanelScreen

# One line per paragraph: the box wraps them to its width (hard-wrapped lines left orphan
# words at 80 columns).
GENERAL = (
    "[b]Playing[/b]\n"
    "Each quarter every seat orders actions with its political capital. Orders stay secret "
    "until all have submitted; then the turn resolves in phases and the report explains every "
    "outcome.\n"
    "Your objectives (left, under the board) score points: each shows whether it is on "
    "track, at risk, met or missed, and your score counts only points already certain. "
    "\"What the rules read\" lists every value the scenario's rules and objectives depend on, "
    "with its change since last turn.\n"
    "The legs of the triangle show trust (0–100) with a word: solid ≥60, fair ≥40, strained "
    "≥25, broken below. i shows the scenario's summary and sources. Ctrl+P opens the command "
    "palette with every action of the screen."
)


class HelpScreen(TextPanelScreen):
    CLOSE_BUTTON = "#help-close"
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen #help-box { width: 90; max-width: 100%; height: auto; max-height: 100%;
        border: heavy $accent; background: $surface; padding: 0 1; }
    HelpScreen #help-scroll { height: auto; max-height: 1fr; }
    HelpScreen #help-close { width: 100%; dock: bottom; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "close", "Close"),
    ]

    def __init__(self, screen_help: str, keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self.screen_help = screen_help
        self.keys = keys

    def compose(self) -> ComposeResult:
        lines = []
        if self.screen_help:
            lines += ["[b]This screen[/b]", escape(self.screen_help), ""]
        if self.keys:
            lines.append("[b]Keys[/b]")
            lines += [f"  [b]{escape(k):<12}[/b] {escape(d)}" for k, d in self.keys]
            lines.append("")
        lines.append(GENERAL)
        with Vertical(id="help-box"):
            with VerticalScroll(id="help-scroll"):
                yield Static("\n".join(lines), id="help-text")
            yield Button("Close (Esc)", id="help-close")
