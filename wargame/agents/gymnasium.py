"""A Gymnasium environment for one seat; the other seats are bots (docs/agents.md).

`WargameEnv(scenario, role="tokyo", opponents="heuristic")`: the observation and action are
those of `wargame.agents.pettingzoo` for that role (a dict of `observation` and
`action_mask`; an index into the role's order sets); `action_masks()` gives the mask too (as
sb3-contrib's MaskablePPO expects). Reward: the role's change in score over the turn.
A masked action is played as a pass, with `info["illegal"] = True`.
Registered as `wargame/Wargame-v0` when this module is imported.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import gymnasium
import numpy as np
import numpy.typing as npt
from gymnasium import spaces

from wargame.agents.common import dict_view, load, observation_space, render
from wargame.agents.encoding import DEFAULT_MAX_ORDERS, Encoding
from wargame.engine.bots import BOTS
from wargame.engine.content import Content
from wargame.engine.game import Game, OrderError
from wargame.engine.state import Order

Seat = Callable[[Game, str], tuple[Order, ...]]


class WargameEnv(gymnasium.Env[dict[str, Any], np.int64]):
    metadata: dict[str, Any] = {"render_modes": ["ansi", "human"], "render_fps": 1}  # noqa: RUF012

    def __init__(
        self,
        scenario: str | Content = "convenor",
        role: str = "washington",
        opponents: str | Seat | Mapping[str, str | Seat] = "heuristic",
        *,
        max_orders: int = DEFAULT_MAX_ORDERS,
        render_mode: str | None = None,
    ) -> None:
        if render_mode is not None and render_mode not in self.metadata["render_modes"]:
            raise ValueError(f"render_mode must be one of {self.metadata['render_modes']}")
        self.content = load(scenario)
        if role not in self.content.role_ids:
            raise ValueError(f"{self.content.id} has no role {role!r}")
        self.role = role
        self.render_mode = render_mode
        self.others: dict[str, Seat] = {}
        for other in self.content.role_ids:
            if other == role:
                continue
            seat = (
                opponents.get(other, "heuristic") if isinstance(opponents, Mapping) else opponents
            )
            if isinstance(seat, str):
                if seat not in BOTS:
                    raise ValueError(f"unknown bot kind {seat!r}; one of: {', '.join(BOTS)}")
                seat = BOTS[seat]
            self.others[other] = seat
        self.encoding = Encoding(self.content, role, max_orders)
        self.observation_space = observation_space(
            self.encoding.size, self.encoding.actions_count
        )
        self.action_space = spaces.Discrete(self.encoding.actions_count)
        self.game = Game(self.content, 0)

    def _obs(self) -> dict[str, Any]:
        return {
            "observation": self.encoding.observe(self.game),
            "action_mask": self.encoding.mask(self.game),
        }

    def action_masks(self) -> npt.NDArray[np.bool_]:
        return self.encoding.mask(self.game).astype(bool)

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        super().reset(seed=seed)
        self.game = Game(self.content, int(self.np_random.integers(2**31 - 1)))
        return self._obs(), dict_view(self.game, self.role)

    def step(
        self, action: np.int64 | int
    ) -> tuple[dict[str, Any], float, bool, bool, dict[str, Any]]:
        game = self.game
        if game.is_over():
            raise RuntimeError("the game is over: call reset()")
        index = int(action)
        illegal = not (0 <= index < self.encoding.actions_count) or not self.encoding.mask(game)[
            index
        ]
        try:
            game.submit(self.role, () if illegal else self.encoding.orders(index))
        except OrderError:
            illegal = True
            game.submit(self.role, ())
        for other, seat in self.others.items():
            try:
                game.submit(other, seat(game, other))
            except OrderError:
                game.submit(other, ())
        before = game.scores()[self.role]
        report = game.resolve()
        reward = float(game.scores()[self.role] - before)
        info = {
            **dict_view(game, self.role),
            "orders": [o.key for o in report.orders.get(self.role, ())],
            "illegal": illegal,
        }
        if self.render_mode == "human":
            self.render()
        return self._obs(), reward, game.is_over(), False, info

    def render(self) -> str | None:
        return render(self.game, self.render_mode)


gymnasium.register(id="wargame/Wargame-v0", entry_point=WargameEnv)  # type: ignore[arg-type]
