"""The engine's API as bots, the TUI and scripts use it: legality, refusals, traces,
seeded chance, clones, previews and views."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wargame.engine.bots import BOTS
from wargame.engine.content import Content
from wargame.engine.game import Game, OrderError
from wargame.engine.resolve import format_delta, format_value, resolve_turn
from wargame.engine.rng import Rng, RngState
from wargame.engine.state import Order


def _play(game: Game, kind: str = "random") -> None:
    while not game.is_over():
        game.resolve({role: BOTS[kind](game, role) for role in game.content.role_ids})


def test_illegal_order_is_refused_with_reason_and_game_goes_on(convenor: Content) -> None:
    game = Game(convenor, 3)
    # convenor starts with the boycott running: backing it again is illegal
    report = game.resolve({"seoul": (Order("boycott"), Order("end_boycott"))})
    refused = [o for o in report.outcomes if o.result == "refused"]
    assert [(o.action, o.why) for o in refused] == [("boycott", "The boycott is already running.")]
    assert any(o.action == "end_boycott" and o.result == "ended" for o in report.outcomes)
    assert game.turn == 2


def test_spending_more_capital_than_held_is_refused(convenor: Content) -> None:
    game = Game(convenor, 3)
    capital = game.state.values["tokyo.capital"]
    orders = (Order("statement_of_remorse"), Order("restore_whitelist"), Order("bilateral_talks"))
    assert sum(convenor.action("tokyo", o.key).cost for o in orders) > capital  # type: ignore[union-attr]
    with pytest.raises(OrderError, match="capital"):
        game.submit("tokyo", orders)
    report = game.resolve({"tokyo": orders})
    last = [o for o in report.outcomes if o.role == "tokyo" and o.result == "refused"]
    assert last and "capital" in last[0].why


def test_unknown_action_and_bad_target_are_rejected_at_submit(convenor: Content) -> None:
    game = Game(convenor, 1)
    with pytest.raises(OrderError, match="no action 'nuke'"):
        game.submit("tokyo", [Order("nuke")])
    with pytest.raises(OrderError, match="needs a target"):
        game.submit("washington", [Order("side_with")])
    with pytest.raises(OrderError, match="cannot target"):
        game.submit("washington", [Order("side_with", "washington")])


def test_every_change_is_traced_with_its_inputs(convenor: Content) -> None:
    game = Game(convenor, 1)
    report = game.resolve({"seoul": (Order("bilateral_talks"),)})
    cost = [c for c in report.trace if c.name == "seoul.approval" and c.source == "action"]
    assert cost, "the landmine change must be traced to the action"
    inputs = dict(cost[0].inputs)
    assert "seoul.favorability.tokyo" in inputs and "cover" in inputs and "nk_threat" in inputs
    # Replaying the trace from the turn's start reproduces every end value.
    values = dict(report.before)
    for c in report.trace:
        if c.name in values:
            assert values[c.name] == c.before, c
            values[c.name] = c.after
    assert values == dict(report.after)


def test_same_seed_same_game_and_different_seed_differs(convenor: Content) -> None:
    a, b, c = Game(convenor, 5), Game(convenor, 5), Game(convenor, 6)
    for g in (a, b, c):
        _play(g)
    assert [r.hash for r in a.history] == [r.hash for r in b.history]
    assert [r.hash for r in a.history] != [r.hash for r in c.history]


def test_generator_state_saves_and_restores() -> None:
    rng = Rng.from_seed(42)
    for _ in range(5):
        rng.random()
    saved = rng.snapshot()
    first = [rng.random() for _ in range(10)]
    again = Rng(RngState(saved.state, saved.inc))
    assert [again.random() for _ in range(10)] == first
    assert all(0 <= x < 1 for x in first)
    rolls = Rng.from_seed(1)
    counts = [0, 0, 0]
    for _ in range(3000):
        counts[rolls.below(3)] += 1
    assert all(900 < c < 1100 for c in counts), counts


def test_clone_is_independent(convenor: Content) -> None:
    game = Game(convenor, 9)
    twin = game.clone()
    game.resolve({"tokyo": (Order("bilateral_talks"),)})
    assert twin.turn == 1 and twin.history == []
    twin.resolve()
    assert twin.state.hash() != game.state.hash()


def test_preview_does_not_touch_the_game(convenor: Content) -> None:
    game = Game(convenor, 2)
    before = game.state
    preview = game.preview("seoul", [Order("bilateral_talks")])
    assert game.state is before and game.pending == {}
    assert preview.outcomes[0].result == "backlash"
    assert preview.deltas["seoul.approval"][1] < preview.deltas["seoul.approval"][0]
    assert any("No trilateral cover" in w for w in preview.warnings)
    assert preview.capital_left == before.values["seoul.capital"] - 1


def test_views_hide_other_roles_orders_and_objectives(convenor: Content) -> None:
    game = Game(convenor, 2)
    game.submit("tokyo", [Order("bilateral_talks")])
    view = game.view("seoul")
    assert view.submitted["tokyo"] is True
    assert "bilateral_talks" not in repr(view)
    assert {o.id for o in view.objectives} == {
        o.id for o in convenor.objectives if o.role == "seoul"
    }


def test_views_hide_other_roles_capital(convenor: Content) -> None:
    view = Game(convenor, 2).view("seoul")
    assert view.values["seoul.capital"] == view.capital
    assert not {"washington.capital", "tokyo.capital"} & set(view.values)
    assert "japan_rok.trust" in view.values


def test_a_game_changes_only_through_its_methods(convenor: Content) -> None:
    game = Game(convenor, 2)
    game.submit("tokyo", [Order("bilateral_talks")])
    with pytest.raises(AttributeError):
        game.state = game.state  # type: ignore[misc]
    with pytest.raises(TypeError):
        game.pending["seoul"] = ()  # type: ignore[index]
    game.resolve()
    again = Game.from_history(convenor, 2, game.history, [*game.states, game.state])
    assert again.state == game.state and again.history == game.history
    with pytest.raises(ValueError, match="one state more"):
        Game.from_history(convenor, 2, game.history, game.states)


def test_take_back_restores_the_previous_turn(convenor: Content) -> None:
    game = Game(convenor, 4)
    start_hash = game.state.hash()
    report = game.resolve({"tokyo": (Order("lift_export_controls"),)})
    undone = game.take_back()
    assert undone is report and game.turn == 1 and game.state.hash() == start_hash


def test_game_is_over_after_the_last_turn(convenor: Content) -> None:
    game = Game(convenor, 8)
    _play(game, "heuristic")
    assert game.is_over() and len(game.history) == convenor.turns
    assert game.history[-1].over and not game.history[-2].over
    with pytest.raises(OrderError):
        game.submit("tokyo", [])


def test_heuristic_bots_outscore_random_ones(convenor: Content) -> None:
    totals = {"random": 0, "heuristic": 0}
    for seed in range(3):
        for kind in totals:
            game = Game(convenor, seed)
            _play(game, kind)
            totals[kind] += sum(game.scores().values())
    assert totals["heuristic"] > totals["random"]


@pytest.mark.parametrize("kind", ["random", "heuristic", "search:20"])
def test_bots_never_order_what_their_own_earlier_orders_rule_out(
    convenor: Content, kind: str
) -> None:
    """attend_trilateral and decline_trilateral exclude each other (rules/core.yaml): a bot
    orders one or the other, and intake refuses none of its orders."""
    games = 2 if kind.startswith("search") else 25
    both = refused = 0
    for seed in range(games):
        game = Game(convenor, seed)
        while not game.is_over():
            orders = {role: BOTS[kind](game, role) for role in convenor.role_ids}
            for os_ in orders.values():
                both += {"attend_trilateral", "decline_trilateral"} <= {o.action for o in os_}
            report = game.resolve(orders)
            refused += sum(o.result == "refused" for o in report.outcomes)
    assert both == 0
    assert refused == 0


def test_legal_after_an_order_leaves_out_what_it_rules_out(convenor: Content) -> None:
    from wargame.engine.playout import Playout

    p = Playout.start(convenor, 1)
    attend = next(a for a in p.legal("tokyo") if a.id == "attend_trilateral")
    ids = [a.id for a in p.legal("tokyo")]
    assert "decline_trilateral" in ids
    after = [a.id for a in p.legal("tokyo", [attend])]
    assert "decline_trilateral" not in after
    assert set(after) == set(ids) - {"decline_trilateral"}


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32), turns=st.integers(1, 12))
def test_cohesion_never_exceeds_weakest_leg_by_much(
    convenor: Content, seed: int, turns: int
) -> None:
    game = Game(convenor, seed)
    for _ in range(turns):
        report = game.resolve({role: BOTS["random"](game, role) for role in convenor.role_ids})
        v = report.after
        legs = [float(v["us_japan.trust"]), float(v["us_rok.trust"]), float(v["japan_rok.trust"])]
        assert float(v["cohesion"]) <= min(legs) + 10 + 1e-9
        for name, var in convenor.variables.items():
            if not var.is_flag:
                assert var.min <= float(v[name]) <= var.max, name


def test_resolution_is_pure(convenor: Content) -> None:
    game = Game(convenor, 11)
    orders = {"tokyo": (Order("export_controls"),), "seoul": (Order("seize_assets"),)}
    one = resolve_turn(convenor, game.state, orders)
    two = resolve_turn(convenor, game.state, orders)
    assert one[1] == two[1] and one[0] == two[0]
    no_events = attrs.evolve(convenor, events=())
    quiet = [resolve_turn(no_events, game.state, orders)[1] for _ in range(2)]
    assert quiet[0] == quiet[1]
    assert len(quiet[0].hash) == 64 and set(quiet[0].hash) <= set("0123456789abcdef")


def test_trace_inputs_are_the_values_the_amount_was_computed_from(convenor: Content) -> None:
    game = Game(convenor, 1)
    report = game.resolve({"seoul": (Order("bilateral_talks"),)})
    gain = next(c for c in report.trace if c.name == "japan_rok.trust" and c.source == "action")
    inputs = dict(gain.inputs)
    # The amount reads japan_rok.trust itself (diminishing returns): the input is the old value.
    assert inputs["japan_rok.trust"] == gain.before != gain.after


def test_preview_measures_from_now_and_isolates_the_orders(convenor: Content) -> None:
    game = Game(convenor, 2)
    now = game.state.values
    preview = game.preview("tokyo", [Order("lift_export_controls")])
    for name, (before, _after) in preview.deltas.items():
        assert before == now[name], name  # from what the player sees, events included
    assert preview.versus_pass["export_controls"] == (True, False)
    # Drift that happens anyway is not an effect of the orders.
    assert "nk_threat" in preview.deltas and "nk_threat" not in preview.versus_pass


def test_objective_standing_says_what_each_objective_is_worth(convenor: Content) -> None:
    view = Game(convenor, 2).view("washington")
    specs = {o.id: o for o in convenor.objectives if o.role == "washington"}
    assert {(s.id, s.worth, s.scored) for s in view.objectives} == {
        (o.id, o.points, o.scored) for o in specs.values()
    }


@pytest.mark.parametrize(("before", "after", "shown"), [
    (50, 52.5, "+2.5"),
    (50, 49, "−1"),  # a true minus sign
    (40.0, 40.0, "±0"),  # no change, or one too small to show, has no sign
    (40.0, 40.04, "±0"),
    (40.0, 39.96, "±0"),
    (40.0, 40.06, "+0.1"),
    (0, 3, "+3"),
    (False, True, "on"),
    (True, False, "off"),
])
def test_format_delta_is_how_every_view_writes_a_change(
        before: float | bool, after: float | bool, shown: str) -> None:
    assert format_delta(before, after) == shown


def test_format_value_rounds_to_one_decimal_and_names_flags() -> None:
    assert [format_value(v) for v in (52.26, 52.0, 7, 0.04, True, False)] == [
        "52.3", "52", "7", "0", "yes", "no"]
