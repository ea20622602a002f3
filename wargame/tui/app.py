"""The app is the hub: screens post messages, the app moves the game on and picks the next
screen. It holds the Session (engine Game + seats) and nothing else of the game's state."""

from __future__ import annotations

import gc
import os
import random
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, TypeVar

from textual.app import App, SystemCommand
from textual.await_complete import AwaitComplete
from textual.binding import Binding, BindingType
from textual.screen import Screen

from wargame.engine.game import OrderError
from wargame.engine.state import TurnReport
from wargame.formats.untrusted import printable
from wargame.storage.saves import save_dir
from wargame.tui import messages as msg
from wargame.tui import saving
from wargame.tui.saving import SaveSlot
from wargame.tui.screens.end import EndScreen
from wargame.tui.screens.game import GameScreen
from wargame.tui.screens.handoff import HandoffScreen
from wargame.tui.screens.help import HelpScreen
from wargame.tui.screens.history import HistoryScreen
from wargame.tui.screens.load_error import LoadErrorScreen
from wargame.tui.screens.loading import load_in_background
from wargame.tui.screens.quit import QuitScreen
from wargame.tui.screens.report import ReportScreen
from wargame.tui.screens.save_as import SaveAsScreen
from wargame.tui.screens.sources import SourcesScreen
from wargame.tui.screens.thinking import ThinkingScreen
from wargame.tui.screens.title import TitleScreen
from wargame.tui.screens.why import WhyScreen
from wargame.tui.session import Session
from wargame.tui.widgets.safe_lists import BlankScreen, SafeCommandPalette, nothing_to_await

if TYPE_CHECKING:
    from textual.command import CommandListItem
    from textual.widget import AwaitMount

DEFAULT_SCENARIO = "convenor"
T = TypeVar("T")


def new_seed() -> int:
    return random.SystemRandom().randrange(1, 1_000_000)


def settle_memory() -> None:
    """Collect garbage now, at a quiet moment (the title or a new game's first screen has
    just been painted), and freeze what is left: the modules, the scenario and the screens
    kept for the game. Python's full collections then walk only what was made since, so they
    take a few ms instead of 40–80 ms, pauses that otherwise land on a key now and then. The
    next game unfreezes first, so nothing of an old game is kept for good."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


class WargameApp(App[int]):
    TITLE = "wargame"
    SUB_TITLE = "Washington · Tokyo · Seoul"
    ENABLE_COMMAND_PALETTE = True
    # textual-light draws the footer's keys in #0178D4 on its #D0D0D0 panel, under 3:1; the
    # theme's own colour for readable primary text gives them well over that.
    CSS = """
    App.-light-mode FooterKey .footer-key--key { color: $text-primary; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "request_quit", "Quit", show=False, priority=True),
        Binding("ctrl+c", "request_quit", "Quit", show=False, priority=True),
        Binding("ctrl+s", "save_as", "Save", show=False),
    ]

    def __init__(self, *, save_folder: Path | None = None, seed: int | None = None,
                 start: Session | None = None, error: tuple[str, list[str]] | None = None,
                 default_scenario: str = DEFAULT_SCENARIO, brief: bool = False) -> None:
        super().__init__()
        self._brief = brief  # show the scenario's summary and sources when `start` begins
        self.save_folder = save_folder if save_folder is not None else save_dir()
        self.fixed_seed = seed
        self.session: Session | None = None
        self._start = start
        self._error = error
        self.default_scenario = default_scenario
        self._generation = 0
        self._installed: list[str] = []
        self.slot: SaveSlot | None = None  # how the current session is saved
        self._thinking: tuple[int, int, int] | None = None  # the turn bots are deciding
        self._resolve_after_dialog: msg.BotsDone | None = None

    # -- start ---------------------------------------------------------------------------
    def get_default_screen(self) -> Screen[None]:
        return BlankScreen(id="_default")

    def on_mount(self) -> None:
        self.push_screen(self._title_screen())
        if self._error is not None:
            title, problems = self._error
            self.push_screen(LoadErrorScreen(title, problems))
        elif self._start is not None:
            self.begin(self._start, brief=self._brief)
        if self._start is None:
            self.call_after_refresh(settle_memory)

    def on_unmount(self) -> None:
        gc.unfreeze()

    def _title_screen(self) -> TitleScreen:
        return TitleScreen(self._default_title(), resume=saving.resumable(self.save_folder))

    def _default_title(self) -> str:
        return "The Convenor" if self.default_scenario == "convenor" else self.default_scenario

    def seed(self) -> int:
        return self.fixed_seed if self.fixed_seed is not None else new_seed()

    def begin(self, session: Session, slot: SaveSlot | None = None, brief: bool = False) -> None:
        """Put a new session at the table and show its first seat (or hand-off); with
        `brief`, the scenario's summary and sources on top, Enter to begin."""
        self.session = session
        self.slot = slot if slot is not None else saving.new_slot(session, self.save_folder)
        self._generation += 1
        self.next_step()
        folder = self.save_folder
        self.run_worker(partial(saving.prune_autosaves, folder), thread=True,
                        name="prune", group="prune", exit_on_error=False)
        if brief and session.humans:
            self.push_screen(SourcesScreen(session.content, self._seats_text(session),
                                           start=True))
        self.call_after_refresh(settle_memory)

    def _seats_text(self, s: Session) -> str:
        def who(role: str) -> str:
            return "you" if role in s.humans and not s.hot_seat else s.seat_text(role)

        return " · ".join(f"{s.name(r)}: {who(r)}" for r in s.content.role_ids)

    def action_sources(self) -> None:
        s = self.session
        if s is None or any(isinstance(x, SourcesScreen) for x in self.screen_stack):
            return
        self.push_screen(SourcesScreen(s.content, self._seats_text(s)))

    # The stack is always [the default screen, the main screen, screens on top…]: `show`
    # switches the main screen, the others are pushed and dismissed, nothing pops the main one.
    MAIN_DEPTH: ClassVar[int] = 2

    def _drop_screens_on_top(self) -> None:
        """Pop every screen above the main one."""
        while len(self.screen_stack) > self.MAIN_DEPTH:
            self.pop_screen()

    def show(self, screen: Screen[None]) -> None:
        """Make `screen` the main screen, dropping every screen on top of it."""
        self._drop_screens_on_top()
        if len(self.screen_stack) < self.MAIN_DEPTH:
            self.push_screen(screen)
        elif self.screen is not screen:
            self.switch_screen(screen)
        self.call_later(self._drop_unused)

    def show_over_seat(self, screen: Screen[None]) -> None:
        """Show a screen on top of the seat just played (the report): going back to that seat
        is then a pop, which Textual does without restyling the whole game screen as a switch
        would. Anywhere else it becomes the main screen."""
        stack = self.screen_stack
        main = stack[self.MAIN_DEPTH - 1] if len(stack) >= self.MAIN_DEPTH else None
        if not isinstance(main, GameScreen) or screen in stack:
            self.show(screen)
            return
        self._drop_screens_on_top()
        self.push_screen(screen)

    def pop_screen(self) -> AwaitComplete:
        """Pop the top screen, but never the main screen or the one under it: Textual's
        `Screen.dismiss` pops whatever is on top, so a late or repeated dismiss (a queued key
        for a dialog that is already gone) would otherwise take the main screen, then the last
        one ("No screens on stack")."""
        if len(self.screen_stack) <= self.MAIN_DEPTH:
            self.log.warning(f"not popping the main screen {self.screen!r}")
            return nothing_to_await()
        return super().pop_screen()

    def reused(self, key: str, make: Callable[[], Screen[None]]) -> Screen[None]:
        """The game's screen for `key`, built once per game and kept installed: switching to a
        kept screen and reloading it is several times faster than composing a new one."""
        name = f"wg{self._generation}-{key}"
        if not self.is_screen_installed(name):
            self.install_screen(make(), name)
            self._installed.append(name)
        return self.get_screen(name)

    def _drop_unused(self) -> None:
        prefix = f"wg{self._generation}-"
        stack = set(self.screen_stack)
        for name in list(self._installed):
            if name.startswith(prefix) and self.session is not None:
                continue
            if self.get_screen(name) not in stack:
                self.uninstall_screen(name)
                self._installed.remove(name)

    def next_step(self) -> None:
        s = self.session
        if s is None:
            self.show(self._title_screen())
            return
        if s.game.is_over():
            self.show(EndScreen(s))
            return
        role = s.waiting_for()
        if role is None:  # every human has submitted (or there are none): the bots play
            self.resolve_soon()
            return
        if s.hot_seat:
            submitted = [s.name(r) for r in s.humans if r in s.game.pending]
            note = (f"Orders in from: {', '.join(submitted)}." if submitted else "")
            handoff = self.reused("handoff", lambda: HandoffScreen(role, s.name(role),
                                                                   s.turn_text(), note))
            assert isinstance(handoff, HandoffScreen)
            handoff.load(role, s.name(role), s.turn_text(), note)
            self.show(handoff)
        else:
            self.show_seat(role)

    def show_seat(self, role: str) -> None:
        s = self.session
        assert s is not None
        screen = self.reused(f"game-{role}", lambda: GameScreen(s, role))
        assert isinstance(screen, GameScreen)
        screen.load()
        self.show(screen)

    # -- bots think off the UI thread ----------------------------------------------------
    THINKING_DELAY: ClassVar[float] = 0.15
    """Seconds before the "thinking…" screen appears: quick bots never flash it."""

    def resolve_soon(self) -> None:
        """Let the non-human seats choose in a worker thread (on a clone of the game, so the
        UI keeps answering keys), then resolve the turn here, on the UI thread."""
        s = self.session
        assert s is not None
        ticket = (self._generation, s.game.turn, len(s.game.history))
        if self._thinking == ticket:
            return  # already thinking about this turn
        self._thinking = ticket
        game = s.game.clone()

        def think() -> None:
            orders = s.bot_orders(game)
            self.post_message(msg.BotsDone(ticket, orders))

        self.run_worker(think, name="bots", group="bots", thread=True, exit_on_error=False)
        self.set_timer(self.THINKING_DELAY, partial(self._show_thinking, ticket))

    async def settle(self) -> None:
        """Wait until no seat is thinking and nothing is loading (tests and benchmarks drive
        the app by keys; a pilot's pause() afterwards lets the turn's report, or the loaded
        game, reach the screen)."""
        await self.workers.wait_for_complete()

    def _current_ticket(self) -> tuple[int, int, int] | None:
        s = self.session
        if s is None:
            return None
        return (self._generation, s.game.turn, len(s.game.history))

    def _show_thinking(self, ticket: tuple[int, int, int]) -> None:
        s = self.session
        if s is None or self._thinking != ticket or self._current_ticket() != ticket:
            return
        if any(isinstance(x, ThinkingScreen) for x in self.screen_stack):
            return
        self.push_screen(ThinkingScreen([s.name(r) for r in s.bots]))

    def on_bots_done(self, message: msg.BotsDone) -> None:
        s = self.session
        ticket = message.ticket
        if self._thinking == ticket:
            self._thinking = None
        if s is None or self._current_ticket() != ticket or s.waiting_for() is not None:
            return  # the game moved on (new game, take-back) while they thought
        if any(isinstance(x, QuitScreen) for x in self.screen_stack):
            self._resolve_after_dialog = message  # the player is asked something: wait
            return
        # The report replaces the thinking screen and anything opened on top of it.
        self.turn_resolved(s.resolve(message.orders))

    def turn_resolved(self, report: TurnReport) -> None:
        s = self.session
        assert s is not None
        self.on_turn_resolved(report)
        screen = self.reused("report", lambda: ReportScreen(s, report))
        assert isinstance(screen, ReportScreen)
        screen.load(report)
        self.show_over_seat(screen)

    def on_turn_resolved(self, report: TurnReport) -> None:
        """After every resolved turn: the autosave (once the report is on screen) and, at the
        end, the after-action report in the save folder."""
        s = self.session
        self.autosave_soon()
        if s is not None and report.over and s.report_path is None:
            try:
                s.write_after_action(self.save_folder)
            except OSError as err:
                self.notify(f"Could not write the after-action report: {err}", severity="error")

    def autosave_soon(self) -> None:
        """Autosave the game once the screen being shown now has been painted: a save syncs
        the file and its folder to disk (two fsyncs, 40–80 ms here), which should not stand
        between the key and the screen it brings. Saves still happen one after another."""
        s, slot = self.session, self.slot
        if s is not None and slot is not None:
            self.call_after_refresh(saving.autosave, self, s, slot)

    def load_then(self, what: str, work: Callable[[], T], done: Callable[[T], None]) -> None:
        """`work` off the UI thread behind a loading screen, then `done(result)`; an error it
        did not expect becomes an error screen (screens.loading.load_in_background)."""

        def failed(err: BaseException) -> None:
            self.show(LoadErrorScreen(f"{what} did not load", [f"{type(err).__name__}: {err}"]))

        load_in_background(self, what, work, done, failed)

    def start_game(self, scenario: Path | str, seats: dict[str, str], seed: int) -> None:
        from wargame.tui.launch import build_session

        def started(result: Session | tuple[str, list[str]]) -> None:
            if isinstance(result, Session):
                self.begin(result, brief=True)
            else:
                self.show(LoadErrorScreen(*result))

        name = Path(scenario).name if str(scenario).endswith((".yaml", ".yml")) else scenario
        self.load_then(f"{name}", partial(build_session, str(scenario), seats, seed), started)

    # -- messages from screens -----------------------------------------------------------
    def on_quick_start(self, message: msg.QuickStart) -> None:
        from wargame.tui.session import seats_from_args

        self.start_game(self.default_scenario, seats_from_args(
            ("washington", "tokyo", "seoul"), [], {}), self.seed())

    def on_open_new_game(self, message: msg.OpenNewGame) -> None:
        from wargame.paths import bundled_scenarios
        from wargame.tui.screens.new_game import NewGameScreen, load_choices

        paths = list(bundled_scenarios())
        local = Path("scenarios")
        if local.is_dir():
            known = {os.path.realpath(p) for p in paths}  # realpath never raises on a link loop
            paths += [p for p in sorted(local.glob("*.yaml")) if os.path.realpath(p) not in known]
        seed = self.seed()
        self.load_then("the scenarios", partial(load_choices, paths), lambda choices: self.show(
            NewGameScreen(choices, seed, self.default_scenario)))

    def on_open_title(self, message: msg.OpenTitle) -> None:
        self.session = None
        self.show(self._title_screen())

    def on_start_game(self, message: msg.StartGame) -> None:
        self.start_game(message.scenario, message.seats, message.seed)

    def on_seat_ready(self, message: msg.SeatReady) -> None:
        if self.session is not None and self.session.waiting_for() == message.role:
            self.show_seat(message.role)

    def on_orders_submitted(self, message: msg.OrdersSubmitted) -> None:
        s = self.session
        if s is None or s.waiting_for() != message.role:
            return
        try:
            s.submit(message.role, message.orders, resolve=False)
        except OrderError as err:
            self.notify("\n".join(err.problems), title="Orders not accepted", severity="error")
            return
        self.autosave_soon()  # submitted orders survive a crash, or a quit while bots think
        self.next_step()

    def on_report_done(self, message: msg.ReportDone) -> None:
        self.next_step()

    def on_take_back(self, message: msg.TakeBack) -> None:
        s = self.session
        if s is None or not s.game.history:
            self.notify("No turn to take back.")
            return
        if s.hot_seat:
            self.notify("Take-back is off in hot seat: every player would have to agree.")
            return
        if any(isinstance(x, QuitScreen) for x in self.screen_stack):
            return
        last = s.game.history[-1]
        drafted = " and the orders you have chosen" if any(s.drafts.values()) else ""
        self.push_screen(QuitScreen(
            f"Take back turn {last.turn} ({last.label})? The game goes back to the start of "
            f"that turn{drafted}; the turn is kept in the save as a branch.",
            yes="Take back", no="Keep playing"), partial(self._take_back_answer, s))

    def _take_back_answer(self, session: Session, yes: bool | None) -> None:
        s = self.session
        if not yes or s is not session or s is None or not s.game.history:
            return
        report = s.take_back(self.slot)
        self.autosave_soon()
        self.notify(f"Took back turn {report.turn} ({report.label}); it is kept in the save "
                    "as a branch.")
        self.next_step()

    def on_open_load(self, message: msg.OpenLoad) -> None:
        from wargame.tui.screens.load import LoadSavesScreen

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.continue_saved(path)

        self.push_screen(LoadSavesScreen(self.save_folder), chosen)

    def on_resume_save(self, message: msg.ResumeSave) -> None:
        self.continue_saved(message.path)

    def continue_saved(self, path: Path) -> None:
        def opened(result: tuple[Session, SaveSlot] | str) -> None:
            if isinstance(result, str):
                self.notify(printable(result, lines=True), title="Cannot continue that save",
                            severity="error", timeout=8, markup=False)
                return
            session, slot = result
            self.begin(session, slot)
            self.notify(f"Continuing {printable(path.name)} at {session.turn_text()}.",
                        markup=False)

        self.load_then(path.name, partial(saving.open_saved, path, self.save_folder), opened)

    def action_save_as(self) -> None:
        s, slot = self.session, self.slot
        if s is None or slot is None:
            self.notify("There is no game to save yet.")
            return
        if any(isinstance(x, SaveAsScreen) for x in self.screen_stack):
            return
        session, save_slot = s, slot

        def named(name: str | None) -> None:
            if name is not None and self.session is session:
                saving.save_as(self, session, save_slot, name)

        self.push_screen(SaveAsScreen(saving.default_name(s), str(self.save_folder)), named)

    # -- actions any screen can call -----------------------------------------------------
    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        screen = self.screen
        text = str(getattr(screen, "HELP", None) or "")
        keys = []
        for binding in screen.BINDINGS:
            if isinstance(binding, Binding) and binding.description:
                shown = binding.key_display or binding.key.split(",")[0]
                keys.append((shown, binding.description))
        if self.session is not None:
            keys.append(("Ctrl+S", "save the game under a name"))
        keys.append(("Ctrl+P", "command palette"))
        self.push_screen(HelpScreen(text, keys))

    def action_history(self) -> None:
        if self.session is not None and not isinstance(self.screen, HistoryScreen):
            self.push_screen(HistoryScreen(self.session))

    def action_last_report(self) -> None:
        s = self.session
        if s is None or s.last_report is None:
            self.notify("No turn has been resolved yet.")
            return
        if not isinstance(self.screen, ReportScreen):
            self.push_screen(ReportScreen(s, s.last_report, review=True))

    def action_why(self) -> None:
        s = self.session
        if s is None or not s.game.history:
            self.notify("No turn has been resolved yet: nothing to explain.")
            return
        if not isinstance(self.screen, WhyScreen):
            self.push_screen(WhyScreen(s, len(s.game.history) - 1))

    def action_request_quit(self) -> None:
        if isinstance(self.screen, QuitScreen):
            return
        lost = self._quit_would_lose()
        if lost:
            self.push_screen(QuitScreen(f"Quit now? {lost}"), self._quit_answer)
        else:
            self.exit(0)

    def _quit_would_lose(self) -> str:
        """What quitting now would lose, as sentences ('' for nothing)."""
        s = self.session
        if s is None or s.game.is_over():
            return ""
        parts = []
        if s.unsaved:
            parts.append(f"The game is not saved: {s.unsaved_text()} since the last save "
                         "would be lost.")
        drafted = [s.name(r) for r in s.humans if s.drafts.get(r) and r not in s.game.pending]
        if drafted:
            parts.append(f"Orders chosen but not submitted ({', '.join(drafted)}) would be "
                         "lost.")
        return " ".join(parts)

    async def action_quit(self) -> None:
        """The palette's Quit (and any other route) asks first, like `q`."""
        self.action_request_quit()

    def _quit_answer(self, yes: bool | None) -> None:
        if yes:
            self.exit(0)
            return
        waiting, self._resolve_after_dialog = self._resolve_after_dialog, None
        if waiting is not None:
            self.on_bots_done(waiting)

    # -- command palette -----------------------------------------------------------------
    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        if any(isinstance(s, CommandPalette) for s in self.screen_stack):
            return
        if self.use_command_palette:
            # No id: a palette just closed may still be in the DOM (DuplicateIds).
            self.push_screen(SafeCommandPalette())

    def search_themes(self) -> None:
        """Textual's "Theme" command, in the guarded palette."""
        from textual.theme import ThemeProvider

        self.push_screen(SafeCommandPalette(providers=[ThemeProvider],
                                            placeholder="Search for themes…"))

    def search_commands(self, commands: Sequence[CommandListItem],
                        placeholder: str = "Search for commands…") -> AwaitMount:
        from textual.command import SimpleProvider

        provider = SimpleProvider(self.screen, list(commands))  # as Textual does it
        return self.push_screen(SafeCommandPalette(
            providers=[provider], placeholder=placeholder))  # type: ignore[list-item]

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The screen's keys, Save when there is a game, then Textual's own commands except
        its Quit (the screen's Quit, which asks first, is already listed)."""
        seen = set()
        for binding in screen.BINDINGS:
            if not isinstance(binding, Binding) or not binding.description:
                continue
            if binding.action in seen:
                continue
            seen.add(binding.action)
            key = binding.key_display or binding.key.split(",")[0]
            yield SystemCommand(binding.description, f"{binding.description} (key {key})",
                                partial(self._run_on, screen, binding.action))
        if self.session is not None:
            yield SystemCommand("Save", "Save the game under a name (key Ctrl+S)",
                                self.action_save_as)
        quits = {"request_quit", "app.request_quit", "quit", "app.quit"}
        if seen & quits:
            for command in super().get_system_commands(screen):
                if command.title.lower() != "quit":
                    yield command
        else:
            yield from super().get_system_commands(screen)

    async def _run_on(self, screen: Screen[object], action: str) -> None:
        """A palette command: the screen's action, if that screen is still there (the palette
        can outlive it, e.g. when a turn resolves while the palette is open)."""
        if screen in self.screen_stack:
            await screen.run_action(action)
