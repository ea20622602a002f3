"""The join client's own screens: the code prompt, the rationale prompt, waiting for the
other seats, a resolved turn, the end, and the umpire's and spectators' views."""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Input, Static

from wargame.engine.content import Content
from wargame.tui.labels import flags_in_force, role_name
from wargame.tui.widgets.measures import Measures
from wargame.tui.widgets.triangle import Triangle

BOX = "width: 80; max-width: 100%; height: auto; border: heavy $accent; padding: 0 1;"


def _submitted_line(submitted: Mapping[str, Any]) -> str:
    return " · ".join(f"{escape(r)} {'✔' if done else '…'}" for r, done in submitted.items())


class CodeScreen(Screen[str | None]):
    DEFAULT_CSS = f"CodeScreen {{ align: center middle; }} CodeScreen #box {{ {BOX} }}"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Quit")]

    def __init__(self, url: str, problem: str = "") -> None:
        super().__init__()
        self.url, self.problem = url, problem

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static(f"[b]Join {escape(self.url)}[/b]\nType the join code you were given "
                         "(a seat, the umpire or spectators), then Enter.")
            if self.problem:
                yield Static(f"[red]{escape(self.problem)}[/red]", id="problem")
            yield Input(placeholder="join code", id="code", password=True)
        yield Footer()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


class RationaleScreen(ModalScreen[str | None]):
    DEFAULT_CSS = (f"RationaleScreen {{ align: center middle; }} "
                   f"RationaleScreen #box {{ {BOX} }}")
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Back to orders")]

    def __init__(self, orders: list[str]) -> None:
        super().__init__()
        self.orders = orders

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static(f"[b]Send orders:[/b] {escape(', '.join(self.orders) or 'pass')}\n"
                         "Why? (optional; the umpire reads it, the other seats never do). "
                         "Enter sends, Escape goes back.")
            yield Input(placeholder="rationale", id="rationale", max_length=4000)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


class WaitingScreen(Screen[None]):
    DEFAULT_CSS = f"WaitingScreen {{ align: center middle; }} WaitingScreen #box {{ {BOX} }}"

    def __init__(self, orders: list[str], pending: Mapping[str, Any]) -> None:
        super().__init__()
        self.orders = orders
        self.submitted = {r: True for r in pending}

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static(f"[b]Orders sent:[/b] {escape(', '.join(self.orders) or 'pass')}\n"
                         "Waiting for the other seats; the turn resolves when all have "
                         "submitted.")
            yield Static(_submitted_line(self.submitted), id="who")
        yield Footer()

    def show_status(self, submitted: Mapping[str, bool]) -> None:
        self.submitted = dict(submitted)
        for who in self.query("#who").results(Static):
            who.update(_submitted_line(submitted))


def report_markup(report: Mapping[str, Any]) -> str:
    lines = [f"[b]Turn {report['turn']} · {escape(str(report['label']))}[/b]", ""]
    for e in report.get("events", []):
        lines.append(f"Event: [b]{escape(e['title'])}[/b] — {escape(e['text'])}")
    for o in report.get("outcomes", []):
        target = f" → {o['target']}" if o.get("target") else ""
        lines.append(f"{escape(o['role'])}: {escape(o['action'])}{escape(target)} — "
                     f"[b]{escape(o['result'])}[/b]: {escape(o['why'])}")
    scores = ", ".join(f"{r} {s}" for r, s in report.get("scores", {}).items())
    lines += ["", f"Scores: {escape(scores)}"]
    return "\n".join(lines)


class ReportView(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,escape,space", "close", "Continue"),
    ]

    def __init__(self, report: Mapping[str, Any], role: str) -> None:
        super().__init__()
        self.report, self.role = report, role

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(report_markup(self.report), id="report")
        yield Footer()

    def action_close(self) -> None:
        self.dismiss()


class EndView(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("q,escape", "app.request_quit", "Quit")]

    def __init__(self, scores: Mapping[str, int]) -> None:
        super().__init__()
        self.scores = scores

    def compose(self) -> ComposeResult:
        ranked = sorted(self.scores.items(), key=lambda kv: -kv[1])
        yield Static("[b]The game is over.[/b]\n\n" + "\n".join(
            f"{escape(r):<12} {s}" for r, s in ranked), id="scores")
        yield Footer()


class SpectatorScreen(Screen[None]):
    """The board as the room sees it: the home game's board and the values the rules read
    (nobody's capital), this quarter's events (the white cell's too), the last turn's report."""

    DEFAULT_CSS = """
    SpectatorScreen #main { height: 1fr; }
    SpectatorScreen #left { width: 3fr; }
    SpectatorScreen #right { width: 2fr; padding: 0 1; border-left: vkey $panel; }
    SpectatorScreen.narrow #main { layout: vertical; }
    SpectatorScreen.narrow #left, SpectatorScreen.narrow #right { width: 1fr; height: auto; }
    SpectatorScreen.narrow #right { border-left: none; }
    """

    def __init__(self, title: str, content: Content | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.content = content
        self.before: Mapping[str, Any] | None = None  # the values a turn ago, for the trends
        self.last_values: Mapping[str, Any] | None = None
        self.last_turn: int | None = None

    def compose(self) -> ComposeResult:
        yield Static(f"[b]{escape(self.title_text)}[/b] · spectator", id="head")
        yield Static("", id="who")
        with Horizontal(id="main"):
            with VerticalScroll(id="left"):
                yield Triangle(id="board")
                yield Measures(id="measures")
            with VerticalScroll(id="right"):
                yield Static("", id="events")
                yield Static("", id="last")
        yield Footer()

    last_view: Mapping[str, Any] | None = None

    def on_mount(self) -> None:
        if self.last_view is not None:
            self.show_view(self.last_view)

    def on_resize(self) -> None:
        self.set_class(self.size.width < 100, "narrow")
        self.query_one(Triangle).max_height = max(12, self.size.height // 2)

    def show_view(self, view: Mapping[str, Any]) -> None:
        if view["turn"] != self.last_turn and self.last_values is not None:
            self.before = self.last_values
        self.last_turn, self.last_values = view["turn"], view["values"]
        self.last_view = view
        if not self.is_mounted:
            return
        turns = f"/{self.content.turns}" if self.content is not None else ""
        when = ("game over" if view.get("over")
                else f"{view['label']} · turn {view['turn']}{turns}")
        self.query_one("#head", Static).update(
            f"[b]{escape(self.title_text)}[/b] · spectator · {escape(when)}")
        self.show_status(view["submitted"])
        values = view["values"]
        if self.content is not None:
            names = {r: role_name(r, self.content) for r in self.content.role_ids}
            self.query_one(Triangle).show(values, names, when,
                                          flags_in_force(values, self.content))
            self.query_one(Measures).show(self.content, values, self.before)
        else:  # a host that sent no content texts: the values as a list
            self.query_one(Measures).update("\n".join(
                f"{escape(k):<32} {v}" for k, v in sorted(values.items())))
        events = view.get("events") or []
        self.query_one("#events", Static).update("\n".join(
            ["[b]This quarter[/b]"]
            + [f"• [b]{escape(e['title'])}[/b] — {escape(e['text'])}" for e in events]
            + ([] if events else ["[dim]no events[/]"])))
        if view.get("last_report"):
            self.show_report(view["last_report"])

    def show_status(self, submitted: Mapping[str, bool]) -> None:
        for who in self.query("#who").results(Static):
            who.update(_submitted_line(submitted))

    def show_report(self, report: Mapping[str, Any]) -> None:
        for last in self.query("#last").results(Static):
            last.update("\n" + report_markup(report))

    def note_control(self, control: Mapping[str, Any]) -> None:
        from wargame.host.aar import KINDS, describe

        why = control.get("rationale") or "no reason given"
        for who in self.query("#who").results(Static):
            who.update(f"[b]White cell: {escape(KINDS.get(control['kind'], ''))}[/b] "
                       f"{escape(describe(control))} — why: {escape(why)}")


UMPIRE_HELP = ("Commands: [b]bot TABLE ROLE \\[KIND] \\[why…][/b] (a bot takes the seat) · "
               "[b]human TABLE ROLE[/b] · [b]extend TABLE SECONDS \\[why…][/b] · "
               "[b]inject TABLE EVENT \\[why…][/b] · "
               "[b]event TABLE \"TITLE\" NAME+N|NAME-N|NAME=V… \\[why…][/b] · "
               "[b]override TABLE NAME VALUE \\[why…][/b]")


class UmpireScreen(Screen[None]):
    """Every table: turn, who is still to submit, each seat's pending orders and rationale."""

    DEFAULT_CSS = "UmpireScreen DataTable { height: 1fr; } UmpireScreen #log { height: 5; }"

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[int, Mapping[str, Any]] = {}
        self.log_lines: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static("[b]White cell[/b] · " + UMPIRE_HELP, id="help")
        table: DataTable[str] = DataTable(id="tables", zebra_stripes=True)
        table.add_columns("table", "turn", "waiting for", "pending orders · rationale")
        yield table
        yield Static("", id="log")
        yield Input(placeholder="bot 1 seoul heuristic Seoul's team left", id="command")
        yield Footer()

    def on_mount(self) -> None:
        self.show_tables([])
        self.query_one("#command", Input).focus()  # the white cell types its commands

    def show_tables(self, tables: list[Mapping[str, Any]]) -> None:
        for t in tables:
            self.tables[int(t["table"])] = t
        if not self.is_mounted:
            return
        grid = self.query_one("#tables", DataTable)
        grid.clear()
        for n in sorted(self.tables):
            t = self.tables[n]
            pending = "; ".join(
                f"{r}: {', '.join(o) or 'pass'}"
                + (f" — “{t['rationale'][r]}”" if r in t.get("rationale", {}) else "")
                for r, o in t["pending"].items())
            waiting = "game over" if t["over"] else ", ".join(t["waiting"]) or "—"
            grid.add_row(str(n), f"{t['turn']} {t['label']}", waiting, pending, key=str(n))

    def note_report(self, table: int | None, report: Mapping[str, Any]) -> None:
        self.log_lines = [*self.log_lines, f"table {table}: turn {report['turn']} resolved"][-4:]
        for log in self.query("#log").results(Static):
            log.update("\n".join(self.log_lines))

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        from wargame.host.join_app import JoinApp

        try:
            words = shlex.split(event.value)
        except ValueError:
            words = event.value.split()
        msg = umpire_message(words)
        if msg is None:
            self.app.notify(UMPIRE_HELP, severity="warning", timeout=8)
            return
        event.input.value = ""
        app = self.app
        assert isinstance(app, JoinApp)
        await app.umpire_command(msg)


def umpire_message(words: list[str]) -> dict[str, Any] | None:
    """`bot 1 seoul heuristic why…`, `human 1 seoul`, `extend 1 120 why…` → a message."""
    if len(words) < 3 or not words[1].isdigit():
        return None
    verb, table = words[0].lower(), int(words[1])
    if verb in ("bot", "human"):
        kind = "human" if verb == "human" else (words[3] if len(words) > 3 else "heuristic")
        why = " ".join(words[4:]) if verb == "bot" else ""
        return {"type": "seat", "table": table, "role": words[2], "bot": kind,
                "rationale": why}
    if verb == "extend":
        try:
            seconds = float(words[2])
        except ValueError:
            return None
        return {"type": "extend", "table": table, "seconds": seconds,
                "rationale": " ".join(words[3:])}
    if verb == "inject":
        return {"type": "inject", "table": table, "event": words[2],
                "rationale": " ".join(words[3:])}
    if verb == "override" and len(words) >= 4:
        value = _typed(words[3])
        if value is None:
            return None
        return {"type": "override", "table": table, "name": words[2], "value": value,
                "rationale": " ".join(words[4:])}
    if verb == "event":
        changes = []
        rest = words[3:]
        while rest and (change := _change(rest[0])) is not None:
            changes.append(change)
            rest = rest[1:]
        if not changes:
            return None
        return {"type": "inject", "table": table, "title": words[2], "text": "",
                "changes": changes, "rationale": " ".join(rest)}
    return None


_CHANGE = re.compile(r"^([A-Za-z_][\w.]*)(\+|-|=)(.+)$")


def _typed(text: str) -> float | bool | None:
    if text.lower() in ("true", "false", "yes", "no", "on", "off"):
        return text.lower() in ("true", "yes", "on")
    try:
        return float(text)
    except ValueError:
        return None


def _change(word: str) -> dict[str, Any] | None:
    """`tokyo.approval+5`, `trade-2`, `gsomia=false` → a change of a free-text event."""
    m = _CHANGE.match(word)
    if m is None:
        return None
    name, op, raw = m.groups()
    value = _typed(raw)
    if value is None:
        return None
    if op == "=":
        return {"name": name, "set": value}
    if isinstance(value, bool):
        return None
    return {"name": name, "add": value if op == "+" else -value}
