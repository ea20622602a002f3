"""Text that comes from a file (a save's title, a scenario's name) shown on a screen."""

from __future__ import annotations


def printable(text: str) -> str:
    """Control characters (terminal escapes) and lone surrogates shown as '?'.

    Such text must also reach widgets as `rich.text.Text`, never as a markup string.
    """
    return "".join(
        "?" if (ord(c) < 32 or 0x7F <= ord(c) < 0xA0 or 0xD800 <= ord(c) < 0xE000) else c
        for c in text
    )
