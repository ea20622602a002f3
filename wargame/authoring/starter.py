"""`wargame new scenario PATH [--from ID]`: a starter scenario that validates and lints clean.

Without `--from`, the starter is written from a bundled scenario's compiled content, so it
always declares every value the core rules read (with its range and meaning), and teaches
the format in comments. With `--from ID`, it is a copy of that bundled scenario under the
new id.
"""

from __future__ import annotations

import json
import re

from wargame.engine.content import Content

_ID = re.compile(r"[^a-z0-9]+")


def scenario_id(stem: str) -> str:
    """A file name → an id: lower-case words joined by `-` (`My Crisis 2024` → my-crisis-2024)."""
    words = _ID.sub("-", stem.lower()).strip("-")
    return words if words and words[0].isalnum() else f"scenario-{words}".strip("-")


def _q(text: str) -> str:
    """A YAML scalar that reads back as this text (JSON strings are YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _num(x: float | bool) -> str:
    if isinstance(x, bool):
        return "true" if x else "false"
    return str(int(x)) if x == int(x) else str(x)


def copy_of(text: str, new_id: str) -> str:
    """A bundled scenario's text under a new id (the rest unchanged)."""
    out, n = re.subn(r"(?m)^id:.*$", f"id: {new_id}", text, count=1)
    header = (
        "# Copied from a bundled scenario by `wargame new scenario --from`. Change the id's\n"
        "# title, summary and values; check with `wargame validate` and `wargame lint`.\n"
    )
    return header + out if n else header + f"id: {new_id}\n" + text


def starter(base: Content, new_id: str) -> str:
    """A new scenario's text: every value of `base` (so every name the core rules read)."""
    roles = base.roles
    r0, r1, r2 = (r.id for r in roles[:3])
    lines = [
        "# A new scenario. Every key is explained in docs/content-format.md; the tutorial in",
        "# docs/tutorial.md goes from this file to a calibrated, tested scenario.",
        "#   wargame validate THIS_FILE     # is it well formed?  (FILE:LINE:COL per problem)",
        "#   wargame lint THIS_FILE         # does every part of it work?",
        "#   wargame play THIS_FILE         # play it",
        "# Editor help: `wargame schema scenario > scenario.json`, then put this first line:",
        "#   # yaml-language-server: $schema=scenario.json",
        f"id: {new_id}                      # the name on the command line: lower-case words and -",
        f"title: {_q(new_id.replace('-', ' ').title())}",
        "summary: >",
        "  Two to four sentences on the situation, shown when the game starts. Say when it",
        "  is, what just happened, and what each capital wants.",
        "start: 2024-Q1                     # the first turn: a year and quarter (or 2024-01)",
        "turns: 8                           # one turn is a quarter",
        "rules: [core]                      # the bundled rules: every action and systemic rule",
        "",
        '# One line per number taken from the real world: "name value: what — source".',
        "# `wargame lint` checks that each name here is a value of this scenario.",
        "sources:",
        f'  - "{r2}.favorability.{r1} 20: share of Koreans with a good impression of Japan — '
        'replace with your poll and its date"',
        "",
        "roles:                             # the playable roles, in the order orders resolve",
    ]
    for r in roles:
        lines.append(f"  {r.id}:")
        lines.append(f"    name: {_q(r.name)}")
        lines.append(f"    text: {_q(r.text or 'Who governs here, and what they want.')}")
        if r.aliases:
            inner = ", ".join(f"{k}: {v}" for k, v in r.aliases.items())
            lines.append(f"    aliases: {{{inner}}}  # $actor.rival reads as this role's rival")
    if base.actors:
        lines.append("")
        lines.append("actors:                            # not played; events stand for them")
        for a in base.actors:
            lines.append(f"  {a.id}: {{name: {_q(a.name)}, text: {_q(a.text)}}}")
    lines += [
        "",
        "# Every number the core rules read. Change the start values (and cite them above);",
        "# min and max bound a value (default 0 and 100).",
        "variables:",
    ]
    for v in base.variables.values():
        if v.is_flag:
            continue
        bounds = (
            "" if (v.min, v.max) == (0.0, 100.0) else f", min: {_num(v.min)}, max: {_num(v.max)}"
        )
        lines.append(f"  {v.name}: {{start: {_num(v.start)}{bounds}, text: {_q(v.text)}}}")
    lines += ["", "# True/false facts: measures in force and the like.", "flags:"]
    for v in base.variables.values():
        if v.is_flag:
            lines.append(f"  {v.name}: {{start: {_num(v.start)}, text: {_q(v.text)}}}")
    lines += [
        "",
        "# Injects. A scheduled event fires on its date (or turn:); a conditional one has an",
        "# `if` and/or a `chance` each turn. Events fire before the players' orders, so they",
        "# cannot read this turn's orders: use ever(...), count(...) or turns_since(...) of",
        "# earlier turns (docs/content-format.md, 'History').",
        "events:",
        "  - id: missile_test",
        "    title: North Korea tests a missile",
        "    text: Pyongyang fires a ballistic missile into the sea; every capital is alarmed.",
        "    date: 2024-Q2",
        "    effects:",
        "      - add: {nk_threat: 8}",
        "  - id: leaders_meet_again",
        "    title: The leaders meet again",
        "    text: Having sat down together twice, the three leaders agree to meet every year.",
        f"    if: count(ordered.{r1}.attend_trilateral and ordered.{r2}.attend_trilateral) >= 2",
        "    once: true",
        "    effects:",
        "      - add: {cohesion: 5}",
        "",
        "# Each role's objectives: each_turn scores every turn the condition holds; at_end",
        "# scores once if it holds when the game ends.",
        "objectives:",
        f"  {r0}:",
        "    - id: triangle_holds",
        "      text: Keep trilateral cohesion at 45 or above",
        "      if: cohesion >= 45",
        "      points: 1",
        "      scored: each_turn",
        f"  {r1}:",
        "    - id: government_survives",
        "      text: Keep the cabinet's approval at 40 or above",
        f"      if: {r1}.approval >= 40",
        "      points: 1",
        "      scored: each_turn",
        f"  {r2}:",
        "    - id: government_survives",
        "      text: Keep the president's approval at 40 or above",
        f"      if: {r2}.approval >= 40",
        "      points: 1",
        "      scored: each_turn",
        "",
        "# Observed figures the engine should reproduce when the real moves are played:",
        "#   wargame calibrate THIS_FILE --orders REAL_MOVES.yaml",
        "# prints target, data, model and error, and fails when one is over its tolerance.",
        "targets:",
        f"  - value: {r2}.favorability.{r1}",
        "    date: 2024-Q2",
        "    observed: 20",
        "    source: replace with your poll, its date and publisher",
        "    tolerance: 5",
        "",
    ]
    return "\n".join(lines)
