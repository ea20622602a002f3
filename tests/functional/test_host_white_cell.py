"""The white cell changes the game at a real host: it injects a scenario event or a free-text
event with value changes, and overrides a value; each is shown to the seats with its reason
(never another role's hidden value), kept in the save, applied by `replay --verify`, and
quoted in the after-action report."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import aiohttp
from hosting import ROOT, Client, codes_of

ROLES = ("washington", "tokyo", "seoul")


def _wargame(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "wargame", *args], capture_output=True,
                          text=True, cwd=ROOT)


async def test_inject_and_override_reach_the_seats_and_replay_exactly(hosted, tmp_path) -> None:
    host = hosted("convenor", "--codes-file", "codes.json", "--save", "game.json")
    codes = codes_of(tmp_path / "codes.json")
    async with aiohttp.ClientSession() as s:
        seats = {r: await Client.join(s, host.url, codes[r]) for r in ROLES}
        umpire = await Client.join(s, host.url, codes["umpire"])
        spectator = await Client.join(s, host.url, codes["spectator"])
        for c in seats.values():
            await c.expect("turn")
        await spectator.expect("view")

        async def heard(c: Client) -> tuple[dict, dict]:
            """What a client is told of a control: the control, then its turn (or view)."""
            control = (await c.expect("control"))["control"]
            return control, await c.expect("view" if c is spectator else "turn")

        # A scenario event, out of its schedule (the Ukraine war is due at turn 5).
        await umpire.send({"type": "inject", "table": 1, "event": "ukraine_war",
                           "rationale": "the class studies a war in Europe now"})
        ack = await umpire.expect("ack")
        assert ack["control"] == {"turn": 1, "kind": "inject", "event": "ukraine_war",
                                  "rationale": "the class studies a war in Europe now"}
        for c in [*seats.values(), spectator]:
            control, turn = await heard(c)
            assert control["rationale"] == "the class studies a war in Europe now"
            assert turn["values" if c is spectator else "view"]  # the new values follow
        titles = [e["title"] for e in turn["events"]]  # the spectator's view
        assert "White cell: Russia invades Ukraine" in titles
        assert turn["values"]["china_pressure"] == 63  # 55 + the event's 8

        # Tokyo's capital, overridden: Tokyo sees the new value, Seoul and the spectator
        # hear of it and why, but never the value.
        await umpire.send({"type": "override", "table": 1, "name": "tokyo.capital",
                           "value": 1, "rationale": "a budget fight at home"})
        await umpire.expect("ack")
        mine, turn = await heard(seats["tokyo"])
        assert mine["value"] == 1 and turn["view"]["capital"] == 1
        for c in (seats["seoul"], seats["washington"], spectator):
            theirs, _ = await heard(c)
            assert theirs["name"] == "tokyo.capital" and "value" not in theirs
            assert theirs["rationale"] == "a budget fight at home"

        # A free-text event with value changes.
        await umpire.send({"type": "inject", "table": 1, "title": "Typhoon hits Okinawa",
                           "text": "Bases are damaged.",
                           "changes": [{"name": "us_japan.trust", "add": -5},
                                       {"name": "gsomia", "set": False}],
                           "rationale": "test the alliance under stress"})
        await umpire.expect("ack")
        _, turn = await heard(seats["seoul"])
        assert turn["view"]["values"]["gsomia"] is False

        # Bad controls are answered with an error and change nothing.
        for bad, says in [
            ({"type": "override", "name": "cohesion", "value": 500}, "from 0 to 100"),
            ({"type": "override", "name": "no.such", "value": 1}, "no value 'no.such'"),
            ({"type": "inject", "event": "no_such_event"}, "no event 'no_such_event'"),
            ({"type": "inject", "title": "x", "changes": [{"name": "gsomia", "add": 1}]},
             "is a flag"),
            ({"type": "inject"}, 'inject needs "event"'),
        ]:
            await umpire.send({**bad, "table": 1})
            assert says in (await umpire.expect("error"))["message"]
        await seats["tokyo"].send({"type": "override", "table": 1, "name": "tokyo.capital",
                                   "value": 6})
        assert "only the umpire" in (await seats["tokyo"].expect("error"))["message"]

        for c in seats.values():
            await c.send({"type": "orders", "orders": ["pass"]})
        report = (await seats["washington"].expect("report"))["report"]
        assert "\"tokyo.capital\":" not in json.dumps(report)  # named in a title, no value
        assert any(e["title"] == "White cell: Typhoon hits Okinawa" for e in report["events"])
    host.stop()

    save = tmp_path / "game.json"
    doc = json.loads(save.read_text())
    assert [c["kind"] for c in doc["controls"]] == ["inject", "override", "inject"]
    verify = _wargame("replay", str(save), "--verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr
    aar = _wargame("report", str(save))
    assert "event injected (event ukraine_war): “the class studies a war in Europe now”" in (
        aar.stdout)
    assert "value overridden (tokyo.capital = 1): “a budget fight at home”" in aar.stdout


async def test_a_control_survives_kill_9_and_resume(hosted, tmp_path: Path) -> None:
    host = hosted("convenor", "--codes-file", "codes.json", "--save", "game.json")
    codes = codes_of(tmp_path / "codes.json")
    async with aiohttp.ClientSession() as s:
        umpire = await Client.join(s, host.url, codes["umpire"])
        await umpire.send({"type": "override", "table": 1, "name": "nk_threat", "value": 90,
                           "rationale": "a nuclear test"})
        await umpire.expect("ack")
    host.kill9()
    host = hosted("--resume", "game.json")
    async with aiohttp.ClientSession() as s:
        w = await Client.join(s, host.url, codes["washington"])
        turn = await w.expect("turn")
        assert turn["view"]["values"]["nk_threat"] == 90
        assert any(e["title"] == "White cell: override of nk_threat"
                   for e in turn["view"]["events"])
    host.stop()
    assert _wargame("replay", str(tmp_path / "game.json"), "--verify").returncode == 0
