"""JSON Schema (draft 2020-12) of a declared file format, for editors (yaml-language-server)
and other tools: `wargame schema KIND`, committed under docs/schema/."""

from __future__ import annotations

import typing
from typing import Any

import attrs

from wargame.formats.declare import (
    NULLABLE,
    Choice,
    JsonSchemaOf,
    MinItems,
    Pattern,
    Range,
    required,
)
from wargame.formats.reader import fields, list_or_one, name_of, options, shape

DIALECT = "https://json-schema.org/draft/2020-12/schema"
JsonSchema = dict[str, Any]


def _described(description: str, schema: JsonSchema) -> JsonSchema:
    return {"description": description, **schema} if description else schema


def schema_of(tp: Any) -> JsonSchema:
    s = shape(tp)
    base = s.base
    out: JsonSchema
    given = s.mark(JsonSchemaOf)
    if given is not None:
        out = dict(given.schema)
    elif s.is_expr:
        out = {"type": ["string", "number", "boolean"]}
    elif (item := list_or_one(s)) is not None:
        one = schema_of(item)
        out = {"anyOf": [one, {"type": "array", "items": one}]}
    elif options(s):
        out = {"anyOf": [schema_of(o) for o in options(s)]}
    elif base is str:
        out = {"type": "string"}
        choice, pattern = s.mark(Choice), s.mark(Pattern)
        if choice is not None:
            out["enum"] = list(choice.values)
        if pattern is not None:
            out["pattern"] = f"^(?:{pattern.regex})$"  # JSON Schema patterns are unanchored
    elif base in (int, float):
        out = {"type": "integer" if base is int else "number"}
        r = s.mark(Range)
        if r is not None and r.min is not None:
            out["minimum"] = r.min
        if r is not None and r.max is not None:
            out["maximum"] = r.max
    elif base is bool:
        out = {"type": "boolean"}
    elif typing.get_origin(base) in (list, tuple):
        out = {"type": "array", "items": schema_of(typing.get_args(base)[0])}
        if (least := s.mark(MinItems)) is not None:
            out["minItems"] = least.count
    elif typing.get_origin(base) is dict:
        key_type, value_type = typing.get_args(base)
        out = {"type": "object", "additionalProperties": schema_of(value_type)}
        names = schema_of(key_type)
        names.pop("description", None)
        if names != {"type": "string"}:
            out["propertyNames"] = names
        if (least := s.mark(MinItems)) is not None:
            out["minProperties"] = least.count
    elif attrs.has(base):
        out = _record(base)
    else:
        out = {}
    if NULLABLE in s.marks:
        out = {"anyOf": [out, {"type": "null"}]}
    return _described(s.doc, out)


def _record(cls: type) -> JsonSchema:
    out: JsonSchema = {"type": "object"}
    if name_of(cls):
        out["title"] = name_of(cls)
    props: dict[str, JsonSchema] = {}
    for key, (f, tp) in fields(cls).items():
        prop = schema_of(tp)
        if f.metadata.get("doc"):
            prop = {**prop, "description": f.metadata["doc"]}
        props[key] = prop
    out["properties"] = props
    needed = [key for key, (f, _) in fields(cls).items() if required(f)]
    if needed:
        out["required"] = needed
    out["additionalProperties"] = False
    return _described(str(getattr(cls, "__format_doc__", "")), out)


def document_schema(cls: type, title: str, id: str) -> JsonSchema:
    """A complete JSON Schema document for files declared by `cls`."""
    body = schema_of(cls)
    body.pop("title", None)
    return {"$schema": DIALECT, "$id": id, "title": title, **body}


def schema_for(kind: str) -> JsonSchema:
    """`wargame schema KIND`: "scenario", "rules" or "save" (ValueError for another)."""
    from wargame.formats.content import RuleFile, Scenario
    from wargame.formats.save import SaveFile

    declared: dict[str, type] = {"scenario": Scenario, "rules": RuleFile, "save": SaveFile}
    if kind not in declared:
        raise ValueError(kind)
    return document_schema(declared[kind], f"wargame {kind}", f"wargame:{kind}")
