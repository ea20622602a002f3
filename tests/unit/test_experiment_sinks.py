"""Parquet columns are built from their buffers (no pandas): the same arrays pa.array gives."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from wargame.experiments.sinks import ParquetSink, arrow_array

CASES = {
    "int": [0, 1, -3, 2**40, 7],
    "float": [0.0, 1.5, -2, 1e300, 45],
    "bool": [True, False, True, True, False, False, False, True, True, False, True],
    "str": ["", "a", "héllo", "x;y:z", "日本"],
    "list<float>": [[1.0, 2.5], [], [3], [0.5] * 9],
    "list<str>": [["a", ""], [], ["ü", "bilateral_talks:seoul"], []],
}
TYPES = {
    "int": pa.int64(),
    "float": pa.float64(),
    "bool": pa.bool_(),
    "str": pa.string(),
    "list<float>": pa.list_(pa.float64()),
    "list<str>": pa.list_(pa.string()),
}


@pytest.mark.parametrize("kind", list(CASES))
def test_each_kind_equals_pa_array(kind: str) -> None:
    ascii_only = [v for v in CASES[kind] if str(v).isascii()]  # the fast path for strings
    for values in (CASES[kind], [], CASES[kind][:1], ascii_only):
        built = arrow_array(pa, kind, values)
        built.validate(full=True)
        assert built.equals(pa.array(values, type=TYPES[kind]))


def test_a_sink_writes_every_batch_readably(tmp_path: Path) -> None:
    out = tmp_path / "rows.parquet"
    sink = ParquetSink(out, [("run", "int"), *((f"c.{k}", k) for k in CASES)])
    n = min(len(v) for v in CASES.values())
    batches = [
        {"run": list(range(i, min(n, i + 2)))} | {f"c.{k}": v[i : i + 2] for k, v in CASES.items()}
        for i in range(0, n, 2)
    ]
    for batch in batches:
        sink.write(batch)
    sink.close()
    table = pq.read_table(out)
    assert sink.written == n and table.column("run").to_pylist() == list(range(n))
    for k, v in CASES.items():
        assert table.column(f"c.{k}").to_pylist() == pa.array(v[:n], type=TYPES[k]).to_pylist()
