"""A seat played by a program: callable like a bot, `seat(game, role) -> orders`.

Each call sends the seat the reports of the turns resolved since it last heard (as it may
see them), then the `turn` message, and waits up to the time budget for its `orders`. A late,
malformed or illegal reply is answered with an `error` message, recorded in `errors`, and
the seat passes (or its fallback bot plays): the game always goes on. Rationales are kept
per turn in `rationales`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import attrs

from wargame.engine.game import Game
from wargame.engine.state import Order
from wargame.seats.protocol import (
    ReplyError,
    end_message,
    error_message,
    read_reply,
    report_message,
    turn_message,
)
from wargame.seats.transport import SeatGone, SeatTimeout, Transport

Bot = Callable[[Game, str], tuple[Order, ...]]
"""The one seat interface: bots, agents and LLM seats are all called as `seat(game, role)`."""


@attrs.frozen
class SeatError:
    """One reply the game could not use: the turn, and what the seat was told."""

    role: str
    turn: int
    message: str


class AgentSeat:
    """A program in one role's seat, over any Transport (stdio, the LLM adapter, tests)."""

    def __init__(
        self,
        role: str,
        transport: Transport,
        *,
        name: str = "agent",
        time_budget: float | None = 10.0,
        fallback: Bot | None = None,
        fallback_name: str = "pass",
        on_error: Callable[[SeatError], None] | None = None,
    ) -> None:
        self.role = role
        self.name = name
        self.transport = transport
        self.time_budget = time_budget
        self.fallback = fallback
        self.fallback_name = fallback_name
        self.on_error = on_error
        self.rationales: dict[int, str] = {}
        self.errors: list[SeatError] = []
        self.gone = False
        self._reported = 0  # the last turn whose report the seat was sent
        self._owed = 0  # replies still due for earlier turns that timed out
        self._finished = False

    def __call__(self, game: Game, role: str) -> tuple[Order, ...]:
        if role != self.role:
            raise ValueError(f"this seat plays {self.role}, not {role}")
        turn = game.turn
        self.rationales.pop(turn, None)  # a turn taken back and played again
        if self.gone:
            return self._fallback_orders(game, role)
        self._send_reports(game)
        # Replies that arrived too late for an earlier turn are not this turn's answer.
        self._owed = max(0, self._owed - self.transport.discard_pending())
        self.transport.send(turn_message(game, role))
        try:
            reply = read_reply(self._receive(turn), game, role)
        except SeatTimeout:
            self._owed += 1
            problem = f"no reply within {self.time_budget:g} s"
        except SeatGone as err:
            self.gone = True
            problem = str(err)
        except ReplyError as err:
            problem = str(err)
        else:
            if reply.rationale:
                self.rationales[turn] = reply.rationale
            return reply.orders
        return self._fail(game, role, turn, problem)

    def _receive(self, turn: int) -> bytes:
        """This turn's reply line. Every turn message gets one reply, in order: while replies
        to earlier (timed-out) turns are owed, the next lines are theirs and are dropped,
        unless a line says it answers this turn (`"turn"` in the reply)."""
        deadline = None if self.time_budget is None else time.monotonic() + self.time_budget
        while True:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            line = self.transport.receive(left)
            said = _turn_of(line)
            if said == turn:
                self._owed = 0  # it skipped the ones it owed
                return line
            if said is not None and said < turn:
                self._owed = max(0, self._owed - 1)
                continue
            if self._owed > 0 and said is None:
                self._owed -= 1
                continue
            return line

    def _fallback_orders(self, game: Game, role: str) -> tuple[Order, ...]:
        return () if self.fallback is None else tuple(self.fallback(game, role))

    def _fail(self, game: Game, role: str, turn: int, problem: str) -> tuple[Order, ...]:
        plays = (f"{role} passes" if self.fallback is None
                 else f"the {self.fallback_name} bot plays for {role}")
        when = "for the rest of the game" if self.gone else "this turn"
        error = SeatError(role, turn, f"{problem}; {plays} {when}")
        self.errors.append(error)
        if not self.gone:
            self.transport.send(error_message(error.message, turn))
        if self.on_error is not None:
            self.on_error(error)
        return self._fallback_orders(game, role)

    def _send_reports(self, game: Game) -> None:
        if game.history and game.history[-1].turn < self._reported:
            self._reported = game.history[-1].turn  # turns were taken back
        for report in game.history:
            if report.turn > self._reported:
                self.transport.send(report_message(game, self.role, report))
                self._reported = report.turn

    def finish(self, game: Game) -> None:
        """The game is over (or abandoned): last report, `end`, and the program is stopped."""
        if self._finished:
            return
        self._finished = True
        if not self.gone:
            self._send_reports(game)
            if game.is_over():
                self.transport.send(end_message(game, self.role))
        self.transport.close()


def _turn_of(line: bytes) -> int | None:
    """The `turn` a reply line says it answers, if it is readable and says one."""
    if b'"turn"' not in line:
        return None
    try:
        turn = json.loads(line).get("turn")
    except (ValueError, AttributeError, RecursionError):
        return None
    return turn if isinstance(turn, int) and not isinstance(turn, bool) else None
