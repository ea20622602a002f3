"""The save file format (declared in wargame.formats.save): encoding a game, then decoding
(parse → version → checksum → migrate → fields), with every bad-file case named.

The checksum is sha256 of the file's bytes with the checksum's own 64 hex digits set to "0"
(and CRLF read as LF), so any flipped byte is caught and any program can check it without
re-serialising JSON. Format 1 (`rng` as the algorithm's name, orders as "action:target"
strings, turns with only orders and hash, no game id, snapshots, branches, parent, pending or
origin, a checksum of canonical JSON) is read by migrating it in memory; a newer format is
refused with the version it needs.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from wargame import __version__
from wargame.engine.content import Content
from wargame.engine.control import Control
from wargame.engine.game import Game
from wargame.engine.rng import ALGORITHM
from wargame.formats.controls import ControlFormatError, control_from_json, control_json
from wargame.formats.files import json_too_big
from wargame.formats.save import (
    FORMAT,
    VERSION,
    AgentsRecord,
    Branch,
    ContentTexts,
    HostRecord,
    Origin,
    Parent,
    RngName,
    SaveError,
    SaveFile,
    Snapshot,
    TurnRecord,
    converter,
    structure,
)
from wargame.formats.untrusted import first_control, printable
from wargame.storage.content_loader import (
    ContentError,
    ContentSource,
    compile_content,
)

OLDEST_VERSION = 1
SNAPSHOT_EVERY = 10


@attrs.frozen
class SaveDoc:
    """A save file's contents, checked and structured (not yet resolved)."""

    save: SaveFile  # format 2, whatever the file was written in
    format_version: int  # the version the file was written in (1 if migrated)
    source: ContentSource  # the embedded texts
    controls: tuple[Control, ...] = ()  # save.controls, checked
    problems: tuple[str, ...] = ()  # non-fatal findings (only when read leniently)


# ---------------------------------------------------------------------------- content texts


def source_of(content: Content) -> ContentSource:
    """The exact texts `content` was compiled from: the content keeps them, so saving never
    reads a file again (the files may have changed since the game started)."""
    from wargame.storage import content_loader

    try:
        return content_loader.source_of(content)
    except ValueError:
        raise SaveError(
            f"cannot save: the content {content.id!r} was built in code, not loaded from files, "
            "so there are no texts to embed"
        ) from None


def origin_of(source: ContentSource) -> Origin:
    from wargame.paths import content_dir

    scenario = Path(source.scenario.name)
    try:
        resolved = scenario.resolve()
        if resolved.parent == content_dir("scenarios").resolve():
            return Origin(bundled=resolved.stem)
        if resolved.is_file():
            return Origin(path=str(resolved))
    except OSError:
        pass
    return Origin(path=str(scenario))


# ---------------------------------------------------------------------------- encoding


def new_game_id() -> str:
    return uuid.uuid4().hex[:16]


PLACEHOLDER = "sha256:" + "0" * 64
_CHECKSUM = re.compile(rb'"checksum":\s*"sha256:([0-9a-f]{64})"')


def _file_digest(data: bytes, span: tuple[int, int]) -> str:
    zeroed = data[: span[0]] + b"0" * 64 + data[span[1] :]
    return hashlib.sha256(zeroed.replace(b"\r\n", b"\n")).hexdigest()


def sign_bytes(data: bytes) -> bytes:
    """Set the checksum of a format-2 save's bytes (a tool that edits a save calls this)."""
    m = _CHECKSUM.search(data)
    if m is None:
        raise SaveError('missing field "checksum" (write "checksum": "sha256:" and 64 zeros)')
    digest = _file_digest(data, m.span(1)).encode()
    return data[: m.start(1)] + digest + data[m.end(1) :]


def checksum_of(doc: Mapping[str, Any]) -> str:
    """Format 1's checksum: sha256 of the canonical JSON of every other key."""
    body = {k: v for k, v in doc.items() if k != "checksum"}
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()


def snapshot_points(resolved: int, every: int = SNAPSHOT_EVERY) -> list[int]:
    """Which states a game of `resolved` turns keeps: after every `every` turns, and the last."""
    return [*range(every, resolved, every), resolved]


def encode_game(
    game: Game,
    *,
    seats: Mapping[str, str],
    game_id: str,
    parent: Parent | None = None,
    branches: Iterable[Branch] = (),
    source: ContentSource | None = None,
    host: HostRecord | None = None,
    agents: AgentsRecord | None = None,
) -> SaveFile:
    """The save of a game (format VERSION); dump_document writes and signs it."""
    content = game.content
    if source is None:
        source = source_of(content)
    if source.digest() != content.content_hash:
        raise SaveError("cannot save: the content texts given do not match the game's content")
    roles = content.role_ids
    unknown = sorted(set(seats) - set(roles))
    if unknown:
        raise SaveError(f"cannot save: {content.id} has no role {unknown[0]!r} (seats)")
    states = [*game.states, game.state]
    return SaveFile(
        format=FORMAT,
        version=VERSION,
        program_version=__version__,
        checksum=PLACEHOLDER,
        game_id=game_id,
        scenario=content.id,
        title=content.title,
        seats={r: str(seats.get(r, "human")) for r in roles},
        seed=game.seed,
        rng=RngName(algorithm=ALGORITHM),
        turns_total=content.turns,
        turn=game.state.turn,
        over=game.is_over(),
        parent=parent,
        content=ContentTexts(
            sha256=content.content_hash,
            origin=origin_of(source),
            scenario=source.scenario,
            rules=list(source.rules),
        ),
        turns=tuple(TurnRecord.of(r) for r in game.history),
        pending={r: tuple(game.pending[r]) for r in roles if r in game.pending},
        controls=[control_json(c) for c in game.controls],
        snapshot_every=SNAPSHOT_EVERY,
        snapshots=tuple(Snapshot(turn=states[n].turn, resolved=n, state=states[n])
                        for n in snapshot_points(len(game.history))),
        branches=tuple(branches),
        host=host,
        agents=agents,
    )


_ONE_LINE = ("turns", "snapshots", "branches")


def dump_document(save: SaveFile) -> bytes:
    """Readable, signed JSON: one line per turn, snapshot and branch; the content texts as
    JSON strings; the checksum set last, over the bytes as written."""

    def one(v: Any) -> str:
        return json.dumps(v, ensure_ascii=False, separators=(", ", ": "))

    parts = []
    for key, value in converter.unstructure(save).items():
        if key in _ONE_LINE and value:
            items = ",\n".join(f"  {one(item)}" for item in value)
            parts.append(f" {json.dumps(key)}: [\n{items}\n ]")
        elif key == "content":
            inner = ",\n".join(f"  {json.dumps(k)}: {one(v)}" for k, v in value.items())
            parts.append(f' "content": {{\n{inner}\n }}')
        else:
            parts.append(f" {json.dumps(key)}: {one(value)}")
    return sign_bytes(("{\n" + ",\n".join(parts) + "\n}\n").encode())


# ---------------------------------------------------------------------------- decoding


def parse_bytes(data: bytes, name: str = "the file") -> dict[str, Any]:
    """Bytes → the JSON object of a save, or SaveError naming what is wrong with it."""
    if not data.strip():
        raise SaveError(f"{name} is empty: not a save file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise SaveError(
            f"{name} is damaged or not a save: not UTF-8 text (byte {err.start})"
        ) from None
    too_big = json_too_big(data)
    if too_big:
        raise SaveError(f"{name} is damaged or not a save: {too_big}")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as err:
        body = text.rstrip()
        # A string still open at the end of the file ran into the cut, wherever it began
        # (the embedded rule texts are long, and may hold a "}" just before the cut).
        unterminated = err.msg.startswith("Unterminated string")
        if err.pos >= len(body) or unterminated or (
            body.startswith("{") and not body.endswith("}")
        ):
            raise SaveError(
                f"{name} is cut short ({len(data)} bytes): the JSON ends before the save does"
            ) from None
        raise SaveError(
            f"{name} is not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})"
        ) from None
    except (RecursionError, ValueError) as err:
        # Nesting deeper than the parser's stack, or an integer longer than Python will
        # convert: hostile or broken, and never something the game wrote.
        what = "nested too deeply" if isinstance(err, RecursionError) else "a number too long"
        raise SaveError(f"{name} is damaged or not a save: {what} to read") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise SaveError(f'{name} is not a wargame save (no "format": "{FORMAT}")')
    bad = _bad_text(doc) if _ODD_ESCAPE.search(text) else None
    if bad is not None:
        raise SaveError(f"{name} is damaged or was edited: {bad}")
    return doc


# JSON holds a C0 control character or a lone surrogate only as an escape (raw, they are
# not valid JSON or not UTF-8); DEL and C1 may be raw. Without one of these, the walk below
# has nothing to find, and is skipped.
_ODD_ESCAPE = re.compile(
    r"\\(?:u00[0189][0-9a-fA-F]|u007[fF]|u[dD][89a-fA-F][0-9a-fA-F]{2}|[bfr])|[\x7f-\x9f]"
)

# Free text whose control characters are escaped wherever it is shown: the embedded YAML
# (which refuses them itself when compiled), agents' replies, a host's notes.
_FREE_TEXT = frozenset({"content", "agents", "host"})


def _bad_text(doc: dict[str, Any]) -> str | None:
    """What is wrong with the save's texts, or None: a lone surrogate anywhere (JSON can write
    "\\ud800"; it is no character, and UTF-8 cannot hold it), or a control character in a
    field the game writes from names and titles (what a terminal would act on)."""
    stack: list[tuple[Any, str, bool]] = [(doc, "", True)]
    while stack:
        value, where, strict = stack.pop()
        texts: list[str] = []
        if isinstance(value, str):
            texts = [value]
        elif isinstance(value, dict):
            texts = list(value)
            stack += [
                (v, f"{where}.{k}" if where else k, strict and k not in _FREE_TEXT)
                for k, v in value.items()
            ]
        elif isinstance(value, list):
            stack += [(v, f"{where}[{i}]", strict) for i, v in enumerate(value)]
        for text in texts:
            bad = first_control(text)
            if bad is None:
                continue
            at = printable(f'"{where}"' if where else "a key")
            if 0xD800 <= int(bad[2:], 16) < 0xE000:
                return f"a lone surrogate ({bad}, not a character) in {at}"
            if strict:
                return f"control character {bad} in {at}"
    return None


def check_version(doc: Mapping[str, Any]) -> int:
    version = doc.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise SaveError('missing field "version" (the save format version, an integer)')
    if version > VERSION:
        program = doc.get("program_version")
        by = f" by wargame {program}" if isinstance(program, str) else ""
        raise SaveError(
            f"this save needs save format {version} (written{by}); wargame {__version__} "
            f"reads formats {OLDEST_VERSION} to {VERSION}: upgrade wargame to open it"
        )
    if version < OLDEST_VERSION:
        raise SaveError(f"unknown save format version {version}")
    return version


def _checksum_problem(version: int, doc: Mapping[str, Any], data: bytes) -> str | None:
    """None if the checksum holds (format 1: of the canonical JSON; else of the bytes)."""
    stored = doc.get("checksum")
    m = _CHECKSUM.search(data) if version > 1 else None
    if not isinstance(stored, str) or (version > 1 and m is None):
        return 'missing field "checksum"'
    if m is None:
        holds = stored == checksum_of(doc)
    else:
        digest = m.group(1).decode()
        holds = stored == f"sha256:{digest}" and _file_digest(data, m.span(1)) == digest
    return None if holds else "the file is damaged or was edited: checksum mismatch"


@attrs.frozen
class _V1Turn:
    orders: dict[str, list[str]]
    hash: str


@attrs.frozen
class _V1Save:
    turns: list[_V1Turn]
    content: dict[str, Any]
    scenario: str


def _v1_order(key: str) -> dict[str, str | None]:
    action, _, target = key.partition(":")
    return {"action": action, "target": target or None}


def migrate_v1(doc: Mapping[str, Any]) -> dict[str, Any]:
    """Format 1 (see the module's docstring) → format 2, in memory."""
    old = structure(doc, _V1Save)
    turns = [{"turn": i + 1, "hash": t.hash,
              "orders": {role: [_v1_order(k) for k in keys] for role, keys in t.orders.items()}}
             for i, t in enumerate(old.turns)]
    from wargame.paths import find_scenario

    bundled = find_scenario(old.scenario) if "/" not in old.scenario else None
    content = {**old.content, "origin": {"bundled": old.scenario} if bundled is not None else {}}
    checksum = str(doc.get("checksum", ""))
    return {
        "format": FORMAT,
        "version": VERSION,
        "program_version": doc.get("program_version", "unknown"),
        "game_id": "v1-" + checksum.removeprefix("sha256:")[:12],
        "scenario": old.scenario,
        "title": old.scenario,
        "seats": doc.get("seats"),
        "seed": doc.get("seed"),
        "rng": {"algorithm": doc.get("rng")},
        "content": content,
        "turns": turns,
    }


def decode_document(doc: Mapping[str, Any], data: bytes, *, lenient: bool = False) -> SaveDoc:
    """A parsed save (and the bytes it was parsed from) → SaveDoc. Checks the version, the
    checksum (unless lenient: then a bad checksum is kept in `problems`), the content's hash
    and every field."""
    version = check_version(doc)
    problems: list[str] = []
    bad_sum = _checksum_problem(version, doc, data)
    if bad_sum is not None:
        if not lenient:
            raise SaveError(bad_sum)
        problems.append(bad_sum)
    if version == 1:
        doc = migrate_v1(doc)
    # An optional field written empty (null) is absent.
    save: SaveFile = structure({k: v for k, v in doc.items() if v is not None}, SaveFile)
    texts = save.content
    source = ContentSource(texts.scenario, tuple(texts.rules))
    if source.digest() != texts.sha256:
        raise SaveError(
            "the scenario and rules embedded in the save do not match their hash "
            f"(content.sha256 {texts.sha256[:12]}…, texts {source.digest()[:12]}…): "
            "the file is damaged or was edited"
        )
    if save.rng.algorithm != ALGORITHM:
        raise SaveError(
            f"this save's random generator is {save.rng.algorithm!r}; wargame {__version__} has "
            f"{ALGORITHM!r} and cannot replay it"
        )
    runs = [("turns", save.turns), *((f"branches[{i}].turns", b.turns)
                                      for i, b in enumerate(save.branches))]
    for where, records in runs:
        for i, t in enumerate(records):
            strangers = [r for r in t.orders if r not in save.seats]
            if strangers:
                raise SaveError(f'bad field "{where}[{i}].orders": no role {strangers[0]!r} '
                                "in this scenario")
            missing = [n for n in ("label", "values", "scores") if getattr(t, n) is None]
            if missing and version >= 2:
                raise SaveError(f'missing field "{where}[{i}].{missing[0]}"')
    for i, t in enumerate(save.turns):
        if t.turn != i + 1:
            raise SaveError(f'bad field "turns[{i}].turn": expected {i + 1}, found {t.turn}')
    controls = _controls(save.controls, len(save.turns) + 1)
    return SaveDoc(attrs.evolve(save, title=save.title or save.scenario), version, source,
                   controls, tuple(problems))


def _controls(raw: Sequence[Any], current: int) -> tuple[Control, ...]:
    """The white cell's controls, each for a turn not after the current one, in turn order."""
    out: list[Control] = []
    for i, obj in enumerate(raw):
        try:
            c = control_from_json(obj)
        except ControlFormatError as err:
            raise SaveError(f'bad field "controls[{i}]": {err}') from None
        if not 1 <= c.turn <= current or (out and c.turn < out[-1].turn):
            raise SaveError(f'bad field "controls[{i}].turn": {c.turn} is out of order '
                            f"(controls come in turn order, up to turn {current})")
        out.append(c)
    return tuple(out)


def compile_doc(doc: SaveDoc) -> Content:
    """The content a save was played with, compiled from its embedded texts."""
    try:
        content = compile_content(doc.source)
    except ContentError as err:
        first = err.problems[0] if err.problems else "unknown problem"
        more = f" (and {len(err.problems) - 1} more)" if len(err.problems) > 1 else ""
        raise SaveError(
            f"the scenario embedded in this save no longer compiles with wargame {__version__}: "
            f"{first}{more}"
        ) from None
    if set(doc.save.seats) != set(content.role_ids):
        raise SaveError(
            f'bad field "seats": the roles of {content.id} are {", ".join(content.role_ids)}'
        )
    return content
