"""One game at a host: the engine's Game, who sits in each seat, the hashes of the join
codes, each seat's rationale and the umpire's control entries, written to its save.

The save is an ordinary save file (`wargame replay --verify`, `wargame report` read it) with
one more field, `host`:

    codes     {role|"umpire"|"spectator": "sha256:..."}   hashes of the join codes
    table     this table's number (1..tables)
    rationale [{turn, role, text}]                       the free text sent with orders
    controls  [{turn, kind, role?, ..., rationale?}]      the umpire's interventions that change
                                                       who plays (seat, extend, deadline)

The white cell's interventions that change the game itself (inject, override) are the save's
own `controls` (wargame.engine.control): a replay applies them, so `replay --verify` holds.

No network and no asyncio here: the server calls these methods one at a time per table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from wargame.engine.bots import BOTS
from wargame.engine.content import Content
from wargame.engine.control import Control
from wargame.engine.game import Game, OrderError, parse_order
from wargame.engine.state import Order, TurnReport
from wargame.formats.controls import control_json
from wargame.host.codes import hash_code, same_hash

HUMAN = "human"
FALLBACK_BOT = "heuristic"


class Table:
    def __init__(self, number: int, game: Game, seats: Mapping[str, str],
                 code_hashes: Mapping[str, str], game_id: str, path: Path | None = None,
                 rationale: Sequence[Mapping[str, Any]] = (),
                 controls: Sequence[Mapping[str, Any]] = (), journal_seq: int = 0) -> None:
        self.number = number
        self.game = game
        self.seats = {r: seats.get(r, HUMAN) for r in game.content.role_ids}
        self.code_hashes = dict(code_hashes)
        self.game_id = game_id
        self.path = path
        self.rationale: list[dict[str, Any]] = [dict(r) for r in rationale]
        self.controls: list[dict[str, Any]] = [dict(c) for c in controls]
        self.seq = journal_seq  # the last journal entry (wargame.host.journal) played here

    @property
    def content(self) -> Content:
        return self.game.content

    @property
    def humans(self) -> tuple[str, ...]:
        return tuple(r for r in self.content.role_ids if self.seats[r] == HUMAN)

    def role_of(self, code: str) -> str | None:
        """The role a join code opens at this table (a role, "umpire", "spectator"), or None."""
        digest = hash_code(code)
        found = None
        for role, stored in self.code_hashes.items():
            if same_hash(digest, stored):
                found = role
        return found

    # -- playing -------------------------------------------------------------------------
    def waiting_for(self) -> tuple[str, ...]:
        if self.game.is_over():
            return ()
        return tuple(r for r in self.humans if r not in self.game.pending)

    def submit(self, role: str, orders: Sequence[Order], rationale: str = "") -> None:
        """A human seat's orders (replacing any it sent before this turn resolves).
        OrderError if they cannot stand; nothing changes then."""
        if self.seats.get(role) != HUMAN:
            raise OrderError([f"{role} is not a human seat at this table"])
        self.game.submit(role, list(orders))
        turn = self.game.turn
        self.rationale = [r for r in self.rationale if (r["turn"], r["role"]) != (turn, role)]
        if rationale:
            self.rationale.append({"turn": turn, "role": role, "text": rationale})

    def ready(self) -> bool:
        """Every human seat has submitted: the turn can resolve."""
        return not self.game.is_over() and not self.waiting_for()

    def resolve(self) -> TurnReport:
        """Bots (and the fallback bot for any seat still silent) order, then the turn resolves."""
        game = self.game
        for role in self.content.role_ids:
            if role in game.pending:
                continue
            kind = self.seats[role] if self.seats[role] != HUMAN else FALLBACK_BOT
            try:
                game.submit(role, BOTS[kind](game, role))
            except OrderError:
                game.submit(role, ())
        return game.resolve()

    # -- the journal ---------------------------------------------------------------------
    def entry(self, kind: str, **fields: Any) -> dict[str, Any]:
        """The next journal entry of this table (what a save written now would hold)."""
        self.seq += 1
        return {"table": self.number, "seq": self.seq, "kind": kind,
                "turn": self.game.turn, **fields}

    def orders_entry(self, role: str, orders: Sequence[Order], rationale: str
                     ) -> dict[str, Any]:
        return self.entry("orders", role=role, orders=[o.key for o in orders],
                          rationale=rationale)

    def resolve_entry(self, report: TurnReport) -> dict[str, Any]:
        entry = self.entry("resolve", orders={r: [o.key for o in os_]
                                              for r, os_ in report.orders.items()},
                           hash=report.hash)
        entry["turn"] = report.turn
        return entry

    def replay_entry(self, entry: Mapping[str, Any]) -> None:
        """Play a journal entry written after this table's save (`--resume`); ValueError
        if it does not fit the game as saved."""
        if entry["seq"] != self.seq + 1 or entry.get("turn") != self.game.turn:
            raise ValueError(f"table {self.number}: journal entry {entry['seq']} (turn "
                             f"{entry.get('turn')}) does not follow the save (entry {self.seq}, "
                             f"turn {self.game.turn})")
        if entry["kind"] == "orders":
            orders = [parse_order(k) for k in entry["orders"]]
            self.submit(str(entry["role"]), orders, str(entry.get("rationale") or ""))
        elif entry["kind"] == "resolve":
            turn_orders = {r: [parse_order(k) for k in keys]
                           for r, keys in entry["orders"].items()}
            report = self.game.resolve(turn_orders)
            if report.hash != entry["hash"]:
                raise ValueError(f"table {self.number}: turn {report.turn} from the journal "
                                 "does not resolve as it did")
        else:
            raise ValueError(f"table {self.number}: unknown journal entry {entry['kind']!r}")
        self.seq = int(entry["seq"])

    # -- the white cell ------------------------------------------------------------------
    def control(self, kind: str, **fields: Any) -> dict[str, Any]:
        entry = {"turn": self.game.turn, "kind": kind, **fields}
        self.controls.append(entry)
        return entry

    def bot_takes_seat(self, role: str, bot: str, rationale: str) -> dict[str, Any]:
        """The umpire lets a bot play an absent seat from now on (recorded with why)."""
        if role not in self.seats:
            raise OrderError([f"no role {role!r} at this table"])
        if bot not in BOTS and bot != HUMAN:
            raise OrderError([f"unknown bot {bot!r}; one of: {', '.join(BOTS)}"])
        before = self.seats[role]
        self.seats[role] = bot
        if bot != HUMAN:
            self.game.withdraw(role)
        return self.control("seat", role=role, seat=bot, was=before, rationale=rationale)

    def change_game(self, control: Control) -> dict[str, Any]:
        """The umpire injects an event or overrides a value (ControlError if it cannot be);
        the game keeps it, so the save's replay applies it again."""
        self.game.control(control)
        return control_json(control)

    def all_controls(self) -> list[dict[str, Any]]:
        """Every intervention of the white cell, in turn order (game changes and seats)."""
        game = [control_json(c) for c in self.game.controls]
        return sorted([*self.controls, *game], key=lambda c: int(c.get("turn", 0)))

    def rationale_for(self, turn: int) -> dict[str, str]:
        return {r["role"]: r["text"] for r in self.rationale if r["turn"] == turn}

    # -- saving --------------------------------------------------------------------------
    def document(self) -> bytes:
        from wargame.formats.save import HostRecord
        from wargame.storage.save_format import dump_document, encode_game

        host = HostRecord(table=self.number, codes=dict(self.code_hashes),
                          rationale=list(self.rationale), controls=list(self.controls),
                          journal=self.seq)
        return dump_document(encode_game(self.game, seats=self.seats, game_id=self.game_id,
                                         host=host))

    def write(self, data: bytes) -> None:
        """Atomic, as every save: the file is the old or the new one, whole."""
        from wargame.storage.saves import write_atomic

        if self.path is not None:
            write_atomic(self.path, data)

    @classmethod
    def load(cls, path: Path, number: int) -> Table:
        """A table from its save (SaveError names what is wrong). Pending orders are kept."""
        from wargame.storage.saves import SaveError, load_game

        loaded = load_game(path)
        host = loaded.file.host  # checked as the save format declares it (codes required)
        if host is None:
            raise SaveError(f"{path}: not a hosted game (no \"host\" codes); "
                            "start it with `wargame host SCENARIO` instead")
        return cls(number, loaded.game, loaded.file.seats, dict(host.codes), loaded.file.game_id,
                   path, list(host.rationale), list(host.controls), host.journal)

