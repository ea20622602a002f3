"""`wargame schema [scenario|rules|save]`: the JSON Schema of a file format."""

from __future__ import annotations

import argparse
import json
from typing import Any

from wargame.cli import output


def add(sub: Any) -> None:
    sch = sub.add_parser(
        "schema",
        help="JSON Schema for editors and tools",
        description="Print the JSON Schema of a file format (for yaml-language-server, etc.).",
        epilog="examples:\n  wargame schema > scenario.schema.json\n  wargame schema rules\n"
        "  wargame schema save",
    )
    sch.add_argument("kind", nargs="?", default="scenario", choices=["scenario", "rules", "save"],
                     help="which format: scenario (default), rules or save")
    sch.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from wargame.formats.jsonschema import schema_for

    output.line(json.dumps(schema_for(args.kind), indent=2, ensure_ascii=False))
    return 0
