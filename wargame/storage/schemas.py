"""`wargame schema KIND`: JSON Schema documents for editors and other tools."""

from __future__ import annotations

from typing import Any

from wargame.formats.content import RuleFile, Scenario
from wargame.formats.jsonschema import document_schema


def schema_for(kind: str) -> dict[str, Any]:
    if kind == "scenario":
        return document_schema(Scenario, "wargame scenario", "wargame:scenario")
    if kind == "rules":
        return document_schema(RuleFile, "wargame rules", "wargame:rules")
    if kind == "save":
        from wargame.formats.save import SaveFile

        return document_schema(SaveFile, "wargame save", "wargame:save")
    raise ValueError(kind)
