"""The disk cache of compiled content: hits give the same content, anything else is rebuilt."""

from __future__ import annotations

import hashlib
import marshal
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

from wargame.engine.game import Game
from wargame.storage import content_cache, content_loader, save_format
from wargame.storage.content_loader import ContentError, ContentSource, SourceFile, read_content
from wargame.storage.saves import load_game, save_game_to

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "convenor.yaml"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder, and an empty in-process cache."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(content_cache.ENV_DIR, str(folder))
    monkeypatch.delenv(content_cache.ENV_OFF, raising=False)
    monkeypatch.setattr(save_format, "_COMPILED", type(save_format._COMPILED)())
    return folder / "content"


def no_compiling(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(source: ContentSource) -> None:
        raise AssertionError("compiled although the cache holds the content")

    monkeypatch.setattr(content_loader, "compile_content", refuse)


def forget_in_process() -> None:
    save_format._COMPILED.clear()


def play(content: object, turns: int = 6) -> Game:
    from wargame.engine.bots import BOTS

    game = Game(content, 3)  # type: ignore[arg-type]
    for _ in range(turns):
        for role in game.content.role_ids:
            game.pending[role] = BOTS["heuristic"](game, role)
        game.resolve()
    return game


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"*{content_cache.SUFFIX}")) if folder.is_dir() else []


def test_a_cached_content_is_the_compiled_content(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = read_content(SCENARIO)
    compiled = save_format.compile_cached(source)
    assert len(entries(cache)) == 1
    forget_in_process()
    no_compiling(monkeypatch)
    cached = save_format.compile_cached(source)
    assert cached is not compiled
    assert cached == compiled
    assert cached.env_defaults == compiled.env_defaults
    assert cached.action_rank == compiled.action_rank
    a, b = play(compiled), play(cached)
    assert [r.hash for r in a.history] == [r.hash for r in b.history]
    assert a.history == b.history


def test_a_fresh_process_loads_a_save_from_the_cache_without_compiling(
    cache: Path, tmp_path: Path
) -> None:
    source = read_content(SCENARIO)
    game = play(save_format.compile_cached(source))
    path = save_game_to(game, tmp_path / "g.json", seats={}, source=source)
    code = (
        "import sys\n"
        "from wargame.storage import content_loader\n"
        "def refuse(source): raise SystemExit('compiled although cached')\n"
        "content_loader.compile_content = refuse\n"
        "from wargame.storage.saves import load_game\n"
        "print(load_game(sys.argv[1]).game.history[-1].hash)\n"
    )
    env = {**os.environ, content_cache.ENV_DIR: str(cache.parent)}
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, env=env
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == game.history[-1].hash


def test_the_first_load_of_a_save_fills_the_cache(cache: Path, tmp_path: Path) -> None:
    source = read_content(SCENARIO)
    game = play(save_format.compile_cached(source))
    path = save_game_to(game, tmp_path / "g.json", seats={}, source=source)
    for entry in entries(cache):
        entry.unlink()
    forget_in_process()
    load_game(path)
    assert len(entries(cache)) == 1


def _damage(kind: str, data: bytes) -> bytes:
    head = len(content_cache.MAGIC)
    if kind == "flipped byte":
        i = len(data) // 2
        return data[:i] + bytes([data[i] ^ 0x40]) + data[i + 1 :]
    if kind == "truncated":
        return data[: len(data) * 2 // 3]
    if kind == "empty":
        return b""
    if kind == "other magic":
        return b"X" + data[1:]
    if kind == "garbage":
        payload = os.urandom(3000)
        return content_cache.MAGIC + hashlib.sha256(payload).digest() + payload
    if kind == "signed nonsense":  # a sound digest over marshal data that is not an entry
        payload = marshal.dumps({"a": [1, 2, 3]})
        return content_cache.MAGIC + hashlib.sha256(payload).digest() + payload
    if kind == "digest only":
        return data[: head + 32]
    raise AssertionError(kind)


@pytest.mark.parametrize(
    "kind",
    ["flipped byte", "truncated", "empty", "other magic", "garbage", "signed nonsense",
     "digest only"],
)
def test_a_damaged_entry_is_ignored_and_rebuilt(cache: Path, kind: str) -> None:
    source = read_content(SCENARIO)
    compiled = save_format.compile_cached(source)
    (entry,) = entries(cache)
    good = entry.read_bytes()
    entry.write_bytes(_damage(kind, good))
    forget_in_process()
    assert save_format.compile_cached(source) == compiled
    assert entry.read_bytes() == good  # written again, whole
    forget_in_process()
    assert content_cache.load(save_format._exact_key(source), source.digest()) == compiled


def _resign(data: bytes, change: object) -> bytes:
    """An entry with its payload changed by `change` and a matching digest."""
    head = len(content_cache.MAGIC)
    fmt, key, parts, tree = marshal.loads(data[head + 32 :])
    fmt, key, parts, tree = change(fmt, key, parts, tree)  # type: ignore[operator]
    payload = marshal.dumps((fmt, key, parts, tree))
    return content_cache.MAGIC + hashlib.sha256(payload).digest() + payload


def _evil_code(fmt: int, key: str, parts: list, tree: object) -> tuple:  # type: ignore[type-arg]
    evil = compile("lambda V, _chance: V.__class__.__base__", "<x>", "eval").co_consts[0]
    i = next(i for i, p in enumerate(parts) if not p[2])
    parts[i] = (*parts[i][:3], evil)
    return fmt, key, parts, tree


def _other_key(fmt: int, key: str, parts: list, tree: object) -> tuple:  # type: ignore[type-arg]
    return fmt, "0" * 64, parts, tree


def _other_format(fmt: int, key: str, parts: list, tree: object) -> tuple:  # type: ignore[type-arg]
    return fmt + 1, key, parts, tree


def _unknown_record(fmt: int, key: str, parts: list, tree: list) -> tuple:  # type: ignore[type-arg]
    return fmt, key, parts, [99, *tree[1:]]


def _short_record(fmt: int, key: str, parts: list, tree: list) -> tuple:  # type: ignore[type-arg]
    return fmt, key, parts, tree[:-1]


def _bytes_inside(fmt: int, key: str, parts: list, tree: list) -> tuple:  # type: ignore[type-arg]
    return fmt, key, parts, [tree[0], b"convenor", *tree[2:]]


def _negative_record(fmt: int, key: str, parts: list, tree: list) -> tuple:  # type: ignore[type-arg]
    return fmt, key, parts, [-2, *tree[1:]]


def _bad_expr_reference(fmt: int, key: str, parts: list, tree: object) -> tuple:  # type: ignore[type-arg]
    def walk(node: object) -> bool:
        if isinstance(node, list) and node and node[0] == -1:
            node[1] = -1  # the last expression instead of the one meant
            return True
        children = node.values() if isinstance(node, dict) else node
        if isinstance(node, list | tuple | dict):
            return any(walk(c) for c in children)
        return False

    assert walk(tree)
    return fmt, key, parts, tree


@pytest.mark.parametrize(
    "change",
    [_evil_code, _other_key, _other_format, _unknown_record, _short_record, _bytes_inside,
     _negative_record, _bad_expr_reference],
)
def test_a_doctored_or_foreign_entry_is_refused(
    cache: Path, change: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = read_content(SCENARIO)
    compiled = save_format.compile_cached(source)
    (entry,) = entries(cache)
    entry.write_bytes(_resign(entry.read_bytes(), change))
    key = save_format._exact_key(source)
    assert content_cache.load(key, source.digest()) is None
    forget_in_process()
    assert save_format.compile_cached(source) == compiled  # compiled again and stored
    assert content_cache.load(key, source.digest()) == compiled


def test_an_entry_for_other_texts_is_not_used(cache: Path) -> None:
    source = read_content(SCENARIO)
    save_format.compile_cached(source)
    (entry,) = entries(cache)
    other = ContentSource(
        SourceFile(source.scenario.name, source.scenario.text.replace("turns: 12", "turns: 13")),
        source.rules,
    )
    other_key = save_format._exact_key(other)
    other_path = content_cache.entry_path(other_key)
    assert other_path is not None and other_path != entry
    other_path.write_bytes(entry.read_bytes())  # the right file name, the wrong contents
    other_path.chmod(0o600)
    assert content_cache.load(other_key, other.digest()) is None
    forget_in_process()
    assert save_format.compile_cached(other).turns == 13


def test_a_changed_compiler_makes_older_entries_stale(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = tmp_path / "compiler_part.py"
    module.write_text("VERSION = 1\n")
    fake = types.SimpleNamespace(__file__=str(module))
    real = content_cache._compiler_modules
    monkeypatch.setattr(content_cache, "_compiler_modules", lambda: [*real(), fake])
    monkeypatch.setattr(content_cache, "_FINGERPRINT", [])
    source = read_content(SCENARIO)
    key = save_format._exact_key(source)
    save_format.compile_cached(source)
    before = content_cache.entry_path(key)
    assert before is not None and before.is_file()

    module.write_text("VERSION = 2\n")  # an edit to a module the compiler is made of
    monkeypatch.setattr(content_cache, "_FINGERPRINT", [])
    after = content_cache.entry_path(key)
    assert after is not None and after != before
    assert content_cache.load(key, source.digest()) is None
    forget_in_process()
    save_format.compile_cached(source)
    assert after.is_file()


def test_the_fingerprint_covers_python_and_the_compiler_sources() -> None:
    names = {m.__name__ for m in content_cache._compiler_modules()}
    assert {
        "wargame.engine.expr",
        "wargame.engine.content",
        "wargame.storage.content_loader",
        "wargame.storage.content_schema",
        "wargame.storage.schema",
        "wargame.storage.yamlsrc",
        "wargame.storage.content_cache",
    } <= names
    assert content_cache.fingerprint() is not None


def test_content_with_problems_is_never_cached(cache: Path) -> None:
    source = read_content(SCENARIO)
    bad = ContentSource(
        SourceFile("bad.yaml", source.scenario.text.replace("turns: 12", "turns: 12\nfoo: [")),
        source.rules,
    )
    with pytest.raises(ContentError):
        save_format.compile_cached(bad)
    assert entries(cache) == []


def test_a_bad_expression_is_reported_at_its_place_even_with_a_warm_cache(cache: Path) -> None:
    from wargame.engine.expr import ExprError, compile_expr

    source = read_content(SCENARIO)
    save_format.compile_cached(source)  # the good texts are cached
    rules = source.rules[0]
    good, bad = "\n        if: gsomia\n", "\n        if: gsomia and + * 2\n"
    assert good in rules.text
    broken = ContentSource(
        source.scenario, (SourceFile(rules.name, rules.text.replace(good, bad, 1)),)
    )
    forget_in_process()
    with pytest.raises(ContentError) as info:
        save_format.compile_cached(broken)
    with pytest.raises(ExprError) as expr_error:
        compile_expr("gsomia and + * 2", lambda _name: True)
    (problem,) = info.value.problems
    line = rules.text[: rules.text.index(good)].count("\n") + 2
    column = 13 + expr_error.value.col  # the value starts in column 13 of its line
    assert (problem.file, problem.line, problem.col) == (rules.name, line, column)
    assert problem.message.startswith("in expression 'gsomia and + * 2': syntax error")
    assert len(entries(cache)) == 1  # only the good content


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_an_entry_others_can_write_is_not_trusted(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = read_content(SCENARIO)
    compiled = save_format.compile_cached(source)
    (entry,) = entries(cache)
    key = save_format._exact_key(source)
    entry.chmod(0o666)
    assert content_cache.load(key, source.digest()) is None
    entry.chmod(0o644)
    assert content_cache.load(key, source.digest()) == compiled
    link = entry.with_name("elsewhere.bin")
    entry.rename(link)
    entry.symlink_to(link)
    assert content_cache.load(key, source.digest()) is None  # not through a symbolic link


def test_the_cache_can_be_turned_off(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(content_cache.ENV_OFF, "1")
    save_format.compile_cached(read_content(SCENARIO))
    assert content_cache.cache_dir() is None
    assert entries(cache) == []


def test_an_unwritable_cache_folder_is_no_problem(cache: Path) -> None:
    cache.parent.mkdir(parents=True)
    cache.write_text("a file where the folder should be")
    content = save_format.compile_cached(read_content(SCENARIO))
    assert content.id == "convenor"


def test_old_entries_are_pruned(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(content_cache, "MAX_ENTRIES", 3)
    source = read_content(SCENARIO)
    for turns in range(12, 17):
        text = source.scenario.text.replace("turns: 12", f"turns: {turns}")
        save_format.compile_cached(ContentSource(SourceFile("s.yaml", text), source.rules))
    assert len(entries(cache)) == 3


@pytest.mark.skipif(
    sys.platform in ("win32", "darwin") or hasattr(sys, "getandroidapilevel"),
    reason="platformdirs is asked directly there",
)
@pytest.mark.parametrize("xdg", [None, "/somewhere/cache", "relative/cache", ""])
def test_the_default_folder_is_platformdirs_user_cache_dir(
    xdg: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import platformdirs

    monkeypatch.delenv(content_cache.ENV_DIR, raising=False)
    if xdg is None:
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CACHE_HOME", xdg)
    expected = Path(platformdirs.user_cache_dir("wargame"))
    assert content_cache._user_cache_dir() == expected
    assert content_cache.cache_dir() == expected / "content"
