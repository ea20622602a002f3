"""`wargame.api` is the declared public surface: every name there, typed, and enough to
play a game with the seat interface (docs/api.md)."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

import wargame.api as api

ROOT = Path(__file__).resolve().parents[2]
GAME_SURFACE = ("legal_actions", "submit", "view", "resolve", "clone", "is_over", "scores",
                "validate_orders", "withdraw", "preview", "take_back", "replay")


def test_every_public_name_exists_and_is_documented() -> None:
    doc = (ROOT / "docs" / "api.md").read_text()
    for name in api.__all__:
        assert hasattr(api, name), name
        assert f"`{name}" in doc or name in doc, f"{name} is not in docs/api.md"
    for method in GAME_SURFACE:
        assert f"{method}" in doc, method
    assert (ROOT / "wargame" / "py.typed").is_file()


@pytest.mark.parametrize("method", GAME_SURFACE)
def test_the_game_surface_is_typed(method: str) -> None:
    fn = getattr(api.Game, method)
    sig = inspect.signature(fn)
    assert sig.return_annotation is not inspect.Signature.empty, method
    for name, param in sig.parameters.items():
        if name not in ("self", "cls"):
            assert param.annotation is not inspect.Parameter.empty, (method, name)


def test_the_docs_example_plays_a_game() -> None:
    game = api.Game(api.load_scenario("convenor"), seed=1)
    while not game.is_over():
        for role in game.content.role_ids:
            legal = [o for o in game.legal_actions(role) if o.legal]
            game.submit(role, [legal[0].order])
        game.resolve()
    assert set(game.scores()) == set(game.content.role_ids)
    with pytest.raises(ValueError, match="no scenario 'nope'"):
        api.load_scenario("nope")
