"""The columns of an experiment's output: one flat column per value, flag, score and setting.

Rows are one per game, or one per game and turn (`--per-turn`). Values and flags keep their
dotted names (`cohesion`, `us_japan.trust`, `export_controls`); everything else has a prefix
(`score.tokyo`, `bot.seoul`, `set.nk_threat`, `objective.seoul.controls_lifted`). Batches are
columnar (name -> list), cheap to send between processes and to write as Parquet.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from wargame.engine.content import Content
from wargame.experiments.playout import GameRecord, tracked
from wargame.experiments.settings import Settings

Batch = dict[str, list[Any]]

FAN_VALUE = "cohesion"
"""The value kept turn by turn in per-game rows (`by_turn.cohesion`), for fan charts."""


def order_text(orders: Sequence[Any]) -> str:
    """A role's orders for one turn as written on the command line: `a;b:target`; "" passes."""
    if not orders:
        return ""
    return ";".join([o.key for o in orders])


def reversals(start: bool, seq: Sequence[Any]) -> int:
    """Changes of a flag undone within two turns (a measure imposed, then lifted; or lifted,
    then imposed again). `seq` holds the flag after each turn, `start` before the first."""
    count, prev, last = 0, start, -3
    for t, v in enumerate(seq):
        if v != prev:
            if t - last <= 2:  # this change undoes the one before
                count += 1
            prev, last = v, t
    return count


class Layout:
    """Column names and kinds for one experiment; the same on every worker."""

    def __init__(
        self,
        content: Content,
        setting_names: tuple[str, ...],
        per_turn: bool,
        hashes: bool = True,
    ) -> None:
        self.content = content
        self.hashes = hashes or per_turn
        self.setting_names = setting_names
        self.per_turn = per_turn
        self.roles = content.role_ids
        self.values = tuple(content.variables)
        self.flags = tuple(n for n, v in content.variables.items() if v.is_flag)
        # (value name, its column), computed once: a row is built per game.
        self._value_columns = [(n, self.value_column(n)) for n in self.values]
        self.tracked = tracked(content, FAN_VALUE)
        self._objective_columns = [f"objective.{o.role}.{o.id}" for o in content.objectives]

    def value_column(self, name: str) -> str:
        # A variable that clashes with a column of ours keeps its data under `value.`.
        return f"value.{name}" if name in _RESERVED else name

    def columns(self) -> list[tuple[str, str]]:
        """(name, kind) in output order; kinds: int, float, bool, str, list<float>, list<str>."""
        cols: list[tuple[str, str]] = [("run", "int"), ("seed", "int"), ("scenario", "str")]
        cols += [(f"set.{n}", self._setting_kind(n)) for n in self.setting_names]
        cols += [(f"bot.{r}", "str") for r in self.roles]
        if self.per_turn:
            cols += [("turn", "int"), ("label", "str")]
        cols += [(f"score.{r}", "int") for r in self.roles]
        if not self.per_turn:
            cols += [(f"lead.{r}", "float") for r in self.roles]
        for o in self.content.objectives:
            kind = "int" if o.scored == "each_turn" and not self.per_turn else "bool"
            cols.append((f"objective.{o.role}.{o.id}", kind))
        cols.append(("reversals", "int"))
        for name, var in self.content.variables.items():
            cols.append((self.value_column(name), "bool" if var.is_flag else "float"))
        if self.per_turn:
            cols += [(f"orders.{r}", "str") for r in self.roles]
            cols.append(("events", "str"))
        else:
            if FAN_VALUE in self.content.variables:
                cols.append((f"by_turn.{FAN_VALUE}", "list<float>"))
            cols += [(f"orders.{r}", "list<str>") for r in self.roles]
        if self.hashes:
            cols.append(("hash", "str"))
        return cols

    def _setting_kind(self, name: str) -> str:
        var = self.content.variables.get(name)
        return "bool" if var is not None and var.is_flag else "float"

    def empty(self) -> Batch:
        return {name: [] for name, _ in self.columns()}

    def add(
        self,
        batch: Batch,
        game: GameRecord,
        run: int,
        settings: Settings,
        bots: Mapping[str, str],
    ) -> None:
        """Append one game's row (or rows, one per turn) to a columnar batch."""
        fixed: list[tuple[str, Any]] = [
            ("run", run),
            ("seed", game.seed),
            ("scenario", self.content.id),
        ]
        fixed += [(f"set.{n}", v) for n, v in settings]
        fixed += [(f"bot.{r}", bots[r]) for r in self.roles]
        if self.per_turn:
            self._add_turns(batch, game, fixed)
            return
        for name, value in fixed:
            batch[name].append(value)
        turns = game.turns
        scores = game.scores
        best = max(scores.values())
        leaders = [r for r in self.roles if scores[r] == best]
        for r in self.roles:
            batch[f"score.{r}"].append(scores[r])
            batch[f"lead.{r}"].append(1 / len(leaders) if r in leaders else 0.0)
        for col, met in zip(self._objective_columns, game.objectives, strict=True):
            batch[col].append(met)
        # Tracked values per turn are the flags, then the fan value (playout.tracked).
        afters = [
            t.after if isinstance(t.after, tuple) else tuple([t.after[n] for n in self.tracked])
            for t in turns
        ]
        by_turn = list(zip(*afters, strict=True))
        start = game.start
        batch["reversals"].append(
            sum([reversals(bool(start[i]), by_turn[i]) for i in range(len(self.flags))])
        )
        values = game.values
        for name, col in self._value_columns:
            batch[col].append(values[name])
        if FAN_VALUE in self.content.variables:
            batch[f"by_turn.{FAN_VALUE}"].append([float(v) for v in by_turn[-1]])
        for r in self.roles:
            batch[f"orders.{r}"].append([order_text(t.orders.get(r, ())) for t in turns])
        if self.hashes:
            batch["hash"].append(game.hash)

    def _add_turns(self, batch: Batch, game: GameRecord, fixed: list[tuple[str, Any]]) -> None:
        content = self.content
        flags = self.flags
        start = [bool(v) for v in game.start[: len(flags)]]
        history: list[list[bool]] = [[] for _ in flags]
        for number, turn in enumerate(game.turns, start=1):
            assert turn.scores is not None and turn.held is not None
            for name, value in fixed:
                batch[name].append(value)
            batch["turn"].append(number)
            batch["label"].append(content.label(number))
            for r in self.roles:
                batch[f"score.{r}"].append(turn.scores[r])
            for col, held in zip(self._objective_columns, turn.held, strict=True):
                batch[col].append(held)
            # Reversals so far: the running count, so the last turn's row has the game's.
            after = turn.after
            assert isinstance(after, Mapping)
            for i, f in enumerate(flags):
                history[i].append(bool(after[f]))
            batch["reversals"].append(
                sum(reversals(s, h) for s, h in zip(start, history, strict=True))
            )
            for name, col in self._value_columns:
                batch[col].append(after[name])
            for r in self.roles:
                batch[f"orders.{r}"].append(order_text(turn.orders.get(r, ())))
            batch["events"].append(";".join(turn.events))
            batch["hash"].append(turn.hash)


_RESERVED = frozenset({"run", "seed", "scenario", "turn", "label", "reversals", "events", "hash"})


def row_count(batch: Batch) -> int:
    return len(batch["run"])


def rows(batch: Batch) -> list[dict[str, Any]]:
    names = list(batch)
    return [dict(zip(names, vals, strict=True)) for vals in zip(*batch.values(), strict=True)]
