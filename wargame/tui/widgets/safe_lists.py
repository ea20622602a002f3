"""Guards around Textual 8.2.8 behaviours that the monkey test turned into crashes:

- Page Up/Down on an OptionList (or the command palette's list) before it has been laid out
  raises KeyError; the guarded lists move to the first/last option instead.
- A screen dismissed twice (two quick clicks outside the command palette, or a click and a
  key on a dialog) sets its result future twice (InvalidStateError) and pops a screen that
  is not its own; DismissOnce ignores every dismiss after the first, and any dismiss of a
  screen that is not on top.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from textual.await_complete import AwaitComplete
from textual.command import CommandPalette
from textual.screen import Screen
from textual.widgets import OptionList


class SafeOptionList(OptionList):
    def action_page_up(self) -> None:
        try:
            super().action_page_up()  # type: ignore[no-untyped-call]
        except (KeyError, IndexError):
            self.action_first()

    def action_page_down(self) -> None:
        try:
            super().action_page_down()  # type: ignore[no-untyped-call]
        except (KeyError, IndexError):
            self.action_last()


async def _nothing() -> None:
    await asyncio.sleep(0)


class DismissOnce:
    """Mixin for screens: only the first dismiss of the screen on top counts."""

    _dismissed = False

    def dismiss(self, result: Any = None) -> AwaitComplete:
        screen = self
        assert isinstance(screen, Screen)
        if self._dismissed or not screen.is_current:
            return AwaitComplete(_nothing())
        self._dismissed = True
        return super().dismiss(result)  # type: ignore[misc,no-any-return]


class SafeCommandPalette(DismissOnce, CommandPalette):
    def _action_command_list(self, action: str) -> None:
        with contextlib.suppress(KeyError, IndexError):
            super()._action_command_list(action)

    def _refresh_command_list(self, *args: Any, **kwargs: Any) -> None:
        # The palette's search worker can finish after the palette was dismissed.
        from textual.css.query import NoMatches

        with contextlib.suppress(NoMatches):
            super()._refresh_command_list(*args, **kwargs)
