"""The host's journal: one append-only file of what changed at the tables since their saves
were last written, so that a submit costs one short line instead of a whole save.

`NAME.journal` beside the save holds one JSON object a line, each with its table and a
sequence number per table:

    {"table": 2, "seq": 7, "kind": "orders", "turn": 3, "role": "tokyo",
     "orders": ["attend_trilateral"], "rationale": "..."}
    {"table": 2, "seq": 8, "kind": "resolve", "turn": 3, "orders": {role: [...]}, "hash": "..."}

A table's save records the last entry it holds (`host.journal`); `--resume` applies the later
ones, writes every table's save and starts a new journal. A line is written whole (one
write) before the host acknowledges what it records, and synced to the disk before then as
well: the syncs of many submits, from every table, are one fdatasync ("group commit").
A last line cut short (the machine died while writing it) was never acknowledged and is
left out; a damaged line before it is an error.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
from pathlib import Path
from typing import Any

from wargame.formats.files import FileRefused, read_bytes

JOURNAL_LIMIT = 64 * 1024 * 1024  # 200 tables of 12 turns are a few MiB


class JournalError(Exception):
    """A journal that cannot be read or written; the message names the file and the line."""


def journal_path(save: Path) -> Path:
    return save.with_suffix(".journal")


def read_journal(path: Path) -> list[dict[str, Any]]:
    """Every whole entry of a journal (none if there is no file)."""
    if not os.path.lexists(path):
        return []
    try:
        data = read_bytes(path, JOURNAL_LIMIT, "a host's journal")
    except FileRefused as err:
        raise JournalError(f"cannot read the journal: {err}") from None
    lines = data.split(b"\n")
    entries = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        last = number == len(lines)  # no newline after it: cut short while being written
        try:
            entry = json.loads(line)
        except ValueError:
            if last:
                break
            raise JournalError(f"{path}:{number}: a damaged journal line") from None
        if last:
            break
        if not isinstance(entry, dict) or not isinstance(entry.get("table"), int) or not (
                isinstance(entry.get("seq"), int)):
            raise JournalError(f"{path}:{number}: a journal entry has a table and a seq")
        entries.append(entry)
    return entries


class Journal:
    """Open for appending (a new, empty journal: what an old one held is in the saves)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o644)
        except OSError as err:
            raise JournalError(f"{path}: cannot write the journal: {err.strerror or err}") \
                from None
        self.written = 0  # entries written (to the file system's cache)
        self.synced = 0  # entries known to be on the disk
        self._syncing: asyncio.Task[None] | None = None

    def append(self, entry: dict[str, Any]) -> None:
        line = (json.dumps(entry, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
        view = memoryview(line)
        while view:  # one write for a line this short; a loop in case the kernel splits it
            view = view[os.write(self.fd, view):]
        self.written += 1

    async def sync(self) -> None:
        """Return once every entry appended so far is on the disk (OSError if it cannot be).
        Submits that arrive while one fdatasync runs wait for the next, which covers all."""
        want = self.written
        while self.synced < want:
            if self._syncing is None or self._syncing.done():
                self._syncing = asyncio.ensure_future(self._sync_once())
            await asyncio.shield(self._syncing)

    async def _sync_once(self) -> None:
        upto = self.written  # a task that is done has counted what it synced
        await asyncio.get_running_loop().run_in_executor(None, os.fdatasync, self.fd)
        self.synced = max(self.synced, upto)

    def close(self, *, remove: bool = False) -> None:
        with contextlib.suppress(OSError):
            os.close(self.fd)
        if remove:
            with contextlib.suppress(OSError):
                self.path.unlink()
