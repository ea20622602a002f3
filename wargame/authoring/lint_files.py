"""`wargame lint PATH...` over files: find the scenarios, compile them, lint each with the
positions of its own text (wargame.authoring.lint does the looking)."""

from __future__ import annotations

from pathlib import Path

from wargame.authoring.lint import lint_content
from wargame.authoring.targets import targets_of
from wargame.authoring.validate import file_kind, readable, yaml_files
from wargame.engine.content import SourceRef
from wargame.formats.yamlsrc import Problem, YamlError, in_order, load_yaml
from wargame.storage.content_loader import ContentError, load_content


def lint_paths(paths: list[Path]) -> tuple[list[Problem], int]:
    """Every warning in every scenario under `paths`, and how many scenarios were linted."""
    files, problems = yaml_files(paths)
    checked = 0
    for f, text in readable(files, problems):
        if file_kind(f, text) != "scenario":
            continue
        checked += 1
        problems += lint_file(f, text)
    return in_order(problems), checked


def lint_file(path: Path, text: str) -> list[Problem]:
    try:
        content = load_content(path)
    except ContentError as err:
        return list(err.problems)
    try:
        doc = load_yaml(text, str(path))
    except YamlError as err:
        return list(err.problems)
    file = str(path)
    out: list[Problem] = []

    def at(path_: tuple[str | int, ...], key: bool = False) -> SourceRef | None:
        try:
            line, col = doc.positions.key(path_) if key else doc.positions.value(path_)
        except (KeyError, IndexError, TypeError):
            return None
        return SourceRef(file, line, col)

    def warn(where: SourceRef | None, message: str) -> None:
        if where is None:
            out.append(Problem(file, 1, 1, message))
        else:
            out.append(Problem(where.file, where.line, where.col, message))

    flags = doc.data.get("flags", {}) if isinstance(doc.data, dict) else {}

    def variable_at(name: str) -> SourceRef | None:
        section = "flags" if isinstance(flags, dict) and name in flags else "variables"
        return at((section, name), key=True)

    targets = targets_of(path, content)
    lint_content(
        content, warn, variable_at, lambda i: at(("sources", i)), [t.value for t in targets]
    )
    return out
