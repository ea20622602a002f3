"""`wargame list | validate | schema | run` as users and scripts call them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from wargame.cli import main

CONTRACT_VALUES = [
    *(f"{r}.{v}" for r in ("washington", "tokyo", "seoul") for v in ("capital", "approval")),
    *(
        f"{r}.favorability.{o}"
        for r in ("washington", "tokyo", "seoul")
        for o in ("washington", "tokyo", "seoul")
        if r != o
    ),
    "us_japan.trust",
    "us_rok.trust",
    "japan_rok.trust",
    "cohesion",
    "nk_threat",
    "china_pressure",
    "trade",
    "export_controls",
    "tokyo_whitelist",
    "seoul_whitelist",
    "gsomia",
    "boycott",
    "wto_case",
    "assets_seized",
]

ORDERS = """\
turns:
  - washington: [convene_trilateral]
    tokyo: [attend_trilateral, {action: lift_export_controls}]
    seoul: [{action: compensation_fund}]
  - washington: [{action: side_with, target: tokyo}]
"""


@pytest.fixture
def orders_file(tmp_path: Path) -> Path:
    path = tmp_path / "orders.yaml"
    path.write_text(ORDERS)
    return path


def _run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wargame", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
    )


def test_run_prints_one_json_object_per_turn(
    orders_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", "convenor", "--orders", str(orders_file), "--seed", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 12
    turns = [json.loads(line) for line in lines]
    first = turns[0]
    assert first["turn"] == 1 and first["label"] == "2021 Q1"
    assert first["orders"]["tokyo"] == ["attend_trilateral", "lift_export_controls"]
    results = {(o["role"], o["action"]): o["result"] for o in first["outcomes"]}
    assert results[("tokyo", "lift_export_controls")] == "lifted"
    assert (
        results[("seoul", "compensation_fund")] == "backlash"
    )  # Tokyo came, Seoul did not: no cover
    assert results[("washington", "convene_trilateral")] == "snubbed"
    assert all(o["why"] for o in first["outcomes"])
    for name in CONTRACT_VALUES:
        assert name in first["values"], name
    assert first["values"]["export_controls"] is False
    assert set(first["scores"]) == {"washington", "tokyo", "seoul"}
    assert [t["over"] for t in turns] == [False] * 11 + [True]
    assert turns[1]["outcomes"][0]["result"] == "backlash"
    assert all(len(t["hash"]) == 64 for t in turns)


def test_run_is_byte_identical_across_hash_seeds(orders_file: Path) -> None:
    args = (
        "run",
        "convenor",
        "--orders",
        str(orders_file),
        "--seed",
        "1",
        "--bot",
        "seoul=heuristic",
        "--bot",
        "tokyo=random",
    )
    outs = {_run_cli(*args, env={"PYTHONHASHSEED": seed}).stdout for seed in ("0", "1", "4242")}
    assert len(outs) == 1 and outs.pop().count("\n") == 12


def test_run_into_a_reader_that_stops_early_exits_quietly(orders_file: Path) -> None:
    # `wargame run ... | head -1`: the traced output (~100 KB) outgrows the pipe, so the
    # writer is still writing when the reader closes.
    proc = subprocess.Popen(
        [sys.executable, "-m", "wargame", "run", "convenor", "--orders", str(orders_file),
         "--trace"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert json.loads(proc.stdout.readline())["turn"] == 1
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait() == 0
    assert err == ""


def test_run_turns_limit_and_bots(orders_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            [
                "run",
                "convenor",
                "--orders",
                str(orders_file),
                "--turns",
                "3",
                "--bot",
                "seoul=heuristic",
            ]
        )
        == 0
    )
    turns = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert len(turns) == 3
    assert all(t["orders"].get("seoul") for t in turns[1:])  # the bot played turns 2 and 3
    assert "washington" not in turns[2]["orders"]  # unscripted, no bot: passes


def test_orders_naming_unknown_roles_and_actions_are_refused_before_turn_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "turns:\n  - tokio: [pass]\n    seoul: [bycott, {action: side_with}]\n"
        "    washington: [{action: side_with, target: pyongyang}]\n"
    )
    assert main(["run", "convenor", "--orders", str(bad)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    err = captured.err.splitlines()
    assert f"{bad}:2:5: unknown role 'tokio'; did you mean 'tokyo'?" in err
    assert any(
        line.startswith(f"{bad}:3:13: seoul has no action 'bycott'") and "boycott" in line
        for line in err
    )
    assert any(line.startswith(f"{bad}:3:21: seoul has no action 'side_with'") for line in err)
    assert any(
        line.startswith(f"{bad}:4:18:") and "cannot target 'pyongyang'" in line for line in err
    )


def test_validate_bundled_content_is_clean(root: Path) -> None:
    out = _run_cli("validate", str(root / "scenarios"), str(root / "rules"))
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout == ""


def test_validate_reports_every_problem_with_position(tmp_path: Path, root: Path) -> None:
    scen = tmp_path / "scenarios"
    scen.mkdir()
    text = (root / "scenarios" / "convenor.yaml").read_text()
    text = text.replace("turns: 12", "turns: twelve")
    text = text.replace("      - add: {nk_threat: 12}", "      - add: {nk_thret: 12}")
    text = text.replace(
        "if: cohesion >= 45\n      points: 1", "if: __import__('os')\n      points: 1"
    )
    (scen / "bad.yaml").write_text(
        text.replace("rules: [core]", f"rules: [{root}/rules/core.yaml]")
    )
    out = _run_cli("validate", str(scen))
    assert out.returncode == 1
    lines = out.stdout.splitlines()
    turns_line = text.splitlines().index("turns: twelve") + 1
    assert any(f":{turns_line}:8: turns: expected a whole number" in x for x in lines), lines
    assert any("unknown variable 'nk_thret'; did you mean 'nk_threat'?" in x for x in lines), lines
    assert any("function calls other than" in x and "__import__" in x for x in lines), lines
    for line in lines:
        file, ln, col, _msg = line.split(":", 3)
        assert file.endswith("bad.yaml") and int(ln) > 0 and int(col) > 0


def test_list_shows_bundled_scenarios(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--json"]) == 0
    rows = {r["id"]: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    assert rows["convenor"]["years"] == "2021–2023" and rows["convenor"]["turns"] == "12"


@pytest.mark.parametrize("kind", ["scenario", "rules"])
def test_schema_is_json_schema(kind: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", kind]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["$schema"].endswith("2020-12/schema")
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator.check_schema(schema)


def test_unknown_scenario_and_bad_bot_are_usage_errors(
    orders_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", "nowhere", "--orders", str(orders_file)]) == 2
    assert "no scenario 'nowhere'" in capsys.readouterr().err
    assert main(["run", "convenor", "--orders", str(orders_file), "--bot", "seoul=genius"]) == 2
    assert "unknown bot kind 'genius'" in capsys.readouterr().err
