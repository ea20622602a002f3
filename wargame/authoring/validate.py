"""`wargame validate PATH...`: scenario and rule files, or folders of them."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from wargame.formats.files import shown, why
from wargame.formats.yamlsrc import Problem, YamlError, in_order, load_yaml, read_source
from wargame.storage.content_loader import (
    ContentError,
    SourceFile,
    check_rules_file,
    compile_content,
    parse,
    read_content,
)


def file_kind(path: Path, text: str) -> str:
    """What a YAML file holds, from its keys: "scenario", "rules", "orders" (scripted turns
    for `wargame run` and `wargame calibrate`) or "cases" (for `wargame test`)."""
    doc = parse(SourceFile(str(path), text))
    data = None if isinstance(doc, YamlError) else doc.data
    if isinstance(data, dict):
        if "roles" in data or "variables" in data:
            return "scenario"
        if {"actions", "rules", "marks", "formulas", "params"} & set(data):
            return "rules"
        if "cases" in data:
            return "cases"
        if isinstance(data.get("turns"), list) and not {"id", "title"} & set(data):
            return "orders"
    return "rules" if path.parent.name == "rules" else "scenario"


def check_orders_file(path: Path, text: str) -> list[Problem]:
    """An orders file checked as orders: against its `scenario:` if it names one (a bundled
    id or a path from the file's folder), else against the default scenario's rules without
    the turn count."""
    from wargame.paths import find_scenario
    from wargame.storage.content_loader import load_content
    from wargame.storage.orders_file import parse_orders, scenario_named

    named = scenario_named(text, str(path))
    scenario = None
    if named is not None:
        scenario = find_scenario(named)
        if scenario is None and os.path.exists(path.parent / named):
            scenario = path.parent / named
        if scenario is None:
            return [Problem(str(path), 1, 1, f"scenario: no scenario {named!r}")]
    try:
        content = load_content(scenario or find_scenario("convenor") or Path("convenor"))
        parse_orders(text, str(path), content, check_length=scenario is not None)
    except ContentError as err:
        return list(err.every)
    return []


def check_cases_file(path: Path, text: str) -> list[Problem]:
    """A scenario case file's shape (`wargame test` runs it)."""
    from wargame.formats.cases import RuleCaseFile
    from wargame.formats.reader import read_document

    try:
        doc = load_yaml(text, str(path))
    except YamlError as err:
        return list(err.problems)
    return read_document(doc, RuleCaseFile)[1]


MAX_WALK = 50_000
"""Files and folders looked at under one folder named to validate, lint or test (`validate /`)."""


def yaml_files(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    """The files named, and every *.yaml/*.yml under the folders named; a missing path is a
    problem. `validate`, `lint` and `test` all look for their files this way."""
    files: list[Path] = []
    problems: list[Problem] = []
    for p in paths:
        try:
            folder = stat.S_ISDIR(os.stat(p).st_mode)
        except OSError as err:
            missing = err.errno == errno.ENOENT
            problems.append(Problem(shown(str(p)), 1, 1,
                                    "no such file or folder" if missing else why(err)))
            continue
        if not folder:
            files.append(p)  # anything but a regular file is refused when read
            continue
        found, seen = [], 0
        for top, _, names in os.walk(p):  # os.walk does not follow links to folders: no loops
            seen += len(names) + 1
            if seen > MAX_WALK:
                problems.append(Problem(shown(str(p)), 1, 1, f"more than {MAX_WALK:,} files "
                                        "in this folder: name the folder of your scenarios"))
                break
            found += [Path(top, n) for n in names if n.endswith((".yaml", ".yml"))]
        found.sort()
        if not found and seen <= MAX_WALK:
            problems.append(Problem(str(p), 1, 1, "no .yaml or .yml files in this folder: "
                                    "nothing to check"))
        files += found
    return files, problems


def readable(files: list[Path], problems: list[Problem]) -> Iterator[tuple[Path, str]]:
    """Each file with its text; one that cannot be read adds its problems instead."""
    for f in files:
        try:
            yield f, read_source(f)
        except YamlError as err:
            problems += err.problems


def validate_paths(paths: list[Path]) -> tuple[list[Problem], int]:
    """Every problem in every file, deduplicated, and how many files were checked."""
    files, problems = yaml_files(paths)
    seen_rules: set[Path] = set()
    for f, text in readable(files, problems):
        kind = file_kind(f, text)
        if kind == "orders":
            problems += check_orders_file(f, text)
        elif kind == "cases":
            problems += check_cases_file(f, text)
        elif kind == "scenario":
            try:
                source = read_content(f)
                compile_content(source)
                seen_rules.update(Path(r.name).resolve() for r in source.rules)
            except ContentError as err:
                problems += err.every
        else:
            problems += check_rules_file(SourceFile(str(f), text))
    return in_order(problems), len(files)
