"""`wargame schema save`: the JSON Schema (draft 2020-12) of a save file, format version 2."""

from __future__ import annotations

from typing import Any

from wargame.storage.save_format import FORMAT, SNAPSHOT_EVERY, VERSION

_VALUE: dict[str, Any] = {"type": ["number", "boolean"]}
_VALUES: dict[str, Any] = {
    "type": "object",
    "description": "every variable and flag by dotted name",
    "additionalProperties": _VALUE,
}
_HEX64 = {"type": "string", "pattern": "^[0-9a-f]{64}$"}

_ORDER: dict[str, Any] = {
    "type": "object",
    "description": "one order: an action id, and a target role for targeted actions",
    "required": ["action"],
    "properties": {"action": {"type": "string"}, "target": {"type": "string"}},
    "additionalProperties": False,
}
_ORDERS: dict[str, Any] = {
    "type": "object",
    "description": "role → its orders, in the order given",
    "additionalProperties": {"type": "array", "items": {"$ref": "#/$defs/order"}},
}
_TURN: dict[str, Any] = {
    "type": "object",
    "description": "one resolved turn",
    "required": ["turn", "label", "orders", "hash", "values", "scores"],
    "properties": {
        "turn": {"type": "integer", "minimum": 1},
        "label": {"type": "string", "description": "calendar label, e.g. 2021 Q3"},
        "orders": {"$ref": "#/$defs/orders"},
        "hash": {**_HEX64, "description": "sha256 of the canonical state after the turn"},
        "values": {"$ref": "#/$defs/values"},
        "scores": {"type": "object", "additionalProperties": {"type": "integer"}},
    },
    "additionalProperties": False,
}
_CHANGE: dict[str, Any] = {
    "type": "object",
    "description": "one traced change of one value",
    "required": ["name", "before", "after", "source", "source_id", "role", "phase", "expr",
                 "inputs"],
    "properties": {
        "name": {"type": "string"},
        "before": _VALUE,
        "after": _VALUE,
        "source": {"type": "string"},
        "source_id": {"type": "string"},
        "role": {"type": ["string", "null"]},
        "phase": {"type": "string"},
        "expr": {"type": "string"},
        "inputs": {
            "type": "array",
            "items": {
                "type": "array",
                "prefixItems": [{"type": "string"}, _VALUE],
                "minItems": 2,
                "maxItems": 2,
            },
        },
        "why": {"type": "string"},
        "clamped": {"type": "boolean"},
    },
    "additionalProperties": False,
}
_STATE: dict[str, Any] = {
    "type": "object",
    "description": "a full game state, waiting for the orders of `turn`",
    "required": ["turn", "values", "marks", "rng", "tallies", "fired_once", "events",
                 "event_trace"],
    "properties": {
        "turn": {"type": "integer", "minimum": 1},
        "values": {"$ref": "#/$defs/values"},
        "marks": {"type": "object", "additionalProperties": {"type": "boolean"}},
        "rng": {
            "type": "object",
            "description": "the generator's state and stream, as hex strings",
            "required": ["state", "inc"],
            "properties": {
                "state": {"type": "string", "pattern": "^0x[0-9a-f]+$"},
                "inc": {"type": "string", "pattern": "^0x[0-9a-f]+$"},
            },
            "additionalProperties": False,
        },
        "tallies": {"type": "object", "additionalProperties": {"type": "integer"}},
        "fired_once": {"type": "array", "items": {"type": "string"}},
        "events": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "title", "text", "turn"],
                "properties": {
                    "id": {"type": "string"},
                    "title": {"type": "string"},
                    "text": {"type": "string"},
                    "turn": {"type": "integer"},
                },
                "additionalProperties": False,
            },
        },
        "event_trace": {"type": "array", "items": {"$ref": "#/$defs/change"}},
    },
    "additionalProperties": False,
}
_SOURCE_FILE: dict[str, Any] = {
    "type": "object",
    "required": ["name", "text"],
    "properties": {
        "name": {"type": "string", "description": "the file name the game was started with"},
        "text": {"type": "string", "description": "the whole YAML text"},
    },
    "additionalProperties": False,
}

SAVE_JSON_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "wargame:save",
    "title": "wargame save",
    "description": (
        f"A saved game, save format {VERSION}. A game is its history: the embedded content, "
        "the seed and each turn's orders; every turn's state hash lets any program check a "
        "replay. `checksum` is sha256 of the file's bytes with the checksum's own 64 hex digits "
        'replaced by "0" (CRLF read as LF). Older formats are migrated on load.'
    ),
    "type": "object",
    "required": ["format", "version", "program_version", "checksum", "game_id", "scenario",
                 "seats", "seed", "rng", "content", "turns"],
    "properties": {
        "format": {"const": FORMAT},
        "version": {"const": VERSION, "description": "the save format version"},
        "program_version": {"type": "string", "description": "wargame version that wrote it"},
        "checksum": {"type": "string", "pattern": "^sha256:[0-9a-f]{64}$"},
        "game_id": {"type": "string"},
        "scenario": {"type": "string", "description": "the scenario id"},
        "title": {"type": "string"},
        "seats": {
            "type": "object",
            "description": 'role → "human" or a bot kind ("random", "heuristic", "script", …)',
            "additionalProperties": {"type": "string"},
        },
        "seed": {"type": "integer"},
        "rng": {
            "type": "object",
            "required": ["algorithm"],
            "properties": {"algorithm": {"type": "string", "examples": ["pcg32-xsh-rr"]}},
        },
        "turns_total": {"type": "integer", "description": "turns in the scenario"},
        "turn": {"type": "integer", "description": "the turn the game waits for (turns+1: over)"},
        "over": {"type": "boolean"},
        "parent": {
            "description": "for a what-if fork: the parent's file, game id and the fork's turn",
            "oneOf": [
                {"type": "null"},
                {
                    "type": "object",
                    "required": ["file", "game_id", "turn"],
                    "properties": {
                        "file": {"type": "string"},
                        "game_id": {"type": "string"},
                        "turn": {"type": "integer", "minimum": 1},
                    },
                    "additionalProperties": False,
                },
            ],
        },
        "content": {
            "type": "object",
            "description": "the exact scenario and rule texts the game was played with",
            "required": ["sha256", "scenario", "rules"],
            "properties": {
                "sha256": {**_HEX64, "description": "ContentSource.digest() of the texts"},
                "origin": {
                    "type": "object",
                    "description": "where the scenario lives now: a bundled id or a path",
                    "properties": {"bundled": {"type": "string"}, "path": {"type": "string"}},
                    "additionalProperties": False,
                },
                "scenario": {"$ref": "#/$defs/source_file"},
                "rules": {"type": "array", "items": {"$ref": "#/$defs/source_file"}},
            },
            "additionalProperties": False,
        },
        "turns": {"type": "array", "items": {"$ref": "#/$defs/turn"}},
        "pending": {
            "description": "orders submitted for the turn not yet resolved",
            "$ref": "#/$defs/orders",
        },
        "snapshot_every": {"type": "integer", "default": SNAPSHOT_EVERY},
        "snapshots": {
            "type": "array",
            "description": "full states after every `snapshot_every` turns, and the last",
            "items": {
                "type": "object",
                "required": ["resolved", "state"],
                "properties": {
                    "turn": {"type": "integer"},
                    "resolved": {"type": "integer", "minimum": 0},
                    "state": {"$ref": "#/$defs/state"},
                },
                "additionalProperties": False,
            },
        },
        "host": {
            "type": "object",
            "description": (
                "a game played at `wargame host`: the join codes' hashes, each seat's "
                "rationale and the umpire's control entries (wargame.host.table)"
            ),
            "required": ["codes"],
            "properties": {
                "table": {"type": "integer", "minimum": 1},
                "codes": {
                    "type": "object",
                    "description": 'role, "umpire" or "spectator" → "sha256:" hash of the code',
                    "additionalProperties": {"type": "string", "pattern": "^sha256:[0-9a-f]{64}$"},
                },
                "rationale": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["turn", "role", "text"],
                        "properties": {
                            "turn": {"type": "integer"},
                            "role": {"type": "string"},
                            "text": {"type": "string"},
                        },
                    },
                },
                "controls": {
                    "type": "array",
                    "description": "the umpire's interventions, each with its turn and kind",
                    "items": {
                        "type": "object",
                        "required": ["turn", "kind"],
                        "properties": {"turn": {"type": "integer"}, "kind": {"type": "string"}},
                    },
                },
            },
        },
        "agents": {
            "type": "object",
            "description": (
                "what the program and model seats (`wargame run --agent`) said: each turn's "
                "rationale, and each reply that could not be used (docs/agents.md)"
            ),
            "properties": {
                "rationale": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["turn", "role", "text"],
                        "properties": {
                            "turn": {"type": "integer"},
                            "role": {"type": "string"},
                            "text": {"type": "string"},
                        },
                    },
                },
                "errors": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["turn", "role", "message"],
                        "properties": {
                            "turn": {"type": "integer"},
                            "role": {"type": "string"},
                            "message": {"type": "string"},
                        },
                    },
                },
            },
        },
        "branches": {
            "type": "array",
            "description": "taken-back turns, kept: each left the game at from_turn",
            "items": {
                "type": "object",
                "required": ["from_turn", "turns"],
                "properties": {
                    "from_turn": {"type": "integer", "minimum": 1},
                    "turns": {"type": "array", "items": {"$ref": "#/$defs/turn"}},
                },
                "additionalProperties": False,
            },
        },
    },
    "additionalProperties": False,
    "$defs": {
        "value": _VALUE,
        "values": _VALUES,
        "order": _ORDER,
        "orders": _ORDERS,
        "turn": _TURN,
        "change": _CHANGE,
        "state": _STATE,
        "source_file": _SOURCE_FILE,
    },
}
