"""The app is the hub: screens post messages, the app moves the game on and picks the next
screen. It holds the Session (engine Game + seats) and nothing else of the game's state."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from wargame.engine.game import OrderError
from wargame.engine.state import TurnReport
from wargame.storage.saves import SaveSlot
from wargame.tui import messages as msg
from wargame.tui import saving
from wargame.tui.screens.base import GameScreenBase
from wargame.tui.screens.end import EndScreen
from wargame.tui.screens.game import GameScreen
from wargame.tui.screens.handoff import HandoffScreen
from wargame.tui.screens.help import HelpScreen
from wargame.tui.screens.history import HistoryScreen
from wargame.tui.screens.load_error import LoadErrorScreen
from wargame.tui.screens.quit import QuitScreen
from wargame.tui.screens.report import ReportScreen
from wargame.tui.screens.save_as import SaveAsScreen
from wargame.tui.screens.title import TitleScreen
from wargame.tui.screens.why import WhyScreen
from wargame.tui.session import Session, save_dir

DEFAULT_SCENARIO = "convenor"


def new_seed() -> int:
    return random.SystemRandom().randrange(1, 1_000_000)


class WargameApp(App[int]):
    TITLE = "wargame"
    SUB_TITLE = "Washington · Tokyo · Seoul"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "request_quit", "Quit", show=False, priority=True),
        Binding("ctrl+c", "request_quit", "Quit", show=False, priority=True),
        Binding("ctrl+s", "save_as", "Save", show=False),
    ]

    def __init__(self, *, save_folder: Path | None = None, seed: int | None = None,
                 start: Session | None = None, error: tuple[str, list[str]] | None = None,
                 default_scenario: str = DEFAULT_SCENARIO) -> None:
        super().__init__()
        self.save_folder = save_folder if save_folder is not None else save_dir()
        self.fixed_seed = seed
        self.session: Session | None = None
        self._start = start
        self._error = error
        self.default_scenario = default_scenario
        self._generation = 0
        self._installed: list[str] = []
        self.slot: SaveSlot | None = None  # how the current session is saved

    # -- start ---------------------------------------------------------------------------
    def on_mount(self) -> None:
        self.push_screen(self._title_screen())
        if self._error is not None:
            title, problems = self._error
            self.push_screen(LoadErrorScreen(title, problems))
        elif self._start is not None:
            self.begin(self._start)

    def _title_screen(self) -> TitleScreen:
        return TitleScreen(self._default_title(), resume=saving.resumable(self.save_folder))

    def _default_title(self) -> str:
        return "The Convenor" if self.default_scenario == "convenor" else self.default_scenario

    def seed(self) -> int:
        return self.fixed_seed if self.fixed_seed is not None else new_seed()

    def begin(self, session: Session, slot: SaveSlot | None = None) -> None:
        """Put a new session at the table and show its first seat (or hand-off)."""
        self.session = session
        self.slot = slot if slot is not None else saving.new_slot(session, self.save_folder)
        self._generation += 1
        self.next_step()

    def show(self, screen: Screen[None]) -> None:
        """Replace the current main screen (dropping any modal on top)."""
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if self.screen is not screen:
            self.switch_screen(screen)
        self.call_later(self._drop_unused)

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
        if role is None:  # no human seats: bots play, the report shows each turn
            self.turn_resolved(s.resolve())
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

    def turn_resolved(self, report: TurnReport) -> None:
        s = self.session
        assert s is not None
        self.on_turn_resolved(report)
        screen = self.reused("report", lambda: ReportScreen(s, report))
        assert isinstance(screen, ReportScreen)
        screen.load(report)
        self.show(screen)

    def on_turn_resolved(self, report: TurnReport) -> None:
        """Hook point after every resolved turn: autosave goes here (storage.saves, later; set
        `session.saved = True` once written). At the end it writes the after-action report."""
        s = self.session
        if s is not None:
            saving.autosave(self, s, self.slot)
        if s is not None and report.over and s.report_path is None:
            try:
                s.write_after_action(self.save_folder)
            except OSError as err:
                self.notify(f"Could not write the after-action report: {err}", severity="error")

    def start_game(self, scenario: Path | str, seats: dict[str, str], seed: int) -> None:
        from wargame.tui.launch import build_session

        result = build_session(str(scenario), seats, seed)
        if isinstance(result, Session):
            self.begin(result)
        else:
            self.show(LoadErrorScreen(*result))

    # -- messages from screens -----------------------------------------------------------
    def on_quick_start(self, message: msg.QuickStart) -> None:
        from wargame.tui.session import seats_from_args

        self.start_game(self.default_scenario, seats_from_args(
            ("washington", "tokyo", "seoul"), [], {}), self.seed())

    def on_open_new_game(self, message: msg.OpenNewGame) -> None:
        from wargame.paths import bundled_scenarios
        from wargame.tui.screens.new_game import NewGameScreen

        paths = list(bundled_scenarios())
        local = Path("scenarios")
        if local.is_dir():
            known = {p.resolve() for p in paths}
            paths += [p for p in sorted(local.glob("*.yaml")) if p.resolve() not in known]
        self.show(NewGameScreen(paths, self.seed(), self.default_scenario))

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
            report = s.submit(message.role, message.orders)
        except OrderError as err:
            self.notify("\n".join(err.problems), title="Orders not accepted", severity="error")
            return
        if report is not None:
            self.turn_resolved(report)
        else:
            saving.autosave(self, s, self.slot)  # submitted orders survive a crash too
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
        report = s.take_back(self.slot)
        saving.autosave(self, s, self.slot)
        self.notify(f"Took back turn {report.turn} ({report.label}); it is kept in the save "
                    "as a branch.")
        self.next_step()

    def on_open_load(self, message: msg.OpenLoad) -> None:
        from wargame.tui.replay.load_screen import LoadScreen

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.continue_saved(path)

        self.push_screen(LoadScreen(self.save_folder), chosen)

    def on_resume_save(self, message: msg.ResumeSave) -> None:
        self.continue_saved(message.path)

    def continue_saved(self, path: Path) -> None:
        opened = saving.open_saved(path, self.save_folder)
        if isinstance(opened, str):
            self.notify(opened, title="Cannot continue that save", severity="error", timeout=8)
            return
        session, slot = opened
        self.begin(session, slot)
        self.notify(f"Continuing {path.name} at {session.turn_text()}.")

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
        text = screen.HELP if isinstance(screen, GameScreenBase) else ""
        keys = []
        for binding in screen.BINDINGS:
            if isinstance(binding, Binding) and binding.description:
                shown = binding.key_display or binding.key.split(",")[0]
                keys.append((shown, binding.description))
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
        s = self.session
        if isinstance(self.screen, QuitScreen):
            return
        if s is not None and s.unsaved:
            self.push_screen(QuitScreen(
                f"Quit now? The game is not saved: {s.turns_resolved} turn"
                f"{'s' if s.turns_resolved != 1 else ''} played would be lost."),
                self._quit_answer)
        else:
            self.exit(0)

    async def action_quit(self) -> None:
        """The palette's Quit (and any other route) asks first, like `q`."""
        self.action_request_quit()

    def _quit_answer(self, yes: bool | None) -> None:
        if yes:
            self.exit(0)

    # -- command palette -----------------------------------------------------------------
    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        from wargame.tui.widgets.safe_lists import SafeCommandPalette

        if any(isinstance(s, CommandPalette) for s in self.screen_stack):
            return
        if self.use_command_palette:
            self.push_screen(SafeCommandPalette(id="--command-palette"))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        seen = set()
        for binding in screen.BINDINGS:
            if not isinstance(binding, Binding) or not binding.description:
                continue
            if binding.action in seen:
                continue
            seen.add(binding.action)
            key = binding.key_display or binding.key.split(",")[0]
            yield SystemCommand(binding.description, f"{binding.description} (key {key})",
                                partial(screen.run_action, binding.action))
        yield from super().get_system_commands(screen)
