"""Textual's Footer, rebuilt only when the keys it shows change.

The stock Footer recomposes (removes and mounts a widget per key) on every change of the
screen's bindings, which is every change of focus: Tab between two lists cost 40–200 ms, most
of a key's budget, for a footer that looked the same before and after."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.screen import Screen

Shown = tuple[tuple[str, str, str, str, bool, str], ...]


class KeyFooter(Footer):
    _shown: Shown | None = None

    def _keys_shown(self, screen: Screen[object]) -> Shown:
        """What compose() would draw: every shown binding, and the command palette's."""
        app = screen.app
        keys = []
        for key, (_node, binding, enabled, tooltip) in screen.active_bindings.items():
            if binding.show or key == app.COMMAND_PALETTE_BINDING:
                keys.append((binding.key, app.get_key_display(binding), binding.description,
                             binding.action, enabled, tooltip))
        return tuple(keys)

    def bindings_changed(self, screen: Screen[object]) -> None:
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            super().bindings_changed(screen)
            return
        shown = self._keys_shown(screen)
        if shown == self._shown:
            return
        self._shown = shown
        super().bindings_changed(screen)
