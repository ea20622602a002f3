"""The `wargame` command: one module per command, assembled into one parser by `main.py`.

To add a command, write `wargame/cli/<name>.py` with `add(sub)` registering its parser (and
`set_defaults(func=...)`), then list it in `main.COMMANDS`."""

from wargame.cli.common import ROLES, UsageError, bot_specs, check_roles, load_scenario
from wargame.cli.main import build_parser, main

__all__ = [
    "ROLES",
    "UsageError",
    "bot_specs",
    "build_parser",
    "check_roles",
    "load_scenario",
    "main",
]
