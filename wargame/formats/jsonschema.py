"""JSON Schema (draft 2020-12) of a declared file format, for editors (yaml-language-server)
and other tools: `wargame schema KIND`, committed under docs/schema/."""

from __future__ import annotations

from typing import Any

import attrs

from wargame.formats.declare import NULLABLE, Choice, Doc, JsonSchemaOf, MinItems, Pattern, Range
from wargame.formats.reader import fields, name_of, shape

DIALECT = "https://json-schema.org/draft/2020-12/schema"
JsonSchema = dict[str, Any]


def _described(description: str, schema: JsonSchema) -> JsonSchema:
    return {"description": description, **schema} if description else schema


def schema_of(tp: Any) -> JsonSchema:
    s = shape(tp)
    kind = s.kind
    out: JsonSchema
    given = s.mark(JsonSchemaOf)
    if given is not None:
        out = dict(given.schema)
    elif kind == "expr":
        out = {"type": ["string", "number", "boolean"]}
    elif kind == "one":
        one = schema_of(s.args[0])
        out = {"anyOf": [one, {"type": "array", "items": one}]}
    elif kind == "union":
        out = {"anyOf": [schema_of(o) for o in s.args]}
    elif kind is str:
        out = {"type": "string"}
        choice, pattern = s.mark(Choice), s.mark(Pattern)
        if choice is not None:
            out["enum"] = list(choice.values)
        if pattern is not None:
            out["pattern"] = f"^(?:{pattern.regex})$"  # JSON Schema patterns are unanchored
    elif kind in (int, float):
        out = {"type": "integer" if kind is int else "number"}
        r = s.mark(Range)
        if r is not None and r.min is not None:
            out["minimum"] = r.min
        if r is not None and r.max is not None:
            out["maximum"] = r.max
    elif kind is bool:
        out = {"type": "boolean"}
    elif kind in (list, tuple):
        out = {"type": "array", "items": schema_of(s.args[0])}
        if (least := s.mark(MinItems)) is not None:
            out["minItems"] = least.count
    elif kind is dict:
        out = {"type": "object", "additionalProperties": schema_of(s.args[1])}
        names = schema_of(s.args[0])
        names.pop("description", None)
        if names != {"type": "string"}:
            out["propertyNames"] = names
        if (least := s.mark(MinItems)) is not None:
            out["minProperties"] = least.count
    elif kind == "record":
        out = _record(s.base)
    else:
        out = {}
    if NULLABLE in s.marks:
        out = {"anyOf": [out, {"type": "null"}]}
    doc = s.mark(Doc)
    return _described(doc.text if doc else "", out)


def _record(cls: type) -> JsonSchema:
    out: JsonSchema = {"type": "object"}
    if name_of(cls):
        out["title"] = name_of(cls)
    props: dict[str, JsonSchema] = {}
    for key, f in fields(cls).items():
        prop = schema_of(f.type)
        if f.metadata.get("doc"):
            prop = {**prop, "description": f.metadata["doc"]}
        props[key] = prop
    out["properties"] = props
    needed = [key for key, f in fields(cls).items() if f.default is attrs.NOTHING]
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
