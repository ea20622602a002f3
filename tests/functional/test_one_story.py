"""One story of a turn: the report screen and the after-action report (file and `wargame
report`) render the same lines of wargame.history.turn_story, each in its own style."""

from __future__ import annotations

from textual.content import Content as Styled

from wargame import history
from wargame.tui.launch import build_session
from wargame.tui.screens.report import story_markup
from wargame.tui.session import Session


def test_the_report_screen_and_the_aar_tell_each_turn_alike() -> None:
    session = build_session("convenor", {"washington": "heuristic"}, 4)
    assert isinstance(session, Session)
    for _ in range(3):
        session.resolve()
    md = session.after_action_markdown()
    for report in session.game.history:
        section = md.split(f"### Turn {report.turn} · ", 1)[1].split("### Turn ", 1)[0]
        screen = Styled.from_markup(story_markup(session, report)).plain
        lines = history.turn_story(session.content, report)
        assert [x.kind for x in lines].count("outcome") == len(report.outcomes)
        for line in lines:
            for words in (line.text, line.detail, line.code):
                assert words in section, (report.turn, words)
                # The screen wraps nothing itself: each line is there whole.
                assert words in screen, (report.turn, words)
        for move in history.moves(session.content, report):
            assert f"| `{move.name}` |" in section


def test_the_note_on_numbers_comes_only_when_a_sentence_has_one() -> None:
    import attrs

    session = build_session("convenor", {"washington": "heuristic"}, 4)
    assert isinstance(session, Session)
    session.resolve()
    report = session.game.history[-1]
    assert report.outcomes and report.rules
    notes = [x for x in history.turn_story(session.content, report) if x.kind == "note"]
    assert notes == []  # the bundled sentences say what an order did, never a level
    first = attrs.evolve(report.outcomes[0], why="Trade recovered to 88.")
    quoted = attrs.evolve(report, outcomes=(first, *report.outcomes[1:]))
    notes = [x for x in history.turn_story(session.content, quoted) if x.kind == "note"]
    assert [x.text for x in notes] == [history.NUMBERS_NOTE]
