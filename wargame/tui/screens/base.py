"""What every screen of the game shares: help on `?`, quit on `q` (asks if unsaved)."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Button

from wargame.tui.widgets.safe_lists import SafeScreen


class GameScreenBase(SafeScreen, Screen[None]):
    HELP: ClassVar[str] = ""
    """A few lines on what this screen is for; the help screen adds its keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "app.help", "Help", key_display="?"),
        Binding("q", "app.request_quit", "Quit"),
        Binding("i", "app.sources", "Scenario and sources", show=False),
    ]

    START_FOCUS: ClassVar[str] = ""
    """Selector of the widget to focus when the screen is (re)loaded with new content."""

    _refocus = True
    _ready = False
    """True once mounted: a reused screen's `load` before then waits for on_mount."""

    def focus_start(self) -> None:
        """Focus the start widget now if this screen is showing, else when it is shown.
        Called by the screens the app reuses each time they are loaded with new content."""
        self._refocus = True
        # A button pressed less than 0.2 s ago keeps its "-active" look, and Textual ignores
        # Enter on it until then: the next player's (or the next turn's) first Enter on the
        # reused screen would be lost when play is quick.
        for button in self.query(Button):
            button.remove_class("-active")
        if self.is_current:
            self._apply_focus()

    def _apply_focus(self) -> None:
        self._refocus = False
        if self.START_FOCUS:
            for widget in self.query(self.START_FOCUS):
                if widget.focusable:
                    self.set_focus(widget)
                    return

    def on_screen_resume(self) -> None:
        if self._refocus:
            self._apply_focus()
