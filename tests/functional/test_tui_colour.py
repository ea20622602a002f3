"""The game without colour (NO_COLOR) and in the light theme.

Without colour every meaning must still be in the text: trust numbers and band words on the
board, the reason beside each action that cannot be taken, ⚠ before a warning, outcome codes
in brackets. Textual reads NO_COLOR when the app is created and then renders every colour as a
grey of the same brightness (its Monochrome line filter), so the env var is set first.

Readability is measured on what is drawn: every run of letters or digits must stand at least
3:1 (WCAG's contrast ratio) against its own background. The dark theme is not held to it: the
description line of the highlighted action is dimmed by Textual to 2.5:1 on its blue cursor."""

from __future__ import annotations

import io
import itertools
import re
from pathlib import Path
from typing import Any

import pytest
from pilots import until
from rich.color import Color
from rich.console import Console
from rich.segment import Segment
from textual.app import App
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from wargame.engine.resolve import format_value
from wargame.tui.app import WargameApp
from wargame.tui.labels import DANGERS, LEGS, danger_band, trust_band
from wargame.tui.launch import build_session
from wargame.tui.screens.game import GameScreen
from wargame.tui.screens.report import ReportScreen
from wargame.tui.session import HUMAN, Session
from wargame.tui.widgets.orders_panel import OrdersPanel

ROLES = ("washington", "tokyo", "seoul")
RGB = tuple[int, int, int]


def make_app(role: str | None, folder: Path, turns_played: int = 2) -> WargameApp:
    """The Convenor, seed 7, `role` human (None: the title screen, no game)."""
    session = None
    if role is not None:
        built = build_session("convenor", {r: HUMAN if r == role else "heuristic"
                                           for r in ROLES}, 7)
        assert isinstance(built, Session)
        session = built
        for _ in range(turns_played):
            session.submit(role, [])
    app = WargameApp(save_folder=folder, seed=7, start=session)
    app.animation_level = "none"
    return app


def drawn(app: App[Any]) -> tuple[str, list[Segment]]:
    """The screen as Textual's own screenshot renders it, line filters (NO_COLOR's
    monochrome) included: its text, and its styled segments."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", record=True, legacy_windows=False)
    update = app.screen._compositor.render_update(full=True)  # as App.export_screenshot
    assert update is not None
    segments = [s for s in console.render(update) if not s.control and s.text]
    console.print(update)
    return console.export_text(), segments


def rgb(colour: Color) -> RGB:
    r, g, b = colour.get_truecolor()
    return r, g, b


def colours(segments: list[Segment]) -> set[RGB]:
    out: set[RGB] = set()
    for seg in segments:
        if seg.style is None:
            continue
        for colour in (seg.style.color, seg.style.bgcolor):
            if colour is not None:
                out.add(rgb(colour))
    return out


def luminance(rgb: RGB) -> float:
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RGB, b: RGB) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def plain(widget: Static) -> str:
    rendered = widget.render()
    return getattr(rendered, "plain", str(rendered))


async def choose(pilot: Pilot[Any], panel: OrdersPanel, key: str) -> None:
    """Move the action list's highlight to `key` with the arrow keys, then press Enter."""
    actions = panel.query_one("#actions", OptionList)
    target = next(i for i, o in enumerate(panel.options) if o.order.key == key)
    for _ in range(len(panel.options)):
        current = actions.highlighted or 0
        if current == target:
            break
        await pilot.press("down" if current < target else "up")
    assert actions.highlighted == target
    await pilot.press("enter")


@pytest.mark.parametrize("no_color", [False, True], ids=["colour", "NO_COLOR"])
async def test_no_color_draws_only_greys(no_color: bool, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    app = make_app("washington", tmp_path)
    assert app.no_color is no_color
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # an order: the preview's outcome and its colour
        await pilot.pause()
        assert isinstance(app.screen, GameScreen)
        _, segments = drawn(app)
        hues = {c for c in colours(segments) if not c[0] == c[1] == c[2]}
        if no_color:
            assert not hues, f"colours drawn under NO_COLOR: {sorted(hues)[:5]}"
        else:
            assert hues, "the same screen in colour draws coloured cells"


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_without_colour_the_board_and_preview_say_it_in_words(
        size: tuple[int, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app("washington", tmp_path)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        session = app.session
        assert session is not None and isinstance(app.screen, GameScreen)
        values = session.game.values()
        text, _ = drawn(app)
        # Each US leg: its number, and its band in words (the colour is gone).
        for (key, _name), tag in zip(LEGS[:2], ("US–JP", "US–KR"), strict=True):
            trust = float(values[key])
            assert f"{tag} {format_value(trust)}" in text
            assert trust_band(trust)[0] in text
        # Japan–ROK: its number on the base line, drawn dotted once it is broken.
        jr = float(values["japan_rok.trust"])
        assert f" {format_value(jr)} " in text
        assert ("┄" in text) is (jr < 25)
        for key, name in DANGERS:
            level = float(values[key])
            assert f"{format_value(level):>3} {danger_band(level)[0]}" in text, name
        # Orders the engine warns about: the preview shows ⚠ and each outcome code in
        # brackets, the bad ones as much as the good.
        game = session.game
        legal = [o.order for o in game.legal_actions("washington") if o.legal]
        pair = next((list(p) for p in itertools.combinations(legal, 2)
                     if game.preview("washington", list(p)).warnings), None)
        assert pair is not None, "no pair of orders the engine warns about"
        panel = app.screen.query_one(OrdersPanel)
        for order in pair:
            await choose(pilot, panel, order.key)
        assert panel.chosen == pair
        preview = game.preview("washington", pair)
        shown = plain(app.screen.query_one("#preview", Static))
        for warning in preview.warnings:
            assert f"⚠ {warning}" in shown
        assert preview.outcomes
        for outcome in preview.outcomes:
            assert f"[{outcome.result}] {outcome.why}" in shown


async def test_without_colour_actions_that_cannot_be_taken_say_why(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app("seoul", tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        session = app.session
        assert session is not None and isinstance(app.screen, GameScreen)
        illegal = {o.order.key: o.reason for o in session.game.legal_actions("seoul")
                   if not o.legal}
        assert illegal, "Seoul has actions it cannot take at the start of the Convenor"
        actions = app.screen.query_one("#actions", OptionList)
        # What the screen shows while the arrow keys walk the list to its end.
        seen = [drawn(app)[0]]
        for _ in range(actions.option_count):
            await pilot.press("down")
            seen.append(drawn(app)[0])
        text = "\n".join(seen)
        for index in range(actions.option_count):
            option = actions.get_option_at_index(index)
            if option.id not in illegal:
                continue
            assert option.disabled
            head, body = str(option.prompt).split("\n")
            assert head.startswith("✘ ")
            reason = body.strip()
            assert reason and illegal[option.id].startswith(reason.removesuffix("…"))
            assert reason in text, f"{option.id}: its reason is not on the screen"


async def test_light_theme_from_the_command_palette(tmp_path: Path) -> None:
    app = make_app("washington", tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.theme == "textual-dark"

        async def pick(query: str) -> None:
            await pilot.press(*query)
            await until(pilot, lambda: bool(app.screen.query_one(CommandList).option_count),
                        f"the palette to list {query!r}")
            await pilot.press("enter")
            await pilot.pause()

        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pick("theme")
        assert isinstance(app.screen, CommandPalette), "the theme list opens"
        await pick("textual-light")
        assert app.theme == "textual-light"
        assert isinstance(app.screen, GameScreen)
        _, segments = drawn(app)
        backgrounds = [rgb(s.style.bgcolor) for s in segments
                       if s.style is not None and s.style.bgcolor is not None]
        light = sum(1 for b in backgrounds if luminance(b) > 0.5)
        assert light > len(backgrounds) * 0.8, "the board is drawn light"


SCENES = {
    "title": (None, []),
    "new-game": (None, ["n"]),
    "board": ("washington", ["enter"]),  # an order added: highlighted, ticked, previewed
    "board-seoul": ("seoul", []),  # actions Seoul cannot take, with their reasons
    "report": ("washington", ["enter", "s"]),
    "why": ("washington", ["enter", "s", "w", "tab"]),
}


@pytest.mark.parametrize("scene", list(SCENES))
@pytest.mark.parametrize("mode", ["textual-light", "NO_COLOR"])
async def test_text_stands_out_from_its_background(
        mode: str, scene: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if mode == "NO_COLOR":
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    role, keys = SCENES[scene]
    app = make_app(role, tmp_path)
    if mode != "NO_COLOR":
        app.theme = mode
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            if key == "s":
                await app.settle()  # the bots think in a worker thread
                await pilot.pause()
        await pilot.pause()
        if scene == "report":
            assert isinstance(app.screen, ReportScreen)
        _, segments = drawn(app)
        low = set()
        words = 0
        for seg in segments:
            if seg.style is None or not re.search(r"\w", seg.text):
                continue
            fg, bg = seg.style.color, seg.style.bgcolor
            assert fg is not None and bg is not None, seg
            words += 1
            ratio = contrast(rgb(fg), rgb(bg))
            if ratio < 3:
                low.add((round(ratio, 2), seg.text.strip()[:40]))
        assert words > 20
        assert not low, f"text under 3:1 on its background: {sorted(low)}"
