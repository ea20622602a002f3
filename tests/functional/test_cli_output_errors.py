"""Output errors are answered as Unix tools answer them: a reader that went away
(`| head -1`) is silence and exit 0; a full disk (here a file size limit of 0: EFBIG) or a
closed stdout (`>&-`) is one line on stderr and exit 1. Never a traceback."""

from __future__ import annotations

import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FULL = "wargame: cannot write to standard output: File too large\n"
CLOSED = "wargame: cannot write to standard output: standard output is closed\n"


def _full_disk() -> None:
    """In the child: every write to a file fails with EFBIG, as on a full disk (never by
    writing to /dev/full, which a test must not touch)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))


@pytest.fixture(scope="module")
def save(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("out") / "game.json"
    subprocess.run([sys.executable, "-m", "wargame", "run", "convenor", "--turns", "2",
                    "--save", str(path)], capture_output=True, check=True, cwd=ROOT)
    return str(path)


COMMANDS = {
    "list": ["list"],
    "list-json": ["list", "--json"],
    "run": ["run", "convenor", "--turns", "2"],
    "report-md": ["report", "SAVE"],
    "report-json": ["report", "SAVE", "--format", "json"],
    "report-csv": ["report", "SAVE", "--format", "csv"],
    "verify": ["replay", "SAVE", "--verify"],
    "current-rules": ["replay", "SAVE", "--with-current-rules"],
    "schema": ["schema", "scenario"],
    "completion": ["completion", "bash"],
}


def _args(name: str, save: str) -> list[str]:
    return [save if a == "SAVE" else a for a in COMMANDS[name]]


@pytest.mark.parametrize("name", COMMANDS)
def test_a_reader_that_went_away_is_silence_and_exit_0(name: str, save: str) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "wargame", *_args(name, save)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # before the first write: every write meets a closed pipe
    err = proc.stderr.read().decode()
    assert (proc.wait(), err) == (0, "")


@pytest.mark.parametrize("name", COMMANDS)
def test_a_full_disk_is_one_line_and_exit_1(name: str, save: str, tmp_path: Path) -> None:
    with open(tmp_path / "out", "w") as out:
        proc = subprocess.run([sys.executable, "-m", "wargame", *_args(name, save)],
                              stdout=out, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                              preexec_fn=_full_disk, check=False)
    assert (proc.returncode, proc.stderr) == (1, FULL)


@pytest.mark.parametrize("name", COMMANDS)
def test_a_closed_stdout_is_one_line_and_exit_1(name: str, save: str) -> None:
    proc = subprocess.run(["sh", "-c", 'exec "$0" "$@" >&-', sys.executable, "-m", "wargame",
                           *_args(name, save)], capture_output=True, text=True, cwd=ROOT,
                          check=False)
    assert (proc.returncode, proc.stderr) == (1, CLOSED)


def test_run_with_a_closed_stdout_never_writes_its_lines_into_the_save(tmp_path: Path) -> None:
    # With fd 1 closed, the next file opened would get number 1; the save must stay a save.
    path = tmp_path / "game.json"
    proc = subprocess.run(["sh", "-c", 'exec "$0" "$@" >&-', sys.executable, "-m", "wargame",
                           "run", "convenor", "--turns", "2", "--save", str(path)],
                          capture_output=True, text=True, cwd=ROOT, check=False)
    assert (proc.returncode, proc.stderr) == (1, CLOSED)
    assert not path.exists() or path.read_text().startswith("{\n")


def test_simulate_summary_into_a_full_disk_or_closed_stdout(tmp_path: Path) -> None:
    args = [sys.executable, "-m", "wargame", "simulate", "convenor", "--runs", "2"]
    with open(tmp_path / "out", "w") as out:
        proc = subprocess.run(args, stdout=out, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                              preexec_fn=_full_disk, check=False)
    assert (proc.returncode, proc.stderr) == (
        1, "wargame: cannot write the summary: File too large\n")
    proc = subprocess.run(["sh", "-c", 'exec "$0" "$@" >&-', *args], capture_output=True,
                          text=True, cwd=ROOT, check=False)
    assert (proc.returncode, proc.stderr) == (
        1, "wargame: cannot write the summary: standard output is closed\n")
