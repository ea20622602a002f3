"""Continue a saved game: the save list of wargame.tui.replay (LoadScreen), with the guards
every screen of this app has (safe_lists.SafeScreen)."""

from __future__ import annotations

from wargame.tui.replay.load_screen import LoadScreen
from wargame.tui.widgets.safe_lists import SafeScreen


class LoadSavesScreen(SafeScreen, LoadScreen):
    """Dismissed with the path of the save to continue, or None."""
