"""`wargame run --agent` and `wargame tournament` as a user types them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from wargame.cli import main
from wargame.formats.jsonschema import schema_for

AGENTS = Path(__file__).resolve().parents[1] / "fixtures" / "agents"
RECORDER = f"{sys.executable} {AGENTS / 'recorder.py'}"


def wargame(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "wargame", *args], capture_output=True,
                          text=True, timeout=timeout)


def test_run_with_an_agent_keeps_its_rationale_and_logs_its_stderr(tmp_path: Path) -> None:
    record = tmp_path / "sent.jsonl"
    save = tmp_path / "game.json"
    out = wargame("run", "convenor", "--agent", f"tokyo={RECORDER} {record}",
                  "--bot", "seoul=heuristic", "--agent-log", str(tmp_path / "logs"),
                  "--save", str(save))
    assert out.returncode == 0, out.stderr
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(lines) == 12 and lines[-1]["over"]
    assert [line["agents"]["tokyo"]["rationale"] for line in lines] == [
        f"turn {t}" for t in range(1, 13)
    ]
    assert all("tokyo" in line["orders"] for line in lines)
    log = next((tmp_path / "logs").glob("tokyo-*.log"))
    assert "thinking about turn 12" in log.read_text()
    assert "thinking" not in out.stderr  # the agent's stderr is not on the terminal
    assert f"tokyo's agent writes its stderr to {log}" in out.stderr
    assert record.read_text().endswith("END\n")  # it got `end` and exited by itself
    doc = json.loads(save.read_text())
    assert doc["seats"]["tokyo"].startswith("agent:")
    assert doc["agents"]["rationale"] == [
        {"turn": t, "role": "tokyo", "text": f"turn {t}"} for t in range(1, 13)
    ]
    assert doc["agents"]["errors"] == []
    jsonschema.validate(doc, schema_for("save"))
    verify = wargame("replay", str(save), "--verify")
    assert verify.returncode == 0, verify.stderr


def test_run_reports_each_agent_error_on_stderr_and_finishes(tmp_path: Path) -> None:
    out = wargame("run", "convenor", "--agent",
                  f"seoul={sys.executable} {AGENTS / 'misbehave.py'} garbage",
                  "--agent-fallback", "random", "--agent-log", str(tmp_path))
    assert out.returncode == 0, out.stderr
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(lines) == 12
    errors = [line for line in out.stderr.splitlines() if "seoul's agent, turn" in line]
    assert errors == [
        "wargame: seoul's agent, turn 1: reply is not UTF-8 text (byte 0); "
        "the random bot plays for seoul this turn",
        "wargame: seoul's agent, turn 2: reply line longer than 1 MiB; "
        "the random bot plays for seoul this turn",
    ]
    assert lines[0]["agents"]["seoul"]["error"].startswith("reply is not UTF-8")
    assert "Traceback" not in out.stderr


def test_a_save_keeps_each_agent_error(tmp_path: Path) -> None:
    save = tmp_path / "game.json"
    out = wargame("run", "convenor", "--turns", "3", "--agent",
                  f"seoul={sys.executable} {AGENTS / 'misbehave.py'} garbage",
                  "--agent-log", str(tmp_path), "--save", str(save))
    assert out.returncode == 0, out.stderr
    doc = json.loads(save.read_text())
    assert [(e["turn"], e["message"].split(";")[0]) for e in doc["agents"]["errors"]] == [
        (1, "reply is not UTF-8 text (byte 0)"), (2, "reply line longer than 1 MiB")]
    assert doc["agents"]["rationale"] == [{"turn": 3, "role": "seoul", "text": "t3"}]
    jsonschema.validate(doc, schema_for("save"))


@pytest.mark.parametrize(("args", "said"), [
    (["--agent", "tokyo"], "--agent takes ROLE=COMMAND"),
    (["--agent", "tokio=python x.py"], "has no role 'tokio'"),
    (["--agent", "tokyo=no-such-program-here"], "cannot start 'no-such-program-here'"),
    (["--agent", "tokyo=llm:localhost:8080"], "needs an http(s) URL"),
    (["--agent", "tokyo=python x.py", "--bot", "tokyo=random"], "both a --bot and an --agent"),
    (["--agent", "tokyo=python x.py", "--agent-fallback", "smart"], "unknown bot kind 'smart'"),
    (["--agent", "tokyo=python x.py", "--agent-timeout", "0"], "--agent-timeout must be"),
])
def test_agent_usage_errors_are_one_line_and_exit_2(
    args: list[str], said: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["run", "convenor", "--agent-log", str(tmp_path), *args]) == 2
    err = capsys.readouterr().err
    assert said in err and len(err.strip().splitlines()) == 1, err


def test_tournament_ranks_bots_and_an_agent(tmp_path: Path) -> None:
    games = tmp_path / "games.jsonl"
    out = wargame("tournament", "convenor", "--seeds", "1", "--entrant", "heuristic",
                  "--entrant", "random", "--entrant", f"mine=agent:{RECORDER} {tmp_path / 'r'}",
                  "--agent-log", str(tmp_path), "--json", "--out", str(games))
    assert out.returncode == 0, out.stderr
    table = json.loads(out.stdout)
    assert table["games"] == 6  # 3 entrants in 3! seatings, 1 seed
    assert {r["entrant"] for r in table["ranking"]} == {"heuristic", "random", "mine"}
    assert all(r["games"] == 6 and r["errors"] == 0 for r in table["ranking"])
    assert [r["rank"] for r in table["ranking"]] == [1, 2, 3]
    ordinals = [r["ordinal"] for r in table["ranking"]]
    assert ordinals == sorted(ordinals, reverse=True)
    assert set(table["per_seat"]["mine"]) == {"washington", "tokyo", "seoul"}
    rows = [json.loads(line) for line in games.read_text().splitlines()]
    assert len(rows) == 6 and {tuple(sorted(r["seats"].values())) for r in rows} == {
        ("heuristic", "mine", "random")
    }


def test_tournament_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tournament", "convenor", "--seeds", "1", "--entrant", "heuristic",
                 "--entrant", "pass"]) == 0
    text = capsys.readouterr().out
    assert "RANK  ENTRANT" in text and "Mean score by seat" in text
    assert "fill:heuristic" in text and "seat average" in text


def test_tournament_out_problems_are_one_line_and_keep_the_tables(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["tournament", "convenor", "--seeds", "1", "--entrant", "heuristic", "--entrant", "pass"]
    assert main([*args, "--out", str(tmp_path)]) == 2  # refused before any game is played
    assert "is a folder" in capsys.readouterr().err
    assert main([*args, "--out", str(tmp_path / "no" / "games.jsonl")]) == 2
    assert "no folder" in capsys.readouterr().err
    if Path("/dev/full").exists():  # the disk fills: the file fails, the tables still print
        assert main([*args, "--out", "/dev/full"]) == 1
        said = capsys.readouterr()
        assert "No space left on device" in said.err and len(said.err.splitlines()) == 1
        assert "RANK  ENTRANT" in said.out
