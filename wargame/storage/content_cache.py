"""A disk cache of compiled content: what __pycache__ is to modules, this is to scenarios.

Compiling a scenario and its rules (YAML, schema checks, every expression) is most of the time
a fresh process takes to load a save. A save names its content by its exact texts, so the
compiled form can be kept on disk and read back by the next process.

* The key is sha256 of: the exact names and texts (as `save_format.compile_cached` keys its
  in-process cache), this Python (its version and build), PyYAML's version, and the
  source bytes of every module that decides what content compiles to (the compiler's
  version: any edit to the loader, the schema, the YAML reader or the expression compiler
  makes every older entry stale, without anyone remembering to bump a number).
* An entry is written only after `compile_content` accepted the texts. Content with problems
  is never cached, so its problems are always reported by the compiler, FILE:LINE:COL.
* A file is MAGIC, then sha256 of the payload, then the payload: `marshal` data made of tuples,
  lists, dicts, text and numbers, plus one code object per compiled expression (as a .pyc
  holds code). Nothing is unpickled and the file names no class: records are rebuilt into the
  engine's content classes by this module, and each expression's code is checked by
  `expr_from_parts` (two arguments, plain constants, only the expression helpers reachable).
* A damaged, truncated, stale or foreign entry (bad magic or digest, another key, records
  that do not fit) is ignored, and the content is compiled from its texts and stored again.

Trust: like Python with __pycache__, the cache folder is the user's own. Entries that are
not owned by the user, or that others can write, are ignored (on POSIX). `WARGAME_NO_CACHE=1`
turns the cache off; `WARGAME_CACHE_DIR` moves it (the default is the user cache folder of
platformdirs, e.g. ~/.cache/wargame).
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
from pathlib import Path
from typing import Any

import attrs

from wargame import __version__
from wargame.engine import content as _content
from wargame.engine.expr import Expr, expr_from_parts, expr_parts

ENV_DIR = "WARGAME_CACHE_DIR"
ENV_OFF = "WARGAME_NO_CACHE"
FORMAT = 1
MAGIC = b"wargame-content\x00" + FORMAT.to_bytes(2, "big")
SUFFIX = ".wgc"
MAX_ENTRIES = 64
MAX_ENTRY_BYTES = 32 << 20  # a bundled scenario's entry is ~70 KB
_DIGEST = 32

# The records a Content is made of; a record's tag is its index here.
_CLASSES: tuple[type, ...] = (
    _content.Content,
    _content.Role,
    _content.Actor,
    _content.Variable,
    _content.Action,
    _content.Requirement,
    _content.Outcome,
    _content.Effect,
    _content.Rule,
    _content.Event,
    _content.Modifier,
    _content.Objective,
    _content.SourceRef,
)
_TAGS = {cls: tag for tag, cls in enumerate(_CLASSES)}
_EXPR_TAG = -1
_FIELDS: dict[type, tuple[str, ...]] = {}
for _cls in _CLASSES:
    _fields = attrs.fields(_cls)
    if any(f.kw_only or f.alias != f.name for f in _fields if f.init):
        raise TypeError(f"content_cache rebuilds {_cls.__name__} positionally")
    _FIELDS[_cls] = tuple(f.name for f in _fields if f.init)
_ARITY = tuple(len(_FIELDS[cls]) for cls in _CLASSES)
_SCALARS = (str, int, float, bool, type(None))
_SCALAR_TYPES = frozenset(_SCALARS)


# ---------------------------------------------------------------------------- where


def cache_dir() -> Path | None:
    """The folder of compiled content, or None when the cache is off or has no home."""
    if os.environ.get(ENV_OFF, "") not in ("", "0"):
        return None
    env = os.environ.get(ENV_DIR)
    if env:
        return Path(env).expanduser() / "content"
    base = _user_cache_dir()
    return base / "content" if base is not None else None


def _user_cache_dir() -> Path | None:
    if sys.platform in ("win32", "darwin", "ios") or hasattr(sys, "getandroidapilevel"):
        import platformdirs

        return Path(platformdirs.user_cache_dir("wargame"))
    # Elsewhere platformdirs gives the XDG folder. Importing it costs ~4 ms, half of what a
    # fresh process takes to load a save from the cache, so its rule is followed here (tests
    # check the two agree): $XDG_CACHE_HOME if it is an absolute path, else ~/.cache.
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base = xdg if os.path.isabs(xdg) else os.path.expanduser("~/.cache")
    return Path(base) / "wargame" if os.path.isabs(base) else None


_FINGERPRINT: list[bytes | None] = []


def _compiler_modules() -> list[Any]:
    from wargame.engine import expr
    from wargame.storage import content_loader, content_schema, schema, yamlsrc

    return [expr, _content, content_loader, content_schema, schema, yamlsrc, sys.modules[__name__]]


def fingerprint() -> bytes | None:
    """What else an entry depends on: Python (version and build), PyYAML and the compiler's
    source; computed once per process. None if a compiler module's source cannot be read
    (then nothing is cached)."""
    if not _FINGERPRINT:
        import yaml

        h = hashlib.sha256(MAGIC)
        for part in (
            sys.version,
            sys.implementation.cache_tag or "",
            getattr(yaml, "__version__", "?"),
            str(getattr(yaml, "__with_libyaml__", False)),
            __version__,
        ):
            h.update(part.encode() + b"\0")
        try:
            for module in _compiler_modules():
                h.update(Path(module.__file__).read_bytes() + b"\0")
        except (OSError, TypeError):
            _FINGERPRINT.append(None)
        else:
            _FINGERPRINT.append(h.digest())
    return _FINGERPRINT[0]


def entry_path(exact_key: str) -> Path | None:
    """The file that holds (or would hold) the content compiled from texts with this key."""
    folder = cache_dir()
    fp = fingerprint() if folder is not None else None
    if folder is None or fp is None:
        return None
    return folder / (hashlib.sha256(fp + exact_key.encode()).hexdigest() + SUFFIX)


# ---------------------------------------------------------------------------- reading


def load(exact_key: str, content_hash: str) -> _content.Content | None:
    """The cached content for these texts, or None (no entry, or one that cannot be used)."""
    path = entry_path(exact_key)
    if path is None:
        return None
    data = _read_own(path)
    if data is None:
        return None
    try:
        content = decode(data, exact_key)
    except Exception:  # whatever is wrong with it, the texts are compiled again
        return None
    return content if content.content_hash == content_hash else None


def _read_own(path: Path) -> bytes | None:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if os.name == "posix" and (st.st_uid != os.getuid() or st.st_mode & 0o022):
            return None
        if st.st_size > MAX_ENTRY_BYTES:
            return None
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)


def decode(data: bytes, exact_key: str) -> _content.Content:
    """An entry's bytes → Content. ValueError (or another error) if it is not a sound entry
    for this key."""
    head = len(MAGIC)
    if data[:head] != MAGIC:
        raise ValueError("not a wargame content cache entry of this format")
    payload = data[head + _DIGEST :]
    if hashlib.sha256(payload).digest() != data[head : head + _DIGEST]:
        raise ValueError("damaged cache entry")
    fmt, key, parts, tree = marshal.loads(payload)
    if fmt != FORMAT or key != exact_key:
        raise ValueError("a cache entry for other texts")
    exprs = [expr_from_parts(*p) for p in parts]
    content = _Decoder(exprs).record(tree)
    if type(content) is not _content.Content:
        raise ValueError("a cache entry without content")
    return content


class _Decoder:
    def __init__(self, exprs: list[Expr]) -> None:
        self.exprs = exprs

    def record(self, item: list[Any]) -> Any:
        tag = item[0]
        if tag == _EXPR_TAG and type(tag) is int:
            index = item[1] if len(item) == 2 else None
            if type(index) is not int or not 0 <= index < len(self.exprs):
                raise ValueError("bad expression reference")
            return self.exprs[index]
        if type(tag) is not int or not 0 <= tag < len(_CLASSES):
            raise ValueError("bad record")
        cls = _CLASSES[tag]
        if len(item) != _ARITY[tag] + 1:
            raise ValueError(f"a {cls.__name__} with {len(item) - 1} fields")
        value = self.value
        return cls(*[v if type(v) in _SCALAR_TYPES else value(v) for v in item[1:]])

    def value(self, v: Any) -> Any:
        t = type(v)
        if t is list:
            return self.record(v)
        value = self.value
        if t is tuple:
            return tuple([x if type(x) in _SCALAR_TYPES else value(x) for x in v])
        if t is dict:
            return {k: x if type(x) in _SCALAR_TYPES else value(x) for k, x in v.items()}
        if t in _SCALAR_TYPES:
            return v
        raise ValueError(f"unexpected {t.__name__} in a cache entry")


# ---------------------------------------------------------------------------- writing


def encode(content: _content.Content, exact_key: str) -> bytes:
    """Content → an entry's bytes. TypeError if it holds something this format cannot keep."""
    enc = _Encoder()
    tree = enc.value(content)
    payload = marshal.dumps((FORMAT, exact_key, enc.parts, tree))
    return MAGIC + hashlib.sha256(payload).digest() + payload


class _Encoder:
    def __init__(self) -> None:
        self.parts: list[tuple[Any, ...]] = []
        self.index: dict[tuple[Any, ...], int] = {}

    def value(self, v: Any) -> Any:
        t = type(v)
        if t in _SCALARS:
            return v
        if t is tuple:
            return tuple([self.value(x) for x in v])
        if t is dict:
            if not all(type(k) is str for k in v):
                raise TypeError("only text keys are kept")
            return {k: self.value(x) for k, x in v.items()}
        if t is Expr:
            # Equal expressions (same source, names and constness; for a constant, the same
            # value) are kept once and shared, as the compiler shares them within a file.
            parts = expr_parts(v)
            key = parts[:3] if not v.is_constant else parts
            i = self.index.get(key)
            if i is None:
                i = self.index[key] = len(self.parts)
                self.parts.append(parts)
            return [_EXPR_TAG, i]
        tag = _TAGS.get(t)
        if tag is None:
            raise TypeError(f"cannot keep a {t.__name__}")
        return [tag, *[self.value(getattr(v, name)) for name in _FIELDS[t]]]


def store(exact_key: str, content: _content.Content) -> Path | None:
    """Keep compiled content for the next process; best effort (None if it was not kept)."""
    path = entry_path(exact_key)
    if path is None:
        return None
    try:
        data = encode(content, exact_key)
    except (TypeError, ValueError):
        return None
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        # No fsync: a torn entry fails its digest and is rebuilt, it is only a cache.
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        return None
    _prune(path.parent)
    return path


def _prune(folder: Path) -> None:
    """At most MAX_ENTRIES entries: the oldest written go first."""
    try:
        entries = [(p.stat().st_mtime, p) for p in folder.glob(f"*{SUFFIX}")]
    except OSError:
        return
    if len(entries) <= MAX_ENTRIES:
        return
    entries.sort()
    for _, p in entries[: len(entries) - MAX_ENTRIES]:
        with contextlib.suppress(OSError):
            p.unlink()
