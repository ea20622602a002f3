"""`wargame simulate`: many bot-played games of one scenario, summarised for analysts.

Each run i plays with seed S + i, so any single run can be replayed with `wargame run`
(same scenario, seed and bots). Seats not named by --bot are heuristic bots.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import sys
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from wargame.engine.bots import BOTS
from wargame.engine.content import Content
from wargame.engine.game import Game
from wargame.storage.turn_json import plain


def play_one(content: Content, seed: int, bots: dict[str, str]) -> dict[str, Any]:
    game = Game(content, seed)
    while not game.is_over():
        for role in content.role_ids:
            game.pending[role] = BOTS[bots[role]](game, role)
        game.resolve()
    scores = game.scores()
    best = max(scores.values())
    cohesion = [float(r.after["cohesion"]) for r in game.history]
    return {
        "seed": seed,
        "bots": bots,
        "scores": scores,
        "leaders": [r for r, s in scores.items() if s == best],
        "min_cohesion": round(min(cohesion), 4),
        "values": {k: plain(v) for k, v in game.state.values.items()},
        "hash": game.history[-1].hash,
    }


_WORKER: tuple[Content, dict[str, str]] | None = None


def _init(path: str, bots: dict[str, str]) -> None:
    global _WORKER
    from wargame.storage.content_loader import load_content

    _WORKER = (load_content(path), bots)


def _work(seed: int) -> dict[str, Any]:
    assert _WORKER is not None
    return play_one(_WORKER[0], seed, _WORKER[1])


def run_many(
    path: Path, content: Content, seeds: list[int], bots: dict[str, str], jobs: int
) -> Iterator[dict[str, Any]]:
    if jobs <= 1:
        for seed in seeds:
            yield play_one(content, seed, bots)
        return
    with ProcessPoolExecutor(jobs, initializer=_init, initargs=(str(path), bots)) as pool:
        yield from pool.map(_work, seeds, chunksize=max(1, len(seeds) // (jobs * 8)))


def summarise(content: Content, games: list[dict[str, Any]]) -> str:
    roles = content.role_ids
    lines = [
        f"{content.title} ({content.id}): {len(games)} games, bots "
        + ", ".join(f"{r}={games[0]['bots'][r]}" for r in roles)
        if games
        else "no games"
    ]
    if not games:
        return lines[0]
    leads = Counter(r for g in games for r in g["leaders"])
    lines.append(f"{'role':<12}{'mean score':>11}{'min':>6}{'max':>6}{'leads':>8}")
    for r in roles:
        s = [g["scores"][r] for g in games]
        lines.append(
            f"{r:<12}{statistics.fmean(s):>11.2f}{min(s):>6}{max(s):>6}"
            f"{leads[r] / len(games):>8.0%}"
        )
    final = [float(g["values"]["cohesion"]) for g in games]
    collapsed = sum(1 for g in games if g["min_cohesion"] < 25)
    lines.append(
        f"final cohesion: mean {statistics.fmean(final):.1f}, "
        f"median {statistics.median(final):.1f}; "
        f"cohesion fell below 25 in {collapsed / len(games):.0%} of games"
    )
    for flag in ("gsomia", "export_controls", "boycott", "assets_seized"):
        if flag in games[0]["values"]:
            share = sum(1 for g in games if g["values"][flag]) / len(games)
            lines.append(f"  {flag} in force at the end: {share:.0%}")
    return "\n".join(lines)


def simulate(args: argparse.Namespace) -> int:
    from wargame.cli.common import UsageError, bot_specs, check_roles, load_scenario
    from wargame.paths import find_scenario

    if args.runs < 1:
        raise UsageError("--runs must be at least 1")
    content = load_scenario(args.scenario)
    named = bot_specs(args.bot)
    check_roles(content, list(named), "--bot")
    bots = {r: named.get(r, "heuristic") for r in content.role_ids}
    path = find_scenario(args.scenario)
    assert path is not None
    seeds = [args.seed + i for i in range(args.runs)]
    games: list[dict[str, Any]] = []
    show = sys.stderr.isatty()
    with contextlib.ExitStack() as stack:
        out = stack.enter_context(Path(args.out).open("w", encoding="utf-8")) if args.out else None
        for game in run_many(path, content, seeds, bots, max(1, args.jobs)):
            games.append(game)
            if out:
                out.write(json.dumps(game, sort_keys=True) + "\n")
            if show:
                done = len(games)
                bar = "#" * (30 * done // args.runs)
                print(f"\r[{bar:<30}] {done}/{args.runs}", end="", file=sys.stderr, flush=True)
    if show:
        print(file=sys.stderr)
    print(summarise(content, games))
    return 0
