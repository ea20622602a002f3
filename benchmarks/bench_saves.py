"""Time saving, loading, verifying and seeking saved games: `python benchmarks/bench_saves.py`.

Targets (issue 4): save ≤ 5 ms and load ≤ 10 ms for a 12-turn game; load and verify a 12-turn
game ≤ 20 ms; seek to any turn of a 500-turn game ≤ 50 ms; the load targets hold in a fresh
process too. A printed table, not a timed test.

"warm" means the scenario's compiled content is already in the process's memo (as when the
terminal game lists, loads or replays saves); "recompile" clears it first. "fresh process" rows
start a new Python for every run, as `wargame replay --verify` is started, and time inside it
the import of wargame.storage.saves and then the first load (compiling the content included;
Python's own start-up is not). There is no disk cache of compiled content: compiling takes
about 25 ms, which a person does not notice.
"""

from __future__ import annotations

import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from wargame.engine.bots import BOTS  # noqa: E402
from wargame.engine.content import Content  # noqa: E402
from wargame.engine.game import Game  # noqa: E402
from wargame.storage.content_loader import (  # noqa: E402
    ContentError,
    ContentSource,
    SourceFile,
    compile_content,
    read_content,
)
from wargame.storage.save_format import dump_document, encode_game  # noqa: E402
from wargame.storage.saves import (  # noqa: E402
    load_game,
    open_replay,
    save_game_to,
    verify_save,
)

SEATS = {"washington": "heuristic", "tokyo": "random", "seoul": "random"}


def play(content: Content, seed: int, turns: int, kinds: dict[str, str]) -> Game:
    game = Game(content, seed)
    for _ in range(turns):
        game.resolve({role: BOTS[kinds[role]](game, role) for role in content.role_ids})
    return game


def ms(fn: Callable[[], object], repeat: int, setup: Callable[[], object] | None = None
       ) -> tuple[float, float]:
    """Median and best of `repeat` runs, in milliseconds."""
    times = []
    for _ in range(repeat):
        if setup is not None:
            setup()
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), min(times)


def cold() -> None:
    compile_content.cache_clear()


_CHILD = """
import sys, time
t0 = time.perf_counter()
sys.path.insert(0, sys.argv[1])
from wargame.storage.saves import load_game, verify_save
t1 = time.perf_counter()
if sys.argv[3] == "load":
    load_game(sys.argv[2])
elif not verify_save(sys.argv[2]).ok:
    raise SystemExit("the save does not verify")
t2 = time.perf_counter()
print((t1 - t0) * 1000, (t2 - t1) * 1000)
"""


def in_new_process(path: Path, what: str, runs: int) -> tuple[list[float], list[float]]:
    """(import ms, first load ms) of `runs` new processes."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARGAME_")}
    imports, loads = [], []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", _CHILD, str(ROOT), str(path), what],
            env=env, capture_output=True, text=True, check=True,
        )
        a, b = out.stdout.split()
        imports.append(float(a))
        loads.append(float(b))
    return imports, loads


def stats(times: list[float]) -> tuple[float, float]:
    return statistics.median(times), min(times)


def main() -> None:
    rows: list[tuple[str, float, float, str]] = []
    notes: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = read_content(ROOT / "scenarios" / "convenor.yaml")
        content = compile_content(source)
        game12 = play(content, 1, 12, SEATS)
        path12 = folder / "g12.json"
        save_game_to(game12, path12, seats=SEATS)
        size12 = path12.stat().st_size

        rows.append(("encode 12-turn game (no I/O)",
                     *ms(lambda: dump_document(encode_game(game12, seats=SEATS, game_id="b")),
                         50), ""))
        rows.append(("save 12-turn game (write+fsync+rename)",
                     *ms(lambda: save_game_to(game12, path12, seats=SEATS), 50),
                     "≤ 5"))
        rows.append(("load 12-turn game, warm", *ms(lambda: load_game(path12), 50), "≤ 10"))
        rows.append(("load+verify 12-turn game, warm", *ms(lambda: verify_save(path12), 50),
                     "≤ 20"))
        rows.append(("load 12-turn game, in-process recompile",
                     *ms(lambda: load_game(path12), 10, cold), ""))
        rows.append(("load+verify 12-turn game, in-process recompile",
                     *ms(lambda: verify_save(path12), 10, cold), ""))
        runs = 10
        imports: list[float] = []
        for what, label, target in (("load", "load", "≤ 10"), ("verify", "load+verify", "≤ 20")):
            took_import, took = in_new_process(path12, what, runs)
            imports += took_import
            rows.append((f"{label} 12-turn game, fresh process", *stats(took), target))
        rows.append(("import wargame.storage.saves, fresh process", *stats(imports), ""))
        notes.append(
            f"fresh process rows: {runs} processes each; Python "
            f"{'does not write' if sys.flags.dont_write_bytecode else 'writes'} "
            "bytecode caches here (PYTHONDONTWRITEBYTECODE), which weighs on the import row"
        )

        # A 500-turn variant of convenor, played by random bots (the scenario schema may cap
        # `turns`; then the longest game it allows is measured, and the table says so).
        long_turns = 500
        while True:
            text = source.scenario.text.replace("turns: 12", f"turns: {long_turns}")
            long_source = ContentSource(SourceFile("convenor-long.yaml", text), source.rules)
            try:
                long_content = compile_content(long_source)
                break
            except ContentError as err:
                capped = re.search(r"above the maximum (\d+)", str(err))
                if capped is None or long_turns == int(capped.group(1)):
                    raise
                notes.append(f"note: scenarios allow at most {capped.group(1)} turns "
                             f"({err.problems[0]}); the long game has {capped.group(1)}")
                long_turns = int(capped.group(1))
        t = time.perf_counter()
        game500 = play(long_content, 2, long_turns, {r: "random" for r in long_content.role_ids})
        play_s = time.perf_counter() - t
        path500 = folder / "g500.json"
        save_game_to(game500, path500, seats=SEATS, source=long_source)
        size500 = path500.stat().st_size
        rows.append(("save N-turn game", *ms(
            lambda: save_game_to(game500, path500, seats=SEATS, source=long_source), 10), ""))
        rows.append(("open N-turn game for replay, warm", *ms(lambda: open_replay(path500), 10),
                     ""))
        replay = open_replay(path500)
        rng = random.Random(3)
        turns = [rng.randint(1, long_turns) for _ in range(200)]
        it = iter(turns)
        fresh: list[object] = []

        def seek() -> None:
            turn = next(it)
            fresh[0].report(turn)  # type: ignore[attr-defined]

        def new_replay() -> None:
            fresh[:] = [type(replay)(replay.doc, replay.content, replay.path)]

        rows.append(("seek to a random turn of N (opened)",
                     *ms(seek, 200, new_replay), "≤ 50"))
        it2 = iter(turns)
        rows.append(("open + seek to a random turn of N, warm",
                     *ms(lambda: open_replay(path500).report(next(it2)), 100), ""))
        rows.append(("load N-turn game (all turns re-resolved)",
                     *ms(lambda: load_game(path500), 5), ""))
        rows.append(("verify N-turn game", *ms(lambda: verify_save(path500), 5), ""))

    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'median ms':>9}  {'best ms':>8}  {'target ms':>9}")
    print("-" * (width + 33))
    for label, median, best, target in rows:
        print(f"{label:<{width}}  {median:9.2f}  {best:8.2f}  {target:>9}")
    print()
    print(f"N = {long_turns}. File sizes: 12 turns {size12 / 1024:.0f} KiB, {long_turns} turns "
          f"{size500 / 1024:.0f} KiB; playing {long_turns} turns with random bots took "
          f"{play_s:.1f} s")
    for note in notes:
        print(note)


if __name__ == "__main__":
    main()
