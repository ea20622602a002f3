"""What the PettingZoo and Gymnasium environments share: loading, spaces, the dict view."""

from __future__ import annotations

from typing import Any

import numpy as np
from gymnasium import spaces

from wargame.engine.content import Content
from wargame.engine.game import Game
from wargame.seats.protocol import legal_json, view_json


def load(scenario: str | Content) -> Content:
    """A bundled scenario id, a YAML path, or already loaded Content."""
    if isinstance(scenario, Content):
        return scenario
    from wargame.api import load_scenario

    return load_scenario(scenario)


def observation_space(size: int, actions: int) -> spaces.Dict:
    return spaces.Dict({
        "observation": spaces.Box(0.0, 1.0, shape=(size,), dtype=np.float32),
        "action_mask": spaces.Box(0, 1, shape=(actions,), dtype=np.int8),
    })


def dict_view(game: Game, role: str) -> dict[str, Any]:
    """The role's view as the seat protocol sends it (`view` and `legal`), for `infos`."""
    return {"view": view_json(game.view(role)), "legal": legal_json(game, role)}


def render(game: Game, mode: str | None) -> str | None:
    """The envs' `render()`: the text for "ansi", printed for "human", nothing without a mode."""
    if mode is None:
        return None
    text = render_text(game)
    if mode == "human":
        print(text)
        return None
    return text


def render_text(game: Game) -> str:
    last = game.history[-1] if game.history else None
    head = f"{game.content.title}: turn {min(game.turn, game.content.turns)} ({game.label})"
    if last is None:
        return head
    lines = [head, f"last turn ({last.label}):"]
    lines += [f"  {o.role} {o.action}{':' + o.target if o.target else ''} → {o.result}"
              for o in last.outcomes]
    lines.append("  scores: " + ", ".join(f"{r} {s}" for r, s in last.scores.items()))
    return "\n".join(lines)
