"""Text from files (scenario titles, a save's fields) never reaches the terminal as escapes,
and lone surrogates never crash a command: what comes in with control characters is refused
with FILE:LINE:COL or as a damaged save; what is shown is escaped (`\\x1b`, `\\u202e`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from edited_saves import edited

from wargame.formats.untrusted import printable
from wargame.storage.save_format import sign_bytes

ROOT = Path(__file__).resolve().parents[2]
CONVENOR = (ROOT / "scenarios" / "convenor.yaml").read_text(encoding="utf-8")


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "wargame", *args], capture_output=True,
                          text=True, encoding="utf-8", errors="surrogateescape", cwd=cwd,
                          env={**os.environ}, check=False)


def _raw_controls(text: str) -> list[str]:
    return [c for c in text if (ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) < 0xA0
            or 0x202A <= ord(c) <= 0x202E]


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("saves") / "game.json"
    proc = _cli("run", "convenor", "--turns", "3", "--save", str(path))
    assert proc.returncode == 0, proc.stderr
    return path


def _edited(saved: Path, tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    return edited(saved, tmp_path / "edited.json", change)


def test_printable_escapes_what_a_terminal_acts_on() -> None:
    hostile = "a\x1b]0;PWN\x07b\x9b2J\u202e\ud800\x7f\tc\nd"
    assert printable(hostile) == "a\\x1b]0;PWN\\x07b\\u009b2J\\u202e\\ud800\\u007f\\x09c\\x0ad"
    assert printable(hostile, lines=True).endswith("\tc\nd")
    assert printable("Sōgō · 日本 — ok") == "Sōgō · 日本 — ok"


def test_a_scenario_title_with_an_escape_is_refused_where_it_is_written(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(CONVENOR.replace("title: The Convenor", 'title: "\\e]0;PWN\\aThe Convenor"'))
    proc = _cli("validate", str(bad))
    assert proc.returncode == 1
    assert proc.stdout == (
        f"{bad}:3:8: control character U+001B in text: terminals act on these; remove it\n"
    )
    assert proc.stderr == "1 problem in 1 file\n"


def test_list_shows_a_title_with_a_bidi_override_escaped(tmp_path: Path) -> None:
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "rtl.yaml").write_text(
        CONVENOR.replace("id: convenor", "id: rtl").replace(
            "title: The Convenor", "title: \"Evil \u202etxt.exe\""), encoding="utf-8")
    (tmp_path / "scenarios" / "esc.yaml").write_text(
        CONVENOR.replace("id: convenor", "id: esc").replace(
            "title: The Convenor", 'title: "\\e[2J"'), encoding="utf-8")
    proc = _cli("list", cwd=tmp_path)
    assert proc.returncode == 0
    rtl = [ln for ln in proc.stdout.splitlines() if ln.startswith("rtl ")]
    assert len(rtl) == 1 and "Evil \\u202etxt.exe" in rtl[0]
    assert proc.stderr == (
        "scenarios/esc.yaml: does not load (1 problems; run wargame validate)\n"
    )
    assert not _raw_controls(proc.stdout)
    listed = [json.loads(x) for x in _cli("list", "--json", cwd=tmp_path).stdout.splitlines()]
    assert {"id": "rtl", "title": "Evil \u202etxt.exe"}.items() <= listed[-1].items()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(title="\x1b]0;PWNED\x07\x1b[2J"),
         'the file is damaged or was edited: control character U+001B in "title"'),
        (lambda d: d["seats"].update(tokyo="\x9b31m"),
         'the file is damaged or was edited: control character U+009B in "seats.tokyo"'),
        (lambda d: d.update(title="T\ud800"),
         'the file is damaged or was edited: a lone surrogate (U+D800, not a character) in '
         '"title"'),
        (lambda d: d["content"]["scenario"].update(name="x\udfff.yaml"),
         "the file is damaged or was edited: a lone surrogate (U+DFFF, not a character) in "
         '"content.scenario.name"'),
        (lambda d: d["turns"][0].update(label="Q\ud800"),
         "the file is damaged or was edited: a lone surrogate (U+D800, not a character) in "
         '"turns[0].label"'),
    ],
    ids=["escape-in-title", "c1-in-seat", "surrogate-in-title", "surrogate-in-scenario-name",
         "surrogate-in-label"],
)
@pytest.mark.parametrize(
    "command", [["report"], ["report", "--format", "json"], ["replay", "--verify"],
                ["replay", "--with-current-rules"]],
    ids=["report", "report-json", "verify", "current-rules"],
)
def test_hostile_text_in_a_save_is_a_damaged_save(
    saved: Path, tmp_path: Path, change: Callable[[dict[str, Any]], None], message: str,
    command: list[str],
) -> None:
    path = _edited(saved, tmp_path, change)
    proc = _cli(command[0], str(path), *command[1:])
    assert (proc.returncode, proc.stdout) == (1, "")
    assert proc.stderr == f"wargame: {path}: {message}\n"


def test_free_text_from_an_agent_is_kept_in_the_file_and_escaped_on_the_terminal(
    saved: Path, tmp_path: Path
) -> None:
    why = {"turn": 1, "role": "tokyo", "text": "why \x1b]0;PWN\x07 \u202e"}
    path = _edited(saved, tmp_path, lambda d: d.update(host={"codes": {}, "rationale": [why]}))
    proc = _cli("report", str(path))
    assert proc.returncode == 0, proc.stderr
    assert "why \\x1b]0;PWN\\x07 \\u202e" in proc.stdout
    assert not _raw_controls(proc.stdout)


def test_a_file_name_with_an_escape_is_escaped_in_messages(tmp_path: Path) -> None:
    path = tmp_path / "\x1b]0;PWN\x07.json"
    path.write_text("{}")
    proc = _cli("report", str(path))
    assert proc.returncode == 1
    assert proc.stderr == (
        f"wargame: {tmp_path}/\\x1b]0;PWN\\x07.json: the file is not a wargame save "
        '(no "format": "wargame-save")\n'
    )


def test_raw_c1_and_del_in_a_save_are_found_too(saved: Path, tmp_path: Path) -> None:
    # JSON may hold DEL and C1 characters unescaped (C0 only as escapes): both are refused.
    doc = json.loads(saved.read_text(encoding="utf-8"))
    doc["title"] = "x\x9b2J\x7f"
    doc["checksum"] = "sha256:" + "0" * 64
    path = tmp_path / "raw.json"
    path.write_bytes(sign_bytes(json.dumps(doc, ensure_ascii=False).encode()))
    assert "\x9b".encode() in path.read_bytes()
    proc = _cli("report", str(path))
    assert (proc.returncode, proc.stdout) == (1, "")
    assert proc.stderr == (
        f'wargame: {path}: the file is damaged or was edited: control character U+009B in "title"\n'
    )
