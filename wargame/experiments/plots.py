"""Charts of an experiment's output (`wargame plot`), PNG and SVG, with matplotlib (Agg).

Reads what `simulate --out` wrote, Parquet or JSON Lines, per game or per turn:
- scores: each role's distribution of final scores;
- fan: cohesion over turns, median with 50% and 90% bands (when the scenario has cohesion);
- objectives: how often each objective was met, by role;
- tornado (sweeps only): for each swept name, how far each role's mean score moves between
  that name's lowest- and highest-scoring values, widest first.
"""

from __future__ import annotations

import json
import math
import os
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from wargame.experiments.columns import FAN_VALUE

ROLE_COLOURS = ("#1f5fa8", "#c0392b", "#2e8b57", "#8e44ad", "#d68910")
Columns = dict[str, list[Any]]


class PlotError(Exception):
    """The runs file cannot be charted; the message is for the user."""


def read_runs(path: Path) -> Columns:
    if not os.path.isfile(path):  # never raises, even for a path too long for the system
        raise PlotError(f"no file {path} (give what `wargame simulate --out` wrote)")
    try:
        if path.suffix == ".parquet":
            import pyarrow.parquet as pq

            return dict(pq.read_table(path).to_pydict())
        cols: Columns = defaultdict(list)
        with path.open(encoding="utf-8") as f:
            for number, line in enumerate(f, start=1):
                if not line.strip():
                    continue
                row = json.loads(line)
                if not isinstance(row, dict):
                    raise PlotError(f"{path}:{number}:1: expected a JSON object per line")
                for k, v in row.items():
                    cols[k].append(v)
        return dict(cols)
    except PlotError:
        raise
    except json.JSONDecodeError as err:
        raise PlotError(f"{path}:{err.lineno}:{err.colno}: not JSON Lines: {err.msg}") from None
    except ImportError:
        raise PlotError(
            "reading Parquet needs pyarrow: pip install 'wargame[experiments]'"
        ) from None
    except OSError as err:
        raise PlotError(f"cannot read {path}: {err.strerror or err}") from None
    except Exception as err:  # pyarrow's errors for a file that is not Parquet
        raise PlotError(f"{path} is not a Parquet file ({type(err).__name__})") from None


class Runs:
    """Per-game figures from either kind of output."""

    def __init__(self, cols: Columns) -> None:
        if "run" not in cols or not cols["run"]:
            raise PlotError("no rows: was this written by `wargame simulate --out`?")
        self.roles = [c[len("score.") :] for c in cols if c.startswith("score.")]
        self.settings = [c[len("set.") :] for c in cols if c.startswith("set.")]
        self.per_turn = "turn" in cols
        key = ["run", *(f"set.{s}" for s in self.settings)]
        n = len(cols["run"])
        games: dict[tuple[Any, ...], list[int]] = defaultdict(list)
        for i in range(n):
            games[tuple(cols[k][i] for k in key)].append(i)
        self.games = list(games.values())  # row indices of each game, in turn order
        last = [rows[-1] for rows in self.games]
        self.scores = {r: [cols[f"score.{r}"][i] for i in last] for r in self.roles}
        self.points = [{s: cols[f"set.{s}"][i] for s in self.settings} for i in last]
        self.objectives: dict[str, float] = {}
        for c in cols:
            if c.startswith("objective."):
                vals = cols[c]
                if self.per_turn:
                    # held this turn: at_end objectives count at the last turn only; each_turn
                    # ones over every turn. The file does not say which: show both as "met".
                    share = [sum(bool(vals[i]) for i in rows) / len(rows) for rows in self.games]
                    self.objectives[c[len("objective.") :]] = sum(share) / len(share)
                else:
                    turns = max(1, len(cols["orders." + self.roles[0]][0])) if self.roles else 1
                    met = [
                        float(v) if isinstance(v, bool) else float(v) / turns
                        for v in (vals[i] for i in last)
                    ]
                    self.objectives[c[len("objective.") :]] = sum(met) / len(met)
        self.fan: list[list[float]] | None = None
        if self.per_turn and FAN_VALUE in cols:
            self.fan = [[float(cols[FAN_VALUE][i]) for i in rows] for rows in self.games]
        elif f"by_turn.{FAN_VALUE}" in cols:
            self.fan = [[float(v) for v in cols[f"by_turn.{FAN_VALUE}"][i]] for i in last]


def plot_runs(path: Path, out: Path) -> list[Path]:
    """Write every chart that fits the data into `out`; returns the files written."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise PlotError("charts need matplotlib: pip install 'wargame[plot]'") from None
    runs = Runs(read_runs(path))
    if out.exists() and not out.is_dir():
        raise PlotError(f"--out {out} is a file; give a folder for the charts")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise PlotError(f"cannot make the folder {out}: {err.strerror or err}") from None
    title = path.name
    charts = [("scores", _scores), ("objectives", _objectives)]
    if runs.fan:
        charts.insert(1, ("cohesion_fan", _fan))
    if runs.settings and len({tuple(p.items()) for p in runs.points}) > 1:
        charts.append(("tornado", _tornado))
    written: list[Path] = []
    plt.rcParams.update(
        {
            "font.size": 10,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "svg.fonttype": "none",  # text stays text in SVG: searchable, selectable
        }
    )
    for name, draw in charts:
        fig = draw(plt, runs, title)
        for suffix in (".png", ".svg"):
            target = out / f"{name}{suffix}"
            try:
                fig.savefig(target, dpi=120, bbox_inches="tight")
            except OSError as err:
                raise PlotError(f"cannot write {target}: {err.strerror or err}") from None
            written.append(target)
        plt.close(fig)
    return written


def _name(role: str) -> str:
    return role.replace("_", " ").title()


def _scores(plt: Any, runs: Runs, title: str) -> Any:
    """Side-by-side bars per score (scores are whole numbers), binned when they spread wide."""
    fig, ax = plt.subplots(figsize=(8, 4))
    data = [[float(x) for x in runs.scores[r]] for r in runs.roles]
    low = math.floor(min(min(d) for d in data))
    high = math.ceil(max(max(d) for d in data))
    step = max(1, math.ceil((high - low + 1) / 30))
    edges = list(range(low, high + step + 1, step))
    width = 0.8 * step / len(data)
    for i, (role, scores) in enumerate(zip(runs.roles, data, strict=True)):
        counts = [0] * (len(edges) - 1)
        for x in scores:
            counts[min(len(counts) - 1, int((x - low) // step))] += 1
        mean = sum(scores) / len(scores)
        colour = ROLE_COLOURS[i % len(ROLE_COLOURS)]
        xs = [e + (step - 1) / 2 - 0.4 * step + width * (i + 0.5) for e in edges[:-1]]
        ax.bar(xs, counts, width=width, color=colour, label=f"{_name(role)} (mean {mean:.1f})")
        ax.axvline(mean, color=colour, linestyle=":", linewidth=1.5)
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("final score" + (f" (bins of {step})" if step > 1 else ""))
    ax.set_ylabel("games")
    ax.set_title(f"Final scores by role — {len(runs.games)} games ({title})")
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig


def _percentile(sorted_vals: Sequence[float], q: float) -> float:
    k = (len(sorted_vals) - 1) * q
    lo, hi = math.floor(k), math.ceil(k)
    return sorted_vals[lo] + (sorted_vals[hi] - sorted_vals[lo]) * (k - lo)


def _fan(plt: Any, runs: Runs, title: str) -> Any:
    assert runs.fan is not None
    turns = min(len(g) for g in runs.fan)
    xs = list(range(1, turns + 1))
    cols = [sorted(g[t] for g in runs.fan) for t in range(turns)]
    band = {q: [_percentile(c, q) for c in cols] for q in (0.05, 0.25, 0.5, 0.75, 0.95)}
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.fill_between(xs, band[0.05], band[0.95], color="#1f5fa8", alpha=0.18, label="90% of games")
    ax.fill_between(xs, band[0.25], band[0.75], color="#1f5fa8", alpha=0.35, label="50% of games")
    ax.plot(xs, band[0.5], color="#1f5fa8", linewidth=2, label="median")
    ax.axhline(25, color="#c0392b", linestyle="--", linewidth=1, label="collapse (25)")
    ax.set_xlim(1, turns)
    ax.set_ylim(0, 100)
    ax.set_xticks(xs)
    ax.set_xlabel("turn (after resolution)")
    ax.set_ylabel(FAN_VALUE)
    ax.set_title(f"Trilateral {FAN_VALUE} over the game — {len(runs.fan)} games ({title})")
    ax.legend(frameon=False, loc="lower left", ncol=2)
    return fig


def _objectives(plt: Any, runs: Runs, title: str) -> Any:
    names = list(runs.objectives)
    shares = [runs.objectives[n] for n in names]
    colours = []
    for n in names:
        role = n.split(".", 1)[0]
        i = runs.roles.index(role) if role in runs.roles else 0
        colours.append(ROLE_COLOURS[i % len(ROLE_COLOURS)])
    fig, ax = plt.subplots(figsize=(7, 0.35 * len(names) + 1.2))
    ys = list(range(len(names)))[::-1]
    ax.barh(ys, [s * 100 for s in shares], color=colours)
    for y, s in zip(ys, shares, strict=True):
        ax.text(s * 100 + 1, y, f"{s:.0%}", va="center", fontsize=9)
    ax.set_yticks(ys)
    ax.set_yticklabels([n.replace(".", ": ", 1) for n in names])
    ax.set_xlim(0, 110)
    ax.set_xlabel("met (%) — at_end: share of games; each_turn: share of turns")
    ax.set_title(f"Objectives met ({title})")
    return fig


def _tornado(plt: Any, runs: Runs, title: str) -> Any:
    """Per role, per swept name: the mean final score at each of its values (averaged over the
    other names); the bar spans the lowest to the highest of those means."""
    fig, axes = plt.subplots(
        1, len(runs.roles), figsize=(4 * len(runs.roles), 0.6 * len(runs.settings) + 1.8)
    )
    if len(runs.roles) == 1:
        axes = [axes]
    for i, (role, ax) in enumerate(zip(runs.roles, axes, strict=True)):
        scores = runs.scores[role]
        overall = sum(scores) / len(scores)
        spans = []
        for name in runs.settings:
            by_value: dict[Any, list[float]] = defaultdict(list)
            for point, score in zip(runs.points, scores, strict=True):
                by_value[point[name]].append(score)
            means = {v: sum(s) / len(s) for v, s in by_value.items()}
            lo_v = min(means, key=lambda v: means[v])
            hi_v = max(means, key=lambda v: means[v])
            spans.append((means[hi_v] - means[lo_v], name, means[lo_v], means[hi_v], lo_v, hi_v))
        spans.sort()
        colour = ROLE_COLOURS[i % len(ROLE_COLOURS)]
        width = max((sp[0] for sp in spans), default=0.0) or 1.0
        pad = width * 0.03
        for y, (span, _, lo, hi, lo_v, hi_v) in enumerate(spans):
            if span == 0:
                ax.plot([lo], [y], marker="|", markersize=14, color=colour)
                ax.text(hi + pad, y, "no effect", va="center", fontsize=8, color="#555555")
                continue
            ax.barh(y, hi - lo, left=lo, height=0.55, color=colour, alpha=0.85)
            ax.text(lo - pad, y, _fmt(lo_v), ha="right", va="center", fontsize=8)
            ax.text(hi + pad, y, _fmt(hi_v), ha="left", va="center", fontsize=8)
        lows = [sp[2] for sp in spans] + [overall]
        highs = [sp[3] for sp in spans] + [overall]
        ax.set_xlim(min(lows) - width * 0.3, max(highs) + width * 0.3)
        ax.axvline(overall, color="black", linewidth=1, linestyle=":")
        ax.set_yticks(range(len(spans)))
        ax.set_yticklabels([s[1] for s in spans])
        ax.set_ylim(-0.6, len(spans) - 0.1)
        ax.set_xlabel(f"mean final score (dotted: all games, {overall:.1f})")
        ax.set_title(_name(role))
    fig.suptitle(
        f"Mean final score at each setting's worst and best value, other settings averaged "
        f"({title})"
    )
    fig.tight_layout()
    return fig


def _fmt(v: Any) -> str:
    if isinstance(v, bool):
        return "on" if v else "off"
    if isinstance(v, float) and v == int(v):
        return str(int(v))
    return str(v)
