"""`wargame simulate`: reproducible batches of bot games with a summary and JSON Lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wargame.cli import main


def test_simulate_summarises_and_each_run_reproduces(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "runs.jsonl"
    bots = ["--bot", "washington=random", "--bot", "tokyo=random", "--bot", "seoul=random"]
    assert (
        main(["simulate", "convenor", "--runs", "4", "--seed", "10", "--out", str(out), *bots]) == 0
    )
    summary = capsys.readouterr().out
    assert "4 games" in summary and "mean score" in summary and "cohesion" in summary
    games = [json.loads(line) for line in out.read_text().splitlines()]
    assert [g["seed"] for g in games] == [10, 11, 12, 13]
    # The same seeds in parallel give the same games.
    out2 = tmp_path / "runs2.jsonl"
    assert (
        main(
            [
                "simulate",
                "convenor",
                "--runs",
                "4",
                "--seed",
                "10",
                "--jobs",
                "2",
                "--out",
                str(out2),
                *bots,
            ]
        )
        == 0
    )
    assert [json.loads(x)["hash"] for x in out2.read_text().splitlines()] == [
        g["hash"] for g in games
    ]
    # A single run replays with `wargame run` and the same bots.
    capsys.readouterr()
    empty = tmp_path / "none.yaml"
    empty.write_text("turns: []\n")
    assert main(["run", "convenor", "--orders", str(empty), "--seed", "12", *bots]) == 0
    last = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert last["hash"] == games[2]["hash"] and last["scores"] == games[2]["scores"]


def test_simulate_rejects_zero_runs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "convenor", "--runs", "0"]) == 2
    assert "--runs" in capsys.readouterr().err
