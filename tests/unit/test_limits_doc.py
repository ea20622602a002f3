"""docs/limits.md says the numbers the code enforces: each table row names the constant it
documents (`wargame.module.NAME`, or `wargame.module.Class.field` for a declared range), and
its number must be that constant's value. Every MAX_* constant in the package is documented."""

from __future__ import annotations

import ast
import importlib
import re
import typing
from pathlib import Path

import pytest

from wargame.formats.declare import Range

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "limits.md"
_REF = re.compile(r"`(wargame(?:\.\w+)+)`")
_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?(?:e-?\d+)?")


def rows() -> list[tuple[str, str, str]]:
    """(what, limit, reference) for every table row that names a constant."""
    out = []
    for line in DOC.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and (m := _REF.fullmatch(cells[-1])):
            out.append((cells[0], cells[1], m.group(1)))
    return out


def numbers(text: str) -> list[float]:
    return [float(n.replace(",", "")) for n in _NUMBER.findall(text)]


def resolve(ref: str) -> object:
    """A module attribute's value, or a declared field's Range."""
    parts = ref.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        rest = parts[cut:]
        for i, name in enumerate(rest):
            if i == len(rest) - 1 and isinstance(obj, type):
                hints = typing.get_type_hints(obj, include_extras=True)
                if name in hints:
                    return _range_in(hints[name])
            obj = getattr(obj, name)
        return obj
    raise LookupError(ref)


def _range_in(hint: object) -> Range:
    for meta in getattr(hint, "__metadata__", ()):
        if isinstance(meta, Range):
            return meta
    for arg in typing.get_args(hint):
        try:
            return _range_in(arg)
        except LookupError:
            continue
    raise LookupError(f"no Range in {hint}")


@pytest.mark.parametrize(("what", "limit", "ref"), rows(), ids=[r[2] for r in rows()])
def test_the_documented_number_is_the_code(what: str, limit: str, ref: str) -> None:
    value = resolve(ref)
    shown = numbers(limit)
    assert shown, f"{what}: no number in {limit!r}"
    if isinstance(value, Range):
        expected = [v for v in (value.min, value.max) if v is not None]
        assert shown[: len(expected)] == expected, f"{what}: docs say {limit!r}, code {value}"
    else:
        assert isinstance(value, int | float), f"{ref} is not a number: {value!r}"
        assert shown[0] == value, f"{what}: docs say {limit!r}, {ref} is {value}"


def test_the_doc_has_rows() -> None:
    assert len(rows()) >= 20


def _max_constants() -> list[str]:
    found = []
    for path in sorted((ROOT / "wargame").rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for node in ast.parse(path.read_text()).body:
            targets = node.targets if isinstance(node, ast.Assign) else (
                [node.target] if isinstance(node, ast.AnnAssign) else [])
            for t in targets:
                if isinstance(t, ast.Name) and t.id.lstrip("_").startswith("MAX_"):
                    found.append(f"{module}.{t.id}")
    return found


# Internal tuning, not something a user's input can hit.
NOT_USER_LIMITS = {
    "wargame.engine.bots.MAX_ORDERS",
    "wargame.engine.search.MAX_ORDERS",
    "wargame.tui.screens.why.MAX_DEPTH",
    "wargame.tui.widgets.preview.MAX_DELTAS",
}


def test_every_max_constant_is_documented() -> None:
    documented = {r[2] for r in rows()}
    missing = [c for c in _max_constants() if c not in documented and c not in NOT_USER_LIMITS]
    assert not missing, f"limits in the code that docs/limits.md does not list: {missing}"
