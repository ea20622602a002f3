"""Saved games: round trips, snapshots and seeking, take-backs, forks, names and folders."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wargame.engine.bots import BOTS
from wargame.engine.content import Content
from wargame.engine.game import Game
from wargame.engine.state import Order
from wargame.storage.content_loader import load_content
from wargame.storage.save_format import SNAPSHOT_EVERY, Branch, snapshot_points
from wargame.storage.saves import (
    SaveError,
    autosave,
    fork_game,
    latest_autosave,
    list_saves,
    load_game,
    open_replay,
    safe_name,
    save_dir,
    save_game,
    save_game_to,
    take_back,
    verify_save,
)

ROOT = Path(__file__).resolve().parents[2]
KINDS = ("random", "heuristic", "pass")


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(ROOT / "scenarios" / "convenor.yaml")


def play(content: Content, seed: int, kinds: Mapping[str, str], turns: int,
         game: Game | None = None) -> Game:
    game = game if game is not None else Game(content, seed)
    for _ in range(turns):
        if game.is_over():
            break
        game.resolve({role: BOTS[kinds.get(role, "pass")](game, role) for role in content.role_ids})
    return game


def assert_same_game(a: Game, b: Game) -> None:
    assert a.seed == b.seed
    assert a.content.content_hash == b.content.content_hash
    assert a.state == b.state
    assert a.state.rng == b.state.rng
    assert a.history == b.history
    assert a.states == b.states
    assert a.pending == b.pending


SEATS = {"washington": "human", "tokyo": "heuristic", "seoul": "random"}


# ---------------------------------------------------------------------------- round trips


def test_save_writes_the_header_and_loads_an_equal_game(content: Content, tmp_path: Path) -> None:
    game = play(content, 7, {"tokyo": "heuristic", "seoul": "random"}, 5)
    path = save_game_to(game, tmp_path / "g.json", seats=SEATS, game_id="abc")
    doc = json.loads(path.read_text())
    assert doc["format"] == "wargame-save" and doc["version"] == 2
    assert doc["program_version"] and doc["scenario"] == "convenor"
    assert doc["seats"] == SEATS and doc["seed"] == 7
    assert doc["rng"] == {"algorithm": "pcg32-xsh-rr"}
    assert doc["content"]["sha256"] == content.content_hash
    assert doc["content"]["origin"] == {"bundled": "convenor"}
    assert len(doc["turns"]) == 5 and all(len(t["hash"]) == 64 for t in doc["turns"])
    assert doc["turns"][0]["values"]["japan_rok.trust"] == game.history[0].after["japan_rok.trust"]
    assert doc["checksum"].startswith("sha256:")
    loaded = load_game(path)
    assert_same_game(loaded.game, game)
    assert loaded.file.seats == SEATS and loaded.file.game_id == "abc"
    assert loaded.format_version == 2
    assert loaded.branches == [] and loaded.file.parent is None and not loaded.migrated


def test_the_same_game_saves_to_the_same_bytes(content: Content, tmp_path: Path) -> None:
    a = play(content, 3, {"seoul": "random"}, 4)
    b = play(content, 3, {"seoul": "random"}, 4)
    pa = save_game_to(a, tmp_path / "a.json", seats=SEATS)
    pb = save_game_to(b, tmp_path / "b.json", seats=SEATS)
    assert pa.read_bytes() == pb.read_bytes()


def test_a_game_not_yet_started_and_a_finished_game_round_trip(content: Content,
                                                              tmp_path: Path) -> None:
    fresh = Game(content, 11)
    assert_same_game(load_game(save_game_to(fresh, tmp_path / "f.json", seats=SEATS)).game, fresh)
    done = play(content, 11, {"washington": "random"}, 99)
    assert done.is_over()
    loaded = load_game(save_game_to(done, tmp_path / "d.json", seats=SEATS)).game
    assert_same_game(loaded, done)
    assert loaded.is_over()


def test_pending_orders_survive_a_save(content: Content, tmp_path: Path) -> None:
    game = play(content, 2, {}, 2)
    game.submit("washington", [Order("convene_trilateral")])
    game.submit("tokyo", [Order("attend_trilateral")])
    loaded = load_game(save_game_to(game, tmp_path / "p.json", seats=SEATS)).game
    assert loaded.pending == game.pending
    assert loaded.resolve() == game.resolve()


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    seed=st.integers(min_value=0, max_value=2**63),
    kinds=st.fixed_dictionaries({r: st.sampled_from(KINDS)
                                 for r in ("washington", "tokyo", "seoul")}),
    turns=st.integers(min_value=0, max_value=12),
    more=st.integers(min_value=1, max_value=4),
    takebacks=st.integers(min_value=0, max_value=2),
)
def test_round_trip_then_going_on_gives_the_same_turns(
    content: Content, tmp_path: Path, seed: int, kinds: dict[str, str], turns: int, more: int,
    takebacks: int,
) -> None:
    game = play(content, seed, kinds, turns)
    branches: list[Branch] = []
    for _ in range(min(takebacks, len(game.history))):
        take_back(game, branches)
    path = save_game_to(game, tmp_path / "h.json", seats=kinds, branches=branches)
    loaded = load_game(path)
    assert_same_game(loaded.game, game)
    assert loaded.branches == branches
    # Going on from the loaded game gives the same next turns, random rolls included.
    original = play(content, seed, kinds, more, game)
    resumed = play(content, seed, kinds, more, loaded.game)
    assert_same_game(resumed, original)
    assert [r.hash for r in resumed.history] == [r.hash for r in original.history]


# ---------------------------------------------------------------------------- snapshots, seeking


def test_snapshot_points() -> None:
    assert snapshot_points(0) == [0]
    assert snapshot_points(12) == [10, 12]
    assert snapshot_points(20) == [10, 20]
    assert snapshot_points(35) == [10, 20, 30, 35]
    assert SNAPSHOT_EVERY == 10


def test_replay_seeks_any_turn_like_a_full_replay(content: Content, tmp_path: Path) -> None:
    game = play(content, 5, {"washington": "random", "seoul": "random"}, 12)
    path = save_game_to(game, tmp_path / "r.json", seats=SEATS)
    for turn in (12, 3, 11, 1, 7):  # out of order: from snapshots and from the start
        rep = open_replay(path)
        assert rep.report(turn) == game.history[turn - 1]
        assert rep.state(turn - 1) == game.states[turn - 1]
    rep = open_replay(path)
    assert [rep.report(t) for t in range(1, 13)] == game.history
    assert rep.diverged == {}
    with pytest.raises(IndexError):
        rep.report(13)


# ---------------------------------------------------------------------------- take-backs, forks


def test_take_back_keeps_the_abandoned_turn_as_a_branch(content: Content, tmp_path: Path) -> None:
    game = play(content, 9, {"washington": "random"}, 3)
    abandoned = game.history[-1]
    branches: list[Branch] = []
    report = take_back(game, branches)
    assert report == abandoned and game.turn == 3
    game.submit("washington", [Order("joint_exercise")])
    game.resolve()
    path = save_game_to(game, tmp_path / "t.json", seats=SEATS, branches=branches)
    loaded = load_game(path)
    [branch] = loaded.branches
    assert branch.from_turn == 3
    assert branch.turns[0].hash == abandoned.hash
    assert dict(branch.turns[0].orders) == dict(abandoned.orders)
    assert loaded.game.history[-1].hash != abandoned.hash
    # taking back again on the loaded game adds a branch; the first one is never rewritten
    loaded.take_back()
    loaded.save()
    again = load_game(path)
    assert len(again.branches) == 2 and again.branches[0] == branch
    assert verify_save(path).ok


def test_fork_names_its_parent_and_starts_at_the_turn(content: Content, tmp_path: Path) -> None:
    game = play(content, 4, {"tokyo": "random", "seoul": "random"}, 8)
    parent = save_game_to(game, tmp_path / "main.json", seats=SEATS, game_id="parent-1")
    child = fork_game(parent, 5)
    assert child.name == "main-fork-t5.json" and child.parent == tmp_path
    loaded = load_game(child)
    origin = loaded.file.parent
    assert origin is not None
    assert (origin.file, origin.game_id, origin.turn) == ("main.json", "parent-1", 5)
    assert loaded.file.game_id != "parent-1"
    assert loaded.game.turn == 5 and loaded.game.history == game.history[:4]
    assert loaded.game.state == game.states[4]
    # a second fork at the same turn gets a new name; the viewer's fork gives the same game
    second = open_replay(parent).fork(5)
    assert second.name == "main-fork-t5-2.json"
    assert_same_game(load_game(second).game, loaded.game)
    assert fork_game(parent, 1).exists() and fork_game(parent, 9).exists()
    with pytest.raises(SaveError, match="cannot fork at turn 10"):
        fork_game(parent, 10)
    kinds = {info.name: info.kind for info in list_saves(tmp_path)}
    assert kinds["main"] == "save" and kinds["main-fork-t5"] == "fork"


# ---------------------------------------------------------------------------- names and folders


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("my game", "my-game"),
        ("../x", "x"),
        ("../../etc/passwd", "etc-passwd"),
        ("/abs/path", "abs-path"),
        (".hidden", "hidden"),
        ("..", "game"),
        ("", "game"),
        ("a\\b:c*d?e", "a-b-c-d-e"),
        ("Ünïcödé", "Unicode"),
        ("東京", "game"),
        ("con", "_con"),
        ("NUL.json", "_NUL.json"),
        ("x" * 300, "x" * 80),
        ("turn 4.v2", "turn-4.v2"),
    ],
)
def test_safe_name(name: str, expected: str) -> None:
    assert safe_name(name) == expected


@pytest.mark.parametrize("name", ["../escape", "../../x", "/tmp/abs", "a/../../b", "..", ".x"])
def test_save_game_never_leaves_the_folder(content: Content, tmp_path: Path, name: str) -> None:
    folder = tmp_path / "saves"
    path = save_game(Game(content, 1), name, seats=SEATS, folder=folder)
    assert path.parent == folder and path.suffix == ".json"
    assert [p.name for p in tmp_path.iterdir()] == ["saves"]


def test_save_dir_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WARGAME_SAVE_DIR", str(tmp_path / "env"))
    assert save_dir(str(tmp_path / "cli")) == tmp_path / "cli"
    assert save_dir(None) == tmp_path / "env"
    monkeypatch.delenv("WARGAME_SAVE_DIR")
    assert save_dir(None) == ROOT / "saves"  # tests run from a checkout
    monkeypatch.setattr("wargame.paths.in_checkout", lambda: False)
    monkeypatch.setattr("platformdirs.user_data_dir", lambda app: str(tmp_path / "data" / app))
    assert save_dir(None) == tmp_path / "data" / "wargame" / "saves"


def test_autosave_and_the_load_screen_list(content: Content, tmp_path: Path) -> None:
    game = Game(content, 8)
    for _ in range(3):
        play(content, 8, {"seoul": "random"}, 1, game)
        autosave(game, seats=SEATS, folder=tmp_path, game_id="g-1")
    save_game(game, "Before the summit", seats=SEATS, folder=tmp_path, game_id="g-1")
    (tmp_path / "broken.json").write_text('{"format": "wargame-save", "version": 2')
    (tmp_path / "notes.txt").write_text("not a save")
    infos = {i.name: i for i in list_saves(tmp_path)}
    assert set(infos) == {"autosave-g-1", "Before-the-summit", "broken"}  # no .bak, no .txt
    auto = infos["autosave-g-1"]
    assert auto.kind == "autosave" and auto.sound and auto.turn == 3 and auto.turns_total == 12
    assert auto.scenario == "convenor" and auto.seats == SEATS and auto.modified > 0
    assert not infos["broken"].sound and "cut short" in infos["broken"].problem
    assert (tmp_path / "autosave-g-1.json.bak").is_file()  # the previous autosave is kept
    assert load_game(tmp_path / "autosave-g-1.json.bak").game.turn == 3  # the turn-2 save…
    latest = latest_autosave(tmp_path)
    assert latest is not None and latest.game_id == "g-1"
    resumed = load_game(latest.path)
    assert_same_game(resumed.game, game)


# ---------------------------------------------------------------------------- content kept


def _scenario_copy(tmp_path: Path) -> Path:
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "rules").mkdir()
    scenario = tmp_path / "scenarios" / "mine.yaml"
    scenario.write_text((ROOT / "scenarios" / "convenor.yaml").read_text().replace(
        "id: convenor", "id: mine"))
    (tmp_path / "rules" / "core.yaml").write_text((ROOT / "rules" / "core.yaml").read_text())
    return scenario


def test_a_game_saves_the_content_it_was_played_with_after_the_files_change(
    tmp_path: Path,
) -> None:
    scenario = _scenario_copy(tmp_path)
    mine = load_content(scenario)
    game = play(mine, 1, {"washington": "random"}, 3)
    scenario.write_text(scenario.read_text().replace("turns: 12", "turns: 6"))
    (tmp_path / "rules" / "core.yaml").write_text("# emptied\n")
    path = save_game_to(game, tmp_path / "s.json", seats=SEATS)
    loaded = load_game(path)
    assert loaded.game.content.turns == 12 and loaded.file.content.sha256 == mine.content_hash
    assert_same_game(loaded.game, game)
    doc = json.loads(path.read_text())
    assert doc["content"]["origin"] == {"path": str(scenario.resolve())}


def test_content_keeps_its_texts_however_it_was_loaded(tmp_path: Path) -> None:
    # The terminal game loads with load_content: editing a non-bundled scenario's rule file
    # before the first autosave must not make saving fail (nor read the edited file).
    from wargame.storage.content_loader import load_content

    scenario = _scenario_copy(tmp_path)
    plain = load_content(scenario)
    game = play(plain, 2, {"tokyo": "random"}, 2)
    (tmp_path / "rules" / "core.yaml").write_text("# emptied\n")
    loaded = load_game(save_game_to(game, tmp_path / "s.json", seats=SEATS))
    assert_same_game(loaded.game, game)
    assert loaded.file.content.sha256 == plain.content_hash


def test_saving_content_built_in_code_is_a_clear_error(tmp_path: Path) -> None:
    built = attrs.evolve(load_content(_scenario_copy(tmp_path)), texts=())
    with pytest.raises(SaveError, match="built in code"):
        save_game_to(Game(built, 1), tmp_path / "s.json", seats=SEATS)
    assert not (tmp_path / "s.json").exists()


# ---------------------------------------------------------------------------- the game's slot


def test_an_interrupted_game_resumes_from_its_autosave(content: Content, tmp_path: Path) -> None:
    from wargame.tui.saving import SaveSlot

    slot = SaveSlot(dict(SEATS), tmp_path)
    game = Game(content, 13)
    for _ in range(4):
        play(content, 13, {"tokyo": "random", "seoul": "random"}, 1, game)
        slot.autosave(game)  # after every turn
    slot.take_back(game)
    slot.autosave(game)
    game.submit("washington", [Order("convene_trilateral")])
    slot.autosave(game)  # after orders are submitted
    # … the process dies here; a new one finds the autosave and goes on
    info = latest_autosave(tmp_path)
    assert info is not None and info.game_id == slot.game_id and info.turn == 3
    loaded = load_game(info.path)
    assert_same_game(loaded.game, game)
    resumed = SaveSlot.for_loaded(loaded)
    assert resumed.game_id == slot.game_id and resumed.branches == slot.branches
    assert resumed.path is None  # an autosave is not the player's named save
    named = resumed.save_as(loaded.game, "../my save")
    assert named == tmp_path / "my-save.json"
    assert resumed.save_as(loaded.game) == named  # Ctrl+S again: the same file
    assert load_game(named).branches == slot.branches
