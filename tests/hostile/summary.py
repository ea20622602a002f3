"""Run the hostile suite outside pytest and print a table: inputs, passed and failed per class,
and a reproducer for each kind of failure.

    .venv/bin/python tests/hostile/summary.py                 every class, 2 at a time
    .venv/bin/python tests/hostile/summary.py paths numbers   some classes
    .venv/bin/python tests/hostile/summary.py --all paths     every failing input, not one per kind
    .venv/bin/python tests/hostile/summary.py --write-gaps    rewrite known_gaps.txt from this run

known_gaps.txt lists the inputs main still mishandles, each with the helper who owns the fix;
test_hostile.py runs those as strict xfails and requires every other input to pass.
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from hostile_cases import GENERATORS, HERE
from hostile_runner import describe, failures, run_cases

GAPS_FILE = HERE / "known_gaps.txt"


def _explain(name: str, failed: list, show_all: bool) -> None:
    kinds: dict[str, int] = {}
    for o, found in failed:
        key = found[0].split(":")[0][:60]
        kinds[key] = kinds.get(key, 0) + 1
        if show_all or kinds[key] == 1:
            print(describe(o.case, o, found))
    if kinds:
        print(f"  -> {name}: " + ", ".join(f"{k} x{v}" for k, v in kinds.items()) + "\n",
              flush=True)


def owner(cls: str, argv: list[str], problem: str) -> str:
    """Who fixes it (issue 14's split): a first guess for known_gaps.txt, edited by hand."""
    if "Errno 36" in problem or "Errno 40" in problem or cls == "saves-local-files":
        return "hread"
    if "control characters" in problem or cls in ("saves-false-values", "cli-args") or (
            argv[-2:] in (["--save", ""], ["--out", ""])):
        return "hout"
    if "does not name" in problem and argv[:1] == ["replay"]:
        return "hout"
    if cls in ("numbers", "retyped-fields", "builtin-names", "expression-size"):
        return "hcompile"
    return "hread"


def write_gaps(results: list) -> None:
    lines = ["# Hostile inputs main still mishandles (issue 14): OWNER CLASS/NAME  # the problem.",
             "# Written by `summary.py --write-gaps`; test_hostile.py runs them as strict xfails."]
    ran = {name for name, _, _ in results}
    if GAPS_FILE.exists():  # keep the entries of classes this run left out
        lines += [ln for ln in GAPS_FILE.read_text().splitlines()
                  if ln and not ln.startswith("#") and ln.split("\t")[1].split("/")[0] not in ran]
    for name, _, failed in sorted(results, key=lambda r: r[0]):
        for o, found in sorted(failed, key=lambda f: f[0].case.id):
            who = owner(name, o.case.argv, found[0])
            problem = "; ".join(found).replace("\n", " ")[:150]
            lines.append(f"{who}\t{o.case.id}\t# {problem!a}")
    GAPS_FILE.write_text("\n".join(lines) + "\n")


def main(argv: list[str]) -> int:
    show_all = "--all" in argv
    wanted = [a for a in argv if not a.startswith("--")]
    classes = {k: list(gen()) for k, gen in GENERATORS.items() if not wanted or k in wanted}
    jobs = int(os.environ.get("HOSTILE_JOBS", "2"))
    results = []
    with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
        def one(item: tuple[str, list]) -> tuple[str, int, list]:
            name, cases = item
            return name, len(cases), failures(run_cases(cases, Path(tmp) / name))

        with ThreadPoolExecutor(jobs) as pool:
            for done in as_completed([pool.submit(one, item) for item in classes.items()]):
                name, n, failed = done.result()
                results.append((name, n, failed))
                print(f"{name:24} {n:5} inputs {n - len(failed):5} pass {len(failed):5} fail",
                      flush=True)
                _explain(name, failed, show_all)
    total = sum(n for _, n, _ in results)
    bad = sum(len(f) for _, _, f in results)
    print(f"{'total':24} {total:5} inputs {total - bad:5} pass {bad:5} fail")
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"CPU in the workers: {used.ru_utime + used.ru_stime:.0f} s "
          f"(user {used.ru_utime:.0f}, system {used.ru_stime:.0f})\n")
    if "--write-gaps" in argv:
        write_gaps(results)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
