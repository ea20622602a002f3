"""A role's view holds nothing another role keeps to itself: their capital (in values, the
last report's values and trace, and the reasons their orders were refused) and their orders
before the turn resolves."""

from __future__ import annotations

from wargame.engine.content import Content
from wargame.engine.game import Game
from wargame.engine.state import Order
from wargame.engine.visibility import REFUSED_UNSEEN, hidden_names, report_as


def test_view_leaves_out_other_roles_capital(convenor: Content) -> None:
    view = Game(convenor, 2).view("tokyo")
    assert "tokyo.capital" in view.values
    assert "seoul.capital" not in view.values and "washington.capital" not in view.values
    assert view.last_report is None


def test_last_report_is_as_the_role_saw_it(convenor: Content) -> None:
    game = Game(convenor, 2)
    # Seoul asks for more than it can pay for: its refusal reason names its capital.
    full = game.resolve({
        "seoul": (Order("compensation_fund"), Order("bilateral_talks"), Order("wto_complaint"),
                  Order("restore_gsomia")),
        "tokyo": (Order("bilateral_talks"),),
    })
    assert any(o.result == "refused" and "capital" in o.why for o in full.outcomes)
    assert any(c.name == "seoul.capital" for c in full.trace)
    last = game.view("tokyo").last_report
    assert last is not None and last.turn == full.turn
    assert last.orders == full.orders  # resolved orders are public
    hidden = hidden_names(convenor, "tokyo")
    assert hidden == {"seoul.capital", "washington.capital"}
    assert not hidden & set(last.after) and not hidden & set(last.before)
    assert all(c.name not in hidden for c in last.trace)
    assert all(n not in hidden for c in last.trace for n, _ in c.inputs)
    assert [o.why for o in last.outcomes if o.role == "seoul" and o.result == "refused"] == [
        REFUSED_UNSEEN
    ] * sum(1 for o in full.outcomes if o.role == "seoul" and o.result == "refused")
    assert last.hash == ""
    # Seoul sees its own reasons in full.
    mine = report_as(convenor, full, "seoul")
    assert [o.why for o in mine.outcomes if o.role == "seoul"] == [
        o.why for o in full.outcomes if o.role == "seoul"
    ]
    assert "seoul.capital" in mine.after
