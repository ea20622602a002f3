"""Every value the loaded content reads (wargame.engine.reads), with its trend since the last
turn and a band word from the content's own thresholds: what a player needs to see why a
number moved and what the rules and objectives turn on."""

from __future__ import annotations

from collections.abc import Mapping

from rich.cells import cell_len
from textual.markup import escape
from textual.widgets import Static

from wargame.engine.content import Content
from wargame.engine.reads import ReadValue, band, read_values
from wargame.engine.resolve import format_delta, format_value
from wargame.engine.state import Value
from wargame.tui.labels import label

_CACHE: dict[str, tuple[ReadValue, ...]] = {}


def board_values(content: Content) -> tuple[ReadValue, ...]:
    """The content's read values, worked out once per content."""
    key = content.content_hash
    if key not in _CACHE:
        _CACHE[key] = read_values(content)
    return _CACHE[key]


def trend(before: Value | None, now: Value) -> tuple[str, str]:
    """An arrow and change since the last turn, with a style (no change: a dim '='); words
    carry the meaning (up/down arrows and a sign), not colour."""
    if before is None or before == now:
        return "=", "dim"
    if isinstance(now, bool) or isinstance(before, bool):
        return ("now on" if now else "now off"), "b"
    text = format_delta(before, now)
    if text == "±0":
        return "=", "dim"
    return (f"▲{text}" if float(now) > float(before) else f"▼{text}"), "b"


def threshold_note(read: ReadValue, value: Value) -> str:
    """The nearest threshold the content compares the value with: 'next 70'."""
    if isinstance(value, bool) or not read.thresholds:
        return ""
    nearest = min(read.thresholds, key=lambda t: abs(t - float(value)))
    return f"rule at {format_value(nearest)}"


def measures_markup(content: Content, now: Mapping[str, Value],
                    before: Mapping[str, Value] | None, width: int = 40) -> str:
    reads = board_values(content)
    numbers = [r for r in reads if not content.variables[r.name].is_flag and r.name in now]
    flags = [r for r in reads if content.variables[r.name].is_flag and r.name in now]
    longest = max((cell_len(label(r.name, content)) for r in numbers), default=8)
    # name, value (5), trend (6), band word (up to 8), spaces (3): names give
    # way on a narrow column
    name_w = max(8, min(22, longest, width - 22))
    wide = width >= name_w + 22 + 12
    what = "change since last turn" if before is not None else "before turn 1"
    lines = [f"[b]What the rules read[/b] [dim]· {what}[/]"]
    for r in numbers:
        var = content.variables[r.name]
        value = now[r.name]
        arrow, style = trend(before.get(r.name) if before else None, value)
        word = band(value, r.thresholds, var.min, var.max)
        name = label(r.name, content)
        if cell_len(name) > name_w:
            name = name[: name_w - 1] + "…"
        note = f" [dim]{threshold_note(r, value)}[/]" if wide and r.thresholds else ""
        lines.append(f"{escape(name):<{name_w}} {format_value(value):>5} "
                     f"[{style}]{arrow:<6}[/] {word}{note}")
    if flags:
        parts = []
        for r in flags:
            value = now[r.name]
            arrow, _ = trend(before.get(r.name) if before else None, value)
            changed = "" if arrow == "=" else f" (was {'off' if value else 'on'})"
            parts.append(f"{escape(label(r.name, content))} "
                         f"[b]{'on' if value else 'off'}[/b]{changed}")
        lines.append("Flags: " + " · ".join(parts))
    return "\n".join(lines)


class Measures(Static):
    DEFAULT_CSS = """
    Measures { height: auto; padding: 0 1; margin-bottom: 1; }
    """

    _shown: str | None = None
    _args: tuple[Content, Mapping[str, Value], Mapping[str, Value] | None] | None = None

    def show(self, content: Content, now: Mapping[str, Value],
             before: Mapping[str, Value] | None) -> None:
        self._args = (content, now, before)
        self._draw()

    def _draw(self) -> None:
        if self._args is None:
            return
        text = measures_markup(*self._args, width=self.size.width or 40)
        if text != self._shown:
            self._shown = text
            self.update(text)

    def on_resize(self) -> None:
        self._draw()
