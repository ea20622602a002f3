"""The orders file of `wargame run` (docs/reference.md), declared once; which roles and
actions exist is the scenario's business (wargame.storage.orders_file)."""

from __future__ import annotations

from typing import Annotated

import attrs

from wargame.formats.declare import NULLABLE, declared, field


@declared("order", "One order: an action id, and a target role for targeted actions")
@attrs.frozen(kw_only=True)
class OrderSpec:
    action: str = field("An action id")
    target: str | None = field("The target role, for targeted actions", default=None)


# `side_with:tokyo` or {action: side_with, target: tokyo}
OrderItem = str | OrderSpec
TurnOrders = dict[str, Annotated[OrderItem | list[OrderItem], NULLABLE]]


@declared("orders file", "Scripted orders for `wargame run`")
@attrs.frozen(kw_only=True)
class OrdersFile:
    scenario: str | None = field(
        "The scenario these orders are for (a bundled id or a path from this file), so that "
        "`wargame validate` can check them",
        default=None,
    )
    turns: list[Annotated[TurnOrders, NULLABLE]] = field(
        "One entry per turn, in order: role → its orders (empty: every role passes)"
    )
