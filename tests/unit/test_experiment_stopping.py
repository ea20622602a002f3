"""Stop requests: a signal only sets a flag and wakes the result loop, never raises; a run
stopped at any point returns what it played, in order, with its workers gone."""

from __future__ import annotations

import json
import os
import select
import signal
from pathlib import Path

import attrs
import psutil
import pytest

from wargame.experiments.plan import Plan
from wargame.experiments.run import run_experiment
from wargame.experiments.stopping import Stop
from wargame.storage.content_loader import load_content

ROOT = Path(__file__).resolve().parents[2]


def test_a_signal_is_noted_not_raised() -> None:
    before = signal.getsignal(signal.SIGINT)
    with Stop() as stop:
        assert stop.requested is None
        assert not select.select([stop.fd], [], [], 0)[0]
        os.kill(os.getpid(), signal.SIGINT)  # a KeyboardInterrupt here would fail the test
        os.kill(os.getpid(), signal.SIGTERM)  # a second request keeps the first
        assert stop.wait(5)
        assert stop.requested == signal.SIGINT
        assert select.select([stop.fd], [], [], 0)[0]
    assert signal.getsignal(signal.SIGINT) is before
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


@pytest.fixture(scope="module")
def plan() -> Plan:
    content = load_content(ROOT / "scenarios" / "convenor.yaml")
    return Plan(content, {r: "random" for r in content.role_ids}, ((),), 1, 20_000)


def _seeds(out: Path) -> list[int]:
    return [json.loads(line)["seed"] for line in out.read_text().splitlines()]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_request_before_the_run_plays_nothing(plan: Plan, jobs: int, tmp_path: Path) -> None:
    out = tmp_path / "runs.jsonl"
    with Stop() as stop:
        stop.request()
        outcome = run_experiment(plan, jobs=jobs, out=out, stop=stop)
    assert outcome.interrupted and outcome.rows == 0 and outcome.summary.games == 0
    assert out.exists() and _seeds(out) == []


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_request_mid_run_keeps_the_games_played_in_order(
    plan: Plan, jobs: int, tmp_path: Path
) -> None:
    out = tmp_path / "runs.jsonl"
    kids_before = {p.pid for p in psutil.Process().children()}
    with Stop() as stop:

        def progress(done: int, total: int) -> None:
            stop.request()  # after the first chunk in: as a Ctrl+C at that moment would

        outcome = run_experiment(plan, jobs=jobs, out=out, progress=progress, stop=stop)
    assert outcome.interrupted
    seeds = _seeds(out)
    assert seeds == list(range(1, len(seeds) + 1))
    if jobs == 1:  # with workers, the first chunk in may not be the first chunk
        assert seeds
    assert len(seeds) < plan.games and outcome.summary.games == len(seeds) == outcome.rows
    assert {p.pid for p in psutil.Process().children()} <= kids_before  # workers ended


def test_a_request_after_the_last_game_cuts_nothing(plan: Plan, tmp_path: Path) -> None:
    small = attrs.evolve(plan, runs=40)
    out = tmp_path / "runs.jsonl"
    with Stop() as stop:

        def progress(done: int, total: int) -> None:
            if done == total:
                stop.request()  # while the last rows are written and the output closes

        outcome = run_experiment(small, jobs=2, out=out, progress=progress, stop=stop)
    assert stop.requested is not None  # `wargame simulate` still exits 130
    assert not outcome.interrupted and outcome.rows == 40
    assert _seeds(out) == list(range(1, 41))
