"""`--set NAME=VALUE` and `--sweep NAME=V1,V2,...`: what an experiment changes in a scenario.

A setting names a variable or flag (its start value changes) or, where the scenario has
them, one of its `params:` (the constant changes). A sweep is the grid of every combination
of its names' values; each point of the grid is one `Settings`, fixed values included, and
every output row carries it.
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Sequence

import attrs

from wargame.engine.content import Content, Variable

SettingValue = float | bool
Settings = tuple[tuple[str, SettingValue], ...]
"""One point of an experiment: (name, value) pairs in the order they were given."""


class SettingError(ValueError):
    """A --set or --sweep that cannot apply; the message says what to write instead."""


def _split(spec: str, option: str, example: str) -> tuple[str, str]:
    name, sep, value = spec.partition("=")
    name, value = name.strip(), value.strip()
    if not sep or not name or not value:
        raise SettingError(f"{option} takes NAME=VALUE, e.g. {example} (got {spec!r})")
    return name, value


def _kind(content: Content, name: str, option: str) -> Variable | None:
    """The variable a name sets, or None for a param; an unknown name is an error."""
    if name in content.variables:
        return content.variables[name]
    if name in content.params:
        return None
    known = [*content.variables, *content.params]
    near = difflib.get_close_matches(name, known, n=1)
    hint = f"; did you mean {near[0]!r}?" if near else ""
    raise SettingError(
        f"{option}: {content.id} has no variable, flag or param {name!r}{hint} "
        f"(`wargame schema` and the scenario list them)"
    )


def _value(content: Content, name: str, text: str, option: str) -> SettingValue:
    var = _kind(content, name, option)
    if var is not None and var.is_flag:
        lowered = text.lower()
        if lowered in ("true", "yes", "on", "1"):
            return True
        if lowered in ("false", "no", "off", "0"):
            return False
        raise SettingError(f"{option}: {name} is a flag; give true or false (got {text!r})")
    try:
        number = float(text)
    except ValueError:
        raise SettingError(f"{option}: {name} takes a number (got {text!r})") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise SettingError(f"{option}: {name} takes a finite number (got {text!r})")
    if var is not None and not var.min <= number <= var.max:
        raise SettingError(
            f"{option}: {name} must be between {var.min:g} and {var.max:g} (got {text})"
        )
    return number


def parse_settings(content: Content, sets: Sequence[str], sweeps: Sequence[str]) -> list[Settings]:
    """Every point of the experiment, in grid order (the last --sweep varies fastest)."""
    fixed: dict[str, SettingValue] = {}
    for spec in sets:
        name, text = _split(spec, "--set", "nk_threat=70")
        fixed[name] = _value(content, name, text, "--set")
    axes: dict[str, list[SettingValue]] = {}
    for spec in sweeps:
        name, text = _split(spec, "--sweep", "nk_threat=30,50,70")
        if name in fixed:
            raise SettingError(f"{name} is given by both --set and --sweep; keep one")
        if name in axes:
            raise SettingError(f"--sweep {name} is given twice; list all its values once")
        parts = [p.strip() for p in text.split(",")]
        if any(not p for p in parts):
            raise SettingError(f"--sweep {name}: an empty value in {text!r}")
        values = [_value(content, name, p, "--sweep") for p in parts]
        axes[name] = list(dict.fromkeys(values))
    grid = itertools.product(*axes.values())
    return [tuple(fixed.items()) + tuple(zip(axes, point, strict=True)) for point in grid]


def apply_settings(content: Content, settings: Settings) -> Content:
    """The content with these start values and params; the scenario itself is untouched.
    Params are compiled into the expressions, so changing one compiles the texts again."""
    if not settings:
        return content
    scenario_hash = content.content_hash
    params = {n: float(v) for n, v in settings if n not in content.variables}
    if params:
        from wargame.storage.content_loader import compile_content, source_of

        given = tuple(sorted({**content.params, **params}.items()))
        content = compile_content(source_of(content), given)
    variables = dict(content.variables)
    for name, value in settings:
        if name in variables:
            variables[name] = attrs.evolve(variables[name], start=value)
    label = ",".join(f"{n}={format_setting(v)}" for n, v in settings)
    # A changed game is not the scenario's: its hash says so, so saves never mix them up.
    return attrs.evolve(content, variables=variables, content_hash=f"{scenario_hash}+{label}")


def format_setting(value: SettingValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return f"{value:g}"


def describe(settings: Settings) -> str:
    return ", ".join(f"{n}={format_setting(v)}" for n, v in settings) or "scenario as written"
