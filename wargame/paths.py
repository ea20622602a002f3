"""Where bundled content lives: the checkout's folders, or the copy inside the wheel."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent


def content_dir(kind: str) -> Path:
    """`scenarios` or `rules`: the wheel's copy when installed, else the checkout's folder."""
    bundled = _PACKAGE / "_content" / kind
    return bundled if bundled.is_dir() else _CHECKOUT / kind


def in_checkout() -> bool:
    return (_CHECKOUT / "pyproject.toml").is_file() and (_CHECKOUT / "wargame").is_dir()


def checkout_root() -> Path:
    return _CHECKOUT


def bundled_scenarios() -> list[Path]:
    return sorted(content_dir("scenarios").glob("*.yaml"))


def find_scenario(name: str) -> Path | None:
    """A bundled id (`convenor`) or a path to a YAML file."""
    candidate = Path(name)
    if candidate.suffix in (".yaml", ".yml") or "/" in name or os.path.isfile(name):
        # os.path never raises (a path too long for the system is simply not found); an
        # existing path that is not a file (a device) is returned for the reader to refuse
        return candidate if os.path.exists(name) else None
    for path in bundled_scenarios():
        if path.stem == name:
            return path
    return None
