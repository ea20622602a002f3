"""`wargame simulate`: reproducible batches of bot games, flat rows, sweeps and a summary."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from wargame.cli import main

ROOT = Path(__file__).resolve().parents[2]
NO_COHESION = ROOT / "tests" / "fixtures" / "scenarios" / "no_cohesion.yaml"
RANDOM = ["--bot", "washington=random", "--bot", "tokyo=random", "--bot", "seoul=random"]


def _jsonl(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_simulate_summarises_and_each_run_reproduces(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "runs.jsonl"
    args = ["simulate", "convenor", "--runs", "4", "--seed", "10", "--hashes", *RANDOM]
    assert main([*args, "--out", str(out)]) == 0
    summary = capsys.readouterr().out
    assert "4 games" in summary and "mean score" in summary and "cohesion" in summary
    games = _jsonl(out)
    assert [g["seed"] for g in games] == [10, 11, 12, 13]
    # The same seeds in parallel give the same games, row for row.
    out2 = tmp_path / "runs2.jsonl"
    assert main([*args, "--jobs", "2", "--out", str(out2)]) == 0
    assert _jsonl(out2) == games
    # A single run replays with `wargame run` and the same bots.
    capsys.readouterr()
    empty = tmp_path / "none.yaml"
    empty.write_text("turns: []\n")
    assert main(["run", "convenor", "--orders", str(empty), "--seed", "12", *RANDOM]) == 0
    turns = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    third = games[2]
    assert turns[-1]["hash"] == third["hash"]
    assert turns[-1]["scores"] == {r: third[f"score.{r}"] for r in ("washington", "tokyo", "seoul")}
    # The per-turn orders kept in the row are the orders that game played.
    played = [";".join(t["orders"].get("tokyo", [])) for t in turns]
    assert third["orders.tokyo"] == played


def test_simulate_rejects_zero_runs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "convenor", "--runs", "0"]) == 2
    assert "--runs" in capsys.readouterr().err


def test_parquet_rows_are_flat_and_read_by_duckdb_and_pandas(tmp_path: Path) -> None:
    out = tmp_path / "runs.parquet"
    assert main(["simulate", "convenor", "--runs", "6", *RANDOM, "--out", str(out)]) == 0
    table = pq.read_table(out)
    names = set(table.column_names)
    assert {"run", "seed", "bot.tokyo", "score.seoul", "lead.washington", "reversals"} <= names
    assert {"cohesion", "us_japan.trust", "export_controls"} <= names
    assert "hash" not in names  # only with --hashes: it costs ~5% of a random-bot game
    assert "objective.seoul.controls_lifted" in names and "orders.washington" in names
    frame = pd.read_parquet(out)
    assert len(frame) == 6 and frame["seed"].tolist() == [1, 2, 3, 4, 5, 6]
    # Ties are shared: every game's lead shares add up to one.
    leads = frame[["lead.washington", "lead.tokyo", "lead.seoul"]].sum(axis=1)
    assert leads.round(9).eq(1).all()
    assert frame["export_controls"].dtype == bool and len(frame["orders.tokyo"][0]) == 12
    [(mean,)] = duckdb.sql(f"SELECT avg(\"score.tokyo\") FROM '{out}'").fetchall()
    assert mean == pytest.approx(frame["score.tokyo"].mean())


def test_per_turn_rows_match_the_per_game_rows(tmp_path: Path) -> None:
    games, turns = tmp_path / "g.jsonl", tmp_path / "t.parquet"
    common = ["simulate", "convenor", "--runs", "3", "--seed", "5", "--hashes", *RANDOM]
    assert main([*common, "--out", str(games)]) == 0
    assert main([*common, "--per-turn", "--out", str(turns)]) == 0
    per_game = pd.read_json(games, lines=True)
    per_turn = pd.read_parquet(turns)
    assert len(per_turn) == 3 * 12 and per_turn["turn"].tolist()[:13] == [*range(1, 13), 1]
    last = per_turn[per_turn["turn"] == 12].reset_index(drop=True)
    for col in ("hash", "cohesion", "score.seoul", "reversals"):
        assert last[col].tolist() == per_game[col].tolist(), col
    first = per_turn[per_turn["seed"] == 5]
    assert first["orders.seoul"].tolist() == per_game["orders.seoul"][0]
    assert first["cohesion"].tolist() == pytest.approx(per_game["by_turn.cohesion"][0])


def test_sweep_is_a_grid_and_every_row_carries_its_settings(tmp_path: Path) -> None:
    out = tmp_path / "sweep.parquet"
    args = ["simulate", "convenor", "--runs", "3", *RANDOM, "--out", str(out)]
    sweep = ["--sweep", "nk_threat=20,80", "--sweep", "gsomia=true,false", "--set", "trade=90"]
    assert main([*args, *sweep]) == 0
    rows = duckdb.sql(
        f'SELECT "set.nk_threat", "set.gsomia", "set.trade", count(*), min(seed), max(seed) '
        f"FROM '{out}' GROUP BY ALL ORDER BY ALL"
    ).fetchall()
    assert rows == [
        (20.0, False, 90.0, 3, 1, 3),
        (20.0, True, 90.0, 3, 1, 3),
        (80.0, False, 90.0, 3, 1, 3),
        (80.0, True, 90.0, 3, 1, 3),
    ]
    # A start value set high shows in the game: threat stays higher than when set low.
    means = dict(
        duckdb.sql(f"SELECT \"set.nk_threat\", avg(nk_threat) FROM '{out}' GROUP BY 1").fetchall()
    )
    assert means[80.0] > means[20.0] + 20


def test_sweep_over_a_param_of_the_rules(tmp_path: Path) -> None:
    # approval_anchor is a `params:` constant of rules/core.yaml, not a variable.
    out = tmp_path / "anchor.jsonl"
    args = ["simulate", "convenor", "--runs", "4", *RANDOM, "--out", str(out)]
    assert main([*args, "--sweep", "approval_anchor=10,90"]) == 0
    means = dict(
        duckdb.sql(
            f'SELECT "set.approval_anchor", avg("washington.approval") FROM \'{out}\' GROUP BY 1'
        ).fetchall()
    )
    assert set(means) == {10.0, 90.0} and means[90.0] > means[10.0] + 10


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--set", "nk_thret=70"], "did you mean 'nk_threat'"),
        (["--set", "approval_anchr=50"], "did you mean 'approval_anchor'"),
        (["--sweep", "approval_anchor=50,x"], "approval_anchor takes a number"),
        (["--set", "nk_threat=high"], "nk_threat takes a number"),
        (["--set", "nk_threat=170"], "between 0 and 100"),
        (["--set", "gsomia=maybe"], "gsomia is a flag"),
        (["--sweep", "nk_threat=1,,2"], "empty value"),
        (["--set", "nk_threat"], "NAME=VALUE"),
        (["--jobs", "many"], "--jobs takes a number or auto"),
    ],
)
def test_bad_settings_are_usage_errors(
    option: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["simulate", "convenor", "--runs", "1", *option]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_out_to_a_folder_or_a_missing_folder_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["simulate", "convenor", "--runs", "1", "--out", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err
    missing = tmp_path / "nope" / "runs.parquet"
    assert main(["simulate", "convenor", "--runs", "1", "--out", str(missing)]) == 2
    assert "no folder" in capsys.readouterr().err and not missing.parent.exists()


def test_out_names_its_format_or_is_refused_before_playing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "runs.csv"
    assert main(["simulate", "convenor", "--runs", "1", *RANDOM, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "must end .parquet or .jsonl" in err and "runs.parquet" in err
    assert not out.exists()
    assert main(["simulate", "convenor", "--runs", "1", *RANDOM, "--out", "/dev/null"]) == 0


def test_jobs_are_bounded_by_cores_and_games(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "convenor", "--runs", "2", "--jobs", "300", *RANDOM]) == 0
    err = capsys.readouterr().err
    assert "--jobs 300: using" in err
    used = int(err.split("using ")[1].split()[0])
    assert used <= 2


def test_a_scenario_without_cohesion_simulates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "runs.parquet"
    bots = ["--bot", "washington=random", "--bot", "tokyo=random"]
    args = ["simulate", str(NO_COHESION), "--runs", "30", *bots, "--out", str(out)]
    assert main(args) == 0
    summary = capsys.readouterr().out
    # The scenario's own flag and objectives are in the summary.
    assert "sanctions" in summary and "calm" in summary and "sanctions_on" in summary
    frame = pd.read_parquet(out)
    assert "cohesion" not in frame.columns and frame["sanctions"].dtype == bool
    # An objective's hit rate in the summary is the share of games the rows say it was met.
    met = frame["objective.tokyo.sanctions_on"].mean()
    line = next(x for x in summary.splitlines() if "sanctions_on" in x)
    assert line.split()[-1] == f"{met:.0%}"


def _simulate_process(stdout: int, *extra: str) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, "-m", "wargame", "simulate", "convenor", "--runs", "3", *RANDOM]
    return subprocess.run(
        [*args, *extra], stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=120
    )


def test_a_closed_pipe_is_quiet_and_a_full_disk_is_one_line(tmp_path: Path) -> None:
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the summary is written (`| head -1`)
    try:
        done = _simulate_process(write)
    finally:
        os.close(write)
    assert done.returncode == 0 and "Traceback" not in done.stderr
    with open("/dev/full", "w") as full:
        done = _simulate_process(full.fileno())
    assert done.returncode == 1
    assert done.stderr.startswith("wargame: cannot write the summary: No space left on device")
    done = _simulate_process(subprocess.DEVNULL, "--out", "/dev/full")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "cannot write /dev/full: No space left on device" in done.stderr


def test_simulate_loads_only_what_it_needs(tmp_path: Path) -> None:
    # Start-up is most of a short run and the part a second worker cannot share: Parquet
    # output must not pull in pandas (pa.array on lists would) nor numpy (pyarrow would,
    # ~70 ms), nor simulate the save code.
    out = tmp_path / "runs.parquet"
    code = (
        "import sys; from wargame.cli import main; "
        f"rc = main(['simulate', 'convenor', '--runs', '20', '--jobs', '2', *{RANDOM!r}, "
        f"'--per-turn', '--out', {str(out)!r}]); "
        "print(rc, sorted(m for m in ('pandas', 'numpy', 'matplotlib', 'wargame.storage.saves', "
        "'textual') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.splitlines()[-1] == "0 []", done.stderr
    assert pq.read_table(out).num_rows == 20 * 12
