"""The columns of an experiment's output: one flat column per value, flag, score and setting.

Rows are one per game, or one per game and turn (`--per-turn`). Values and flags keep their
dotted names (`cohesion`, `us_japan.trust`, `export_controls`); everything else has a prefix
(`score.tokyo`, `bot.seoul`, `set.nk_threat`, `objective.seoul.controls_lifted`). Batches are
columnar (name -> list), cheap to send between processes and to write as Parquet.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from wargame.engine.content import Content
from wargame.engine.resolve import base_env
from wargame.experiments.playout import Playout
from wargame.experiments.settings import Settings

Batch = dict[str, list[Any]]

FAN_VALUE = "cohesion"
"""The value kept turn by turn in per-game rows (`by_turn.cohesion`), for fan charts."""


def order_text(orders: Sequence[Any]) -> str:
    """A role's orders for one turn as written on the command line: `a;b:target`; "" passes."""
    return ";".join([o.key for o in orders])


def reversals(start: bool, seq: Sequence[bool]) -> int:
    """Changes of a flag undone within two turns (a measure imposed, then lifted; or lifted,
    then imposed again). `seq` holds the flag after each turn, `start` before the first."""
    changes = [t for t in range(len(seq)) if seq[t] != (seq[t - 1] if t else start)]
    return sum(1 for a, b in itertools.pairwise(changes) if b - a <= 2)


class Layout:
    """Column names and kinds for one experiment; the same on every worker."""

    def __init__(self, content: Content, setting_names: tuple[str, ...], per_turn: bool) -> None:
        self.content = content
        self.setting_names = setting_names
        self.per_turn = per_turn
        self.roles = content.role_ids
        self.values = tuple(content.variables)
        self.flags = tuple(n for n, v in content.variables.items() if v.is_flag)
        # (value name, its column), computed once: a row is built per game.
        self._value_columns = [(n, self.value_column(n)) for n in self.values]

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
        game: Playout,
        run: int,
        settings: Settings,
        bots: dict[str, str],
    ) -> None:
        """Append one game's row (or rows, one per turn) to a columnar batch."""
        content = self.content
        turns = game.turns
        fixed: list[tuple[str, Any]] = [
            ("run", run),
            ("seed", game.seed),
            ("scenario", content.id),
        ]
        fixed += [(f"set.{n}", v) for n, v in settings]
        fixed += [(f"bot.{r}", bots[r]) for r in self.roles]
        if self.per_turn:
            self._add_turns(batch, game, fixed)
            return
        for name, value in fixed:
            batch[name].append(value)
        final = turns[-1]
        scores = final.scores
        best = max(scores.values())
        leaders = [r for r in self.roles if scores[r] == best]
        for r in self.roles:
            batch[f"score.{r}"].append(scores[r])
            batch[f"lead.{r}"].append(1 / len(leaders) if r in leaders else 0.0)
        tallies = game.final.tallies
        env = base_env(content, game.final)
        for o in content.objectives:
            met = batch[f"objective.{o.role}.{o.id}"]
            if o.scored == "each_turn":
                met.append(tallies.get(o.key, 0))
            else:
                met.append(bool(o.when(env, _no_chance)))
        batch["reversals"].append(self._reversals(game))
        after = final.after
        for name, col in self._value_columns:
            batch[col].append(after[name])
        if FAN_VALUE in content.variables:
            batch[f"by_turn.{FAN_VALUE}"].append([float(t.after[FAN_VALUE]) for t in turns])
        for r in self.roles:
            batch[f"orders.{r}"].append([order_text(t.orders[r]) for t in turns])
        batch["hash"].append(final.hash)

    def _reversals(self, game: Playout) -> int:
        return sum(
            reversals(bool(game.start[f]), [bool(t.after[f]) for t in game.turns])
            for f in self.flags
        )

    def _add_turns(self, batch: Batch, game: Playout, fixed: list[tuple[str, Any]]) -> None:
        content = self.content
        flags = self.flags
        seen = [bool(game.start[f]) for f in flags]
        history: list[list[bool]] = [[] for _ in flags]
        tallies: dict[str, int] = {}
        for number, turn in enumerate(game.turns, start=1):
            for name, value in fixed:
                batch[name].append(value)
            batch["turn"].append(number)
            batch["label"].append(content.label(number))
            for r in self.roles:
                batch[f"score.{r}"].append(turn.scores[r])
            env = base_env(content, turn.state)
            now = turn.state.tallies
            for o in content.objectives:
                if o.scored == "each_turn":
                    held = now.get(o.key, 0) > tallies.get(o.key, 0)
                else:
                    held = bool(o.when(env, _no_chance))
                batch[f"objective.{o.role}.{o.id}"].append(held)
            tallies = dict(now)
            # Reversals so far: the running count, so the last turn's row has the game's.
            for i, f in enumerate(flags):
                history[i].append(bool(turn.after[f]))
            batch["reversals"].append(
                sum(reversals(s, h) for s, h in zip(seen, history, strict=True))
            )
            for name, col in self._value_columns:
                batch[col].append(turn.after[name])
            for r in self.roles:
                batch[f"orders.{r}"].append(order_text(turn.orders[r]))
            batch["events"].append(";".join(turn.events))
            batch["hash"].append(turn.hash)


_RESERVED = frozenset({"run", "seed", "scenario", "turn", "label", "reversals", "events", "hash"})


def _no_chance(p: float) -> bool:
    # Objectives are read, never rolled: a chance() in one counts as unmet (as in scoring).
    return False


def row_count(batch: Batch) -> int:
    return len(batch["run"])


def rows(batch: Batch) -> list[dict[str, Any]]:
    names = list(batch)
    return [dict(zip(names, vals, strict=True)) for vals in zip(*batch.values(), strict=True)]
