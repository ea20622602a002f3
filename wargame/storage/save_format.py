"""The save file format: a game as JSON, and back, with every bad-file case named.

A save is one JSON object (format version 2, described by `wargame schema save`):

    format, version, program_version, checksum          what wrote it; sha256 of the file
    game_id, scenario, title, seats, seed, rng          who played what, and how chance works
    turns_total, turn, over, parent                     where the game stands; a fork's origin
    content {sha256, origin, scenario, rules}           the exact texts the game was played with
    turns [{turn, label, orders, hash, values, scores}] every resolved turn
    pending {role: [orders]}                            orders submitted for the unresolved turn
    snapshot_every, snapshots [{turn, resolved, state}] full states for fast seeking
    branches [{from_turn, turns: [...]}]                taken-back turns, never rewritten

The checksum is sha256 of the file's bytes with the checksum's own 64 hex digits set to "0"
(and CRLF read as LF), so any flipped byte is caught and any program can check it without
re-serialising JSON. Format 1 (no snapshots, orders as "action:target" strings, no game id,
a checksum of canonical JSON) is read by migrating it in memory; a newer format is refused
with the version it needs.

Module layout: constants and errors, the cattrs converter for engine objects, the content
texts, encoding a game, then decoding (parse → version → checksum → migrate → fields).
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import cattrs
from cattrs.gen import make_dict_unstructure_fn, override

from wargame import __version__
from wargame.engine.content import Content
from wargame.engine.game import Game
from wargame.engine.rng import ALGORITHM, RngState
from wargame.engine.state import GameState, Order, TurnReport, Value
from wargame.storage.content_loader import (
    ContentError,
    ContentSource,
    SourceFile,
    compile_content,
)

FORMAT = "wargame-save"
VERSION = 2
OLDEST_VERSION = 1
SNAPSHOT_EVERY = 10


class SaveError(Exception):
    """A save that cannot be read, written or trusted; the message says what is wrong."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# ---------------------------------------------------------------------------- records


@attrs.frozen
class Parent:
    """Where a fork came from: the parent's file name, game id, and the turn it forked at
    (the fork shares turns 1 .. turn-1 with its parent and starts at `turn`)."""

    file: str
    game_id: str
    turn: int


@attrs.frozen
class TurnRecord:
    """One resolved turn as saved. `values`/`scores`/`label` are None only in a game migrated
    from format 1, which did not store them."""

    turn: int
    orders: Mapping[str, tuple[Order, ...]]
    hash: str
    label: str | None = None
    values: Mapping[str, Value] | None = None
    scores: Mapping[str, int] | None = None

    @classmethod
    def of(cls, report: TurnReport) -> TurnRecord:
        return cls(
            report.turn,
            {r: tuple(o) for r, o in report.orders.items()},
            report.hash,
            report.label,
            dict(report.after),
            dict(report.scores),
        )


@attrs.frozen
class Branch:
    """A line of play that was taken back: it left the game at `from_turn`."""

    from_turn: int
    turns: tuple[TurnRecord, ...]

    @classmethod
    def of(cls, *reports: TurnReport) -> Branch:
        """The branch left behind by taking back these turns (oldest first)."""
        if not reports:
            raise ValueError("a branch needs at least one turn")
        return cls(reports[0].turn, tuple(TurnRecord.of(r) for r in reports))


@attrs.frozen
class Origin:
    """Where the scenario lives now, for `--with-current-rules`: a bundled id or a path."""

    bundled: str | None = None
    path: str | None = None


@attrs.frozen
class SaveDoc:
    """A save file's contents, checked and structured (not yet resolved)."""

    format_version: int  # the version the file was written in (1 if migrated)
    program_version: str
    game_id: str
    scenario: str
    title: str
    seats: Mapping[str, str]
    seed: int
    algorithm: str
    source: ContentSource
    content_hash: str
    origin: Origin
    turns: tuple[TurnRecord, ...]
    pending: Mapping[str, tuple[Order, ...]]
    snapshots: tuple[tuple[int, GameState], ...]  # (resolved turns before it, state)
    branches: tuple[Branch, ...]
    parent: Parent | None
    turns_total: int = 0  # 0: not recorded (format 1)
    over: bool = False
    problems: tuple[str, ...] = ()  # non-fatal findings (only when read leniently)

    @property
    def migrated(self) -> bool:
        return self.format_version < VERSION


# ---------------------------------------------------------------------------- converter
# cattrs structures and unstructures the engine's attrs classes (GameState with its
# FiredEvents and Changes, Orders), with strict hooks so that 4 stays 4 and 4.0 stays 4.0:
# a state's hash depends on the exact JSON types of its values.


def _strict(kind: type | tuple[type, ...], what: str) -> Callable[[Any, Any], Any]:
    def hook(obj: Any, _t: Any) -> Any:
        if isinstance(obj, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
            raise TypeError(f"expected {what}, got {json.dumps(obj)}")
        if not isinstance(obj, kind):
            raise TypeError(f"expected {what}, got {json.dumps(obj)[:40]}")
        return obj

    return hook


converter = cattrs.Converter()
converter.register_structure_hook_func(
    lambda t: t == Value, _strict((bool, int, float), "a number or true/false")
)
converter.register_structure_hook(str, _strict(str, "a string"))
converter.register_structure_hook(int, _strict(int, "an integer"))
converter.register_structure_hook(bool, _strict(bool, "true or false"))
converter.register_unstructure_hook(
    RngState, lambda r: {"state": f"{r.state:#x}", "inc": f"{r.inc:#x}"}
)


def _rng_structure(obj: Any, _t: Any) -> RngState:
    if not isinstance(obj, dict) or set(obj) != {"state", "inc"}:
        raise TypeError('expected {"state": "0x…", "inc": "0x…"}')
    try:
        return RngState(int(obj["state"], 16), int(obj["inc"], 16))
    except (TypeError, ValueError):
        raise TypeError("the generator's state and inc are hex strings") from None


converter.register_structure_hook(RngState, _rng_structure)

_VALUE_TYPES = (bool, int, float)


def _values_structure(obj: Any, _t: Any) -> dict[str, Value]:
    # One pass over a name → value mapping (saves hold thousands of them): same strictness
    # as the per-value hook, a fraction of its cost.
    if type(obj) is not dict:
        raise TypeError("expected an object of name: value")
    for name, value in obj.items():
        if type(value) not in _VALUE_TYPES:
            raise TypeError(f"{name}: expected a number or true/false, got {json.dumps(value)}")
    return dict(obj)


def _ints_structure(obj: Any, _t: Any) -> dict[str, int]:
    if type(obj) is not dict or any(type(v) is not int for v in obj.values()):
        raise TypeError("expected an object of name: integer")
    return dict(obj)


_VALUE_MAPS = {dict[str, Value], Mapping[str, Value]}
_INT_MAPS = {dict[str, int], Mapping[str, int]}
converter.register_structure_hook_func(lambda t: t in _VALUE_MAPS, _values_structure)
converter.register_structure_hook_func(lambda t: t in _INT_MAPS, _ints_structure)
converter.register_unstructure_hook(
    Order, make_dict_unstructure_fn(Order, converter, target=override(omit_if_default=True))
)


def _order_structure(obj: Any, _t: Any) -> Order:
    if not isinstance(obj, dict) or not isinstance(obj.get("action"), str):
        raise TypeError('an order is {"action": ID} or {"action": ID, "target": ROLE}')
    target = obj.get("target")
    if target is not None and not isinstance(target, str):
        raise TypeError("an order's target is a role id")
    extra = set(obj) - {"action", "target"}
    if extra:
        raise TypeError(f"unknown key {sorted(extra)[0]!r} in an order")
    return Order(obj["action"], target)


converter.register_structure_hook(Order, _order_structure)


def _structure(obj: Any, kind: Any, where: str) -> Any:
    try:
        return converter.structure(obj, kind)
    except Exception as err:  # cattrs raises ExceptionGroups; name the first problem
        if _is_cattrs(err):
            raise SaveError(f"bad field {cattrs.transform_error(err, path=where)[0]}") from None
        raise SaveError(f'bad field "{where}": {err}') from None


def _is_cattrs(err: Exception) -> bool:
    return isinstance(err, cattrs.BaseValidationError | cattrs.StructureHandlerNotFoundError)


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


def origin_of(source: ContentSource, content: Content) -> Origin:
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


def check_file_checksum(data: bytes, doc: Mapping[str, Any]) -> str | None:
    """None if a format-2 file's checksum holds, else what is wrong."""
    m = _CHECKSUM.search(data)
    stored = doc.get("checksum")
    if m is None or not isinstance(stored, str):
        return 'missing field "checksum"'
    if stored != f"sha256:{m.group(1).decode()}" or _file_digest(data, m.span(1)) != m.group(
        1
    ).decode():
        return "the file is damaged or was edited: checksum mismatch"
    return None


def canonical_bytes(doc: Mapping[str, Any]) -> bytes:
    body = {k: v for k, v in doc.items() if k != "checksum"}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def checksum_of(doc: Mapping[str, Any]) -> str:
    """Format 1's checksum: sha256 of the canonical JSON of every other key."""
    return "sha256:" + hashlib.sha256(canonical_bytes(doc)).hexdigest()


def _orders_json(orders: Mapping[str, Sequence[Order]], roles: Sequence[str]) -> dict[str, Any]:
    return {r: [converter.unstructure(o) for o in orders.get(r, ())] for r in roles}


def _turn_json(rec: TurnRecord, roles: Sequence[str]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "turn": rec.turn,
        "label": rec.label,
        "orders": _orders_json(rec.orders, roles),
        "hash": rec.hash,
    }
    if rec.values is not None:
        out["values"] = dict(rec.values)
    if rec.scores is not None:
        out["scores"] = dict(rec.scores)
    return out


def snapshot_points(resolved: int, every: int = SNAPSHOT_EVERY) -> list[int]:
    """Which states a game of `resolved` turns keeps: after every `every` turns, and the last."""
    points = list(range(every, resolved, every))
    return [*points, resolved]


def encode_game(
    game: Game,
    *,
    seats: Mapping[str, str],
    game_id: str,
    parent: Parent | None = None,
    branches: Iterable[Branch] = (),
    source: ContentSource | None = None,
) -> dict[str, Any]:
    """The save document of a game (format VERSION); dump_document signs it."""
    content = game.content
    if source is None:
        source = source_of(content)
    if source.digest() != content.content_hash:
        raise SaveError("cannot save: the content texts given do not match the game's content")
    roles = content.role_ids
    unknown = sorted(set(seats) - set(roles))
    if unknown:
        raise SaveError(f"cannot save: {content.id} has no role {unknown[0]!r} (seats)")
    resolved = len(game.history)
    states = [*game.states, game.state]
    doc: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "program_version": __version__,
        "checksum": PLACEHOLDER,
        "game_id": game_id,
        "scenario": content.id,
        "title": content.title,
        "seats": {r: str(seats.get(r, "human")) for r in roles},
        "seed": game.seed,
        "rng": {"algorithm": ALGORITHM},
        "turns_total": content.turns,
        "turn": game.state.turn,
        "over": game.is_over(),
        "parent": attrs.asdict(parent) if parent is not None else None,
        "content": {
            "sha256": content.content_hash,
            "origin": {k: v for k, v in attrs.asdict(origin_of(source, content)).items() if v},
            "scenario": {"name": source.scenario.name, "text": source.scenario.text},
            "rules": [{"name": r.name, "text": r.text} for r in source.rules],
        },
        "turns": [_turn_json(TurnRecord.of(r), roles) for r in game.history],
        "pending": {
            r: [converter.unstructure(o) for o in game.pending[r]]
            for r in roles
            if r in game.pending
        },
        "snapshot_every": SNAPSHOT_EVERY,
        "snapshots": [
            {"turn": states[n].turn, "resolved": n, "state": converter.unstructure(states[n])}
            for n in snapshot_points(resolved)
        ],
        "branches": [
            {"from_turn": b.from_turn, "turns": [_turn_json(t, roles) for t in b.turns]}
            for b in branches
        ],
    }
    return doc


_ONE_LINE = ("turns", "snapshots", "branches")


def dump_document(doc: Mapping[str, Any]) -> bytes:
    """Readable, signed JSON: one line per turn, snapshot and branch; the content texts as
    JSON strings; the checksum set last, over the bytes as written."""

    def one(v: Any) -> str:
        return json.dumps(v, ensure_ascii=False, separators=(", ", ": "))

    parts = []
    for key, value in doc.items():
        if key in _ONE_LINE and isinstance(value, list) and value:
            items = ",\n".join(f"  {one(item)}" for item in value)
            parts.append(f" {json.dumps(key)}: [\n{items}\n ]")
        elif key == "content" and isinstance(value, dict):
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
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise SaveError(f'{name} is not a wargame save (no "format": "{FORMAT}")')
    return doc


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


def check_checksum_v1(doc: Mapping[str, Any]) -> str | None:
    """None if a format-1 checksum holds, else what is wrong."""
    stored = doc.get("checksum")
    if not isinstance(stored, str):
        return 'missing field "checksum"'
    if stored != checksum_of(doc):
        return "the file is damaged or was edited: checksum mismatch"
    return None


class _Fields:
    """Reading fields with messages that name the path of the missing or wrong one."""

    @staticmethod
    def get(obj: Any, key: str, kind: type | tuple[type, ...], where: str) -> Any:
        path = f"{where}.{key}" if where else key
        if not isinstance(obj, dict) or key not in obj:
            raise SaveError(f'missing field "{path}"')
        value = obj[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if (isinstance(value, bool) and bool not in kinds) or not isinstance(value, kinds):
            names = " or ".join(_KIND_NAMES.get(k, k.__name__) for k in kinds)
            raise SaveError(f'bad field "{path}": expected {names}')
        return value

    @staticmethod
    def opt(obj: Any, key: str, kind: type | tuple[type, ...], where: str, default: Any) -> Any:
        if not isinstance(obj, dict) or obj.get(key) is None:
            return default
        return _Fields.get(obj, key, kind, where)


_KIND_NAMES = {
    str: "a string",
    int: "an integer",
    bool: "true or false",
    dict: "an object",
    list: "a list",
    float: "a number",
}
_f = _Fields()


def migrate_v1(doc: Mapping[str, Any]) -> dict[str, Any]:
    """Format 1 → format 2, in memory.

    Format 1 had `rng` as the algorithm's name, orders as "action:target" strings, turns with
    only orders and hash, and no game id, snapshots, branches, parent, pending or origin.
    """
    turns_in = _f.get(doc, "turns", list, "")
    turns = []
    for i, t in enumerate(turns_in):
        where = f"turns[{i}]"
        orders_in = _f.get(t, "orders", dict, where)
        orders: dict[str, list[dict[str, str]]] = {}
        for role, keys in orders_in.items():
            if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
                raise SaveError(f'bad field "{where}.orders.{role}": expected a list of strings')
            orders[role] = []
            for key in keys:
                action, _, target = key.partition(":")
                orders[role].append({"action": action, **({"target": target} if target else {})})
        turns.append({"turn": i + 1, "orders": orders, "hash": _f.get(t, "hash", str, where)})
    content = dict(_f.get(doc, "content", dict, ""))
    scenario = _f.get(doc, "scenario", str, "")
    from wargame.paths import find_scenario

    bundled = find_scenario(scenario) if "/" not in scenario else None
    content["origin"] = {"bundled": scenario} if bundled is not None else {}
    checksum = str(doc.get("checksum", ""))
    return {
        "format": FORMAT,
        "version": VERSION,
        "program_version": doc.get("program_version", "unknown"),
        "game_id": "v1-" + checksum.removeprefix("sha256:")[:12],
        "scenario": scenario,
        "title": scenario,
        "seats": doc.get("seats"),
        "seed": doc.get("seed"),
        "rng": {"algorithm": doc.get("rng")},
        "parent": None,
        "content": content,
        "turns": turns,
        "pending": {},
        "snapshots": [],
        "branches": [],
    }


def _orders(items: Any, where: str) -> tuple[Order, ...]:
    if type(items) is not list:
        raise SaveError(f'bad field "{where}": expected a list of orders')
    try:
        return tuple(_order_structure(o, Order) for o in items)
    except TypeError as err:
        raise SaveError(f'bad field "{where}": {err}') from None


def _turn_record(t: Any, where: str, roles: Sequence[str] | None, full: bool) -> TurnRecord:
    orders_in = _f.get(t, "orders", dict, where)
    orders: dict[str, tuple[Order, ...]] = {}
    for role, items in orders_in.items():
        if roles is not None and role not in roles:
            raise SaveError(f'bad field "{where}.orders": no role {role!r} in this scenario')
        orders[role] = _orders(items, f"{where}.orders.{role}")
    turn = _f.get(t, "turn", int, where)
    hash_ = _f.get(t, "hash", str, where)
    if full:
        label = _f.get(t, "label", str, where)
        values = _structure(_f.get(t, "values", dict, where), dict[str, Value], f"{where}.values")
        scores = _structure(_f.get(t, "scores", dict, where), dict[str, int], f"{where}.scores")
        return TurnRecord(turn, orders, hash_, label, values, scores)
    return TurnRecord(turn, orders, hash_)


def decode_document(doc: Mapping[str, Any], data: bytes, *, lenient: bool = False) -> SaveDoc:
    """A parsed save (and the bytes it was parsed from) → SaveDoc. Checks the version, the
    checksum (unless lenient: then a bad checksum is kept in `problems`), the content's hash
    and every field."""
    version = check_version(doc)
    problems: list[str] = []
    bad_sum = check_checksum_v1(doc) if version == 1 else check_file_checksum(data, doc)
    if bad_sum is not None:
        if not lenient:
            raise SaveError(bad_sum)
        problems.append(bad_sum)
    if version == 1:
        doc = migrate_v1(doc)
    full = version >= 2

    content = _f.get(doc, "content", dict, "")
    sc = _f.get(content, "scenario", dict, "content")
    source = ContentSource(
        SourceFile(
            _f.get(sc, "name", str, "content.scenario"), _f.get(sc, "text", str, "content.scenario")
        ),
        tuple(
            SourceFile(
                _f.get(r, "name", str, f"content.rules[{i}]"),
                _f.get(r, "text", str, f"content.rules[{i}]"),
            )
            for i, r in enumerate(_f.get(content, "rules", list, "content"))
        ),
    )
    content_hash = _f.get(content, "sha256", str, "content")
    if source.digest() != content_hash:
        raise SaveError(
            "the scenario and rules embedded in the save do not match their hash "
            f"(content.sha256 {content_hash[:12]}…, texts {source.digest()[:12]}…): "
            "the file is damaged or was edited"
        )
    origin_in = _f.opt(content, "origin", dict, "content", {})
    origin = Origin(
        bundled=_f.opt(origin_in, "bundled", str, "content.origin", None),
        path=_f.opt(origin_in, "path", str, "content.origin", None),
    )

    seats_in = _f.get(doc, "seats", dict, "")
    seats = {r: k for r, k in seats_in.items() if isinstance(k, str)}
    if len(seats) != len(seats_in):
        raise SaveError('bad field "seats": each seat is "human" or a bot kind')
    roles = tuple(seats)
    rng = _f.get(doc, "rng", dict, "")
    algorithm = _f.get(rng, "algorithm", str, "rng")
    if algorithm != ALGORITHM:
        raise SaveError(
            f"this save's random generator is {algorithm!r}; wargame {__version__} has "
            f"{ALGORITHM!r} and cannot replay it"
        )

    turns = tuple(
        _turn_record(t, f"turns[{i}]", roles, full)
        for i, t in enumerate(_f.get(doc, "turns", list, ""))
    )
    for i, t in enumerate(turns):
        if t.turn != i + 1:
            raise SaveError(f'bad field "turns[{i}].turn": expected {i + 1}, found {t.turn}')
    pending_in = _f.opt(doc, "pending", dict, "", {})
    pending = {r: _orders(v, f"pending.{r}") for r, v in pending_in.items()}
    snapshots = []
    for i, s in enumerate(_f.opt(doc, "snapshots", list, "", [])):
        where = f"snapshots[{i}]"
        resolved = _f.get(s, "resolved", int, where)
        raw_state = _f.get(s, "state", dict, where)
        snapshots.append((resolved, _structure(raw_state, GameState, f"{where}.state")))
    branches = []
    for i, b in enumerate(_f.opt(doc, "branches", list, "", [])):
        where = f"branches[{i}]"
        branches.append(
            Branch(
                _f.get(b, "from_turn", int, where),
                tuple(
                    _turn_record(t, f"{where}.turns[{j}]", roles, full)
                    for j, t in enumerate(_f.get(b, "turns", list, where))
                ),
            )
        )
    parent_in = _f.opt(doc, "parent", dict, "", None)
    parent = (
        Parent(
            _f.get(parent_in, "file", str, "parent"),
            _f.get(parent_in, "game_id", str, "parent"),
            _f.get(parent_in, "turn", int, "parent"),
        )
        if parent_in is not None
        else None
    )
    seed = _f.get(doc, "seed", int, "")
    scenario = _f.get(doc, "scenario", str, "")
    return SaveDoc(
        format_version=version,
        program_version=str(doc.get("program_version", "unknown")),
        game_id=_f.get(doc, "game_id", str, ""),
        scenario=scenario,
        title=_f.opt(doc, "title", str, "", scenario),
        seats=seats,
        seed=seed,
        algorithm=algorithm,
        source=source,
        content_hash=content_hash,
        origin=origin,
        turns=turns,
        pending=pending,
        snapshots=tuple(snapshots),
        branches=tuple(branches),
        parent=parent,
        turns_total=_f.opt(doc, "turns_total", int, "", 0),
        over=_f.opt(doc, "over", bool, "", False),
        problems=tuple(problems),
    )


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
    if set(doc.seats) != set(content.role_ids):
        raise SaveError(
            f'bad field "seats": the roles of {content.id} are {", ".join(content.role_ids)}'
        )
    return content
