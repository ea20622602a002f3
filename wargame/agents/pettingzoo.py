"""PettingZoo environments: every seat a learner (docs/agents.md).

`parallel_env()` is the natural form — a turn's orders are simultaneous; `env()` is the
AEC form (PettingZoo's `parallel_to_aec`): seats act one after another, each seeing only
the turn-start view, and the turn resolves when the last has acted.

Observations are dicts: `observation` (the role's view as a fixed float vector, see
`wargame.agents.encoding`) and `action_mask` (the order sets legal now). `infos[agent]`
holds the same view in dict form (`view`, `legal`: the seat protocol's) and, after a step,
`orders` (what was played) and `illegal` (True if the action was masked and the seat
passed instead). Rewards: each role's change in score over the turn.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from gymnasium import spaces
from pettingzoo import ParallelEnv
from pettingzoo.utils import parallel_to_aec, wrappers
from pettingzoo.utils.env import AECEnv

from wargame.agents.common import dict_view, load, observation_space, render
from wargame.agents.encoding import DEFAULT_MAX_ORDERS, Encoding
from wargame.engine.content import Content
from wargame.engine.game import Game, OrderError

ObsDict = dict[str, Any]


class WargameParallelEnv(ParallelEnv[str, ObsDict, int]):  # type: ignore[misc]
    metadata: ClassVar[dict[str, Any]] = {
        "name": "wargame_v0",
        "render_modes": ["ansi", "human"],
        "is_parallelizable": True,
    }

    def __init__(
        self,
        scenario: str | Content = "convenor",
        *,
        max_orders: int = DEFAULT_MAX_ORDERS,
        render_mode: str | None = None,
    ) -> None:
        if render_mode is not None and render_mode not in self.metadata["render_modes"]:
            raise ValueError(f"render_mode must be one of {self.metadata['render_modes']}")
        self.content = load(scenario)
        self.render_mode = render_mode
        self.possible_agents = list(self.content.role_ids)
        self.agents: list[str] = []
        self.encodings = {r: Encoding(self.content, r, max_orders) for r in self.possible_agents}
        self.observation_spaces = {
            r: observation_space(e.size, e.actions_count) for r, e in self.encodings.items()
        }
        self.action_spaces = {
            r: spaces.Discrete(e.actions_count) for r, e in self.encodings.items()
        }
        self._seeds = np.random.default_rng()
        self.game = Game(self.content, 0)

    def observation_space(self, agent: str) -> spaces.Space[Any]:
        return self.observation_spaces[agent]

    def action_space(self, agent: str) -> spaces.Space[Any]:
        return self.action_spaces[agent]

    def observe(self, agent: str) -> ObsDict:
        enc = self.encodings[agent]
        return {"observation": enc.observe(self.game), "action_mask": enc.mask(self.game)}

    def reset(
        self, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[dict[str, ObsDict], dict[str, dict[str, Any]]]:
        """A new game. With `seed`, the game's seed is drawn from it (same seed, same game)."""
        if seed is not None:
            self._seeds = np.random.default_rng(seed)
        self.game = Game(self.content, int(self._seeds.integers(2**31 - 1)))
        self.agents = list(self.possible_agents)
        return (
            {a: self.observe(a) for a in self.agents},
            {a: dict_view(self.game, a) for a in self.agents},
        )

    def step(
        self, actions: dict[str, int]
    ) -> tuple[
        dict[str, ObsDict],
        dict[str, float],
        dict[str, bool],
        dict[str, bool],
        dict[str, dict[str, Any]],
    ]:
        game = self.game
        illegal: dict[str, bool] = {}
        for agent in self.agents:
            action = actions.get(agent)
            orders = () if action is None else self.encodings[agent].orders(int(action))
            masked = action is not None and not self.encodings[agent].mask(game)[int(action)]
            try:
                game.submit(agent, () if masked else orders)
            except OrderError:
                masked = True
                game.submit(agent, ())
            illegal[agent] = bool(masked)
        before = game.scores()
        report = game.resolve()
        after = game.scores()
        done = game.is_over()
        live = list(self.agents)
        observations = {a: self.observe(a) for a in live}
        infos = {
            a: {
                **dict_view(game, a),
                "orders": [o.key for o in report.orders.get(a, ())],
                "illegal": illegal[a],
            }
            for a in live
        }
        rewards = {a: float(after[a] - before[a]) for a in live}
        terminations = {a: done for a in live}
        truncations = {a: False for a in live}
        if done:
            self.agents = []
        if self.render_mode == "human":
            self.render()
        return observations, rewards, terminations, truncations, infos

    def render(self) -> str | None:
        return render(self.game, self.render_mode)

    def close(self) -> None:
        pass


def parallel_env(
    scenario: str | Content = "convenor",
    *,
    max_orders: int = DEFAULT_MAX_ORDERS,
    render_mode: str | None = None,
) -> WargameParallelEnv:
    return WargameParallelEnv(scenario, max_orders=max_orders, render_mode=render_mode)


def env(
    scenario: str | Content = "convenor",
    *,
    max_orders: int = DEFAULT_MAX_ORDERS,
    render_mode: str | None = None,
) -> AECEnv[str, ObsDict, int]:
    """The AEC form, with PettingZoo's order-enforcing wrapper."""
    aec = parallel_to_aec(parallel_env(scenario, max_orders=max_orders, render_mode=render_mode))
    return wrappers.OrderEnforcingWrapper(aec)
