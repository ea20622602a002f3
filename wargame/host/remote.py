"""The client's side of a hosted game, for the terminal screens: a RemoteSession that looks
to GameScreen like the Session it drives at home, fed by the host's messages.

Its `game` is a mirror: the content (the scenario and rule texts the host sends on joining)
and a state made of what this seat may see. Legality comes from the host's `legal` list;
the preview is computed here on the mirror, with other roles' capital unknown (zero) and
chance rolled on the mirror's own stream, so it is an estimate as it is at home.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from wargame.engine.content import Content
from wargame.engine.game import ActionOption, Game, ObjectiveStanding, Preview, RoleView
from wargame.engine.state import GameState, Order, Value
from wargame.storage.content_loader import ContentSource, SourceFile, compile_content
from wargame.tui.labels import role_name

NOT_NOW = "not available now (the host says so)"


def content_from(welcome: Mapping[str, Any]) -> Content:
    """Compile the content texts the host sent (the same texts the host plays with)."""
    raw = welcome["content"]
    source = ContentSource(
        SourceFile(raw["scenario"]["name"], raw["scenario"]["text"]),
        tuple(SourceFile(r["name"], r["text"]) for r in raw["rules"]),
    )
    return compile_content(source)


def _game_at(content: Content, state: GameState, submitted: Mapping[str, bool]) -> Game:
    """A Game standing at `state`, with the roles that have submitted marked as such."""
    pending: dict[str, tuple[Order, ...]] = {r: () for r, done in submitted.items() if done}
    return Game.from_history(content, 0, [], [state], pending)


class MirrorGame:
    """What GameScreen reads of a Game, for one seat: a Game standing at what the seat may
    see (rebuilt at each message), the host's legal orders and the seat's own view."""

    def __init__(self, content: Content) -> None:
        self.content = content
        self.inner = Game(content, 0)
        self.host_legal: set[str] | None = None
        self.turn_view: RoleView | None = None
        self.over = False

    def update(self, role: str, turn: Mapping[str, Any]) -> None:
        view = turn["view"]
        values: dict[str, Value] = dict(self.inner.state.values)
        for name in values:
            if name.endswith(".capital") and name != f"{role}.capital":
                values[name] = 0.0
        values.update(view["values"])
        state = attrs.evolve(self.inner.state, turn=int(turn["turn"]), values=values)
        self.inner = _game_at(self.content, state, view["submitted"])
        self.host_legal = {o["order"] for o in turn["legal"]}
        self.turn_view = RoleView(
            role=role, turn=int(turn["turn"]), label=str(turn["label"]),
            values=view["values"], capital=float(view["capital"]),
            objectives=tuple(ObjectiveStanding(o["id"], o["text"], o["holds"], o["points"],
                                               o.get("worth", 0), o.get("scored", "at_end"),
                                               o.get("standing", ""))
                             for o in view["objectives"]),
            events=tuple((e["title"], e["text"]) for e in view["events"]),
            submitted=dict(view["submitted"]),
        )

    def set_submitted(self, submitted: Mapping[str, bool]) -> None:
        self.inner = _game_at(self.content, self.inner.state, submitted)

    @property
    def turn(self) -> int:
        return self.inner.turn

    @property
    def pending(self) -> Mapping[str, tuple[Order, ...]]:
        return self.inner.pending

    @property
    def label(self) -> str:
        return self.turn_view.label if self.turn_view else self.inner.label

    def is_over(self) -> bool:
        return self.over or self.inner.is_over()

    def values(self) -> dict[str, Value]:
        return self.inner.values()

    def view(self, role: str) -> RoleView:
        return self.turn_view if self.turn_view is not None else self.inner.view(role)

    def legal_actions(self, role: str) -> list[ActionOption]:
        options = self.inner.legal_actions(role)
        if self.host_legal is None:
            return options
        return [attrs.evolve(o, legal=o.order.key in self.host_legal,
                             reason=o.reason or NOT_NOW if o.order.key not in self.host_legal
                             else "")
                for o in options]

    def preview(self, role: str, orders: Sequence[Order]) -> Preview:
        known = [o for o in orders if self.content.action(role, o.key)]
        return self.inner.preview(role, known)


class RemoteSession:
    """What GameScreen reads from its session, for one seat at a host."""

    def __init__(self, content: Content, role: str, seats: Mapping[str, str]) -> None:
        self.content = content
        self.role = role
        self.seats = dict(seats)
        self.game = MirrorGame(content)
        self.drafts: dict[str, list[Order]] = {}

    def name(self, role: str) -> str:
        return role_name(role, self.content)

    def draft(self, role: str) -> list[Order]:
        return self.drafts.setdefault(role, [])

    def turn_text(self) -> str:
        g = self.game
        if g.is_over():
            return f"game over ({self.content.turns} turns)"
        return f"{g.label} · turn {g.turn}/{self.content.turns}"
