"""The host's journal: a submit is one line of NAME.journal (on the disk before the ack), the
whole save is written after each turn; `--resume` plays the journal again after `kill -9`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest
from hosting import Client, codes_of

from wargame.host.journal import JournalError, read_journal

ROLES = ("washington", "tokyo", "seoul")


async def _play_turn(url: str, codes: dict[str, str], orders: dict[str, str]) -> None:
    async with aiohttp.ClientSession() as s:
        seats = [await Client.join(s, url, codes[r]) for r in orders]
        for c, order in zip(seats, orders.values(), strict=True):
            await c.send({"type": "orders", "orders": [order], "rationale": f"{c.role} says"})
            await c.expect("ack")


async def test_a_turn_resolved_just_before_kill_9_is_kept(hosted, tmp_path: Path) -> None:
    host = hosted("convenor", "--codes-file", "codes.json", "--save", "game.json")
    codes = codes_of(tmp_path / "codes.json")
    await _play_turn(host.url, codes, {"washington": "convene_trilateral",
                                       "tokyo": "attend_trilateral", "seoul": "pass"})
    await _play_turn(host.url, codes, {"tokyo": "pass"})  # turn 2: one seat so far
    host.kill9()
    entries = read_journal(tmp_path / "game.journal")
    assert [(e["kind"], e["turn"]) for e in entries] == [
        ("orders", 1), ("orders", 1), ("orders", 1), ("resolve", 1), ("orders", 2)]
    again = hosted("--resume", "game.json")
    async with aiohttp.ClientSession() as s:
        t = await Client.join(s, again.url, codes["tokyo"])
        turn = await t.expect("turn")
        assert (turn["turn"], turn["orders"]) == (2, ["pass"])
    again.stop()
    assert not (tmp_path / "game.journal").exists()  # a clean stop leaves it all in the save
    doc = json.loads((tmp_path / "game.json").read_text())
    assert doc["turns"][0]["orders"]["washington"] == [{"action": "convene_trilateral"}]
    assert doc["pending"] == {"tokyo": [{"action": "pass"}]}
    assert {(r["turn"], r["role"]) for r in doc["host"]["rationale"]} == {
        (1, "washington"), (1, "tokyo"), (1, "seoul"), (2, "tokyo")}
    verify = subprocess.run([sys.executable, "-m", "wargame", "replay", "game.json", "--verify"],
                            capture_output=True, text=True, cwd=tmp_path)
    assert verify.returncode == 0, verify.stdout


async def test_a_journal_that_does_not_fit_the_save_is_refused(hosted, tmp_path: Path) -> None:
    host = hosted("convenor", "--codes-file", "codes.json", "--save", "game.json")
    codes = codes_of(tmp_path / "codes.json")
    await _play_turn(host.url, codes, {"tokyo": "pass"})
    host.kill9()
    journal = tmp_path / "game.journal"
    entry = json.loads(journal.read_text().splitlines()[0])
    journal.write_text(json.dumps({**entry, "seq": 5}) + "\n")  # entries 1-4 are missing
    run = subprocess.run([sys.executable, "-m", "wargame", "host", "--resume", "game.json"],
                         capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert run.returncode == 2
    assert run.stderr.startswith("wargame: --resume game.json: the journal game.journal does "
                                 "not fit the saves (table 1: journal entry 5")
    assert "move it away" in run.stderr


def test_a_line_cut_short_at_the_end_is_left_out(tmp_path: Path) -> None:
    path = tmp_path / "g.journal"
    whole = '{"table": 1, "seq": 1, "kind": "orders"}\n'
    path.write_text(whole + '{"table": 1, "seq": 2, "ki')
    assert [e["seq"] for e in read_journal(path)] == [1]
    path.write_text('{"table": 1, "se\n' + whole)
    with pytest.raises(JournalError) as err:
        read_journal(path)
    assert str(err.value) == f"{path}:1: a damaged journal line"
    assert read_journal(tmp_path / "none.journal") == []

