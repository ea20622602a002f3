"""History: charts with axes (textual-plotext) of every value the rules read, approval and
favour over the turns so far, and a log of all turns."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.markup import escape
from textual.widgets import Label, Static
from textual_plotext import PlotextPlot

from wargame import charts
from wargame.engine.resolve import format_value
from wargame.tui.labels import label
from wargame.tui.screens.base import GameScreenBase
from wargame.tui.session import Session
from wargame.tui.widgets.key_footer import KeyFooter


def chart_groups(session: Session) -> list[tuple[str, list[str]]]:
    return charts.chart_groups(session.content)


def ranges_markup(session: Session, keys: list[str]) -> str:
    """Each charted value: start → now, and its lowest and highest so far."""
    lines = []
    for key in keys:
        data = session.series(key)
        lines.append(f"  {escape(label(key, session.content)):<26} {format_value(data[0]):>5} → "
                     f"{format_value(data[-1]):<5} [dim](range {format_value(min(data))}–"
                     f"{format_value(max(data))})[/]")
    return "\n".join(lines)


def draw_chart(plt: Any, session: Session, title: str, keys: list[str]) -> None:
    """One line per value over the turns, with axes: turn on x (0 = the start), the value on
    y; a legend names the lines (colour is not the only cue: each has its own marker)."""
    plt.clear_data()
    plt.clear_figure()
    markers = ("hd", "dot", "x", "+", "o", "*", "sd", "@")
    turns = len(session.game.history)
    for i, key in enumerate(keys):
        data = session.series(key)
        plt.plot(list(range(len(data))), data, label=label(key, session.content),
                 marker=markers[i % len(markers)])
    plt.xlabel("turn (0 = start)")
    plt.xticks(list(range(turns + 1)))
    plt.xlim(0, max(1, turns))


def log_markup(session: Session) -> str:
    s = session
    history = s.game.history
    if not history:
        return "[dim]No turn resolved yet.[/]"
    lines = []
    for report in history:
        lines.append(f"[b]Turn {report.turn} · {escape(report.label)}[/b]")
        for ev in report.events:
            lines.append(f"  event: {escape(ev.title)}")
        for role in s.content.role_ids:
            outs = [o for o in report.outcomes if o.role == role]
            text = ", ".join(
                f"{o.action}{'→' + o.target if o.target else ''} [{o.result}]" for o in outs)
            lines.append(f"  {escape(s.name(role))}: {escape(text) or '[dim]passed[/]'}")
        scores = " · ".join(f"{escape(s.name(r))} {report.scores.get(r, 0)}"
                            for r in s.content.role_ids)
        lines.append(f"  [dim]scores {scores}[/]")
    return "\n".join(lines)


class HistoryScreen(GameScreenBase):
    HELP = ("Charts of every value the rules read, approval and favour over the turns so far "
            "(turn 0 is the start, then after each turn), each with its values first → last "
            "and its range; below, a log of every turn.")
    DEFAULT_CSS = """
    HistoryScreen #history-title { height: 1; padding: 0 1; background: $panel; }
    HistoryScreen #history-body { height: 1fr; padding: 0 1; }
    HistoryScreen .group { text-style: bold; margin-top: 1; }
    HistoryScreen PlotextPlot { height: 16; width: 1fr; }
    HistoryScreen.narrow PlotextPlot { height: 12; }
    HistoryScreen .ranges { height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back"),
        Binding("h", "close", "Back", show=False),
        *GameScreenBase.BINDINGS,
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        s = self.session
        n = len(s.game.history)
        yield Static(f"[b]History[/b] · {escape(s.content.title)} · {n} turn"
                     f"{'s' if n != 1 else ''} resolved", id="history-title")
        with VerticalScroll(id="history-body"):
            for i, (title, keys) in enumerate(chart_groups(s)):
                yield Label(title, classes="group")
                yield PlotextPlot(id=f"chart-{i}")
                yield Static(ranges_markup(s, keys), classes="ranges")
            yield Label("Log of turns", classes="group")
            yield Static(log_markup(s), id="log")
        yield KeyFooter()

    def on_mount(self) -> None:
        s = self.session
        self.set_class(self.app.size.width < 100 or self.app.size.height < 30, "narrow")
        for i, (title, keys) in enumerate(chart_groups(s)):
            draw_chart(self.query_one(f"#chart-{i}", PlotextPlot).plt, s, title, keys)
        for widget in self.query("#history-body"):
            widget.focus()

    def action_close(self) -> None:
        self.dismiss()
