"""The resolution report: each order with its outcome code and sentence, the events and the
rules that fired, and every value that moved; `w` (or Enter on a row) explains a value."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.widgets import Button, Label, OptionList, Static
from textual.widgets.option_list import Option

from wargame import history
from wargame.engine.resolve import format_delta, format_value
from wargame.engine.state import TurnReport
from wargame.tui.labels import label
from wargame.tui.messages import ReportDone
from wargame.tui.screens.base import GameScreenBase
from wargame.tui.session import Session
from wargame.tui.widgets.key_footer import KeyFooter
from wargame.tui.widgets.preview import BAD_RESULTS
from wargame.tui.widgets.safe_lists import SafeOptionList


def story_markup(session: Session, report: TurnReport) -> str:
    """The turn's story (wargame.history.turn_story), styled for the screen."""
    lines: list[str] = []
    for line in history.turn_story(session.content, report):
        text, detail = escape(line.text), escape(line.detail)
        if line.kind == "head":
            lines += [*([""] if lines else []), f"[b]{text}[/b]"]
        elif line.kind == "outcome":
            style = "$text-error" if line.code in BAD_RESULTS else "$text-success"
            lines += [f"{text}  [{style}]\\[{escape(line.code)}][/]", f"   {detail}"]
        elif line.kind == "event":
            lines.append(f"• [b]{text}[/b] — {detail}")
        elif line.kind == "rule":
            lines.append(f"• [$text-accent]{text}[/] [dim]({escape(line.code)})[/] {detail}")
        elif line.kind == "scores":
            lines += ["", f"[b]{text}[/b]  {detail}"]
        else:
            lines.append(f"[dim]{text}[/]")
    return "\n".join(lines)


def moved_rows(session: Session, report: TurnReport) -> tuple[str, list[tuple[str, str]]]:
    """The table of values that moved: a header line and (name, line) rows, in columns."""
    content = session.content
    cells = [(m.name, label(m.name, content)[:22], format_value(m.before), format_value(m.after),
              format_delta(m.before, m.after)) for m in history.moves(content, report)]
    widths = [max([len(head)] + [len(c[i + 1]) for c in cells])
              for i, head in enumerate(("Value", "From", "To"))]

    def line(value: str, start: str, end: str, delta: str) -> str:
        return (f"{value:<{widths[0]}}  {start:<{widths[1]}}  {end:<{widths[2]}}  "
                f"{delta}")

    return (escape(line("Value", "From", "To", "Δ")),
            [(c[0], line(*c[1:])) for c in cells])


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
    ReportScreen #moved-head { text-style: bold; background: $panel; }
    ReportScreen #deltas { height: 1fr; border: none; padding: 0; }
    ReportScreen #deltas:focus { border: none; }
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
                yield Static("", id="moved-head")
                yield SafeOptionList(id="deltas", markup=False)
        with Horizontal(id="report-buttons"):
            yield Button("Continue (c)", id="continue", variant="primary", compact=True)
            yield Button("Why (w)", id="why", compact=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self._ready = True
        self.load(self.report)

    def load(self, report: TurnReport) -> None:
        """Show another turn's report (the app reuses one report screen for the game)."""
        self.report = report
        if not self._ready:
            return
        # Shown to the humans at this screen: the bots' capital is theirs alone.
        r = self.session.seen(report)
        over = " · the game is over" if r.over else ""
        self.query_one("#report-title", Static).update(
            f"[b]Turn {r.turn} · {escape(r.label)} — resolved[/b]{over}")
        self.query_one("#story-text", Static).update(story_markup(self.session, r))
        self.query_one("#story", VerticalScroll).scroll_home(animate=False)
        # A table drawn as the lines of a list: a DataTable took 20–25 ms to paint its ~20
        # rows, a quarter of the time from "submit" to the report on screen.
        head, rows = moved_rows(self.session, r)
        self.query_one("#moved-head", Static).update(head)
        table = self.query_one("#deltas", OptionList)
        table.clear_options()
        table.add_options(Option(text, id=name) for name, text in rows)
        self.names = [name for name, _ in rows]
        if rows:
            table.highlighted = 0
        text = "Back (c)" if self.review else ("See the end (c)" if r.over else "Continue (c)")
        self.query_one("#continue", Button).label = text
        self.focus_start()

    def _selected(self) -> str | None:
        table = self.query_one("#deltas", OptionList)
        if not self.names:
            return None
        row = table.highlighted
        return self.names[row if row is not None and 0 <= row < len(self.names) else 0]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_list.id == "deltas":
            self._open_why(event.option.id)

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
