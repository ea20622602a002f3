"""The balance figures of an experiment, kept as running sums so 100,000 games cost nothing.

Per role: lead share (a tie of k leaders gives each 1/k), score mean, sd, min and max. Per
objective: how often it was met (`at_end`: share of games; `each_turn`: share of turns).
Per game: measures reversed within two turns. Per flag: share of games it was in force at
the end, and at any turn's end. With a sweep, the same per point of the grid.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import attrs

from wargame.engine.content import Content
from wargame.experiments.columns import FAN_VALUE, Batch, Layout, row_count
from wargame.experiments.settings import Settings, describe

COLLAPSE = 25.0
"""Cohesion below this at any turn's end counts as a collapse of the triangle."""


@attrs.define
class Stat:
    n: int = 0
    total: float = 0.0
    squares: float = 0.0
    low: float = math.inf
    high: float = -math.inf

    def add_all(self, values: Iterable[float]) -> None:
        for v in values:
            v = float(v)
            self.n += 1
            self.total += v
            self.squares += v * v
            if v < self.low:
                self.low = v
            if v > self.high:
                self.high = v

    @property
    def mean(self) -> float:
        return self.total / self.n if self.n else math.nan

    @property
    def sd(self) -> float:
        if self.n < 2:
            return 0.0
        var = (self.squares - self.total * self.total / self.n) / (self.n - 1)
        return math.sqrt(max(0.0, var))


class PointSummary:
    """Running figures for one point of the experiment (or all points together)."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        content = layout.content
        self.games = 0
        self.scores = {r: Stat() for r in layout.roles}
        self.leads = {r: Stat() for r in layout.roles}
        self.objectives = {f"objective.{o.role}.{o.id}": Stat() for o in content.objectives}
        self.reversals = Stat()
        self.flags_end = {f: Stat() for f in layout.flags}
        self.fan = Stat()
        self.collapsed = Stat()

    def add(self, batch: Batch) -> None:
        layout = self.layout
        turns = layout.content.turns
        self.games += row_count(batch)
        for r in layout.roles:
            self.scores[r].add_all(batch[f"score.{r}"])
            self.leads[r].add_all(batch[f"lead.{r}"])
        for o in layout.content.objectives:
            col = f"objective.{o.role}.{o.id}"
            if o.scored == "each_turn":
                self.objectives[col].add_all(v / turns for v in batch[col])
            else:
                self.objectives[col].add_all(batch[col])
        self.reversals.add_all(batch["reversals"])
        for f in layout.flags:
            self.flags_end[f].add_all(batch[layout.value_column(f)])
        if FAN_VALUE in layout.content.variables:
            self.fan.add_all(batch[layout.value_column(FAN_VALUE)])
            self.collapsed.add_all(min(t) < COLLAPSE for t in batch[f"by_turn.{FAN_VALUE}"])


class Summary:
    def __init__(self, content: Content, layout: Layout, points: tuple[Settings, ...]) -> None:
        self.content = content
        self.points = points
        self.overall = PointSummary(layout)
        self.by_point = [PointSummary(layout) for _ in points]

    def add(self, point: int, batch: Batch) -> None:
        self.overall.add(batch)
        self.by_point[point].add(batch)

    @property
    def games(self) -> int:
        return self.overall.games

    def figures(self) -> dict[str, object]:
        """The summary as plain data (for --json-summary and tests)."""
        s = self.overall
        return {
            "games": s.games,
            "roles": {
                r: {
                    "lead_share": s.leads[r].mean,
                    "mean": s.scores[r].mean,
                    "sd": s.scores[r].sd,
                    "min": s.scores[r].low,
                    "max": s.scores[r].high,
                }
                for r in s.layout.roles
            },
            "objectives": {k[len("objective.") :]: v.mean for k, v in s.objectives.items()},
            "reversals_per_game": s.reversals.mean,
            "flags_at_end": {f: v.mean for f, v in s.flags_end.items()},
            "points": [
                {
                    "settings": dict(p),
                    "games": ps.games,
                    "lead_share": {r: ps.leads[r].mean for r in ps.layout.roles},
                    "mean_score": {r: ps.scores[r].mean for r in ps.layout.roles},
                }
                for p, ps in zip(self.points, self.by_point, strict=True)
            ],
        }

    def render(self, bots: dict[str, str], interrupted: bool = False) -> list[object]:
        """rich renderables: the balance tables, then one row per point of a sweep."""
        from rich.table import Table
        from rich.text import Text

        s = self.overall
        content = self.content
        head = (
            f"{content.title} ({content.id}): {s.games} games"
            + (" (interrupted)" if interrupted else "")
            + ", bots "
            + ", ".join(f"{r}={bots[r]}" for r in s.layout.roles)
        )
        out: list[object] = [Text(head, style="bold")]
        if not s.games:
            return out
        roles = Table(box=None, pad_edge=False)
        for col in ("role", "leads", "mean score", "sd", "min", "max"):
            roles.add_column(col, justify="left" if col == "role" else "right")
        for r in s.layout.roles:
            sc = s.scores[r]
            roles.add_row(
                content.role_name(r),
                f"{s.leads[r].mean:.0%}",
                f"{sc.mean:.2f}",
                f"{sc.sd:.2f}",
                f"{sc.low:g}",
                f"{sc.high:g}",
            )
        out.append(roles)
        out.append(Text("\nObjectives met (at_end: share of games; each_turn: share of turns)"))
        objectives = Table(box=None, pad_edge=False)
        for col in ("role", "objective", "scored", "met"):
            objectives.add_column(col, justify="right" if col == "met" else "left")
        for o in content.objectives:
            stat = s.objectives[f"objective.{o.role}.{o.id}"]
            objectives.add_row(content.role_name(o.role), o.id, o.scored, f"{stat.mean:.0%}")
        out.append(objectives)
        lines = [f"measures reversed within two turns: {s.reversals.mean:.2f} a game"]
        if s.fan.n:
            lines.append(
                f"final {FAN_VALUE}: mean {s.fan.mean:.1f} (sd {s.fan.sd:.1f}); fell below "
                f"{COLLAPSE:g} in {s.collapsed.mean:.0%} of games"
            )
        out.append(Text("\n" + "\n".join(lines)))
        if s.flags_end:
            out.append(Text("\nFlags in force at the end (share of games)"))
            flags = Table(box=None, pad_edge=False)
            flags.add_column("flag")
            flags.add_column("at end", justify="right")
            for f, v in s.flags_end.items():
                flags.add_row(f, f"{v.mean:.0%}")
            out.append(flags)
        if len(self.points) > 1:
            out.append(Text("\nBy setting"))
            sweep = Table(box=None, pad_edge=False)
            sweep.add_column("settings")
            sweep.add_column("games", justify="right")
            for r in s.layout.roles:
                sweep.add_column(f"{content.role_name(r)} leads / mean", justify="right")
            sweep.add_column("reversals", justify="right")
            for p, ps in zip(self.points, self.by_point, strict=True):
                sweep.add_row(
                    describe(p),
                    str(ps.games),
                    *(f"{ps.leads[r].mean:.0%} / {ps.scores[r].mean:.1f}" for r in s.layout.roles),
                    f"{ps.reversals.mean:.2f}",
                )
            out.append(sweep)
        return out
