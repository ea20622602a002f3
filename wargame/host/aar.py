"""The hotwash: what the after-action report quotes from a hosted game's save — each seat's
rationale, turn by turn, and each intervention of the white cell with its rationale."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

KINDS = {
    "seat": "seat handed over",
    "extend": "deadline extended",
    "deadline": "deadline passed",
}


def _quote(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def host_markdown(host: Mapping[str, Any]) -> str:
    """Markdown for the `host` field of a save ("" when there is nothing to quote)."""
    rationale = [r for r in host.get("rationale", []) if isinstance(r, dict)]
    controls = [c for c in host.get("controls", []) if isinstance(c, dict)]
    if not rationale and not controls:
        return ""
    lines = ["## Hotwash: the teams' reasons and the white cell", ""]
    if rationale:
        lines += ["### Why each seat ordered what it did", "",
                  "| Turn | Seat | Rationale |", "|---|---|---|"]
        for r in sorted(rationale, key=lambda r: (r.get("turn", 0), str(r.get("role")))):
            lines.append(f"| {r.get('turn')} | {r.get('role')} | {_quote(r.get('text', ''))} |")
        lines.append("")
    if controls:
        lines += ["### Interventions of the white cell", ""]
        for c in controls:
            kind = KINDS.get(str(c.get("kind")), str(c.get("kind")))
            what = []
            if c.get("role"):
                what.append(f"{c['role']} → {c.get('seat')}" if c.get("seat") else c["role"])
            if c.get("roles"):
                what.append(f"{', '.join(c['roles'])} played by the {c.get('bot')} bot")
            if c.get("seconds"):
                what.append(f"+{c['seconds']} s")
            why = _quote(c.get("rationale") or "") or "no rationale given"
            lines.append(f"- **Turn {c.get('turn')}** — {kind}"
                         f"{' (' + '; '.join(what) + ')' if what else ''}: “{why}”")
        lines.append("")
    return "\n".join(lines)


def host_markdown_of(path: Path | str) -> str:
    """The hotwash section of a save file, or "" for a game that was not hosted."""
    from wargame.storage.saves import SaveError, read_json

    try:
        doc = read_json(path)
    except SaveError:
        return ""
    host = doc.get("host") if isinstance(doc, dict) else None
    return host_markdown(host) if isinstance(host, dict) else ""
