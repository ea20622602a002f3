"""A game at the table: the engine's Game plus who sits in each seat. Pure Python, no UI.

The terminal app drives a Session; tests and benchmarks can drive one directly. Everything
shown on screen comes from the engine's public API (Game, TurnReport, RoleView, Preview).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from wargame import history
from wargame.engine.bots import BOTS, likely_replies
from wargame.engine.content import Content
from wargame.engine.game import Game, ObjectiveStanding, OrderError
from wargame.engine.state import Change, Order, TurnReport, Value
from wargame.engine.visibility import hidden_names, report_for_seats
from wargame.tui.labels import role_name

Seat = Callable[[Game, str], Sequence[Order]]
"""What plays a seat that is not a person: a bot (or an agent) of the engine's seat protocol."""

HUMAN = "human"
AGENT = "agent"  # a program or a model over the seat protocol (wargame.seats, --agent)
DEFAULT_BOT = "heuristic"

if TYPE_CHECKING:
    from wargame.tui.saving import SaveSlot

def seat_kinds() -> list[str]:
    """What a seat can be: a human, or one of the engine's bots."""
    return [HUMAN, *BOTS]


def seats_from_args(roles: Sequence[str], humans: Sequence[str], bots: Mapping[str, str]
                    ) -> dict[str, str]:
    """`--as` and `--bot` → a seat for every role: unnamed seats are heuristic bots; with no
    `--as` at all the human plays the first role (washington)."""
    chosen = [h for h in humans if h in roles]
    if not humans and roles:
        first = roles[0]
        chosen = [first] if first not in bots else []
    seats = {}
    for role in roles:
        if role in bots:
            seats[role] = bots[role]
        elif role in chosen:
            seats[role] = HUMAN
        else:
            seats[role] = DEFAULT_BOT
    return seats


class Session:
    """The game plus its seats; tracks drafts of orders and whether the game is saved."""

    def __init__(self, content: Content, seed: int, seats: Mapping[str, str],
                 scenario_path: Path | None = None, game: Game | None = None,
                 agents: Mapping[str, Seat] | None = None) -> None:
        self.content = content
        self.seed = seed
        self.scenario_path = scenario_path
        self.game = game if game is not None else Game(content, seed)
        # Agent seats play through the same seat interface as bots (`agents[role]`).
        self.agents = dict(agents or {})
        self.seats = {r: seats.get(r, DEFAULT_BOT) for r in content.role_ids}
        for role, kind in self.seats.items():
            if role in self.agents:
                self.seats[role] = AGENT
            elif kind == AGENT:
                self.seats[role] = DEFAULT_BOT  # a saved agent seat, its program not here
            elif kind != HUMAN and kind not in BOTS:
                raise ValueError(f"unknown seat kind {kind!r} for {role}")
        self.drafts: dict[str, list[Order]] = {}
        self.turns_resolved = 0
        # Changes since the last successful save (turns resolved or taken back, orders
        # submitted): what quitting now would lose.
        self.turns_unsaved = 0
        self.orders_unsaved = 0
        self.report_path: Path | None = None
        self._likely: dict[tuple[int, str, int], dict[str, tuple[Order, ...]]] = {}

    # -- seats ---------------------------------------------------------------------------
    @property
    def humans(self) -> tuple[str, ...]:
        return tuple(r for r in self.content.role_ids if self.seats[r] == HUMAN)

    @property
    def bots(self) -> dict[str, str]:
        return {r: k for r, k in self.seats.items() if k != HUMAN}

    @property
    def hot_seat(self) -> bool:
        return len(self.humans) > 1

    def name(self, role: str) -> str:
        return role_name(role, self.content)

    def seat_text(self, role: str) -> str:
        kind = self.seats[role]
        return "human" if kind == HUMAN else "agent" if kind == AGENT else f"{kind} bot"

    def waiting_for(self) -> str | None:
        """The next human seat that has not submitted this turn (None: all have, or none)."""
        if self.game.is_over():
            return None
        for role in self.humans:
            if role not in self.game.pending:
                return role
        return None

    # -- orders --------------------------------------------------------------------------
    def draft(self, role: str) -> list[Order]:
        return self.drafts.setdefault(role, [])

    def submit(self, role: str, orders: Sequence[Order], resolve: bool = True
               ) -> TurnReport | None:
        """Submit a human's orders; when every human has (and `resolve`), the bots submit and
        the turn resolves (its report is returned). The terminal game passes resolve=False and
        lets the bots think off the UI thread. Raises OrderError for orders that cannot stand."""
        self.game.submit(role, list(orders))
        self.drafts.pop(role, None)
        self.orders_unsaved += 1
        if resolve and self.waiting_for() is None:
            return self.resolve()
        return None

    def seat(self, role: str) -> Seat:
        """The callable that plays a non-human seat: the Game and the role in, orders out."""
        if role in self.agents:
            return self.agents[role]
        return BOTS[self.seats[role]]

    def close(self) -> None:
        """Stop the agent seats' programs (each is told the game is over, if it is)."""
        for seat in self.agents.values():
            finish = getattr(seat, "finish", None)
            if finish is not None:
                finish(self.game)

    def bot_orders(self, game: Game) -> dict[str, tuple[Order, ...]]:
        """Every non-human seat's orders for this turn. Pure work on `game` (give it a clone
        when this runs off the UI thread); a seat that fails passes."""
        out = {}
        for role in self.bots:
            try:
                out[role] = tuple(self.seat(role)(game, role))
            except Exception:
                out[role] = ()
        return out

    def likely_replies(self, game: Game, role: str) -> dict[str, tuple[Order, ...]]:
        """The other seats' likely orders, for `role`'s preview (a guess on a side stream;
        pure work, like bot_orders). Cached per turn and role."""
        key = (game.turn, role, len(game.history))
        if key not in self._likely:
            self._likely[key] = likely_replies(game, role, self.seats)
        return self._likely[key]

    def known_replies(self, role: str) -> dict[str, tuple[Order, ...]] | None:
        """The likely replies for `role` this turn, if they have been worked out yet."""
        return self._likely.get((self.game.turn, role, len(self.game.history)))

    def resolve(self, bot_orders: Mapping[str, Sequence[Order]] | None = None) -> TurnReport:
        """Resolve the turn: the bots' orders (worked out now unless given) and the humans'."""
        orders = bot_orders if bot_orders is not None else self.bot_orders(self.game)
        for role in self.bots:
            try:
                self.game.submit(role, tuple(orders.get(role, ())))
            except OrderError:
                self.game.submit(role, ())
        report = self.game.resolve()
        self.turns_resolved += 1
        self.turns_unsaved += 1
        self.drafts.clear()
        return report

    def take_back(self, slot: SaveSlot | None = None) -> TurnReport:
        """Undo the last turn; with a save slot the abandoned turn is kept as a branch."""
        report = slot.take_back(self.game) if slot is not None else self.game.take_back()
        self.turns_resolved = max(0, self.turns_resolved - 1)
        self.turns_unsaved += 1
        self.drafts.clear()
        return report

    # -- state ---------------------------------------------------------------------------
    @property
    def saved(self) -> bool:
        """Nothing has happened since the last successful save (or since the start)."""
        return self.turns_unsaved == 0 and self.orders_unsaved == 0

    def mark_saved(self) -> None:
        """After a successful save: nothing is unsaved any more."""
        self.turns_unsaved = self.orders_unsaved = 0

    @property
    def unsaved(self) -> bool:
        """Quitting would lose something: orders were submitted or turns resolved since the
        last successful save (a finished game has its after-action report instead)."""
        return not self.saved and not self.game.is_over()

    def unsaved_text(self) -> str:
        """What quitting now would lose, in words."""
        parts = []
        if self.turns_unsaved:
            n = self.turns_unsaved
            parts.append(f"{n} turn{'s' if n != 1 else ''} played")
        if self.orders_unsaved:
            parts.append("orders submitted")
        return " and ".join(parts) or "nothing"

    @property
    def last_report(self) -> TurnReport | None:
        return self.game.history[-1] if self.game.history else None

    def turn_text(self) -> str:
        game = self.game
        if game.is_over():
            return f"{game.label} · game over ({self.content.turns} turns)"
        return f"{game.label} · turn {game.turn}/{self.content.turns}"

    def series(self, name: str) -> list[float]:
        """A value at the start and after each resolved turn (flags as 0/1)."""
        history = self.game.history
        if not history:
            return [float(self.game.values().get(name, 0.0))]
        out = [float(history[0].before.get(name, 0.0))]
        out += [float(r.after.get(name, 0.0)) for r in history]
        return out

    def objectives(self, role: str) -> tuple[ObjectiveStanding, ...]:
        return self.game.view(role).objectives

    def ranking(self) -> list[tuple[str, int]]:
        scores = self.game.scores()
        return sorted(scores.items(), key=lambda kv: (-kv[1], self.content.role_ids.index(kv[0])))

    # -- explaining ----------------------------------------------------------------------
    @property
    def hidden(self) -> frozenset[str]:
        """The values the humans at this screen may not see: the bots' capital."""
        return hidden_names(self.content, *self.humans)

    def seen(self, report: TurnReport) -> TurnReport:
        """A resolved turn as the humans at this screen may see it (engine.visibility)."""
        return report_for_seats(self.content, report, self.humans)

    def cause(self, change: Change) -> str:
        """Who or what made a change, in words: `Washington: convene_trilateral`."""
        return history.cause(self.content, change)

    def turning_points(self, limit: int = 5) -> list[history.Swing]:
        """The largest single-turn swings of the watched values, with their main causes (the
        first of the after-action report's; five fit the end screen)."""
        return history.turning_points(self.content, self.game.history, limit)

    # -- the after-action report ---------------------------------------------------------
    def after_action_markdown(self) -> str:
        seats = {r: self.seat_text(r) for r in self.content.role_ids}
        return history.after_action_markdown(self.game, history.Header(self.seed, seats))

    def write_after_action(self, folder: Path) -> Path:
        """Write the report into the save folder; an existing file is never overwritten."""
        folder.mkdir(parents=True, exist_ok=True)
        stem = f"after-action-{self.content.id}-seed{self.seed}"
        path = folder / f"{stem}.md"
        n = 2
        while path.exists():
            path = folder / f"{stem}-{n}.md"
            n += 1
        path.write_text(self.after_action_markdown(), encoding="utf-8")
        self.report_path = path
        return path


def values_of(session: Session) -> dict[str, Value]:
    return session.game.values()
