"""What a player is shown, computed by the engine: the values the content reads (with bands),
previews against the others' likely replies, and objective standings scored as the engine
scores them."""

from __future__ import annotations

import re

from wargame.engine.bots import BOTS, likely_replies
from wargame.engine.content import Content
from wargame.engine.game import Game
from wargame.engine.reads import band, read_values
from wargame.engine.state import Order


def test_board_values_come_from_what_the_content_reads(convenor: Content) -> None:
    read = {r.name: r for r in read_values(convenor)}
    # The values issue 9 found missing from the board are all read by some rule or objective.
    for name in ("us_commitment", "trade", "tokyo.grievance", "seoul.leverage", "travel_bans"):
        assert name in read
    assert not any(n.endswith(".capital") for n in read)
    # Each objective's own cut-off ("… 75 or more") is among its value's thresholds.
    for obj in convenor.objectives:
        m = re.fullmatch(r"\s*([a-z_.]+)\s*>=\s*(\d+)\s*", obj.when.source)
        if m and m.group(1) in read:
            assert float(m.group(2)) in read[m.group(1)].thresholds, obj.id
    # Nothing nobody reads (Americans' favour toward Japan feeds no rule or objective).
    assert "washington.favorability.tokyo" not in read


def test_band_words_follow_the_thresholds() -> None:
    assert band(69.0, (70.0,)) == "low" and band(70.0, (70.0,)) == "high"
    assert band(30.0, (25.0, 65.0)) == "middling"
    assert band(True, ()) == "on" and band(False, ()) == "off"
    assert band(10.0, (), 0, 100) == "low" and band(90.0, (), 0, 100) == "high"


def test_preview_shows_both_cases_and_touches_no_roll(convenor: Content) -> None:
    game = Game(convenor, 1)
    before = game.state.hash()
    others = {"tokyo": (Order("attend_trilateral"),), "seoul": (Order("attend_trilateral"),)}
    preview = game.preview("washington", [Order("convene_trilateral")], others)
    assert [o.result for o in preview.outcomes] == ["snubbed"]  # the others pass: empty chair
    assert preview.likely is not None
    assert [o.result for o in preview.likely.outcomes] == ["convened"]
    assert preview.others == others
    # Convening helps when they come: US–Japan trust ends higher than if Washington passed.
    without, with_orders = preview.likely.versus_pass["us_japan.trust"]
    assert with_orders > without
    assert game.state.hash() == before


def test_likely_replies_are_a_guess_on_a_side_stream(convenor: Content) -> None:
    game = Game(convenor, 5)
    before = game.state.hash()
    mine = next(o.order for o in game.legal_actions("tokyo") if o.legal and o.cost > 0)
    game.submit("tokyo", (mine,))  # submitted orders stay secret
    seats = {"tokyo": "human", "seoul": "random"}
    first = likely_replies(game, "washington", seats)
    assert set(first) == {"tokyo", "seoul"}
    assert likely_replies(game, "washington", seats) == first  # reproducible
    assert game.state.hash() == before and game.pending == {"tokyo": (mine,)}


def test_end_goals_bank_nothing_before_the_end(convenor: Content) -> None:
    game = Game(convenor, 2)
    for role in convenor.role_ids:
        for obj in game.view(role).objectives:
            if obj.scored == "at_end":  # banks nothing yet, held or not
                assert obj.points == 0
            good = obj.holds == (obj.worth > 0)
            assert obj.standing == ("on track" if good else "at risk"), obj
    assert game.banked_scores() == {r: 0 for r in convenor.role_ids}
    while not game.is_over():
        game.resolve({role: BOTS["heuristic"](game, role) for role in convenor.role_ids})
    assert game.banked_scores() == game.scores()
    for role in convenor.role_ids:
        for obj in game.view(role).objectives:
            assert obj.standing in ("met", "missed")
            if obj.scored == "at_end":
                assert obj.points == (obj.worth if obj.holds else 0)
                assert (obj.standing == "met") == (obj.holds == (obj.worth > 0))


def test_load_list_shows_the_turn_a_save_is_at(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from wargame.storage.saves import SaveInfo
    from wargame.tui.replay.load_screen import turn_text

    def info(played: int, over: bool) -> SaveInfo:
        return SaveInfo(tmp_path / "x.json", "x", "autosave", "convenor", "The Convenor",
                        played, 12, over, {}, 0.0, True, "", "g")

    assert turn_text(info(6, False)) == "turn 7/12"  # six turns played: turn 7 is next
    assert turn_text(info(12, True)) == "over (12 turns)"


def test_old_autosaves_are_pruned_and_named_saves_kept(tmp_path, convenor: Content) -> None:  # type: ignore[no-untyped-def]
    import os

    from wargame.storage.saves import autosave, save_game_to
    from wargame.tui.saving import prune_autosaves

    game = Game(convenor, 1)
    seats = dict.fromkeys(convenor.role_ids, "heuristic")
    for i in range(5):
        path = autosave(game, seats=seats, folder=tmp_path, game_id=f"g{i}")
        os.utime(path, (1000 + i, 1000 + i))  # g4 the newest
    save_game_to(game, tmp_path / "mine.json", seats=seats)
    spare = tmp_path / "autosave-g0.json"
    gone = prune_autosaves(tmp_path, keep=2, spare=spare)
    left = sorted(p.name for p in tmp_path.glob("*.json"))
    assert left == ["autosave-g0.json", "autosave-g3.json", "autosave-g4.json", "mine.json"]
    assert len(gone) == 2
