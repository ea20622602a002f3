"""The terminal game (Textual). Screens and widgets show what the engine's public API returns."""
