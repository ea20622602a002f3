"""What an experiment runs, cut into chunks of games that any worker can play.

A plan is small and picklable (the compiled content is ~60 KB); a chunk is four integers.
Run `i` of every point plays seed `seed + i`, so the points of a sweep share their dice
(common random numbers) and any one game replays with `wargame run`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping

import attrs

from wargame.engine.content import Content
from wargame.experiments.columns import FAN_VALUE, Batch, Layout
from wargame.experiments.playout import play, seat_bots, tracked
from wargame.experiments.settings import Settings, apply_settings


@attrs.frozen
class Plan:
    content: Content
    bots: Mapping[str, str]
    points: tuple[Settings, ...]
    seed: int
    runs: int
    per_turn: bool = False
    hashes: bool = False  # each game's final state hash in per-game rows
    # Names this plan in a worker's cache (a Dask worker may serve several experiments).
    key: str = attrs.field(factory=lambda: uuid.uuid4().hex)

    @property
    def games(self) -> int:
        return self.runs * len(self.points)

    @property
    def setting_names(self) -> tuple[str, ...]:
        return tuple(n for n, _ in self.points[0]) if self.points else ()

    def layout(self, per_turn: bool) -> Layout:
        return Layout(self.content, self.setting_names, per_turn, self.hashes)


@attrs.frozen
class Chunk:
    index: int  # position in the output: rows are written in chunk order
    point: int
    first: int  # first run index
    count: int


@attrs.frozen
class Result:
    chunk: Chunk
    games: Batch  # one row per game, always (the summary reads it)
    turns: Batch | None  # one row per game and turn, with --per-turn


def chunks(plan: Plan, workers: int) -> list[Chunk]:
    """Chunks big enough that sending them costs little next to playing them, small enough
    that every worker stays busy to the end and progress moves (about 16 per worker)."""
    size = max(1, min(1000, -(-plan.games // (max(1, workers) * 16))))
    out: list[Chunk] = []
    for point in range(len(plan.points)):
        for first in range(0, plan.runs, size):
            out.append(Chunk(len(out), point, first, min(size, plan.runs - first)))
    return out


# A worker's compiled points, per plan: (plan key, point) -> (content, layouts).
_CACHE: dict[tuple[str, int], tuple[Content, Layout, Layout]] = {}


def run_chunk(plan: Plan, chunk: Chunk, stopped: Callable[[], bool] | None = None) -> Result:
    """The chunk's games; `stopped`, asked before each game, may end it early (the result
    then holds the games played so far, still the first of the chunk's runs)."""
    key = (plan.key, chunk.point)
    if key not in _CACHE:
        if len(_CACHE) > 64:
            _CACHE.clear()
        content = apply_settings(plan.content, plan.points[chunk.point])
        names = plan.setting_names
        _CACHE[key] = (
            content,
            Layout(content, names, False, plan.hashes),
            Layout(content, names, True, True),
        )
    content, per_game, per_turn = _CACHE[key]
    settings = plan.points[chunk.point]
    bots = dict(plan.bots)
    seats = seat_bots(bots)
    names = tracked(content, FAN_VALUE)
    games = per_game.empty()
    turns = per_turn.empty() if plan.per_turn else None
    for run in range(chunk.first, chunk.first + chunk.count):
        if stopped is not None and stopped():
            break
        game = play(content, plan.seed + run, seats, names, plan.per_turn, plan.hashes)
        per_game.add(games, game, run, settings, bots)
        if turns is not None:
            per_turn.add(turns, game, run, settings, bots)
    return Result(chunk, games, turns)
