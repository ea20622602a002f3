"""The load screen: the saves in a folder (scenario, turn, seats, when, sound or not).

Enter continues the highlighted save (the screen is dismissed with its path; the caller then
calls `wargame.storage.saves.load_game`), `r` replays it in the viewer, Escape closes with None.
A save that is not sound shows why, and cannot be continued.
"""

from __future__ import annotations

import time
from functools import partial
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Static

from wargame.formats.untrusted import printable
from wargame.storage.saves import Replay, SaveError, SaveInfo, list_saves, open_replay


def seats_text(seats: dict[str, str] | object) -> str:
    if not isinstance(seats, dict):
        return ""
    return " ".join(f"{role[:1].upper()}:{kind}" for role, kind in seats.items())


def turn_text(info: SaveInfo) -> str:
    """The turn the save is at, as the game shows it: 'turn 7/12' for a save with six turns
    played; 'over' once all are (the list used to show turns played, '6/12')."""
    if not info.sound:
        return "?"
    if info.over:
        return f"over ({info.turn} turns)"
    total = f"/{info.turns_total}" if info.turns_total else ""
    return f"turn {info.turn + 1}{total}"


def short_name(name: str, width: int = 34) -> str:
    return name if len(name) <= width else name[: width - 1] + "…"


def when_text(modified: float) -> str:
    if modified <= 0:
        return "?"
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(modified))


class LoadScreen(ModalScreen[Path | None]):
    """Pick a save to continue. Dismissed with its path, or None."""

    DEFAULT_CSS = """
    LoadScreen { align: center middle; }
    LoadScreen #box { width: 96%; height: 90%; border: round $accent; background: $surface; }
    LoadScreen #title { padding: 0 1; text-style: bold; }
    LoadScreen DataTable { height: 1fr; }
    LoadScreen #detail { height: auto; min-height: 2; padding: 0 1; }
    """
    BINDINGS = [  # noqa: RUF012
        Binding("enter", "continue_game", "Continue", priority=True),
        Binding("r", "replay", "Replay"),
        Binding("escape", "close", "Back"),
    ]

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder
        self.saves: list[SaveInfo] = []

    def compose(self) -> ComposeResult:
        from textual.containers import Vertical

        with Vertical(id="box"):
            yield Static(Text(f"Saved games in {printable(str(self.folder))}"), id="title")
            yield DataTable(id="saves", cursor_type="row", zebra_stripes=True)
            yield Static(id="detail")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        # Short columns first, so none is cut off at 80 or 120 columns; names are shortened.
        table.add_columns("Name", "Turn", "Sound", "Saved", "Kind", "Scenario", "Seats")
        self.refresh_list()
        table.focus()

    def refresh_list(self) -> None:
        table = self.query_one(DataTable)
        was = self.current()
        table.clear()
        self.saves = list_saves(self.folder)
        for info in self.saves:
            sound = Text("ok", style="green") if info.sound else Text("damaged", style="red")
            # Names and scenarios come from files: plain Text, never markup.
            table.add_row(Text(printable(short_name(info.name))), turn_text(info), sound,
                          when_text(info.modified), info.kind, Text(printable(info.scenario)),
                          Text(printable(seats_text(info.seats))), key=str(info.path))
        detail = self.query_one("#detail", Static)
        if not self.saves:
            detail.update(Text(f"No saves in {printable(str(self.folder))} yet."))
        else:
            paths = [info.path for info in self.saves]
            row = paths.index(was.path) if was is not None and was.path in paths else 0
            table.move_cursor(row=row)
            self.show_detail(row)

    def current(self) -> SaveInfo | None:
        table = self.query_one(DataTable)
        if not self.saves or table.cursor_row < 0 or table.cursor_row >= len(self.saves):
            return None
        return self.saves[table.cursor_row]

    def show_detail(self, row: int) -> None:
        if not 0 <= row < len(self.saves):
            return
        info = self.saves[row]
        text = Text(printable(str(info.path)))
        if info.sound:
            text.append(f"\n{printable(info.title)} · game {printable(info.game_id)}")
        else:
            text.append(f"\n{printable(info.problem)}", style="red")
        self.query_one("#detail", Static).update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_detail(event.cursor_row)

    def action_continue_game(self) -> None:
        info = self.current()
        if info is None:
            return
        if not info.sound:
            self.app.notify(info.problem, title="This save cannot be continued",
                            severity="error", timeout=8)
            return
        self.dismiss(info.path)

    def action_replay(self) -> None:
        info = self.current()
        if info is None:
            return
        from wargame.tui.screens.loading import load_in_background

        def opened(replay: Replay | str) -> None:
            if isinstance(replay, str):
                self.app.notify(printable(replay, lines=True), severity="error", timeout=8,
                                markup=False)
                return
            from wargame.tui.replay.app import ReplayScreen

            self.app.push_screen(ReplayScreen(replay), lambda _fork: self.refresh_list())

        def failed(err: BaseException) -> None:
            opened(f"{info.path.name}: {type(err).__name__}: {err}")

        load_in_background(self.app, info.path.name, partial(_open_replay, info.path), opened,
                           failed)

    def action_close(self) -> None:
        self.dismiss(None)


def _open_replay(path: Path) -> Replay | str:
    """The replay of a save (compiled and re-resolved: off the UI thread), or why not."""
    try:
        return open_replay(path)
    except SaveError as err:
        return err.message
