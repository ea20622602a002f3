"""A small, safe expression language for scenario conditions and effect amounts.

Scenario files write things like::

    japan_rok.trust < 30 and not convened
    (100 - seoul.favorability.tokyo) * 0.08 * (0.3 if cover else 1)
    clamp(trade - 5, 0, 200)
    chance(0.25)

`compile_expr` parses the text with `ast`, checks every node against an allow-list, rewrites
variable reads into `V["dotted.name"]` and operators that could fail into calls of private
helpers, and compiles the result once into a plain Python function with no builtins. A shared
scenario therefore cannot run code, and (with the size, depth and exponent limits below) cannot
make evaluation hang or blow up memory.

The language:

* numbers (at most 1e12 in size; all become floats), `true`/`false` (also `True`/`False`);
* variables: identifiers or dotted chains of them (`seoul.favorability.tokyo`), checked
  against `known` at compile time; names starting with `_` are not allowed;
* `+ - * / // %`, unary `- + not`, `**` with a constant exponent between -8 and 8;
* comparisons `< <= > >= == !=`, chained as in Python (`0 < x < 10`);
* `and`, `or` (short-circuit, returning an operand as in Python) and `a if cond else b`;
* functions `min(a, b, ...)`, `max(a, b, ...)`, `clamp(x, lo, hi)`, `abs(x)`, `round(x)`,
  `round(x, ndigits)` (ndigits a constant 0..6) and `chance(p)`;
* history over earlier turns: `ever(c)`, `count(c)` and `turns_since(c)`, where `c` is a
  condition (no `chance`, no history inside). They are not computed here: the call becomes a
  read of the name `ever(c)` / `count(c)` / `turns_since(c)` (with `c` written canonically),
  which the engine keeps up to date from a tally of the turns `c` held at the end of
  (wargame.engine.resolve). `Expr.history` lists the conditions to tally.

Evaluation never raises on numbers: `/`, `//` and `%` by zero give 0.0; a power that is
undefined (`0 ** -1`, a negative base with a fractional exponent) gives 0.0; overflow gives
inf. `round` rounds halves to even, like Python. `clamp` with lo > hi gives hi. `chance(p)`
calls the engine's seeded `chance` callable with p as a float clamped to [0, 1] (NaN -> 0);
it is only called when evaluation reaches it, so `x and chance(0.5)` draws nothing if x is
false. A name missing from `values` at evaluation time raises KeyError: that is a bug in the
caller, which must supply every name in `Expr.names`.
"""

from __future__ import annotations

import ast
import math
import re
import warnings
from collections.abc import Callable, Mapping
from typing import Any, TypeAlias

import attrs

Value: TypeAlias = float | bool

# Size and depth are separate limits: a long flat sum is big, not deep.
MAX_SOURCE_CHARS = 2000  # characters, after formulas are put in
MAX_NODES = 300  # parts: names, numbers, operators and calls
MAX_DEPTH = 50  # levels of nesting; a chain `a + b - c`, `a and b`, `a < b < c` is one level
MAX_MAGNITUDE = 1e12
MAX_EXPONENT = 8
MAX_ROUND_DIGITS = 6

_FUNCTIONS = ("min", "max", "clamp", "abs", "round", "chance", "ever", "count", "turns_since")
HISTORY_FUNCTIONS = ("ever", "count", "turns_since")
WORDS = ("true", "false", *_FUNCTIONS)
"""Words an expression reads as themselves: a variable of that name could not be read."""
_FUNCTIONS_TEXT = ", ".join(_FUNCTIONS)

_EvalFn: TypeAlias = Callable[[Mapping[str, Value], Callable[[float], bool]], Value]


class ExprError(Exception):
    """A problem in an expression; `col` is the 0-based character offset of the problem."""

    message: str
    col: int

    def __init__(self, message: str, col: int = 0) -> None:
        # Both in args so the error survives pickling (e.g. across worker processes).
        super().__init__(message, col)
        self.message = message
        self.col = col

    def __str__(self) -> str:
        return self.message


@attrs.frozen(repr=False)
class Expr:
    """A compiled expression. Call it with the current values and the game's chance callable.

    Equality and hashing use the source, names and constness, not the compiled function.
    """

    source: str
    names: tuple[str, ...]
    is_constant: bool
    # The compiled function itself: hot loops call `expr.fn(values, chance)` to skip a frame.
    fn: _EvalFn = attrs.field(eq=False)
    # Conditions inside ever()/count()/turns_since(), canonical text, for the engine to tally.
    history: tuple[str, ...] = ()

    def __call__(self, values: Mapping[str, Value], chance: Callable[[float], bool]) -> Value:
        return self.fn(values, chance)

    def __repr__(self) -> str:
        return f"Expr({self.source!r})"

    # Immutable, so copies can share; pickling recompiles from the source.
    def __copy__(self) -> Expr:
        return self

    def __deepcopy__(self, memo: object) -> Expr:
        return self

    def __reduce__(self) -> tuple[Callable[[str, tuple[str, ...]], Expr], tuple[Any, ...]]:
        return _restore, (self.source, self.names)


def _restore(source: str, names: tuple[str, ...]) -> Expr:
    # Names were checked when it was first compiled (history conditions read names that are
    # not among `names`, so the check cannot be repeated from them alone).
    return compile_expr(source, lambda _name: True)


# --- runtime helpers: the only callables compiled expressions can reach -------------------


def _div(a: float, b: float) -> float:
    if not b:
        return 0.0
    try:
        return a / b
    except OverflowError:  # only from huge ints; floats overflow to inf by themselves
        return _signed_inf(a, b)


def _floordiv(a: float, b: float) -> float:
    if not b:
        return 0.0
    try:
        return a // b
    except OverflowError:
        return _signed_inf(a, b)


def _signed_inf(a: float, b: float) -> float:
    # Compares rather than converting: the operands may be ints too big for a float.
    return math.inf if (a > 0) == (b > 0) else -math.inf


def _mod(a: float, b: float) -> float:
    if not b:
        return 0.0
    try:
        return a % b
    except OverflowError:
        return math.nan


def _pow(base: float, exponent: float) -> float:
    # Always in floats, so nested powers cannot build enormous integers.
    try:
        b = float(base)
    except OverflowError:
        b = math.inf if base > 0 else -math.inf
    try:
        result: float | complex = b**exponent
    except ZeroDivisionError:
        return 0.0
    except OverflowError:
        odd = exponent == int(exponent) and int(exponent) % 2 == 1
        return -math.inf if b < 0 and odd else math.inf
    if isinstance(result, complex):  # negative base, fractional exponent
        return 0.0
    return result


def _clamp(x: float, lo: float, hi: float) -> float:
    if x < lo:
        x = lo
    return hi if x > hi else x


def _round(x: float, ndigits: int = 0) -> float:
    try:
        value = float(x)
    except OverflowError:
        return math.inf if x > 0 else -math.inf
    if not math.isfinite(value):
        return value
    return round(value, ndigits)


def _prob(p: float) -> float:
    try:
        q = float(p)
    except OverflowError:
        return 1.0 if p > 0 else 0.0
    if q > 1.0:
        return 1.0
    return q if q >= 0.0 else 0.0  # also maps NaN to 0


_FUNCTION_TARGETS = {
    "min": "_min",
    "max": "_max",
    "clamp": "_clamp",
    "abs": "_abs",
    "round": "_round",
}

_GLOBALS: dict[str, object] = {
    "__builtins__": {},
    "_min": min,
    "_max": max,
    "_abs": abs,
    "_clamp": _clamp,
    "_round": _round,
    "_prob": _prob,
    "_div": _div,
    "_floordiv": _floordiv,
    "_mod": _mod,
    "_pow": _pow,
}

_VALUES_ARG = "V"
_CHANCE_ARG = "_chance"

_BINOPS: dict[type[ast.operator], str | None] = {
    ast.Add: None,
    ast.Sub: None,
    ast.Mult: None,
    ast.Div: "_div",
    ast.FloorDiv: "_floordiv",
    ast.Mod: "_mod",
}
_BITWISE: dict[type[ast.AST], str] = {
    ast.BitAnd: "&",
    ast.BitOr: "|",
    ast.BitXor: "^",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.Invert: "~",
}
_COMPARISONS = (ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Eq, ast.NotEq)

_REJECTED: dict[type[ast.AST], str] = {
    ast.Lambda: "lambda is not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "comprehensions are not allowed",
    ast.List: "lists are not allowed",
    ast.Tuple: "tuples are not allowed",
    ast.Set: "sets are not allowed",
    ast.Dict: "dicts are not allowed",
    ast.Subscript: "subscripts are not allowed",
    ast.Slice: "subscripts are not allowed",
    ast.NamedExpr: "assignment (:=) is not allowed",
    ast.Starred: "'*' unpacking is not allowed",
    ast.Await: "await is not allowed",
    ast.Yield: "yield is not allowed",
    ast.YieldFrom: "yield is not allowed",
    ast.JoinedStr: "strings are not allowed",
    ast.FormattedValue: "strings are not allowed",
}


def compile_expr(source: str | int | float | bool, known: Callable[[str], bool]) -> Expr:
    """Compile an expression (text, or a YAML number/bool) into a callable `Expr`.

    Raises ExprError for anything outside the language, any name `known` rejects, or input
    that is too long or too complex.
    """
    if isinstance(source, bool):
        return _constant_expr("true" if source else "false", source)
    if isinstance(source, int | float):
        value = _check_number(source, 0)
        return _constant_expr(repr(source), value)
    if not isinstance(source, str):
        raise ExprError(f"expected an expression, not {type(source).__name__}")
    return _Compiler(source, known).compile()


def _constant_expr(source: str, value: Value) -> Expr:
    return Expr(source=source, names=(), is_constant=True, fn=lambda _values, _chance: value)


def _check_number(value: int | float, col: int) -> float:
    try:
        number = float(value)
    except OverflowError:
        raise ExprError("numbers must be at most 1e12 in size", col) from None
    if not math.isfinite(number):
        raise ExprError("numbers must be finite", col)
    if abs(number) > MAX_MAGNITUDE:
        raise ExprError("numbers must be at most 1e12 in size", col)
    return number


def _never_chance(p: float) -> bool:
    raise AssertionError("constant expressions do not call chance()")


class _Compiler:
    def __init__(self, source: str, known: Callable[[str], bool]) -> None:
        self.source = source
        self.known = known
        self.names: dict[str, None] = {}
        self.history: dict[str, None] = {}
        self.uses_chance = False
        self.in_history = ""

    def compile(self) -> Expr:
        source = self.source
        if len(source) > MAX_SOURCE_CHARS:
            raise ExprError(
                f"expression is too long ({len(source)} characters; the limit is "
                f"{MAX_SOURCE_CHARS})",
                MAX_SOURCE_CHARS,
            )
        # ASCII only: keeps columns exact and stops look-alike identifiers.
        bad = _BAD_CHAR.search(source)
        if bad is not None:
            ch = bad.group()
            raise ExprError(f"character {ch!r} (U+{ord(ch):04X}) is not allowed", bad.start())
        # Line breaks become spaces so YAML block scalars work; one line keeps columns simple.
        text = source.translate(_WHITESPACE)
        stripped = text.lstrip(" ")
        if not stripped.strip():
            raise ExprError("empty expression", 0)
        lead = len(text) - len(stripped)
        tree = self._parse(stripped, lead)
        self._check_size(tree, lead)
        body = self._visit(tree.body, lead)
        names = tuple(self.names)
        is_constant = not names and not self.uses_chance
        fn = self._build(body)
        if is_constant:
            return _constant_expr(source, fn({}, _never_chance))
        return Expr(
            source=source, names=names, is_constant=False, fn=fn, history=tuple(self.history)
        )

    def _parse(self, text: str, lead: int) -> ast.Expression:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # e.g. invalid escapes must not become errors
                # With a trailing newline the parser gives a real column for errors at the end.
                return ast.parse(text + "\n", mode="eval")
        except SyntaxError as err:
            col = lead + min(max((err.offset or 1) - 1, 0), len(text))
            msg = err.msg or "invalid syntax"
            hint = _syntax_hint(text, msg, col - lead)
            if hint is not None:
                raise ExprError(hint[0], lead + hint[1]) from None
            if msg == "invalid syntax" and col >= lead + len(text.rstrip()):
                msg = "the expression ends too early"
            elif msg == "too many nested parentheses":
                raise ExprError("expression is nested too deeply", col) from None
            raise ExprError(f"syntax error: {msg}", col) from None
        except (RecursionError, MemoryError):
            raise ExprError("expression is nested too deeply", lead) from None
        except ValueError as err:
            raise ExprError(f"syntax error: {err}", lead) from None

    def _check_size(self, tree: ast.Expression, lead: int) -> None:
        count = 0
        too_deep: ast.AST | None = None
        # Iterative walk: the tree may be deeper than Python's recursion limit allows. Size is
        # bounded by the source length, so finishing the walk is cheap and lets "too complex"
        # win over "too deep" for long flat chains.
        # The children are found as ast.iter_child_nodes finds them (same order), inlined:
        # this walk runs for every expression of every scenario loaded.
        stack: list[tuple[ast.AST, int]] = [(tree.body, 1)]
        push = stack.append
        while stack:
            node, depth = stack.pop()
            if isinstance(node, _UNCOUNTED):
                continue
            count += 1
            if count > MAX_NODES:
                raise ExprError(
                    f"expression too complex (more than {MAX_NODES} parts: names, numbers, "
                    "operators, calls)",
                    _col(node, lead),
                )
            if depth > MAX_DEPTH and too_deep is None:
                too_deep = node
            chain = type(node) is ast.BinOp  # its left operand continues the chain: same level
            depth += 1
            for field in node._fields:
                child = getattr(node, field, None)
                if isinstance(child, ast.AST):
                    push((child, depth - 1 if chain and field == "left" else depth))
                elif isinstance(child, list):
                    for item in child:
                        if isinstance(item, ast.AST):
                            push((item, depth))
        if too_deep is not None:
            raise ExprError(
                f"expression is nested too deeply (more than {MAX_DEPTH} levels)",
                _col(too_deep, lead),
            )

    def _build(self, body: ast.expr) -> _EvalFn:
        # Every node made by the rewrite carries its location (see _located), so the tree
        # compiles without an ast.fix_missing_locations pass (a quarter of compile time).
        loc = _location(body)
        args = ast.arguments(
            posonlyargs=[],
            args=[ast.arg(arg=_VALUES_ARG, **loc), ast.arg(arg=_CHANCE_ARG, **loc)],
            vararg=None,
            kwonlyargs=[],
            kw_defaults=[],
            kwarg=None,
            defaults=[],
        )
        tree = ast.Expression(body=ast.Lambda(args=args, body=body, **loc))
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                code = compile(tree, "<expr>", "eval")
        except (SyntaxError, ValueError, RecursionError, MemoryError) as err:
            raise ExprError(f"expression could not be compiled: {err}") from None
        # Safe: the tree holds only allow-listed nodes and the globals have no builtins.
        fn: _EvalFn = eval(code, dict(_GLOBALS))
        return fn

    # --- validation and rewriting ---------------------------------------------------------

    def _visit(self, node: ast.AST, lead: int) -> ast.expr:
        col = _col(node, lead)
        if isinstance(node, ast.Constant):
            return _located(ast.Constant(value=self._constant(node.value, col)), node)
        if isinstance(node, ast.Name | ast.Attribute):
            return self._name(node, lead)
        if isinstance(node, ast.BinOp):
            return self._binop(node, lead)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.Invert):  # always at the start of the node
                raise ExprError("bitwise operators are not allowed ('~')", col)
            return _located(ast.UnaryOp(op=node.op, operand=self._visit(node.operand, lead)), node)
        if isinstance(node, ast.BoolOp):
            values = [self._visit(v, lead) for v in node.values]
            return _located(ast.BoolOp(op=node.op, values=values), node)
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            for i, op in enumerate(node.ops):
                if isinstance(op, _COMPARISONS):
                    continue
                op_col = self._between(operands[i], operands[i + 1], lead)
                if isinstance(op, ast.Is | ast.IsNot):
                    raise ExprError("'is' is not allowed; use == or !=", op_col)
                if isinstance(op, ast.In | ast.NotIn):
                    raise ExprError("'in' is not allowed", op_col)
                raise ExprError(f"comparison {type(op).__name__} is not allowed", op_col)
            left = self._visit(node.left, lead)
            comparators = [self._visit(c, lead) for c in node.comparators]
            return _located(ast.Compare(left=left, ops=node.ops, comparators=comparators), node)
        if isinstance(node, ast.IfExp):
            test = self._visit(node.test, lead)
            body = self._visit(node.body, lead)
            orelse = self._visit(node.orelse, lead)
            return _located(ast.IfExp(test=test, body=body, orelse=orelse), node)
        if isinstance(node, ast.Call):
            return self._call(node, lead)
        message = _REJECTED.get(type(node))
        if message is None:
            message = f"{type(node).__name__} is not allowed"
        raise ExprError(message, col)

    def _between(self, left: ast.expr, right: ast.expr, lead: int) -> int:
        """Column of the operator between two operands: first non-space, non-')' after left."""
        start = left.end_col_offset
        stop = right.col_offset
        if start is None:
            return _col(left, lead)
        text = self.source[lead:].translate(_WHITESPACE)
        for i in range(start, min(stop, len(text))):
            if text[i] not in " )":
                return lead + i
        return lead + start

    def _constant(self, value: object, col: int) -> Value:
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float):
            return _check_number(value, col)
        if isinstance(value, str):
            raise ExprError("strings are not allowed", col)
        if isinstance(value, bytes):
            raise ExprError("bytes are not allowed", col)
        if isinstance(value, complex):
            raise ExprError("complex numbers are not allowed", col)
        if value is None:
            raise ExprError("None is not allowed", col)
        raise ExprError(f"{value!r} is not allowed", col)

    def _name(self, node: ast.Name | ast.Attribute, lead: int) -> ast.expr:
        parts: list[tuple[str, int]] = []  # (identifier, column)
        current: ast.expr = node
        while isinstance(current, ast.Attribute):
            end = current.end_col_offset
            part_col = lead + end - len(current.attr) if end is not None else _col(current, lead)
            parts.append((current.attr, part_col))
            current = current.value
        if not isinstance(current, ast.Name):
            raise ExprError("attribute access is not allowed", _col(node, lead))
        col = _col(current, lead)
        parts.append((current.id, col))
        parts.reverse()
        if len(parts) == 1 and parts[0][0] in ("true", "false"):
            return _located(ast.Constant(value=parts[0][0] == "true"), node)
        for part, part_col in parts:
            if part.startswith("_"):
                raise ExprError(f"names starting with '_' are not allowed ({part!r})", part_col)
        name = ".".join(part for part, _ in parts)
        if not self.known(name):
            raise ExprError(f"unknown name {name!r}", col)
        self.names.setdefault(name)
        loc = _location(node)
        return ast.Subscript(
            value=ast.Name(id=_VALUES_ARG, ctx=_LOAD, **loc),
            slice=ast.Constant(value=name, **loc),
            ctx=_LOAD,
            **loc,
        )

    def _binop(self, node: ast.BinOp, lead: int) -> ast.expr:
        col = _col(node, lead)
        op = node.op
        if isinstance(op, ast.Pow):
            exponent = _constant_exponent(node.right)
            if exponent is None or abs(exponent) > MAX_EXPONENT:
                raise ExprError(
                    f"powers need a constant exponent between -{MAX_EXPONENT} and {MAX_EXPONENT}",
                    _col(node.right, lead),
                )
            base = self._visit(node.left, lead)
            return _helper_call("_pow", [base, _located(ast.Constant(value=exponent), node)], node)
        symbol = _BITWISE.get(type(op))
        if symbol is not None:
            col = self._between(node.left, node.right, lead)
            raise ExprError(f"bitwise operators are not allowed ({symbol!r})", col)
        if type(op) not in _BINOPS:
            col = self._between(node.left, node.right, lead)
            name = "'@'" if isinstance(op, ast.MatMult) else type(op).__name__
            raise ExprError(f"operator {name} is not allowed", col)
        left = self._visit(node.left, lead)
        right = self._visit(node.right, lead)
        helper = _BINOPS[type(op)]
        if helper is None:
            return _located(ast.BinOp(left=left, op=op, right=right), node)
        return _helper_call(helper, [left, right], node)

    def _call(self, node: ast.Call, lead: int) -> ast.expr:
        col = _col(node, lead)
        func = node.func
        if not isinstance(func, ast.Name) or func.id not in _FUNCTIONS:
            found = f" (found {func.id}())" if isinstance(func, ast.Name) else ""
            raise ExprError(
                f"function calls other than {_FUNCTIONS_TEXT} are not allowed{found}", col
            )
        name = func.id
        if node.keywords:
            raise ExprError(f"keyword arguments are not allowed (in {name}())", col)
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise ExprError("'*' unpacking is not allowed", _col(arg, lead))
        count = len(node.args)
        if name in ("min", "max") and count < 2:
            raise ExprError(f"{name}() needs at least 2 arguments", col)
        if name == "clamp" and count != 3:
            raise ExprError("clamp() needs 3 arguments: clamp(x, lo, hi)", col)
        if name in ("abs", "chance", *HISTORY_FUNCTIONS) and count != 1:
            raise ExprError(f"{name}() needs 1 argument", col)
        if name in HISTORY_FUNCTIONS:
            return self._history(name, node, lead)
        if name == "chance" and self.in_history:
            raise ExprError(f"chance() is not allowed inside {self.in_history}()", col)
        if name == "round":
            if count not in (1, 2):
                raise ExprError("round() needs 1 or 2 arguments: round(x) or round(x, digits)", col)
            if count == 2:
                digits = node.args[1]
                if not (
                    isinstance(digits, ast.Constant)
                    and type(digits.value) is int
                    and 0 <= digits.value <= MAX_ROUND_DIGITS
                ):
                    raise ExprError(
                        f"round() digits must be a whole number from 0 to {MAX_ROUND_DIGITS}",
                        _col(digits, lead),
                    )
                x = self._visit(node.args[0], lead)
                return _helper_call(
                    "_round", [x, _located(ast.Constant(value=digits.value), node)], node
                )
        args = [self._visit(arg, lead) for arg in node.args]
        if name == "chance":
            self.uses_chance = True
            return _helper_call(_CHANCE_ARG, [_helper_call("_prob", args, node)], node)
        return _helper_call(_FUNCTION_TARGETS[name], args, node)

    def _history(self, name: str, node: ast.Call, lead: int) -> ast.expr:
        """`count(c)` → a read of the name `count(c)`; c is checked, not evaluated here."""
        if self.in_history:
            raise ExprError(
                f"{name}() is not allowed inside {self.in_history}()", _col(node, lead)
            )
        inner = _Compiler(self.source, self.known)
        inner.in_history = name
        arg = node.args[0]
        inner._visit(arg, lead)
        condition = ast.unparse(arg)
        self.history.setdefault(condition)
        read = f"{name}({condition})"
        self.names.setdefault(read)
        loc = _location(node)
        return ast.Subscript(
            value=ast.Name(id=_VALUES_ARG, ctx=_LOAD, **loc),
            slice=ast.Constant(value=read, **loc),
            ctx=_LOAD,
            **loc,
        )


def history_names(condition: str) -> tuple[str, str, str]:
    """The names `ever(c)`, `count(c)` and `turns_since(c)` for a canonical condition."""
    return (f"ever({condition})", f"count({condition})", f"turns_since({condition})")


_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%(?!\s*[\w(.])")
_ASSIGN = re.compile(r"(?<![=!<>])=(?!=)")


def _syntax_hint(text: str, msg: str, col: int) -> tuple[str, int] | None:
    """The likely mistake behind a syntax error, said plainly, with its column."""
    m = _PERCENT.search(text)
    if m is not None:
        n = float(m.group(1))
        return (
            f"'{m.group(0).strip()}' is not a number here: write a chance as "
            f"{n / 100:g} and a percentage value as {n:g}",
            m.start(),
        )
    m = _ASSIGN.search(text)
    if m is not None:
        return (
            "'=' does not compare: use '==' (values change only in effects, with set: or add:)",
            m.start(),
        )
    if msg == "'(' was never closed":
        return (
            f"syntax error: {msg}. Inside a YAML {{...}} mapping a ',' ends the value, so "
            "'{a: min(x, 5)}' is cut at the comma: put the expression in quotes",
            col,
        )
    return None


_WHITESPACE_CHARS = "\n\r\t\f\v"
_WHITESPACE = str.maketrans(dict.fromkeys(_WHITESPACE_CHARS, " "))
# Anything but printable ASCII and the whitespace above (so also DEL and every non-ASCII).
_BAD_CHAR = re.compile(r"[^\x20-\x7e\n\r\t\f\v]")
_LOAD = ast.Load()
_UNCOUNTED = (ast.expr_context, ast.operator, ast.unaryop, ast.cmpop)


def _col(node: ast.AST, lead: int) -> int:
    offset: Any = getattr(node, "col_offset", 0)
    return lead + offset if isinstance(offset, int) else lead


def _location(node: ast.AST) -> dict[str, Any]:
    """The position attributes of a parsed node, to give to a node that replaces it."""
    return {
        "lineno": getattr(node, "lineno", 1),
        "col_offset": getattr(node, "col_offset", 0),
        "end_lineno": getattr(node, "end_lineno", None),
        "end_col_offset": getattr(node, "end_col_offset", None),
    }


def _located(new: ast.expr, old: ast.AST) -> ast.expr:
    for attr, value in _location(old).items():
        setattr(new, attr, value)
    return new


def _helper_call(helper: str, args: list[ast.expr], old: ast.AST) -> ast.expr:
    loc = _location(old)
    return ast.Call(func=ast.Name(id=helper, ctx=_LOAD, **loc), args=args, keywords=[], **loc)


def _constant_exponent(node: ast.expr) -> float | None:
    sign = 1.0
    while isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        if isinstance(node.op, ast.USub):
            sign = -sign
        node = node.operand
    if not isinstance(node, ast.Constant):
        return None
    value = node.value
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return sign * number if math.isfinite(number) else None
