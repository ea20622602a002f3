"""The board: Washington, Tokyo and Seoul at the corners of a triangle drawn with box
characters, each leg numbered by its trust (and coloured, and named by band), the measures in
force beside the Japan–ROK leg, the date and turn, and the external dangers."""

from __future__ import annotations

from collections.abc import Mapping

from rich.cells import cell_len
from textual.content import Content as Markup
from textual.markup import escape
from textual.widget import Widget

from wargame.engine.resolve import format_value
from wargame.engine.state import Value
from wargame.tui.labels import DANGERS, bar, danger_band, trust_band

Cell = tuple[str, str]  # character, style


class _Grid:
    def __init__(self, width: int, height: int) -> None:
        self.width = width
        self.rows: list[list[Cell]] = [[(" ", "")] * width for _ in range(height)]

    def put(self, x: int, y: int, text: str, style: str = "") -> None:
        if not 0 <= y < len(self.rows):
            return
        row = self.rows[y]
        for ch in text:
            if 0 <= x < self.width:
                row[x] = (ch, style)
            x += max(1, cell_len(ch))

    def markup(self) -> str:
        out = []
        for row in self.rows:
            line = []
            run_style, run = "", ""
            for ch, style in row:
                if style != run_style:
                    line.append(_span(run, run_style))
                    run_style, run = style, ""
                run += ch
            line.append(_span(run, run_style))
            out.append("".join(line).rstrip())
        return "\n".join(out)


def _span(text: str, style: str) -> str:
    if not text:
        return ""
    return f"[{style}]{escape(text)}[/]" if style else escape(text)


def _wrap(words: list[str], width: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in words:
        joined = f"{line} · {word}" if line and not line.endswith(":") else f"{line} {word}".strip()
        if line and cell_len(joined) > width:
            lines.append(line)
            line = word
        else:
            line = joined
    if line:
        lines.append(line)
    return lines


def draw_board(values: Mapping[str, Value], names: Mapping[str, str], width: int,
               height: int, when: str = "", flags: list[str] | None = None) -> str:
    """The board as Textual markup, sized to `width`×`height` cells (smaller is fine)."""
    width = max(width, 30)
    flags = flags or []
    # Rows: date, apex name, legs…, base, flags, dangers.
    danger_rows = sum(1 for k, _ in DANGERS if k in values)
    flag_lines = _wrap(["in force:", *flags] if flags else [], width)
    flag_rows = len(flag_lines)
    fixed = 1 + 1 + 1 + flag_rows + danger_rows
    name_room = max(cell_len(names.get("tokyo", "Tokyo")), cell_len(names.get("seoul", "Seoul")))
    by_width = (width - 2 * (name_room + 5) - 3) // 2
    legs = max(3, min(height - fixed, by_width, 9))
    grid = _Grid(width, fixed + legs)
    cx = width // 2
    y = 0
    if when:
        grid.put(max(0, cx - cell_len(when) // 2), y, when, "bold")
    y += 1
    apex = names.get("washington", "Washington").upper()
    approval = values.get("washington.approval")
    apex_text = apex + (f" {format_value(approval)}%" if approval is not None else "")
    grid.put(cx - cell_len(apex_text) // 2, y, apex_text, "bold")
    y += 1
    top = y
    mid = legs // 2
    for i in range(legs):
        row = top + i
        for key, ch, x in (("us_japan.trust", "╱", cx - 1 - i), ("us_rok.trust", "╲", cx + 1 + i)):
            trust = values.get(key)
            style = trust_band(float(trust))[1] if trust is not None else "dim"
            grid.put(x, row, ch, style)
    # Leg numbers and bands, at the middle of each diagonal.
    for key, side in (("us_japan.trust", -1), ("us_rok.trust", 1)):
        trust = values.get(key)
        if trust is None:
            continue
        word, style = trust_band(float(trust))
        number = format_value(trust)
        tag = f"{'US–JP' if side < 0 else 'US–KR'} {number}"
        x_leg = cx + side * (1 + mid)
        if side < 0:
            grid.put(x_leg - 2 - cell_len(tag), top + mid, tag, f"bold {style}")
            grid.put(x_leg - 2 - cell_len(word), top + mid + 1, word, style)
        else:
            grid.put(x_leg + 3, top + mid, tag, f"bold {style}")
            grid.put(x_leg + 3, top + mid + 1, word, style)
    base = top + legs
    left_x = cx - 1 - legs
    right_x = cx + 1 + legs
    jr = values.get("japan_rok.trust")
    if jr is not None:
        word, style = trust_band(float(jr))
        line_ch = "─" if float(jr) >= 25 else "┄"
        span = right_x - left_x + 1
        grid.put(left_x, base, line_ch * span, style)
        number = format_value(jr)
        for tag in (f" JP–KR {number} {word} ", f" {number} {word} ", f" {number} "):
            if cell_len(tag) <= span - 2:
                break
        grid.put(cx - cell_len(tag) // 2, base, tag, f"bold {style}")
    for role, x, align in (("tokyo", left_x - 1, "right"), ("seoul", right_x + 1, "left")):
        name = names.get(role, role.title()).upper()
        approval = values.get(f"{role}.approval")
        text = name + (f" {format_value(approval)}%" if approval is not None else "")
        start = x - cell_len(text) + 1 if align == "right" else x
        if start < 0:
            text = name
            start = max(0, x - cell_len(text) + 1) if align == "right" else x
        grid.put(start, base, text, "bold")
    y = base + 1
    for text in flag_lines:
        grid.put(max(0, cx - cell_len(text) // 2), y, text, "$text-accent")
        y += 1
    for key, name in DANGERS:
        if key not in values:
            continue
        level = float(values[key])
        word, style = danger_band(level)
        bar_w = 10 if width >= 44 else 5
        text = f"{name:<15}{bar(level, bar_w)} {format_value(level):>3} {word}"
        grid.put(max(0, cx - cell_len(text) // 2), y, text, style)
        y += 1
    return grid.markup()


class Triangle(Widget):
    """Draws the board from a values mapping; redraws to fit on resize."""

    DEFAULT_CSS = """
    Triangle { height: auto; min-height: 10; width: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.values: Mapping[str, Value] = {}
        self.names: Mapping[str, str] = {}
        self.when = ""
        self.flags: list[str] = []
        self.max_height = 20
        # The drawing for one width: a layout asks for the height and then renders, and a
        # new turn's first paint lays out twice, so the same board would be drawn 2-4 times.
        self._drawn: tuple[tuple[int, int], int, Markup] | None = None

    def show(self, values: Mapping[str, Value], names: Mapping[str, str], when: str,
             flags: list[str]) -> None:
        self.values, self.names, self.when, self.flags = values, names, when, flags
        self._drawn = None
        self.refresh(layout=True)

    def _board(self, width: int) -> tuple[int, Markup]:
        """The board drawn for `width`: its height in lines and its content."""
        size = (width, self.max_height)
        if self._drawn is None or self._drawn[0] != size:
            text = draw_board(self.values, self.names, width, self.max_height, self.when,
                              self.flags)
            self._drawn = (size, text.count("\n") + 1, Markup.from_markup(text))
        return self._drawn[1], self._drawn[2]

    def get_content_height(self, container, viewport, width: int) -> int:  # type: ignore[no-untyped-def]
        return self._board(width)[0]

    def render(self) -> Markup:
        return self._board(self.content_size.width)[1]
