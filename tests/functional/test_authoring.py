"""The scenario writer's kit as an author uses it: `wargame new`, `validate`, `lint`,
`test` and `calibrate`, and the format features they rest on (dates, tags, params,
overrides, the missing-variable message)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from wargame.cli import main

ROOT = Path(__file__).resolve().parents[2]
LINT_ME = ROOT / "tests" / "fixtures" / "authoring" / "lint-me.yaml"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def starter(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "scenarios" / "thaw-2024.yaml"
    code, _, err = run(capsys, "new", "scenario", str(path))
    assert code == 0 and "id thaw-2024" in err
    return path


def test_a_new_scenario_validates_and_lints_clean(
    starter: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "validate", str(starter))[0] == 0
    code, out, _ = run(capsys, "lint", str(starter))
    assert (code, out) == (0, "")
    text = starter.read_text()
    assert "sources:" in text and "targets:" in text and "date: 2024-Q2" in text
    assert "tokyo.leverage:" in text and "age.gsomia:" in text  # every core variable


def test_new_from_a_bundled_scenario_and_refusals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mine.yaml"
    assert run(capsys, "new", "scenario", str(path), "--from", "convenor")[0] == 0
    assert "id: mine" in path.read_text()
    assert run(capsys, "validate", str(path))[0] == 0
    code, _, err = run(capsys, "new", "scenario", str(path))
    assert code == 2 and "already exists" in err
    code, _, err = run(capsys, "new", "scenario", str(tmp_path / "x.yaml"), "--from", "convenr")
    assert code == 2 and "no bundled scenario 'convenr'" in err


def test_lint_names_each_thing_that_cannot_work(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "lint", str(LINT_ME))
    assert code == 1
    lines = out.splitlines()
    expected = [
        ("20:5", "sources line names 'seoul.favourability.tokyo'", "seoul.favorability.tokyo"),
        ("78:3", "flag 'fund_announced' is never read", ""),
        ("94:5", "reads ordered.tokyo.attend_trilateral, but events fire before orders", ""),
        ("101:5", "modifiers are never applied", ""),
        ("111:5", "'trade > 500' is always false", "between 0 and 200"),
        ("135:7", "'washington.met_at_end' is scored at_end but reads ordered.", ""),
        ("140:7", "'cohesion > 100' is always false", ""),
    ]
    assert len(lines) == len(expected)
    for line, (at, says, also) in zip(lines, expected, strict=True):
        assert line.startswith(f"{LINT_ME}:{at}: ") and says in line and also in line


def test_the_bundled_content_lints_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "lint", str(ROOT / "scenarios")) == (
        0,
        "",
        "ok: 2 scenarios linted, nothing to warn about\n",
    )


def test_validate_reads_orders_files_as_orders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The bundled folder holds the real moves: checked as orders, no bogus scenario errors.
    assert run(capsys, "validate", str(ROOT / "scenarios"))[0] == 0
    bad = tmp_path / "moves.yaml"
    bad.write_text("scenario: convenor\nturns:\n  - tokyo: [atend_trilateral]\n")
    code, out, _ = run(capsys, "validate", str(tmp_path))
    assert code == 1
    assert out.splitlines() == [
        f"{bad}:3:13: tokyo has no action 'atend_trilateral'; did you mean 'attend_trilateral'?"
    ]


def _scenario(tmp_path: Path, extra: str = "", old: str = "", new: str = "") -> Path:
    text = (ROOT / "scenarios" / "convenor.yaml").read_text()
    if old:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / "s.yaml"
    path.write_text(text + extra)
    return path


def test_a_date_outside_the_game_is_an_error_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _scenario(tmp_path, old="    turn: 3\n", new="    date: 2031-Q2\n")
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 1
    assert ":107:11: event 'nk_launch_september': date 2031-Q2 is outside the game " in out
    assert "(2021-Q1 to 2023-Q4, 12 turns)" in out


@pytest.mark.parametrize("month", ["2021-13", "2021-00", "2021-0"])
def test_a_month_that_is_no_month_is_an_error_not_a_silent_never(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], month: str
) -> None:
    path = _scenario(tmp_path, old="    turn: 3\n", new=f"    date: {month}\n")
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 1
    (line,) = out.splitlines()
    assert line.startswith(f"{path}:107:11: ")
    assert "a year and quarter (2023-Q3) or year and month (2023-08)" in line


def test_months_with_and_without_a_leading_zero_are_dates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for month in ("2021-4", "2021-04", "2021-12"):
        path = _scenario(tmp_path, old="    turn: 3\n", new=f"    date: {month}\n")
        assert run(capsys, "validate", str(path))[0] == 0, month


def test_a_missing_core_variable_is_one_message_at_the_scenarios_variables(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _scenario(
        tmp_path,
        old="  summit_fatigue: {start: 0, max: 10, text: Summits in a row without deliverables}\n",
    )
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 1
    (line,) = out.splitlines()
    assert line.startswith(f"{path}:43:1: the bundled rules read 'summit_fatigue' (core.yaml:")
    assert "add it under variables:" in line


def test_dates_schedule_events_like_turns(tmp_path: Path) -> None:
    from wargame.storage.content_loader import load_content

    path = _scenario(tmp_path, old="    turn: 3\n", new="    date: 2021-Q3\n")
    content = load_content(path)
    event = next(e for e in content.events if e.id == "nk_launch_september")
    assert event.turns == (3,)


CALIBRATE = ["calibrate", "low-water-mark", "--orders"]


def test_calibrate_the_bundled_scenarios(capsys: pytest.CaptureFixture[str]) -> None:
    for sid in ("low-water-mark", "convenor"):
        code, out, err = run(
            capsys, "calibrate", sid, "--orders", str(ROOT / "scenarios" / "record" / f"{sid}.yaml")
        )
        assert code == 0, out + err
        header, *rows = out.splitlines()
        assert header.split() == ["target", "when", "data", "model", "error", "tolerance"]
        assert rows and all(r.endswith(" ok") for r in rows)


def test_calibrate_fails_over_tolerance(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (ROOT / "scenarios" / "convenor.yaml").read_text()
    path = tmp_path / "scenarios" / "convenor.yaml"
    path.parent.mkdir()
    path.write_text(text.replace("    observed: 67\n", "    observed: 40\n"))
    orders = ROOT / "scenarios" / "record" / "convenor.yaml"
    code, out, err = run(capsys, "calibrate", str(path), "--orders", str(orders), "--runs", "2")
    assert code == 1
    assert "tokyo.favorability.washington  2021 Q2    40     68    +28         ±5  OVER" in out
    assert "1 of 2 targets over tolerance (2 runs)" in err


def test_wargame_test_runs_case_files_outside_the_repository(
    starter: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = starter.parent / "cases.yaml"
    cases.write_text(
        "cases:\n"
        "  - id: fund-warms-tokyo\n"
        "    says: the victims' fund warms Japanese opinion of Korea\n"
        "    scenario: thaw-2024.yaml\n"
        "    orders: {seoul: [compensation_fund]}\n"
        "    expect: ['d.tokyo.favorability.seoul > 0']\n"
        "  - id: fund-is-popular\n"
        "    says: a wrong claim\n"
        "    scenario: thaw-2024.yaml\n"
        "    orders: {seoul: [compensation_fund]}\n"
        "    expect: ['d.seoul.approval > 0']\n"
    )
    code, out, err = run(capsys, "test", str(cases))
    assert code == 1
    assert out.startswith(f"{cases}:7:5: FAIL fund-is-popular: expected d.seoul.approval > 0")
    assert "1 passed, 1 failed" in err
    assert run(capsys, "test", str(ROOT / "tests" / "cases"))[0] == 0


SUMMIT_RULES = """\
actions:
  attend_summit:
    who: [tokyo, seoul]
    cost: 0
    phase: convening
    tags: [meeting]
    text: Attend a leaders' summit in Washington.
    outcomes:
      - result: attended
        why: $actor came.
rules:
  approval_reverts:
    override: true
    phase: drift
    why: Approval stays where it is.
    effects:
      - add: {washington.approval: 0}
"""


def test_tags_params_and_overrides(tmp_path: Path) -> None:
    from wargame.engine.game import Game
    from wargame.engine.state import Order
    from wargame.storage.content_loader import ContentError, load_content

    (tmp_path / "summit.yaml").write_text(SUMMIT_RULES)
    path = _scenario(
        tmp_path,
        extra="params: {approval_anchor: 60}\n",
        old="rules: [core]",
        new="rules: [core, summit.yaml]",
    )
    content = load_content(path)
    game = Game(content, 1)
    report = game.resolve(
        {
            "washington": (Order("convene_trilateral"),),
            "tokyo": (Order("attend_summit"),),
            "seoul": (Order("attend_summit"),),
        }
    )
    # Core's convene_trilateral recognises the scenario's own meeting by its tag.
    results = {(o.role, o.action): o.result for o in report.outcomes}
    assert results[("washington", "convene_trilateral")] == "convened"
    # The override replaced core's approval drift (no approval_reverts.<role> rule fired).
    assert not any(r.id.startswith("approval_reverts.") for r in report.rules)
    assert any(r.id == "approval_reverts" for r in report.rules)

    shutil.copy(path, tmp_path / "t.yaml")
    bad = tmp_path / "t.yaml"
    bad.write_text(bad.read_text().replace("approval_anchor: 60", "aproval_anchor: 60"))
    with pytest.raises(ContentError) as err:
        load_content(bad)
    assert "unknown param 'aproval_anchor'" in str(err.value.problems[0])
    assert "did you mean 'approval_anchor'?" in str(err.value.problems[0])


def test_params_change_what_core_does(tmp_path: Path) -> None:
    from wargame.engine.game import Game
    from wargame.storage.content_loader import load_content

    base = load_content(ROOT / "scenarios" / "convenor.yaml")
    path = _scenario(tmp_path, extra="params: {commitment_fade: 0}\n")
    fixed = load_content(path)
    assert any(r.id == "commitment_fades" for r in Game(base, 1).resolve({}).rules)
    game = Game(fixed, 1)
    start = game.values()["us_commitment"]
    report = game.resolve({})
    faded = [c for c in report.trace if c.source_id == "commitment_fades"]
    assert not faded and report.after["us_commitment"] >= start - 3  # only events move it


def test_the_comma_trap_names_the_comma(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _scenario(
        tmp_path, old="      - add: {nk_threat: 12}", new="      - add: {nk_threat: min(8, 12)}"
    )
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 1
    first = out.splitlines()[0]
    assert first.startswith(f"{path}:94:29: in expression 'min(8': syntax error: '(' was never")
    assert "a ',' ends the value" in first and "put the expression in quotes" in first
