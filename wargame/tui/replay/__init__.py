"""The replay viewer (`wargame replay SAVE`) and the load screen: owned by the saves layer.

`ReplayApp` runs the viewer on its own; `ReplayScreen` and `LoadScreen` can be pushed by the
game app (see app.py and load_screen.py)."""

from wargame.tui.replay.app import ReplayApp, ReplayScreen
from wargame.tui.replay.load_screen import LoadScreen

__all__ = ["LoadScreen", "ReplayApp", "ReplayScreen"]
