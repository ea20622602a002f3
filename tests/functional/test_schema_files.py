"""The JSON Schemas committed under docs/schema/ (named by the bundled YAML's
`# yaml-language-server: $schema=` comments) must match what `wargame schema` prints."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wargame.formats.jsonschema import schema_for

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("kind", ["scenario", "rules", "save"])
def test_committed_schema_is_current(kind: str) -> None:
    committed = json.loads((ROOT / "docs" / "schema" / f"{kind}.json").read_text())
    assert committed == schema_for(kind), (
        f"docs/schema/{kind}.json is stale: run `wargame schema {kind} > docs/schema/{kind}.json`"
    )


def test_bundled_yaml_names_its_schema() -> None:
    for path in [*ROOT.glob("scenarios/*.yaml"), *ROOT.glob("rules/*.yaml")]:
        first = path.read_text().splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=../docs/schema/"), path
        target = (path.parent / first.split("$schema=", 1)[1]).resolve()
        assert target.is_file(), target
