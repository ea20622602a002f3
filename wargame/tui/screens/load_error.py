"""A scenario that would not load: every problem as FILE:LINE:COL: message, never a traceback."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Static

from wargame.formats.untrusted import printable
from wargame.tui.messages import OpenTitle
from wargame.tui.screens.base import GameScreenBase
from wargame.tui.widgets.key_footer import KeyFooter


class LoadErrorScreen(GameScreenBase):
    HELP = ("The scenario could not be loaded. Each line names the file, line and column of a "
            "problem; fix them (`wargame validate FILE` checks again) or pick another scenario.")
    DEFAULT_CSS = """
    LoadErrorScreen #error-title { padding: 1 2 0 2; text-style: bold; color: $text-error; }
    LoadErrorScreen #problems { padding: 1 2; height: 1fr; }
    LoadErrorScreen #error-buttons { height: auto; padding: 0 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back to title"),
        Binding("enter", "back", "Back", show=False),
        *GameScreenBase.BINDINGS,
    ]

    def __init__(self, title: str, problems: list[str]) -> None:
        super().__init__()
        self.error_title = title
        self.problems = problems

    def compose(self) -> ComposeResult:
        # Titles and problems quote files (names, text): plain text, escaped, never markup.
        yield Static(Text(f"✘ {printable(self.error_title)}"), id="error-title")
        with VerticalScroll(id="problems"):
            yield Static(Text("\n".join(printable(p) for p in self.problems) or "(no details)"),
                         id="problem-list")
        with Horizontal(id="error-buttons"):
            yield Button("Back to title", id="back", variant="primary")
        yield KeyFooter()

    def on_mount(self) -> None:
        for widget in self.query("#back"):
            widget.focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_back()

    def action_back(self) -> None:
        self.post_message(OpenTitle())
