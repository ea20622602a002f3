"""What several commands share: usage errors (one stderr line, did-you-mean, exit 2), the
parser that reports its own mistakes that way, `--bot ROLE=KIND`, loading a scenario."""

from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
from collections.abc import Iterable, Sequence
from typing import NoReturn

from wargame.cli import output
from wargame.engine.bots import BOTS
from wargame.engine.content import Content
from wargame.formats.files import shown

ROLES = ("washington", "tokyo", "seoul")
DEFAULT_SCENARIO = "convenor"


class UsageError(Exception):
    """A bad command line: one stderr line and exit 2."""


def has_screen() -> bool:
    """A screen to run Textual on: a terminal, or the browser page of `wargame serve`
    (textual-serve starts each tab's app on pipes, with its web driver named in the env)."""
    if os.environ.get("TEXTUAL_DRIVER", "").endswith(":WebDriver"):
        return True
    return sys.stdin.isatty() and sys.stdout.isatty()


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'convenor'?)' for a close choice, else ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


_INVALID_CHOICE = re.compile(r"invalid choice: '([^']*)' \(choose from (.*)\)")


class _Formatter(argparse.HelpFormatter):
    """Wraps a one-paragraph description to the terminal, as argparse does; text written on
    several lines (the examples) is kept as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if "\n" in text:
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


class Parser(argparse.ArgumentParser):
    """argparse, with its mistakes answered like every other usage error: one line on
    stderr naming the command, with a did-you-mean where one fits, and exit 2."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def error(self, message: str) -> NoReturn:
        m = _INVALID_CHOICE.search(message)
        if m:
            choices = [c.strip().strip("'") for c in m.group(2).split(",")]
            message = f"no {m.group(1)!r}; one of: {', '.join(choices)}" + did_you_mean(
                m.group(1), choices
            )
        output.problem(f"{self.prog}: {message} (see '{self.prog} --help')")
        sys.exit(2)


def turn_count(text: str) -> int:
    """An argparse type: a number of turns, 1 or more."""
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"needs a whole number, e.g. 4 (got {text!r})") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"needs at least 1 turn (got {n})")
    return n


def bot_kinds_text() -> str:
    return ", ".join(BOTS)


def bot_specs(specs: Sequence[str]) -> dict[str, str]:
    bots: dict[str, str] = {}
    for spec in specs:
        role, sep, kind = spec.partition("=")
        if not sep or not role or not kind:
            raise UsageError(f"--bot takes ROLE=KIND, e.g. seoul=heuristic (got {spec!r})")
        if kind not in BOTS:
            raise UsageError(
                f"--bot {spec}: unknown bot kind {kind!r}; one of: {bot_kinds_text()}"
                + did_you_mean(kind.partition(":")[0], BOTS)
            )
        bots[role] = kind
    return bots


def path_arg(text: str) -> str:
    """The `type=` of a file or folder argument: '' would quietly mean the current folder."""
    if not text:
        raise argparse.ArgumentTypeError("an empty path names no file or folder "
                                         "(for the current folder, say '.')")
    return text


def load_scenario(name: str) -> Content:
    from wargame.paths import find_scenario
    from wargame.storage.content_loader import load_content

    path = find_scenario(name)
    if path is None:
        from wargame.paths import bundled_scenarios

        known = [p.stem for p in bundled_scenarios()]
        raise UsageError(
            f"no scenario {shown(name)!r}: give a bundled id ({', '.join(known)}) or a YAML file"
            + did_you_mean(name, known)
        )
    return load_content(path)


def check_roles(content: Content, roles: Sequence[str], what: str) -> None:
    for role in roles:
        if role not in content.role_ids:
            raise UsageError(
                f"{what}: {content.id} has no role {role!r} (roles: {', '.join(content.role_ids)})"
                + did_you_mean(role, content.role_ids)
            )
