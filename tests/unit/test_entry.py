"""A Ctrl+C while `wargame` is still importing its commands ends it quietly, like one later."""

from __future__ import annotations

import subprocess
import sys

# An import hook stands in for the Ctrl+C: it raises KeyboardInterrupt where the real one
# would land, inside the import of the commands.
INTERRUPTED_IMPORT = """
import sys
class Interrupt:
    def find_spec(self, name, path=None, target=None):
        if name == "wargame.cli.main":
            raise KeyboardInterrupt
        return None
sys.meta_path.insert(0, Interrupt())
from wargame.entry import main
raise SystemExit(main())
"""


def test_ctrl_c_while_importing_is_exit_130_without_a_traceback() -> None:
    done = subprocess.run([sys.executable, "-c", INTERRUPTED_IMPORT, "list"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 130
    assert done.stderr == "" and done.stdout == ""


def test_the_entry_runs_the_command() -> None:
    done = subprocess.run([sys.executable, "-m", "wargame", "--version"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip()
