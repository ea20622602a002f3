"""What the chosen orders would do, in two cases: if the others pass, and if the others play
as their bots would (their likely replies, worked out off the UI thread). Both come from one
engine call, Game.preview; each case lists outcomes, warnings (saying which case they refer
to) and the values that would end differently from passing."""

from __future__ import annotations

from collections.abc import Mapping

from textual.markup import escape
from textual.widgets import Static

from wargame.engine.content import Content
from wargame.engine.game import Preview
from wargame.engine.resolve import format_delta, format_value
from wargame.engine.state import Order, Value
from wargame.tui.labels import label

MAX_DELTAS = 8
BAD_RESULTS = ("refused", "backlash", "snubbed", "alone", "no_meeting")
IF_PASS = "if the others pass"
IF_LIKELY = "if the others play as their bots would"


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


def _replies_text(others: Mapping[str, tuple[Order, ...]], content: Content) -> str:
    parts = []
    for role, orders in others.items():
        titles = []
        for o in orders:
            action = content.action(role, o.key)
            titles.append(action.title if action is not None else o.key)
        parts.append(f"{content.role_name(role)}: {', '.join(titles) or 'pass'}")
    return "; ".join(parts)


def _case(lines: list[str], preview: Preview, now: Mapping[str, Value], content: Content,
          warnings: list[str]) -> None:
    for warning in warnings:
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


def preview_markup(preview: Preview | None, now: Mapping[str, Value], content: Content,
                   thinking: bool = False) -> str:
    lines = ["[b]Preview[/b] [dim]· your orders compared with passing[/]"]
    if preview is None:
        lines.append("[dim]Add orders to see what they would do.[/]")
        return "\n".join(lines)
    likely = preview.likely
    both = [w for w in preview.warnings if likely is not None and w in likely.warnings]
    only_pass = [w for w in preview.warnings if w not in both]
    for warning in both:
        lines.append(f"[$text-warning]⚠ {escape(warning)}[/] [dim](in both cases)[/]")
    if likely is None:
        lines.append(f"[b]{IF_LIKELY.capitalize()}:[/b]")
        lines.append("  [dim]working out their likely replies…[/]" if thinking
                     else "  [dim]not available[/]")
    else:
        lines.append(f"[b]{IF_LIKELY.capitalize()}[/b] "
                     f"[dim]({escape(_replies_text(preview.others, content))}):[/]")
        only_likely = [w for w in likely.warnings if w not in both]
        _case(lines, likely, now, content, [f"{w} ({IF_LIKELY})" for w in only_likely])
    lines.append("")
    lines.append(f"[b]{IF_PASS.capitalize()}:[/b]")
    _case(lines, preview, now, content,
          [f"{w} ({IF_PASS})" if likely is not None else w for w in only_pass])
    return "\n".join(lines)


class PreviewPanel(Static):
    DEFAULT_CSS = """
    PreviewPanel { height: auto; padding: 0 1; }
    """

    _shown: str | None = None

    def show(self, preview: Preview | None, now: Mapping[str, Value], content: Content,
             thinking: bool = False) -> None:
        text = preview_markup(preview, now, content, thinking)
        if text != self._shown:  # the same text again: no layout, no repaint
            self._shown = text
            self.update(text)
