"""Every file someone names goes through one bounded reader (wargame.formats.files): devices,
named pipes, folders, over-long paths and oversized files get one line naming the file, never a
hang, a traceback or unbounded memory; YAML and JSON limits hold while parsing (issue 14)."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from wargame.formats.files import JSON_DEPTH, JSON_VALUES, SAVE_LIMIT, YAML_LIMIT

ROOT = Path(__file__).resolve().parents[2]
MiB = 1 << 20
pytestmark = pytest.mark.timeout(600)  # generous: a FIFO read by mistake would hang forever


def cli(*args: str, memory_mib: int | None = None, stdin: bytes | None = None,
        cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`wargame ARGS` in a fresh process, optionally under an address-space limit."""

    def limit() -> None:
        if memory_mib is not None:
            size = memory_mib * MiB
            resource.setrlimit(resource.RLIMIT_AS, (size, size))

    done = subprocess.run(
        [sys.executable, "-m", "wargame", *args], input=stdin, capture_output=True,
        cwd=cwd or ROOT, preexec_fn=limit, timeout=300, check=False,
    )
    return subprocess.CompletedProcess(done.args, done.returncode,
                                       done.stdout.decode(errors="replace"),
                                       done.stderr.decode(errors="replace"))


def clean(done: subprocess.CompletedProcess[str]) -> str:
    """stdout+stderr, after checking neither holds a traceback."""
    both = done.stdout + done.stderr
    assert "Traceback" not in both and "Error:" not in both, both
    return both


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    path = tmp_path / "g.json"
    assert cli("run", "convenor", "--turns", "2", "--save", str(path)).returncode == 0
    return path


# ---------------------------------------------------------------------------- not regular files


@pytest.mark.parametrize("args", [
    ("run", "convenor", "--orders", "/dev/zero"),
    ("run", "/dev/zero"),
    ("validate", "/dev/zero"),
    ("report", "/dev/urandom"),
    ("replay", "/dev/zero", "--verify"),
])
def test_a_device_is_refused_unread(args: tuple[str, ...]) -> None:
    done = cli(*args, memory_mib=400)  # reading /dev/zero would run into the limit
    assert done.returncode == 1
    assert "is a device, not a regular file" in clean(done)
    assert f"{args[-1] if args[-1] != '--verify' else args[1]}" in done.stderr + done.stdout


def test_a_named_pipe_never_hangs(tmp_path: Path) -> None:
    fifo = tmp_path / "orders.yaml"
    os.mkfifo(fifo)
    for args in (("run", "convenor", "--orders", str(fifo)), ("validate", str(tmp_path)),
                 ("report", str(fifo)), ("run", str(fifo))):
        done = cli(*args)  # with no writer, a blocking open would wait forever
        assert done.returncode == 1, args
        assert f"{fifo}:1:1: is a named pipe, not a regular file" in clean(done) or (
            f"wargame: {fifo}: is a named pipe, not a regular file" in done.stderr), done


def test_a_yaml_link_to_a_device_in_a_folder_or_scenarios(tmp_path: Path) -> None:
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "zero.yaml").symlink_to("/dev/zero")
    done = cli("validate", str(tmp_path), memory_mib=400)
    assert done.returncode == 1
    assert f"{tmp_path}/scenarios/zero.yaml:1:1: is a device, not a regular file" in clean(done)
    done = cli("list", cwd=tmp_path, memory_mib=400)  # ./scenarios is listed too
    assert done.returncode == 0 and "convenor" in done.stdout
    assert "scenarios/zero.yaml: does not load" in clean(done)


def test_folders_and_missing_files(tmp_path: Path) -> None:
    done = cli("run", "convenor", "--orders", str(tmp_path))
    assert (done.returncode, done.stderr) == (1, f"{tmp_path}:1:1: is a folder, not a file\n")
    done = cli("report", str(tmp_path / "gone.json"))
    assert (done.returncode, done.stderr) == (
        1, f"wargame: {tmp_path}/gone.json: no such save file\n")


def test_no_permission(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    path = tmp_path / "s.yaml"
    path.write_text("id: x\n")
    path.chmod(0)
    done = cli("validate", str(path))
    assert done.returncode == 1 and f"{path}:1:1: no permission to read it" in clean(done)


# ---------------------------------------------------------------------------- paths


def test_a_path_longer_than_the_system_allows(saved: Path) -> None:
    long_name = "a" * 5000 + ".yaml"
    deep = "/".join(["d" * 200] * 30) + "/g.json"
    for args in (("validate", long_name), ("validate", deep), ("run", "convenor", "--orders",
                 long_name), ("replay", deep, "--verify"), ("report", deep), ("replay", deep),
                 ("replay", str(saved), "--with-current-rules", long_name), ("lint", long_name),
                 ("test", long_name), ("new", "scenario", long_name), ("host", "--resume", deep),
                 ("simulate", "convenor", "--runs", "1", "--out", long_name + ".jsonl")):
        done = cli(*args)
        out = clean(done)
        assert done.returncode in (1, 2), (args, out)
        assert "longer than this system allows" in out or "no scenario 'aaa" in out or (
            "no such save" in out), out
        assert len(out) < 600, out  # the path is shown shortened, not 6,000 characters


def test_an_empty_path_is_a_usage_error_not_the_current_folder() -> None:
    for args in (("validate", ""), ("lint", ""), ("report", ""), ("replay", ""),
                 ("run", "convenor", "--orders", "")):
        done = cli(*args)
        assert done.returncode == 2, args
        assert "an empty path names no file or folder (for the current folder, say '.')" in (
            clean(done))


def test_an_empty_folder_is_not_ok(tmp_path: Path) -> None:
    done = cli("validate", str(tmp_path))
    assert done.returncode == 1
    assert f"{tmp_path}:1:1: no .yaml or .yml files in this folder: nothing to check" in (
        clean(done))


# ---------------------------------------------------------------------------- sizes and shapes


def test_an_oversized_yaml_file_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as f:
        f.truncate(YAML_LIMIT + 1)  # sparse: costs no disk
    done = cli("validate", str(big), memory_mib=400)
    assert done.returncode == 1
    assert f"{big}:1:1: is over 4 MiB ({YAML_LIMIT + 1:,} bytes or more), the limit for a " in (
        clean(done))
    done = cli("run", "convenor", "--orders", "-", stdin=b"#" * (YAML_LIMIT + 10))
    assert done.returncode == 1
    assert "<stdin>:1:1: is over 4 MiB" in clean(done) and "an orders file" in done.stderr


def test_a_flat_list_stops_at_the_node_limit_while_parsing(tmp_path: Path) -> None:
    flat = tmp_path / "flat.yaml"
    flat.write_text("- 1\n" * 1_000_000)  # 4 MB: under the size limit, ten times the nodes
    for args in (("validate", str(flat)), ("run", "convenor", "--orders", str(flat))):
        # building the whole document first took over 300 MB for this file
        done = cli(*args, memory_mib=220)
        assert done.returncode == 1, done.stderr
        assert f"{flat}:100000:3: document too large or too many aliases" in clean(done)


def test_deep_yaml_stops_at_the_depth_limit(tmp_path: Path) -> None:
    deep = tmp_path / "deep.yaml"
    deep.write_text("[" * 3_000_000)
    done = cli("validate", str(deep), memory_mib=400)
    assert done.returncode == 1
    assert f"{deep}:1:201: nested too deeply (more than 200 levels)" in clean(done)


@pytest.mark.parametrize(("data", "expected"), [
    (b"[]," * 8_000_000, f"more than {JSON_VALUES:,} values"),
    (b"[" * 1_000_000, f"nested too deeply (more than {JSON_DEPTH} levels)"),
    (b'{"a": ' * 70 + b"1" + b"}" * 70, f"nested too deeply (more than {JSON_DEPTH} levels)"),
], ids=["flat", "deep", "deep-objects"])
def test_a_save_too_costly_to_decode_is_refused_before_decoding(
    tmp_path: Path, data: bytes, expected: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(data)
    for args in (("report", str(path)), ("replay", str(path), "--verify")):
        done = cli(*args, memory_mib=400)  # decoding 24 MB of `[],` takes over 1.5 GB
        assert done.returncode == 1
        assert done.stderr == f"wargame: {path}: the file is damaged or not a save: {expected}\n"


def test_a_list_of_bad_items_stops_at_the_first(tmp_path: Path) -> None:
    path = tmp_path / "g.json"  # lenient --verify structures it all: 2.5 GB collecting errors
    path.write_bytes(b'{"format": "wargame-save", "version": 2, "turns": ['
                     + b"{}," * 500_000 + b"{}]}")
    done = cli("replay", str(path), "--verify", memory_mib=400)
    assert done.returncode == 1
    assert done.stderr == f'wargame: {path}: missing field "game_id"\n', clean(done)


def test_brackets_inside_strings_do_not_count(saved: Path) -> None:
    from wargame.formats.files import json_too_big

    data = saved.read_bytes()
    assert json_too_big(data) is None
    doc = json.loads(data)
    doc["title"] = "[" * 500 + "\\\"" + "{" * 500
    assert json_too_big(json.dumps(doc).encode()) is None


def test_an_oversized_save_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as f:
        f.truncate(SAVE_LIMIT + 1)
    done = cli("report", str(path), memory_mib=400)
    assert done.returncode == 1
    assert done.stderr == (f"wargame: {path}: is over 32 MiB ({SAVE_LIMIT + 1:,} bytes or "
                           "more), the limit for a save file\n")


# ---------------------------------------------------------------------------- saves name no files


def test_with_current_rules_never_reads_a_file_the_save_names(tmp_path: Path) -> None:
    scenario = tmp_path / "mine.yaml"
    scenario.write_text((ROOT / "scenarios" / "convenor.yaml").read_text().replace(
        "rules: [core]", f"rules: [{ROOT / 'rules' / 'core.yaml'}]"))
    path = tmp_path / "g.json"
    assert cli("run", str(scenario), "--turns", "2", "--save", str(path)).returncode == 0
    scenario.write_text("SECRET-CANARY: [unclosed\n")  # what the save names is now private
    done = cli("replay", str(path), "--with-current-rules")
    assert done.returncode == 1 and "SECRET" not in clean(done)
    assert done.stderr == (
        f"wargame: {path}: this game was played from a scenario file ('mine.yaml'), not a "
        "bundled one: name the file to compare with, e.g. --with-current-rules FILE.yaml\n")
    # named by the user, the file is read, and its problems are shown
    done = cli("replay", str(path), "--with-current-rules", str(scenario))
    assert done.returncode == 1 and "does not load" in clean(done)


# ---------------------------------------------------------------------------- the save folder


def test_stale_temporary_files_of_dead_saves_are_cleaned(saved: Path) -> None:
    import time

    from wargame.storage.saves import list_saves

    folder = saved.parent
    dead, alive = 4_194_304 + 1, os.getppid()  # above Linux's largest pid; our parent

    def temp(name: str, pid: int, age: float) -> Path:
        path = folder / f".{name}.json.{pid}.0123abcd.tmp"
        path.write_bytes(b"{" * 1000)
        then = time.time() - age
        os.utime(path, (then, then))
        return path

    gone = [temp("never-saved-again", dead, 120), temp("old", alive, 700)]
    kept = [temp("just-now", dead, 0), temp("live", alive, 120),
            folder / ".notes.tmp", folder / "mine.json.123.0123abcd.tmp"]
    kept[2].write_text("not ours")
    kept[3].write_text("not hidden: not ours")
    (folder / "zero.json").symlink_to("/dev/zero")
    infos = {i.name: i for i in list_saves(folder)}
    assert [p for p in gone if p.exists()] == [] and all(p.exists() for p in kept)
    assert infos["g"].sound
    assert infos["zero"].problem == "is a device, not a regular file; copy what you need " \
        "into a file and name that"


def test_a_save_never_replaces_a_device_pipe_or_folder(tmp_path: Path) -> None:
    # only links and pipes inside tmp_path: a rename replaces a link, never the device itself
    os.mkfifo(tmp_path / "pipe.json")
    (tmp_path / "null.json").symlink_to("/dev/null")
    (tmp_path / "dir.json").mkdir()
    for name, what in (("pipe.json", "is a named pipe, not a regular file"),
                       ("null.json", "is a device, not a regular file"),
                       ("dir.json", "is a folder, not a file"),
                       ("nope/g.json", f"no folder {tmp_path}/nope; create it first")):
        done = cli("run", "convenor", "--turns", "1", "--save", str(tmp_path / name))
        assert done.returncode == 2, done.stderr
        assert done.stdout == "" and done.stderr.startswith(f"wargame: --save {tmp_path}/{name}: ")
        assert what in clean(done)
    assert (tmp_path / "null.json").is_symlink() and (tmp_path / "pipe.json").is_fifo()
    assert not (tmp_path / "nope").exists()


def test_saving_in_process_refuses_the_same(tmp_path: Path) -> None:
    from wargame.engine.game import Game
    from wargame.storage.content_loader import load_content
    from wargame.storage.saves import SaveError, save_game_to

    game = Game(load_content(ROOT / "scenarios" / "convenor.yaml"), 1)
    os.mkfifo(tmp_path / "pipe.json")
    with pytest.raises(SaveError) as info:
        save_game_to(game, tmp_path / "pipe.json", seats={})
    assert info.value.message == (f"cannot save to {tmp_path}/pipe.json: is a named pipe, not a "
                                  "regular file; give the path of a file to write")
    assert (tmp_path / "pipe.json").is_fifo() and not list(tmp_path.glob(".*.tmp"))


def test_simulate_out_and_link_loops(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.jsonl")
    done = cli("simulate", "convenor", "--runs", "1", "--out", str(tmp_path / "pipe.jsonl"))
    assert done.returncode == 2  # opening a pipe nobody reads would block
    assert f"--out {tmp_path}/pipe.jsonl: is a named pipe, not a regular file" in clean(done)
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "loop.yaml").symlink_to("loop.yaml")
    done = cli("list", cwd=tmp_path)
    assert done.returncode == 0 and "convenor" in done.stdout
    assert "scenarios/loop.yaml: does not load" in clean(done)
    done = cli("validate", str(tmp_path / "scenarios"))
    assert done.returncode == 1
    assert "loop.yaml:1:1: too many symbolic links (a link loop?)" in clean(done)
