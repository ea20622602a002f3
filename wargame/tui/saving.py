"""Saving for the terminal game: autosave after every submit and turn, Ctrl+S under a
name, continuing a saved game. Kept out of the app hub, which only calls these.

A failed save (disk full, a folder without write permission) is shown to the player and
the game goes on; storage.saves keeps the last good file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from wargame.engine.game import Game
from wargame.engine.state import TurnReport
from wargame.formats.save import Branch, Parent
from wargame.formats.untrusted import printable
from wargame.storage.save_format import new_game_id
from wargame.storage.saves import (
    AUTOSAVE_PREFIX,
    LoadedGame,
    SaveError,
    SaveInfo,
    backup_path,
    latest_autosave,
    list_saves,
    load_game,
    save_game,
    save_game_to,
    take_back,
)
from wargame.storage.saves import (
    autosave as autosave_game,
)
from wargame.tui.session import HUMAN, Session

if TYPE_CHECKING:
    from textual.app import App


@attrs.define
class SaveSlot:
    """What the terminal game keeps beside its Game in order to save it: the seats, the save
    folder, the game's id, its taken-back branches and, for a fork, its parent. Every method
    that writes may raise SaveError: show its message and carry on; the last good save stays."""

    seats: dict[str, str]
    folder: Path
    game_id: str = attrs.field(factory=lambda: new_game_id())
    branches: list[Branch] = attrs.field(factory=list)
    parent: Parent | None = None
    path: Path | None = None  # the file last saved by name (Ctrl+S)

    @classmethod
    def for_loaded(cls, loaded: LoadedGame, folder: Path | str | None = None) -> SaveSlot:
        """Continue a loaded game: same id, branches and parent; saves beside it by default."""
        kept = None if loaded.path.name.startswith(AUTOSAVE_PREFIX) else loaded.path
        return cls(
            dict(loaded.file.seats),
            Path(folder) if folder is not None else loaded.path.parent,
            loaded.file.game_id,
            list(loaded.branches),
            loaded.file.parent,
            kept,
        )

    def _fields(self) -> dict[str, Any]:
        return {"seats": self.seats, "game_id": self.game_id, "parent": self.parent,
                "branches": self.branches}

    def autosave(self, game: Game) -> Path:
        """Call after every resolved turn and after orders are submitted."""
        return autosave_game(game, folder=self.folder, **self._fields())

    def save_as(self, game: Game, name: str | None = None) -> Path:
        """Ctrl+S: save under a name (or again under the last one)."""
        if name is None and self.path is not None:
            path = save_game_to(game, self.path, **self._fields())
        else:
            name = name or f"{game.content.id}-turn{game.turn}"
            path = save_game(game, name, folder=self.folder, **self._fields())
        self.path = path
        return path

    def take_back(self, game: Game) -> TurnReport:
        """Take back the last turn, keeping it as a branch (saved with the next save)."""
        return take_back(game, self.branches)


def new_slot(session: Session, folder: Path) -> SaveSlot:
    return SaveSlot(dict(session.seats), folder)


def autosave(app: App[Any], session: Session, slot: SaveSlot | None) -> bool:
    """Write the game's autosave; True if written. A failure is told, never raised."""
    if slot is None:
        return False
    try:
        slot.autosave(session.game)
    except SaveError as err:
        app.notify(f"{err.message}\nThe game goes on; the last good save is kept.",
                   title="Autosave failed", severity="error", timeout=8)
        return False
    session.mark_saved()
    return True


def save_as(app: App[Any], session: Session, slot: SaveSlot, name: str) -> Path | None:
    try:
        path = slot.save_as(session.game, name)
    except SaveError as err:
        app.notify(printable(err.message), title="Not saved", severity="error", timeout=8,
                   markup=False)
        return None
    session.mark_saved()
    app.notify(f"Saved to {printable(str(path))}", title="Saved", markup=False)
    return path


def default_name(session: Session) -> str:
    return f"{session.content.id}-turn{session.game.turn}"


def resumable(folder: Path) -> SaveInfo | None:
    """The latest unfinished autosave, offered on the title screen; None if unreadable."""
    try:
        return latest_autosave(folder)
    except (OSError, SaveError):
        return None


def open_saved(path: Path, folder: Path) -> tuple[Session, SaveSlot] | str:
    """A session continuing a saved game, or the reason it cannot be continued."""
    try:
        loaded = load_game(path)
    except SaveError as err:
        return err.message
    if loaded.game.is_over():
        return f"{path.name}: that game is over — open it with `wargame replay` instead."
    # Seats a script played headless become human seats: someone is here to play them.
    seats = {r: (HUMAN if k == "script" else k) for r, k in loaded.file.seats.items()}
    try:
        session = Session(loaded.game.content, loaded.file.seed, seats, game=loaded.game)
    except ValueError as err:
        return f"{path.name}: {err}"
    slot = SaveSlot.for_loaded(loaded, folder)
    slot.seats = dict(session.seats)
    session.mark_saved()
    return session, slot


KEEP_AUTOSAVES = 12
"""Autosaves kept in the save folder: one per game, so old games' pile up; the oldest go
(saves made with Ctrl+S and forks are never touched)."""


def prune_autosaves(folder: Path, keep: int = KEEP_AUTOSAVES,
                    spare: Path | None = None) -> list[Path]:
    """Delete the autosaves (and their backups) beyond the `keep` most recent, never `spare`
    (the game being played); returns what was deleted. Problems are ignored: pruning is
    housekeeping, not worth stopping a game for."""
    try:
        autos = [i for i in list_saves(folder) if i.kind == "autosave"]
    except (OSError, SaveError):
        return []
    gone = []
    for info in autos[keep:]:  # newest first
        if spare is not None and info.path.resolve() == spare.resolve():
            continue
        for path in (info.path, backup_path(info.path)):
            try:
                path.unlink(missing_ok=True)
            except OSError:
                continue
        gone.append(info.path)
    return gone
