"""The hotwash: what the after-action report quotes from a hosted game's save — each seat's
rationale, turn by turn, and each intervention of the white cell with its rationale."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

KINDS = {
    "seat": "seat handed over",
    "extend": "deadline extended",
    "deadline": "deadline passed",
    "inject": "event injected",
    "override": "value overridden",
}


def _quote(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return f"{v:g}" if isinstance(v, int | float) else str(v)


def describe(c: Mapping[str, Any]) -> str:
    """What a control did, in a few words (the AAR and the clients' notices)."""
    what = []
    if c.get("event"):
        what.append(f"event {c['event']}")
    if c.get("title"):
        what.append(str(c["title"]))
    if c.get("kind") == "override":
        what.append(f"{c.get('name')} = {_value(c['value'])}" if "value" in c
                    else str(c.get("name")))
    for ch in c.get("changes", []) if isinstance(c.get("changes"), list) else []:
        if "add" in ch:
            what.append(f"{ch.get('name')} {ch['add']:+g}")
        elif "set" in ch:
            what.append(f"{ch.get('name')} = {_value(ch['set'])}")
        else:
            what.append(f"{ch.get('name')} changed")
    if c.get("role"):
        what.append(f"{c['role']} → {c.get('seat')}" if c.get("seat") else str(c["role"]))
    if c.get("roles"):
        what.append(f"{', '.join(c['roles'])} played by the {c.get('bot')} bot")
    if c.get("seconds"):
        what.append(f"+{c['seconds']} s")
    return "; ".join(what)


def host_markdown(host: Mapping[str, Any], game_controls: Sequence[Any] = ()) -> str:
    """Markdown for the `host` field of a save and its `controls` (the white cell's changes
    to the game), "" when there is nothing to quote."""
    rationale = [r for r in host.get("rationale", []) if isinstance(r, dict)]
    controls = sorted((c for c in [*host.get("controls", []), *game_controls]
                       if isinstance(c, dict)), key=lambda c: int(c.get("turn") or 0))
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
            what = _quote(describe(c))
            why = _quote(c.get("rationale") or "") or "no rationale given"
            lines.append(f"- **Turn {c.get('turn')}** — {kind}"
                         f"{' (' + what + ')' if what else ''}: “{why}”")
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
    controls = doc.get("controls") if isinstance(doc, dict) else None
    return host_markdown(host, controls if isinstance(controls, list) else ()) if isinstance(
        host, dict) else ""
