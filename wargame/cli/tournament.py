"""`wargame tournament SCENARIO --entrant NAME=SPEC...`: round-robin of bots and agents
across seats and seeds, with a rating table and per-seat results (docs/agents.md)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from wargame.cli import output
from wargame.cli.common import UsageError, load_scenario, path_arg
from wargame.cli.seats import add_agent_options, agent_options, report_error

if TYPE_CHECKING:
    from wargame.seats.tournament import Entrant


def add(sub: Any) -> None:
    t = sub.add_parser(
        "tournament",
        help="round-robin of bots and agents across seats and seeds, with ratings",
        description="Every entrant plays every seat against every other entrant, on each "
        "seed; ratings by OpenSkill (Plackett-Luce), a game ranking its entrants by score "
        "against the seat's tournament average.",
    )
    t.add_argument("scenario", type=path_arg, help="bundled id or YAML path, e.g. convenor")
    t.add_argument(
        "--entrant", action="append", default=[], metavar="[NAME=]SPEC",
        help="a bot kind (heuristic), agent:COMMAND or llm:URL, optionally named, e.g. "
        "mine=agent:'python my_agent.py' (default: every bot kind)",
    )
    t.add_argument("--seeds", type=int, default=3, metavar="N", help="seeds per seating, "
                   "e.g. --seeds 5 (default 3)")
    t.add_argument("--seed", type=int, default=1, help="first seed, e.g. --seed 7 (default 1)")
    t.add_argument("--fill", default="heuristic", metavar="KIND",
                   help="bot for seats left when there are fewer entrants than roles, e.g. "
                   "--fill random")
    t.add_argument("--out", type=path_arg, default=None, metavar="FILE",
                   help="write every game as a JSON line (seed, seats, scores, errors), e.g. "
                   "--out games.jsonl")
    t.add_argument("--json", action="store_true", help="print the tables as one JSON object")
    add_agent_options(t, with_agent=False)
    t.set_defaults(func=run)


def entrants_from(specs: list[str]) -> list[Entrant]:
    from wargame.engine.bots import BOTS
    from wargame.seats.tournament import Entrant

    if not specs:
        return [Entrant(k, k) for k in BOTS]
    entrants: list[Entrant] = []
    for raw in specs:
        name, sep, spec = raw.partition("=")
        if not sep or name.startswith(("agent:", "llm:")):
            name, spec = raw, raw
        name, spec = name.strip(), spec.strip()
        if spec not in BOTS and not spec.startswith(("agent:", "llm:")):
            raise UsageError(f"--entrant {raw!r}: give a bot kind ({', '.join(BOTS)}), "
                             "agent:COMMAND or llm:URL")
        if any(e.name == name for e in entrants):
            raise UsageError(f"--entrant: two entrants named {name!r}; name them: NAME=SPEC")
        entrants.append(Entrant(name, spec))
    if len(entrants) < 2:
        raise UsageError("a tournament needs at least two entrants")
    return entrants


def run(args: argparse.Namespace) -> int:
    from wargame.engine.bots import BOTS
    from wargame.formats.files import shown, unwritable
    from wargame.seats.spec import SeatSpecError, open_seat
    from wargame.seats.tournament import (
        play_game,
        result_json,
        schedule,
    )

    content = load_scenario(args.scenario)
    problem = unwritable(args.out, streamed=True) if args.out else None
    if problem:  # seen before the games are played
        raise UsageError(f"--out {shown(args.out)}: {problem}")
    entrants = entrants_from(args.entrant)
    if args.fill not in BOTS:
        raise UsageError(f"--fill: unknown bot kind {args.fill!r}; one of: {', '.join(BOTS)}")
    if args.seeds < 1:
        raise UsageError("--seeds must be 1 or more")
    options = agent_options(args)
    by_name = {e.name: e for e in entrants}
    games = schedule(entrants, content.role_ids, range(args.seed, args.seed + args.seeds),
                     args.fill)

    def open_agent(role: str, spec: str) -> Any:
        try:
            return open_seat(role, spec, content, options, on_error=report_error)
        except SeatSpecError as err:
            raise UsageError(str(err)) from None

    results = []
    with _GamesFile(args.out) as out:
        for i, (seed, seats) in enumerate(games, 1):
            result = play_game(content, seed, seats, by_name, open_agent)
            results.append(result)
            out.write(result_json(result))
            if sys.stderr.isatty():
                print(f"\rgame {i}/{len(games)}", end="", file=sys.stderr, flush=True)
    if out.failed:
        output.error(f"--out {shown(args.out)}: {out.failed}; the tables below have every game")
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print_tables(results, entrants, content.role_ids, as_json=args.json)
    return 1 if out.failed else 0


class _GamesFile:
    """`--out`: a JSON line per game. A write that fails (disk full) stops the file, never
    the tournament: the games already played still get their tables."""

    def __init__(self, path: str | None) -> None:
        self.failed = ""
        self._file: Any = None
        if path:
            try:
                self._file = open(path, "w", encoding="utf-8")  # noqa: SIM115
            except OSError as err:
                self.failed = err.strerror or str(err)

    def write(self, record: dict[str, Any]) -> None:
        if self._file is not None and not self.failed:
            try:
                self._file.write(json.dumps(record) + "\n")
            except OSError as err:
                self.failed = err.strerror or str(err)

    def __enter__(self) -> _GamesFile:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._file is not None:
            try:
                self._file.close()
            except OSError as err:
                self.failed = self.failed or err.strerror or str(err)


def print_tables(results: list[Any], entrants: list[Any], roles: tuple[str, ...], *,
                 as_json: bool) -> None:
    from wargame.seats.tournament import per_seat, rank, seat_means

    standings = rank(results, entrants)
    seats = per_seat(results)
    if as_json:
        output.line(json.dumps({
            "games": len(results),
            "ranking": [
                {"rank": i, "entrant": s.name, "ordinal": round(s.ordinal, 3),
                 "mu": round(s.mu, 3), "sigma": round(s.sigma, 3), "games": s.games,
                 "wins": s.wins, "edge": round(s.edge, 3), "errors": s.errors}
                for i, s in enumerate(standings, 1)
            ],
            "seat_means": {r: round(v, 3) for r, v in seat_means(results).items()},
            "per_seat": {n: {r: {"mean": round(m, 3), "games": g} for r, (m, g) in cells.items()}
                         for n, cells in seats.items()},
        }))
        return
    output.line(f"{len(results)} games. Rating: OpenSkill Plackett-Luce, ranked by ordinal "
          "(mu - 3 sigma); edge: mean score above the seat's average.")
    head = ("RANK", "ENTRANT", "ORDINAL", "MU", "SIGMA", "GAMES", "WINS", "EDGE", "ERRORS")
    rows = [(str(i), s.name, f"{s.ordinal:.2f}", f"{s.mu:.2f}", f"{s.sigma:.2f}",
             str(s.games), str(s.wins), f"{s.edge:+.2f}", str(s.errors))
            for i, s in enumerate(standings, 1)]
    _table(head, rows)
    output.line()
    means = seat_means(results)
    output.line("Mean score by seat (games):")
    head2 = ("ENTRANT", *roles)
    names = [s.name for s in standings] + sorted(n for n in seats if n.startswith("fill:"))
    rows2 = [(n, *(f"{seats[n][r][0]:.2f} ({seats[n][r][1]})" if r in seats.get(n, {})
                   else "-" for r in roles)) for n in names]
    rows2.append(("seat average", *(f"{means.get(r, 0):.2f}" for r in roles)))
    _table(head2, rows2)


def _table(head: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    for row in [head, *rows]:
        output.line("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
