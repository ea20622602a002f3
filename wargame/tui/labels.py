"""Short human names for the dotted value names, bands and bars, shared by every view. Numbers
and changes are formatted by the engine (`resolve.format_value`, `resolve.format_delta`)."""

from __future__ import annotations

from collections.abc import Mapping

from wargame.engine.content import Content
from wargame.engine.state import Value

LEGS: tuple[tuple[str, str], ...] = (
    ("us_japan.trust", "US–Japan"),
    ("us_rok.trust", "US–ROK"),
    ("japan_rok.trust", "Japan–ROK"),
)
DANGERS: tuple[tuple[str, str], ...] = (
    ("nk_threat", "NK threat"),
    ("china_pressure", "China pressure"),
)

_FIXED = {
    "us_japan.trust": "US–Japan trust",
    "us_rok.trust": "US–ROK trust",
    "japan_rok.trust": "Japan–ROK trust",
    "cohesion": "Cohesion",
    "nk_threat": "NK threat",
    "china_pressure": "China pressure",
    "trade": "Trade",
    "us_commitment": "US commitment",
    "gsomia": "GSOMIA",
    "export_controls": "Export controls",
    "tokyo_whitelist": "Tokyo's white list",
    "seoul_whitelist": "Seoul's white list",
    "boycott": "Boycott",
    "wto_case": "WTO case",
    "assets_seized": "Assets seized",
    "travel_bans": "Travel bans",
}

FLAG_ORDER = ("gsomia", "export_controls", "tokyo_whitelist", "seoul_whitelist", "boycott",
              "wto_case", "assets_seized")


def role_name(role: str, content: Content | None = None) -> str:
    """The scenario's name for a role ('Tokyo'); without a scenario, the id as words."""
    if content is not None:
        return content.role_name(role)
    return role.replace("_", " ").title()


def label(name: str, content: Content | None = None) -> str:
    """`seoul.favorability.tokyo` → `Seoul → Tokyo favour`; unknown names read as words."""
    if name in _FIXED:
        return _FIXED[name]
    parts = name.split(".")
    roles = content.role_ids if content is not None else ("washington", "tokyo", "seoul")
    if parts[0] in roles:
        who = role_name(parts[0], content)
        if len(parts) == 3 and parts[1] == "favorability":
            return f"{who} → {role_name(parts[2], content)} favour"
        if len(parts) == 2:
            return f"{who} {parts[1].replace('_', ' ')}"
    return name.replace("_", " ").replace(".", " ").capitalize()


def delta_of(before: Value, after: Value) -> float:
    """A change as a number (flags count as 0 and 1)."""
    return float(after) - float(before)


def trust_band(value: float) -> tuple[str, str]:
    """A word and a theme colour for a level of trust, so meaning never rests on colour alone."""
    if value >= 60:
        return "solid", "$text-success"
    if value >= 40:
        return "fair", "$text-primary"
    if value >= 25:
        return "strained", "$text-warning"
    return "broken", "$text-error"


def danger_band(value: float) -> tuple[str, str]:
    if value >= 70:
        return "high", "$text-error"
    if value >= 45:
        return "raised", "$text-warning"
    return "low", "$text-success"


def flags_in_force(values: Mapping[str, Value], content: Content | None = None) -> list[str]:
    """Labels of the flags that are true, known ones first in a fixed order."""
    names = [f for f in FLAG_ORDER if f in values]
    if content is not None:
        names += [v.name for v in content.variables.values()
                  if v.is_flag and v.name not in names]
    return [label(n, content) for n in names if values.get(n) is True]


def bar(value: float, width: int = 10, top: float = 100.0) -> str:
    """A text bar: ▮ for each filled tenth, ▯ for the rest (readable without colour)."""
    filled = max(0, min(width, round(float(value) / top * width)))
    return "▮" * filled + "▯" * (width - filled)
