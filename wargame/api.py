"""The stable public Python API (docs/api.md). Scripts, bots, agents and notebooks import
from here; these names and signatures change only with a deprecation period.

    from wargame.api import Game, Order, load_scenario
    game = Game(load_scenario("convenor"), seed=1)
    for role in game.content.role_ids:
        legal = [o.order for o in game.legal_actions(role) if o.legal]
        game.submit(role, legal[:1])
    report = game.resolve()
"""

from __future__ import annotations

from pathlib import Path

from wargame.engine.bots import BOTS
from wargame.engine.content import Content
from wargame.engine.game import (
    ActionOption,
    Game,
    ObjectiveStanding,
    OrderError,
    Preview,
    RoleView,
    parse_order,
)
from wargame.engine.state import Order, OrderOutcome, TurnReport, Value
from wargame.engine.visibility import report_as

__all__ = [
    "BOTS",
    "ActionOption",
    "Content",
    "Game",
    "ObjectiveStanding",
    "Order",
    "OrderError",
    "OrderOutcome",
    "Preview",
    "RoleView",
    "TurnReport",
    "Value",
    "load_scenario",
    "parse_order",
    "report_as",
]


def load_scenario(name: str | Path) -> Content:
    """A bundled scenario by id (`"convenor"`) or a scenario YAML file by path.

    Raises ValueError for an unknown id or missing file, and
    `wargame.storage.content_loader.ContentError` (with `problems`, one `FILE:LINE:COL:
    message` each: the first 50, then a count of the rest, in `every`) for a file that does
    not validate.
    """
    from wargame.paths import bundled_scenarios, find_scenario
    from wargame.storage.content_loader import load_content

    path = find_scenario(str(name))
    if path is None:
        known = ", ".join(p.stem for p in bundled_scenarios())
        raise ValueError(f"no scenario {str(name)!r}: give a bundled id ({known}) or a YAML file")
    return load_content(path)
