"""`wargame validate PATH...`: scenario and rule files, or folders of them."""

from __future__ import annotations

from pathlib import Path

from wargame.formats.yamlsrc import Problem, YamlError, load_yaml
from wargame.storage.content_loader import (
    ContentError,
    SourceFile,
    check_rules_file,
    compile_content,
    read_content,
)


def _is_scenario(path: Path, text: str) -> bool:
    try:
        data = load_yaml(text, str(path)).data
    except YamlError:
        return path.parent.name != "rules"
    if isinstance(data, dict):
        if "roles" in data or "variables" in data:
            return True
        if {"actions", "rules", "marks", "formulas"} & set(data):
            return False
    return path.parent.name != "rules"


def validate_paths(paths: list[Path]) -> tuple[list[Problem], int]:
    """Every problem in every file, deduplicated, and how many files were checked."""
    files: list[Path] = []
    problems: list[Problem] = []
    for p in paths:
        if p.is_dir():
            files += sorted(q for q in p.rglob("*") if q.suffix in (".yaml", ".yml"))
        elif p.is_file():
            files.append(p)
        else:
            problems.append(Problem(str(p), 1, 1, "no such file or folder"))
    seen_rules: set[Path] = set()
    for f in files:
        try:
            text = f.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            problems.append(Problem(str(f), 1, 1, f"cannot read: {err}"))
            continue
        if _is_scenario(f, text):
            try:
                source = read_content(f)
                compile_content(source)
                seen_rules.update(Path(r.name).resolve() for r in source.rules)
            except ContentError as err:
                problems += err.problems
        else:
            problems += check_rules_file(SourceFile(str(f), text))
    unique = sorted(set(problems), key=lambda p: (p.file, p.line, p.col, p.message))
    return unique, len(files)
