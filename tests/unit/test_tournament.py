"""Tournament schedules are fair to every seat, and ratings follow the scores."""

from __future__ import annotations

from collections import Counter

from wargame.seats.tournament import Entrant, GameResult, per_seat, rank, schedule

ROLES = ("washington", "tokyo", "seoul")


def test_every_entrant_plays_every_seat_equally_often() -> None:
    for names in (["a", "b"], ["a", "b", "c"], ["a", "b", "c", "d"]):
        entrants = [Entrant(n, "random") for n in names]
        games = schedule(entrants, ROLES, [1, 2], "heuristic")
        seats = Counter((role, name) for _, s in games for role, name in s.items())
        counts = {seats[(r, n)] for r in ROLES for n in names}
        assert len(counts) == 1 and counts.pop() > 0, names
        for _, s in games:  # nobody plays two seats in one game
            rated = [n for n in s.values() if not n.startswith("fill:")]
            assert len(rated) == len(set(rated)) == min(len(names), 3)


def test_ratings_follow_scores_measured_against_each_seat() -> None:
    entrants = [Entrant(n, "random") for n in ("strong", "weak", "middle")]
    results = []
    for seed, seats in schedule(entrants, ROLES, [1, 2, 3], "heuristic"):
        # Seoul always scores 10 more: a seat's ease must not decide the ranking.
        bonus = {"washington": 0, "tokyo": 0, "seoul": 10}
        skill = {"strong": 3, "middle": 2, "weak": 1}
        scores = {r: skill[n] + bonus[r] for r, n in seats.items()}
        results.append(GameResult(seed, seats, scores, {}))
    standings = rank(results, entrants)
    assert [s.name for s in standings] == ["strong", "middle", "weak"]
    assert standings[0].edge > 0 > standings[-1].edge
    assert all(s.games == len(results) for s in standings)
    assert per_seat(results)["weak"]["seoul"][0] == 11
