"""The mistakes scenario writers make most get a message that says what to write instead."""

from __future__ import annotations

import pytest

from wargame.engine.expr import ExprError, compile_expr


@pytest.mark.parametrize(
    ("text", "says", "col"),
    [
        ("60%", "write a chance as 0.6 and a percentage value as 60", 0),
        ("nk_threat = 70", "use '=='", 10),
        ("min(5", "a ',' ends the value", 3),
    ],
)
def test_expression_mistakes_say_the_fix(text: str, says: str, col: int) -> None:
    with pytest.raises(ExprError) as err:
        compile_expr(text, lambda _n: True)
    assert says in err.value.message
    assert err.value.col == col


def test_modulo_is_still_an_operator() -> None:
    assert compile_expr("x % 3", lambda _n: True)({"x": 7.0}, lambda _p: False) == 1.0
