"""Saves survive being killed mid-write, and replay the same in every process."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from wargame.engine.bots import BOTS
from wargame.engine.content import Content
from wargame.engine.game import Game
from wargame.storage.saves import load_game, load_scenario, save_game_to

ROOT = Path(__file__).resolve().parents[2]
SEATS = {"washington": "random", "tokyo": "random", "seoul": "random"}


@pytest.fixture(scope="module")
def content() -> Content:
    return load_scenario(ROOT / "scenarios" / "convenor.yaml")


def _play(content: Content, seed: int, turns: int) -> Game:
    game = Game(content, seed)
    for _ in range(turns):
        game.resolve({role: BOTS["random"](game, role) for role in content.role_ids})
    return game


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
def test_sigkill_while_saving_leaves_the_old_or_the_new_save_whole(
    content: Content, tmp_path: Path
) -> None:
    a, b = _play(content, 1, 12), _play(content, 2, 3)  # distinguishable: seed, length, size
    path = tmp_path / "game.json"
    save_game_to(a, path, seats=SEATS, game_id="A")
    expected = {"A": a.history, "B": b.history}
    rng = random.Random(1234)
    deadline = time.monotonic() + 8.0
    kills = 0
    while kills < 50 and time.monotonic() < deadline:
        pid = os.fork()
        if pid == 0:  # the child saves the two games in turn until it is killed
            try:
                while True:
                    save_game_to(a, path, seats=SEATS, game_id="A")
                    save_game_to(b, path, seats=SEATS, game_id="B")
            finally:
                os._exit(0)
        time.sleep(rng.uniform(0.0, 0.03))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        kills += 1
        loaded = load_game(path)  # raises if the file is torn or damaged
        assert loaded.game_id in expected
        assert loaded.game.history == expected[loaded.game_id]
        backup = path.with_name(path.name + ".bak")
        if backup.exists():
            assert load_game(backup).game_id in expected
    assert kills >= 30


def _run(code: str, hashseed: str, *args: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": hashseed}
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         env=env, cwd=ROOT, check=True)
    return out.stdout


PLAY_AND_SAVE = """
import json, sys
from wargame.engine.bots import BOTS
from wargame.engine.game import Game
from wargame.storage.saves import load_game, load_scenario, save_game_to
content = load_scenario("scenarios/convenor.yaml")
game = Game(content, 77)
kinds = {"washington": "heuristic", "tokyo": "random", "seoul": "random"}
for _ in range(12):
    game.resolve({role: BOTS[kinds[role]](game, role) for role in content.role_ids})
path = save_game_to(game, sys.argv[1], seats=kinds)
print(json.dumps([r.hash for r in load_game(path).game.history]))
"""

LOAD = """
import json, sys
from wargame.storage.saves import load_game, verify_save
print(json.dumps([r.hash for r in load_game(sys.argv[1]).game.history]))
print(verify_save(sys.argv[1]).ok)
"""


def test_the_same_game_gives_the_same_hashes_under_any_hash_seed(tmp_path: Path) -> None:
    outs = {}
    for seed in ("0", "1", "4242"):
        outs[seed] = _run(PLAY_AND_SAVE, seed, str(tmp_path / f"g{seed}.json"))
    assert len(set(outs.values())) == 1 and len(json.loads(outs["0"])) == 12
    files = {(tmp_path / f"g{s}.json").read_bytes() for s in outs}
    assert len(files) == 1  # byte-identical save files
    replays = {_run(LOAD, seed, str(tmp_path / "g0.json")) for seed in ("7", "99")}
    assert replays == {outs["0"] + "True\n"}
