"""Text from outside the program (a scenario's title, a save's names, a file name, an agent's
rationale) on its way to a terminal. A terminal runs the control characters it is sent (ESC
sequences set the window title or clear the screen; C1 0x9b starts one too), bidi overrides
reorder what the reader sees, and a lone surrogate cannot be written as UTF-8 at all. Every
such character is shown as a visible escape (`\\x1b`, `\\u202e`, `\\ud800`), never sent.

The CLI writes through `printable`; the screens too, and pass the result to widgets as
`rich.text.Text` (or through `rich.markup.escape`), never as a markup string. In JSON text the
escapes this produces for the characters JSON leaves raw (DEL, C1, bidi, surrogates) are JSON's
own `\\uXXXX`, so a JSON document stays valid and means the same."""

from __future__ import annotations

import re

# C0 but tab and newline, DEL, C1; bidi embeddings, overrides and isolates, and the marks;
# the line and paragraph separators; lone surrogates.
_UNSAFE_IN_LINES = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff]"
)
_UNSAFE = re.compile(_UNSAFE_IN_LINES.pattern[:1] + "\t\n" + _UNSAFE_IN_LINES.pattern[1:])


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x7F else f"\\u{code:04x}"


def printable(text: str, *, lines: bool = False) -> str:
    """`text` with every character a terminal would act on written as a visible escape.
    With `lines`, newlines and tabs are kept (a report, a summary); else they are escaped
    too (a title, a name, a path on one line)."""
    return (_UNSAFE_IN_LINES if lines else _UNSAFE).sub(_escape, text)


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def first_control(text: str) -> str | None:
    """The first control character (but tab and newline) or lone surrogate in `text`, named
    for a message ("U+001B"), or None: what no text a person wrote needs, and what files
    (scenarios, saves) refuse. Bidi marks stay allowed there; `printable` escapes them."""
    m = _CONTROL.search(text)
    return None if m is None else f"U+{ord(m.group()):04X}"
