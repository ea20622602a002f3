"""Shown while content compiles or a save replays, which happens off the UI thread (a large
or hostile file can take a while): says what is loading, keeps answering keys, and Escape
gives up waiting (the result is then dropped)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import LoadingIndicator, Static

from wargame.formats.untrusted import printable
from wargame.tui.widgets.key_footer import KeyFooter
from wargame.tui.widgets.safe_lists import SafeScreen

T = TypeVar("T")


class LoadingScreen(SafeScreen, ModalScreen[None]):
    HELP = ("The scenario is being read and checked (or the save replayed turn by turn). "
            "Escape stops waiting and goes back.")
    DEFAULT_CSS = """
    LoadingScreen { align: center middle; }
    LoadingScreen #loading-box { width: 56; max-width: 100%; height: auto;
        border: round $accent; background: $surface; padding: 1 2; }
    LoadingScreen LoadingIndicator { height: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "give_up", "Back"),
    ]

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what
        self.given_up = False

    def compose(self) -> ComposeResult:
        with Vertical(id="loading-box"):
            # The name comes from a file or the command line: plain text, never markup.
            yield Static(Text(f"Loading {printable(self.what)}…", style="bold"), id="loading")
            yield LoadingIndicator()
        yield KeyFooter()

    def action_give_up(self) -> None:
        self.given_up = True
        self.dismiss(None)


def load_in_background(app: Any, what: str, work: Callable[[], T], done: Callable[[T], None],
                       failed: Callable[[BaseException], None]) -> None:
    """Run `work` (compiling a scenario, replaying a save: seconds for a large file) in a
    worker thread behind a LoadingScreen, then `done(result)` on the UI thread, which keeps
    answering keys meanwhile; `failed(error)` for an exception `work` did not expect (never a
    screen left waiting). Escape gives up: the result is dropped."""
    screen = LoadingScreen(what)
    app.push_screen(screen)

    def finish(result: T | BaseException) -> None:
        if screen.given_up or screen not in app.screen_stack:
            return
        for _ in range(len(app.screen_stack)):  # it, and any dialog opened over it
            if screen not in app.screen_stack:
                break
            app.pop_screen()
        if isinstance(result, BaseException):
            failed(result)
        else:
            done(result)

    def run() -> None:
        result: T | BaseException
        try:
            result = work()
        except Exception as err:  # shown by `failed`, on a screen
            result = err
        with contextlib.suppress(RuntimeError):  # the app has closed meanwhile
            app.call_from_thread(finish, result)

    app.run_worker(run, name="load", group="load", thread=True, exit_on_error=False)
