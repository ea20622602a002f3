"""Round-robin tournaments of bots and agents (docs/agents.md, `wargame tournament`).

Every entrant plays every seat against every other entrant: the schedule is each ordered
choice of entrants for the seats, for each seed. With fewer entrants than roles, every
entrant plays in every game and the seats left over go to a fill bot that is not rated.
Roles are not equally easy, so a game ranks its entrants by score *measured against the
average score of that seat over the whole tournament*; ratings are OpenSkill's
Plackett-Luce (openskill), updated game by game in schedule order, and ranked by the
conservative ordinal (mu - 3 sigma).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

from wargame.engine.bots import BOTS
from wargame.engine.content import Content
from wargame.engine.game import Game, OrderError
from wargame.seats.agent import AgentSeat, Bot


@attrs.frozen
class Entrant:
    """A name and what plays: a bot kind, `agent:COMMAND` or `llm:URL`."""

    name: str
    spec: str

    @property
    def bot(self) -> str | None:
        return self.spec if self.spec in BOTS else None


@attrs.frozen
class GameResult:
    seed: int
    seats: Mapping[str, str]  # role → entrant name (or "fill:KIND")
    scores: Mapping[str, int]
    errors: Mapping[str, int]  # role → replies that could not be used


@attrs.frozen
class Standing:
    name: str
    mu: float
    sigma: float
    ordinal: float
    games: int
    wins: int
    edge: float  # mean score above the seat's average
    errors: int


def schedule(
    entrants: Sequence[Entrant], roles: Sequence[str], seeds: Sequence[int], fill: str
) -> list[tuple[int, dict[str, str]]]:
    """(seed, {role: entrant name}) for every game, in the order they are played."""
    k = min(len(entrants), len(roles))
    games = []
    for seed in seeds:
        for chosen in itertools.permutations([e.name for e in entrants], k):
            for taken in itertools.combinations(roles, k):
                given = dict(zip(taken, chosen, strict=True))
                seats = {r: given.get(r, f"fill:{fill}") for r in roles}
                games.append((seed, seats))
    return games


def play_game(
    content: Content,
    seed: int,
    seats: Mapping[str, str],
    entrants: Mapping[str, Entrant],
    open_agent: Callable[[str, str], AgentSeat],
) -> GameResult:
    game = Game(content, seed)
    players: dict[str, Bot] = {}
    agents: dict[str, AgentSeat] = {}
    try:
        for role, name in seats.items():
            if name.startswith("fill:"):
                players[role] = BOTS[name[5:]]
                continue
            entrant = entrants[name]
            if entrant.bot is not None:
                players[role] = BOTS[entrant.bot]
            else:
                spec = entrant.spec.removeprefix("agent:")
                agents[role] = players[role] = open_agent(role, spec)
        while not game.is_over():
            for role in content.role_ids:
                try:
                    game.submit(role, players[role](game, role))
                except OrderError:
                    game.submit(role, ())
            game.resolve()
    finally:
        for seat in agents.values():
            seat.finish(game)
    return GameResult(
        seed, dict(seats), game.scores(), {r: len(s.errors) for r, s in agents.items()}
    )


def rank(results: Sequence[GameResult], entrants: Sequence[Entrant]) -> list[Standing]:
    from openskill.models import PlackettLuce

    model = PlackettLuce()
    ratings = {e.name: model.rating(name=e.name) for e in entrants}
    seat_mean = seat_means(results)
    games = dict.fromkeys(ratings, 0)
    wins = dict.fromkeys(ratings, 0)
    edge = dict.fromkeys(ratings, 0.0)
    errors = dict.fromkeys(ratings, 0)
    for result in results:
        rated = [(r, n) for r, n in result.seats.items() if n in ratings]
        adjusted = {r: result.scores[r] - seat_mean[r] for r, _ in rated}
        best = max(adjusted.values())
        for role, name in rated:
            games[name] += 1
            edge[name] += adjusted[role]
            wins[name] += adjusted[role] == best
            errors[name] += result.errors.get(role, 0)
        if len(rated) < 2:
            continue
        new = model.rate(
            [[ratings[n]] for _, n in rated], scores=[adjusted[r] for r, _ in rated]
        )
        for (_, name), team in zip(rated, new, strict=True):
            ratings[name] = team[0]
    table = [
        Standing(n, r.mu, r.sigma, r.ordinal(), games[n], wins[n],
                 edge[n] / games[n] if games[n] else 0.0, errors[n])
        for n, r in ratings.items()
    ]
    return sorted(table, key=lambda s: (-s.ordinal, s.name))


def seat_means(results: Sequence[GameResult]) -> dict[str, float]:
    totals: dict[str, list[int]] = {}
    for result in results:
        for role, score in result.scores.items():
            totals.setdefault(role, []).append(score)
    return {r: sum(s) / len(s) for r, s in totals.items()}


def per_seat(results: Sequence[GameResult]) -> dict[str, dict[str, tuple[float, int]]]:
    """entrant → role → (mean score, games)."""
    cells: dict[str, dict[str, list[int]]] = {}
    for result in results:
        for role, name in result.seats.items():
            cells.setdefault(name, {}).setdefault(role, []).append(result.scores[role])
    return {
        n: {r: (sum(s) / len(s), len(s)) for r, s in roles.items()} for n, roles in cells.items()
    }


def result_json(result: GameResult) -> dict[str, Any]:
    return {
        "seed": result.seed,
        "seats": dict(result.seats),
        "scores": dict(result.scores),
        "errors": dict(result.errors),
    }
