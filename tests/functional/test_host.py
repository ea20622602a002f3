"""`wargame host`: a real host on 127.0.0.1 and scripted WebSocket seats play whole games."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import aiohttp
import jsonschema
from hosting import ROOT, Client, codes_of

from wargame.formats.jsonschema import schema_for

ROLES = ("washington", "tokyo", "seoul")


def _verify(save: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "wargame", "replay", str(save), "--verify"],
                          capture_output=True, text=True, cwd=ROOT)


def _report(save: Path) -> str:
    run = subprocess.run([sys.executable, "-m", "wargame", "report", str(save)],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    return run.stdout


async def test_a_whole_game_over_websockets(hosted, tmp_path: Path) -> None:
    host = hosted("convenor", "--codes-file", "codes.json", "--save", "game.json")
    codes = codes_of(tmp_path / "codes.json")
    assert set(codes) == {*ROLES, "umpire", "spectator"}
    assert all(len(c) >= 22 for c in codes.values())  # >= 128 bits, URL-safe base64
    async with aiohttp.ClientSession() as s:
        seats = {r: await Client.join(s, host.url, codes[r]) for r in ROLES}
        umpire = await Client.join(s, host.url, codes["umpire"])
        watcher = await Client.join(s, host.url, codes["spectator"])
        await umpire.expect("umpire")
        await watcher.expect("view")
        turns = 0
        while True:
            asks = {r: await c.expect("turn") for r, c in seats.items()}
            for r, ask in asks.items():
                assert ask["role"] == r
                # a seat sees its own capital and nobody else's
                assert f"{r}.capital" in ask["view"]["values"]
                assert not [k for k in ask["view"]["values"]
                            if k.endswith(".capital") and k != f"{r}.capital"]
            for r, c in seats.items():
                legal = asks[r]["legal"]
                pick = next((o["order"] for o in legal if o["order"] != "pass"), "pass")
                await c.send({"type": "orders", "orders": [pick],
                              "rationale": f"{r} thinks {pick} is wise"})
                ack = await c.expect("ack")
                assert ack["orders"] == [pick]
            reports = {r: await c.expect("report") for r, c in seats.items()}
            turns += 1
            for r, rep in reports.items():
                assert rep["turn"] == turns
                assert set(rep["report"]["orders"]) == set(ROLES)
                assert not [k for k in rep["report"]["values"]
                            if k.endswith(".capital") and k != f"{r}.capital"]
            seen_by_watcher = await watcher.expect("report")
            assert not [k for k in seen_by_watcher["report"]["values"] if k.endswith(".capital")]
            umpire_report = await umpire.expect("report")
            assert {f"{r}.capital" for r in ROLES} <= set(umpire_report["report"]["values"])
            if reports["washington"]["report"]["over"]:
                break
        ends = [await c.expect("end") for c in seats.values()]
        assert ends[0]["scores"] == ends[1]["scores"] and set(ends[0]["scores"]) == set(ROLES)
    assert turns == 12
    host.stop()
    save = tmp_path / "game.json"
    assert _verify(save).returncode == 0, _verify(save).stdout
    text = save.read_text()
    assert not [c for c in codes.values() if c in text]  # only hashes are kept
    doc = json.loads(text)
    assert set(doc["host"]["codes"]) == {*ROLES, "umpire", "spectator"}
    assert {"turn": 1, "role": "tokyo", "text": doc["host"]["rationale"][1]["text"]} \
        in doc["host"]["rationale"]
    assert len(doc["host"]["rationale"]) == 36
    jsonschema.validate(doc, schema_for("save"))
    aar = _report(save)
    assert "## Hotwash" in aar
    assert "| 1 | tokyo | tokyo thinks" in aar


async def test_orders_stay_secret_until_every_seat_submits(hosted, tmp_path: Path) -> None:
    host = hosted("convenor", "--codes-file", "codes.json", "--save", "game.json")
    codes = codes_of(tmp_path / "codes.json")
    async with aiohttp.ClientSession() as s:
        w = await Client.join(s, host.url, codes["washington"])
        t = await Client.join(s, host.url, codes["tokyo"])
        watcher = await Client.join(s, host.url, codes["spectator"])
        umpire = await Client.join(s, host.url, codes["umpire"])
        await umpire.expect("umpire")
        await t.expect("turn")
        await t.send({"type": "orders", "orders": ["attend_trilateral"],
                      "rationale": "keep Washington close"})
        await t.expect("ack")
        status = await w.expect("status")
        assert status["submitted"] == {"washington": False, "tokyo": True, "seoul": False}
        await watcher.expect("status")
        view = await umpire.expect("umpire")
        (table,) = view["tables"]
        assert table["pending"] == {"tokyo": ["attend_trilateral"]}
        assert table["rationale"] == {"tokyo": "keep Washington close"}
        for c in (w, watcher):
            # (the welcome carries the scenario's texts, which name every action)
            seen = json.dumps([m for m in c.seen if m["type"] != "welcome"])
            assert "attend_trilateral" not in seen
            assert "keep Washington close" not in json.dumps(c.seen)
        # a reconnecting seat gets its orders back
        t2 = await Client.join(s, host.url, codes["tokyo"])
        again = await t2.expect("turn")
        assert again["orders"] == ["attend_trilateral"]


async def test_kill_9_and_resume_keeps_orders_and_codes(hosted, tmp_path: Path) -> None:
    host = hosted("convenor", "--codes-file", "codes.json", "--save", "game.json")
    codes = codes_of(tmp_path / "codes.json")
    async with aiohttp.ClientSession() as s:
        w = await Client.join(s, host.url, codes["washington"])
        t = await Client.join(s, host.url, codes["tokyo"])
        await w.send({"type": "orders", "orders": ["convene_trilateral"]})
        await w.expect("ack")
        await t.send({"type": "orders", "orders": ["attend_trilateral"], "rationale": "why not"})
        await t.expect("ack")
    host.kill9()
    again = hosted("--resume", "game.json")
    async with aiohttp.ClientSession() as s:
        t = await Client.join(s, again.url, codes["tokyo"])
        assert (await t.expect("turn"))["orders"] == ["attend_trilateral"]
        seoul = await Client.join(s, again.url, codes["seoul"])
        await seoul.send({"type": "orders", "orders": ["attend_trilateral"]})
        report = (await seoul.expect("report"))["report"]
    assert report["orders"] == {"washington": ["convene_trilateral"],
                                "tokyo": ["attend_trilateral"], "seoul": ["attend_trilateral"]}
    again.stop()
    assert _verify(tmp_path / "game.json").returncode == 0


async def test_bot_seats_play_on_the_server(hosted, tmp_path: Path) -> None:
    host = hosted("convenor", "--seat", "seoul=heuristic", "--seat", "tokyo=random",
                  "--codes-file", "codes.json", "--save", "game.json")
    codes = codes_of(tmp_path / "codes.json")
    assert set(codes) == {"washington", "umpire", "spectator"}
    async with aiohttp.ClientSession() as s:
        w = await Client.join(s, host.url, codes["washington"])
        await w.send({"type": "orders", "orders": ["pass"]})
        report = (await w.expect("report"))["report"]
    assert set(report["orders"]) <= set(ROLES) and report["turn"] == 1


async def test_a_class_of_tables_each_with_its_own_codes(hosted, tmp_path: Path) -> None:
    host = hosted("convenor", "--tables", "3", "--codes-file", "codes.json", "--save", "c.json")
    tables = codes_of(tmp_path / "codes.json")
    assert [t["table"] for t in tables] == [1, 2, 3]
    assert len({t["tokyo"] for t in tables}) == 3
    assert len({t["umpire"] for t in tables}) == 1  # the white cell sees every table
    async with aiohttp.ClientSession() as s:
        umpire = await Client.join(s, host.url, tables[0]["umpire"])
        view = await umpire.expect("umpire")
        assert [t["table"] for t in view["tables"]] == [1, 2, 3]
        for r in ROLES:
            c = await Client.join(s, host.url, tables[1][r])
            await c.send({"type": "orders", "orders": ["pass"]})
            await c.expect("ack")
        got = await umpire.expect("report")
        assert got["table"] == 2
    for n in (1, 2, 3):
        assert (tmp_path / f"c.table{n}.json").is_file()
    host.stop()
    assert _verify(tmp_path / "c.table2.json").returncode == 0


async def test_the_umpire_lets_a_bot_take_an_absent_seat(hosted, tmp_path: Path) -> None:
    host = hosted("convenor", "--codes-file", "codes.json", "--save", "game.json")
    codes = codes_of(tmp_path / "codes.json")
    async with aiohttp.ClientSession() as s:
        w = await Client.join(s, host.url, codes["washington"])
        t = await Client.join(s, host.url, codes["tokyo"])
        umpire = await Client.join(s, host.url, codes["umpire"])
        for c in (w, t):
            await c.send({"type": "orders", "orders": ["pass"]})
            await c.expect("ack")
        await t.send({"type": "seat", "table": 1, "role": "seoul", "bot": "heuristic"})
        assert "only the umpire" in (await t.expect("error"))["message"]
        await umpire.send({"type": "seat", "table": 1, "role": "seoul", "bot": "heuristic",
                           "rationale": "Seoul's team lost its connection"})
        ack = await umpire.expect("ack")
        assert ack["control"]["kind"] == "seat"
        assert (await w.expect("report"))["turn"] == 1
    host.stop()
    doc = json.loads((tmp_path / "game.json").read_text())
    assert doc["seats"]["seoul"] == "heuristic"
    assert doc["host"]["controls"][0]["rationale"] == "Seoul's team lost its connection"
    assert _verify(tmp_path / "game.json").returncode == 0
    aar = _report(tmp_path / "game.json")
    assert "seat handed over (seoul → heuristic): “Seoul's team lost its connection”" in aar


async def test_a_deadline_lets_the_fallback_bot_play_a_silent_seat(hosted, tmp_path) -> None:
    host = hosted("convenor", "--deadline", "1", "--codes-file", "codes.json", "--save", "g.json")
    codes = codes_of(tmp_path / "codes.json")
    async with aiohttp.ClientSession() as s:
        w = await Client.join(s, host.url, codes["washington"])
        await w.send({"type": "orders", "orders": ["pass"]})
        await w.expect("ack")
        report = (await w.expect("report"))["report"]
    assert set(report["orders"]) == set(ROLES)
    host.stop()
    doc = json.loads((tmp_path / "g.json").read_text())
    assert doc["host"]["controls"][0]["kind"] == "deadline"
    assert doc["host"]["controls"][0]["roles"] == ["tokyo", "seoul"]


def test_resume_of_a_missing_save_is_a_usage_error(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "wargame", "host", "--resume", "nope.json"],
                         capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 2
    assert run.stderr.startswith("wargame: --resume nope.json: no such save")
    assert "Traceback" not in run.stderr
