"""What the chosen orders would do if the others passed: the engine's Game.preview, shown as
outcomes, warnings and the values that would end differently from passing (one engine call:
`Preview.versus_pass` already compares the orders with passing on the same dice)."""

from __future__ import annotations

from collections.abc import Mapping

from textual.markup import escape
from textual.widgets import Static

from wargame.engine.content import Content
from wargame.engine.game import Preview
from wargame.engine.resolve import format_delta, format_value
from wargame.engine.state import Value
from wargame.tui.labels import label

MAX_DELTAS = 12
BAD_RESULTS = ("refused", "backlash", "snubbed", "alone", "no_meeting")


def effect_of_orders(preview: Preview, now: Mapping[str, Value]
                     ) -> list[tuple[str, Value, Value, Value]]:
    """(name, value now, value after these orders, value after passing) for every value the
    orders change compared with passing, largest difference first."""
    rows = []
    for name, (without, with_orders) in preview.versus_pass.items():
        if with_orders != without:
            rows.append((name, now.get(name, without), with_orders, without))
    rows.sort(key=lambda r: -abs(float(r[2]) - float(r[3])))
    return rows


def preview_markup(preview: Preview | None, now: Mapping[str, Value], content: Content) -> str:
    lines = ["[b]Preview[/b] [dim]· your orders against passing, if the others pass[/]"]
    if preview is None:
        lines.append("[dim]Add orders to see what they would do.[/]")
        return "\n".join(lines)
    for warning in preview.warnings:
        lines.append(f"[$text-warning]⚠ {escape(warning)}[/]")
    for o in preview.outcomes:
        style = "$text-error" if o.result in BAD_RESULTS else "$text-success"
        lines.append(f"[{style}]\\[{escape(o.result)}][/] {escape(o.why)}")
    rows = effect_of_orders(preview, now)
    for name, current, after, without in rows[:MAX_DELTAS]:
        lines.append(f"  {escape(label(name, content))} {format_value(current)} → "
                     f"{format_value(after)} [b]{format_delta(without, after)}[/b] [dim]vs pass[/]")
    if len(rows) > MAX_DELTAS:
        lines.append(f"  [dim]… and {len(rows) - MAX_DELTAS} more[/]")
    if not rows:
        lines.append("  [dim]No value would end differently from passing.[/]")
    return "\n".join(lines)


class PreviewPanel(Static):
    DEFAULT_CSS = """
    PreviewPanel { height: auto; padding: 0 1; }
    """

    _shown: str | None = None

    def show(self, preview: Preview | None, now: Mapping[str, Value], content: Content) -> None:
        text = preview_markup(preview, now, content)
        if text != self._shown:  # the same text again: no layout, no repaint
            self._shown = text
            self.update(text)
