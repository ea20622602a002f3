"""YAML loading that remembers where every value came from.

Content files are written by hand, so every mistake must come back as
`FILE:LINE:COL: message` (1-based), all of them in one pass, never as a traceback.
PyYAML's constructor forgets positions, so we compose the node graph and build the
plain Python data ourselves, recording each node's start mark on the way.

Deliberate departures from PyYAML's SafeLoader:

* dates and timestamps stay the text the writer typed (`start: 2018-10-01`);
* keys are always text: `on:`/`no:` keep their spelling, `1:`/`true:`/`null:` are problems;
* duplicate keys, recursive aliases and alias bombs are problems rather than silent or fatal.
"""

from __future__ import annotations

import ast
import os
import re
import unicodedata
from collections.abc import Iterable
from typing import TypeAlias

import attrs
import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from wargame.formats import collector
from wargame.formats.files import YAML_LIMIT, FileRefused, read_bytes
from wargame.formats.untrusted import first_control

Path: TypeAlias = tuple[str | int, ...]
"""Keys and list indexes from the document root, e.g. `("actions", "embargo", "cost")`."""

MAX_NODES = 100_000
"""Expanded size limit: stops "billion laughs" alias bombs long before memory suffers."""

MAX_DEPTH = 200
"""Nesting limit; keeps our recursive walkers (and the schema checker) far from Python's."""
_TOO_DEEP = f"nested too deeply (more than {MAX_DEPTH} levels)"


class _Stop(Exception):
    """Building cannot go on (too large, too deep); args: the final problem's line, column
    and message."""


class _Bounded(Composer):
    """Counts nodes and depth while composing, so an 8 MB flat list or 100,000 `[` stop at the
    limit as they are read instead of being built whole first (aliases count once here; the
    builder counts their expansion)."""

    _nodes = 0
    _depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        self._nodes += 1
        self._depth += 1
        try:
            if self._nodes > MAX_NODES or self._depth > MAX_DEPTH:
                line, col = _mark(self.peek_event().start_mark)  # type: ignore[attr-defined]
                raise _Stop(line, col, "document too large or too many aliases"
                            if self._nodes > MAX_NODES else _TOO_DEEP)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _SafeLoader(_Bounded, yaml.SafeLoader):
    pass


_FAST_LOADER: type[yaml.SafeLoader] = _SafeLoader
if yaml.__with_libyaml__:
    from yaml.cyaml import CParser  # type: ignore[attr-defined]

    # libyaml is ~10x faster; its error messages differ, so errors are re-read with the pure
    # loader (see _compose) to keep messages identical with or without it. Its events feed
    # the counting composer above (its own composer cannot be stopped midway).
    class _FastLoader(_Bounded, CParser, Resolver):
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            Resolver.__init__(self)
            Composer.__init__(self)

    _FAST_LOADER = _FastLoader  # type: ignore[assignment]

_TAG = "tag:yaml.org,2002:"
_INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP, _MERGE, _MAP, _SEQ = (
    _TAG + t for t in ("int", "float", "bool", "null", "timestamp", "merge", "map", "seq"))
_TYPED = (_INT, _FLOAT, _BOOL, _NULL)  # built by PyYAML's SafeConstructor
# `=` and `!`/`&`/`*` resolve to these odd YAML 1.1 types; they are just text to us.
_TEXT_TAGS = frozenset({_TAG + "str", _TAG + "value", _TAG + "yaml"})

_CONSTRUCTOR = SafeConstructor()


@attrs.frozen
class Problem:
    """One thing wrong with a content file, at a 1-based line and column."""

    file: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.message}"


def in_order(problems: Iterable[Problem]) -> list[Problem]:
    """Each problem once, by file, line and column."""
    return sorted(set(problems), key=lambda p: (p.file, p.line, p.col, p.message))


class YamlError(Exception):
    """The file could not be read as YAML; `problems` lists everything found, in file order."""

    def __init__(self, problems: list[Problem], partial: Document | None = None) -> None:
        self.problems = sorted(problems, key=lambda p: (p.line, p.col))
        # The document as far as it could be built (first of duplicate keys kept), so callers
        # can go on to report problems of other kinds in the same pass; None if unreadable.
        self.partial = partial
        super().__init__("\n".join(str(p) for p in self.problems))


def format_path(path: Path) -> str:
    """`("actions", "embargo", "effects", 2)` -> `actions.embargo.effects[2]`."""
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).removeprefix(".")


class Positions:
    """Where a value of a document was written (1-based), where its key was if it is in a
    mapping, and below it its children's: a mapping's by key, a list's by index. Unknown
    paths fall back to the nearest ancestor that exists, so callers can point at absent
    things (a missing key)."""

    __slots__ = ("children", "col", "key_col", "key_line", "line")

    def __init__(self, line: int = 1, col: int = 1) -> None:
        self.line, self.col = line, col
        self.key_line = self.key_col = 0  # 0: not a mapping's value
        self.children: dict[str, Positions] | list[Positions] | None = None  # None: a scalar

    def _walk(self, path: Path) -> tuple[Positions, bool]:
        """Deepest node along `path`, and whether it is the one at `path`."""
        node = self
        for part in path:
            children = node.children
            if isinstance(children, dict) and str(part) in children:
                node = children[str(part)]
            elif isinstance(children, list) and type(part) is int and 0 <= part < len(children):
                node = children[part]
            else:
                return node, False
        return node, True

    def value(self, path: Path) -> tuple[int, int]:
        node, _ = self._walk(path)
        return node.line, node.col

    def key(self, path: Path) -> tuple[int, int]:
        """Position of the key naming the value at `path`; for list items, the root and
        unknown paths it falls back to `value(path)`."""
        node, found = self._walk(path)
        return (node.key_line, node.key_col) if found and node.key_line else (node.line, node.col)

    def problem(self, file: str, path: Path, message: str, *, at_key: bool = False) -> Problem:
        line, col = self.key(path) if at_key else self.value(path)
        return Problem(file, line, col, message)


@attrs.frozen
class Document:
    file: str
    data: object
    positions: Positions = attrs.field(eq=False)

    def problem(self, path: Path, message: str, *, at_key: bool = False) -> Problem:
        return self.positions.problem(self.file, path, message, at_key=at_key)


# --------------------------------------------------------------------------- parsing


def _line_col_at(text: str, index: int) -> tuple[int, int]:
    index = max(0, min(index, len(text)))
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _mark(mark: object) -> tuple[int, int]:
    return getattr(mark, "line", 0) + 1, getattr(mark, "column", 0) + 1


_TOKEN_NAMES = {
    "<block mapping start>": "a new 'key:' entry",
    "<block sequence start>": "a '-' list",
    "<block end>": "the end of the block",
    "<stream end>": "the end of the file",
    "<document start>": "'---'",
    "<document end>": "'...'",
    "<scalar>": "a value",
    "?": "a 'key:' entry",
    "-": "a '-' list item",
    "<alias>": "an alias",
    "<anchor>": "an anchor",
    "<tag>": "a tag",
}


def _token(token: str) -> str:
    return _TOKEN_NAMES.get(token, f"'{token}'")


def _explain(context: str | None, context_at: tuple[int, int] | None, problem: str) -> str:
    """Turn PyYAML's terse error into something a scenario writer can act on."""
    at = f"line {context_at[0]}, column {context_at[1]}" if context_at else ""
    if m := re.fullmatch(r"found character (.+) that cannot start any token", problem):
        ch = _literal(m.group(1))
        if ch == "\t":
            return "tab character here; YAML must be indented with spaces"
        shown = f"'{ch}'" if ch.isprintable() and not ch.isspace() else f"character U+{ord(ch):04X}"
        return f"{shown} cannot start a value; put the value in quotes"
    if problem.startswith("mapping values are not allowed"):
        return ("unexpected ':'; put a value containing ': ' in quotes, "
                "or check the indentation of this line")
    if problem.startswith("sequence entries are not allowed"):
        return "a '-' list item is not allowed here; check the indentation"
    if problem.startswith("mapping keys are not allowed"):
        return "a '?' key is not allowed here; put the value in quotes"
    if problem == "could not find expected ':'":
        return f"expected ':' after the key at {at}" if at else "expected ':' after a key"
    if m := re.fullmatch(r"expected <block end>, but found (.+)", problem):
        found = _token(_literal(m.group(1)))
        if context and "mapping" in context:
            if found == _TOKEN_NAMES["<block mapping start>"]:
                message = "bad indentation: this line does not line up with the keys"
                return message + (f" of the mapping at {at}" if at else " around it")
            if found == _TOKEN_NAMES["<scalar>"]:
                return "unexpected text after a value; quote the whole value or fix the indentation"
            message = f"found {found} where a new 'key:' was expected; check the indentation"
            return message + (f" (the mapping starts at {at})" if at else "")
        message = f"found {found} where a '- ' list item was expected; check the indentation"
        return message + (f" (the list starts at {at})" if at else "")
    if m := re.fullmatch(r"expected '(.)' or '(.)', but got (.+)", problem):
        opener = "[" if m.group(2) == "]" else "{"
        found = _token(_literal(m.group(3)))
        opened = f" (opened at {at})" if at else ""
        return f"unclosed '{opener}'{opened}: expected ',' or '{m.group(2)}' but found {found}"
    if context and "quoted" in context and problem.startswith("found unexpected"):
        opened = f" (opened at {at})" if at else ""
        ends = "the file ends" if "end of stream" in problem else "'---' comes"
        return f"unclosed quote{opened}: {ends} before the closing quote"
    if m := re.fullmatch(r"found undefined alias (.+)", problem):
        name = _literal(m.group(1))
        return f"unknown alias '*{name}' (no '&{name}' anchor before it)"
    if m := re.fullmatch(r"found duplicate anchor (.+); first occurrence", context or ""):
        name = _literal(m.group(1))
        return f"anchor '&{name}' is defined twice" + (f" (first at {at})" if at else "")
    if m := re.fullmatch(r"found unknown escape character (.+)", problem):
        return f"unknown escape '\\{_literal(m.group(1))}' in double quotes; use single quotes"
    if m := re.fullmatch(r"expected the node content, but found (.+)", problem):
        return f"expected a value but found {_token(_literal(m.group(1)))}"
    if context:
        return f"{problem} ({context}" + (f" at {at})" if at else ")")
    return problem


def _literal(text: str) -> str:
    """PyYAML puts `%r` of a character or token in its messages; undo the repr."""
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text
    return value if isinstance(value, str) else text


def _bad_character(ch: str) -> str:
    if not ch:
        return "this character is not allowed in YAML"
    kind = "control character" if unicodedata.category(ch) == "Cc" else "character"
    return f"{kind} U+{ord(ch):04X} is not allowed in YAML"


def _yaml_problem(err: BaseException, text: str, file: str, *, byte_offsets: bool) -> Problem:
    if isinstance(err, yaml.reader.ReaderError):
        position = err.position
        if byte_offsets:  # libyaml counts bytes of the UTF-8 encoding
            position = len(text.encode("utf-8")[:position].decode("utf-8", "ignore"))
        line, col = _line_col_at(text, position)
        ch = text[position] if position < len(text) else ""
        return Problem(file, line, col, _bad_character(ch))
    if isinstance(err, UnicodeEncodeError):  # a lone surrogate, seen by libyaml
        line, col = _line_col_at(text, err.start)
        return Problem(file, line, col, _bad_character(text[err.start : err.start + 1]))
    if isinstance(err, yaml.MarkedYAMLError):
        context_at = _mark(err.context_mark) if err.context_mark is not None else None
        problem = err.problem or err.context or "invalid YAML"
        line, col = _mark(err.problem_mark or err.context_mark)  # (1, 1) if neither
        if context_at == (line, col):
            context_at = None
        return Problem(file, line, col, _explain(err.context, context_at, problem))
    return Problem(file, 1, 1, f"invalid YAML: {err}")


def _compose(text: str, file: str) -> tuple[Node | None, list[Problem]]:
    """Compose the single document in `text`; problems if it is not exactly one valid one."""
    try:
        return _compose_with(_FAST_LOADER, text, file)
    except _Stop as stop:
        return None, [Problem(file, *stop.args)]
    except (yaml.YAMLError, RecursionError, UnicodeEncodeError) as err:
        # UnicodeEncodeError: libyaml encodes the text, and a lone surrogate cannot be encoded
        fast_error: BaseException = err
    if _FAST_LOADER is not _SafeLoader:
        try:
            _compose_with(_SafeLoader, text, file)
        except yaml.YAMLError as err:
            return None, [_yaml_problem(err, text, file, byte_offsets=False)]
        except _Stop as stop:  # libyaml stops at 1,000 levels while looking ahead
            return None, [Problem(file, *stop.args)]
        except RecursionError:
            pass  # too deep for the pure loader: libyaml's own report is fine
    if isinstance(fast_error, RecursionError):
        return None, [Problem(file, 1, 1, _TOO_DEEP)]
    return None, [
        _yaml_problem(fast_error, text, file, byte_offsets=_FAST_LOADER is not _SafeLoader)
    ]


def _compose_with(loader_cls: type[yaml.SafeLoader], text: str,
                  file: str) -> tuple[Node | None, list[Problem]]:
    loader = loader_cls(text)
    try:
        root: Node | None = loader.get_node() if loader.check_node() else None
        if not loader.check_node():
            return root, []
        line, col = _mark(loader.peek_event().start_mark)  # type: ignore[no-untyped-call]
        while loader.check_node():  # surface syntax errors in the extra documents too
            loader.get_node()
    finally:
        loader.dispose()
    return root, [
        Problem(file, line, col, "only one YAML document is allowed per file; another starts here")
    ]


# -------------------------------------------------------------------------- building


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag


class _Builder:
    """Turns a composed node graph into plain data plus a parallel Positions tree."""

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems
        self.count = 0
        self.active: set[int] = set()  # nodes being built: re-entering one means a cycle
        self.seen: set[int] = set()  # nodes built once: seeing one again means an alias
        # Where the outermost alias being expanded is used (its enclosing collection), so
        # an alias bomb is reported where the aliases are, not where the anchor is.
        self.alias_at: tuple[int, int] | None = None
        self.container: tuple[int, int] = (1, 1)

    def report(self, line: int, col: int, message: str) -> None:  # 1-based
        self.problems.append(Problem(self.file, line, col, message))

    def build(self, node: Node, depth: int) -> tuple[object, Positions]:
        line, col = _mark(node.start_mark)
        pos = Positions(line, col)
        ident = id(node)
        if ident in self.active:
            self.report(line, col, "an alias refers to a node that contains it (recursive)")
            return None, pos
        self.count += 1
        if self.count > MAX_NODES:
            line, col = self.alias_at or (line, col)
            raise _Stop(line, col, "document too large or too many aliases")
        if depth > MAX_DEPTH:
            raise _Stop(line, col, _TOO_DEEP)
        if isinstance(node, ScalarNode):
            return self.scalar(node), pos
        outer_alias, outer_container = self.alias_at, self.container
        if ident in self.seen:
            if outer_alias is None:
                self.alias_at = outer_container
        else:
            self.seen.add(ident)
        self.active.add(ident)
        self.container = (line, col)
        try:
            if node.tag != (_SEQ if isinstance(node, SequenceNode) else _MAP):
                self.report(line, col, f"unsupported tag '{_short_tag(node.tag)}'")
            if isinstance(node, MappingNode):
                return self.mapping(node, pos, depth)
            built = [self.build(child, depth + 1) for child in node.value]
            pos.children = [child_pos for _, child_pos in built]
            return [value for value, _ in built], pos
        finally:
            self.active.discard(ident)
            self.alias_at, self.container = outer_alias, outer_container

    def mapping(self, node: MappingNode, pos: Positions, depth: int) -> tuple[object, Positions]:
        data: dict[str, object] = {}
        where: dict[str, Positions] = {}
        # YAML merge keys: earlier sources win over later ones, explicit keys over all.
        merged: dict[str, object] = {}
        merged_where: dict[str, Positions] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.tag == _MERGE:
                for source in value_node.value if isinstance(value_node, SequenceNode) else [
                        value_node]:
                    value, source_pos = self.build(source, depth + 1)
                    if not isinstance(value, dict) or not isinstance(source_pos.children, dict):
                        self.report(source_pos.line, source_pos.col,
                                    "'<<' (merge) needs a mapping or a list of mappings")
                        continue
                    for key, v in value.items():
                        if key not in merged:
                            merged[key], merged_where[key] = v, source_pos.children[key]
                continue
            key = self.key(key_node, depth)
            value, value_pos = self.build(value_node, depth + 1)
            value_pos.key_line, value_pos.key_col = _mark(key_node.start_mark)
            if key in where:  # keep the first: its position is the one already recorded
                self.report(value_pos.key_line, value_pos.key_col,
                            f"duplicate key '{key}' (first defined at line {where[key].key_line})")
                continue
            data[key] = value
            where[key] = value_pos
        if merged:
            data, where = merged | data, merged_where | where
        pos.children = where
        return data, pos

    def key(self, node: Node, depth: int) -> str:
        line, col = _mark(node.start_mark)
        if not isinstance(node, ScalarNode):
            value, _ = self.build(node, depth + 1)
            kind = "a mapping" if isinstance(node, MappingNode) else "a list"
            self.report(line, col, f"keys must be text, found {kind}")
            return str(value)
        text: str = node.value
        tag = node.tag
        if tag in _TEXT_TAGS or tag == _TIMESTAMP:
            return self.text(node)
        if tag == _BOOL and text.lower() not in ("true", "false"):
            return text  # YAML 1.1 yes/no/on/off: the writer meant the word
        if tag in _TYPED:
            self.report(line, col, f"keys must be text, found {text or 'an empty key'}")
        else:
            self.report(line, col, f"unsupported tag '{_short_tag(tag)}'")
        return text

    def text(self, node: ScalarNode) -> str:
        """A text as written; a control character or lone surrogate in it (only a quoted
        escape such as "\\e" can put one there) is a problem: titles and names reach terminals."""
        text: str = node.value
        bad = first_control(text)
        if bad is not None:
            self.report(*_mark(node.start_mark),
                        f"control character {bad} in text: terminals act on these; remove it")
        return text

    def scalar(self, node: ScalarNode) -> object:
        tag = node.tag
        text: str = node.value
        if tag in _TEXT_TAGS or tag in (_TIMESTAMP, _MERGE):
            return self.text(node)  # timestamps stay as written: `start: 2018-10-01`
        if tag in (_INT, _FLOAT) and ":" in text:  # YAML 1.1 base 60: 190:20:30 is 685230
            self.report(*_mark(node.start_mark), f"'{text[:40]}' reads as a base-60 number in "
                        "YAML; write the number, or put it in quotes if it is text")
            return text
        if tag in _TYPED:
            try:
                return SafeConstructor.yaml_constructors[tag](_CONSTRUCTOR, node)
            except (ValueError, KeyError, IndexError):
                # only reachable with explicit tags such as `!!int abc`
                self.report(*_mark(node.start_mark), f"'{text}' is not a valid {_short_tag(tag)}")
                return text
        self.report(*_mark(node.start_mark), f"unsupported tag '{_short_tag(tag)}'")
        return text


def load_yaml(text: str, file: str) -> Document:
    """Parse one YAML document; raise YamlError listing every problem found."""
    with collector.paused():
        root, problems = _compose(text, file)
        if root is None:
            if problems:
                raise YamlError(problems)
            return Document(file, None, Positions())
        builder = _Builder(file, problems)
        try:
            data, pos = builder.build(root, 0)
        except _Stop as stop:
            raise YamlError([*problems, Problem(file, *stop.args)]) from None
        if problems:
            raise YamlError(problems, Document(file, data, pos))
        return Document(file, data, pos)


def read_source(path: str | os.PathLike[str]) -> str:
    """The text of a YAML file someone named (UTF-8, a BOM is fine), read through the bounded
    reader; YamlError with one problem if it cannot be read."""
    file = os.fspath(path)
    try:
        raw = read_bytes(file, YAML_LIMIT, "a YAML file")
    except FileRefused as err:
        raise YamlError([Problem(err.name, 1, 1, err.reason)]) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        before = raw[: err.start].decode("utf-8", "replace")
        line, col = _line_col_at(before, len(before))
        if raw.startswith(b"\xef\xbb\xbf") and line == 1:
            col -= 1  # the BOM is not a column the writer can see
        message = f"file is not valid UTF-8 (byte 0x{raw[err.start]:02x}); save it as UTF-8"
        raise YamlError([Problem(file, line, col, message)]) from None


def load_yaml_file(path: str | os.PathLike[str]) -> Document:
    """Read a file (see read_source) and load it; unreadable files are problems too."""
    return load_yaml(read_source(path), os.fspath(path))
