"""A modal box of text with one button that closes it (help, the scenario's sources)."""

from __future__ import annotations

from typing import ClassVar

from textual.screen import ModalScreen
from textual.widgets import Button

from wargame.tui.widgets.safe_lists import SafeScreen


class TextPanelScreen(SafeScreen, ModalScreen[None]):
    CLOSE_BUTTON: ClassVar[str] = ""
    """Selector of the button that closes the panel; it has the focus when the panel opens."""

    def on_mount(self) -> None:
        for widget in self.query(self.CLOSE_BUTTON):
            widget.focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss()

    def action_close(self) -> None:
        self.dismiss()
