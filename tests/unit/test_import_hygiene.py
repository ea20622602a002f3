"""The engine is pure: importing it must not load the UI, YAML or storage layers."""

import subprocess
import sys

FORBIDDEN = ("textual", "rich", "yaml", "wargame.storage", "wargame.tui", "cattrs")


def test_engine_imports_no_ui_yaml_or_storage() -> None:
    code = (
        "import sys\n"
        "import wargame.engine.game, wargame.engine.bots, wargame.engine.resolve\n"
        "import wargame.engine.expr, wargame.engine.content, wargame.engine.rng\n"
        f"bad = [m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r} or "
        f"any(m.startswith(f) for f in {FORBIDDEN!r})]\n"
        "print(','.join(sorted(bad)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"engine loaded: {out.stdout.strip()}"


def test_headless_commands_do_not_load_textual() -> None:
    code = (
        "import sys\n"
        "from wargame.cli import main\n"
        "main(['validate', 'rules'])\n"
        "print('textual' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False"
