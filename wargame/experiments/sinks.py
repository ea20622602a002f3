"""Where rows go: Parquet (pyarrow) for a name ending .parquet, JSON Lines for .jsonl.

Both are read directly by DuckDB (`SELECT * FROM 'runs.parquet'`) and pandas
(`pd.read_parquet`, `pd.read_json(..., lines=True)`). A run that stops early still leaves a
readable file with the games that finished.
"""

from __future__ import annotations

import itertools
import json
import os
import sys
from array import array
from pathlib import Path
from typing import IO, Any, Protocol

from wargame.experiments.columns import Batch, row_count, rows
from wargame.formats.files import is_device, shown, unwritable

SUFFIXES = (".parquet", ".jsonl")


class OutputError(Exception):
    """The output file cannot be written; the message is for the user."""


class Sink(Protocol):
    path: Path
    written: int

    def write(self, batch: Batch) -> None: ...

    def close(self) -> None: ...


def check_path(path: Path) -> None:
    """Problems we can see before playing a single game."""
    if os.path.isdir(path):
        raise OutputError(
            f"--out {path} is a folder; give a file in it, e.g. {path / 'runs.parquet'}"
        )
    problem = unwritable(path, streamed=True)  # a named pipe would block the open
    if problem:
        raise OutputError(f"--out {shown(str(path))}: {problem}")
    # The name says the format, so `runs.csv` is never JSON Lines by surprise; a device
    # (/dev/null) has no name to say it and gets JSON Lines.
    if path.suffix not in SUFFIXES and not (path.exists() and is_device(path.stat().st_mode)):
        raise OutputError(
            f"--out {shown(str(path))}: the name must end .parquet or .jsonl "
            f"(e.g. {shown(str(path.with_suffix('.parquet')))})"
        )
    if path.suffix == ".parquet" and not _have("pyarrow"):
        raise OutputError(
            "--out *.parquet needs pyarrow: pip install 'wargame[experiments]' (or write .jsonl)"
        )


def _have(module: str) -> bool:
    # Found, not imported: pyarrow loads (~0.1 s) while the workers already play.
    import importlib.util

    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # a broken install, or blocked in sys.modules
        return False


def open_sink(path: Path, columns: list[tuple[str, str]]) -> Sink:
    check_path(path)
    try:
        if path.suffix == ".parquet":
            return ParquetSink(path, columns)
        return JsonlSink(path)
    except OSError as err:
        raise OutputError(f"cannot write {path}: {err.strerror}") from None


class JsonlSink:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.written = 0
        self._file: IO[str] = path.open("w", encoding="utf-8")

    def write(self, batch: Batch) -> None:
        dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
        self._file.write("".join(dumps(r) + "\n" for r in rows(batch)))
        self.written += row_count(batch)

    def close(self) -> None:
        self._file.close()


_ROW_GROUP = 64_000


class _Pyarrow:
    lean = False  # see without_numpy()


def without_numpy() -> None:
    """For a process of its own that only writes Arrow buffers (`wargame simulate`): import
    pyarrow with numpy hidden. pyarrow loads numpy when it can find it (~70 ms CPU, half of
    its import, paid before the first game with --jobs 1) and runs without it; pyarrow then
    cannot convert to numpy or pandas in this process, which a library user would mind."""
    _Pyarrow.lean = True


def _import_pyarrow() -> tuple[Any, Any]:
    if _Pyarrow.lean and "pyarrow" not in sys.modules and "numpy" not in sys.modules:
        sys.modules["numpy"] = None  # type: ignore[assignment]  # ImportError on import
        try:
            import pyarrow.parquet  # imported for later, without numpy
        finally:
            del sys.modules["numpy"]
    import pyarrow as pa
    import pyarrow.parquet as pq

    return pa, pq


class ParquetSink:
    """Buffers rows into row groups of ~64k (DuckDB and pandas read those fastest)."""

    def __init__(self, path: Path, columns: list[tuple[str, str]]) -> None:
        pa, pq = _import_pyarrow()

        self._pa = pa
        self.path = path
        self.written = 0
        self._kinds = columns
        self.schema = pa.schema([pa.field(name, _arrow_type(pa, kind)) for name, kind in columns])
        self._writer = pq.ParquetWriter(str(path), self.schema, compression="zstd")
        self._pending: list[Any] = []  # Arrow tables: far smaller than the Python rows
        self._rows = 0

    def write(self, batch: Batch) -> None:
        pa = self._pa
        arrays = [arrow_array(pa, kind, batch[name]) for name, kind in self._kinds]
        self._pending.append(pa.Table.from_arrays(arrays, schema=self.schema))
        self._rows += row_count(batch)
        self.written += row_count(batch)
        if self._rows >= _ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        table = self._pa.concat_tables(self._pending).combine_chunks()
        self._writer.write_table(table, row_group_size=_ROW_GROUP)
        self._pending = []
        self._rows = 0

    def close(self) -> None:
        try:
            self._flush()
        finally:
            self._writer.close()


def _arrow_type(pa: Any, kind: str) -> Any:
    return {
        "int": pa.int64(),
        "float": pa.float64(),
        "bool": pa.bool_(),
        "str": pa.string(),
        "list<float>": pa.list_(pa.float64()),
        "list<str>": pa.list_(pa.string()),
    }[kind]


def arrow_array(pa: Any, kind: str, values: list[Any]) -> Any:
    """An Arrow array of a column's values, built from its buffers: `pa.array` on a list
    imports pandas (~0.15 s), and writing rows needs nothing of it."""
    n = len(values)
    if kind == "int":
        return pa.Array.from_buffers(pa.int64(), n, [None, pa.py_buffer(array("q", values))])
    if kind == "float":
        return pa.Array.from_buffers(pa.float64(), n, [None, pa.py_buffer(array("d", values))])
    if kind == "bool":
        # Bit i of the buffer is value i (Arrow's order): one int from a string of digits.
        digits = "".join("1" if v else "0" for v in reversed(values))
        bits = int(digits or "0", 2).to_bytes((n + 7) // 8, "little")
        return pa.Array.from_buffers(pa.bool_(), n, [None, pa.py_buffer(bits)])
    if kind == "str":
        text = "".join(values)
        data = text.encode()
        # ASCII (orders, ids, hashes): a string's length is its length in bytes.
        sizes = map(len, values) if len(data) == len(text) else (len(v.encode()) for v in values)
        offsets = pa.py_buffer(array("i", [0, *itertools.accumulate(sizes)]))
        return pa.Array.from_buffers(pa.string(), n, [None, offsets, pa.py_buffer(data)])
    if kind.startswith("list<") and kind.endswith(">"):
        child = arrow_array(pa, kind[5:-1], list(itertools.chain.from_iterable(values)))
        offsets = pa.py_buffer(array("i", [0, *itertools.accumulate(map(len, values))]))
        return pa.Array.from_buffers(_arrow_type(pa, kind), n, [None, offsets], children=[child])
    raise ValueError(f"no Arrow column kind {kind!r}")
