"""The reinforcement-learning adapters pass PettingZoo's and Gymnasium's own checks, and
what they observe is only what the seat may see."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

pytest.importorskip("pettingzoo", reason="needs the agents extra")

import gymnasium
from gymnasium.utils.env_checker import check_env
from pettingzoo.test import (
    api_test,
    parallel_api_test,
    parallel_seed_test,
    seed_test,
)

from wargame.agents.encoding import Encoding
from wargame.agents.gymnasium import WargameEnv
from wargame.agents.pettingzoo import env, parallel_env
from wargame.engine.content import Content
from wargame.engine.game import Game


def test_pettingzoo_api_test(convenor: Content) -> None:
    api_test(env(convenor), num_cycles=200)


def test_pettingzoo_parallel_api_test(convenor: Content) -> None:
    parallel_api_test(parallel_env(convenor), num_cycles=200)


def test_pettingzoo_seed_tests(convenor: Content) -> None:
    seed_test(lambda: env(convenor), num_cycles=50)
    parallel_seed_test(lambda: parallel_env(convenor), num_cycles=50)


@pytest.mark.parametrize("role", ["washington", "tokyo", "seoul"])
def test_gymnasium_check_env(convenor: Content, role: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # check_env's warnings are failures here
        made = gymnasium.make("wargame/Wargame-v0", scenario=convenor, role=role,
                              render_mode="ansi", disable_env_checker=True)
        assert isinstance(made.unwrapped, WargameEnv)
        check_env(made.unwrapped, skip_render_check=False)


def test_a_masked_random_policy_plays_whole_games_legally(convenor: Content) -> None:
    par = parallel_env(convenor)
    for seed in range(3):
        obs, infos = par.reset(seed=seed)
        start = par.game.scores()
        rng = np.random.default_rng(seed)
        total = {a: 0.0 for a in par.possible_agents}
        steps = 0
        while par.agents:
            actions = {}
            for agent in par.agents:
                mask = obs[agent]["action_mask"]
                assert mask[0] == 1  # passing is always allowed
                actions[agent] = int(rng.choice(np.flatnonzero(mask)))
            obs, rewards, _terms, _truncs, infos = par.step(actions)
            steps += 1
            for a, r in rewards.items():
                total[a] += r
            assert not any(i["illegal"] for i in infos.values())
        assert steps == convenor.turns
        # Rewards add up to each role's change in standing over the game.
        assert total == {a: float(s - start[a]) for a, s in par.game.scores().items()}


def test_the_mask_is_the_engines_legality(convenor: Content) -> None:
    game = Game(convenor, 4)
    for role in convenor.role_ids:
        enc = Encoding(convenor, role)
        mask = enc.mask(game)
        for i, orders in enumerate(enc.order_sets):
            ok = not game.validate_orders(role, orders) and all(
                o.legal for o in game.legal_actions(role) if o.order in orders
            )
            assert bool(mask[i]) == ok, (role, orders)


def test_observations_hold_no_other_roles_capital(convenor: Content) -> None:
    for role in convenor.role_ids:
        names = Encoding(convenor, role).names
        assert f"{role}.capital" in names
        assert not [n for n in names if n.endswith(".capital") and n != f"{role}.capital"]
    # Changing only another role's capital changes nothing Tokyo observes.
    import attrs

    game = Game(convenor, 4)
    enc = Encoding(convenor, "tokyo")
    before = enc.observe(game)
    values = dict(game.state.values)
    values["seoul.capital"] = 0.0
    values["washington.capital"] = 6.0
    game2 = Game.from_history(convenor, 4, [], [attrs.evolve(game.state, values=values)])
    assert np.array_equal(enc.observe(game2), before)
    _, infos = parallel_env(convenor).reset(seed=1)
    assert "seoul.capital" not in str(infos["tokyo"])
