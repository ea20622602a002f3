"""History: a sparkline of every leg, approval and favourability over the turns so far, and
a log of all turns."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.markup import escape
from textual.widgets import Label, Sparkline, Static

from wargame.engine.resolve import format_value
from wargame.tui.labels import LEGS, label
from wargame.tui.screens.base import GameScreenBase
from wargame.tui.session import Session
from wargame.tui.widgets.key_footer import KeyFooter


def chart_groups(session: Session) -> list[tuple[str, list[str]]]:
    names = session.content.variables
    roles = session.content.role_ids
    groups = [
        ("Trust on each leg", [k for k, _ in LEGS if k in names] + (
            ["cohesion"] if "cohesion" in names else [])),
        ("Approval", [f"{r}.approval" for r in roles if f"{r}.approval" in names]),
        ("Favourability", [f"{r}.favorability.{o}" for r in roles for o in roles
                           if f"{r}.favorability.{o}" in names]),
        ("Danger and trade", [n for n in ("nk_threat", "china_pressure", "trade", "us_commitment")
                              if n in names]),
    ]
    return [(title, keys) for title, keys in groups if keys]


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
    HELP = ("Every leg, approval and favourability over the turns so far (start, then after each "
            "turn), with first → last and the range; below, a log of every turn.")
    DEFAULT_CSS = """
    HistoryScreen #history-title { height: 1; padding: 0 1; background: $panel; }
    HistoryScreen #history-body { height: 1fr; padding: 0 1; }
    HistoryScreen .group { text-style: bold; margin-top: 1; }
    HistoryScreen .chart-row { height: 1; }
    HistoryScreen .chart-name { width: 24; }
    HistoryScreen .chart { width: 1fr; min-width: 8; }
    HistoryScreen .chart-range { width: 22; padding-left: 1; }
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
            for title, keys in chart_groups(s):
                yield Label(title, classes="group")
                for key in keys:
                    data = s.series(key)
                    with Horizontal(classes="chart-row"):
                        yield Label(label(key, s.content), classes="chart-name")
                        yield Sparkline(data, classes="chart")
                        yield Label(f"{format_value(data[0])} → {format_value(data[-1])} "
                                    f"({format_value(min(data))}–{format_value(max(data))})",
                                    classes="chart-range")
            yield Label("Log of turns", classes="group")
            yield Static(log_markup(s), id="log")
        yield KeyFooter()

    def on_mount(self) -> None:
        for widget in self.query("#history-body"):
            widget.focus()

    def action_close(self) -> None:
        self.dismiss()
