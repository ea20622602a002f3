"""The one way a file someone named is read: regular files only, up to a size limit, and one
clear line for anything else, so no file can hang the program or fill its memory.

Devices (`/dev/zero`), named pipes, sockets and folders are refused unread: the path is checked
before opening, opened without blocking (a FIFO never hangs) and checked again once open.
Limits are documented in docs/limits.md.
"""

from __future__ import annotations

import errno
import itertools
import os
import re
import stat
from typing import BinaryIO

import attrs

from wargame.formats.declare import declared, field

MiB = 1 << 20
YAML_LIMIT = 4 * MiB
"""One scenario, rules, orders or cases file (and each content text embedded in a save)."""
SAVE_LIMIT = 32 * MiB
"""One save file: a 2,000-turn game of a bundled scenario is about 4 MB."""

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
_KINDS = {stat.S_IFDIR: "a folder", stat.S_IFIFO: "a named pipe", stat.S_IFCHR: "a device",
          stat.S_IFBLK: "a device", stat.S_IFSOCK: "a socket"}
_WHY = {
    errno.ENOENT: "no such file",
    errno.EACCES: "no permission to read it",
    errno.EPERM: "no permission to read it",
    errno.ENAMETOOLONG: "the path is longer than this system allows; use a shorter one",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.ELOOP: "too many symbolic links (a link loop?)",
    errno.EISDIR: "is a folder, not a file",
    errno.ENXIO: "is a socket or device, not a regular file",
}


class FileRefused(Exception):
    """The file cannot be read; `str()` is `NAME: reason`, the name shortened if very long."""

    def __init__(self, name: str, reason: str) -> None:
        self.name, self.reason = shown(name), reason
        super().__init__(f"{self.name}: {reason}")


def shown(name: str) -> str:
    """A path as messages show it: a path of thousands of characters is cut in the middle."""
    return name if len(name) <= 160 else f"{name[:100]}…{name[-40:]}"


def why(err: OSError) -> str:
    """What an OSError means to the person who named the file."""
    return _WHY.get(err.errno or 0) or f"cannot read it: {err.strerror or err}"


def is_device(mode: int) -> bool:
    return stat.S_ISCHR(mode) or stat.S_ISBLK(mode)


def not_regular(mode: int, to: str = "copy what you need into a file and name that") -> str | None:
    """"is a device, not a regular file; ..." for anything but a regular file, else None."""
    kind = _KINDS.get(stat.S_IFMT(mode), "not a regular file")
    if stat.S_ISREG(mode):
        return None
    if kind == "a folder":
        return "is a folder, not a file" + ("" if to.startswith("copy") else f"; {to}")
    return f"is {kind}, not a regular file; {to}"


def unwritable(path: str | os.PathLike[str], *, streamed: bool = False) -> str | None:
    """Why a file must not be written at `path` (saves replace the file by renaming, which
    would replace a device node too): something else than a regular file is there, or its
    folder is missing. None if it can be written. A `streamed` file is opened and written
    in place, so a device (/dev/null) is fine for it; a named pipe would still block."""
    name = os.fspath(path)
    if not name:
        return "an empty path names no file"
    try:
        mode = os.stat(name).st_mode
        if streamed and is_device(mode):
            return None
        return not_regular(mode, "give the path of a file to write")
    except FileNotFoundError:
        folder = os.path.dirname(name) or "."
        return None if os.path.isdir(folder) else f"no folder {shown(folder)}; create it first"
    except OSError as err:
        return why(err)


def _too_big(size: int, limit: int, what: str) -> str:
    return f"is over {limit // MiB} MiB ({size:,} bytes or more), the limit for {what}"


def read_bytes(path: str | os.PathLike[str], limit: int, what: str = "a file") -> bytes:
    """The whole file, or FileRefused: not a regular file, over `limit` bytes, unreadable.
    `what` names the kind of file in the size message ("a save file")."""
    name = os.fspath(path)
    if not name:
        raise FileRefused("''", "an empty path names no file")
    try:
        problem = not_regular(os.stat(name).st_mode)
        if problem:
            raise FileRefused(name, problem)
        with open(os.open(name, _OPEN_FLAGS), "rb") as file:
            opened = os.fstat(file.fileno())  # it may have been swapped since: check what is open
            problem = not_regular(opened.st_mode)
            if problem:
                raise FileRefused(name, problem)
            if opened.st_size > limit:
                raise FileRefused(name, _too_big(opened.st_size, limit, what))
            return read_stream(file, name, limit, what)  # it may grow while being read
    except OSError as err:
        raise FileRefused(name, why(err)) from None


def read_stream(stream: BinaryIO, name: str, limit: int, what: str = "a file") -> bytes:
    """A stream (standard input, `-`) read to its end, bounded the same way."""
    try:
        data = stream.read(limit + 1)
    except OSError as err:
        raise FileRefused(name, why(err)) from None
    if len(data) > limit:
        raise FileRefused(name, _too_big(len(data), limit, what))
    return data


JSON_VALUES = 2_000_000
"""Values in one JSON file, counted before decoding (a 2,000-turn save holds about 160,000)."""
JSON_DEPTH = 64
"""Nesting of one JSON file, checked before decoding (saves nest 7 deep)."""
_JSON_STRING = re.compile(rb'"[^"\\]*+(?:\\.[^"\\]*+)*+"')
_NOT_BRACKET = bytes(set(range(256)) - set(b"[]{}"))
_STEP = bytes.maketrans(b"[]{}", b"\x01\xff\x01\xff")  # +1 and -1 as signed bytes


def json_too_big(data: bytes) -> str | None:
    """Why `data` would be too costly to decode as JSON (too many values, nested too deeply),
    found in a few passes at C speed; None if within the limits. 16 MB of `[],` decodes into
    over a GB of lists, and deep nesting ends in a RecursionError."""
    bare = _JSON_STRING.sub(b"0", data)  # brackets and commas inside strings do not count
    if bare.count(b",") + bare.count(b"[") + bare.count(b"{") >= JSON_VALUES:
        return f"more than {JSON_VALUES:,} values"
    steps = memoryview(bare.translate(_STEP, _NOT_BRACKET)).cast("b")
    if max(itertools.accumulate(steps), default=0) > JSON_DEPTH:
        return f"nested too deeply (more than {JSON_DEPTH} levels)"
    return None


@declared("text", "One file's exact text")
@attrs.frozen
class TextFile:
    """`name` as messages show it: the path given, or the name inside a save file."""

    name: str = field()
    text: str = field()
