"""The `wargame` console script and `python -m wargame`.

Importing the commands takes a moment (~0.1 s); a Ctrl+C in it ends the command quietly with
130, as it does once a command runs, instead of a traceback from the middle of an import.
"""

from __future__ import annotations


def main() -> int:
    try:
        from wargame.cli.main import main as run
    except KeyboardInterrupt:
        return 130
    return run()
