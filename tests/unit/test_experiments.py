"""The experiments library: game records match the traced path, reversals, settings, summary."""

from __future__ import annotations

from pathlib import Path

import pytest

from wargame.engine.bots import BOTS
from wargame.engine.game import Game
from wargame.engine.resolve import objective_status
from wargame.experiments.columns import FAN_VALUE, Layout, reversals
from wargame.experiments.plan import Chunk, Plan, run_chunk
from wargame.experiments.playout import play, seat_bots, tracked
from wargame.experiments.settings import SettingError, apply_settings, parse_settings
from wargame.experiments.summary import Summary
from wargame.storage.content_loader import (
    ContentSource,
    SourceFile,
    compile_content,
    load_content,
    source_of,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module", params=["convenor", "low-water-mark"])
def content(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    return load_content(ROOT / "scenarios" / f"{request.param}.yaml")


@pytest.mark.parametrize("kind", ["random", "heuristic"])
def test_per_turn_records_are_the_traced_reports(content, kind: str) -> None:  # type: ignore[no-untyped-def]
    bots = {r: kind for r in content.role_ids}
    for seed in (3, 4):
        record = play(content, seed, seat_bots(bots), (), per_turn=True)
        game = Game(content, seed)
        for turn in record.turns:
            events = tuple(e.id for e in game.state.events)
            report = game.resolve({role: BOTS[kind](game, role) for role in content.role_ids})
            assert tuple(turn.events) == events
            assert {r: turn.orders.get(r, ()) for r in content.role_ids} == dict(report.orders)
            assert dict(turn.after) == dict(report.after)
            assert dict(turn.scores or {}) == dict(report.scores)
            assert turn.hash == report.hash
        assert record.hash == game.history[-1].hash
        assert dict(record.scores) == game.scores()
        # Objectives at the end: each_turn as turns held, at_end as holding now.
        status = {
            (role, oid): (holds, earned)
            for role in content.role_ids
            for oid, _, holds, earned in objective_status(content, game.state, role)
        }
        for o, met in zip(content.objectives, record.objectives, strict=True):
            holds, earned = status[(o.role, o.id)]
            assert met == (earned // o.points if o.scored == "each_turn" else holds)


def test_per_game_rows_need_no_per_turn_work(content) -> None:  # type: ignore[no-untyped-def]
    bots = {r: "random" for r in content.role_ids}
    quick = play(content, 9, seat_bots(bots), tracked(content, FAN_VALUE), hashed=True)
    full = play(content, 9, seat_bots(bots), (), per_turn=True)
    assert quick.hash == full.hash and quick.values == full.values
    assert [t.orders for t in quick.turns] == [t.orders for t in full.turns]


@pytest.mark.parametrize(
    ("start", "seq", "count"),
    [
        (False, [True, False, False, False], 1),  # imposed, lifted next turn
        (False, [True, True, False, False], 1),  # lifted two turns later
        (False, [True, True, True, False], 0),  # held three turns: not a flip-flop
        (True, [False, True, False, True], 3),  # removed and restored every quarter
        (False, [False, False, False, False], 0),
        (False, [False, False, False, True], 0),  # imposed on the last turn
    ],
)
def test_reversals_count_changes_undone_within_two_turns(
    start: bool, seq: list[bool], count: int
) -> None:
    assert reversals(start, seq) == count


def test_settings_grid_order_and_start_values(content) -> None:  # type: ignore[no-untyped-def]
    points = parse_settings(content, ["trade=90"], ["nk_threat=10,90", "gsomia=false,true"])
    assert points == [
        (("trade", 90.0), ("nk_threat", 10.0), ("gsomia", False)),
        (("trade", 90.0), ("nk_threat", 10.0), ("gsomia", True)),
        (("trade", 90.0), ("nk_threat", 90.0), ("gsomia", False)),
        (("trade", 90.0), ("nk_threat", 90.0), ("gsomia", True)),
    ]
    before = dict(content.variables)
    changed = apply_settings(content, points[1])
    assert changed.variables["nk_threat"].start == 10.0 and changed.variables["gsomia"].start
    assert dict(content.variables) == before  # the scenario itself is untouched
    assert changed.content_hash != content.content_hash
    with pytest.raises(SettingError, match="both --set and --sweep"):
        parse_settings(content, ["trade=1"], ["trade=2,3"])


def test_a_param_set_plays_as_if_the_scenario_had_written_it(content) -> None:  # type: ignore[no-untyped-def]
    # approval_anchor is a core `params:` constant, inlined into the rules when compiled.
    assert content.params["approval_anchor"] == 45.0
    source = source_of(content)
    written = compile_content(
        ContentSource(
            SourceFile(
                source.scenario.name, source.scenario.text + "\nparams:\n  approval_anchor: 80\n"
            ),
            source.rules,
        )
    )
    changed = apply_settings(content, parse_settings(content, ["approval_anchor=80"], [])[0])
    assert changed.params["approval_anchor"] == 80.0 and content.params["approval_anchor"] == 45.0
    assert changed.content_hash not in (content.content_hash, written.content_hash)
    seats = seat_bots({r: "random" for r in content.role_ids})
    names = tracked(content, FAN_VALUE)
    differs = 0
    for seed in range(1, 6):
        ours = play(changed, seed, seats, names, hashed=True)
        theirs = play(written, seed, seats, names, hashed=True)
        assert (ours.values, ours.scores, ours.hash) == (theirs.values, theirs.scores, theirs.hash)
        as_is = play(content, seed, seats, names, hashed=True)
        differs += as_is.values != ours.values
        approvals = [n for n in content.variables if n.endswith(".approval")]
        assert sum(ours.values[n] for n in approvals) > sum(as_is.values[n] for n in approvals)
    assert differs == 5
    # A param and a start value together: both apply.
    both = apply_settings(content, (("approval_anchor", 80.0), ("nk_threat", 90.0)))
    assert both.params["approval_anchor"] == 80.0 and both.variables["nk_threat"].start == 90.0


def test_unknown_params_are_named_with_a_suggestion(content) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SettingError, match="did you mean 'approval_anchor'"):
        parse_settings(content, [], ["aproval_anchor=40,50"])
    with pytest.raises(SettingError, match="approval_anchor takes a number"):
        parse_settings(content, ["approval_anchor=high"], [])
    with pytest.raises(ValueError, match="unknown param 'aproval_anchor'"):
        compile_content(source_of(content), (("aproval_anchor", 1.0),))


def test_summary_shares_ties_and_counts_objectives(content) -> None:  # type: ignore[no-untyped-def]
    bots = {r: "random" for r in content.role_ids}
    plan = Plan(content, bots, ((),), 1, 30)
    result = run_chunk(plan, Chunk(0, 0, 0, 30))
    layout = Layout(content, (), False)
    summary = Summary(content, layout, plan.points)
    summary.add(0, result.games)
    figures = summary.figures()
    roles = figures["roles"]
    assert isinstance(roles, dict)
    assert sum(v["lead_share"] for v in roles.values()) == pytest.approx(1.0)
    games = result.games
    for r in content.role_ids:
        scores = games[f"score.{r}"]
        assert roles[r]["min"] == min(scores) and roles[r]["max"] == max(scores)
        assert roles[r]["mean"] == pytest.approx(sum(scores) / 30)
    objectives = figures["objectives"]
    assert isinstance(objectives, dict)
    for o in content.objectives:
        col = games[f"objective.{o.role}.{o.id}"]
        want = sum(col) / 30 / (content.turns if o.scored == "each_turn" else 1)
        assert objectives[f"{o.role}.{o.id}"] == pytest.approx(want)
