"""What one role may see. Every view of the game given to a seat goes through here.

Hidden from a role: the other roles' political capital (what they can still afford is their
own business), the other roles' objectives, and the orders they have submitted for the turn
not yet resolved. Everything else — public values, flags, events, and once a turn resolves,
every role's orders and their outcomes — is seen by all.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import attrs

from wargame.engine.content import Content
from wargame.engine.state import Change, OrderOutcome, TurnReport, Value

REFUSED_UNSEEN = "refused at intake (why is known only to that government)"
"""The reason shown to others for a role's refused order: the real one can name its capital."""


def hidden_names(content: Content, *roles: str) -> frozenset[str]:
    """The values `roles` (one role, or the humans at one screen) may not see: every other
    role's capital."""
    return frozenset(f"{r}.capital" for r in content.role_ids if r not in roles)


def visible_values(
    content: Content, values: Mapping[str, Value], role: str
) -> dict[str, Value]:
    hidden = hidden_names(content, role)
    return {k: v for k, v in values.items() if k not in hidden}


def _change_as(change: Change, hidden: frozenset[str]) -> Change:
    if not any(name in hidden for name, _ in change.inputs):
        return change
    return attrs.evolve(
        change, inputs=tuple((n, v) for n, v in change.inputs if n not in hidden)
    )


def _outcome_as(outcome: OrderOutcome, roles: Collection[str]) -> OrderOutcome:
    if outcome.role in roles or outcome.result != "refused":
        return outcome
    return attrs.evolve(outcome, why=REFUSED_UNSEEN)


def report_as(content: Content, report: TurnReport, role: str) -> TurnReport:
    """A resolved turn as `role` saw it: no other role's capital in values, trace or reasons.

    The state hash is blanked: it is a digest of hidden values too.
    """
    return report_for_seats(content, report, (role,))


def report_for_seats(content: Content, report: TurnReport, roles: Collection[str]) -> TurnReport:
    """The turn as the people at one screen may see it: `roles` are the humans sitting there
    (a hot seat has several); every other role's capital and refusal reasons are hidden."""
    hidden = hidden_names(content, *roles)
    return attrs.evolve(
        report,
        outcomes=tuple(_outcome_as(o, roles) for o in report.outcomes),
        trace=tuple(_change_as(c, hidden) for c in report.trace if c.name not in hidden),
        before={k: v for k, v in report.before.items() if k not in hidden},
        after={k: v for k, v in report.after.items() if k not in hidden},
        hash="",
    )
