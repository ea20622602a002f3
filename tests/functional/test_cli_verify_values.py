"""`replay --verify` checks every value a save stores against the replay, not only each turn's
state hash: a re-signed save with a false value (99, NaN, Infinity, a flag as a number, a
score, a label) is named at its first difference, exit 1; loading it refuses it too."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from edited_saves import edited

ROOT = Path(__file__).resolve().parents[2]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "wargame", *args], capture_output=True,
                          text=True, cwd=ROOT, env={**os.environ}, check=False)


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("verify") / "game.json"
    proc = _cli("run", "convenor", "--turns", "3", "--save", str(path))
    assert proc.returncode == 0, proc.stderr
    return path


def _set(turn: int, key: str, name: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        doc["turns"][turn - 1][key][name] = value

    return change


FALSE = "the state hash agrees, so the values stored in the file are false"


@pytest.mark.parametrize(
    ("change", "first"),
    [
        (_set(2, "values", "cohesion", 99.0), "turn 2 (2021 Q2) differs: cohesion 99 → 36.7"),
        (_set(2, "values", "cohesion", float("nan")),
         "turn 2 (2021 Q2) differs: cohesion nan → 36.7"),
        (_set(3, "values", "cohesion", float("inf")),
         "turn 3 (2021 Q3) differs: cohesion inf → 39.9"),
        (_set(1, "values", "gsomia", 1.0), "turn 1 (2021 Q1) differs: gsomia 1 → yes"),
        (_set(1, "scores", "tokyo", 7), "turn 1 (2021 Q1) differs: score.tokyo 7 → 2"),
        (lambda d: d["turns"][0].update(label="1999 Q9"),
         "turn 1 (2021 Q1) differs: label '1999 Q9' → '2021 Q1'"),
        (lambda d: d["turns"][0]["values"].update(cohesion=d["turns"][0]["values"]["cohesion"]
                                                  + 1e-12),
         "turn 1 (2021 Q1) differs: cohesion 34.7004162330305 → 34.7004162330295"),
    ],
    ids=["99", "nan", "infinity", "flag-as-number", "score", "label", "last-digit"],
)
def test_verify_names_the_first_false_stored_value(
    saved: Path, tmp_path: Path, change: Callable[[dict[str, Any]], None], first: str
) -> None:
    path = edited(saved, tmp_path / "edited.json", change)
    proc = _cli("replay", str(path), "--verify")
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert lines[0] == f"{path}: {first}  (saved → replayed); {FALSE}"
    assert lines[1].startswith(f"  orders of turn {first.split()[1]}: washington: ")
    refused = _cli("report", str(path))
    assert refused.returncode == 1
    assert refused.stderr == (
        f"wargame: {path}: does not replay as saved: {first}  (saved → replayed); {FALSE}; "
        f"run `wargame replay {path} --verify` for details\n"
    )


def test_a_value_the_replay_has_but_the_save_lacks_is_a_difference(
    saved: Path, tmp_path: Path
) -> None:
    path = edited(saved, tmp_path / "edited.json",
                  lambda d: d["turns"][0]["values"].pop("cohesion"))
    proc = _cli("replay", str(path), "--verify")
    assert proc.returncode == 1
    assert proc.stdout.startswith(f"{path}: turn 1 (2021 Q1) differs: cohesion — → 34.7  (saved → ")


def test_an_untouched_save_verifies(saved: Path) -> None:
    proc = _cli("replay", str(saved), "--verify")
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout.startswith("ok: 3 turns verified (content sha256 ")
