"""What screens tell the app; the app (the hub) decides what happens next."""

from __future__ import annotations

from pathlib import Path

from textual.message import Message

from wargame.engine.state import Order


class QuickStart(Message):
    """Start the default scenario with the default seats."""


class OpenNewGame(Message):
    """Open the new-game screen."""


class OpenTitle(Message):
    """Back to the title screen (the game, if any, is dropped)."""


class StartGame(Message):
    def __init__(self, scenario: Path, seats: dict[str, str], seed: int) -> None:
        super().__init__()
        self.scenario = scenario
        self.seats = seats
        self.seed = seed


class OrdersSubmitted(Message):
    def __init__(self, role: str, orders: list[Order]) -> None:
        super().__init__()
        self.role = role
        self.orders = orders


class SeatReady(Message):
    """The player named on the hand-off screen has the keyboard."""

    def __init__(self, role: str) -> None:
        super().__init__()
        self.role = role


class ReportDone(Message):
    """The player has read the resolution report: on to the next turn or the end."""


class TakeBack(Message):
    """Undo the last resolved turn."""


class OpenLoad(Message):
    """Open the list of saved games to continue one."""


class ResumeSave(Message):
    """Continue the game saved at `path` (the title screen's resume line)."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path


class BotsDone(Message):
    """The non-human seats have chosen (in a worker thread) for the turn `ticket` names:
    (game generation, turn, turns in history)."""

    def __init__(self, ticket: tuple[int, int, int],
                 orders: dict[str, tuple[Order, ...]]) -> None:
        super().__init__()
        self.ticket = ticket
        self.orders = orders


class RepliesKnown(Message):
    """The other seats' likely replies for the preview have been worked out."""
