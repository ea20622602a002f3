"""The rule-case table (tests/cases/*.yaml): each essay dynamic as data, checked against a
counterfactual run with the bundled rules, by the same runner as `wargame test`
(wargame.authoring.cases). See tests/cases/README.md for the format."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from wargame.authoring.cases import read_cases, run_case, scenario_for
from wargame.engine.content import Content
from wargame.formats.cases import RuleCase, RuleCaseFile
from wargame.formats.reader import read_document
from wargame.formats.yamlsrc import load_yaml
from wargame.storage.content_loader import load_content

CASES = Path(__file__).resolve().parents[1] / "cases"


def _all_cases() -> list[tuple[str, Path, RuleCase]]:
    out = []
    for path in sorted(CASES.glob("*.yaml")):
        cases, problems = read_cases(path)
        assert not problems, "\n".join(str(p) for p in problems)
        for case, _ in cases:
            out.append((f"{path.stem}::{case.id}", path, case))
    return out


@cache
def _content(path: Path) -> Content:
    return load_content(path)


@pytest.mark.parametrize(
    ("path", "case"), [(p, c) for _, p, c in _all_cases()], ids=[i for i, _, _ in _all_cases()]
)
def test_rule_case(path: Path, case: RuleCase) -> None:
    scenario = scenario_for(case, path)
    assert scenario is not None, case.scenario
    failures = run_case(case, _content(scenario))
    assert not failures, f"{case.id}: " + "; ".join(failures)


def test_a_misspelt_key_in_a_case_file_is_an_error_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        "cases:\n  - id: X\n    says: s\n    scenario: convenor\n"
        "    orders: {}\n    expect: []\n    baseline_result: {seoul.boycott: started}\n"
    )
    _, problems = read_document(load_yaml(path.read_text(), str(path)), RuleCaseFile)
    assert [str(p) for p in problems] == [
        f"{path}:7:5: cases[0]: unknown key 'baseline_result' in rule case; "
        "did you mean 'baseline_results'?"
    ]


def test_table_covers_every_required_dynamic() -> None:
    ids = {i.split("::")[1].split("-")[0] for i, _, _ in _all_cases()}
    assert {"C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9", "C10", "C11"} <= ids
