"""Saves survive being killed mid-write, and replay the same in every process."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from wargame.engine.bots import BOTS
from wargame.engine.content import Content
from wargame.engine.game import Game
from wargame.storage.content_loader import load_content
from wargame.storage.saves import load_game, save_game_to

ROOT = Path(__file__).resolve().parents[2]
SEATS = {"washington": "random", "tokyo": "random", "seoul": "random"}


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(ROOT / "scenarios" / "convenor.yaml")


def _play(content: Content, seed: int, turns: int) -> Game:
    game = Game(content, seed)
    for _ in range(turns):
        game.resolve({role: BOTS["random"](game, role) for role in content.role_ids})
    return game


_CRASH_POINTS = ("open", "write", "fsync", "link", "replace", "close")


def _save_killed_at(point: int, game: Game, path: Path, game_id: str) -> bool:
    """Save `game` in a child process that is SIGKILLed at its `point`-th file operation
    (a write first gets half its bytes out). False when the save finished before that."""
    pid = os.fork()
    if pid == 0:  # the child
        calls = 0

        def dying(real):  # type: ignore[no-untyped-def]
            def call(*args, **kwargs):  # type: ignore[no-untyped-def]
                nonlocal calls
                calls += 1
                if calls == point:
                    if real is os.write:
                        real(args[0], bytes(args[1])[: len(args[1]) // 2])
                    os.kill(os.getpid(), signal.SIGKILL)
                return real(*args, **kwargs)

            return call

        try:
            for name in _CRASH_POINTS:
                setattr(os, name, dying(getattr(os, name)))
            save_game_to(game, path, seats=SEATS, game_id=game_id)
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    return os.WIFSIGNALED(status)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
def test_sigkill_at_every_step_of_saving_leaves_the_old_or_the_new_save_whole(
    content: Content, tmp_path: Path
) -> None:
    a, b = _play(content, 1, 12), _play(content, 2, 3)  # distinguishable: seed, length, size
    games = {"A": a, "B": b}
    path = tmp_path / "game.json"
    save_game_to(a, path, seats=SEATS, game_id="A")
    point, killed = 1, 0
    # Alternate the game saved over the file, so that each crash may leave either.
    while _save_killed_at(point, games[_id(point)], path, _id(point)):
        killed += 1
        loaded = load_game(path)  # raises if the file is torn or damaged
        assert loaded.game.history == games[loaded.file.game_id].history
        backup = path.with_name(path.name + ".bak")
        if backup.exists():
            assert load_game(backup).file.game_id in games
        point += 1
    # every step of a save was a crash point: open, write, fsync, link, replace, close...
    assert killed >= 6
    # ...and the save that was not killed finished
    assert load_game(path).file.game_id == _id(point)


def _id(point: int) -> str:
    return "B" if point % 2 else "A"


def _run(code: str, hashseed: str, *args: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": hashseed}
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         env=env, cwd=ROOT, check=True)
    return out.stdout


PLAY_AND_SAVE = """
import json, sys
from wargame.engine.bots import BOTS
from wargame.engine.game import Game
from wargame.storage.content_loader import load_content
from wargame.storage.saves import load_game, save_game_to
content = load_content("scenarios/convenor.yaml")
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
