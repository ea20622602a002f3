"""A tiny declarative schema language for content files.

One description of a file's shape gives two things: `validate()`, which reports every
mistake in one pass as `FILE:LINE:COL: path: message` with did-you-mean hints, and
`to_json_schema()`, which editors (yaml-language-server) use for completion and hover.

    action = Obj(
        {
            "cost": Field(Num(min=0, max=100), required=True),
            "phase": Field(Str(choices=PHASES, name="phase")),
            "effects": ListOf(Expr()),
        },
        name="action",
    )
    problems = validate(doc, MapOf(action, key=Str(pattern=r"[a-z_]+")))

Every message is prefixed with the dotted path of the value it is about
(`actions.embargo.cost: expected a number, found text 'two'`); problems about a
mapping's keys use the mapping's path and point at the key itself.

The module knows nothing about the game: the concrete scenario/rules schemas live elsewhere.
"""

from __future__ import annotations

import difflib
import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence

import attrs

from wargame.storage.yamlsrc import (
    Document,
    Path,
    Positions,
    Problem,
    YamlError,
    format_path,
    load_yaml_file,
)

__all__ = [
    "JSON_SCHEMA_DIALECT",
    "Any",
    "Bool",
    "Check",
    "Expr",
    "Field",
    "ListOf",
    "ListOrOne",
    "MapOf",
    "Num",
    "Obj",
    "OneOf",
    "Schema",
    "Str",
    "describe",
    "did_you_mean",
    "load_and_validate",
    "to_json_schema",
    "validate",
]

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

JsonSchema = dict[str, object]

_MAX_LISTED = 20  # longer choice lists are cut short in messages


class Check:
    """Collects problems while a schema walks the data."""

    __slots__ = ("file", "positions", "problems")

    def __init__(self, file: str, positions: Positions | None = None) -> None:
        self.file = file
        self.positions = positions if positions is not None else Positions()
        self.problems: list[Problem] = []

    def report(
        self, path: Path, message: str, *, at_key: bool = False, label: Path | None = None
    ) -> None:
        """Record `message` at the value (or key) at `path`, prefixed by `label` (default
        `path`) in dotted form."""
        prefix = format_path(path if label is None else label)
        text = f"{prefix}: {message}" if prefix else message
        self.problems.append(self.positions.problem(self.file, path, text, at_key=at_key))


# ------------------------------------------------------------------------ helpers


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
    if isinstance(value, float) and math.isnan(value):
        return ".nan"
    return str(value)


def _quoted_list(words: Iterable[str]) -> str:
    items = list(words)
    shown = ", ".join(items[:_MAX_LISTED])
    return shown + (f", ... ({len(items)} in all)" if len(items) > _MAX_LISTED else "")


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """Closest candidate by difflib ratio (cutoff 0.6), case-insensitive first."""
    options = list(candidates)
    lowered = {c.lower(): c for c in options}
    if word.lower() in lowered:
        return lowered[word.lower()]
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return close[0] if close else None


def _join_or(phrases: Sequence[str]) -> str:
    unique = list(dict.fromkeys(phrases))
    if len(unique) <= 1:
        return unique[0] if unique else "nothing"
    return ", ".join(unique[:-1]) + " or " + unique[-1]


def _with_description(description: str, schema: JsonSchema) -> JsonSchema:
    if description:
        return {"description": description, **schema}
    return schema


# ------------------------------------------------------------------------ schemas


class Schema:
    """Base of every schema node. Subclasses implement `check`, `json_schema`, `expected`
    and `accepts`; custom nodes may subclass this too."""

    description: str = ""

    def check(self, data: object, path: Path, ctx: Check) -> None:
        raise NotImplementedError

    def json_schema(self) -> JsonSchema:
        raise NotImplementedError

    def expected(self) -> str:
        """Noun phrase for messages: `a number`, `text`, `a list`."""
        raise NotImplementedError

    def accepts(self, data: object) -> bool:
        """Whether `data` has the right Python shape (type) to be checked by this schema;
        used by OneOf to pick an option."""
        raise NotImplementedError

    def fit(self, data: object) -> int:
        """Tie-breaker among options that accept `data`: higher fits better."""
        return 0

    def mismatch(self, data: object, path: Path, ctx: Check) -> None:
        hint = ""
        if isinstance(data, bool) and self.expected() == "text":
            hint = "; put words like yes, no, on and off in quotes to keep them as text"
        ctx.report(path, f"expected {self.expected()}, found {describe(data)}{hint}")


class Any(Schema):
    """Anything at all (checked later by the caller)."""

    def __init__(self, description: str = "") -> None:
        self.description = description

    def check(self, data: object, path: Path, ctx: Check) -> None:
        return None

    def json_schema(self) -> JsonSchema:
        return _with_description(self.description, {})

    def expected(self) -> str:
        return "any value"

    def accepts(self, data: object) -> bool:
        return True

    def __repr__(self) -> str:
        return "Any()"


class Str(Schema):
    """Text. `pattern` must match the whole text (Python and ECMA-262 compatible syntax);
    `pattern_text` says in words what it means; `choices` lists the allowed values and
    `name` names them in messages ("unknown phase 'drfit'")."""

    def __init__(
        self,
        description: str = "",
        pattern: str | None = None,
        choices: Iterable[str] | None = None,
        min_len: int | None = None,
        *,
        name: str = "",
        pattern_text: str | None = None,
    ) -> None:
        self.description = description
        self.pattern = pattern
        self._regex = re.compile(pattern) if pattern is not None else None
        self.choices: tuple[str, ...] | None = tuple(choices) if choices is not None else None
        self._choice_set = frozenset(self.choices) if self.choices is not None else None
        self.min_len = min_len
        self.name = name
        self.pattern_text = pattern_text

    def check(self, data: object, path: Path, ctx: Check) -> None:
        if not isinstance(data, str):
            self.mismatch(data, path, ctx)
            return
        self.check_text(data, path, ctx)

    def check_text(
        self,
        text: str,
        path: Path,
        ctx: Check,
        *,
        at_key: bool = False,
        label: Path | None = None,
    ) -> None:
        """Check the text itself; MapOf uses this for keys (`at_key`, labelled by the map)."""
        noun = self.name or ("key" if at_key else "text")
        if self.min_len is not None and len(text) < self.min_len:
            need = (
                "must not be empty"
                if self.min_len == 1
                else f"must be at least {self.min_len} characters long"
            )
            ctx.report(path, f"{noun} {need}", at_key=at_key, label=label)
            return
        if (
            self._choice_set is not None
            and self.choices is not None
            and text not in self._choice_set
        ):
            guess = did_you_mean(text, self.choices)
            hint = f"; did you mean {guess!r}?" if guess else ""
            ctx.report(
                path,
                f"unknown {self.name or 'value'} {text!r}{hint} "
                f"(one of: {_quoted_list(self.choices)})",
                at_key=at_key,
                label=label,
            )
            return
        if self._regex is not None and self._regex.fullmatch(text) is None:
            rule = (
                f"must be {self.pattern_text}"
                if self.pattern_text
                else f"does not match the pattern {self.pattern}"
            )
            ctx.report(path, f"{noun} {text!r} {rule}", at_key=at_key, label=label)

    def json_schema(self) -> JsonSchema:
        out: JsonSchema = {"type": "string"}
        if self.choices is not None:
            out["enum"] = list(self.choices)
        if self.pattern is not None:
            out["pattern"] = f"^(?:{self.pattern})$"  # JSON Schema patterns are unanchored
        if self.min_len is not None:
            out["minLength"] = self.min_len
        return _with_description(self.description, out)

    def expected(self) -> str:
        return "text"

    def accepts(self, data: object) -> bool:
        return isinstance(data, str)

    def __repr__(self) -> str:
        return f"Str(pattern={self.pattern!r}, choices={self.choices!r})"


class Num(Schema):
    """A number (int or float; never true/false). `integer` demands a whole number."""

    def __init__(
        self,
        description: str = "",
        min: float | None = None,
        max: float | None = None,
        integer: bool = False,
    ) -> None:
        self.description = description
        self.min = min
        self.max = max
        self.integer = integer

    def check(self, data: object, path: Path, ctx: Check) -> None:
        if not self.accepts(data):
            self.mismatch(data, path, ctx)
            return
        assert isinstance(data, int | float)
        if isinstance(data, float) and math.isnan(data):
            ctx.report(path, f"expected {self.expected()}, found .nan (not a number)")
        elif self.min is not None and data < self.min:
            ctx.report(path, f"value {_num(data)} is below the minimum {_num(self.min)}")
        elif self.max is not None and data > self.max:
            ctx.report(path, f"value {_num(data)} is above the maximum {_num(self.max)}")

    def json_schema(self) -> JsonSchema:
        out: JsonSchema = {"type": "integer" if self.integer else "number"}
        if self.min is not None:
            out["minimum"] = self.min
        if self.max is not None:
            out["maximum"] = self.max
        return _with_description(self.description, out)

    def expected(self) -> str:
        return "a whole number" if self.integer else "a number"

    def accepts(self, data: object) -> bool:
        if isinstance(data, bool):
            return False
        return isinstance(data, int) or (not self.integer and isinstance(data, float))

    def __repr__(self) -> str:
        return f"Num(min={self.min!r}, max={self.max!r}, integer={self.integer!r})"


class Bool(Schema):
    """true or false (YAML 1.1 also reads yes/no/on/off as these)."""

    def __init__(self, description: str = "") -> None:
        self.description = description

    def check(self, data: object, path: Path, ctx: Check) -> None:
        if not isinstance(data, bool):
            self.mismatch(data, path, ctx)

    def json_schema(self) -> JsonSchema:
        return _with_description(self.description, {"type": "boolean"})

    def expected(self) -> str:
        return "true or false"

    def accepts(self, data: object) -> bool:
        return isinstance(data, bool)

    def __repr__(self) -> str:
        return "Bool()"


class Expr(Schema):
    """An expression: text, a number or true/false. Its content is the caller's business."""

    def __init__(self, description: str = "") -> None:
        self.description = description

    def check(self, data: object, path: Path, ctx: Check) -> None:
        if not self.accepts(data):
            self.mismatch(data, path, ctx)

    def json_schema(self) -> JsonSchema:
        return _with_description(self.description, {"type": ["string", "number", "boolean"]})

    def expected(self) -> str:
        return "an expression (text, a number or true/false)"

    def accepts(self, data: object) -> bool:
        return isinstance(data, str | int | float)  # bool is an int

    def __repr__(self) -> str:
        return "Expr()"


class ListOf(Schema):
    def __init__(self, item: Schema, description: str = "", min_items: int | None = None) -> None:
        self.item = item
        self.description = description
        self.min_items = min_items

    def check(self, data: object, path: Path, ctx: Check) -> None:
        if not isinstance(data, list):
            self.mismatch(data, path, ctx)
            return
        if self.min_items is not None and len(data) < self.min_items:
            found = "none" if not data else str(len(data))
            plural = "item" if self.min_items == 1 else "items"
            ctx.report(path, f"needs at least {self.min_items} {plural}, found {found}")
        item = self.item
        for index, value in enumerate(data):
            item.check(value, (*path, index), ctx)

    def json_schema(self) -> JsonSchema:
        out: JsonSchema = {"type": "array", "items": self.item.json_schema()}
        if self.min_items is not None:
            out["minItems"] = self.min_items
        return _with_description(self.description, out)

    def expected(self) -> str:
        return "a list"

    def accepts(self, data: object) -> bool:
        return isinstance(data, list)

    def __repr__(self) -> str:
        return f"ListOf({self.item!r})"


class MapOf(Schema):
    """A mapping with free keys (variable names, role ids); `key` validates the key text
    and its problems point at the key."""

    def __init__(
        self,
        value: Schema,
        description: str = "",
        key: Str | None = None,
        min_items: int | None = None,
    ) -> None:
        self.value = value
        self.description = description
        self.key = key
        self.min_items = min_items

    def check(self, data: object, path: Path, ctx: Check) -> None:
        if not isinstance(data, dict):
            self.mismatch(data, path, ctx)
            return
        if self.min_items is not None and len(data) < self.min_items:
            found = "none" if not data else str(len(data))
            plural = "entry" if self.min_items == 1 else "entries"
            ctx.report(path, f"needs at least {self.min_items} {plural}, found {found}")
        key_schema, value_schema = self.key, self.value
        for key, value in data.items():
            key_path = (*path, str(key))
            if key_schema is not None:
                key_schema.check_text(str(key), key_path, ctx, at_key=True, label=path)
            value_schema.check(value, key_path, ctx)

    def json_schema(self) -> JsonSchema:
        out: JsonSchema = {"type": "object", "additionalProperties": self.value.json_schema()}
        if self.key is not None:
            names = self.key.json_schema()
            names.pop("description", None)
            out["propertyNames"] = names
        if self.min_items is not None:
            out["minProperties"] = self.min_items
        return _with_description(self.description, out)

    def expected(self) -> str:
        return "a mapping"

    def accepts(self, data: object) -> bool:
        return isinstance(data, dict)

    def __repr__(self) -> str:
        return f"MapOf({self.value!r}, key={self.key!r})"


@attrs.frozen
class Field:
    """One key of an Obj. `nullable` lets the writer leave the value empty (`when:`)."""

    schema: Schema
    required: bool = False
    default: object = None
    description: str = ""
    nullable: bool = False

    def json_schema(self) -> JsonSchema:
        out = self.schema.json_schema()
        if self.nullable:
            inner = dict(out)
            description = inner.pop("description", "")
            out = {"anyOf": [inner, {"type": "null"}]}
            if description:
                out = {"description": description, **out}
        if self.description:
            out = {**out, "description": self.description}
        if self.default is not None:
            out["default"] = self.default
        return out


class Obj(Schema):
    """A mapping with fixed keys. `fields` values are Field, or a bare Schema meaning an
    optional field; `name` names the thing in messages ("unknown key 'coast' in action");
    `open` allows keys beyond `fields` (they are not checked)."""

    def __init__(
        self,
        fields: Mapping[str, Field | Schema],
        description: str = "",
        open: bool = False,
        *,
        name: str = "",
    ) -> None:
        self.fields: dict[str, Field] = {
            key: value if isinstance(value, Field) else Field(value)
            for key, value in fields.items()
        }
        self.description = description
        self.open = open
        self.name = name
        self._required = tuple(key for key, f in self.fields.items() if f.required)

    def check(self, data: object, path: Path, ctx: Check) -> None:
        if not isinstance(data, dict):
            self.mismatch(data, path, ctx)
            return
        fields = self.fields
        in_name = f" in {self.name}" if self.name else ""
        suggested: set[str] = set()
        for key, value in data.items():
            key = str(key)
            key_path = (*path, key)
            field = fields.get(key)
            if field is not None:
                if value is None and field.nullable:
                    continue
                field.schema.check(value, key_path, ctx)
                continue
            if self.open:
                continue
            guess = did_you_mean(key, [k for k in fields if k not in data])
            if guess is not None:
                suggested.add(guess)
                hint = f"; did you mean {guess!r}?"
            elif fields:
                hint = f" (allowed keys: {_quoted_list(fields)})"
            else:
                hint = " (no keys are allowed here)"
            ctx.report(key_path, f"unknown key {key!r}{in_name}{hint}", at_key=True, label=path)
        for key in self._required:
            # A misspelt key was already reported with its correction: say it once.
            if key not in data and key not in suggested:
                ctx.report(path, f"missing key {key!r}{in_name}", at_key=True)

    def json_schema(self) -> JsonSchema:
        out: JsonSchema = {"type": "object"}
        if self.name:
            out["title"] = self.name
        out["properties"] = {key: f.json_schema() for key, f in self.fields.items()}
        if self._required:
            out["required"] = list(self._required)
        if not self.open:
            out["additionalProperties"] = False
        return _with_description(self.description, out)

    def expected(self) -> str:
        return f"a mapping ({self.name})" if self.name else "a mapping"

    def accepts(self, data: object) -> bool:
        return isinstance(data, dict)

    def fit(self, data: object) -> int:
        if not isinstance(data, dict):
            return 0
        return sum(1 for key in data if key in self.fields)

    def __repr__(self) -> str:
        return f"Obj({list(self.fields)!r}, name={self.name!r})"


class OneOf(Schema):
    """The first option whose shape (Python type) matches decides; among several Obj
    options for a mapping, the one sharing the most keys with it wins (first on ties)."""

    def __init__(self, *options: Schema, description: str = "") -> None:
        if not options:
            raise ValueError("OneOf needs at least one option")
        self.options = options
        self.description = description

    def pick(self, data: object) -> Schema | None:
        best: Schema | None = None
        best_fit = -1
        for option in self.options:
            if option.accepts(data):
                fit = option.fit(data)
                if fit > best_fit:
                    best, best_fit = option, fit
        return best

    def check(self, data: object, path: Path, ctx: Check) -> None:
        option = self.pick(data)
        if option is None:
            self.mismatch(data, path, ctx)
        else:
            option.check(data, path, ctx)

    def json_schema(self) -> JsonSchema:
        # anyOf, not oneOf: options may overlap (Str and Expr both take text).
        return _with_description(
            self.description, {"anyOf": [o.json_schema() for o in self.options]}
        )

    def expected(self) -> str:
        return _join_or([o.expected() for o in self.options])

    def accepts(self, data: object) -> bool:
        return any(o.accepts(data) for o in self.options)

    def fit(self, data: object) -> int:
        option = self.pick(data)
        return option.fit(data) if option is not None else 0

    def __repr__(self) -> str:
        return f"OneOf{self.options!r}"


class ListOrOne(Schema):
    """A single item or a list of them; both forms are validated, neither is rewritten."""

    def __init__(self, item: Schema, description: str = "") -> None:
        self.item = item
        self.description = description

    def check(self, data: object, path: Path, ctx: Check) -> None:
        item = self.item
        if isinstance(data, list) and not item.accepts(data):
            for index, value in enumerate(data):
                item.check(value, (*path, index), ctx)
        elif item.accepts(data):
            item.check(data, path, ctx)
        else:
            self.mismatch(data, path, ctx)

    def json_schema(self) -> JsonSchema:
        item = self.item.json_schema()
        return _with_description(
            self.description, {"anyOf": [item, {"type": "array", "items": item}]}
        )

    def expected(self) -> str:
        return f"{self.item.expected()} or a list of them"

    def accepts(self, data: object) -> bool:
        return isinstance(data, list) or self.item.accepts(data)

    def fit(self, data: object) -> int:
        return self.item.fit(data)

    def __repr__(self) -> str:
        return f"ListOrOne({self.item!r})"


# ------------------------------------------------------------------------ entry points


def _ordered(problems: list[Problem]) -> list[Problem]:
    unique = list(dict.fromkeys(problems))  # an aliased node may repeat a problem
    return sorted(unique, key=lambda p: (p.line, p.col))


def validate(doc: Document, schema: Schema) -> list[Problem]:
    """Every problem of `doc` against `schema`, in file order (empty when valid)."""
    ctx = Check(doc.file, doc.positions)
    schema.check(doc.data, (), ctx)
    return _ordered(ctx.problems)


def load_and_validate(
    path: str | os.PathLike[str], schema: Schema
) -> tuple[Document | None, list[Problem]]:
    """Load a YAML file and validate it; the document is None when it could not be parsed."""
    try:
        doc = load_yaml_file(path)
    except YamlError as err:
        return None, err.problems
    return doc, validate(doc, schema)


def to_json_schema(schema: Schema, title: str, id: str) -> JsonSchema:
    """A complete JSON Schema (draft 2020-12) document for editors."""
    body = schema.json_schema()
    body.pop("title", None)
    return {"$schema": JSON_SCHEMA_DIALECT, "$id": id, "title": title, **body}
