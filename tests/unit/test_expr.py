"""The scenario expression language: results, errors, and hostile input."""

from __future__ import annotations

import copy
import math
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wargame.engine.expr import (
    Expr,
    ExprError,
    Value,
    compile_expr,
)

KNOWN = frozenset(
    {
        "x",
        "y",
        "a.b",
        "convened",
        "cover",
        "turn",
        "trade",
        "japan_rok.trust",
        "seoul.favorability.tokyo",
        "nk_threat2",
    }
)

VALUES: dict[str, Value] = {
    "x": 4.0,
    "y": 0.0,
    "a.b": 2.5,
    "convened": False,
    "cover": True,
    "turn": 3,
    "trade": 12.0,
    "japan_rok.trust": 25.0,
    "seoul.favorability.tokyo": 60.0,
    "nk_threat2": 7.0,
}


def known(name: str) -> bool:
    return name in KNOWN


def no_chance(p: float) -> bool:
    raise AssertionError(f"chance({p}) should not have been called")


def ev(source: str | float | bool, values: dict[str, Value] | None = None) -> Value:
    return compile_expr(source, known)(VALUES if values is None else values, no_chance)


class Recorder:
    def __init__(self, *results: bool) -> None:
        self.calls: list[float] = []
        self.results = list(results)

    def __call__(self, p: float) -> bool:
        self.calls.append(p)
        return self.results.pop(0)


# --- results ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("2 ** 3", 8),
        ("-2 ** 2", -4),
        ("2 ** -1", 0.5),
        ("10 - 4 - 3", 3),
        ("7 / 2", 3.5),
        ("7 // 2", 3),
        ("-7 // 2", -4),
        ("7 % 3", 1),
        ("-7 % 3", 2),
        ("+x", 4),
        ("-x + 1", -3),
        ("x * 2 + a.b", 10.5),
        ("(100 - seoul.favorability.tokyo) * 0.08 * (0.3 if cover else 1)", 0.96),
        ("trade - 5", 7),
        ("nk_threat2 + turn", 10),
    ],
)
def test_arithmetic_and_precedence(source: str, expected: float) -> None:
    assert ev(source) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("japan_rok.trust < 30 and not convened", True),
        ("japan_rok.trust < 20 or convened", False),
        ("0 < x < 10", True),
        ("0 < x < 3", False),
        ("1 <= 1 <= 1 != 2", True),
        ("x >= 4 > y == 0", True),
        ("x == 4.0", True),
        ("cover == 1", True),  # bools mix with numbers as in Python
        ("not cover", False),
        ("true", True),
        ("false", False),
        ("True and not False", True),
        ("1 if convened else 2", 2),
        ("1 if cover else 2", 1),
        ("x if x > 10 else y if y < 1 else 5", 0),
    ],
)
def test_conditions(source: str, expected: Value) -> None:
    assert ev(source) == expected


def test_comparisons_give_bools() -> None:
    assert ev("x < 3") is False
    assert ev("0 < x < 10") is True
    assert ev("not x") is False


def test_and_or_return_operands_like_python() -> None:
    assert ev("y or x") == 4.0
    assert ev("x and a.b") == 2.5
    assert ev("y and x") == 0.0


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("min(x, y)", 0),
        ("min(3, x, a.b, 9)", 2.5),
        ("max(x, y)", 4),
        ("max(1, 2, 3, 2)", 3),
        ("clamp(trade - 5, 0, 200)", 7),
        ("clamp(x, 5, 10)", 5),
        ("clamp(x, 0, 3)", 3),
        ("clamp(x, 10, 0)", 0),  # lo > hi gives hi
        ("abs(-x)", 4),
        ("abs(x - 10)", 6),
        ("round(2.6)", 3),
        ("round(2.5)", 2),  # halves to even, as in Python
        ("round(x / 3, 2)", 1.33),
        ("round(a.b, 0)", 2),
        ("round(1e12 ** 8 * 1e12 ** 8 * 1e12 ** 8 * 1e12 ** 8)", math.inf),
    ],
)
def test_functions(source: str, expected: float) -> None:
    assert ev(source) == pytest.approx(expected)


def test_chance_passes_clamped_probability_and_returns_the_draw() -> None:
    rec = Recorder(True, False, True, False, True)
    for source in ("chance(0.25)", "chance(x / 8)", "chance(-3)", "chance(x)", "chance(true)"):
        expr = compile_expr(source, known)
        assert not expr.is_constant
        expr(VALUES, rec)
    assert rec.calls == [0.25, 0.5, 0.0, 1.0, 1.0]
    assert all(type(p) is float for p in rec.calls)


def test_chance_result_is_used_and_short_circuits() -> None:
    expr = compile_expr("x > 1 and chance(0.5)", known)
    rec = Recorder(False)
    assert expr(VALUES, rec) is False
    assert rec.calls == [0.5]
    skipped = compile_expr("convened and chance(0.5)", known)
    assert skipped(VALUES, no_chance) is False  # never draws when the condition fails
    nan_p = compile_expr("chance(x)", known)
    rec = Recorder(True)
    nan_p({"x": math.nan}, rec)
    assert rec.calls == [0.0]


@pytest.mark.parametrize(
    "source",
    ["x / 0", "x // 0", "x % 0", "x / y", "x // y", "x % y", "x / convened", "1 / (x - 4)"],
)
def test_division_by_zero_gives_zero(source: str) -> None:
    assert ev(source) == 0.0


def test_undefined_powers_give_zero_and_overflow_gives_inf() -> None:
    assert ev("y ** -1") == 0.0
    assert ev("(0 - x) ** 0.5") == 0.0
    assert ev("1e12 ** 8") == pytest.approx(1e96)
    assert ev("(1e12 ** 8) ** 8") == math.inf
    assert ev("(0 - 1e12) ** 7 * 1e12 ** 8 * 1e12 ** 8 * 1e12 ** 8") == -math.inf
    assert ev("((1e12 ** 8) ** 8) ** 8") == math.inf
    assert ev("((0 - 1e12) ** 8) ** 7") == math.inf
    assert ev("((0 - 1e12) ** 7) ** 7") == -math.inf
    big: dict[str, Value] = {**VALUES, "x": 1e308}
    assert ev("x * x - x * x", big) != ev("x * x - x * x", big)  # nan, no exception


def test_huge_int_values_do_not_raise() -> None:
    huge: dict[str, Value] = {**VALUES, "x": 10**400, "turn": -(10**400)}
    assert ev("x / 3", huge) == math.inf
    assert ev("turn / 3", huge) == -math.inf
    assert ev("x // 2.5", huge) == math.inf
    assert math.isnan(ev("x % 2.5", huge))
    assert ev("x ** 2", huge) == math.inf
    assert ev("turn ** 3", huge) == -math.inf
    assert ev("x ** -1", huge) == 0.0
    assert ev("round(x)", huge) == math.inf
    rec = Recorder(True)
    compile_expr("chance(x)", known)(huge, rec)
    assert rec.calls == [1.0]


# --- names, constants and the Expr object --------------------------------------------------


def test_names_in_first_appearance_order_without_duplicates_or_functions() -> None:
    expr = compile_expr("max(x, a.b) + x * seoul.favorability.tokyo + min(a.b, y)", known)
    assert expr.names == ("x", "a.b", "seoul.favorability.tokyo", "y")
    assert not expr.is_constant


def test_only_listed_names_are_read() -> None:
    expr = compile_expr("japan_rok.trust < 30 and not convened", known)
    assert expr({"japan_rok.trust": 10, "convened": False}, no_chance) is True


def test_constants() -> None:
    cases: list[tuple[str | float | bool, Value]] = [
        (2, 2.0),
        (2.5, 2.5),
        (True, True),
        (False, False),
        ("3 * 4", 12),
    ]
    for source, expected in cases:
        expr = compile_expr(source, known)
        assert expr.is_constant
        assert expr.names == ()
        assert expr({}, no_chance) == expected
    assert compile_expr(True, known)({}, no_chance) is True
    assert compile_expr(True, known).source == "true"
    assert compile_expr(2, known).source == "2"
    assert compile_expr("1 < 2", known)({}, no_chance) is True


@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan, 1e13, 10**400])
def test_bad_yaml_numbers(bad: float) -> None:
    with pytest.raises(ExprError):
        compile_expr(bad, known)


def test_non_expression_source_is_an_expr_error() -> None:
    with pytest.raises(ExprError, match="expected an expression"):
        compile_expr(None, known)  # type: ignore[arg-type]


def test_expr_is_frozen_hashable_and_shows_its_source() -> None:
    a = compile_expr("x + 1", known)
    b = compile_expr("x + 1", known)
    assert a == b
    assert hash(a) == hash(b)
    assert a != compile_expr("x + 2", known)
    assert repr(a) == "Expr('x + 1')"
    with pytest.raises(AttributeError):
        a.source = "y"  # type: ignore[misc]
    assert copy.deepcopy(a) is a
    restored = pickle.loads(pickle.dumps(a))
    assert isinstance(restored, Expr)
    assert restored == a
    assert restored(VALUES, no_chance) == 5.0


def test_multiline_and_padded_sources() -> None:
    assert ev("  x +\n  1  ") == 5.0
    assert ev("x\t*\t2\n") == 8.0


# --- errors --------------------------------------------------------------------------------


def test_unknown_name_message_and_column() -> None:
    with pytest.raises(ExprError) as info:
        compile_expr("x < 3 and japan_rok.trst < 30", known)
    assert str(info.value) == "unknown name 'japan_rok.trst'"
    assert info.value.message == "unknown name 'japan_rok.trst'"
    assert info.value.col == 10


def test_column_accounts_for_leading_space() -> None:
    with pytest.raises(ExprError) as info:
        compile_expr("   1 + nope", known)
    assert info.value.col == 7


def test_syntax_error_column() -> None:
    with pytest.raises(ExprError) as info:
        compile_expr("x < < 3", known)
    assert info.value.message.startswith("syntax error")
    assert info.value.col == 4
    with pytest.raises(ExprError) as info:
        compile_expr("x +", known)
    assert info.value.col == 3


def test_expr_error_pickles_with_column() -> None:
    err = pickle.loads(pickle.dumps(ExprError("bad", 7)))
    assert (str(err), err.message, err.col) == ("bad", "bad", 7)


@pytest.mark.parametrize(
    ("source", "fragment"),
    [
        ("open('f')", "function calls other than min, max, clamp, abs, round, chance"),
        ("(1).real", "attribute access is not allowed"),
        ("lambda: 1", "lambda is not allowed"),
        ("[x for x in y]", "comprehensions are not allowed"),
        ("x[0]", "subscripts are not allowed"),
        ('"abc"', "strings are not allowed"),
        ("2 ** x", "powers need a constant exponent between -8 and 8"),
        ("2 ** 9", "powers need a constant exponent between -8 and 8"),
        ("1 & 2", "bitwise"),
        ("x is y", "'is' is not allowed"),
        ("x in y", "'in' is not allowed"),
        ("min(1)", "at least 2 arguments"),
        ("clamp(1, 2)", "clamp() needs 3 arguments"),
        ("round(x, 9)", "round() digits"),
        ("min(a=1, b=2)", "keyword arguments"),
        ("_x", "names starting with '_'"),
        ("a.b.__class__", "names starting with '_'"),
        ("1e13", "at most 1e12"),
        ("1e999", "finite"),
        ("x − 1", "U+2212"),
        ("", "empty expression"),
    ],
)
def test_error_messages(source: str, fragment: str) -> None:
    with pytest.raises(ExprError) as info:
        compile_expr(source, known)
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    ("source", "col", "shown"),
    [
        ("x + \x7f", 4, "U+007F"),
        ("x\x00", 1, "U+0000"),
        ("x +\x1b1", 3, "U+001B"),
        ("1 +\x85 2", 3, "U+0085"),
        ("é", 0, "U+00E9"),
        ("x\n+\t1\r\f\v+ y\x08", 11, "U+0008"),
    ],
)
def test_characters_outside_printable_ascii_are_named_at_their_column(
    source: str, col: int, shown: str
) -> None:
    with pytest.raises(ExprError) as info:
        compile_expr(source, known)
    assert shown in info.value.message and info.value.col == col


# --- rebuilding from parts (the storage layer's cache of compiled content) ------------------

HOSTILE = [
    "__import__('os')",
    "().__class__",
    "().__class__.__bases__[0].__subclasses__()",
    "9**9**9",
    "2**x",
    "lambda: 1",
    "[x for x in y]",
    "{}",
    '"abc"',
    'f"{x}"',
    "x[0]",
    "open('f')",
    "(x := 1)",
    "a.b.__class__",
    "x.__dict__",
    "exec('1')",
    "(" * 5000 + "1" + ")" * 5000,
    "(" * 900 + "1" + ")" * 900,
    "-" * 1999 + "1",
    "not " * 499 + "x",
    "a." * 999 + "b",
    "x**" * 600 + "1",
    "abs(" * 60 + "x" + ")" * 60,
    " + ".join(["x"] * 200),
    "x + " * 750,
    "1" * 2001,
    "1" * 1999,
    "1e999",
    "-1e999",
    "1j",
    "None",
    "...",
    "b'x'",
    "not",
    "",
    "   ",
    "x if",
    "1 & 2",
    "~x",
    "x << 1",
    "x @ y",
    "x in y",
    "x not in y",
    "x is not y",
    "min(1)",
    "max()",
    "abs(1, 2)",
    "chance()",
    "round(x, 9)",
    "round(x, y)",
    "round(x, 1.5)",
    "round(x, True)",
    "round(1, 2, 3)",
    "max(*x)",
    "min(a=1, b=2)",
    "min(x, y)(1)",
    "x.min(1, 2)",
    "(x, y)",
    "{1}",
    "{'a': 1}",
    "x[1:2]",
    "[i for i in (1,)]",
    "(i for i in x)",
    "await x",
    "(yield)",
    "x = 1",
    "import os",
    "x; y",
    "1\x002",
    "'\\d'",
    "x \\\n + 1",
    "é",
    "true.x",
    "print",
    "x.y",
    "y.__class__.__mro__",
    "globals()",
    "getattr(x, 'y')",
    "__builtins__",
    "_chance(1)",
    "V['x']",
]


@pytest.mark.parametrize("source", HOSTILE, ids=lambda s: repr(s[:40]))
def test_hostile_input_raises_only_expr_error(source: str) -> None:
    with pytest.raises(ExprError) as info:
        compile_expr(source, known)
    err = info.value
    assert type(err) is ExprError
    assert err.message
    assert 0 <= err.col <= len(source)


def test_long_expression_is_rejected_before_parsing() -> None:
    with pytest.raises(ExprError, match="too long"):
        compile_expr("x + " * 750 + "x", known)


def test_complex_expression_is_rejected() -> None:
    with pytest.raises(ExprError, match="too complex"):
        compile_expr(" + ".join(["x"] * 200), known)
    with pytest.raises(ExprError, match="too complex"):
        compile_expr("min(" + ", ".join(["x"] * 310) + ")", known)
    assert ev("min(" + ", ".join(["x"] * 250) + ")") == 4.0


def test_size_and_depth_are_separate_limits() -> None:
    # A flat sum is one level deep however long: 150 terms (299 parts) compile, 151 are too big.
    assert ev(" + ".join(["x"] * 51)) == 51 * 4.0
    assert ev(" - ".join(["x"] * 150)) == 4.0 - 149 * 4.0
    with pytest.raises(ExprError, match=r"too complex \(more than 300 parts"):
        compile_expr(" + ".join(["x"] * 151), known)
    # Nesting is depth: 50 levels work, 51 do not, whether calls, signs or mixed operators.
    assert ev("abs(" * 49 + "x" + ")" * 49) == 4.0
    for deep in ("abs(" * 51 + "x" + ")" * 51, "-" * 51 + "x", "x * (" * 51 + "x" + ")" * 51):
        with pytest.raises(ExprError, match=r"nested too deeply \(more than 50 levels\)"):
            compile_expr(deep, known)


def test_deep_expression_is_rejected() -> None:
    with pytest.raises(ExprError, match="nested too deeply"):
        compile_expr("abs(" * 60 + "x" + ")" * 60, known)
    # Just inside the limits still works.
    assert ev("abs(" * 20 + "x" + ")" * 20) == 4.0


# --- property tests ------------------------------------------------------------------------

SAMPLE_VALUES: list[dict[str, Value]] = [
    VALUES,
    dict.fromkeys(KNOWN, 0.0),
    dict.fromkeys(KNOWN, -1e12),
    dict.fromkeys(KNOWN, 1e308),
    dict.fromkeys(KNOWN, True),
    dict.fromkeys(KNOWN, math.nan),
    dict.fromkeys(KNOWN, -0.5),
]

TOKENS = [
    *sorted(KNOWN),
    "nope",
    "a.b.c",
    "_x",
    "__class__",
    ".",
    "0",
    "1",
    "2",
    "8",
    "9",
    "0.5",
    "-1",
    "1e12",
    "1e999",
    "true",
    "false",
    "True",
    "None",
    "+",
    "-",
    "*",
    "/",
    "//",
    "%",
    "**",
    "<",
    "<=",
    ">",
    ">=",
    "==",
    "!=",
    "and",
    "or",
    "not",
    "if",
    "else",
    "in",
    "is",
    "lambda",
    "for",
    ":=",
    "&",
    "~",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    "'s'",
    "min",
    "max",
    "clamp",
    "abs",
    "round",
    "chance",
    "open",
    " ",
]


def flip(p: float) -> bool:
    assert 0.0 <= p <= 1.0
    return p >= 0.5


def check_any_source(source: str) -> None:
    try:
        expr = compile_expr(source, known)
    except ExprError as err:
        assert 0 <= err.col <= len(source)
        return
    assert set(expr.names) <= KNOWN
    for values in SAMPLE_VALUES:
        result = expr(values, flip)
        assert isinstance(result, int | float)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60))
def test_random_text_compiles_or_raises_expr_error(source: str) -> None:
    check_any_source(source)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=25))
def test_random_token_soup_compiles_or_raises_expr_error(tokens: list[str]) -> None:
    check_any_source(" ".join(tokens))


_atom = st.sampled_from(["x", "y", "a.b", "turn", "cover", "0", "1", "2.5", "1e12", "true"])


def _combine(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    binary = st.sampled_from(
        ["+", "-", "*", "/", "//", "%", "<", "<=", ">", "==", "!=", "and", "or"]
    )
    return st.one_of(
        st.tuples(children, binary, children).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(st.sampled_from(["-", "not ", "+"]), children).map(lambda t: f"({t[0]}({t[1]}))"),
        st.tuples(children, st.sampled_from(["2", "-3", "0.5", "8"])).map(
            lambda t: f"({t[0]}) ** {t[1]}"
        ),
        st.tuples(children, children, children).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})"),
        st.tuples(st.sampled_from(["min", "max"]), children, children).map(
            lambda t: f"{t[0]}({t[1]}, {t[2]})"
        ),
        st.tuples(children, children, children).map(lambda t: f"clamp({t[0]}, {t[1]}, {t[2]})"),
        children.map(lambda c: f"abs({c})"),
        children.map(lambda c: f"round({c}, 2)"),
        children.map(lambda c: f"chance({c})"),
    )


@settings(max_examples=300, deadline=None)
@given(st.recursive(_atom, _combine, max_leaves=12))
def test_well_formed_expressions_evaluate_without_raising(source: str) -> None:
    expr = compile_expr(source, known)  # all of these are inside the language
    for values in SAMPLE_VALUES:
        result = expr(values, flip)
        assert isinstance(result, int | float)
