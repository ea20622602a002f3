"""`wargame host SCENARIO`: start (or `--resume`) a hosted game and serve it until Ctrl+C."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import sys
import time
import uuid
from pathlib import Path

from wargame.engine.bots import BOTS
from wargame.engine.game import Game
from wargame.formats.files import shown, unwritable
from wargame.host.codes import UMPIRE, hash_code, new_code, new_codes, write_codes_file
from wargame.host.journal import Journal, JournalError, journal_path, read_journal
from wargame.host.table import HUMAN, Table

MAX_TABLES = 200


class HostUsage(Exception):
    """A usage problem: one line on stderr, exit 2."""


def seats_of(specs: list[str], roles: tuple[str, ...]) -> dict[str, str]:
    seats = dict.fromkeys(roles, HUMAN)
    for spec in specs:
        role, sep, kind = spec.partition("=")
        if not sep or role not in roles:
            raise HostUsage(f"--seat takes ROLE=human|KIND with ROLE one of {', '.join(roles)} "
                            f"(got {spec!r})")
        if kind != HUMAN and kind not in BOTS:
            raise HostUsage(f"--seat {spec}: a seat is human or a bot: {', '.join(BOTS)}")
        seats[role] = kind
    return seats


def table_path(save: Path, number: int, tables: int) -> Path:
    """One table: the file itself; several: NAME.table3.json beside it."""
    if tables == 1:
        return save
    return save.with_name(f"{save.stem}.table{number}{save.suffix or '.json'}")


def count_tables(save: Path) -> int:
    if os.path.isfile(save):  # never raises, even for a path too long for the system
        return 1
    n = 0
    while os.path.isfile(table_path(save, n + 1, 2)):
        n += 1
    return n


def new_tables(args: argparse.Namespace, save: Path) -> tuple[list[Table], list[dict[str, str]]]:
    from wargame.cli.common import load_scenario

    content = load_scenario(args.scenario)
    seats = seats_of(args.seat, content.role_ids)
    umpire = new_code()
    tables, codes = [], []
    for number in range(1, args.tables + 1):
        seed = args.seed + number - 1
        table_codes = new_codes([r for r in content.role_ids if seats[r] == HUMAN], umpire)
        hashes = {role: hash_code(code) for role, code in table_codes.items()}
        tables.append(Table(number, Game(content, seed), seats, hashes, uuid.uuid4().hex[:16],
                            table_path(save, number, args.tables)))
        codes.append(table_codes)
    return tables, codes


def resumed_tables(save: Path) -> list[Table]:
    """The tables as saved, with what the journal holds beyond their saves played again."""
    n = count_tables(save)
    if n == 0:
        raise HostUsage(f"--resume {shown(str(save))}: no such save "
                        f"(nor {shown(table_path(save, 1, 2).name)})")
    tables = [Table.load(table_path(save, k, n), k) for k in range(1, n + 1)]
    umpires = {t.code_hashes.get(UMPIRE) for t in tables}
    if len(umpires) != 1:
        raise HostUsage(f"--resume {save}: its tables were not hosted together")
    path = journal_path(save)
    try:
        for entry in read_journal(path):
            if not 1 <= entry["table"] <= n:
                raise JournalError(f"{path}: an entry for table {entry['table']}; "
                                   f"the game has {n}")
            table = tables[entry["table"] - 1]
            if entry["seq"] > table.seq:
                table.replay_entry(entry)
    except (JournalError, ValueError, KeyError, TypeError) as err:
        raise HostUsage(f"--resume {save}: the journal {path.name} does not fit the saves "
                        f"({err}); move it away to resume from the saves alone") from None
    return tables


def default_save(scenario: str) -> Path:
    from wargame.storage.saves import safe_name, save_dir

    stamp = time.strftime("%Y%m%d-%H%M%S")
    return save_dir() / f"host-{safe_name(Path(scenario).stem)}-{stamp}.json"


def host(args: argparse.Namespace) -> int:
    from aiohttp import web

    from wargame.host.server import Host

    if not 1 <= args.tables <= MAX_TABLES:
        raise HostUsage(f"--tables is 1 to {MAX_TABLES}")
    if args.resume:
        save = Path(args.resume)
        tables = resumed_tables(save)
        codes: list[dict[str, str]] = []
    else:
        if args.scenario is None:
            raise HostUsage("name a scenario to host (e.g. `wargame host convenor`), "
                            "or --resume SAVE")
        save = Path(args.save) if args.save else default_save(args.scenario)
        problem = unwritable(save)
        if problem:
            raise HostUsage(f"--save {shown(str(save))}: {problem}")
        tables, codes = new_tables(args, save)
        if args.codes_file:
            write_codes_file(Path(args.codes_file), codes)
    for t in tables:  # written before any client can join: a kill now loses no codes
        t.write(t.document())
    try:  # a new journal: what the old one held is in the saves just written
        journal = Journal(journal_path(save))
    except JournalError as err:
        raise HostUsage(str(err)) from None
    server = Host(tables, deadline=args.deadline, journal=journal)

    async def serve() -> None:
        runner = web.AppRunner(server.app(), access_log=None, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, args.bind, args.port)
        await site.start()
        port = runner.addresses[0][1] if runner.addresses else args.port
        where = f"ws://{args.bind}:{port}/ws"
        out = sys.stdout
        out.write(f"wargame host: {tables[0].content.title} · {len(tables)} table(s)\n")
        if codes:
            for t, table_codes in zip(tables, codes, strict=True):
                if len(tables) > 1:
                    out.write(f"table {t.number}:\n")
                for role, code in table_codes.items():
                    if role != UMPIRE:
                        out.write(f"  {role:<10} {code}\n")
            out.write(f"  {UMPIRE:<10} {codes[0][UMPIRE]}   (every table)\n")
            if args.codes_file:
                out.write(f"codes written to {args.codes_file}\n")
        else:
            out.write("resumed: the join codes are the ones given when the game was first "
                      "hosted (hashes kept in the save)\n")
        out.write(f"saving to {tables[0].path}" + (" (one file per table)" if len(tables) > 1
                                                   else "") + "\n")
        out.write(f"listening on {where}\n")
        out.write(f"join with: wargame join {where} --code CODE\n")
        out.flush()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)
        try:
            await stop.wait()
        finally:
            await runner.cleanup()

    try:
        asyncio.run(serve())
    except OSError as err:
        raise HostUsage(f"cannot listen on {args.bind}:{args.port}: {err.strerror or err}") \
            from None
    print("wargame host: stopped; every submitted order is in the save", file=sys.stderr)
    return 0
