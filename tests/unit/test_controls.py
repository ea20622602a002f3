"""The white cell's controls (inject, override): the rule for each change they make, kept in
the save and applied again by every replay, so that `replay --verify` stays exact."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wargame.engine.content import Content
from wargame.engine.control import Control, ControlError, ValueChange, override
from wargame.engine.game import Game
from wargame.formats.controls import ControlFormatError, control_from_json, control_json
from wargame.storage.save_format import sign_bytes
from wargame.storage.saves import (
    SaveError,
    fork_game,
    load_game,
    open_replay,
    save_game_to,
    verify_save,
)

TYPHOON = Control("inject", 2, "stress test", title="Typhoon", text="Bases are damaged.",
                  changes=(ValueChange("us_japan.trust", "add", -5.0),
                           ValueChange("gsomia", "set", False)))


def _controlled(convenor: Content) -> Game:
    g = Game(convenor, 11)
    g.control(Control("inject", 1, "a war in Europe now", event="ukraine_war"))
    g.control(override(1, "tokyo.capital", 1, "a budget fight"))
    g.resolve()
    g.control(TYPHOON)
    g.resolve()
    return g


def test_each_change_is_traced_to_the_umpire_with_the_reason(convenor: Content) -> None:
    g = Game(convenor, 11)
    before = g.state.values["china_pressure"]
    g.control(Control("inject", 1, "a war in Europe now", event="ukraine_war"))
    assert g.state.values["china_pressure"] == before + 8
    assert "ukraine_war" in g.state.fired_once  # a once-only event does not fire again
    fired = g.state.events[-1]
    assert (fired.id, fired.title) == ("umpire:inject:ukraine_war",
                                       "White cell: Russia invades Ukraine")
    assert "a war in Europe now" in fired.text
    g.control(override(1, "tokyo.capital", 1, "a budget fight"))
    report = g.resolve()
    umpire = [c for c in report.trace if c.source == "umpire"]
    assert [(c.name, c.source_id, c.why) for c in umpire] == [
        ("china_pressure", "inject:ukraine_war", "a war in Europe now"),
        ("us_commitment", "inject:ukraine_war", "a war in Europe now"),
        ("tokyo.capital", "override", "a budget fight"),
    ]
    assert report.before["tokyo.capital"] == 3  # the turn's start, before events and controls


@pytest.mark.parametrize(("control", "says"), [
    (override(1, "cohesion", 500), "cohesion is a number from 0 to 100, not 500"),
    (override(1, "gsomia", 1), "gsomia is a flag"),
    (override(1, "nope", 1), "no value 'nope'"),
    (override(2, "cohesion", 50), "this control is for turn 2; the game is at turn 1"),
    (Control("inject", 1, event="nope"), "no event 'nope'"),
    (Control("inject", 1, title="x"), "at least one value change"),
    (Control("inject", 1, changes=(ValueChange("trade", "add", 1.0),)), "needs a title"),
    (Control("veto", 1), "unknown control 'veto'"),
])
def test_a_control_that_cannot_apply_changes_nothing(convenor: Content, control: Control,
                                                     says: str) -> None:
    g = Game(convenor, 11)
    state = g.state
    with pytest.raises(ControlError) as err:
        g.control(control)
    assert says in str(err.value)
    assert g.state == state and g.controls == []


def test_a_saved_game_replays_its_controls_exactly(convenor: Content, tmp_path: Path) -> None:
    g = _controlled(convenor)
    save = save_game_to(g, tmp_path / "g.json", seats={})
    assert verify_save(save).ok
    loaded = load_game(save).game
    assert loaded.state == g.state and loaded.controls == g.controls
    replay = open_replay(save)
    assert replay.report(2).hash == g.history[1].hash
    assert Game.replay(convenor, 11, g.orders_history(), g.controls).state == g.state
    # A fork at turn 2 starts from the state its orders met: the typhoon is part of it.
    fork = load_game(fork_game(save, 2, folder=tmp_path)).game
    assert [c.turn for c in fork.controls] == [1, 1, 2]
    assert fork.state.values["gsomia"] is False


def test_a_save_whose_controls_were_removed_does_not_verify(convenor: Content,
                                                           tmp_path: Path) -> None:
    save = save_game_to(_controlled(convenor), tmp_path / "g.json", seats={})
    doc = json.loads(save.read_text())
    doc["controls"] = doc["controls"][:1]  # the override and the typhoon are gone
    save.write_bytes(sign_bytes(json.dumps(doc).encode()))
    result = verify_save(save)
    assert not result.ok
    assert result.divergence is not None and result.divergence.turn == 1
    assert "tokyo.capital" in result.divergence.describe()


@pytest.mark.parametrize(("controls", "says"), [
    ([{"turn": 9, "kind": "override", "name": "cohesion", "value": 1}],
     'bad field "controls[0].turn"'),
    ([{"turn": 1, "kind": "veto"}], 'bad field "controls[0]": "kind" is one of'),
    ([{"turn": 1, "kind": "override", "name": "cohesion", "value": 900}],
     "the white cell's control at turn 1 cannot be applied: cohesion is a number"),
])
def test_bad_controls_in_a_save_are_named(convenor: Content, tmp_path: Path,
                                          controls: list[object], says: str) -> None:
    save = save_game_to(Game(convenor, 11), tmp_path / "g.json", seats={})
    doc = json.loads(save.read_text())
    doc["controls"] = controls
    save.write_bytes(sign_bytes(json.dumps(doc).encode()))
    with pytest.raises(SaveError) as err:
        load_game(save)
    assert says in err.value.message


def test_take_back_drops_the_controls_of_the_turn_it_leaves(convenor: Content) -> None:
    g = _controlled(convenor)
    g.take_back()  # back to turn 2, with the typhoon applied
    assert [c.turn for c in g.controls] == [1, 1, 2]
    g.take_back()
    assert [c.turn for c in g.controls] == [1, 1]


@pytest.mark.parametrize("control", [TYPHOON, override(3, "trade", 90.5, "why"),
                                     Control("inject", 4, "", event="ukraine_war")])
def test_the_json_form_reads_back_the_same(control: Control) -> None:
    assert control_from_json(control_json(control)) == control


@pytest.mark.parametrize(("obj", "says"), [
    ({"kind": "override", "turn": 1, "name": "x", "value": "high"}, '"value" is a number'),
    ({"kind": "override", "turn": 1, "name": "x", "value": 10**400}, '"value" is a number'),
    ({"kind": "override", "turn": 1, "name": "x", "value": float("nan")}, '"value" is a number'),
    ({"kind": "override", "turn": 1, "value": 1}, 'an override needs "name"'),
    ({"kind": "inject", "turn": 1, "changes": [{"name": "x", "add": 1, "set": 2}]},
     '"changes"[0] is'),
    ({"kind": "inject", "turn": 1, "event": "e", "changes": [{"name": "x", "add": 1}]},
     "not both"),
    ({"kind": "inject", "turn": True, "event": "e"}, '"turn" is the turn'),
    ({"kind": "inject", "turn": 1, "event": "e", "rationale": 5}, '"rationale" is text'),
])
def test_bad_json_controls_are_named(obj: dict[str, object], says: str) -> None:
    with pytest.raises(ControlFormatError) as err:
        control_from_json(obj)
    assert says in str(err.value)
