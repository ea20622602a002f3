"""Structure YAML or JSON data into declared classes (wargame.formats.declare), reporting
every mistake in one pass as `FILE:LINE:COL: path: message`, with did-you-mean hints.

Every message is prefixed with the dotted path of the value it is about
(`actions.embargo.cost: expected a whole number, found text 'two'`); problems about a
mapping's keys use the mapping's path and point at the key itself. A value that is wrong is
replaced by a neutral one of the right type, so the caller can go on checking the rest (names,
expressions) and the writer gets every problem at once; content with problems never runs.
"""

from __future__ import annotations

import difflib
import functools
import math
import types
import typing
from collections.abc import Iterable, Sequence
from typing import Annotated, Any, TypeVar

import attrs

from wargame.engine.expr import MAX_MAGNITUDE
from wargame.formats.declare import (
    EXPR,
    NULLABLE,
    Choice,
    Doc,
    MinItems,
    Pattern,
    Range,
    key_of,
    required,
)
from wargame.formats.yamlsrc import Document, Path, Positions, Problem, format_path

T = TypeVar("T")
_MAX_LISTED = 20  # longer choice lists are cut short in messages


# ---------------------------------------------------------------------------- words


def describe(value: object) -> str:
    """How a found value reads in a message: `text 'two'`, `a list`, `an empty value`."""
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"the number {_num(value)}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"text {shown!r}" if "'" not in shown else f'text "{shown}"'
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _num(value: float) -> str:
    """A number as YAML writes it (`.inf`, `1e+12`); a huge integer by its length."""
    if isinstance(value, float) and not math.isfinite(value):
        return ".nan" if math.isnan(value) else ("-" if value < 0 else "") + ".inf"
    if isinstance(value, int):
        digits = len(str(abs(value)))
        return str(value) if digits <= 15 else f"{str(value)[:6]}... ({digits} digits)"
    return f"{value:g}"


def quoted_list(words: Iterable[str]) -> str:
    items = list(words)
    shown = ", ".join(items[:_MAX_LISTED])
    return shown + (f", ... ({len(items)} in all)" if len(items) > _MAX_LISTED else "")


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """Closest candidate by difflib ratio (cutoff 0.6), case-insensitive first."""
    return (candidates if isinstance(candidates, Names) else Names(candidates)).guess(word)


def hint(word: str, candidates: Iterable[str]) -> str:
    """`; did you mean 'x'?`, or nothing."""
    guess = did_you_mean(word, candidates)
    return f"; did you mean {guess!r}?" if guess else ""


class Names:
    """Names to guess among, indexed once. difflib compares a word with every candidate, which
    costs ~50 µs each among similar names: above _SCAN_ALL candidates it compares only those of
    about the same length sharing the first or the last half (a typo sits in one half), so a
    guess costs the same among 200 or 200,000 names."""

    def __init__(self, candidates: Iterable[str]) -> None:
        self.options = list(dict.fromkeys(candidates))
        self.lowered = {c.lower(): c for c in self.options}
        self.halves: dict[tuple[int, bool, str], list[str]] | None = None

    def __iter__(self) -> typing.Iterator[str]:
        return iter(self.options)

    def guess(self, word: str) -> str | None:
        exact = self.lowered.get(word.lower())
        if exact is not None or len(word) > _MAX_GUESSED:
            return exact
        close = difflib.get_close_matches(word, self.near(word), n=1, cutoff=0.6)
        return close[0] if close else None

    def near(self, word: str) -> list[str]:
        if len(self.options) <= _SCAN_ALL:
            return self.options
        if self.halves is None:
            self.halves = {}
            for c in self.options:
                for key in _halves(c, len(c)):
                    self.halves.setdefault(key, []).append(c)
        found = (
            c
            for size in (len(word) - 1, len(word), len(word) + 1)
            for key in _halves(word, size)
            for c in self.halves.get(key, ())
        )
        return list(dict.fromkeys(found))[:_SCAN_ALL]


_SCAN_ALL = 200
_MAX_GUESSED = 100  # longer words get no guess: difflib's cost grows with the square


def _halves(word: str, size: int) -> tuple[tuple[int, bool, str], ...]:
    """Keys of a name of `size` characters equal to `word` but for one edit in one half."""
    half = size // 2
    return ((size, True, word[:half]), (size, False, word[len(word) - half :]))


def _join_or(phrases: Sequence[str]) -> str:
    unique = list(dict.fromkeys(phrases))
    if len(unique) <= 1:
        return unique[0] if unique else "nothing"
    return ", ".join(unique[:-1]) + " or " + unique[-1]


# ---------------------------------------------------------------------------- types


@attrs.frozen
class Shape:
    """A type annotation taken apart: its base type and the checks `Annotated` added."""

    base: Any
    marks: tuple[Any, ...] = ()

    def mark(self, kind: type[T]) -> T | None:
        return next((m for m in self.marks if isinstance(m, kind)), None)

    @property
    def is_expr(self) -> bool:
        return EXPR in self.marks

    @property
    def doc(self) -> str:
        d = self.mark(Doc)
        return d.text if d else ""


@functools.cache
def shape(tp: Any) -> Shape:
    marks: tuple[Any, ...] = ()
    while typing.get_origin(tp) is Annotated:
        marks += tuple(tp.__metadata__)
        tp = tp.__origin__
    if _is_union(tp):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        inner = [shape(o) for o in options]
        marks += tuple(m for s in inner for m in s.marks if m is EXPR)
        if len(options) == 1:
            return Shape(inner[0].base, marks + inner[0].marks)
        tp = typing.Union[tuple(options)]  # noqa: UP007 (built from a list)
    return Shape(tp, marks)


def _is_union(tp: Any) -> bool:
    return typing.get_origin(tp) in (typing.Union, types.UnionType)


@functools.cache
def hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, include_extras=True)


def fields(cls: type) -> dict[str, tuple[attrs.Attribute[Any], Any]]:
    """Key in the file → (attrs field, its type), in declaration order."""
    h = hints(cls)
    return {key_of(f): (f, h[f.name]) for f in attrs.fields(cls)}


def list_or_one(s: Shape) -> Any | None:
    """The item type of `X | list[X]`, else None."""
    if not _is_union(s.base):
        return None
    options = typing.get_args(s.base)
    if len(options) != 2:
        return None
    for one, many in (options, options[::-1]):
        if typing.get_origin(many) is list and typing.get_args(many)[0] == one:
            return one
    return None


def options(s: Shape) -> tuple[Any, ...]:
    return typing.get_args(s.base) if _is_union(s.base) else ()


def name_of(cls: type) -> str:
    return str(getattr(cls, "__format_name__", ""))


# A scalar type → its noun in messages, and whether a value has its shape (a bool is an int
# in Python, not in a file).
_SCALARS: dict[Any, tuple[str, typing.Callable[[object], bool]]] = {
    bool: ("true or false", lambda d: isinstance(d, bool)),
    int: ("a whole number", lambda d: isinstance(d, int) and not isinstance(d, bool)),
    float: ("a number", lambda d: isinstance(d, int | float) and not isinstance(d, bool)),
    str: ("text", lambda d: isinstance(d, str)),
}


def expected(tp: Any) -> str:
    """Noun phrase for messages: `a number`, `text`, `a list`."""
    s = shape(tp)
    base = s.base
    if s.is_expr:
        return "an expression (text, a number or true/false)"
    item = list_or_one(s)
    if item is not None:
        return f"{expected(item)} or a list of them"
    if _is_union(base):
        return _join_or([expected(o) for o in options(s)])
    if base in _SCALARS:
        return _SCALARS[base][0]
    if typing.get_origin(base) is list:
        return "a list"
    if typing.get_origin(base) is dict:
        return "a mapping"
    if attrs.has(base):
        return f"a mapping ({name_of(base)})" if name_of(base) else "a mapping"
    if base is Any:
        return "any value"
    raise TypeError(f"no reader for {base!r}")


def accepts(tp: Any, data: object) -> bool:
    """Whether `data` has the right Python shape for `tp` (used to pick among options)."""
    s = shape(tp)
    base = s.base
    if s.is_expr:
        return isinstance(data, str | int | float)  # bool is an int
    item = list_or_one(s)
    if item is not None:
        return isinstance(data, list) or accepts(item, data)
    if _is_union(base):
        return any(accepts(o, data) for o in options(s))
    if base in _SCALARS:
        return _SCALARS[base][1](data)
    if typing.get_origin(base) is list:
        return isinstance(data, list)
    if typing.get_origin(base) is dict or attrs.has(base):
        return isinstance(data, dict)
    return True


def _fit(tp: Any, data: object) -> int:
    s = shape(tp)
    if attrs.has(s.base) and isinstance(data, dict):
        keys = fields(s.base)
        return sum(1 for k in data if k in keys)
    item = list_or_one(s)
    if item is not None:
        return _fit(item, data)
    if _is_union(s.base):
        picked = _pick(s, data)
        return _fit(picked, data) if picked is not None else 0
    return 0


def _pick(s: Shape, data: object) -> Any | None:
    """The first option whose shape matches decides; among several declared classes for a
    mapping, the one sharing the most keys with it wins (first on ties)."""
    best, best_fit = None, -1
    for option in options(s):
        if accepts(option, data):
            fit = _fit(option, data)
            if fit > best_fit:
                best, best_fit = option, fit
    return best


def fallback(tp: Any) -> Any:
    """A neutral value of `tp`, standing in for a wrong or missing one."""
    s = shape(tp)
    base = s.base
    if s.is_expr:
        return False
    if list_or_one(s) is not None:
        return []
    if _is_union(base):
        return fallback(options(s)[0])
    if base is str:
        choice = s.mark(Choice)
        return choice.values[0] if choice else ""
    if base in (int, float):
        r = s.mark(Range)
        # 0 if the range allows it, else its top: a stand-in turn count puts no event out of
        # range, and a stand-in number none out of its variable's range.
        lo, hi = (r.min, r.max) if r is not None else (None, None)
        inside = (lo is None or lo <= 0) and (hi is None or hi >= 0)
        return base(0 if inside or hi is None else hi)
    if base is bool:
        return False
    if typing.get_origin(base) is list:
        return []
    if typing.get_origin(base) is dict:
        return {}
    if attrs.has(base):
        return base(**{f.name: fallback(t) for f, t in fields(base).values() if required(f)})
    return None


# ---------------------------------------------------------------------------- reading


class Reader:
    """Collects problems while structuring a document."""

    def __init__(self, file: str, positions: Positions | None = None) -> None:
        self.file = file
        self.positions = positions if positions is not None else Positions()
        self.problems: list[Problem] = []

    def report(
        self, path: Path, message: str, *, at_key: bool = False, label: Path | None = None
    ) -> None:
        """`message` at the value (or key) at `path`, prefixed by `label` (default `path`)."""
        prefix = format_path(path if label is None else label)
        text = f"{prefix}: {message}" if prefix else message
        self.problems.append(self.positions.problem(self.file, path, text, at_key=at_key))

    def mismatch(self, tp: Any, data: object, path: Path) -> Any:
        want = expected(tp)
        extra = ""
        if isinstance(data, bool) and want == "text":
            extra = "; put words like yes, no, on and off in quotes to keep them as text"
        self.report(path, f"expected {want}, found {describe(data)}{extra}")
        return fallback(tp)

    def read(self, tp: Any, data: object, path: Path = ()) -> Any:
        s = shape(tp)
        base = s.base
        if data is None and NULLABLE in s.marks:
            return None
        if s.is_expr:
            return data if accepts(tp, data) else self.mismatch(tp, data, path)
        item = list_or_one(s)
        if item is not None:
            if isinstance(data, list) and not accepts(item, data):
                return [self.read(item, v, (*path, i)) for i, v in enumerate(data)]
            if accepts(item, data):
                return self.read(item, data, path)
            return self.mismatch(tp, data, path)
        if _is_union(base):
            picked = _pick(s, data)
            return (
                self.mismatch(tp, data, path) if picked is None else self.read(picked, data, path)
            )
        if not accepts(tp, data):
            return self.mismatch(tp, data, path)
        if base is str:
            assert isinstance(data, str)
            return self.text(s, data, path)
        if base in (int, float):
            return self.number(s, data, path)
        if typing.get_origin(base) is list:
            assert isinstance(data, list)
            self.count(s, data, path, "item", "items")
            (item_type,) = typing.get_args(base)
            return [self.read(item_type, v, (*path, i)) for i, v in enumerate(data)]
        if typing.get_origin(base) is dict:
            assert isinstance(data, dict)
            self.count(s, data, path, "entry", "entries")
            key_type, value_type = typing.get_args(base)
            out = {}
            for key, value in data.items():
                key_path = (*path, str(key))
                self.text(shape(key_type), str(key), key_path, at_key=True, label=path)
                out[str(key)] = self.read(value_type, value, key_path)
            return out
        if attrs.has(base):
            assert isinstance(data, dict)
            return self.record(base, data, path)
        return data

    def text(
        self, s: Shape, text: str, path: Path, *, at_key: bool = False, label: Path | None = None
    ) -> str:
        choice, pattern = s.mark(Choice), s.mark(Pattern)
        noun = (choice.name if choice else "") or ("key" if at_key else "text")
        if choice is not None and text not in choice.values:
            self.report(
                path,
                f"unknown {choice.name or 'value'} {text!r}{hint(text, choice.values)} "
                f"(one of: {quoted_list(choice.values)})",
                at_key=at_key,
                label=label,
            )
            return choice.values[0]
        if pattern is not None and not _matches(pattern.regex, text):
            rule = (
                f"must be {pattern.text}"
                if pattern.text
                else f"does not match the pattern {pattern.regex}"
            )
            self.report(path, f"{noun} {text!r} {rule}", at_key=at_key, label=label)
        return text

    def number(self, s: Shape, data: Any, path: Path) -> float | int:
        r = s.mark(Range)
        if isinstance(data, float) and math.isnan(data):
            self.report(path, f"expected {expected(s.base)}, found .nan (not a number)")
            return fallback(s.base)  # type: ignore[no-any-return]
        lo, hi = (r.min, r.max) if r is not None else (None, None)
        finite = "; numbers must be finite, at most 1e12 in size" if hi == MAX_MAGNITUDE else ""
        if lo is not None and data < lo:
            self.report(path, f"value {_num(data)} is below the minimum {_num(lo)}{finite}")
        elif hi is not None and data > hi:
            self.report(path, f"value {_num(data)} is above the maximum {_num(hi)}{finite}")
        elif isinstance(data, float) and math.isinf(data):
            self.report(path, f"value {_num(data)} is not a finite number")
        # Out of range is kept if it is a number at all (later checks may say more about it).
        try:
            number: float | int = s.base(data)
        except OverflowError:  # an integer too big for a float: reported above
            return fallback(s.base)  # type: ignore[no-any-return]
        if isinstance(number, int) and abs(number) > 2**53:  # reported above; no float holds it
            bound = hi if number > 0 else lo
            return s.base(bound) if bound is not None else fallback(s.base)  # type: ignore[no-any-return]
        return number if math.isfinite(number) else fallback(s.base)

    def count(
        self, s: Shape, data: Sequence[Any] | dict[Any, Any], path: Path, one: str, many: str
    ) -> None:
        least = s.mark(MinItems)
        if least is not None and len(data) < least.count:
            found = "none" if not data else str(len(data))
            self.report(
                path,
                f"needs at least {least.count} {one if least.count == 1 else many}, found {found}",
            )

    def record(self, cls: type[T], data: dict[Any, Any], path: Path) -> T:
        declared = fields(cls)
        name = name_of(cls)
        in_name = f" in {name}" if name else ""
        suggested: set[str] = set()
        values: dict[str, Any] = {}
        for key, value in data.items():
            key = str(key)
            key_path = (*path, key)
            if key in declared:
                f, tp = declared[key]
                values[f.name] = self.read(tp, value, key_path)
                continue
            guess = did_you_mean(key, [k for k in declared if k not in data])
            if guess is not None:
                suggested.add(guess)
                extra = f"; did you mean {guess!r}?"
            elif declared:
                extra = f" (allowed keys: {quoted_list(declared)})"
            else:
                extra = " (no keys are allowed here)"
            self.report(key_path, f"unknown key {key!r}{in_name}{extra}", at_key=True, label=path)
        for key, (f, tp) in declared.items():
            if required(f) and key not in data:
                # A misspelt key was already reported with its correction: say it once.
                if key not in suggested:
                    self.report(path, f"missing key {key!r}{in_name}", at_key=True)
                values[f.name] = fallback(tp)
        return cls(**values)

    def ordered(self) -> list[Problem]:
        unique = list(dict.fromkeys(self.problems))  # an aliased node may repeat a problem
        return sorted(unique, key=lambda p: (p.line, p.col))


@functools.cache
def _compiled(regex: str) -> Any:
    import re

    return re.compile(regex)


def _matches(regex: str, text: str) -> bool:
    return _compiled(regex).fullmatch(text) is not None


def read_document(doc: Document, cls: type[T]) -> tuple[T, list[Problem]]:
    """`doc` structured into `cls` (wrong parts replaced), and every problem in file order."""
    reader = Reader(doc.file, doc.positions)
    value = reader.read(cls, doc.data)
    return value, reader.ordered()
