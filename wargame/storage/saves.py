"""Saved games: writing them safely, loading and continuing them, listing, verifying, forking.
The terminal game and the command line call the public names here (keep them); SaveError is
every bad-file and cannot-write case. The file format lives in wargame.storage.save_format.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import math
import os
import re
import shutil
import time
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from wargame.engine.content import Content
from wargame.engine.control import ControlError, with_controls
from wargame.engine.game import Game
from wargame.engine.resolve import format_value, resolve_turn, start
from wargame.engine.state import GameState, TurnReport, Value
from wargame.formats.files import SAVE_LIMIT, FileRefused, read_bytes, shown, unwritable
from wargame.formats.save import VERSION, Branch, Origin, Parent, SaveFile, TurnRecord
from wargame.formats.save import SaveError as SaveError  # re-exported: callers catch it here
from wargame.storage.content_loader import load_content
from wargame.storage.save_format import (
    SaveDoc,
    compile_doc,
    decode_document,
    dump_document,
    encode_game,
    new_game_id,
    parse_bytes,
)

ENV_SAVE_DIR = "WARGAME_SAVE_DIR"
SUFFIX = ".json"
BACKUP_SUFFIX = ".bak"
AUTOSAVE_PREFIX = "autosave-"
MAX_NAME = 80


# ---------------------------------------------------------------------------- places and names


def save_dir(cli_value: str | None = None) -> Path:
    """Where saves go: --save-dir, then $WARGAME_SAVE_DIR, then `saves/` in a checkout, else
    the user's data folder (platformdirs)."""
    if cli_value:
        return Path(cli_value).expanduser()
    env = os.environ.get(ENV_SAVE_DIR)
    if env:
        return Path(env).expanduser()
    from wargame.paths import checkout_root, in_checkout

    if in_checkout():
        return checkout_root() / "saves"
    import platformdirs

    return Path(platformdirs.user_data_dir("wargame")) / "saves"


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
             *(f"lpt{i}" for i in range(10))}


def safe_name(name: str) -> str:
    """A file name made of letters, digits, `-`, `_` and `.`: no separators, no leading dot,
    no `..`, at most MAX_NAME characters, never empty, never a reserved device name."""
    plain = unicodedata.normalize("NFKD", name.strip())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    text = _UNSAFE.sub("-", plain)
    text = re.sub(r"\.{2,}", ".", text)
    text = re.sub(r"-{2,}", "-", text).strip(".-_ ")
    text = text[:MAX_NAME].rstrip(".-_ ")
    if not text:
        text = "game"
    if text.split(".")[0].lower() in _RESERVED:
        text = f"_{text}"
    return text


def _inside(folder: Path, name: str) -> Path:
    stem = safe_name(name.removesuffix(SUFFIX))
    path = folder / f"{stem}{SUFFIX}"
    with contextlib.suppress(OSError):  # the save folder is ours to make; if not, saving says
        folder.mkdir(parents=True, exist_ok=True)
    if path.resolve().parent != folder.resolve():
        raise SaveError(f"the name {name!r} would leave the save folder")
    return path


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + BACKUP_SUFFIX)


# ---------------------------------------------------------------------------- writing


def _write_error(path: Path, err: OSError) -> SaveError:
    code = err.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        why = "the disk is full"
    elif code in (errno.EACCES, errno.EPERM):
        why = f"no permission to write in {path.parent}"
    elif code == errno.EROFS:
        why = f"{path.parent} is on a read-only file system"
    elif code == errno.ENOENT and not path.parent.is_dir():
        why = f"the folder {path.parent} does not exist"
    elif code == errno.EISDIR:
        why = f"{path} is a folder"
    else:
        why = err.strerror or str(err)
    kept = "; the last good save is kept" if path.is_file() else ""
    return SaveError(f"cannot save to {path}: {why}{kept}")


def write_atomic(path: Path, data: bytes, *, backup: bool = True) -> None:
    """Write to a temporary file in the same folder, flush and fsync it, keep the old file as
    `NAME.bak` (a hard link, so the old file never disappears), then rename over the old
    file and fsync the folder. At every moment `path` is the old or the new file, whole."""
    folder = path.parent
    tmp = folder / f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
    problem = unwritable(path)
    if problem:
        raise SaveError(f"cannot save to {shown(str(path))}: {problem}")
    try:
        clean_stale_temps(folder)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            view = memoryview(data)
            while view:  # os.write may write part of it
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        if backup and path.is_file():
            _keep_backup(path)
        os.replace(tmp, path)
        _fsync_folder(folder)
    except OSError as err:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise _write_error(path, err) from None


def _keep_backup(path: Path) -> None:
    bak = backup_path(path)
    staged = path.with_name(f".{bak.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    try:
        try:
            os.link(path, staged)
        except OSError:  # no hard links here (some network and FAT file systems): copy
            shutil.copyfile(path, staged)
        os.replace(staged, bak)
    except OSError:
        with contextlib.suppress(OSError):
            staged.unlink()
        raise


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # a folder cannot be opened on Windows: nothing to do
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


_TEMP = re.compile(r"\..+\.(\d+)\.[0-9a-f]{8}\.tmp")  # what write_atomic names its files


def clean_stale_temps(folder: Path) -> None:
    """Remove the temporary files of saves killed midway, whatever their name, on each save
    and listing: a file whose process is gone and that is a minute old (on a folder shared
    between machines a live writer elsewhere has a pid unknown here), or ten minutes old."""
    now = time.time()
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            m = _TEMP.fullmatch(entry.name)
            with contextlib.suppress(OSError):
                if m is None or not entry.is_file(follow_symlinks=False):
                    continue
                age = now - entry.stat(follow_symlinks=False).st_mtime
                if age > 600 or (age > 60 and not _alive(int(m.group(1)))):
                    os.unlink(entry.path)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):
        return True  # another user's process, or no way to tell: keep its file
    return True


# ---------------------------------------------------------------------------- saving


def default_game_id(game: Game, seats: Mapping[str, str]) -> str:
    """The same game (content, seed, seats, orders) always gets the same id, so a scripted
    game saved twice gives identical files. Interactive callers pass their own id."""
    h = hashlib.sha256(f"{game.content.content_hash}:{game.seed}:{sorted(seats.items())}".encode())
    for orders in game.orders_history():
        h.update(repr(sorted((r, [o.key for o in os_]) for r, os_ in orders.items())).encode())
    return h.hexdigest()[:16]


def save_game_to(
    game: Game,
    path: Path | str,
    *,
    seats: Mapping[str, str],
    game_id: str | None = None,
    **fields: Any,
) -> Path:
    """Write `game` to exactly `path` (atomically, keeping the previous file as a backup).
    `seats`: role → "human" or a bot kind; `fields`: encode_game's parent, branches, source,
    host, agents. SaveError if it cannot be written; the game and the last good save are
    untouched."""
    game_id = game_id or default_game_id(game, seats)
    save = encode_game(game, seats=seats, game_id=game_id, **fields)
    write_atomic(Path(path), dump_document(save))
    return Path(path)


def save_game(game: Game, name: str, *, folder: Path | str, **fields: Any) -> Path:
    """Save under a name typed by a player: `folder/<safe name>.json`."""
    return save_game_to(game, _inside(Path(folder), name), **fields)


def autosave(game: Game, *, folder: Path | str, game_id: str, **fields: Any) -> Path:
    """The save written after every turn (and after orders are submitted): one per game."""
    path = _inside(Path(folder), f"{AUTOSAVE_PREFIX}{game_id}")
    return save_game_to(game, path, game_id=game_id, **fields)


def take_back(game: Game, branches: list[Branch]) -> TurnReport:
    """Undo the last resolved turn; the abandoned turn is appended to `branches` (to be saved
    with the game), never silently dropped."""
    report = game.take_back()
    branches.append(Branch.of(report))
    return report


# ---------------------------------------------------------------------------- reading


class _Unreadable(SaveError):
    """The file itself cannot be read (missing, a device, too big): no backup hint."""


def _read(path: Path) -> bytes:
    try:
        return read_bytes(path, SAVE_LIMIT, "a save file")
    except FileRefused as err:
        reason = "no such save file" if err.reason == "no such file" else err.reason
        raise _Unreadable(f"{err.name}: {reason}") from None


def read_json(path: Path | str) -> dict[str, object]:
    """A save's JSON object as written (host sections included), read within the limits."""
    return parse_bytes(_read(Path(path)), str(path))


@contextlib.contextmanager
def _naming(path: Path) -> Iterator[None]:
    """A SaveError raised inside names the file."""
    try:
        yield
    except SaveError as err:
        raise SaveError(f"{path}: {err.message}") from None


def _decode(path: Path, *, lenient: bool = False) -> SaveDoc:
    data = _read(path)
    return decode_document(parse_bytes(data), data, lenient=lenient)


def read_doc(path: Path | str, *, lenient: bool = False) -> SaveDoc:
    """Parse and check a save file without resolving it. SaveError with the file's name, and
    whether its backup is sound (_Unreadable: the file itself cannot be read)."""
    path = Path(path)
    try:
        return _decode(path, lenient=lenient)
    except _Unreadable:
        raise
    except SaveError as err:
        message = f"{path}: {err.message}"
    try:
        _decode(backup_path(path))
    except SaveError:
        raise SaveError(message) from None
    raise SaveError(f"{message} (the previous version, {backup_path(path).name}, is sound)")


@attrs.define
class LoadedGame:
    """A game read from a save, ready to continue: save it back with `save()`."""

    game: Game
    file: SaveFile  # as read (format 2 even if migrated): seats, game_id, parent, seed, ...
    format_version: int
    branches: list[Branch]  # the file's, and each turn taken back since
    path: Path

    @property
    def migrated(self) -> bool:
        return self.format_version < VERSION

    def save(self, path: Path | str | None = None) -> Path:
        """Write the game (with its branches and parent) back to its file, or to `path`."""
        return save_game_to(
            self.game,
            Path(path) if path is not None else self.path,
            seats=self.file.seats,
            parent=self.file.parent,
            branches=self.branches,
            game_id=self.file.game_id,
        )

    def take_back(self) -> TurnReport:
        return take_back(self.game, self.branches)


@attrs.frozen
class ValueDiff:
    name: str
    saved: Value | int | str | None  # a str: a text field (a turn's label)
    replayed: Value | int | str | None

    def __str__(self) -> str:
        if isinstance(self.saved, str) or isinstance(self.replayed, str):
            return f"{self.name} {self.saved!r} → {self.replayed!r}"
        saved, replayed = _fmt(self.saved), _fmt(self.replayed)
        if saved == replayed:  # too close to tell apart when rounded: show every digit
            saved, replayed = _fmt(self.saved, exact=True), _fmt(self.replayed, exact=True)
        return f"{self.name} {saved} → {replayed}"


def _fmt(v: Value | int | None, *, exact: bool = False) -> str:
    if v is None:
        return "—"
    if isinstance(v, bool):
        return format_value(v)
    if not math.isfinite(v):
        return str(float(v))  # nan, inf: only an edited save holds them
    return repr(float(v)) if exact else format_value(float(v))


def _differs(a: Value | int | None, b: Value | int | None) -> bool:
    """A stored value is false unless it is the replayed one: same number (NaN is never
    equal) and a flag only where the replay has a flag."""
    return isinstance(a, bool) != isinstance(b, bool) or a != b


@attrs.frozen
class Divergence:
    """The first turn whose replayed state differs from the saved one, and how."""

    turn: int
    label: str
    saved_hash: str
    replayed_hash: str
    diffs: tuple[ValueDiff, ...]
    later: int = 0  # how many later turns differ too

    def describe(self, saved: str = "saved", replayed: str = "replayed") -> str:
        head = f"turn {self.turn} ({self.label}) differs"
        if self.diffs:
            shown = "; ".join(str(d) for d in self.diffs[:8])
            more = f"; and {len(self.diffs) - 8} more" if len(self.diffs) > 8 else ""
            body = f"{shown}{more}  ({saved} → {replayed})"
            if self.saved_hash == self.replayed_hash:
                body += "; the state hash agrees, so the values stored in the file are false"
        else:
            body = (
                f"the values agree but the state hash does not ({saved} "
                f"{self.saved_hash[:12]}…, {replayed} {self.replayed_hash[:12]}…): "
                "the random generator, tallies or events differ"
            )
        if self.later:
            body += f"; {self.later} later turn{'s' if self.later != 1 else ''} differ too"
        return f"{head}: {body}"


def _value_diffs(
    saved: Mapping[str, Value] | None,
    replayed: Mapping[str, Value],
    saved_scores: Mapping[str, int] | None,
    replayed_scores: Mapping[str, int],
) -> tuple[ValueDiff, ...]:
    """What differs, values then scores (`score.ROLE`); None: not stored (format 1)."""
    out: list[ValueDiff] = []
    for prefix, a, b in (("", saved, replayed), ("score.", saved_scores, replayed_scores)):
        if a is not None:
            out += [ValueDiff(prefix + n, a.get(n), b.get(n))
                    for n in [*a, *(n for n in b if n not in a)] if _differs(a.get(n), b.get(n))]
    return tuple(out)


def _divergence(rec: TurnRecord, report: TurnReport, *, stored: bool = False
                ) -> Divergence | None:
    """How a replayed turn differs from its record, or None if its state hash agrees;
    `stored`: also when a value, score or label it stores differs (a tool reading the JSON
    trusts those, and a re-signed file could hold anything there)."""
    if report.hash == rec.hash and not stored:
        return None  # nothing to compare: most turns of a replay, viewed one by one
    diffs = _value_diffs(rec.values, report.after, rec.scores, report.scores)
    if stored and rec.label is not None and rec.label != report.label:
        diffs = (ValueDiff("label", rec.label, report.label), *diffs)
    if report.hash == rec.hash and not (stored and diffs):
        return None
    return Divergence(rec.turn, report.label, rec.hash, report.hash, diffs)


def _first(found: Iterable[Divergence | None]) -> Divergence | None:
    """The first divergence, counting how many later turns differ too."""
    kept = [d for d in found if d is not None]
    return attrs.evolve(kept[0], later=len(kept) - 1) if kept else None


def _resolve_all(
    doc: SaveDoc, content: Content
) -> tuple[list[TurnReport], list[GameState], Divergence | None]:
    """Re-resolve every saved turn from the seed (applying the white cell's controls, each
    at its turn); note the first turn that differs (_divergence, stored)."""
    states = [_controlled(doc, content, start(content, doc.save.seed))]
    reports: list[TurnReport] = []
    for rec in doc.save.turns:
        if states[-1].turn > content.turns:
            raise SaveError(
                f"the save has {len(doc.save.turns)} turns; {content.id} has only {content.turns}"
            )
        state, report = resolve_turn(content, states[-1], rec.orders)
        states.append(_controlled(doc, content, state))
        reports.append(report)
    pairs = zip(doc.save.turns, reports, strict=True)
    return reports, states, _first(_divergence(rec, rep, stored=True) for rec, rep in pairs)


def _controlled(doc: SaveDoc, content: Content, state: GameState) -> GameState:
    """The state with the save's controls of its turn applied; SaveError if one cannot be."""
    try:
        return with_controls(content, state, doc.controls)
    except ControlError as err:
        raise SaveError(f"the white cell's control at turn {state.turn} cannot be applied: "
                        f"{err.problems[0]}") from None


def _snapshot_problems(doc: SaveDoc, states: Sequence[GameState], content: Content) -> list[str]:
    """Snapshots, and where the file says the game stands (turn, over, turns_total), that
    disagree with the replayed game: tools read those fields as they are written."""
    problems = []
    save = doc.save
    if save.turns_total:
        last = states[-1].turn
        stands = {"turns_total": (save.turns_total, content.turns), "turn": (save.turn, last),
                  "over": (save.over, last > content.turns)}
        problems += [f'"{name}" is {saved!r} in the file but {replayed!r} in the replayed game'
                     .replace("True", "true").replace("False", "false")
                     for name, (saved, replayed) in stands.items() if saved != replayed]
    for resolved, snap in ((s.resolved, s.state) for s in save.snapshots):
        if not 0 <= resolved < len(states):
            problems.append(f"snapshot after {resolved} turns: the save has {len(states) - 1}")
        elif snap != states[resolved]:
            fields = [f.name for f in attrs.fields(GameState)
                      if getattr(snap, f.name) != getattr(states[resolved], f.name)]
            problems.append(
                f"the snapshot after {resolved} turns does not match the replayed game "
                f"({', '.join(fields)} differ)"
            )
    return problems


def load_game(path: Path | str) -> LoadedGame:
    """Read a save (any supported format), rebuild its content from the embedded texts and
    re-resolve every turn, checking each turn's hash and the snapshots. SaveError if anything
    is wrong; the message names the file, the turn, and what to do."""
    path = Path(path)
    doc = read_doc(path)
    with _naming(path):
        content = compile_doc(doc)
        reports, states, divergence = _resolve_all(doc, content)
        if divergence is not None:
            raise SaveError(f"does not replay as saved: {divergence.describe()}; "
                            f"run `wargame replay {path} --verify` for details")
        if problems := _snapshot_problems(doc, states, content):
            raise SaveError(problems[0])
    save = doc.save
    game = Game.from_history(content, save.seed, reports, states, save.pending, doc.controls)
    return LoadedGame(game, save, doc.format_version, list(save.branches), path)


# ---------------------------------------------------------------------------- listing


@attrs.frozen
class SaveInfo:
    """One line of a load screen. `sound` is False with `problem` saying why."""

    path: Path
    name: str
    kind: str  # "autosave", "fork" or "save"
    scenario: str
    title: str
    turn: int  # turns played
    turns_total: int
    over: bool
    seats: Mapping[str, str]
    modified: float  # seconds since the epoch
    sound: bool
    problem: str
    game_id: str


def save_info(path: Path) -> SaveInfo:
    """What a load screen shows for one file; never raises for a bad file."""
    try:
        modified = path.stat().st_mtime
    except OSError:
        modified = 0.0
    kind = "autosave" if path.name.startswith(AUTOSAVE_PREFIX) else "save"
    try:
        doc = read_doc(path).save
    except SaveError as err:
        why = err.message.removeprefix(f"{path}: ")
        return SaveInfo(path, path.stem, kind, "?", "?", 0, 0, False, {}, modified, False,
                        why.rpartition(": ")[2] if isinstance(err, _Unreadable) else why, "")
    kind = "fork" if doc.parent is not None and kind == "save" else kind
    return SaveInfo(path, path.stem, kind, doc.scenario, doc.title, len(doc.turns),
                    doc.turns_total, doc.over, dict(doc.seats), modified, True, "", doc.game_id)


def list_saves(folder: Path | str) -> list[SaveInfo]:
    """Every save in a folder (backups and temporary files left out), newest first."""
    folder = Path(folder)
    if not os.path.isdir(folder):
        return []
    clean_stale_temps(folder)
    infos = [  # a device or pipe named *.json is listed, as damaged, with why
        save_info(p)
        for p in folder.glob(f"*{SUFFIX}")
        if not p.name.startswith(".") and not p.is_dir()
    ]
    infos.sort(key=lambda i: (-i.modified, i.name))
    return infos


def latest_autosave(folder: Path | str) -> SaveInfo | None:
    """The most recent sound autosave of an unfinished game, to offer "resume"."""
    for info in list_saves(folder):
        if info.kind == "autosave" and info.sound and not info.over:
            return info
    return None


# ---------------------------------------------------------------------------- verifying


@attrs.frozen
class OutcomeDiff:
    turn: int
    role: str
    action: str
    saved: str  # result: why
    now: str


@attrs.frozen
class CurrentRules:
    """How the same orders play under the content on disk now."""

    scenario_path: str
    content_hash: str
    same_content: bool
    turns_compared: int
    divergence: Divergence | None
    outcome_diffs: tuple[OutcomeDiff, ...]
    final_diffs: tuple[ValueDiff, ...]
    notes: tuple[str, ...]


@attrs.frozen
class VerifyResult:
    path: Path
    turns: int
    content_hash: str
    problems: tuple[str, ...]  # checksum, snapshots
    divergence: Divergence | None
    current: CurrentRules | None = None
    divergent_orders: str = ""  # the saved orders of the first turn that differs
    roles: tuple[str, ...] = ()  # the roles of the game's scenario
    scenario: str = ""  # its id

    @property
    def ok(self) -> bool:
        return not self.problems and self.divergence is None


def verify_save(path: Path | str, *, current_rules: bool | str = False) -> VerifyResult:
    """Re-resolve every turn headless with the embedded content and compare each turn's hash
    (and the snapshots). With `current_rules`, also replay the same orders under the bundled
    scenario of the save's id now, or under the scenario it names (an id or a file).
    SaveError only if the file cannot be read as a save at all."""
    path = Path(path)
    doc = read_doc(path, lenient=True)
    named = current_rules if isinstance(current_rules, str) else None
    with _naming(path):
        content = compile_doc(doc)
        reports, states, divergence = _resolve_all(doc, content)
        current = _compare_current(doc, content, reports, named) if current_rules else None
    problems = list(doc.problems) + _snapshot_problems(doc, states, content)
    orders = ""
    if divergence is not None:
        rec = doc.save.turns[divergence.turn - 1]
        orders = "; ".join(
            f"{r}: {', '.join(o.key for o in os_)}" for r, os_ in rec.orders.items() if os_
        ) or "all passed"
    return VerifyResult(
        path, len(reports), doc.save.content.sha256, tuple(problems), divergence, current,
        orders, content.role_ids, content.id,
    )


def current_scenario_path(origin: Origin, scenario: str, named: str | None = None) -> Path:
    """The scenario to compare a save with: the one the user named (a bundled id or a file),
    else the bundled scenario of the save's id. A path written in the save is never followed:
    a save must not make the program read a file outside itself (docs/limits.md)."""
    from wargame.paths import bundled_scenarios, find_scenario

    if named:
        found = find_scenario(named)
        if found is None:
            raise SaveError(f"no scenario {shown(named)!r}: give a bundled id or a YAML file")
        return found
    wanted = origin.bundled or (None if origin.path else scenario)
    for path in bundled_scenarios():
        if path.stem == wanted:
            return path
    if origin.path:
        played = Path(origin.path).name[:80]
        raise SaveError(f"this game was played from a scenario file ({played!r}), not a bundled "
                        "one: name the file to compare with, e.g. --with-current-rules FILE.yaml")
    raise SaveError(f"no bundled scenario {scenario[:80]!r} in this wargame to compare with: "
                    "name a scenario file, e.g. --with-current-rules FILE.yaml")


def _compare_current(
    doc: SaveDoc, content: Content, saved: Sequence[TurnReport], named: str | None
) -> CurrentRules:
    from wargame.storage.content_loader import ContentError

    save = doc.save
    where = current_scenario_path(save.content.origin, save.scenario, named)
    try:
        now = load_content(where)
    except ContentError as err:
        problem = err.problems[0] if err.problems else ""
        raise SaveError(f"the current scenario {where} does not load: {problem}") from None
    notes: list[str] = []
    missing = [r for r in content.role_ids if r not in now.role_ids]
    if missing:
        notes.append(f"the current scenario has no role {', '.join(missing)}: their orders drop")
    limit = min(len(save.turns), now.turns)
    if limit < len(save.turns):
        notes.append(f"the current scenario has {now.turns} turns; the save has {len(save.turns)}")
    state = _current_controls(doc, now, start(now, save.seed), notes)
    found = []
    outcome_diffs: list[OutcomeDiff] = []
    final: tuple[ValueDiff, ...] = ()
    for rec, old in zip(save.turns[:limit], saved, strict=False):
        state, rep = resolve_turn(now, state, rec.orders)
        state = _current_controls(doc, now, state, notes)
        found.append(_divergence(TurnRecord.of(old), rep))
        outcome_diffs += _outcome_diffs(rec.turn, old, rep)
    if limit:  # where the last turn compared ends, as played and with current rules
        final = _value_diffs(old.after, rep.after, old.scores, rep.scores)
    return CurrentRules(
        scenario_path=str(where),
        content_hash=now.content_hash,
        same_content=now.content_hash == save.content.sha256,
        turns_compared=limit,
        divergence=_first(found),
        outcome_diffs=tuple(outcome_diffs),
        final_diffs=final,
        notes=tuple(notes),
    )


def _current_controls(doc: SaveDoc, now: Content, state: GameState, notes: list[str]
                      ) -> GameState:
    """The white cell's controls under the current rules: one that no longer applies is noted
    and left out."""
    for c in doc.controls:
        if c.turn == state.turn and state.turn <= now.turns:
            try:
                state = with_controls(now, state, [c])
            except ControlError as err:
                notes.append(f"turn {c.turn}: the white cell's {c.kind} no longer applies "
                             f"({err.problems[0]})")
    return state


def _outcome_diffs(turn: int, old: TurnReport, new: TurnReport) -> list[OutcomeDiff]:
    before = {(o.role, o.action, o.target): o for o in old.outcomes}
    after = {(o.role, o.action, o.target): o for o in new.outcomes}
    out = []
    for (role, action, target) in [*before, *(k for k in after if k not in before)]:
        a, b = before.get((role, action, target)), after.get((role, action, target))
        sa, sb = a.result if a else "—", b.result if b else "—"
        if sa != sb:
            now = f"{sb}: {b.why}" if b and b.why else sb
            out.append(OutcomeDiff(turn, role, action + (f":{target}" if target else ""), sa, now))
    return out


# ---------------------------------------------------------------------------- replay and forks


class Replay:
    """A saved game opened for viewing: any turn's report on demand, from the nearest
    snapshot (at most SNAPSHOT_EVERY turns re-resolved), cached as you step."""

    def __init__(self, doc: SaveDoc, content: Content, path: Path) -> None:
        self.doc = doc
        self.content = content
        self.path = path
        self.file = doc.save
        self._states: dict[int, GameState] = {
            0: _controlled(doc, content, start(content, doc.save.seed))}
        for snap in doc.save.snapshots:
            if 0 < snap.resolved <= len(doc.save.turns):
                self._states[snap.resolved] = snap.state
        self._reports: dict[int, TurnReport] = {}
        self.diverged: dict[int, str] = {}  # turn → what differs, found while viewing

    @property
    def turns(self) -> int:
        return len(self.doc.save.turns)

    def state(self, resolved: int) -> GameState:
        """The state after `resolved` turns (waiting for turn resolved+1's orders)."""
        if not 0 <= resolved <= self.turns:
            raise IndexError(f"no turn {resolved} in a game of {self.turns} turns")
        if resolved not in self._states:
            base = max(k for k in self._states if k <= resolved)
            for k in range(base, resolved):
                self._step(k)
        return self._states[resolved]

    def report(self, turn: int) -> TurnReport:
        """The report of turn `turn` (1-based)."""
        if turn not in self._reports:
            if not 1 <= turn <= self.turns:
                raise IndexError(f"no turn {turn} in a game of {self.turns} turns")
            self.state(turn - 1)
            self._step(turn - 1)
        return self._reports[turn]

    def _step(self, k: int) -> None:
        rec = self.doc.save.turns[k]
        after, report = resolve_turn(self.content, self._states[k], rec.orders)
        after = _controlled(self.doc, self.content, after)
        self._states.setdefault(k + 1, after)
        self._reports[k + 1] = report
        differs = _divergence(rec, report)
        if differs is not None:
            self.diverged[k + 1] = differs.describe()

    def game_at(self, resolved: int) -> Game:
        """A Game with the first `resolved` turns played, ready for turn resolved+1."""
        return Game.from_history(
            self.content,
            self.doc.save.seed,
            [self.report(t) for t in range(1, resolved + 1)],
            [self.state(k) for k in range(resolved + 1)],
            controls=self.doc.controls,
        )

    def fork(self, turn: int, *, folder: Path | str | None = None, name: str | None = None) -> Path:
        """A what-if: a new save sharing turns 1..turn-1, waiting for turn `turn`'s orders."""
        return _write_fork(self.game_at(_fork_cut(turn, self.turns)), turn, self, folder, name)


def open_replay(path: Path | str) -> Replay:
    """Open a save for viewing without re-resolving it all (fast for long games)."""
    path = Path(path)
    doc = read_doc(path)
    with _naming(path):
        return Replay(doc, compile_doc(doc), path)


def _fork_cut(turn: int, played: int) -> int:
    if not 1 <= turn <= played + 1:
        raise SaveError(f"cannot fork at turn {turn}: the game has turns 1 to {played + 1}")
    return turn - 1


def fork_game(
    source: Path | str | LoadedGame,
    turn: int,
    *,
    folder: Path | str | None = None,
    name: str | None = None,
) -> Path:
    """Fork a saved game at `turn`: the new save shares turns 1..turn-1 and waits for turn
    `turn`'s orders; it names its parent file, game id and turn."""
    loaded = source if isinstance(source, LoadedGame) else load_game(source)
    cut = _fork_cut(turn, len(loaded.game.history))
    game = loaded.game.clone()
    while len(game.history) > cut:
        game.take_back()
    return _write_fork(game, turn, loaded, folder, name)


def _write_fork(game: Game, turn: int, parent: Replay | LoadedGame, folder: Path | str | None,
                name: str | None) -> Path:
    """Save `game` as a fork of `parent` at `turn`, under a name no other file has."""
    where = Path(folder) if folder is not None else parent.path.parent
    stem = name or f"{parent.path.stem.removeprefix(AUTOSAVE_PREFIX)}-fork-t{turn}"
    path = _inside(where, stem)
    n = 2
    while path.exists():
        path = _inside(where, f"{stem}-{n}")
        n += 1
    return save_game_to(game, path, seats=parent.file.seats, game_id=new_game_id(),
                        parent=Parent(parent.path.name, parent.file.game_id, turn))
