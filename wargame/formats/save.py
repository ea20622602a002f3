"""The save file (format 2, described in docs/playing.md), declared once: one cattrs converter
structures a parsed save into these classes and writes them back, and `wargame schema save`
is written from them. The converter is strict, so that 4 stays 4 and 4.0 stays 4.0: a state's
hash depends on the exact JSON types of its values. A missing or wrong field is a
`SaveError` naming its path (`missing field "turns[2].hash"`)."""

from __future__ import annotations

import json
import typing
from collections.abc import Callable, Iterator, Mapping
from typing import Annotated, Any

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from wargame.engine.rng import RngState
from wargame.engine.state import GameState, Order, TurnReport, Value
from wargame.formats.declare import NULLABLE, Doc, JsonSchemaOf, Pattern, Range, declared, field
from wargame.formats.files import TextFile
from wargame.formats.yamlsrc import format_path

FORMAT = "wargame-save"
VERSION = 2
HEX64 = Pattern("[0-9a-f]{64}")
Orders = Annotated[
    dict[str, tuple[Order, ...]], Doc("role → its orders, in the order given")
]


class SaveError(Exception):
    """A save that cannot be read, written or trusted; the message says what is wrong (a
    missing or mistyped field: its path)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@declared("parent", "Where a fork came from")
@attrs.frozen
class Parent:
    """The parent's file name, game id, and the turn it forked at (the fork shares turns
    1 .. turn-1 with its parent and starts at `turn`)."""

    file: str = field()
    game_id: str = field()
    turn: int = field()


@declared("turn", "One resolved turn")
@attrs.frozen(kw_only=True)
class TurnRecord:
    """`values`/`scores`/`label` are None only in a game migrated from format 1."""

    turn: int = field()
    label: str | None = field("Calendar label, e.g. 2021 Q3", default=None)
    orders: Orders = field()
    hash: Annotated[str, HEX64] = field("sha256 of the canonical state after the turn")
    values: dict[str, Value] | None = field("Every variable and flag by dotted name",
                                            default=None)
    scores: dict[str, int] | None = field("Each role's score so far", default=None)

    @classmethod
    def of(cls, report: TurnReport) -> TurnRecord:
        return cls(
            turn=report.turn,
            orders={r: tuple(o) for r, o in report.orders.items()},
            hash=report.hash,
            label=report.label,
            values=dict(report.after),
            scores=dict(report.scores),
        )


@declared("branch", "A line of play that was taken back: it left the game at `from_turn`")
@attrs.frozen
class Branch:
    from_turn: int = field()
    turns: tuple[TurnRecord, ...] = field()

    @classmethod
    def of(cls, *reports: TurnReport) -> Branch:
        """The branch left behind by taking back these turns (oldest first)."""
        if not reports:
            raise ValueError("a branch needs at least one turn")
        return cls(from_turn=reports[0].turn, turns=tuple(TurnRecord.of(r) for r in reports))


@declared("origin", "Where the scenario lives now, for `--with-current-rules`")
@attrs.frozen
class Origin:
    bundled: str | None = field("A bundled scenario id", default=None)
    path: str | None = field("A scenario file", default=None)


@declared("content", "The exact texts the game was played with")
@attrs.frozen(kw_only=True)
class ContentTexts:
    sha256: Annotated[str, HEX64] = field("sha256 of the texts: the content's name")
    origin: Origin = field(factory=Origin)
    scenario: TextFile = field()
    rules: list[TextFile] = field("The rule files, in the order the scenario lists them")


@declared("rng", "How chance works")
@attrs.frozen(kw_only=True)
class RngName:
    algorithm: str = field()


_STATE_SCHEMA = {
    "type": "object",
    "description": "the full game state (values, marks, generator, tallies, events)",
}


@declared("snapshot", "A full state, for seeking without replaying from the start")
@attrs.frozen(kw_only=True)
class Snapshot:
    turn: int = field(default=0)
    resolved: int = field("How many turns were resolved before it")
    state: Annotated[GameState, JsonSchemaOf(_STATE_SCHEMA)] = field()


@declared("host", "A game played at `wargame host`: the join codes' hashes, each seat's "
          "rationale and the umpire's control entries (wargame.host.table)")
@attrs.frozen(kw_only=True)
class HostRecord:
    table: Annotated[int, Range(min=1)] = field(default=1)
    codes: dict[str, Annotated[str, Pattern("sha256:[0-9a-f]{64}")]] = field(
        'role, "umpire" or "spectator" → "sha256:" hash of the code'
    )
    rationale: list[dict[str, Any]] = field("Each seat's rationale: turn, role, text",
                                            factory=list)
    controls: list[dict[str, Any]] = field(
        "The umpire's interventions, each with its turn and kind", factory=list
    )
    journal: Annotated[int, Range(min=0)] = field(
        "The last entry of the host's journal (NAME.journal) this save holds", default=0
    )


@declared("agents", "What the program and model seats (`wargame run --agent`) said: each "
          "turn's rationale, and each reply that could not be used (docs/agents.md)")
@attrs.frozen(kw_only=True)
class AgentsRecord:
    rationale: list[dict[str, Any]] = field("Each turn's rationale: turn, role, text",
                                            factory=list)
    errors: list[dict[str, Any]] = field("Each reply that could not be used: turn, role, "
                                         "message", factory=list)


@declared("save", "A saved game, save format 2. A game is its history: the embedded content, "
          "the seed and each turn's orders; every turn's state hash lets any program check a "
          "replay. `checksum` is sha256 of the file's bytes with the checksum's own 64 hex "
          "digits replaced by \"0\" (CRLF read as LF). Older formats are migrated on load.")
@attrs.frozen(kw_only=True)
class SaveFile:
    format: Annotated[str, JsonSchemaOf({"const": FORMAT})] = field()
    version: Annotated[int, JsonSchemaOf({"const": VERSION})] = field("The save format version")
    program_version: str = field("The wargame version that wrote it", default="unknown")
    checksum: Annotated[str, Pattern("sha256:[0-9a-f]{64}")] = field(default="")
    game_id: str = field()
    scenario: str = field("The scenario id")
    title: str = field(default="")
    seats: dict[str, str] = field(
        "role → \"human\" or a bot kind (\"random\", \"heuristic\", \"script\", …)"
    )
    seed: int = field()
    rng: RngName = field()
    turns_total: int = field(default=0)
    turn: int = field("The turn to play next", default=0)
    over: bool = field(default=False)
    parent: Annotated[Parent | None, NULLABLE] = field("A fork's origin", default=None)
    content: ContentTexts = field()
    turns: tuple[TurnRecord, ...] = field("Every resolved turn")
    pending: Orders = field("Orders submitted for the unresolved turn", factory=dict)
    controls: list[dict[str, Any]] = field(
        "The white cell's interventions that change the game (inject, override), in the "
        "order applied; a replay applies each at its turn (wargame.formats.controls)",
        factory=list,
    )
    snapshot_every: int = field(default=0)
    snapshots: tuple[Snapshot, ...] = field(default=())
    branches: tuple[Branch, ...] = field("Taken-back turns, never rewritten", default=())
    host: HostRecord | None = field(default=None)
    agents: AgentsRecord | None = field(default=None)


# ---------------------------------------------------------------------------- converter


def _strict(kind: type | tuple[type, ...], what: str) -> Callable[[Any, Any], Any]:
    kinds = kind if isinstance(kind, tuple) else (kind,)

    def hook(obj: Any, _t: Any) -> Any:
        if (isinstance(obj, bool) and bool not in kinds) or not isinstance(obj, kind):
            raise TypeError(f"expected {what}, got {json.dumps(obj)[:40]}")
        return obj

    return hook


def _rng_structure(obj: Any, _t: Any) -> RngState:
    if not isinstance(obj, dict) or set(obj) != {"state", "inc"}:
        raise TypeError('expected {"state": "0x…", "inc": "0x…"}')
    try:
        return RngState(int(obj["state"], 16), int(obj["inc"], 16))
    except (TypeError, ValueError):
        raise TypeError("the generator's state and inc are hex strings") from None


def _values_structure(obj: Any, _t: Any) -> dict[str, Value]:
    # One pass over a name → value mapping (saves hold thousands of them).
    if type(obj) is not dict:
        raise TypeError("expected an object of name: value")
    for name, value in obj.items():
        if type(value) not in (bool, int, float):
            raise TypeError(f"{name}: expected a number or true/false, got {json.dumps(value)}")
    return dict(obj)


def _ints_structure(obj: Any, _t: Any) -> dict[str, int]:
    if type(obj) is not dict or any(type(v) is not int for v in obj.values()):
        raise TypeError("expected an object of name: integer")
    return dict(obj)


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


def _shaped(kind: type, what: str, make: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A structure hook that first checks the JSON shape (object, list), then delegates."""

    check = _strict(kind, what)

    def factory(tp: Any) -> Callable[[Any, Any], Any]:
        inner = make(tp)
        return lambda obj, t: inner(check(obj, t), t)

    return factory


converter = cattrs.Converter()
for _kind, _what in ((str, "a string"), (int, "an integer"), (bool, "true or false")):
    converter.register_structure_hook(_kind, _strict(_kind, _what))
converter.register_structure_hook_func(
    lambda t: t == Value, _strict((bool, int, float), "a number or true/false")
)
converter.register_unstructure_hook(
    RngState, lambda r: {"state": f"{r.state:#x}", "inc": f"{r.inc:#x}"}
)
_VALUE_MAPS = {dict[str, Value], Mapping[str, Value]}
_INT_MAPS = {dict[str, int], Mapping[str, int]}
converter.register_structure_hook_func(lambda t: t in _VALUE_MAPS, _values_structure)
converter.register_structure_hook_func(lambda t: t in _INT_MAPS, _ints_structure)
converter.register_unstructure_hook(
    Order, make_dict_unstructure_fn(Order, converter, target=override(omit_if_default=True))
)

# Optional parts a game does not have are left out of the file (`"parent": null` stays).
for _cls, _omit in ((TurnRecord, ("values", "scores")), (Origin, ("bundled", "path")),
                    (SaveFile, ("controls", "host", "agents"))):
    _skip: dict[str, Any] = {n: override(omit_if_default=True) for n in _omit}
    converter.register_unstructure_hook(_cls, make_dict_unstructure_fn(_cls, converter, **_skip))
converter.register_structure_hook_factory(
    attrs.has,
    _shaped(dict, "an object", lambda cl: make_dict_structure_fn(cl, converter)),
)


def _origin(t: Any) -> Any:
    return typing.get_origin(t)


def _first_error(t: Any) -> Callable[[Any, Any], Any]:
    """Lists, tuples and objects structured item by item, stopping at the first bad item:
    cattrs' own hooks collect every error, and 500,000 bad turns took 2.5 GB to name one."""
    mapping = _origin(t) is dict
    kinds = tuple(a for a in typing.get_args(t) if a is not Ellipsis) or (Any,) * (1 + mapping)
    hooks = [converter.get_structure_hook(k) for k in kinds]

    def bad(err: Exception, at: str | int) -> Exception:
        note = IterableValidationNote(f"Structuring {t} @ {at!r}", at, kinds[-1])
        err.__notes__ = [*getattr(err, "__notes__", ()), note]
        return IterableValidationError(f"While structuring {t!r}", [err], t)

    def items(obj: Any, _t: Any) -> Any:
        out = []
        for i, item in enumerate(obj):
            try:
                out.append(hooks[0](item, kinds[0]))
            except Exception as err:
                raise bad(err, i) from None
        return tuple(out) if _origin(t) is tuple else out

    def entries(obj: Any, _t: Any) -> Any:
        out = {}
        for key, value in obj.items():
            try:
                out[hooks[0](key, kinds[0])] = hooks[1](value, kinds[1])
            except Exception as err:
                raise bad(err, key) from None
        return out

    return entries if mapping else items


converter.register_structure_hook_factory(  # lists, and tuples of any length (tuple[X, ...])
    lambda t: _origin(t) is list
    or (_origin(t) is tuple and typing.get_args(t)[-1:] == (Ellipsis,)),
    _shaped(list, "a list", _first_error),
)
converter.register_structure_hook_factory(
    lambda t: _origin(t) is dict and t not in _VALUE_MAPS | _INT_MAPS,
    _shaped(dict, "an object", _first_error),
)

# Exact types last: a later hook takes precedence over the factories above.
converter.register_structure_hook_func(lambda t: t is RngState, _rng_structure)
converter.register_structure_hook_func(lambda t: t is Order, _order_structure)


def _leaves(err: BaseException, path: tuple[str | int, ...] = ()) -> Iterator[
    tuple[tuple[str | int, ...], BaseException]
]:
    if isinstance(err, BaseExceptionGroup):
        for sub in err.exceptions:
            step = path
            for note in getattr(sub, "__notes__", ()):
                if isinstance(note, AttributeValidationNote):
                    step = (*step, note.name)
                elif isinstance(note, IterableValidationNote):
                    step = (*step, note.index)
            yield from _leaves(sub, step)
    else:
        yield path, err


def structure(obj: Any, kind: Any, where: str = "") -> Any:
    """`obj` structured as `kind`; SaveError naming the first missing or wrong field, its
    path prefixed by `where` (`snapshots[0].state`)."""
    try:
        return converter.structure(obj, kind)
    except Exception as err:  # cattrs raises groups of errors; name the first
        path, leaf = next(_leaves(err), ((), err))
        inner = format_path(path)
        dot = "." if where and inner and not inner.startswith("[") else ""
        shown = where + dot + inner
        if isinstance(leaf, KeyError):
            raise SaveError(f'missing field "{shown}"') from None
        raise SaveError(f'bad field "{shown}": {leaf}') from None
