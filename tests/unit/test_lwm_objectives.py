"""The Low-Water Mark's issue-7 objectives score what they say: a measure undone within two
turns costs its government 2 points (keeps_its_word), and Washington earns 3 for ending with
the Japan–ROK leg mended (bridge_built). Played through the engine, events off."""

from __future__ import annotations

from functools import cache

import attrs

from wargame.engine.content import Content
from wargame.engine.resolve import objective_status, resolve_turn, scores, start
from wargame.engine.state import GameState, Order
from wargame.paths import find_scenario
from wargame.storage.content_loader import load_content


@cache
def _content() -> Content:
    path = find_scenario("low-water-mark")
    assert path is not None
    return attrs.evolve(load_content(path), events=())


def _play(turns: list[dict[str, list[str]]], **values: float | bool) -> GameState:
    content = _content()
    state = start(content, 7)
    state = attrs.evolve(state, values={**state.values, **values})
    for orders in turns:
        state, _ = resolve_turn(
            content, state, {r: tuple(Order(a) for a in acts) for r, acts in orders.items()}
        )
    return state


def test_undoing_the_boycott_within_two_turns_costs_seoul_two_points() -> None:
    quick = _play([{"seoul": ["boycott"]}, {"seoul": ["end_boycott"]}, {}])
    slow = _play([{"seoul": ["boycott"]}, {}, {}, {"seoul": ["end_boycott"]}])
    assert quick.tallies.get("seoul.keeps_its_word") == 1
    assert "seoul.keeps_its_word" not in slow.tallies
    assert not quick.values["boycott"] and not slow.values["boycott"]
    # The same objective counts -2 for the one reversal; the rest of the score is Seoul's own.
    content = _content()
    points = {o.key: o.points for o in content.objectives}
    assert points["seoul.keeps_its_word"] == -2


def test_tokyo_lifting_its_controls_a_quarter_later_is_scored_against_it() -> None:
    state = _play([{"tokyo": ["export_controls"]}, {"tokyo": ["lift_export_controls"]}])
    assert state.tallies.get("tokyo.keeps_its_word") == 1
    assert "seoul.keeps_its_word" not in state.tallies


def test_washington_earns_the_bridge_only_with_japan_rok_trust_at_30() -> None:
    content = _content()
    mended = _play([{}], **{"japan_rok.trust": 40.0})
    broken = _play([{}], **{"japan_rok.trust": 12.0})
    assert mended.values["japan_rok.trust"] >= 30 > broken.values["japan_rok.trust"]

    def bridge(state: GameState) -> bool:
        status = {oid: holds for oid, _, holds, _ in objective_status(content, state, "washington")}
        return status["bridge_built"]

    assert bridge(mended) and not bridge(broken)
    # An end goal: worth 3 in the final score while it holds.
    points = {o.key: o.points for o in content.objectives}
    assert points["washington.bridge_built"] == 3
    assert scores(content, mended)["washington"] - scores(content, broken)["washington"] >= 3
