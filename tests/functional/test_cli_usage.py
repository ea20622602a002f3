"""Every command-line mistake is answered the same way (one stderr line, a did-you-mean where
one fits, exit 2, no screen opened); `run` plays with bots alone or orders from stdin; every
option has help with an example; shell completion completes."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from wargame.cli.main import build_parser

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    # stdin is a pipe, not a terminal: a command that would open a screen must not hang.
    return subprocess.run([sys.executable, "-m", "wargame", *args], input=stdin,
                          capture_output=True, text=True, cwd=ROOT, timeout=60,
                          env={**os.environ, "WARGAME_SAVE_DIR": "/nonexistent-never-used"},
                          check=False)


@pytest.mark.parametrize(("args", "said"), [
    (["play", "convener"], "did you mean 'convenor'?"),
    (["play", "convenor", "--as", "tokio"], "did you mean 'tokyo'?"),
    (["play", "--as", "tokio"], "did you mean 'tokyo'?"),
    (["play", "convenor", "--bot", "seoul=heuristc"], "did you mean 'heuristic'?"),
    (["play", "convenor", "--bot", "seoul=smart"], "unknown bot kind 'smart'; one of:"),
    (["play", "convenor", "--as", "seoul", "--bot", "seoul=random"], "both --as and --bot"),
    (["play", "convenor"], "needs a terminal"),
    (["plya"], "did you mean 'play'?"),
    (["run", "convenor", "--bot", "tokio=random"], "did you mean 'tokyo'?"),
    (["run", "convenor", "--seed", "x"], "invalid int value"),
    (["schema", "scenari"], "did you mean 'scenario'?"),
    (["report", "x.json", "--format", "mdd"], "did you mean 'md'?"),
    (["run", "convenor", "--turns", "-1"], "argument --turns: needs at least 1 turn (got -1)"),
    (["run", "convenor", "--turns", "0"], "argument --turns: needs at least 1 turn (got 0)"),
    (["run", "convenor", "--save", ""], "argument --save: an empty path names no file"),
    (["simulate", "convenor", "--runs", "1", "--out", ""],
     "argument --out: an empty path names no file"),
    (["tournament", "convenor", "--out", ""], "argument --out: an empty path names no file"),
    (["replay", "tests/fixtures/saves/v1-convenor.json", "--verify", "--as", "nobody"],
     "wargame: --as: convenor has no role 'nobody' (roles: washington, tokyo, seoul)"),
    (["replay", "tests/fixtures/saves/v1-convenor.json", "--verify", "--as", "tokio"],
     "did you mean 'tokyo'?"),
    (["replay", "tests/fixtures/saves/v1-convenor.json", "--with-current-rules", "--as", "tokio"],
     "did you mean 'tokyo'?"),
])
def test_mistakes_get_one_line_and_exit_2(args: list[str], said: str) -> None:
    done = cli(*args)
    assert done.returncode == 2, done
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("wargame") and said in lines[0]
    assert done.stdout == ""  # no screen was drawn


def test_replay_viewer_without_a_terminal_says_so(tmp_path: Path) -> None:
    save = tmp_path / "g.json"
    assert cli("run", "convenor", "--turns", "1", "--save", str(save)).returncode == 0
    done = cli("replay", str(save))
    assert done.returncode == 2 and "needs a terminal" in done.stderr
    done = cli("replay", str(save), "--as", "tokio")
    assert done.returncode == 2 and "did you mean 'tokyo'?" in done.stderr


def test_run_with_bots_only() -> None:
    done = cli("run", "convenor", "--seed", "1", "--turns", "2")
    assert done.returncode == 0, done.stderr
    turns = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(turns) == 2
    assert all(turns[0]["orders"].get(r) for r in ("washington", "tokyo", "seoul"))


def test_run_reads_orders_from_stdin_and_bots_fill_the_rest() -> None:
    orders = "turns:\n  - washington: [convene_trilateral]\n"
    done = cli("run", "convenor", "--orders", "-", "--turns", "2", "--bot", "seoul=pass",
               stdin=orders)
    assert done.returncode == 0, done.stderr
    first, second = (json.loads(line) for line in done.stdout.splitlines())
    assert first["orders"]["washington"] == ["convene_trilateral"]
    assert "washington" not in second["orders"]  # scripted seat, no orders that turn: passes
    assert first["orders"].get("tokyo")  # never scripted: a heuristic bot
    assert "seoul" not in first["orders"]  # the pass bot


def _options(parser: argparse.ArgumentParser) -> list[tuple[str, argparse.Action]]:
    out = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                out += [(f"{name} {a.dest}", a) for a in sub._actions]
    return out


def test_every_option_has_help_with_an_example() -> None:
    for name, action in _options(build_parser()):
        if isinstance(action, argparse._HelpAction):
            continue
        assert action.help, f"{name} has no help"
        takes_value = action.nargs != 0
        if takes_value:
            assert "e.g." in action.help or action.choices, (
                f"{name}: give its help an example ('e.g. --seed 7'), as issue 9 asks")


def test_bash_completion_completes_commands_roles_and_kinds() -> None:
    if shutil.which("bash") is None:
        pytest.skip("no bash")
    script = cli("completion", "bash").stdout
    probe = script + """
COMP_WORDS=(wargame pla); COMP_CWORD=1; _wargame; echo "1:${COMPREPLY[*]}"
COMP_WORDS=(wargame play --as to); COMP_CWORD=3; _wargame; echo "2:${COMPREPLY[*]}"
COMP_WORDS=(wargame run convenor --bot seoul=r); COMP_CWORD=4; _wargame; echo "3:${COMPREPLY[*]}"
COMP_WORDS=(wargame play conv); COMP_CWORD=2; _wargame; echo "4:${COMPREPLY[*]}"
"""
    done = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, check=True,
                          cwd=ROOT)
    assert done.stdout.splitlines() == ["1:play", "2:tokyo", "3:seoul=random", "4:convenor"]


def test_fish_and_zsh_scripts_name_every_command() -> None:
    fish = cli("completion", "fish").stdout
    zsh = cli("completion", "zsh").stdout
    for command in ("play", "run", "replay", "report", "simulate", "completion"):
        assert f"-a {command} " in fish
        assert command in zsh
    assert "bashcompinit" in zsh


def test_every_help_fits_80_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    parser = build_parser()
    helps = {"wargame": parser.format_help()}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps.update({name: sub.format_help() for name, sub in action.choices.items()})
    for name, text in helps.items():
        long = [line for line in text.splitlines() if len(line) > 80]
        assert not long, f"{name} --help: lines over 80 columns: {long}"
