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
import re
import types
import typing
from collections.abc import Iterable, Sequence
from typing import Annotated, Any, TypeVar

import attrs

from wargame.engine.expr import MAX_MAGNITUDE
from wargame.formats.declare import EXPR, NULLABLE, Choice, MinItems, Pattern, Range
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


def hint(word: str, candidates: Iterable[str]) -> str:
    """`; did you mean 'x'?` for the closest candidate (see Names), or nothing."""
    guess = (candidates if isinstance(candidates, Names) else Names(candidates)).guess(word)
    return f"; did you mean {guess!r}?" if guess else ""


class Names:
    """Names to guess among (difflib ratio, cutoff 0.6, case-insensitive first), indexed once.
    difflib compares a word with every candidate, which costs ~50 µs each among similar names:
    above _SCAN_ALL candidates it compares only those of about the same length sharing the
    first or the last half (a typo sits in one half), so a guess costs the same among 200 or
    200,000 names."""

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
    """A type annotation taken apart: its base type, the checks `Annotated` added, and its
    kind: "expr", "one" (`X | list[X]`, args `(X,)`), "union" (args: the options), "record"
    (a declared class), list, tuple or dict (args: theirs), else the base type itself."""

    base: Any
    marks: tuple[Any, ...]
    kind: Any
    args: tuple[Any, ...]

    def mark(self, kind: type[T]) -> T | None:
        return next((m for m in self.marks if isinstance(m, kind)), None)


@functools.cache
def shape(tp: Any) -> Shape:
    marks: tuple[Any, ...] = ()
    while typing.get_origin(tp) is Annotated:
        marks += tuple(tp.__metadata__)
        tp = tp.__origin__
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        args = tuple(a for a in args if a is not type(None))
        inner = [shape(a) for a in args]
        marks += tuple(m for s in inner for m in s.marks if m is EXPR)
        if len(args) == 1:
            one = inner[0]
            tp, marks, kind, args = one.base, marks + one.marks, one.kind, one.args
        else:
            kind = "union"
            for one, many in (args, args[::-1]) if len(args) == 2 else ():
                if typing.get_origin(many) is list and typing.get_args(many)[0] == one:
                    kind, args = "one", (one,)
                    break
    else:
        kind = origin if origin in (list, tuple, dict) else "record" if attrs.has(tp) else tp
    return Shape(tp, marks, "expr" if EXPR in marks else kind, args)


@functools.cache
def fields(cls: Any) -> dict[str, attrs.Attribute[Any]]:
    """Key in the file → its attrs field (with its type resolved), in declaration order."""
    resolved = attrs.resolve_types(cls, include_extras=True)
    return {f.metadata.get("key", f.name): f for f in attrs.fields(resolved)}


def name_of(cls: type) -> str:
    return str(getattr(cls, "__format_name__", ""))


# Per kind: its noun in messages, and whether a value has its shape (a bool is an int in
# Python, not in a file). Kinds without a check take any value.
_NOUNS: dict[Any, str] = {
    "expr": "an expression (text, a number or true/false)",
    bool: "true or false",
    int: "a whole number",
    float: "a number",
    str: "text",
    list: "a list",
    dict: "a mapping",
    "record": "a mapping",
    Any: "any value",
}
_SHAPED: dict[Any, typing.Callable[[Any], bool]] = {
    "expr": lambda d: isinstance(d, str | int | float),
    bool: lambda d: isinstance(d, bool),
    int: lambda d: isinstance(d, int) and not isinstance(d, bool),
    float: lambda d: isinstance(d, int | float) and not isinstance(d, bool),
    str: lambda d: isinstance(d, str),
    list: lambda d: isinstance(d, list),
    dict: lambda d: isinstance(d, dict),
    "record": lambda d: isinstance(d, dict),
}
_EMPTY: dict[Any, typing.Callable[[], Any]] = {"expr": bool, "one": list, bool: bool,
                                               list: list, dict: dict}


def expected(tp: Any) -> str:
    """Noun phrase for messages: `a number`, `text`, `a list`."""
    s = shape(tp)
    if s.kind == "one":
        return f"{expected(s.args[0])} or a list of them"
    if s.kind == "union":
        return _join_or([expected(o) for o in s.args])
    if s.kind == "record" and name_of(s.base):
        return f"a mapping ({name_of(s.base)})"
    if s.kind not in _NOUNS:
        raise TypeError(f"no reader for {s.base!r}")
    return _NOUNS[s.kind]


def accepts(tp: Any, data: object) -> bool:
    """Whether `data` has the right Python shape for `tp` (used to pick among options)."""
    s = shape(tp)
    if s.kind == "one":
        return isinstance(data, list) or accepts(s.args[0], data)
    if s.kind == "union":
        return any(accepts(o, data) for o in s.args)
    check = _SHAPED.get(s.kind)
    return check is None or check(data)


def _pick(s: Shape, data: Any) -> Any | None:
    """The first option whose shape matches decides; among several declared classes for a
    mapping, the one sharing the most keys with it wins (first on ties)."""
    fitting = [o for o in s.args if accepts(o, data)]
    return max(fitting, key=lambda o: _shared_keys(shape(o), data), default=None)


def _shared_keys(s: Shape, data: Any) -> int:
    return len(fields(s.base).keys() & data.keys()) if s.kind == "record" else 0


_NO_RANGE = Range()


def fallback(tp: Any) -> Any:
    """A neutral value of `tp`, standing in for a wrong or missing one."""
    s = shape(tp)
    if s.kind == "union":
        return fallback(s.args[0])
    if s.kind is str:
        choice = s.mark(Choice)
        return choice.values[0] if choice else ""
    if s.kind in (int, float):
        # 0 if the range allows it, else its top: a stand-in turn count puts no event out of
        # range, and a stand-in number none out of its variable's range.
        r = s.mark(Range) or _NO_RANGE
        lo, hi = r.min, r.max
        inside = (lo is None or lo <= 0) and (hi is None or hi >= 0)
        return s.kind(0 if inside or hi is None else hi)
    if s.kind == "record":
        needed = [f for f in fields(s.base).values() if f.default is attrs.NOTHING]
        return s.base(**{f.name: fallback(f.type) for f in needed})
    return _EMPTY[s.kind]() if s.kind in _EMPTY else None


# ---------------------------------------------------------------------------- reading


class Reader:
    """Collects problems while structuring a document."""

    def __init__(self, file: str, positions: Positions | None = None) -> None:
        self.file = file
        self.positions = positions if positions is not None else Positions()
        self.problems: list[Problem] = []

    def report(self, path: Path, message: str, *, at_key: bool = False,
               label: Path | None = None) -> None:
        """`message` at the value (or key) at `path`, prefixed by `label` (default `path`)."""
        prefix = format_path(path if label is None else label)
        text = f"{prefix}: {message}" if prefix else message
        self.problems.append(self.positions.problem(self.file, path, text, at_key=at_key))

    def mismatch(self, tp: Any, data: object, path: Path) -> Any:
        want = expected(tp)
        extra = ("; put words like yes, no, on and off in quotes to keep them as text"
                 if isinstance(data, bool) and want == "text" else "")
        self.report(path, f"expected {want}, found {describe(data)}{extra}")
        return fallback(tp)

    def read(self, tp: Any, data: Any, path: Path = ()) -> Any:
        s = shape(tp)
        kind = s.kind
        if data is None and NULLABLE in s.marks:
            return None
        if kind == "one":
            item = s.args[0]
            if isinstance(data, list) and not accepts(item, data):
                return [self.read(item, v, (*path, i)) for i, v in enumerate(data)]
            if accepts(item, data):
                return self.read(item, data, path)
        elif kind == "union" and (picked := _pick(s, data)) is not None:
            return self.read(picked, data, path)
        if not accepts(tp, data):  # nor one of a union's options
            return self.mismatch(tp, data, path)
        if kind is str:
            return self.text(s, data, path)
        if kind in (int, float):
            return self.number(s, data, path)
        least = s.mark(MinItems) if kind in (list, dict) else None
        if least is not None and len(data) < least.count:
            one, many = ("item", "items") if kind is list else ("entry", "entries")
            self.report(path, f"needs at least {least.count} {one if least.count == 1 else many}"
                              f", found {len(data) or 'none'}")
        if kind is list:
            return [self.read(s.args[0], v, (*path, i)) for i, v in enumerate(data)]
        if kind is dict:
            key_type, value_type = s.args
            out = {}
            for key, value in data.items():
                key_path = (*path, str(key))
                self.text(shape(key_type), str(key), key_path, at_key=True, label=path)
                out[str(key)] = self.read(value_type, value, key_path)
            return out
        if kind == "record":
            return self.record(s.base, data, path)
        return data

    def text(self, s: Shape, text: str, path: Path, *, at_key: bool = False,
             label: Path | None = None) -> str:
        choice, pattern = s.mark(Choice), s.mark(Pattern)
        noun = (choice.name if choice else "") or ("key" if at_key else "text")
        if choice is not None and text not in choice.values:
            self.report(path, f"unknown {choice.name or 'value'} {text!r}"
                              f"{hint(text, choice.values)} (one of: {quoted_list(choice.values)})",
                        at_key=at_key, label=label)
            return choice.values[0]
        if pattern is not None and not re.fullmatch(pattern.regex, text):
            rule = (f"must be {pattern.text}" if pattern.text
                    else f"does not match the pattern {pattern.regex}")
            self.report(path, f"{noun} {text!r} {rule}", at_key=at_key, label=label)
        return text

    def number(self, s: Shape, data: Any, path: Path) -> Any:
        if isinstance(data, float) and math.isnan(data):
            self.report(path, f"expected {expected(s.base)}, found .nan (not a number)")
            return s.kind(0)
        r = s.mark(Range) or _NO_RANGE
        lo, hi = r.min, r.max
        finite = "; numbers must be finite, at most 1e12 in size" if hi == MAX_MAGNITUDE else ""
        if lo is not None and data < lo:
            self.report(path, f"value {_num(data)} is below the minimum {_num(lo)}{finite}")
        elif hi is not None and data > hi:
            self.report(path, f"value {_num(data)} is above the maximum {_num(hi)}{finite}")
        elif isinstance(data, float) and math.isinf(data):
            self.report(path, f"value {_num(data)} is not a finite number")
        # Out of range is kept if it is a number at all (later checks may say more about it).
        try:
            number = s.kind(data)
        except OverflowError:  # an integer too big for a float: reported above
            return s.kind(0)
        if isinstance(number, int) and abs(number) > 2**53:  # reported above; no float holds it
            bound = hi if number > 0 else lo
            return s.kind(bound if bound is not None else 0)
        return number if math.isfinite(number) else s.kind(0)

    def record(self, cls: Any, data: dict[Any, Any], path: Path) -> Any:
        declared = fields(cls)
        name = name_of(cls)
        in_name = f" in {name}" if name else ""
        suggested: set[str] = set()
        values: dict[str, Any] = {}
        for key, value in data.items():
            key = str(key)
            key_path = (*path, key)
            if key in declared:
                f = declared[key]
                values[f.name] = self.read(f.type, value, key_path)
                continue
            guess = Names(k for k in declared if k not in data).guess(key)
            if guess is not None:
                suggested.add(guess)
                extra = f"; did you mean {guess!r}?"
            elif declared:
                extra = f" (allowed keys: {quoted_list(declared)})"
            else:
                extra = " (no keys are allowed here)"
            self.report(key_path, f"unknown key {key!r}{in_name}{extra}", at_key=True, label=path)
        for key, f in declared.items():
            if f.default is attrs.NOTHING and key not in data:
                # A misspelt key was already reported with its correction: say it once.
                if key not in suggested:
                    self.report(path, f"missing key {key!r}{in_name}", at_key=True)
                values[f.name] = fallback(f.type)
        return cls(**values)

    def ordered(self) -> list[Problem]:
        unique = list(dict.fromkeys(self.problems))  # an aliased node may repeat a problem
        return sorted(unique, key=lambda p: (p.line, p.col))


def read_document(doc: Document, cls: type[T]) -> tuple[T, list[Problem]]:
    """`doc` structured into `cls` (wrong parts replaced), and every problem in file order."""
    reader = Reader(doc.file, doc.positions)
    value = reader.read(cls, doc.data)
    return value, reader.ordered()
