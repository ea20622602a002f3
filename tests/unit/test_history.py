"""History in expressions: ever(c), count(c) and turns_since(c) read how often, and how long
ago, a condition held at the end of earlier turns. Both resolution paths tally alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from wargame.engine.content import Content
from wargame.engine.expr import ExprError, compile_expr
from wargame.engine.game import Game
from wargame.engine.playout import Playout
from wargame.engine.state import Order
from wargame.storage.content_loader import load_content

ROOT = Path(__file__).resolve().parents[2]

SUMMIT = """
  - id: leaders_summit
    title: Leaders' summit
    text: Having met twice, the three leaders hold a summit of their own.
    if: count(ordered.tokyo.attend_trilateral and ordered.seoul.attend_trilateral) >= 2
    effects:
      - add:
          cohesion: count(ordered.tokyo.attend_trilateral and ordered.seoul.attend_trilateral) * 5
  - id: cold_spell
    title: Cold spell
    text: Nobody has convened for three turns.
    if: turns_since(ordered.washington.convene_trilateral) == 3
    once: true
    effects:
      - add: {cohesion: -1}
"""


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Content:
    folder = tmp_path_factory.mktemp("hist") / "scenarios"
    folder.mkdir()
    text = (ROOT / "scenarios" / "convenor.yaml").read_text()
    text = text.replace("\nevents:\n", "\nevents:\n" + SUMMIT, 1)
    path = folder / "convenor.yaml"
    path.write_text(text)
    (folder.parent / "rules").mkdir()
    (folder.parent / "rules" / "core.yaml").write_text((ROOT / "rules" / "core.yaml").read_text())
    return load_content(path)


MEET = {
    "washington": (Order("convene_trilateral"),),
    "tokyo": (Order("attend_trilateral"),),
    "seoul": (Order("attend_trilateral"),),
}


def test_an_event_fires_once_both_attended_twice(content: Content) -> None:
    game = Game(content, 3)
    fired: list[list[str]] = []
    for orders in (MEET, {}, MEET, {}):
        game.resolve(orders)
        fired.append([e.id for e in game.state.events])
    # Attended on turns 1 and 3: due from turn 4's start, not before.
    assert ["leaders_summit" in f for f in fired] == [False, False, True, True]
    name = "count(ordered.tokyo.attend_trilateral and ordered.seoul.attend_trilateral)"
    causes = [c for c in game.state.event_trace if c.source_id == "leaders_summit"]
    # Traceable: the change shows the history it read.
    assert causes and causes[0].inputs == ((name, 2.0),)
    assert game.state.tallies[name] == 2


def test_turns_since_counts_from_the_last_turn_it_held(content: Content) -> None:
    game = Game(content, 3)
    fired_at = []
    for orders in (MEET, {}, {}, {}, {}):
        game.resolve(orders)
        fired_at += [game.turn for e in game.state.events if e.id == "cold_spell"]
    assert fired_at == [4]  # convened on 1; turn 4 is three turns after


def test_both_paths_agree_with_history(content: Content) -> None:
    for seed in range(5):
        game = Game(content, seed)
        p = Playout.start(content, seed)
        for i in range(content.turns):
            orders = MEET if i % 2 == 0 else {}
            report = game.resolve(orders)
            assert p.resolve_hashed(orders) == report.hash
            assert p.hash() == game.state.hash()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("count(chance(0.5))", "chance() is not allowed inside count()"),
        ("ever(count(x) > 1)", "count() is not allowed inside ever()"),
        ("ever(y)", "unknown name 'y'"),
        ("ever(x, x)", "ever() needs 1 argument"),
    ],
)
def test_history_mistakes_are_named(text: str, message: str) -> None:
    with pytest.raises(ExprError, match=message.replace("(", r"\(").replace(")", r"\)")):
        compile_expr(text, lambda n: n == "x")


def test_history_reads_a_canonical_name() -> None:
    e = compile_expr("ever(x>1)  or count( x > 1 ) >= 2", lambda n: n == "x")
    assert e.history == ("x > 1",)
    assert set(e.names) == {"ever(x > 1)", "count(x > 1)"}
