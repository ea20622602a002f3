"""Balance of the bundled scenarios, printed as a table with issue 7's targets.

Run by hand, for example:

    .venv/bin/python benchmarks/bench_balance.py --bot heuristic --seeds 40
    .venv/bin/python benchmarks/bench_balance.py --bot search --seeds 40 --jobs 2

For each scenario it plays `--seeds` games with the chosen bot in every seat (seeds S..S+n-1),
then, for each role, the same seeds with that role passing every turn and the others bots.
Nothing here is timed: every figure is a count over games, so a loaded machine changes only
how long it takes.

Targets (issue 7), both scenarios:
- each role leads 10-70 % of games (a tie of k leaders gives each 1/k);
- each role's bot beats passing (others bots) by >= 2 points on average;
- measures imposed and reversed within two turns: <= 0.5 a game;
- low-water-mark: export controls or a boycott in force by 2019 Q4 in >= 40 % of games;
- convenor: Tokyo lifts export controls before any Seoul concession in <= 20 % of games.
"""

from __future__ import annotations

import argparse
import statistics
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from wargame.engine.bots import BOTS, bot_for
from wargame.engine.content import Content
from wargame.engine.playout import Playout
from wargame.storage.content_loader import load_content

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ("convenor", "low-water-mark")

# A measure's flag and the value that means "in force". Suspending GSOMIA and striking the
# rival off a white list are measures too (their flag goes false).
MEASURES = {
    "export_controls": True,
    "tokyo_whitelist": False,
    "seoul_whitelist": False,
    "boycott": True,
    "gsomia": False,
    "wto_case": True,
    "assets_seized": True,
}


# A Seoul concession shows as one of these flags turning this way within a turn (only
# Seoul's own orders can do it): the fund, ending the boycott, dropping the WTO case,
# restoring Japan to its white list or GSOMIA. Talks alone are not a concession.
SEOUL_CONCESSIONS = {
    "victims_fund": True,
    "boycott": False,
    "wto_case": False,
    "seoul_whitelist": True,
    "gsomia": True,
}


def play(content: Content, seed: int, seats: dict[str, str]) -> dict[str, Any]:
    """One game on the trace-free path; what the targets need, read from the flags each turn."""
    bots = {role: bot_for(kind) for role, kind in seats.items()}
    p = Playout.start(content, seed)
    names = [f for f in {**MEASURES, **SEOUL_CONCESSIONS} if f in p.env]
    flags = [{f: bool(p.env[f]) for f in names}]
    labels = [""]
    while not p.over:
        labels.append(content.label(p.turn))
        p.resolve({role: bot(p, role) for role, bot in bots.items()})
        flags.append({f: bool(p.env[f]) for f in names})
    reversals: dict[str, int] = {}
    for flag, on in MEASURES.items():
        if flag not in names:
            continue
        for t in range(1, len(flags)):
            imposed = flags[t - 1][flag] != on and flags[t][flag] == on
            if imposed and any(flags[u][flag] != on for u in range(t + 1, min(t + 3, len(flags)))):
                reversals[flag] = reversals.get(flag, 0) + 1

    def first(changed: Callable[[int], bool]) -> int | None:
        return next((t for t in range(1, len(flags)) if changed(t)), None)

    lifted = first(
        lambda t: flags[t - 1].get("export_controls", False) and not flags[t]["export_controls"]
    )
    conceded = first(
        lambda t: any(
            flags[t - 1][f] != to and flags[t][f] == to
            for f, to in SEOUL_CONCESSIONS.items()
            if f in names
        )
    )
    by_2019q4 = None
    if "2019 Q4" in labels:
        t = labels.index("2019 Q4")
        by_2019q4 = any(
            flags[u].get("export_controls") or flags[u].get("boycott") for u in range(1, t + 1)
        )
    return {
        "scores": p.scores(),
        "reversals": reversals,
        "lift_first": lifted is not None and (conceded is None or conceded > lifted),
        "by_2019q4": by_2019q4,
    }


_CONTENT: dict[str, Content] = {}


def _job(args: tuple[str, int, dict[str, str]]) -> dict[str, Any]:
    name, seed, seats = args
    if name not in _CONTENT:
        _CONTENT[name] = load_content(ROOT / "scenarios" / f"{name}.yaml")
    return play(_CONTENT[name], seed, seats)


def run(jobs: int, work: Sequence[tuple[str, int, dict[str, str]]]) -> Iterator[dict[str, Any]]:
    if jobs <= 1:
        yield from map(_job, work)
        return
    with ProcessPoolExecutor(jobs) as pool:
        yield from pool.map(_job, work, chunksize=1)


def _mark(ok: bool) -> str:
    return "ok" if ok else "MISS"


def table(
    name: str,
    roles: Sequence[str],
    games: list[dict[str, Any]],
    passing: dict[str, list[dict[str, Any]]],
) -> str:
    n = len(games)
    lines = [f"{name}: {n} games"]
    lines.append(
        f"  {'role':<11}{'leads':>7}{'mean':>7}{'sd':>6}{'min':>5}{'max':>5}"
        f"{'pass mean':>10}{'gain':>7}  targets: leads 10-70 %, gain >= 2"
    )
    for role in roles:
        lead = 0.0
        for g in games:
            best = max(g["scores"].values())
            leaders = [r for r, s in g["scores"].items() if s == best]
            lead += (role in leaders) / len(leaders)
        s = [g["scores"][role] for g in games]
        p = [g["scores"][role] for g in passing[role]]
        share = lead / n
        # The same seeds with and without the bot in this seat.
        gain = statistics.fmean(s[: len(p)]) - statistics.fmean(p)
        lines.append(
            f"  {role:<11}{share:>7.0%}{statistics.fmean(s):>7.2f}{statistics.pstdev(s):>6.2f}"
            f"{min(s):>5}{max(s):>5}{statistics.fmean(p):>10.2f}{gain:>7.2f}"
            f"  {_mark(0.1 <= share <= 0.7)} {_mark(gain >= 2)}"
        )
    rev = statistics.fmean(sum(g["reversals"].values()) for g in games)
    which = {f: sum(g["reversals"].get(f, 0) for g in games) / n for f in MEASURES}
    detail = ", ".join(f"{f} {v:.2f}" for f, v in which.items() if v)
    lines.append(f"  measures imposed and reversed within two turns: {rev:.2f} a game")
    lines.append(f"    target <= 0.5: {_mark(rev <= 0.5)}" + (f"  ({detail})" if detail else ""))
    if name == "low-water-mark":
        share = sum(bool(g["by_2019q4"]) for g in games) / n
        lines.append(f"  export controls or boycott by 2019 Q4: {share:.0%}")
        lines.append(f"    target >= 40 %: {_mark(share >= 0.4)}")
    if name == "convenor":
        share = sum(g["lift_first"] for g in games) / n
        lines.append(f"  Tokyo lifts export controls before any Seoul concession: {share:.0%}")
        lines.append(f"    target <= 20 %: {_mark(share <= 0.2)}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--bot",
        default="heuristic",
        help=f"bot in every seat: {', '.join(BOTS)}, with a parameter after a colon if it takes one"
        " (search:100 is the search bot with a budget of 100 iterations)",
    )
    parser.add_argument("--seeds", type=int, default=40, help="games per scenario and seating")
    parser.add_argument("--seed", type=int, default=1, help="first seed")
    parser.add_argument(
        "--pass-seeds", type=int, help="games per seating with one role passing (default --seeds)"
    )
    parser.add_argument("--scenario", action="append", choices=SCENARIOS, help="default: both")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes")
    args = parser.parse_args(argv)
    if args.bot not in BOTS:
        parser.error(f"unknown bot {args.bot!r}; one of: {', '.join(BOTS)}")
    seeds = range(args.seed, args.seed + args.seeds)
    pass_seeds = range(args.seed, args.seed + (args.pass_seeds or args.seeds))
    print(
        f"bench_balance: bot {args.bot} in every seat, {len(seeds)} seeds from {args.seed}"
        f" ({len(pass_seeds)} for each role passing)"
    )
    for name in args.scenario or SCENARIOS:
        roles = load_content(ROOT / "scenarios" / f"{name}.yaml").role_ids
        n, m = len(seeds), len(pass_seeds)
        work = [(name, s, {r: args.bot for r in roles}) for s in seeds]
        for p in roles:
            work += [
                (name, s, {r: ("pass" if r == p else args.bot) for r in roles}) for s in pass_seeds
            ]
        results = list(run(args.jobs, work))
        games = results[:n]
        passing = {r: results[n + m * i : n + m * (i + 1)] for i, r in enumerate(roles)}
        print(table(name, roles, games, passing))


if __name__ == "__main__":
    main()
