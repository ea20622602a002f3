"""What several commands share: usage errors, `--bot ROLE=KIND`, loading a scenario by name."""

from __future__ import annotations

from collections.abc import Sequence

from wargame.engine.bots import BOTS
from wargame.engine.content import Content

ROLES = ("washington", "tokyo", "seoul")
DEFAULT_SCENARIO = "convenor"


class UsageError(Exception):
    """A bad command line: one stderr line and exit 2."""


def bot_specs(specs: Sequence[str]) -> dict[str, str]:
    bots: dict[str, str] = {}
    for spec in specs:
        role, sep, kind = spec.partition("=")
        if not sep or not role or not kind:
            raise UsageError(f"--bot takes ROLE=KIND, e.g. seoul=heuristic (got {spec!r})")
        if kind not in BOTS:
            raise UsageError(f"unknown bot kind {kind!r}; one of: {', '.join(BOTS)}")
        bots[role] = kind
    return bots


def load_scenario(name: str) -> Content:
    from wargame.paths import find_scenario
    from wargame.storage.content_loader import load_content

    path = find_scenario(name)
    if path is None:
        from wargame.paths import bundled_scenarios

        known = ", ".join(p.stem for p in bundled_scenarios())
        raise UsageError(f"no scenario {name!r}: give a bundled id ({known}) or a YAML file")
    return load_content(path)


def check_roles(content: Content, roles: Sequence[str], what: str) -> None:
    for role in roles:
        if role not in content.role_ids:
            raise UsageError(
                f"{what}: {content.id} has no role {role!r} (roles: {', '.join(content.role_ids)})"
            )
