"""Orders: every action of the seat with its cost and a line of description; illegal ones
dimmed with the engine's reason; Enter (or a click) adds or removes an order; capital left
is shown as you go. Targeted actions appear once per target (the engine lists them so)."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content as Markup
from textual.markup import escape
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from wargame.engine.content import Content
from wargame.engine.game import ActionOption
from wargame.engine.resolve import format_value
from wargame.engine.state import Order
from wargame.tui.labels import role_name
from wargame.tui.widgets.safe_lists import SafeOptionList


def action_title(option: ActionOption, content: Content) -> str:
    title = option.action.title
    if option.action.target:
        title += f" → {role_name(option.action.target, content)}"
    return title


class OrdersPanel(Vertical):
    """The action list and the orders chosen so far."""

    DEFAULT_CSS = """
    OrdersPanel { height: 1fr; }
    OrdersPanel #capital { padding: 0 1; text-style: bold; width: 1fr; }
    OrdersPanel OptionList { border: none; border-left: tall $panel; padding: 0; }
    OrdersPanel OptionList:focus { border: none; border-left: tall $accent; }
    OrdersPanel #actions { height: 1fr; min-height: 4; }
    OrdersPanel #chosen { height: auto; max-height: 4; min-height: 1; }
    OrdersPanel #chosen-title { padding: 0 1; color: $text-muted; }
    /* Textual greys disabled options to $text-disabled, below 3:1 on the light theme; these
       rows carry the reason an action cannot be taken, so they stay readable. */
    OrdersPanel OptionList > .option-list--option-disabled { color: $text-muted; }
    """

    def __init__(self, content: Content, on_change: Callable[[list[Order]], None],
                 *, id: str | None = None) -> None:
        super().__init__(id=id)
        # Called with the orders as soon as they change, in the same handler as the key: a
        # message would bubble through three containers, and the screen would lay out and
        # paint the list's change, then again the preview's, for one key.
        self.on_change = on_change
        self.options: list[ActionOption] = []
        self.capital = 0.0
        self.content = content
        self.chosen: list[Order] = []
        self._by_key: dict[str, ActionOption] = {}
        # What each list shows now (id, markup, disabled): a change redraws only the lines
        # that differ, in place, instead of clearing and refilling the lists.
        self._shown_actions: list[tuple[str, str, bool]] = []
        self._shown_chosen: list[tuple[str, str, bool]] = []
        self._capital_shown = ""

    def compose(self) -> ComposeResult:
        yield Label(self._capital_text(), id="capital")
        yield OrdersList(id="actions")
        yield Label("Your orders · Enter or click removes one", id="chosen-title")
        yield OrdersList(id="chosen")

    def load(self, options: list[ActionOption], capital: float, chosen: list[Order],
             content: Content) -> None:
        """Show a new turn's actions (a new seat, or the same seat a turn later)."""
        self.options = options
        self.capital = capital
        self.content = content
        self.chosen = list(chosen)
        self._by_key = {o.order.key: o for o in options}
        actions = self.query_one("#actions", OptionList)
        actions.highlighted = None
        self._rebuild()
        first = next((i for i, o in enumerate(self.options) if o.legal), 0)
        actions.highlighted = first if self.options else None
        actions.scroll_to(y=0, animate=False)

    # -- reading -------------------------------------------------------------------------
    @property
    def spent(self) -> int:
        return sum(self._by_key[o.key].cost for o in self.chosen if o.key in self._by_key)

    @property
    def left(self) -> float:
        return self.capital - self.spent

    def _capital_text(self) -> str:
        n = len(self.chosen)
        return (f"Capital {format_value(self.capital)}¢ · {format_value(self.left)}¢ left · "
                f"{n} order{'s' if n != 1 else ''}")

    def _why_not(self, option: ActionOption) -> str:
        if not option.legal:
            return option.reason
        if option.order in self.chosen:
            return ""
        if option.cost > self.left:
            return f"costs {option.cost}¢; {format_value(self.left)}¢ left after your other orders"
        return ""

    def _cut(self, text: str, indent: int) -> str:
        """One line, cut to the list's width (the full text is in the help and the report)."""
        room = max(16, self.size.width - 4 - indent)  # 4: list border, scrollbar, margin
        return escape(text if len(text) <= room else text[: room - 1].rstrip() + "…")

    def _title(self, option: ActionOption, indent: int) -> str:
        """The action's title and target (→ Tokyo) in full: a narrow list wraps it rather
        than cut the name of what you would order."""
        if not option.action.target:
            return escape(option.action.title)
        return escape(f"{option.action.title} → {role_name(option.action.target, self.content)}")

    def _prompt(self, option: ActionOption) -> str:
        cost = f"{option.cost}¢"
        reason = self._why_not(option)
        if option.order in self.chosen:
            head = f"[$text-success]✔[/] {cost} [b]{self._title(option, 5)}[/b]"
            # No colour of its own: the cursor's colours keep it readable when highlighted.
            body = f"[b]ordered[/b] [dim]· {self._cut(option.action.text, 14)}[/]"
        elif reason:
            head = f"✘ {cost} {self._title(option, 5)}"
            body = escape(reason)  # in full: why it cannot be taken is the point
        else:
            head = f"+ {cost} [b]{self._title(option, 5)}[/b]"
            body = f"[dim]{self._cut(option.action.text, 4)}[/]"
        return f"{head}\n    {body}"

    def on_resize(self) -> None:
        if self.options:
            self._rebuild()

    def _rebuild(self) -> None:
        _fill(self.query_one("#actions", SafeOptionList), self._shown_actions, [
            (o.order.key, self._prompt(o), bool(self._why_not(o)) and o.order not in self.chosen)
            for o in self.options
        ], keep_highlight=bool(self.options))
        chosen_rows = []
        for i, order in enumerate(self.chosen):
            opt = self._by_key.get(order.key)
            title = action_title(opt, self.content) if opt else str(order)
            cost = opt.cost if opt else 0
            chosen_rows.append((f"chosen-{i}", f"{i + 1}. {escape(title)} [dim]({cost}¢)[/]",
                                False))
        if not chosen_rows:
            chosen_rows.append(("chosen-none", "none yet — submitting now passes", True))
        _fill(self.query_one("#chosen", SafeOptionList), self._shown_chosen, chosen_rows,
              keep_highlight=bool(self.chosen))
        text = self._capital_text()
        if text != self._capital_shown:
            self._capital_shown = text
            self.query_one("#capital", Label).update(text)

    # -- acting --------------------------------------------------------------------------
    def toggle(self, key: str) -> bool:
        option = self._by_key.get(key)
        if option is None:
            return False
        if option.order in self.chosen:
            self.chosen.remove(option.order)
        elif self._why_not(option):
            self.app.notify(self._why_not(option), title="Cannot add", severity="warning")
            return False
        else:
            self.chosen.append(option.order)
        self._changed()
        return True

    def remove_at(self, index: int) -> None:
        if 0 <= index < len(self.chosen):
            del self.chosen[index]
            self._changed()

    def remove_highlighted_or_last(self) -> None:
        chosen = self.query_one("#chosen", OptionList)
        if not self.chosen:
            return
        index = chosen.highlighted if chosen.has_focus and chosen.highlighted is not None else (
            len(self.chosen) - 1)
        self.remove_at(index)

    def add_highlighted(self) -> None:
        actions = self.query_one("#actions", OptionList)
        option = actions.highlighted_option
        if option is not None and option.id:
            self.toggle(option.id)

    def clear(self) -> None:
        if self.chosen:
            self.chosen.clear()
            self._changed()

    def _changed(self) -> None:
        self._rebuild()
        self.on_change(list(self.chosen))

    def choose(self, list_id: str, option_id: str) -> None:
        """Enter or a click on a row: add or remove that action, or remove that order."""
        if list_id == "actions":
            self.toggle(option_id)
        elif option_id.startswith("chosen-") and option_id != "chosen-none":
            self.remove_at(int(option_id.removeprefix("chosen-")))


class OrdersList(SafeOptionList):
    """A list of the orders panel: Enter or a click changes the orders at once. Through
    OptionList's OptionSelected message, a key typed right after Enter ("s" to submit) was
    handled before the message, and submitted the orders without the one just chosen."""

    def action_select(self) -> None:
        option = self.highlighted_option
        if option is not None and not option.disabled and self.id is not None:
            self.query_ancestor(OrdersPanel).choose(self.id, option.id or "")


def _fill(options: SafeOptionList, shown: list[tuple[str, str, bool]],
          rows: list[tuple[str, str, bool]], keep_highlight: bool) -> None:
    """Make the list show `rows` (id, markup, disabled). The same ids as before: replace only
    the prompts and states that changed (the highlight stays where it is); otherwise fill the
    list again, keeping the highlight at the same place."""
    if [r[0] for r in rows] == [r[0] for r in shown] and options.option_count == len(rows):
        prompts = {index: Markup.from_markup(new[1])
                   for index, (old, new) in enumerate(zip(shown, rows, strict=True))
                   if new[1] != old[1]}
        options.update_prompts(prompts)
        for index, (old, new) in enumerate(zip(shown, rows, strict=True)):
            if new[2] != old[2]:
                if new[2]:
                    options.disable_option_at_index(index)
                else:
                    options.enable_option_at_index(index)
    else:
        keep = options.highlighted
        options.clear_options()
        options.add_options(Option(Markup.from_markup(text), id=key, disabled=disabled)
                            for key, text, disabled in rows)
        if keep is not None and keep_highlight:
            options.highlighted = min(keep, len(rows) - 1)
    shown[:] = rows
