"""Big or odd content is refused or reported the way docs/limits.md says: problems cut to the
first 50 with a count, guesses among many names, limits of numbers, names and expressions."""

from __future__ import annotations

from pathlib import Path

import pytest

from wargame.cli.main import main
from wargame.formats.reader import Names
from wargame.storage.content_loader import (
    MAX_SHOWN,
    ContentError,
    ContentSource,
    SourceFile,
    compile_content,
)

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = (ROOT / "scenarios" / "convenor.yaml").read_text()
RULES = (ROOT / "rules" / "core.yaml").read_text()


def _error(scenario: str = SCENARIO, rules: str = RULES) -> ContentError:
    with pytest.raises(ContentError) as err:
        compile_content(
            ContentSource(SourceFile("s.yaml", scenario), (SourceFile("r.yaml", rules),))
        )
    return err.value


def _misspelt_rules(count: int) -> str:
    extra = "".join(
        f"  typo{i}: {{phase: drift, why: w, if: 'nk_thret > {i}', effects: []}}\n"
        for i in range(count)
    )
    assert "\nrules:\n" in RULES
    return RULES.replace("\nrules:\n", "\nrules:\n" + extra, 1)


def test_many_problems_show_the_first_50_then_how_many_more() -> None:
    rules = _misspelt_rules(120)
    err = _error(rules=rules)
    assert len(err.every) == 120
    assert len(err.problems) == MAX_SHOWN + 1 == 51
    first_line = rules.splitlines().index("rules:") + 2
    assert [p.line for p in err.problems] == list(range(first_line, first_line + 51))
    assert all(
        "unknown name 'nk_thret'; did you mean 'nk_threat'?" in p.message
        for p in err.problems[:MAX_SHOWN]
    )
    assert str(err.problems[-1]) == (
        f"r.yaml:{first_line + 50}:38: and 70 more problems from here on; fix the ones above first"
    )


def test_validate_prints_the_first_50_and_counts_them_all(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "r.yaml").write_text(_misspelt_rules(80))
    (tmp_path / "s.yaml").write_text(SCENARIO.replace("rules: [core", "rules: [r.yaml", 1))
    assert "rules: [r.yaml" in (tmp_path / "s.yaml").read_text()
    assert main(["validate", str(tmp_path / "s.yaml")]) == 1
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert len(lines) == 51 and lines[-1].endswith(
        ": and 30 more problems from here on; fix the ones above first"
    )
    assert err == "80 problems in 1 file\n"


def test_guesses_among_many_similar_names_still_find_the_typo() -> None:
    names = Names([f"region{i % 97}.index_{i}" for i in range(50_000)] + ["japan_rok.trust"])
    assert names.guess("japan_rok.trst") == "japan_rok.trust"
    assert names.guess("japn_rok.trust") == "japan_rok.trust"
    assert names.guess("region5.indx_5") == "region5.index_5"
    assert names.guess("regoin5.index_5") == "region5.index_5"
    assert names.guess("REGION5.INDEX_5") == "region5.index_5"
    assert names.guess("completely.different_thing") is None
    assert Names(["tokyo", "seoul"]).guess("tokio") == "tokyo"


BIG = "9" * 400  # overflows a float


@pytest.mark.parametrize(
    ("written", "message"),
    [
        (".inf", "value .inf is above the maximum 1e+12"),
        ("-.inf", "value -.inf is below the minimum -1e+12"),
        (BIG, "value 999999... (400 digits) is above the maximum 1e+12"),
        ("-" + BIG, "value -99999... (400 digits) is below the minimum -1e+12"),
        ("2.0e+12", "value 2e+12 is above the maximum 1e+12"),
    ],
)
def test_numbers_must_be_finite_and_at_most_1e12(written: str, message: str) -> None:
    scenario = SCENARIO.replace("nk_threat: {start: 45,", f"nk_threat: {{start: {written},", 1)
    line = SCENARIO.splitlines().index(
        "  nk_threat: {start: 45, text: Danger felt from North Korea}"
    ) + 1
    problems = [str(p) for p in _error(scenario=scenario).problems]
    assert problems[-1] == (
        f"s.yaml:{line}:22: variables.nk_threat.start: {message}; numbers must be finite, "
        "at most 1e12 in size"
    )
    # A number at all is kept, so its variable's own range may be reported too.
    assert problems[:-1] in ([], [f"s.yaml:{line}:22: start 2e+12 is outside nk_threat's range "
                                  "0–100"])


def test_a_huge_ai_weight_or_param_is_a_problem_not_a_crash() -> None:
    rules = RULES.replace("    ai: 0.25\n", f"    ai: {BIG}\n", 1)
    rules = rules.replace("\nparams:\n", "\nparams:\n  huge: .nan\n", 1)
    messages = [p.message for p in _error(rules=rules).problems]
    assert sorted(messages) == [
        f"actions.{_action_with(RULES, '    ai: 0.25')}.ai: value 999999... (400 digits) is "
        "above the maximum 1e+12; numbers must be finite, at most 1e12 in size",
        "params.huge: expected a number, found .nan (not a number)",
    ]


def _action_with(text: str, needle: str) -> str:
    """The id of the action whose block holds `needle`."""
    lines = text.splitlines()
    at = lines.index(needle)
    return next(x.strip(" :") for x in reversed(lines[:at]) if x.startswith("  ") and
                not x.startswith("   ") and x.endswith(":"))


def test_base_60_numbers_are_refused_at_the_value(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    scenario = SCENARIO.replace("nk_threat: {start: 45,", "nk_threat: {start: 190:20:30,", 1)
    (tmp_path / "s.yaml").write_text(scenario)
    assert main(["validate", str(tmp_path / "s.yaml")]) == 1
    line = scenario.splitlines().index(
        "  nk_threat: {start: 190:20:30, text: Danger felt from North Korea}"
    ) + 1
    assert capsys.readouterr().out == (
        f"{tmp_path / 's.yaml'}:{line}:22: '190:20:30' reads as a base-60 number in YAML; write "
        "the number, or put it in quotes if it is text\n"
    )


@pytest.mark.parametrize(
    "name",
    ["turn", "turns", "ordered.tokyo.pass", "tagged.seoul.meeting", "true", "min", "trade.in"],
)
def test_names_the_engine_or_expressions_use_cannot_be_declared(name: str) -> None:
    builtin = (
        f"key {name!r} must be a dotted name such as japan_rok.trust, and not one the engine "
        "provides (turn, turns, ordered.*, tagged.*), a word of expressions (true, false, min, "
        "max, clamp, abs, round, chance, ever, count, turns_since) or, in any part, a keyword "
        "such as if, in, or"
    )
    scenario = SCENARIO.replace("\nvariables:\n", f"\nvariables:\n  {name}: 3\n", 1)
    scenario = scenario.replace("\nflags:\n", f"\nflags:\n  {name}: true\n", 1)
    rules = RULES.replace("\nmarks:\n", f"\nmarks:\n  {name}: a mark\n", 1)
    problems = [str(p) for p in _error(scenario=scenario, rules=rules).problems]
    assert {
        f"r.yaml:{_line_of(rules, f'  {name}: a mark')}:3: marks: {builtin}",
        f"s.yaml:{_line_of(scenario, f'  {name}: 3')}:3: variables: {builtin}",
        f"s.yaml:{_line_of(scenario, f'  {name}: true')}:3: flags: {builtin}",
    } <= set(problems), problems


def _line_of(text: str, line: str) -> int:
    return text.splitlines().index(line) + 1


def test_turns_are_declared_once_and_documented_as_declared() -> None:
    from wargame.formats.content import MAX_TURNS
    from wargame.formats.jsonschema import schema_for

    assert schema_for("scenario")["properties"]["turns"]["maximum"] == MAX_TURNS == 400
    docs = (ROOT / "docs" / "content-format.md").read_text()
    assert f"| `turns` | yes | how many turns (1–{MAX_TURNS}) |" in docs
    problems = _error(scenario=SCENARIO.replace("\nturns: 12\n", "\nturns: 401\n", 1)).problems
    assert [p.message for p in problems] == ["turns: value 401 is above the maximum 400"]


def test_a_huge_whole_number_is_one_problem_at_its_value() -> None:
    # Whole-number fields (turns, points, cost) hold no float either: one message, no
    # follow-on problems from a stand-in value outside the game.
    scenario = SCENARIO.replace("\nturns: 12\n", f"\nturns: {BIG}\n", 1)
    assert scenario != SCENARIO
    assert [p.message for p in _error(scenario=scenario).problems] == [
        "turns: value 999999... (400 digits) is above the maximum 400"
    ]
