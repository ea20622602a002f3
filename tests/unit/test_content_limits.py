"""Big or odd content is refused or reported the way docs/limits.md says: problems cut to the
first 50 with a count, guesses among many names, limits of numbers, names and expressions."""

from __future__ import annotations

from pathlib import Path

import pytest

from wargame.cli.main import main
from wargame.formats.reader import Names, did_you_mean
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
    assert did_you_mean("tokio", ["tokyo", "seoul"]) == "tokyo"
