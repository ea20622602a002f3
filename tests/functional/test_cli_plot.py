"""`wargame plot RUNS`: PNG and SVG charts that show what the runs file holds."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from wargame.cli import main

RANDOM = ["--bot", "washington=random", "--bot", "tokyo=random", "--bot", "seoul=random"]
PNG = b"\x89PNG\r\n\x1a\n"


def test_plot_a_sweep_writes_every_chart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runs = tmp_path / "sweep.parquet"
    sweep = ["--sweep", "nk_threat=20,80", "--sweep", "trade=70,100"]
    assert main(["simulate", "convenor", "--runs", "20", *RANDOM, *sweep, "--out", str(runs)]) == 0
    capsys.readouterr()
    assert main(["plot", str(runs)]) == 0
    listed = capsys.readouterr().out.split()
    charts = tmp_path / "sweep-charts"
    names = {"scores", "cohesion_fan", "objectives", "tornado"}
    assert sorted(listed) == sorted(str(charts / f"{n}.{s}") for n in names for s in ("png", "svg"))
    for n in names:
        assert (charts / f"{n}.png").read_bytes().startswith(PNG)
    # The objectives chart states each objective's hit rate as the rows give it.
    frame = pd.read_parquet(runs)
    svg = (charts / "objectives.svg").read_text()
    at_end = [c for c in frame.columns if c.startswith("objective.") and frame[c].dtype == bool]
    for col in at_end:
        role, oid = col.split(".")[1:]
        assert f"{role}: {oid}" in svg and f"{frame[col].mean():.0%}" in svg
    tornado = (charts / "tornado.svg").read_text()
    assert "nk_threat" in tornado and "trade" in tornado and "Washington" in tornado


def test_plot_per_turn_jsonl_without_a_sweep(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runs = tmp_path / "turns.jsonl"
    args = ["simulate", "convenor", "--runs", "10", *RANDOM, "--per-turn", "--out", str(runs)]
    assert main(args) == 0
    out = tmp_path / "charts"
    assert main(["plot", str(runs), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{n}.{s}" for n in ("scores", "cohesion_fan", "objectives") for s in ("png", "svg")
    )
    assert "10 games" in (out / "cohesion_fan.svg").read_text()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no file"),
        ("not json\n", ":1:1: not JSON Lines"),
        ("[1]\n", "expected a JSON object"),
    ],
)
def test_plot_bad_input_is_one_line(
    tmp_path: Path, content: str | None, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    runs = tmp_path / "runs.jsonl"
    if content is not None:
        runs.write_text(content)
    assert main(["plot", str(runs)]) == 1
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
