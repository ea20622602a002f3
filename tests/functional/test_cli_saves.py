"""`wargame run --save`, `replay --verify`, `replay --with-current-rules`, `report`, `schema save`
as users and scripts call them."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from wargame.cli import main
from wargame.storage.save_format import sign_bytes
from wargame.storage.saves import load_game

ROOT = Path(__file__).resolve().parents[2]
ORDERS = """\
turns:
  - washington: [convene_trilateral]
    tokyo: [attend_trilateral, {action: lift_export_controls}]
    seoul: [{action: compensation_fund}]
  - washington: [{action: side_with, target: tokyo}]
"""


def _cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "wargame", *args], capture_output=True,
                          text=True, cwd=cwd or ROOT, env={**os.environ}, check=False)


@pytest.fixture
def saved(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    orders = tmp_path / "orders.yaml"
    orders.write_text(ORDERS)
    path = tmp_path / "x.json"
    assert main(["run", "convenor", "--orders", str(orders), "--seed", "1",
                 "--bot", "washington=heuristic", "--save", str(path)]) == 0
    capsys.readouterr()
    return path


def test_run_save_writes_the_same_format_and_matches_its_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    orders = tmp_path / "orders.yaml"
    orders.write_text(ORDERS)
    path = tmp_path / "run.json"
    assert main(["run", "convenor", "--orders", str(orders), "--seed", "3",
                 "--bot", "seoul=random", "--save", str(path)]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    loaded = load_game(path)
    assert loaded.file.seats == {"washington": "script", "tokyo": "script", "seoul": "random"}
    assert [r.hash for r in loaded.game.history] == [t["hash"] for t in lines]
    doc = json.loads(path.read_text())
    assert doc["version"] == 2 and doc["seed"] == 3 and len(doc["turns"]) == 12


def test_replay_verify_ok(saved: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", str(saved), "--verify"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ok: 12 turns verified (content sha256 ")


def test_replay_verify_names_the_turn_of_edited_orders(
    saved: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = saved.read_text().splitlines()
    at = next(i for i, line in enumerate(text) if line.startswith('  {"turn": 4,'))
    # An order the bot did not give on turn 4 (a duplicate would be refused and change nothing).
    text[at] = text[at].replace('"washington": [', '"washington": [{"action": "reassure", '
                                '"target": "tokyo"}, ', 1)
    saved.write_text("\n".join(text))
    assert main(["replay", str(saved), "--verify"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{saved}: turn 4 (2021 Q4) differs: ")
    assert "(saved → replayed)" in out[0] and "later turns differ too" in out[0]
    assert out[1].startswith("  orders of turn 4: washington: reassure:tokyo")
    assert f"{saved}: problem: the file is damaged or was edited: checksum mismatch" in out


def test_with_current_rules_reports_how_the_game_would_differ(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "rules").mkdir()
    scenario = tmp_path / "scenarios" / "mine.yaml"
    scenario.write_text((ROOT / "scenarios" / "convenor.yaml").read_text())
    rules = tmp_path / "rules" / "core.yaml"
    rules.write_text((ROOT / "rules" / "core.yaml").read_text())
    orders = tmp_path / "orders.yaml"
    orders.write_text(ORDERS)
    path = tmp_path / "g.json"
    assert main(["run", str(scenario), "--orders", str(orders), "--seed", "2",
                 "--save", str(path)]) == 0
    capsys.readouterr()
    # the save names the file it was played from, but is never followed: the user names it
    assert main(["replay", str(path), "--with-current-rules"]) == 1
    err = capsys.readouterr().err
    assert "played from a scenario file ('mine.yaml')" in err
    assert "name the file to compare with, e.g. --with-current-rules FILE.yaml" in err
    assert main(["replay", "--with-current-rules", str(scenario), str(path)]) == 0
    out = capsys.readouterr().out
    assert "the content on disk is the content this game was played with" in out
    assert "would have gone the same way (12 turns)" in out
    # the scenario changes on disk: the Japan–ROK leg starts warmer
    scenario.write_text(scenario.read_text().replace("japan_rok.trust: {start: 22",
                                                     "japan_rok.trust: {start: 40"))
    assert main(["replay", str(path), "--with-current-rules", str(scenario)]) == 1
    out = capsys.readouterr().out
    assert "current rules: " in out and "mine.yaml" in out
    assert "turn 1 (2021 Q1) differs: " in out and "japan_rok.trust" in out
    assert "(as played → with current rules)" in out
    assert "at the end (as played → with current rules): " in out
    # the save itself still verifies with its embedded content
    assert main(["replay", str(path), "--verify"]) == 0
    assert capsys.readouterr().out.startswith("ok: 12 turns verified")


def test_report_formats(saved: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(saved)]) == 0
    md = capsys.readouterr().out
    assert md.startswith("# After-action report — ")
    for heading in ("## Scores", "## Turning points", "## Timeline", "## Turn by turn",
                    "### Turn 12 · 2023 Q4"):
        assert heading in md
    assert "— **snubbed**: " in md  # outcomes with their why

    assert main(["report", str(saved), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["header"]["scenario"] == "convenor" and doc["header"]["turns_played"] == 12
    assert len(doc["turns"]) == 12 and doc["turns"][0]["label"] == "2021 Q1"
    assert doc["turns"][0]["outcomes"] and "values" in doc["turns"][0]

    assert main(["report", str(saved), "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    head = rows[0]
    assert head[:2] == ["turn", "label"] and "japan_rok.trust" in head and "gsomia" in head
    assert "score.washington" in head
    assert len(rows) == 13 and rows[1][:2] == ["1", "2021 Q1"]
    assert rows[1][head.index("gsomia")] in ("true", "false")
    float(rows[12][head.index("cohesion")])


def test_schema_save_describes_the_files(saved: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "save"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["$id"] == "wargame:save" and schema["properties"]["version"]["const"] == 2
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(json.loads(saved.read_text()), schema,
                        cls=jsonschema.Draft202012Validator)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "is empty"),
        (b"not json", "is not valid JSON"),
        (b'{"format": "wargame-save", "version": 2, "turns": [', "is cut short"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
    ],
)
def test_bad_files_get_a_message_and_no_traceback(tmp_path: Path, content: bytes,
                                                  expected: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    for args in (["replay", str(path), "--verify"], ["replay", str(path)],
                 ["report", str(path)], ["replay", str(path), "--with-current-rules"]):
        done = _cli(*args)
        assert done.returncode == 1, (args, done.stderr)
        assert done.stderr.startswith("wargame: ") and expected in done.stderr
        assert "Traceback" not in done.stderr and done.stdout == ""


def test_newer_version_via_the_cli(saved: Path) -> None:
    doc = json.loads(saved.read_text())
    doc["version"] = 7
    saved.write_bytes(sign_bytes(json.dumps(doc).encode()))
    done = _cli("replay", str(saved), "--verify")
    assert done.returncode == 1 and "needs save format 7" in done.stderr


def test_replay_as_an_unknown_role(saved: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", str(saved), "--as", "moscow"]) == 2
    assert "has no role 'moscow'" in capsys.readouterr().err


def test_verify_is_the_same_under_any_hash_seed(saved: Path) -> None:
    outs = set()
    for seed in ("0", "3", "31337"):
        done = subprocess.run(
            [sys.executable, "-m", "wargame", "replay", str(saved), "--verify"],
            capture_output=True, text=True, cwd=ROOT, check=False,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        assert done.returncode == 0, done.stderr
        outs.add(done.stdout)
    assert len(outs) == 1
