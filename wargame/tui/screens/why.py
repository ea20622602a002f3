"""Why: the trace of any value in any resolved turn, as an expandable tree — which action,
rule or event moved it, by how much, with which expression and from which inputs (and, for
each input, what had moved that input earlier in the same turn)."""

from __future__ import annotations

import textwrap
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.markup import escape
from textual.widgets import OptionList, Static, Tree
from textual.widgets.option_list import Option
from textual.widgets.tree import TreeNode

from wargame.engine.resolve import format_delta, format_value
from wargame.engine.state import Change, TurnReport
from wargame.tui.labels import label
from wargame.tui.screens.base import GameScreenBase
from wargame.tui.session import Session
from wargame.tui.widgets.key_footer import KeyFooter
from wargame.tui.widgets.safe_lists import SafeOptionList, SafeTree

MAX_DEPTH = 3


class WhyScreen(GameScreenBase):
    HELP = ("Pick a value on the left (values that moved this turn come first, marked Δ); the "
            "tree on the right shows each change to it in order: who or what made it, by how "
            "much, the expression and the inputs. Expand an input to see what moved it earlier "
            "in the turn. [ and ] step through the turns.")
    DEFAULT_CSS = """
    WhyScreen #why-title { height: 1; padding: 0 1; background: $panel; }
    WhyScreen #why-main { height: 1fr; }
    WhyScreen #why-values { width: 32; border-right: vkey $panel; }
    WhyScreen #why-tree { width: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back"),
        Binding("left_square_bracket", "turn(-1)", "Prev turn", key_display="["),
        Binding("right_square_bracket", "turn(1)", "Next turn", key_display="]"),
        Binding("e", "expand_all", "Expand all"),
        Binding("tab", "app.focus_next", "Next pane", show=False),
        *GameScreenBase.BINDINGS,
    ]

    def __init__(self, session: Session, index: int, name: str | None = None) -> None:
        super().__init__()
        self.session = session
        self.index = index
        self.name_ = name

    @property
    def report(self) -> TurnReport | None:
        """The turn as the humans here may see it: no bot's capital in values or inputs."""
        history = self.session.game.history
        return self.session.seen(history[self.index]) if 0 <= self.index < len(history) else None

    def compose(self) -> ComposeResult:
        yield Static("", id="why-title")
        with Horizontal(id="why-main"):
            yield SafeOptionList(id="why-values")
            yield SafeTree("", id="why-tree")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._load_turn()
        for widget in self.query("#why-values"):
            widget.focus()

    def _names(self, report: TurnReport) -> list[str]:
        moved = list(report.deltas())
        hidden = self.session.hidden
        rest = [n for n in self.session.content.variables if n not in moved and n not in hidden]
        return moved + rest

    def _load_turn(self) -> None:
        report = self.report
        title = self.query_one("#why-title", Static)
        values = self.query_one("#why-values", OptionList)
        values.clear_options()
        if report is None:
            title.update("[b]Why[/b] · no turn resolved yet")
            self._show(None)
            return
        title.update(f"[b]Why[/b] · turn {report.turn} · {escape(report.label)} "
                     f"[dim]({self.index + 1} of {len(self.session.game.history)})[/]")
        moved = report.deltas()
        names = self._names(report)
        content = self.session.content
        for name in names:
            mark = "Δ" if name in moved else " "
            values.add_option(Option(f"{mark} {escape(label(name, content))}", id=name))
        if self.name_ not in names:
            self.name_ = names[0] if names else None
        if self.name_ is not None:
            values.highlighted = names.index(self.name_)
        self._show(self.name_)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option.id and event.option.id != self.name_:
            self.name_ = event.option.id
            self._show(self.name_)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        for widget in self.query("#why-tree"):
            widget.focus()

    # -- the tree ------------------------------------------------------------------------
    def _show(self, name: str | None) -> None:
        tree: Tree[None] = self.query_one("#why-tree", Tree)
        tree.clear()
        report = self.report
        if report is None or name is None:
            tree.root.set_label(Text("Nothing to explain yet."))
            return
        content = self.session.content
        before = report.before.get(name)
        after = report.after.get(name)
        head = f"{label(name, content)} ({name})"
        if before is not None and after is not None:
            head += f": {format_value(before)} → {format_value(after)}"
            if before != after:
                head += f" ({format_delta(before, after)})"
        tree.root.set_label(Text(head, style="bold"))
        changes = [(i, c) for i, c in enumerate(report.trace) if c.name == name]
        if not changes:
            tree.root.add_leaf(Text("no change this turn"))
        for i, change in changes:
            self._add_change(tree.root, report, i, change, 0)
        tree.root.expand()
        for child in tree.root.children:
            child.expand()

    def _add_change(self, parent: TreeNode[None], report: TurnReport, index: int, change: Change,
                    depth: int) -> None:
        node = parent.add(self._change_label(change), expand=False)
        # A tree line does not wrap: long sentences and formulas go on several lines, so
        # nothing is cut off at the right edge (at 80 columns a formula often is).
        room = max(24, self.query_one("#why-tree", Tree).size.width - 10 - 4 * depth)

        def leaves(head: str, text: str) -> None:
            lines = textwrap.wrap(text, room - len(head), break_long_words=True,
                                  break_on_hyphens=False) or [""]
            node.add_leaf(Text(f"{head}{lines[0]}"))
            for line in lines[1:]:
                node.add_leaf(Text(f"{' ' * len(head)}{line}"))

        if change.why:
            leaves("why: ", change.why)
        node.add_leaf(Text(f"{format_value(change.before)} → {format_value(change.after)}"
                           + (" (held at its bound)" if change.clamped else "")))
        if change.expr:
            leaves("amount: ", change.expr)
        for input_name, value in change.inputs:
            earlier = [(j, c) for j, c in enumerate(report.trace[:index]) if c.name == input_name]
            text = f"input {input_name} = {format_value(value)}"
            if earlier and depth < MAX_DEPTH:
                sub = node.add(Text(text + f"  ({len(earlier)} earlier change"
                                    f"{'s' if len(earlier) != 1 else ''})"), expand=False)
                for j, c in earlier:
                    self._add_change(sub, report, j, c, depth + 1)
            else:
                node.add_leaf(Text(text))
        node.add_leaf(Text(f"phase: {change.phase}", style="dim"))

    def _change_label(self, change: Change) -> Text:
        cause = self.session.cause(change)
        text = Text(format_delta(change.before, change.after), style="bold")
        text.append(f"  {cause}  ({change.source})")
        return text

    # -- actions -------------------------------------------------------------------------
    def action_turn(self, step: int) -> None:
        total = len(self.session.game.history)
        new = max(0, min(total - 1, self.index + step))
        if new != self.index:
            self.index = new
            self._load_turn()

    def action_expand_all(self) -> None:
        self.query_one("#why-tree", Tree).root.expand_all()

    def action_close(self) -> None:
        self.dismiss()
