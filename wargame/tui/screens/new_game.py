"""New game: pick the scenario (title, years, summary, roles), each seat human or a bot kind,
and the seed."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import attrs
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from wargame.engine.content import Content
from wargame.formats.untrusted import printable
from wargame.tui.messages import OpenTitle, StartGame
from wargame.tui.screens.base import GameScreenBase
from wargame.tui.session import HUMAN, seat_kinds
from wargame.tui.widgets.key_footer import KeyFooter
from wargame.tui.widgets.safe_lists import SafeOptionList


@attrs.frozen
class ScenarioChoice:
    path: Path
    content: Content | None
    problems: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.content.title if self.content else self.path.stem


def load_choices(paths: list[Path]) -> list[ScenarioChoice]:
    from wargame.storage.content_loader import ContentError, load_content

    out = []
    for path in paths:
        try:
            out.append(ScenarioChoice(path, load_content(path)))
        except ContentError as err:
            out.append(ScenarioChoice(path, None, tuple(str(p) for p in err.problems)))
        except Exception as err:  # a file that vanished or cannot be read
            out.append(ScenarioChoice(path, None, (f"{path}: {err}",)))
    return out


def scenario_markup(choice: ScenarioChoice) -> str:
    c = choice.content
    if c is None:
        return (f"[b]{escape(printable(choice.path.name))}[/b]\n[$text-error]✘ does not load "
                f"({len(choice.problems)} problem{'s' if len(choice.problems) != 1 else ''})"
                f" — Start shows them.[/]")
    roles = ", ".join(r.name for r in c.roles)
    return (f"[b]{escape(c.title)}[/b] · {escape(c.years())} · {c.turns} turns\n"
            f"[dim]Roles: {escape(roles)}[/]\n{escape(' '.join(c.summary.split()))}")


class NewGameScreen(GameScreenBase):
    HELP = ("Choose a scenario on the left, then each seat: press a seat's button (or Enter on "
            "it) to cycle human → bot kinds. Two or more humans play hot seat. The seed fixes "
            "every roll of the dice: the same seed and orders give the same game.")
    DEFAULT_CSS = """
    NewGameScreen #ng-title { height: 1; padding: 0 1; background: $panel; }
    NewGameScreen #ng-main { height: 1fr; }
    NewGameScreen #scenarios { width: 30; height: 1fr; }
    NewGameScreen #ng-right { width: 1fr; padding: 0 1; }
    NewGameScreen #details-scroll { height: 1fr; min-height: 3; }
    NewGameScreen #seats { height: auto; }
    NewGameScreen .seat { width: 100%; margin-bottom: 0; }
    NewGameScreen #seed-row { height: auto; }
    NewGameScreen #seed-row Label { padding: 1 1 0 0; }
    NewGameScreen #seed { width: 16; }
    NewGameScreen #start { width: 100%; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+s", "start", "Start", priority=True),
        Binding("tab", "app.focus_next", "Next", show=False),
        *GameScreenBase.BINDINGS,
    ]

    def __init__(self, choices: list[ScenarioChoice], seed: int, default: str = "convenor"
                 ) -> None:
        super().__init__()
        self.choices = choices  # load_choices compiles them: the app does it off the UI thread
        self.seed = seed
        self.default = default
        self.index = next((i for i, c in enumerate(self.choices) if c.path.stem == default), 0)
        self.seats: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Static("[b]New game[/b] · scenario, seats, seed", id="ng-title")
        with Horizontal(id="ng-main"):
            yield SafeOptionList(
                *[Option(("" if c.content else "✘ ") + escape(printable(c.name)), id=str(i))
                  for i, c in enumerate(self.choices)],
                id="scenarios")
            with Vertical(id="ng-right"):
                with VerticalScroll(id="details-scroll"):
                    yield Static("", id="details")
                yield Vertical(id="seats")
                with Horizontal(id="seed-row"):
                    yield Label("Seed")
                    yield Input(str(self.seed), id="seed", type="integer", max_length=12)
                yield Button("Start ▸", id="start", variant="primary")
        yield KeyFooter()

    def on_mount(self) -> None:
        scenarios = self.query_one("#scenarios", OptionList)
        if self.choices:
            scenarios.highlighted = self.index
        self._show(self.index)
        for widget in self.query("#start"):
            widget.focus()

    @property
    def choice(self) -> ScenarioChoice | None:
        return self.choices[self.index] if 0 <= self.index < len(self.choices) else None

    def _show(self, index: int) -> None:
        self.index = index
        choice = self.choice
        details = self.query_one("#details", Static)
        if choice is None:
            details.update("[$text-error]No scenarios found.[/]")
            return
        details.update(scenario_markup(choice))
        roles = choice.content.role_ids if choice.content else ()
        old = self.seats
        self.seats = {r: old.get(r, HUMAN if i == 0 else "heuristic") for i, r in enumerate(roles)}
        box = self.query_one("#seats", Vertical)
        # The old buttons go only after this handler returns, so the new ones carry the role
        # as a name, not an id (two quick highlights would mount a second "seat-tokyo" while
        # the first is still there: DuplicateIds).
        box.remove_children()
        if choice.content is not None:
            box.mount_all(Button(self._seat_label(r), name=f"seat-{r}", classes="seat")
                          for r in roles)

    def _seat_label(self, role: str) -> str:
        content = self.choice.content if self.choice else None
        name = content.role(role).name if content else role
        kind = self.seats[role]
        return f"{name}: {'human' if kind == HUMAN else kind + ' bot'}"

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option.id is not None and int(event.option.id) != self.index:
            self._show(int(event.option.id))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        for widget in self.query("#start"):
            widget.focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        bid = event.button.id or ""
        seat = event.button.name or ""
        if bid == "start":
            self.action_start()
        elif seat.startswith("seat-") and seat.removeprefix("seat-") in self.seats:
            role = seat.removeprefix("seat-")
            kinds = seat_kinds()
            self.seats[role] = kinds[(kinds.index(self.seats[role]) + 1) % len(kinds)]
            event.button.label = self._seat_label(role)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_start()

    def action_start(self) -> None:
        choice = self.choice
        if choice is None:
            return
        text = self.query_one("#seed", Input).value.strip()
        try:
            seed = int(text)
        except ValueError:
            self.app.notify("The seed must be a whole number.", severity="error")
            return
        self.post_message(StartGame(choice.path, dict(self.seats), seed))

    def action_back(self) -> None:
        self.post_message(OpenTitle())
