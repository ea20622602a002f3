"""Older save formats are migrated on load: one committed fixture per old version.

Format 1 (wargame 0.0.x): no game id, no snapshots, no per-turn values or labels, `rng` as the
algorithm's name, and orders as "action:target" strings. The fixture was written once by
`write_v1` below (python tests/unit/test_saves_migration.py regenerates it) and committed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from wargame.storage.save_format import checksum_of
from wargame.storage.saves import SaveError, load_game, verify_save

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "saves"
V1 = FIXTURES / "v1-convenor.json"


def write_v1(path: Path) -> None:
    """The format-1 layout, as wargame 0.0.x wrote it."""
    import os

    from wargame.engine.bots import BOTS
    from wargame.engine.game import Game
    from wargame.engine.rng import ALGORITHM
    from wargame.storage.content_loader import compile_content, read_content

    os.chdir(ROOT)  # the names embedded are relative, as 0.0.x recorded them
    source = read_content("scenarios/convenor.yaml")
    content = compile_content(source)
    game = Game(content, 2019)
    kinds = {"washington": "heuristic", "tokyo": "random", "seoul": "random"}
    for _ in range(content.turns):
        game.resolve({role: BOTS[kinds[role]](game, role) for role in content.role_ids})
    doc: dict[str, Any] = {
        "format": "wargame-save",
        "version": 1,
        "program_version": "0.0.9",
        "scenario": content.id,
        "seats": {"washington": "human", "tokyo": "random", "seoul": "random"},
        "seed": 2019,
        "rng": ALGORITHM,
        "content": {
            "sha256": source.digest(),
            "scenario": {"name": source.scenario.name, "text": source.scenario.text},
            "rules": [{"name": r.name, "text": r.text} for r in source.rules],
        },
        "turns": [
            {"orders": {r: [o.key for o in os_] for r, os_ in rep.orders.items() if os_},
             "hash": rep.hash}
            for rep in game.history
        ],
    }
    doc["checksum"] = checksum_of(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def test_the_v1_fixture_is_really_format_1() -> None:
    doc = json.loads(V1.read_text())
    assert doc["version"] == 1 and isinstance(doc["rng"], str)
    assert "snapshots" not in doc and "game_id" not in doc
    assert any(":" in key for t in doc["turns"] for keys in t["orders"].values() for key in keys)


def test_a_v1_save_loads_migrated_and_verifies() -> None:
    loaded = load_game(V1)
    assert loaded.format_version == 1 and loaded.migrated
    assert loaded.file.program_version == "0.0.9"
    assert loaded.file.game_id.startswith("v1-")
    assert loaded.game.is_over() and len(loaded.game.history) == 12
    doc = json.loads(V1.read_text())
    assert [r.hash for r in loaded.game.history] == [t["hash"] for t in doc["turns"]]
    targeted = [o for r in loaded.game.history for os_ in r.orders.values() for o in os_
                if o.target]
    assert targeted, "the fixture should exercise action:target orders"
    result = verify_save(V1)
    assert result.ok, (result.problems, result.divergence)
    assert result.turns == 12


def test_a_migrated_game_saves_as_the_current_format(tmp_path: Path) -> None:
    loaded = load_game(V1)
    path = loaded.save(tmp_path / "now.json")
    doc = json.loads(path.read_text())
    assert doc["version"] == 2 and doc["game_id"] == loaded.file.game_id
    assert doc["snapshots"] and all("values" in t for t in doc["turns"])
    again = load_game(path)
    assert again.format_version == 2
    assert again.game.history == loaded.game.history


def test_an_edited_v1_save_is_caught(tmp_path: Path) -> None:
    doc = json.loads(V1.read_text())
    doc["turns"][5]["orders"]["washington"] = ["joint_exercise"]
    path = tmp_path / "v1.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(SaveError, match="checksum mismatch"):
        load_game(path)
    result = verify_save(path)
    assert result.divergence is not None and result.divergence.turn == 6
    assert result.divergence.diffs == ()  # format 1 kept no values: the hash names the turn


if __name__ == "__main__":  # regenerate the fixture (only when format 1 itself is in question)
    write_v1(Path(sys.argv[1]) if len(sys.argv) > 1 else V1)
    print(f"wrote {V1}")
