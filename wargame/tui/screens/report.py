"""The resolution report: each order with its outcome code and sentence, the events and the
rules that fired, and every value that moved; `w` (or Enter on a row) explains a value."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.widgets import Button, DataTable, Footer, Label, Static

from wargame.engine.state import TurnReport
from wargame.tui.labels import fmt, fmt_delta, label
from wargame.tui.messages import ReportDone
from wargame.tui.screens.base import GameScreenBase
from wargame.tui.session import Session
from wargame.tui.widgets.preview import BAD_RESULTS


def story_markup(session: Session, report: TurnReport) -> str:
    s = session
    lines = ["[b]Orders and outcomes[/b]"]
    if not report.outcomes:
        lines.append("[dim]Every seat passed.[/]")
    for o in report.outcomes:
        target = f" → {escape(s.name(o.target))}" if o.target else ""
        style = "$text-error" if o.result in BAD_RESULTS else "$text-success"
        lines.append(f"[b]{escape(s.name(o.role))}[/b] {escape(o.action)}{target}  "
                     f"[{style}]\\[{escape(o.result)}][/]")
        lines.append(f"   {escape(o.why)}")
    silent = [r for r in s.content.role_ids if not report.orders.get(r)]
    if silent:
        lines.append("[dim]Passed: " + ", ".join(escape(s.name(r)) for r in silent) + "[/]")
    lines.append("")
    lines.append("[b]Events[/b]")
    if not report.events:
        lines.append("[dim]None this turn.[/]")
    for ev in report.events:
        lines.append(f"• [b]{escape(ev.title)}[/b] — {escape(ev.text)}")
    lines.append("")
    lines.append("[b]Rules that fired[/b]")
    for rule in report.rules:
        lines.append(f"• [$text-accent]{escape(rule.id)}[/] [dim]({escape(rule.phase)})[/] "
                     f"{escape(rule.why)}")
    lines.append("")
    scores = " · ".join(f"{escape(s.name(r))} {report.scores.get(r, 0)}"
                        for r in s.content.role_ids)
    lines.append(f"[b]Scores so far[/b]  {scores}")
    return "\n".join(lines)


class ReportScreen(GameScreenBase):
    HELP = ("What happened this turn and why. Each order shows its outcome code in brackets and "
            "the sentence that explains it. The table lists every value that moved; Enter on a "
            "row (or w) opens the why view with its full trace.")
    DEFAULT_CSS = """
    ReportScreen #report-title { height: 1; padding: 0 1; background: $panel; }
    ReportScreen #report-main { height: 1fr; }
    ReportScreen #story { width: 1fr; padding: 0 1; }
    ReportScreen #moved { width: 46; border-left: vkey $panel; }

    ReportScreen #moved-title { padding: 0 1; color: $text-muted; }
    ReportScreen #deltas { height: 1fr; }
    ReportScreen #report-buttons { height: auto; }
    ReportScreen #report-buttons Button { margin: 0 2 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "done", "Continue"),
        Binding("escape", "done", "Continue", show=False),
        Binding("w", "why", "Why"),
        Binding("h", "app.history", "History"),
        *GameScreenBase.BINDINGS,
    ]

    START_FOCUS = "#continue"

    def __init__(self, session: Session, report: TurnReport, review: bool = False) -> None:
        super().__init__()
        self.session = session
        self.report = report
        self.review = review
        self.names: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="report-title")
        with Horizontal(id="report-main"):
            with VerticalScroll(id="story"):
                yield Static("", id="story-text")
            with Vertical(id="moved"):
                yield Label("What moved · Enter or w: why", id="moved-title")
                yield DataTable(id="deltas", cursor_type="row", zebra_stripes=False)
        with Horizontal(id="report-buttons"):
            yield Button("Continue (c)", id="continue", variant="primary", compact=True)
            yield Button("Why (w)", id="why", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#deltas", DataTable).add_columns("Value", "From", "To", "Δ")
        self._ready = True
        self.load(self.report)

    def load(self, report: TurnReport) -> None:
        """Show another turn's report (the app reuses one report screen for the game)."""
        self.report = report
        if not self._ready:
            return
        r = report
        over = " · the game is over" if r.over else ""
        self.query_one("#report-title", Static).update(
            f"[b]Turn {r.turn} · {escape(r.label)} — resolved[/b]{over}")
        self.query_one("#story-text", Static).update(story_markup(self.session, r))
        self.query_one("#story", VerticalScroll).scroll_home(animate=False)
        table = self.query_one("#deltas", DataTable)
        table.clear()
        content = self.session.content
        deltas = r.deltas()
        self.names = list(deltas)
        for name, (before, after) in deltas.items():
            table.add_row(label(name, content)[:22], fmt(before), fmt(after),
                          fmt_delta(before, after), key=name)
        text = "Back (c)" if self.review else ("See the end (c)" if r.over else "Continue (c)")
        self.query_one("#continue", Button).label = text
        self.focus_start()

    def _selected(self) -> str | None:
        table = self.query_one("#deltas", DataTable)
        if not self.names:
            return None
        row = table.cursor_row if 0 <= table.cursor_row < len(self.names) else 0
        return self.names[row]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        name = event.row_key.value if event.row_key is not None else None
        self._open_why(name)

    def _open_why(self, name: str | None) -> None:
        from wargame.tui.screens.why import WhyScreen

        index = max(0, min(self.report.turn - 1, len(self.session.game.history) - 1))
        self.app.push_screen(WhyScreen(self.session, index, name))

    def action_why(self) -> None:
        self._open_why(self._selected())

    def action_done(self) -> None:
        if self.review:
            self.dismiss()
        else:
            self.post_message(ReportDone())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "continue":
            self.action_done()
        elif event.button.id == "why":
            self.action_why()
