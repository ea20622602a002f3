"""`wargame join`: the Textual client against a real host on 127.0.0.1 (Pilot drives it)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp
import pytest
from hosting import Client, HostProc, codes_of, free_port
from pilots import until
from textual.widgets import DataTable, Static

from wargame.host.join_app import JoinApp
from wargame.host.join_screens import (
    CodeScreen,
    RationaleScreen,
    ReportView,
    SpectatorScreen,
    UmpireScreen,
    WaitingScreen,
    umpire_message,
)
from wargame.tui.screens.game import GameScreen

ROLES = ("washington", "tokyo", "seoul")


def text_of(app: JoinApp, selector: str) -> str:
    found = app.screen.query(selector).results(Static)
    return "".join(str(w.render()) for w in found)


def seat_ready(app: JoinApp, turn: str = "turn 1/12") -> bool:
    return isinstance(app.screen, GameScreen) and turn in text_of(app, "#status")


@pytest.fixture
def host(tmp_path: Path):
    proc = HostProc("convenor", "--codes-file", "codes.json", "--save", "g.json", cwd=tmp_path)
    yield proc, codes_of(tmp_path / "codes.json")
    if proc.alive:
        proc.stop()


async def _others_pass(url: str, codes: dict[str, str], roles: tuple[str, ...]) -> None:
    async with aiohttp.ClientSession() as s:
        for r in roles:
            c = await Client.join(s, url, codes[r])
            await c.send({"type": "orders", "orders": ["pass"]})
            await c.expect("ack")
            await c.close()


async def test_a_seat_plays_a_turn_on_the_game_screen(host) -> None:
    proc, codes = host
    app = JoinApp(proc.url, codes["tokyo"])
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: seat_ready(app), "the game screen")
        assert "Tokyo (you)" in text_of(app, "#status")
        await pilot.press("enter")  # adds the highlighted action
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, RationaleScreen), "the rationale")
        await pilot.press(*"hold the line", "enter")
        await until(pilot, lambda: isinstance(app.screen, WaitingScreen), "waiting")
        assert "Orders sent: attend_trilateral" in text_of(app, "Static")
        await _others_pass(proc.url, codes, ("washington", "seoul"))
        await until(pilot, lambda: isinstance(app.screen, ReportView), "the report")
        report = text_of(app, "#report")
        assert "Turn 1" in report and "tokyo: attend_trilateral" in report
        await pilot.press("enter")
        await until(pilot, lambda: seat_ready(app, "turn 2/12"), "turn 2")
        assert app.screen.query_one("#orders").chosen == []  # type: ignore[attr-defined]


async def test_a_wrong_code_is_asked_again(host) -> None:
    proc, codes = host
    app = JoinApp(proc.url, None)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, CodeScreen), "the code prompt")
        await pilot.press(*"not-a-real-code-at-all", "enter")
        await until(pilot, lambda: isinstance(app.screen, CodeScreen)
                    and bool(app.screen.query("#problem")), "the problem shown")
        assert "unknown join code" in text_of(app, "#problem")
        await pilot.press(*codes["seoul"], "enter")
        await until(pilot, lambda: seat_ready(app), "the game screen")
        assert "Seoul (you)" in text_of(app, "#status")


async def test_the_umpire_sees_pending_orders_and_hands_a_seat_to_a_bot(host) -> None:
    proc, codes = host
    app = JoinApp(proc.url, codes["umpire"])
    async with app.run_test(size=(120, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, UmpireScreen), "the white cell")
        async with aiohttp.ClientSession() as s:
            t = await Client.join(s, proc.url, codes["tokyo"])
            await t.send({"type": "orders", "orders": ["attend_trilateral"],
                          "rationale": "stay close"})
            await t.expect("ack")
            grid = app.screen.query_one("#tables", DataTable)
            await until(pilot, lambda: "stay close" in str(grid.get_row_at(0)), "the rationale")
            assert "attend_trilateral" in str(grid.get_row_at(0))
            w = await Client.join(s, proc.url, codes["washington"])
            await w.send({"type": "orders", "orders": ["pass"]})
            await w.expect("ack")
            await pilot.click("#command")
            await pilot.press(*"bot 1 seoul heuristic Seoul's team left the room", "enter")
            report = await w.expect("report")
        assert report["turn"] == 1
        await until(pilot, lambda: "turn 1 resolved" in text_of(app, "#log"), "the log")
    proc.stop()


async def test_the_client_reconnects_after_the_host_is_killed(tmp_path: Path) -> None:
    port = free_port()
    first = HostProc("convenor", "--codes-file", "codes.json", "--save", "g.json",
                     cwd=tmp_path, port=port)
    codes = codes_of(tmp_path / "codes.json")
    app = JoinApp(first.url, codes["tokyo"])
    again = None
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await until(pilot, lambda: seat_ready(app), "the game screen")
            first.kill9()
            await until(pilot, lambda: "reconnecting" in app.sub_title, "reconnecting")
            again = HostProc("--resume", "g.json", cwd=tmp_path, port=port)
            await until(pilot, lambda: "connected" in app.sub_title
                        and "reconnecting" not in app.sub_title, "connected again")
            await pilot.press("enter", "s")
            await until(pilot, lambda: isinstance(app.screen, RationaleScreen), "rationale")
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, WaitingScreen), "waiting")
    finally:
        for p in (first, again):
            if p is not None and p.alive:
                p.stop()


def test_umpire_commands_read_as_messages() -> None:
    assert umpire_message(["bot", "2", "seoul", "random", "they", "left"]) == {
        "type": "seat", "table": 2, "role": "seoul", "bot": "random",
        "rationale": "they left"}
    assert umpire_message(["human", "1", "tokyo"])["bot"] == "human"  # type: ignore[index]
    assert umpire_message(["extend", "1", "90", "long", "debate"])["seconds"] == 90.0  # type: ignore[index]
    assert umpire_message(["bot", "x", "seoul"]) is None
    assert umpire_message(["dance"]) is None
    assert umpire_message(["inject", "1", "ukraine_war", "a", "war"]) == {
        "type": "inject", "table": 1, "event": "ukraine_war", "rationale": "a war"}
    assert umpire_message(["override", "2", "gsomia", "off", "why"]) == {
        "type": "override", "table": 2, "name": "gsomia", "value": False, "rationale": "why"}
    assert umpire_message(["event", "1", "Typhoon hits", "trade-2", "us_japan.trust+1.5",
                           "gsomia=true", "the", "storm"]) == {
        "type": "inject", "table": 1, "title": "Typhoon hits", "text": "",
        "changes": [{"name": "trade", "add": -2.0}, {"name": "us_japan.trust", "add": 1.5},
                    {"name": "gsomia", "set": True}], "rationale": "the storm"}
    assert umpire_message(["override", "1", "trade", "lots"]) is None
    assert umpire_message(["event", "1", "No changes", "just", "words"]) is None


async def test_the_umpire_overrides_a_value_and_the_seat_is_told_why(host) -> None:
    proc, codes = host
    umpire = JoinApp(proc.url, codes["umpire"])
    async with aiohttp.ClientSession() as s:
        async with umpire.run_test(size=(120, 30)) as pilot:
            await until(pilot, lambda: isinstance(umpire.screen, UmpireScreen), "the white cell")
            t = await Client.join(s, proc.url, codes["tokyo"])
            await t.expect("turn")
            await pilot.click("#command")
            await pilot.press(*"override 1 nk_threat 90 a nuclear test", "enter")
            control = (await t.expect("control"))["control"]
            assert control == {"turn": 1, "kind": "override", "name": "nk_threat", "value": 90.0,
                               "rationale": "a nuclear test"}
        seat = JoinApp(proc.url, codes["seoul"])
        async with seat.run_test(size=(120, 40)) as pilot:
            await until(pilot, lambda: seat_ready(seat), "the game screen")
            u = await Client.join(s, proc.url, codes["umpire"])
            await u.send({"type": "inject", "table": 1, "event": "ukraine_war",
                          "rationale": "the class studies a war in Europe"})
            await u.expect("ack")
            told = lambda: [n for n in seat._notifications  # noqa: E731
                            if "the class studies a war in Europe" in n.message]
            await until(pilot, lambda: bool(told()), "the notice")
            assert told()[0].title == "White cell: event injected"
            assert "event ukraine_war" in told()[0].message
            await until(pilot, lambda: "White cell: Russia invades Ukraine"
                        in text_of(seat, "#seat"), "the event on the seat's panel")


_ = asyncio


async def test_a_spectator_sees_the_board_and_the_white_cell(host) -> None:
    proc, codes = host
    app = JoinApp(proc.url, codes["spectator"])
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, SpectatorScreen)
                    and "turn 1/12" in text_of(app, "#head"), "the spectator's board")
        board = str(app.screen.query_one("#board").render())
        assert "WASHINGTON" in board and "TOKYO" in board and "SEOUL" in board
        measures = text_of(app, "#measures")
        assert "Cohesion" in measures and "capital" not in measures.lower()
        async with aiohttp.ClientSession() as s:
            u = await Client.join(s, proc.url, codes["umpire"])
            await u.send({"type": "override", "table": 1, "name": "nk_threat", "value": 90,
                          "rationale": "a nuclear test"})
            await u.expect("ack")
            await until(pilot, lambda: "White cell: override of nk_threat" in text_of(
                app, "#events"), "the white cell's event")
            assert "a nuclear test" in text_of(app, "#events")
            await until(pilot, lambda: " 90 " in text_of(app, "#measures"), "the new value")
            await _others_pass(proc.url, codes, ROLES)
            await until(pilot, lambda: "turn 2/12" in text_of(app, "#head"), "turn 2")
        assert "Turn 1" in text_of(app, "#last")
