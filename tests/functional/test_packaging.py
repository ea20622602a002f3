"""The wheel carries the bundled scenarios and rules, and an installed copy finds them."""

from __future__ import annotations

import posixpath
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_wheel_ships_bundled_content_and_finds_it(tmp_path: Path) -> None:
    # --no-build-isolation: hatchling is a dev dependency, so this needs no network.
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    # The distribution's own name: "wargame" on the public index is another program.
    wheel = next(tmp_path.glob("trilateral_wargame-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for f in [*ROOT.glob("scenarios/*.yaml"), *ROOT.glob("rules/*.yaml")]:
        assert f"wargame/_content/{f.parent.name}/{f.name}" in names, f
        # The editor hint on its first line points at a schema shipped in the wheel too.
        hint = f.read_text(encoding="utf-8").splitlines()[0].split("$schema=", 1)[1]
        target = posixpath.normpath(f"wargame/_content/{f.parent.name}/{hint}")
        assert target in names, (f, target)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "wargame = wargame.entry:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
    # Unpacked outside the checkout, the package finds its own copy of the content.
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "from wargame.paths import content_dir, find_scenario; "
            "print(content_dir('rules')); print(find_scenario('convenor'))",
        ],
        cwd=tmp_path,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    rules_dir, scenario = out.stdout.splitlines()
    assert rules_dir.startswith(str(site)) and scenario.startswith(str(site))
