"""Guards around Textual 8.2.8 behaviours that the monkey test turned into crashes (or hangs).
Each one names what it prevents; drop it when Textual fixes the cause.

- `Screen.dismiss()` pops whatever screen is on top, not necessarily its own: a screen
  dismissed twice (two quick clicks outside the command palette, a click and a key on a
  dialog, two queued Enters in a dialog's Input) sets its result future twice
  (InvalidStateError) and pops the screen below it; repeated, the main screen and then the
  last one go ("No screens on stack"). DismissOnce ignores every dismiss after the first,
  and any dismiss of a screen that is not on top. (The app also refuses to pop its main
  screen: WargameApp.pop_screen.)
- A mouse press on a widget that was just removed (the Footer recomposes its keys whenever
  the bindings change) still finds it in the compositor's map; starting a text selection on
  it reads `.parent.region` of a detached widget (AttributeError: 'NoneType' object has no
  attribute 'region'). SafeScreen treats a detached widget as no widget.
- A screen's layout posts a Resize to the screen itself, and the screen under the top one
  is laid out again on every Resize of the top one. With two sizes queued (two quick
  terminal resizes) a screen handles each in turn and each layout queues its size again:
  the two Resizes chase each other for ever (the app hangs at full CPU). SafeScreen drops a
  Resize whose size is no longer the terminal's; the app's own default screen is a
  SafeScreen too (BlankScreen).
- A screen popped before it has finished mounting still gets its Mount (and keys already
  queued for it): its handlers find their widgets gone (NoMatches). SafeScreen ignores
  NoMatches in a screen that is on no stack any more.
- Page Up/Down on an OptionList (or the command palette's list) that has no room (a 40×12
  terminal) or has not been laid out yet: its line index is empty, KeyError; the guarded
  lists move to the first/last option instead.
- A click on an option list drawn before the list got shorter (an order removed):
  IndexError in OptionList._on_click; SafeOptionList ignores that click.
- A mouse press on a Tree not drawn yet reads its `_pseudo_class_state` before it exists
  (AttributeError); SafeTree sets it first.
- The command palette's search worker can run (or finish) after the palette was closed and
  its children removed: NoMatches on CommandList, which as a failed worker (WorkerFailed)
  ends the app; a key for the palette's list can arrive in that state too. SafeCommandPalette
  ignores NoMatches there; the app opens its theme and command searches in one as well.

SafeOptionList also draws faster (update_prompts, and no redraw when only its height
changed): see those methods.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping
from typing import Any

from textual import events, work
from textual.await_complete import AwaitComplete
from textual.command import CommandPalette
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import Screen
from textual.strip import Strip
from textual.visual import VisualType
from textual.widgets import OptionList, Tree


class SafeOptionList(OptionList):
    _drawn_width: tuple[int, int] | None = None

    def _on_resize(self, event: events.Resize) -> None:  # type: ignore[override]
        # Runs before OptionList._on_resize (the handlers of every class run, in MRO order),
        # which throws every option's rendering away on any resize. The rendering depends on
        # the width only: a list that just got a line taller or shorter (the orders list
        # below it grew) keeps it. Speed, not a crash guard: ~10 ms on each "Continue".
        width = (event.size.width, self.scrollable_content_region.width)
        if width == self._drawn_width:
            event.prevent_default()
        self._drawn_width = width

    async def _on_click(self, event: events.Click) -> None:
        # Runs before OptionList._on_click, which indexes its options by the number drawn
        # under the mouse: a click on a frame drawn before the list got shorter is
        # IndexError: list index out of range.
        index = event.style.meta.get("option")
        if isinstance(index, int) and not 0 <= index < self.option_count:
            event.prevent_default()

    def update_prompts(self, prompts: Mapping[int, VisualType]) -> None:
        """Replace the prompts at these indexes and draw only those options again. (Speed:
        Textual's replace_option_prompt_at_index throws away the rendering of every option,
        ~10 ms for a 20-action list on each order added.)"""
        if not prompts:
            return
        changed = set()
        for index, prompt in prompts.items():
            option = self.get_option_at_index(index)
            option._set_prompt(prompt)
            changed.add(option)
        cache = self._option_render_cache
        for key in [k for k in cache.keys() if k[0] in changed]:  # noqa: SIM118 (no __iter__)
            cache.discard(key)
        self._line_cache.clear()  # heights may differ; counting them again is cheap
        self._update_lines()
        self.refresh()

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


class SafeTree(Tree[None]):
    def render_line(self, y: int) -> Strip:
        # A mouse press on a tree that has not been drawn yet asks for one of its lines (to
        # start a selection) before render_lines has set _pseudo_class_state:
        # AttributeError: 'Tree' object has no attribute '_pseudo_class_state'.
        if not hasattr(self, "_pseudo_class_state"):
            self._pseudo_class_state = self.get_pseudo_class_state()
        return super().render_line(y)


async def _nothing() -> None:
    await asyncio.sleep(0)


def nothing_to_await() -> AwaitComplete:
    """What a refused pop or dismiss returns: an AwaitComplete that does nothing."""
    return AwaitComplete(_nothing())


class DismissOnce:
    """Mixin for screens: only the first dismiss of the screen on top counts. (`is_active`, not
    `is_current`: a screen showing under a modal is "current" too, and its dismiss would pop
    the modal.)"""

    _dismissed = False

    def dismiss(self, result: Any = None) -> AwaitComplete:
        screen = self
        assert isinstance(screen, Screen)
        if self._dismissed or not screen.is_active:
            return nothing_to_await()
        self._dismissed = True
        return super().dismiss(result)  # type: ignore[misc,no-any-return]


class SafeScreen(DismissOnce):
    """Mixin for every screen of the app: the guards above that concern screens."""

    def get_widget_and_offset_at(self, x: int, y: int) -> tuple[Any, Any]:
        widget, offset = super().get_widget_and_offset_at(x, y)  # type: ignore[misc]
        if widget is not None and widget is not self and not widget.is_attached:
            return None, None
        return widget, offset

    async def _on_resize(self, event: events.Resize) -> None:
        # Runs before Screen._on_resize (the MRO); prevent_default skips that one.
        if event.size != self.app.size:  # type: ignore[attr-defined]
            event.prevent_default()
            event.stop()

    async def _on_message(self, message: Message) -> None:
        try:
            await super()._on_message(message)  # type: ignore[misc]
        except NoMatches:
            app = self.app  # type: ignore[attr-defined]
            if any(self in stack for stack in app._screen_stacks.values()):
                raise


class BlankScreen(SafeScreen, Screen[None]):
    """The app's default screen, under the main one (App.get_default_screen)."""


class SafeCommandPalette(SafeScreen, CommandPalette):
    @work(exclusive=True, group=CommandPalette._GATHER_COMMANDS_GROUP)
    async def _gather_commands(self, search_value: str) -> None:
        gather = CommandPalette._gather_commands.__wrapped__  # type: ignore[attr-defined]
        with contextlib.suppress(NoMatches):
            await gather(self, search_value)

    def _action_command_list(self, action: str) -> None:
        with contextlib.suppress(KeyError, IndexError, NoMatches):
            super()._action_command_list(action)

    def _action_cursor_down(self) -> None:
        with contextlib.suppress(NoMatches):
            super()._action_cursor_down()

    def _action_escape(self) -> None:
        with contextlib.suppress(NoMatches):
            super()._action_escape()

    def _refresh_command_list(self, *args: Any, **kwargs: Any) -> None:
        with contextlib.suppress(NoMatches):
            super()._refresh_command_list(*args, **kwargs)
