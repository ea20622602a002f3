"""The replay viewer: step through a saved game, seen by all or by one role, and fork a what-if.

Keys: Home first, ← back, → forward, End last, Space play/pause (a turn a second), g jump to a
turn, v cycle the viewpoint (all → each role), f fork from here, q quit. The right pane is the
why-trace: the turn's changes grouped by value, each with its cause, amount and inputs.

It reads a `Replay` (wargame.storage.saves), which resolves turns on demand from the nearest
snapshot, so a long game opens at once.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Static, Tree

from wargame import history
from wargame.engine.resolve import format_delta, format_value, objective_status
from wargame.engine.state import Change, TurnReport, Value
from wargame.engine.visibility import report_as
from wargame.formats.untrusted import printable
from wargame.storage.saves import Replay, SaveError
from wargame.tui.labels import flags_in_force
from wargame.tui.widgets.preview import BAD_RESULTS
from wargame.tui.widgets.triangle import Triangle

ALL = "all"
REPLAY_HELP = (
    "A saved game, turn by turn: the board after the turn, its events, orders and outcomes "
    "on the left; on the right, why each value moved (open a value with Enter to see each "
    "change, its cause and inputs). v shows the game as one role saw it; f forks a what-if "
    "game from the turn shown, to continue in the game."
)



def _v(v: Value) -> str:
    return format_value(v)



class WhyTree(Tree[None], inherit_bindings=False):
    """The why-trace. Its own keys are only the cursor and Enter, so Space, Home, End and the
    arrows stay the viewer's."""

    BINDINGS = [  # noqa: RUF012 (Textual's class-level binding list)
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("enter", "toggle_node", "Toggle", show=False),
    ]


class Pane(VerticalScroll, can_focus=False):
    """The turn's text; scrolled with PageUp/PageDown (or the mouse) from anywhere."""


class ReplayScreen(Screen[Path | None]):
    """The saved game, turn by turn. Pushed by `ReplayApp` (`wargame replay SAVE`), and usable
    from the game app too: it is dismissed with the path of the last fork (or None)."""

    DEFAULT_CSS = """
    ReplayScreen #status { height: auto; padding: 0 1; background: $panel; }
    ReplayScreen #warning { height: auto; padding: 0 1; color: $error; display: none; }
    ReplayScreen #main { height: 1fr; }
    ReplayScreen #left { width: 3fr; padding: 0 1; }
    ReplayScreen #why { width: 2fr; border-left: solid $panel-lighten-2; }
    ReplayScreen #jump { display: none; dock: bottom; margin-bottom: 1; }
    """
    BINDINGS = [  # noqa: RUF012
        Binding("home", "first_turn", "First", priority=True),
        Binding("left", "step_back", "Back", priority=True),
        Binding("right", "step_forward", "Fwd", priority=True),
        Binding("end", "last_turn", "Last", priority=True),
        Binding("space", "play", "Play", priority=True),
        Binding("g", "jump", "Jump"),
        Binding("v", "viewpoint", "View"),
        Binding("f", "fork", "Fork"),
        Binding("q", "close", "Quit"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("escape", "cancel_jump", "Cancel", show=False),
        Binding("pageup", "scroll_left_up", "Scroll up", show=False),
        Binding("pagedown", "scroll_left_down", "Scroll down", show=False),
    ]

    def __init__(
        self, replay: Replay, role: str | None = None, fork_folder: Path | None = None
    ) -> None:
        super().__init__()
        self.replay = replay
        self.content = replay.content
        self.locked = role is not None
        self.viewpoint = role if role is not None else ALL
        self.position = 1 if replay.turns else 0
        self.playing = False
        self.timer: Timer | None = None
        self.tick_seconds = 1.0  # a turn a second while playing
        self.fork_folder = fork_folder
        self.last_fork: Path | None = None
        self.message = ""

    # -- layout --------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(id="status")
        yield Static(id="warning")
        with Horizontal(id="main"):
            with Pane(id="left"):
                yield Triangle(id="board")
                yield Static(id="turn")
            yield WhyTree(Text("why"), id="why")
        yield Input(placeholder=f"jump to turn (1–{self.replay.turns}), Enter", id="jump")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(WhyTree).focus()
        self.show()

    # -- what is shown -------------------------------------------------------------------
    def sees_all(self) -> bool:
        return self.viewpoint == ALL

    def status_text(self) -> Text:
        n = self.replay.turns
        t = Text()
        t.append(f"{self.content.title}", style="bold")
        if n == 0:
            t.append("  no turns were played in this game")
            return t
        rep = self.replay.report(self.position)
        t.append(f"  turn {self.position}/{n} · {rep.label}")
        who = "all" if self.sees_all() else self.content.role_name(self.viewpoint)
        t.append(f"  · seen by: {who}{' (--as)' if self.locked else ''}")
        t.append("  ▶ playing" if self.playing else "  ❚❚ paused", style="bold")
        if self.message:
            t.append(f"\n{self.message}", style="italic")
        return t

    def seen(self, turn: int) -> TurnReport:
        """A turn as the viewpoint saw it (engine.visibility): a role sees no other role's
        capital, in values, inputs or refusal reasons."""
        rep = self.replay.report(turn)
        return rep if self.sees_all() else report_as(self.content, rep, self.viewpoint)

    def turn_text(self) -> Text:
        c = self.content
        out = Text()
        if self.replay.turns == 0:
            out.append("Nothing to show yet: the save has no resolved turns.")
            return out
        rep = self.seen(self.position)
        role = None if self.sees_all() else self.viewpoint
        for line in history.turn_story(c, rep):
            if line.kind == "head":
                out.append(f"{line.text}\n", style="bold underline")
            elif line.kind == "outcome":
                out.append(f"  {line.text}: ")
                out.append(line.code, style="red" if line.code in BAD_RESULTS else "green")
                out.append(f" — {line.detail}\n")
            elif line.kind in ("event", "rule"):
                out.append(f"  • {line.text}", style="bold")
                out.append(f" — {line.detail}\n")
            elif line.kind == "scores" and role is None:
                out.append(f"{line.text}\n", style="bold underline")
                out.append(f"  {line.detail}\n")
            elif line.kind != "scores":
                out.append(f"  {line.text}\n", style="dim")
        out.append("Changes\n", style="bold underline")
        moved = history.moves(c, rep)
        if not moved:
            out.append("  nothing moved\n")
        for m in moved:
            out.append(f"  {m.name} {_v(m.before)} → {_v(m.after)} ")
            out.append(f"({format_delta(m.before, m.after)})\n", style="cyan")
        if role is not None:
            out.append(f"{c.role_name(role)}'s objectives\n", style="bold underline")
            out.append(f"  score {rep.scores.get(role, 0)}\n")
            state = self.replay.state(self.position)
            for _id, text, holds, points in objective_status(c, state, role):
                out.append(f"  [{'x' if holds else ' '}] {text} ({points})\n")
        out.append("Values after the turn\n", style="bold underline")
        for name, value in rep.after.items():
            out.append(f"  {name} = {_v(value)}\n")
        return out

    def fill_tree(self, tree: Tree[None], rep: TurnReport) -> None:
        tree.clear()
        tree.root.set_label(Text(f"why · turn {rep.turn} ({rep.label})"))
        groups: dict[str, list[Change]] = {}
        for change in rep.trace:
            groups.setdefault(change.name, []).append(change)
        for name, changes in groups.items():
            first, last = changes[0].before, changes[-1].after
            node = tree.root.add(
                Text(f"{name} {_v(first)} → {_v(last)} ({format_delta(first, last)})"), expand=True
            )
            for ch in changes:
                label = Text(f"{format_delta(ch.before, ch.after)} "
                             f"{history.cause(self.content, ch)}")
                label.append(f" [{ch.phase}]", style="dim")
                if ch.clamped:
                    label.append(" (clamped)", style="yellow")
                leaf = node.add(label, expand=False)
                if ch.why:
                    leaf.add_leaf(Text(ch.why))
                inputs = ", ".join(f"{k}={_v(v)}" for k, v in ch.inputs)
                leaf.add_leaf(Text(f"= {ch.expr}" + (f"  with {inputs}" if inputs else "")))
        tree.root.expand()

    def show(self) -> None:
        self.query_one("#status", Static).update(self.status_text())
        self.query_one("#turn", Static).update(self.turn_text())
        board = self.query_one(Triangle)
        if self.replay.turns:
            rep = self.seen(self.position)
            names = {r: self.content.role_name(r) for r in self.content.role_ids}
            board.show(rep.after, names, f"after turn {self.position} · {rep.label}",
                       flags_in_force(rep.after, self.content))
        board.display = bool(self.replay.turns)
        warning = self.query_one("#warning", Static)
        note = self.replay.diverged.get(self.position) if self.replay.turns else None
        warning.display = note is not None
        if note is not None:
            warning.update(Text(f"⚠ this turn does not replay as saved: {note}"))
        tree = self.query_one(WhyTree)
        if self.replay.turns:
            self.fill_tree(tree, self.seen(self.position))
        else:
            tree.clear()

    def go(self, position: int) -> None:
        if self.replay.turns == 0:
            return
        self.position = max(1, min(self.replay.turns, position))
        self.message = ""
        self.show()

    # -- actions -------------------------------------------------------------------------
    def action_help(self) -> None:
        from wargame.tui.screens.help import HelpScreen

        if isinstance(self.app.screen, HelpScreen):
            return
        keys = [(b.key_display or b.key, b.description) for b in self.BINDINGS
                if isinstance(b, Binding) and b.show]
        self.app.push_screen(HelpScreen(REPLAY_HELP, keys))

    def action_first_turn(self) -> None:
        self.go(1)

    def action_last_turn(self) -> None:
        self.go(self.replay.turns)

    def action_step_back(self) -> None:
        self.go(self.position - 1)

    def action_step_forward(self) -> None:
        self.go(self.position + 1)

    def action_play(self) -> None:
        if self.replay.turns == 0:
            return
        if self.playing:
            self._pause()
        else:
            if self.position >= self.replay.turns:
                self.position = 1
            self.playing = True
            self.timer = self.set_interval(self.tick_seconds, self._tick)
        self.show()

    def _pause(self) -> None:
        self.playing = False
        if self.timer is not None:
            self.timer.stop()
            self.timer = None

    def _tick(self) -> None:
        if self.position >= self.replay.turns:
            self._pause()
            self.show()
            return
        self.go(self.position + 1)

    def action_jump(self) -> None:
        box = self.query_one("#jump", Input)
        box.display = True
        box.value = ""
        box.focus()

    def action_cancel_jump(self) -> None:
        box = self.query_one("#jump", Input)
        if box.display:
            box.display = False
            self.query_one(WhyTree).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        try:
            turn = int(text)
        except ValueError:
            turn = -1
        if not 1 <= turn <= self.replay.turns:
            self.app.notify(f"no turn {text!r}: give 1 to {self.replay.turns}", severity="error")
            return
        self.action_cancel_jump()
        self.go(turn)

    def action_viewpoint(self) -> None:
        if self.locked:
            self.app.notify("the viewpoint is fixed by --as", severity="warning")
            return
        order = [ALL, *self.content.role_ids]
        self.viewpoint = order[(order.index(self.viewpoint) + 1) % len(order)]
        self.show()

    def action_fork(self) -> None:
        if self.replay.turns == 0:
            return
        try:
            path = self.replay.fork(self.position, folder=self.fork_folder)
        except SaveError as err:
            self.app.notify(err.message, severity="error", timeout=8)
            return
        self.last_fork = path
        self.message = (
            f"forked at turn {self.position}: {path} "
            f"(a new game waiting for turn {self.position}'s orders)"
        )
        self.app.notify(f"what-if saved: {printable(str(path))}", timeout=8, markup=False)
        self.show()

    def action_close(self) -> None:
        self._pause()
        if isinstance(self.app, ReplayApp):
            self.app.exit()
        else:
            self.dismiss(self.last_fork)

    def action_scroll_left_up(self) -> None:
        self.query_one("#left", Pane).scroll_page_up()

    def action_scroll_left_down(self) -> None:
        self.query_one("#left", Pane).scroll_page_down()


class ReplayApp(App[None]):
    """`wargame replay SAVE`: the replay screen on its own."""

    TITLE = "wargame replay"
    ENABLE_COMMAND_PALETTE = False

    def __init__(
        self, replay: Replay, role: str | None = None, fork_folder: Path | None = None
    ) -> None:
        super().__init__()
        self.replay = replay
        self.view = ReplayScreen(replay, role, fork_folder)

    def on_mount(self) -> None:
        self.sub_title = f"{self.replay.content.title} · {printable(self.replay.path.name)}"
        self.push_screen(self.view)
