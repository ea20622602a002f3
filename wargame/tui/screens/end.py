"""The end: scores, who met which objective, the turning points (the largest swings and what
caused them, from the traces), and where the after-action report was written."""

from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.markup import escape
from textual.widgets import Button, Static

from wargame.engine.resolve import format_delta, format_value
from wargame.tui.labels import label
from wargame.tui.messages import OpenNewGame, OpenTitle
from wargame.tui.screens.base import GameScreenBase
from wargame.tui.session import Session
from wargame.tui.widgets.key_footer import KeyFooter


def shown_path(path: Path) -> str:
    """A path as short as it can be said: relative to the working folder when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return rel if not rel.startswith("..") else str(path)


def end_markup(session: Session) -> str:
    s = session
    c = s.content
    lines = [f"[b]Game over — {escape(c.title)}[/b] · {escape(c.years())} · seed {s.seed}", ""]
    lines.append("[b]Scores[/b]")
    ranking = s.ranking()
    top = ranking[0][1] if ranking else 0
    for place, (role, score) in enumerate(ranking, start=1):
        crown = " ★ first" if score == top else ""
        lines.append(f"  {place}. {escape(s.name(role)):<12} {score:>3}  "
                     f"[dim]({escape(s.seat_text(role))})[/]{crown}")
    lines.append("")
    lines.append("[b]Objectives[/b]")
    specs = {(o.role, o.id): o for o in c.objectives}
    for role in c.role_ids:
        lines.append(f"  [b]{escape(s.name(role))}[/b]")
        for obj in s.objectives(role):
            spec = specs.get((role, obj.id))
            each_turn = spec is not None and spec.scored == "each_turn"
            penalty = spec is not None and spec.points < 0
            if each_turn and spec is not None:
                turns = obj.points // spec.points if spec.points else 0
                met = turns == 0 if penalty else turns > 0
                how = f"{turns} turn{'s' if turns != 1 else ''}, {obj.points:+d}"
            else:
                met = not obj.holds if penalty else obj.holds
                how = f"at the end, {obj.points:+d}"
            if penalty:
                mark = "[$text-success]✔ avoided[/]" if met else "[$text-error]✘ incurred[/]"
            else:
                mark = "[$text-success]✔ met[/]" if met else "[$text-error]✘ missed[/]"
            lines.append(f"    {mark} {escape(obj.text)} [dim]({how})[/]")
    lines.append("")
    lines.append("[b]Turning points[/b] [dim](largest swings in one turn, and their causes)[/]")
    points = s.turning_points()
    if not points:
        lines.append("  [dim]Nothing moved.[/]")
    for sw in points:
        causes = "; ".join(f"{k} {format_delta(0, v)}" for k, v in sw.causes) or "no traced cause"
        lines.append(f"  • [b]{escape(sw.label)}[/b] {escape(label(sw.name, c))} "
                     f"{format_value(sw.before)} → {format_value(sw.after)} "
                     f"([b]{format_delta(sw.before, sw.after)}[/b])")
        lines.append(f"    {escape(causes)}")
    lines.append("")
    if s.report_path is not None:
        lines.append(f"After-action report written to [b]{escape(shown_path(s.report_path))}[/b]")
    return "\n".join(lines)


class EndScreen(GameScreenBase):
    HELP = ("The game is over. Scores, objectives met or missed, and the turning points, each "
            "with the actions and rules that caused it. The after-action report (Markdown) is "
            "in the save folder.")
    DEFAULT_CSS = """
    EndScreen #end-body { height: 1fr; padding: 0 1; }
    EndScreen #end-buttons { height: auto; }
    EndScreen #end-buttons Button { margin: 0 2 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_game", "New game"),
        Binding("t", "title", "Title"),
        Binding("h", "app.history", "History"),
        Binding("r", "app.last_report", "Last report"),
        Binding("w", "app.why", "Why"),
        *GameScreenBase.BINDINGS,
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="end-body"):
            yield Static(end_markup(self.session), id="end-text")
        with Horizontal(id="end-buttons"):
            yield Button("New game (n)", id="new", variant="primary", compact=True)
            yield Button("History (h)", id="history", compact=True)
            yield Button("Title (t)", id="title", compact=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        for widget in self.query("#end-body"):
            widget.focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "new":
            self.action_new_game()
        elif event.button.id == "history":
            self.app.action_history()  # type: ignore[attr-defined]
        elif event.button.id == "title":
            self.action_title()

    def action_new_game(self) -> None:
        self.post_message(OpenNewGame())

    def action_title(self) -> None:
        self.post_message(OpenTitle())
