"""`wargame calibrate`: a scenario's `targets:` against the engine's run of the real moves.

Each target names a value, the turn (or date) it was observed at, the observed figure, its
source and a tolerance. The scripted orders (the real moves) are played on the traced path;
the model's figure is the value at the end of that turn, averaged over the seeds run (chance
events make single runs noisy). A target is met when |model - observed| <= tolerance.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from wargame.engine.content import Content
from wargame.engine.game import Game
from wargame.engine.resolve import format_value
from wargame.engine.state import Order


@attrs.frozen
class Target:
    value: str
    turn: int
    observed: float
    source: str
    tolerance: float
    where: str  # FILE:LINE:COL of the target in the scenario


@attrs.frozen
class Row:
    target: Target
    label: str
    model: float

    @property
    def error(self) -> float:
        return self.model - self.target.observed

    @property
    def ok(self) -> bool:
        return abs(self.error) <= self.target.tolerance + 1e-9


def calibrate(
    content: Content,
    targets: Sequence[Target],
    scripted: Sequence[dict[str, tuple[Order, ...]]],
    seeds: Sequence[int],
) -> list[Row]:
    """Play the scripted orders once per seed; each target's model figure is the mean."""
    last = max((t.turn for t in targets), default=0)
    sums = [0.0] * len(targets)
    for seed in seeds:
        game = Game(content, seed)
        after: dict[int, dict[str, float]] = {}
        for t in range(last):
            report = game.resolve(scripted[t] if t < len(scripted) else {})
            after[report.turn] = {k: float(v) for k, v in report.after.items()}
        for i, target in enumerate(targets):
            sums[i] += after[target.turn][target.value]
    n = max(len(seeds), 1)
    return [
        Row(target, content.label(target.turn), sums[i] / n) for i, target in enumerate(targets)
    ]


def table(rows: Sequence[Row]) -> list[str]:
    """The rows as an aligned text table, one line per target, a header first."""
    header = ("target", "when", "data", "model", "error", "tolerance", "")
    body = [
        (
            r.target.value,
            r.label,
            format_value(r.target.observed),
            format_value(r.model),
            ("+" if r.error >= 0 else "-") + format_value(abs(r.error)),
            "±" + format_value(r.target.tolerance),
            "ok" if r.ok else "OVER",
        )
        for r in rows
    ]
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    lines = []
    for row in [header, *body]:
        pairs = enumerate(zip(row, widths, strict=True))
        cells = [c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in pairs]
        lines.append("  ".join(cells).rstrip())
    return lines
