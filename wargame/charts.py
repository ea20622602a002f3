"""Charts of a game's values over its turns: which values go together (every value the
content's rules read, approval, favour), and the same chart as plain text (plotext) for the
after-action report. The History screen draws the same groups with textual-plotext."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from wargame.engine.content import Content
from wargame.engine.reads import read_values
from wargame.engine.state import TurnReport

LEGS = ("us_japan.trust", "us_rok.trust", "japan_rok.trust")
MARKERS = ("dot", "x", "+", "o", "*", "@", "#", "%")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def chart_groups(content: Content) -> list[tuple[str, list[str]]]:
    """The numbers worth a chart, grouped: every value the content's rules read (so a
    scenario's own values, grievance and leverage too), and each public's favour."""
    names = content.variables
    roles = content.role_ids
    numbers = [r.name for r in read_values(content) if not names[r.name].is_flag]
    legs = [k for k in LEGS if k in names] + (["cohesion"] if "cohesion" in names else [])
    legs += [n for n in numbers if n.endswith(".trust") and n not in legs]
    approval = [f"{r}.approval" for r in roles if f"{r}.approval" in names]
    favour = [f"{r}.favorability.{o}" for r in roles for o in roles
              if f"{r}.favorability.{o}" in names]
    taken = set(legs) | set(approval) | set(favour)
    own = [n for n in numbers if n.split(".")[0] in roles and n not in taken]
    rest = [n for n in numbers if n not in taken and n not in own]
    groups = [
        ("Trust on each leg", legs),
        ("Approval (%)", approval),
        ("Favourability (%)", favour),
        ("Grievance and leverage", own),
        ("Danger, trade and the rest", rest),
    ]
    return [(title, keys) for title, keys in groups if keys]


def text_chart(series: Mapping[str, Sequence[float]], width: int = 76, height: int = 16) -> str:
    """A line chart as plain text: turn on x (0 = the start), value on y, a legend, each
    line with its own marker (no colour)."""
    import plotext as plt

    plt.clear_figure()
    plt.plotsize(width, height)
    plt.theme("clear")
    turns = 1
    for i, (name, data) in enumerate(series.items()):
        plt.plot(list(range(len(data))), list(data), label=name, marker=MARKERS[i % len(MARKERS)])
        turns = max(turns, len(data) - 1)
    plt.xlabel("turn (0 = start)")
    plt.xticks(list(range(turns + 1)))
    plt.xlim(0, turns)
    text = _ANSI.sub("", plt.build())
    plt.clear_figure()
    return "\n".join(line.rstrip() for line in text.splitlines())


def series(history: Sequence[TurnReport], name: str, now: float = 0.0) -> list[float]:
    """A value at the start and after each resolved turn (flags as 0/1); `now` with no turn."""
    if not history:
        return [now]
    out = [float(history[0].before.get(name, 0.0))]
    out += [float(r.after.get(name, 0.0)) for r in history]
    return out


def charts_markdown(content: Content, history: Sequence[TurnReport],
                    label: Callable[[str, Content], str] = lambda n, _c: n) -> list[str]:
    """The after-action report's "Charts" section: one text chart per group of values."""
    if not history:
        return []
    lines = ["## Charts", ""]
    for title, keys in chart_groups(content):
        data = {label(k, content): series(history, k) for k in keys}
        lines += [f"### {title}", "", "```text", text_chart(data), "```", ""]
    return lines
