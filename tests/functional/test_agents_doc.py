"""The tiny agent in docs/agents.md works as the guide says."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_guides_tiny_agent_plays_a_whole_game(tmp_path: Path) -> None:
    guide = (ROOT / "docs" / "agents.md").read_text()
    code = re.search(r"<!-- example: tiny_agent.py -->\n```python\n(.*?)```", guide, re.S)
    assert code is not None
    script = tmp_path / "tiny_agent.py"
    script.write_text(code.group(1))
    save = tmp_path / "tiny.json"
    out = subprocess.run(
        [sys.executable, "-m", "wargame", "run", "convenor",
         "--agent", f"tokyo={sys.executable} {script}",
         "--bot", "washington=heuristic", "--bot", "seoul=heuristic",
         "--save", str(save), "--agent-log", str(tmp_path / "logs")],
        capture_output=True, text=True, timeout=120,
    )
    assert out.returncode == 0, out.stderr
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(lines) == 12 and "error" not in json.dumps([x["agents"] for x in lines])
    assert all(x["agents"]["tokyo"]["rationale"].startswith("cooperate, keep") for x in lines)
    assert any("attend_trilateral" in x["orders"].get("tokyo", []) or
               "bilateral_talks" in x["orders"].get("tokyo", []) for x in lines)
    log = next((tmp_path / "logs").glob("tokyo-*.log")).read_text()
    assert "final scores:" in log
    assert save.is_file()
