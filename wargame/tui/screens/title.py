"""The title screen: Enter on the first line starts The Convenor as Washington at once."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from wargame.formats.untrusted import printable
from wargame.storage.saves import SaveInfo
from wargame.tui.messages import OpenLoad, OpenNewGame, QuickStart, ResumeSave
from wargame.tui.screens.base import GameScreenBase
from wargame.tui.widgets.key_footer import KeyFooter
from wargame.tui.widgets.safe_lists import SafeOptionList

BANNER = """\
      ╱╲        [b]W A S H I N G T O N[/b]
     ╱  ╲
    ╱    ╲      [b]T O K Y O[/b]  ·  [b]S E O U L[/b]
   ╱______╲     [dim]three allies, one table[/]"""


class TitleScreen(GameScreenBase):
    HELP = ("Start a game. Quick start (s) plays the default scenario as Washington with bots "
            "in the other seats; New game (n) picks the scenario, the seats and the seed. "
            "Resume, when shown, continues the last unfinished game where it stopped: every "
            "game is saved after each turn and each submit. Continue a saved game (l) lists "
            "the saves in the save folder, autosaves and games saved with Ctrl+S, and says "
            "why a damaged one cannot be opened.")
    DEFAULT_CSS = """
    TitleScreen { align: center middle; }
    TitleScreen #title-box { width: 64; height: auto; max-width: 100%; }
    TitleScreen #banner { width: auto; padding: 1 0; }
    TitleScreen #menu { width: 100%; height: auto; max-height: 10; margin: 1 0; }
    TitleScreen #tagline { color: $text-muted; width: 100%; text-align: center; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "quick_start", "Quick start"),
        Binding("n", "new_game", "New game"),
        Binding("l", "load", "Load"),
        *GameScreenBase.BINDINGS,
    ]

    def __init__(self, default_title: str = "The Convenor", resume: SaveInfo | None = None
                 ) -> None:
        super().__init__()
        self.default_title = default_title
        self.resume = resume

    def compose(self) -> ComposeResult:
        with Vertical(id="title-box"):
            with Center():
                yield Static(BANNER, id="banner")
            options = [
                Option(f"▸ Quick start — {self.default_title} as Washington", id="quick"),
            ]
            if self.resume is not None:
                r = self.resume
                # A save's title is the file's text, not ours: never read it as markup.
                label = Text(f"▸ Resume {printable(r.title)} — turn {r.turn + 1}/{r.turns_total}")
                options.append(Option(label, id="resume"))
            yield SafeOptionList(
                *options,
                Option("▸ New game… (scenario, seats, seed)", id="new"),
                Option("▸ Continue a saved game…", id="load"),
                Option("▸ Help", id="help"),
                Option("▸ Quit", id="quit"),
                id="menu",
            )
            yield Static("A tabletop policy wargame · Enter to choose · ? for help", id="tagline")
        yield KeyFooter()

    def on_mount(self) -> None:
        menu = self.query_one("#menu", OptionList)
        menu.highlighted = 0
        menu.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        choice = event.option.id
        if choice == "quick":
            self.action_quick_start()
        elif choice == "new":
            self.action_new_game()
        elif choice == "resume" and self.resume is not None:
            self.post_message(ResumeSave(self.resume.path))
        elif choice == "load":
            self.action_load()
        elif choice == "help":
            self.app.action_help()  # type: ignore[attr-defined]
        elif choice == "quit":
            self.app.action_request_quit()  # type: ignore[attr-defined]

    def action_quick_start(self) -> None:
        self.post_message(QuickStart())

    def action_new_game(self) -> None:
        self.post_message(OpenNewGame())

    def action_load(self) -> None:
        self.post_message(OpenLoad())

