"""`wargame schema KIND`: JSON Schema documents for editors and other tools."""

from __future__ import annotations

from typing import Any

from wargame.storage.content_schema import RULES_SCHEMA, SCENARIO_SCHEMA
from wargame.storage.schema import to_json_schema


def schema_for(kind: str) -> dict[str, Any]:
    if kind == "scenario":
        return to_json_schema(SCENARIO_SCHEMA, "wargame scenario", "wargame:scenario")
    if kind == "rules":
        return to_json_schema(RULES_SCHEMA, "wargame rules", "wargame:rules")
    if kind == "save":
        from wargame.storage.save_schema import SAVE_JSON_SCHEMA

        return dict(SAVE_JSON_SCHEMA)
    raise ValueError(kind)
