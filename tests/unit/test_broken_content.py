"""Broken content gets clean FILE:LINE:COL problems, never a traceback.

Hypothesis mutates the bundled scenario and rules (deleted, duplicated or re-indented lines,
replaced tokens, typos, hostile expressions) a few hundred times; each must either load or
raise ContentError whose problems point inside the file."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wargame.storage.content_loader import (
    ContentError,
    ContentSource,
    SourceFile,
    compile_content,
)

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = (ROOT / "scenarios" / "convenor.yaml").read_text()
RULES = (ROOT / "rules" / "core.yaml").read_text()

HOSTILE = [
    "__import__('os')",
    "().__class__",
    "9**9**9",
    "lambda: 1",
    "[x for x in y]",
    "open('f')",
    "x.__dict__",
    "(",
    "1 +",
    "'text'",
    "{a: 1}",
    "nk_threat ** turn",
    "-",
    "",
    "twelve",
    "true",
    "null",
    "[1, 2]",
    "{}",
    "999999999999999999999",
    "1e999",
    ":",
    "- -",
    "\t",
    "&anchor",
    "*alias",
    "!!python/object:os.system",
    '"unterminated',
    "@",
    "%",
]


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, str]:
    which = draw(st.sampled_from(["scenario", "rules"]))
    lines = (SCENARIO if which == "scenario" else RULES).splitlines()
    i = draw(st.integers(0, len(lines) - 1))
    kind = draw(
        st.sampled_from(
            ["delete", "duplicate", "indent", "dedent", "token", "typo", "value", "truncate"]
        )
    )
    line = lines[i]
    if kind == "delete":
        del lines[i]
    elif kind == "duplicate":
        lines.insert(i, line)
    elif kind == "indent":
        lines[i] = " " * draw(st.integers(1, 3)) + line
    elif kind == "dedent":
        lines[i] = line.lstrip()
    elif kind == "token" and line.strip():
        j = draw(st.integers(0, len(line)))
        lines[i] = line[:j] + draw(st.sampled_from(HOSTILE)) + line[j:]
    elif kind == "typo" and len(line.strip()) > 2:
        j = draw(st.integers(0, len(line) - 1))
        lines[i] = line[:j] + draw(st.sampled_from("xz_.$:{}[]-")) + line[j + 1 :]
    elif kind == "value" and ": " in line:
        key = line.split(": ", 1)[0]
        lines[i] = f"{key}: {draw(st.sampled_from(HOSTILE))}"
    elif kind == "truncate":
        lines = lines[:i]
    return which, "\n".join(lines) + "\n"


# Heavy work, not waiting: ~20 s alone, 220 s under load 18 on 2 cores; the suite's 300 s
# guard against hangs would kill it on a busier machine.
@pytest.mark.timeout(1800)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_broken_content_gives_clean_problems(case: tuple[str, str]) -> None:
    which, text = case
    scenario = SourceFile("convenor.yaml", text if which == "scenario" else SCENARIO)
    rules = SourceFile("core.yaml", text if which == "rules" else RULES)
    try:
        compile_content(ContentSource(scenario, (rules,)))
    except ContentError as err:
        assert err.problems, "a ContentError must carry its problems"
        n_lines = {
            "convenor.yaml": scenario.text.count("\n") + 1,
            "core.yaml": rules.text.count("\n") + 1,
        }
        for p in err.problems:
            assert p.file in n_lines, p
            assert 1 <= p.line <= n_lines[p.file] + 1, p
            assert p.col >= 1 and p.message.strip(), p
            assert "Traceback" not in p.message


def _problems(scenario: str = SCENARIO, rules: str = RULES) -> list[str]:
    try:
        compile_content(
            ContentSource(SourceFile("s.yaml", scenario), (SourceFile("r.yaml", rules),))
        )
    except ContentError as err:
        return [str(p) for p in err.problems]
    return []


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def test_bundled_content_has_no_problems() -> None:
    assert _problems() == []


def test_unknown_key_gets_did_you_mean_at_the_key() -> None:
    rules = RULES.replace(
        "    cost: 2\n    phase: coercion\n    title: Export controls",
        "    coast: 2\n    phase: coercion\n    title: Export controls",
    )
    line = _line_of(rules, "coast: 2")
    problems = _problems(rules=rules)
    assert (
        f"r.yaml:{line}:5: actions.export_controls: "
        "unknown key 'coast' in action; did you mean 'cost'?"
        in problems
    )


def test_disallowed_expression_points_at_the_column() -> None:
    rules = RULES.replace("if: japan_rok.trust < 25", "if: japan_rok.trust < ().__class__", 1)
    line = _line_of(rules, "().__class__")
    problems = _problems(rules=rules)
    assert any(
        p.startswith(f"r.yaml:{line}:") and "attribute access is not allowed" in p for p in problems
    ), problems


def test_unknown_names_in_expressions_effects_and_text() -> None:
    rules = RULES.replace("if: nk_threat > 40", "if: nk_threat > 40 and convend", 1)
    good = "{japan_rok.trust: 3 * room, us_rok.trust: 4}"
    assert good in rules
    rules = rules.replace(good, "{japan_rok.trst: 3, us_rok.trust: 4}")
    problems = _problems(rules=rules)
    assert any("unknown name 'convend'; did you mean 'convened'?" in p for p in problems)
    assert any(
        "unknown variable 'japan_rok.trst'; did you mean 'japan_rok.trust'?" in p for p in problems
    )


def test_duplicate_keys_and_ids() -> None:
    scenario = SCENARIO.replace(
        "  tokyo.capital: {start: 3",
        "  tokyo.capital: {start: 2, text: x}\n  tokyo.capital: {start: 3",
    )
    scenario = scenario.replace("  - id: nk_launch_september", "  - id: nk_launch_march")
    problems = _problems(scenario=scenario)
    assert any("duplicate key 'tokyo.capital'" in p for p in problems)
    assert any("event id 'nk_launch_march' is used twice" in p for p in problems)


def test_unknown_roles_actions_and_out_of_range() -> None:
    rules = RULES.replace(
        "    who: [seoul]\n    cost: 2\n    phase: coercion",
        "    who: [soeul]\n    cost: 2\n    phase: coercion",
    )
    scenario = SCENARIO.replace("seoul.approval: {start: 40", "seoul.approval: {start: 140")
    scenario = scenario.replace(
        "points: 3\n      scored: at_end", "points: 3\n      scored: forever", 1
    )
    problems = _problems(scenario=scenario, rules=rules)
    assert any("unknown role 'soeul'; did you mean 'seoul'?" in p for p in problems)
    assert any("start 140 is outside seoul.approval's range 0–100" in p for p in problems)
    assert any("unknown scoring 'forever'" in p for p in problems), problems


def test_yaml_syntax_error_is_a_problem_not_a_traceback() -> None:
    problems = _problems(scenario=SCENARIO.replace("turns: 12", "turns: [12"))
    assert len(problems) >= 1 and problems[0].startswith("s.yaml:")


# Not a speed check (those are in benchmarks/): before the fix these never returned.
@pytest.mark.timeout(60)
def test_formulas_that_grow_exponentially_are_a_problem_not_a_hang() -> None:
    # Each formula uses the next four times: fully inlined, `a` would be 4**7 copies of `h`.
    chain = "abcdefgh"
    formulas = "".join(
        f'  {x}: "{" + ".join([nxt] * 4)}"\n' for x, nxt in itertools.pairwise(chain)
    ) + '  h: "nk_threat"\n'
    assert "\nformulas:\n" in RULES
    rules = RULES.replace("\nformulas:\n", "\nformulas:\n" + formulas, 1)
    rules = rules.replace("\n        if: gsomia\n", "\n        if: a > 0\n", 1)
    problems = _problems(rules=rules)
    line = _line_of(rules, "if: a > 0")
    assert problems == [
        f"r.yaml:{line}:13: in expression 'a > 0': its formulas make it longer than "
        "40000 characters"
    ]


@pytest.mark.timeout(60)
def test_a_rule_file_without_its_actions_key_is_reported_not_a_hang() -> None:
    # Deleting `actions:` makes every action a formula whose body is the action's text, and
    # each mentions others: inlining them once grew without bound (found by the test above).
    rules = RULES.replace("\nactions:\n", "\n", 1)
    problems = _problems(rules=rules)
    line = _line_of(rules, "  convene_trilateral:") + 1  # where its mapping starts
    assert problems[0] == (f"r.yaml:{line}:5: formulas.convene_trilateral: expected an "
                           "expression (text, a number or true/false), found a mapping")
