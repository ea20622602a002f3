"""How a file format is declared: attrs classes whose annotations say the shape.

    @declared("action", "An action a role can order")
    @attrs.frozen(kw_only=True)
    class ActionSpec:
        cost: Annotated[int, Range(0, 20)] = field("Political capital it costs")
        phase: Annotated[str, Choice(PHASES, "phase")] = field("When it resolves")
        when: Expression | None = field("Apply only when this holds", key="if", default=None)

A field without a default is required. `key=` names the field in the file when its Python
name cannot (`if`). `Annotated` adds checks: `Pattern`, `Choice`, `Range`, `MinItems`, `Doc`.
`X | list[X]` is one item or a list of them; `float | SomeSpec` takes either shape. The
reader (`wargame.formats.reader`) structures YAML or JSON into these classes with every
problem at its FILE:LINE:COL; `wargame.formats.jsonschema` writes their JSON Schema.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import attrs


@attrs.frozen
class Pattern:
    """Text that must match `regex` whole; `text` says in words what that means."""

    regex: str
    text: str = ""


@attrs.frozen
class Choice:
    """Text that must be one of `values`; `name` names them in messages ("unknown phase")."""

    values: tuple[str, ...]
    name: str = ""


@attrs.frozen
class Range:
    min: float | None = None
    max: float | None = None


@attrs.frozen
class MinItems:
    count: int


@attrs.frozen
class Doc:
    """A description of a type wherever it is used (JSON Schema `description`)."""

    text: str


NULLABLE = object()
"""Marks a value that may be written empty (null): it reads as None."""


@attrs.frozen(eq=False)  # compared and hashed by identity: types that carry it are cached
class JsonSchemaOf:
    """The JSON Schema of a type that the declaration does not spell out (a game state)."""

    schema: dict[str, Any]


EXPR = object()
"""Marks `Expression`: text, a number or true/false, compiled later by the caller."""
Expression = Annotated[str | float | bool, EXPR]

T = TypeVar("T")


def field(doc: str = "", *, key: str | None = None, default: Any = attrs.NOTHING,
          factory: Callable[[], Any] | None = None) -> Any:
    """An attrs field with its description and, when it differs, its key in the file."""
    metadata = {"doc": doc} if key is None else {"doc": doc, "key": key}
    return attrs.field(default=default, factory=factory, metadata=metadata)


def declared(name: str, doc: str = "") -> Callable[[type[T]], type[T]]:
    """Name a declared class in messages ("unknown key 'coast' in action") and schemas."""

    def mark(cls: type[T]) -> type[T]:
        cls.__format_name__ = name  # type: ignore[attr-defined]
        cls.__format_doc__ = doc  # type: ignore[attr-defined]
        return cls

    return mark

