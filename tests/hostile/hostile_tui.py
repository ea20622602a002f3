"""The terminal game with a hostile save folder, driven by Textual's Pilot: `python
hostile_tui.py FOLDER MIB` prints one JSON line — whether the title screen came up, how many
rows the load screen lists, and any control character or markup error on the way.
Run as its own process so its memory can be capped like every other hostile input."""

from __future__ import annotations

import asyncio
import json
import resource
import sys
from pathlib import Path


async def drive(folder: Path) -> dict[str, object]:
    from textual.widgets import DataTable

    from wargame.tui.app import WargameApp
    from wargame.tui.replay.load_screen import LoadScreen
    from wargame.tui.screens.title import TitleScreen

    app = WargameApp(save_folder=folder, seed=1)
    app.animation_level = "none"
    out: dict[str, object] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        out["title"] = isinstance(app.screen, TitleScreen)
        await pilot.press("l")
        await pilot.pause()
        out["load_screen"] = isinstance(app.screen, LoadScreen)
        table = app.screen.query_one(DataTable)
        out["rows"] = table.row_count
        cells = [str(c) for r in range(table.row_count) for c in table.get_row_at(r)]
        out["controls"] = sorted({c for cell in cells for c in cell
                                  if ord(c) < 0x20 or 0x80 <= ord(c) < 0xA0})
        # open each damaged one: refused with a notice, the game goes on
        for _ in range(min(table.row_count, 15)):
            await pilot.press("enter")
            await pilot.pause()
            if not isinstance(app.screen, LoadScreen):
                await pilot.press("escape")
                await pilot.pause()
            await pilot.press("down")
        out["still_running"] = app.is_running
    return out


def main() -> None:
    folder, mib = Path(sys.argv[1]), int(sys.argv[2])
    resource.setrlimit(resource.RLIMIT_AS, (mib << 20, mib << 20))
    print(json.dumps(asyncio.run(drive(folder))))


if __name__ == "__main__":
    main()
