"""A scenario's `targets:` as calibration reads them: the turn each date falls on, and where
each target was written (the loader has already checked them when the scenario compiled)."""

from __future__ import annotations

from pathlib import Path

from wargame.authoring.calibrate import Target
from wargame.engine.content import Content
from wargame.formats.content import Scenario
from wargame.formats.reader import read_document
from wargame.formats.yamlsrc import load_yaml_file
from wargame.storage.content_loader import turn_of


def targets_of(path: Path, content: Content) -> list[Target]:
    """The targets of the scenario file at `path` (compiled as `content`)."""
    doc = load_yaml_file(path)
    spec, _ = read_document(doc, Scenario)
    out = []
    for i, t in enumerate(spec.targets):
        line, col = doc.positions.value(("targets", i))
        turn = t.turn if t.turn is not None else turn_of(
            (content.start_year, content.start_quarter), t.date or "")
        out.append(
            Target(
                t.value,
                turn or 1,
                t.observed,
                t.source,
                t.tolerance,
                f"{path}:{line}:{col}",
            )
        )
    return out
