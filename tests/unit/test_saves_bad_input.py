"""Bad save files get a clear SaveError, and failed writes keep the last good save."""

from __future__ import annotations

import copy
import errno
import json
import os
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wargame.engine.bots import BOTS
from wargame.engine.content import Content
from wargame.engine.game import Game
from wargame.storage.content_loader import load_content
from wargame.storage.save_format import sign_bytes
from wargame.storage.saves import (
    SaveError,
    list_saves,
    load_game,
    save_game_to,
    verify_save,
)

ROOT = Path(__file__).resolve().parents[2]
SEATS = {"washington": "human", "tokyo": "random", "seoul": "heuristic"}


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(ROOT / "scenarios" / "convenor.yaml")


@pytest.fixture(scope="module")
def game(content: Content) -> Game:
    g = Game(content, 21)
    for _ in range(6):
        g.resolve({role: BOTS["random"](g, role) for role in content.role_ids})
    return g


@pytest.fixture
def saved(game: Game, tmp_path: Path) -> Path:
    return save_game_to(game, tmp_path / "game.json", seats=SEATS, game_id="g")


def rewrite(path: Path, change: Any, *, fix_checksum: bool = True) -> None:
    """Edit a save's JSON like another tool would: change it, then (optionally) re-sign it."""
    doc = json.loads(path.read_text())
    change(doc)
    data = json.dumps(doc, ensure_ascii=False).encode()
    path.write_bytes(sign_bytes(data) if fix_checksum else data)


def load_error(path: Path) -> str:
    with pytest.raises(SaveError) as info:
        load_game(path)
    message = info.value.message
    assert str(path) in message and "Traceback" not in message
    return message


# ---------------------------------------------------------------------------- not a save


def test_not_json(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text("this is not json {")
    assert "is not valid JSON (line 1, column 1" in load_error(path)


def test_empty_and_not_a_save(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text("")
    assert "is empty" in load_error(path)
    path.write_text('{"some": "other json"}')
    assert "not a wargame save" in load_error(path)
    path.write_text("[1, 2]")
    assert "not a wargame save" in load_error(path)


def test_binary_garbage(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(bytes(range(256)) * 4)
    assert "not UTF-8" in load_error(path)


def test_missing_file_and_a_folder(tmp_path: Path) -> None:
    assert "no such save file" in load_error(tmp_path / "nope.json")
    assert "is a folder" in load_error(tmp_path)


def test_cut_short_anywhere(saved: Path) -> None:
    data = saved.read_bytes()
    cuts = sorted({*range(1, len(data) - 2, max(1, len(data) // 60)), len(data) - 3})
    for cut in cuts:
        saved.write_bytes(data[:cut])
        message = load_error(saved)
        assert "cut short" in message or "not UTF-8" in message, (cut, message)


def test_a_flipped_byte_anywhere_is_caught(saved: Path, game: Game) -> None:
    data = saved.read_bytes()
    rng = random.Random(5)
    positions = sorted({*range(0, 400), *rng.sample(range(len(data)), 400)})
    caught = 0
    for pos in positions:
        flipped = bytearray(data)
        flipped[pos] ^= 1 << rng.randrange(8)
        saved.write_bytes(bytes(flipped))
        try:
            loaded = load_game(saved)
        except SaveError as err:
            caught += 1
            assert "Traceback" not in err.message
            continue
        # the only flips that may pass are those that change nothing the save means
        assert loaded.game.history == game.history and loaded.file.seats == SEATS, pos
    assert caught == len(positions)  # the checksum covers every byte of the file


def test_line_endings_changed_to_crlf_still_load(saved: Path, game: Game) -> None:
    saved.write_bytes(saved.read_bytes().replace(b"\n", b"\r\n"))  # e.g. git on Windows
    assert load_game(saved).game.history == game.history


def test_checksum_mismatch_message(saved: Path) -> None:
    rewrite(saved, lambda d: d["turns"][0]["values"].update({"cohesion": 99.0}),
            fix_checksum=False)
    assert "the file is damaged or was edited: checksum mismatch" in load_error(saved)


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        (lambda d: d.pop("seed"), 'missing field "seed"'),
        (lambda d: d.pop("seats"), 'missing field "seats"'),
        (lambda d: d.pop("game_id"), 'missing field "game_id"'),
        (lambda d: d["turns"][2].pop("hash"), 'missing field "turns[2].hash"'),
        (lambda d: d["turns"][3].pop("orders"), 'missing field "turns[3].orders"'),
        (lambda d: d["turns"][1].pop("values"), 'missing field "turns[1].values"'),
        (lambda d: d["content"].pop("rules"), 'missing field "content.rules"'),
        (lambda d: d["content"]["scenario"].pop("text"), 'missing field "content.scenario.text"'),
        (lambda d: d["rng"].pop("algorithm"), 'missing field "rng.algorithm"'),
        (lambda d: d["snapshots"][0]["state"].pop("rng"), "snapshots[0].state.rng"),
        (lambda d: d["snapshots"][0]["state"]["values"].update({"cohesion": "high"}),
         "snapshots[0].state.values"),
        (lambda d: d.update(seed="1"), 'bad field "seed": expected an integer'),
        (lambda d: d["turns"][0]["orders"]["tokyo"].append({"verb": "x"}),
         "turns[0].orders.tokyo"),
        (lambda d: d["turns"][0]["orders"].update(moscow=[]), "no role 'moscow'"),
        (lambda d: d["turns"][4].update(turn=9), 'bad field "turns[4].turn": expected 5'),
    ],
)
def test_a_missing_or_wrong_field_is_named(saved: Path, where: Any, expected: str) -> None:
    rewrite(saved, where)
    message = load_error(saved)
    assert expected in message, message


def test_a_missing_checksum(saved: Path) -> None:
    rewrite(saved, lambda d: d.pop("checksum"), fix_checksum=False)
    assert 'missing field "checksum"' in load_error(saved)


def test_a_newer_format_is_refused_with_the_version_it_needs(saved: Path) -> None:
    def newer(d: dict[str, Any]) -> None:
        d["version"] = 3
        d["program_version"] = "9.0.0"
        d["something_new"] = {"x": 1}

    rewrite(saved, newer)
    message = load_error(saved)
    assert "needs save format 3 (written by wargame 9.0.0)" in message
    assert "reads formats 1 to 2" in message and "upgrade" in message


def test_another_random_generator_is_refused(saved: Path) -> None:
    rewrite(saved, lambda d: d["rng"].update(algorithm="mt19937"))
    assert "random generator is 'mt19937'" in load_error(saved)


def test_embedded_content_that_does_not_match_its_hash(saved: Path) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["content"]["scenario"]["text"] = d["content"]["scenario"]["text"].replace(
            "turns: 12", "turns: 13")

    rewrite(saved, edit)
    assert "do not match their hash" in load_error(saved)


def test_embedded_content_that_no_longer_compiles(saved: Path) -> None:
    from wargame.storage.content_loader import ContentSource, SourceFile

    def edit(d: dict[str, Any]) -> None:
        sc = d["content"]["scenario"]
        sc["text"] = sc["text"].replace("turns: 12", "turns: twelve")
        src = ContentSource(SourceFile(sc["name"], sc["text"]),
                            tuple(SourceFile(r["name"], r["text"]) for r in d["content"]["rules"]))
        d["content"]["sha256"] = src.digest()

    rewrite(saved, edit)
    message = load_error(saved)
    assert "no longer compiles" in message and "convenor.yaml:" in message


def test_edited_orders_are_named_by_turn(saved: Path) -> None:
    rewrite(saved, lambda d: d["turns"][3]["orders"].update(
        washington=[{"action": "reassure", "target": "seoul"}]))
    message = load_error(saved)
    assert "does not replay as saved: turn 4 (2021 Q4) differs" in message
    result = verify_save(saved)
    assert not result.ok and result.divergence is not None
    assert result.divergence.turn == 4 and result.divergence.diffs
    assert result.divergent_orders.startswith("washington: reassure:seoul")
    assert result.divergence.describe().startswith("turn 4 (2021 Q4) differs: ")


def test_edited_orders_without_re_signing_verify_still_names_the_turn(saved: Path) -> None:
    rewrite(saved, lambda d: d["turns"][1]["orders"].update(seoul=[]), fix_checksum=False)
    assert "checksum mismatch" in load_error(saved)
    result = verify_save(saved)
    assert result.divergence is not None and result.divergence.turn == 2
    assert any("checksum mismatch" in p for p in result.problems)


def test_a_damaged_file_points_at_its_sound_backup(game: Game, saved: Path) -> None:
    save_game_to(game, saved, seats=SEATS, game_id="g")  # now game.json.bak exists too
    saved.write_bytes(saved.read_bytes()[:100])
    message = load_error(saved)
    assert "cut short" in message and "game.json.bak, is sound" in message
    [info] = list_saves(saved.parent)
    assert not info.sound and "game.json.bak" in info.problem


# ---------------------------------------------------------------------------- failed writes


def _fail(code: int) -> Any:
    def raiser(*args: Any, **kwargs: Any) -> Any:
        raise OSError(code, os.strerror(code))

    return raiser


@pytest.mark.parametrize(
    ("target", "code", "expected"),
    [
        ("replace", errno.ENOSPC, "the disk is full"),
        ("open", errno.ENOSPC, "the disk is full"),
        ("write", errno.ENOSPC, "the disk is full"),
        ("fsync", errno.EIO, "Input/output error"),
        ("open", errno.EACCES, "no permission to write in"),
        ("replace", errno.EPERM, "no permission to write in"),
        ("open", errno.EROFS, "read-only file system"),
    ],
)
def test_a_failed_write_keeps_the_last_good_save(
    game: Game, saved: Path, monkeypatch: pytest.MonkeyPatch, target: str, code: int,
    expected: str,
) -> None:
    before = saved.read_bytes()
    longer = game.clone()
    longer.resolve({role: BOTS["random"](longer, role) for role in longer.content.role_ids})
    monkeypatch.setattr(os, target, _fail(code))
    with pytest.raises(SaveError) as info:
        save_game_to(longer, saved, seats=SEATS, game_id="g")
    monkeypatch.undo()
    message = info.value.message
    assert expected in message and "the last good save is kept" in message
    assert str(saved) in message
    assert saved.read_bytes() == before
    assert len(load_game(saved).game.history) == 6
    assert not [p for p in saved.parent.iterdir() if p.name.endswith(".tmp")]
    # the game goes on: the next save works
    save_game_to(longer, saved, seats=SEATS, game_id="g")
    assert len(load_game(saved).game.history) == 7


def test_a_folder_that_cannot_be_created(game: Game, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(SaveError, match="cannot save to"):
        save_game_to(game, tmp_path / "file" / "sub" / "g.json", seats=SEATS)


# ---------------------------------------------------------------------------- snapshot states
# Snapshot states are read by a hand-written fast path when they have exactly the shape the
# game writes, and by cattrs otherwise: the fast path must accept nothing cattrs rejects and
# give exactly the state cattrs gives (same values, same JSON types).


def _raw_states(game: Game) -> list[dict[str, Any]]:
    import attrs

    from wargame.engine.state import Change, FiredEvent
    from wargame.storage.save_format import converter

    states = [*game.states, game.state]
    # The last one has every kind of part: a fired event and a traced change with inputs.
    extra = Change("cohesion", 40.0, 43, "event", "crisis", None, "events", "3 * x",
                   (("x", 1.0), ("cover", True), ("n", 2)), "because", True)
    fired = FiredEvent("crisis", "A crisis", "Something happens.", 3)
    states.append(attrs.evolve(states[-1], events=(*states[-1].events, fired),
                               event_trace=(*states[-1].event_trace, extra)))
    return [json.loads(json.dumps(converter.unstructure(s))) for s in states]


def _reads_or_says_why(raw: Any) -> None:
    from wargame.engine.state import GameState
    from wargame.formats.save import structure

    try:
        state = structure(raw, GameState, "snapshots[0].state")
    except SaveError as err:
        assert err.message.startswith(("bad field", "missing field")), err.message
        assert "snapshots[0].state" in err.message, err.message
    else:
        assert isinstance(state, GameState) and len(state.hash()) == 64


def test_snapshot_states_read_back_as_written(game: Game) -> None:
    from wargame.engine.state import GameState
    from wargame.storage.save_format import converter

    for raw in _raw_states(game):
        state = converter.structure(raw, GameState)
        assert json.loads(json.dumps(converter.unstructure(state))) == raw


_ODD = [None, 0, 1, 2.5, True, False, "x", [], {}, ["x"], [["x", 1.0]], [["x"]], [1, 2],
        {"state": "0x1", "inc": "0x3"}, {"id": "e", "title": "t", "text": "", "turn": 1}]


def _places(node: Any) -> list[tuple[Any, Any]]:
    """Every (container, key or index) in a JSON tree."""
    keys = list(node) if isinstance(node, dict) else range(len(node))
    out = []
    for k in keys:
        out.append((node, k))
        if isinstance(node[k], dict | list):
            out += _places(node[k])
    return out


def test_every_single_change_to_a_snapshot_state_reads_or_says_why(game: Game) -> None:
    base = _raw_states(game)[-1]
    for name in ("values", "marks", "tallies"):  # a few of each is enough, and quicker
        base[name] = dict(list(base[name].items())[:3])
    for i in range(len(_places(base))):
        for change in [*_ODD, "delete", "add"]:
            raw = copy.deepcopy(base)
            parent, key = _places(raw)[i]
            if change == "delete":
                del parent[key]
            elif change == "add" and isinstance(parent, dict):
                parent["extra"] = 1
            elif change == "add":
                parent.append("extra")
            else:
                parent[key] = copy.deepcopy(change)
            _reads_or_says_why(raw)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_changed_snapshot_state_reads_or_says_why(game: Game, data: st.DataObject) -> None:
    raw = _raw_states(game)[-1]
    for _ in range(data.draw(st.integers(1, 2))):
        places = [(None, None), *_places(raw)]
        parent, key = data.draw(st.sampled_from(places))
        if parent is None:
            continue
        action = data.draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            parent[key] = copy.deepcopy(data.draw(st.sampled_from(_ODD)))
        elif action == "delete":
            del parent[key]
        elif isinstance(parent, dict):
            name = data.draw(st.sampled_from(["extra", "why", "turn", "role"]))
            parent[name] = copy.deepcopy(data.draw(st.sampled_from(_ODD)))
        else:
            parent.append(copy.deepcopy(data.draw(st.sampled_from(_ODD))))
    _reads_or_says_why(raw)
