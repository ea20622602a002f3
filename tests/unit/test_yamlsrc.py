"""YAML loading with positions: exact line:col for values, keys and every kind of mistake."""

from __future__ import annotations

import textwrap
from pathlib import Path as FsPath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wargame.formats.yamlsrc import (
    MAX_DEPTH,
    Document,
    Positions,
    Problem,
    YamlError,
    format_path,
    load_yaml,
    load_yaml_file,
)


def problems_of(text: str, file: str = "s.yaml") -> list[str]:
    with pytest.raises(YamlError) as info:
        load_yaml(text, file)
    return [str(p) for p in info.value.problems]


def doc_of(text: str) -> Document:
    return load_yaml(textwrap.dedent(text), "s.yaml")


# -------------------------------------------------------------------- problems


def test_problem_str_format() -> None:
    assert str(Problem("a/b.yaml", 3, 7, "oops")) == "a/b.yaml:3:7: oops"


def test_yaml_error_lists_problems_in_file_order() -> None:
    err = YamlError([Problem("f", 5, 1, "b"), Problem("f", 2, 9, "a"), Problem("f", 2, 3, "c")])
    assert [(p.line, p.col) for p in err.problems] == [(2, 3), (2, 9), (5, 1)]
    assert str(err) == "f:2:3: c\nf:2:9: a\nf:5:1: b"


# -------------------------------------------------------------------- syntax errors


def test_bad_indentation() -> None:
    text = "a:\n  b: 1\n c: 2\n"
    assert problems_of(text) == [
        "s.yaml:3:2: bad indentation: this line does not line up with the keys of the "
        "mapping at line 1, column 1"
    ]


def test_over_indented_key_is_a_stray_colon() -> None:
    assert problems_of("a:\n  b: 1\n    c: 2\n") == [
        "s.yaml:3:6: unexpected ':'; put a value containing ': ' in quotes, "
        "or check the indentation of this line"
    ]


def test_unclosed_bracket() -> None:
    assert problems_of("a: [1, 2\nb: 3\n") == [
        "s.yaml:2:2: unclosed '[' (opened at line 1, column 4): expected ',' or ']' but found ':'"
    ]


def test_unclosed_brace_at_end_of_file() -> None:
    assert problems_of("x: 1\na: {x: 1\n") == [
        "s.yaml:3:1: unclosed '{' (opened at line 2, column 4): "
        "expected ',' or '}' but found the end of the file"
    ]


def test_unclosed_quote() -> None:
    assert problems_of('a: "abc\nb: 2\n') == [
        "s.yaml:3:1: unclosed quote (opened at line 1, column 4): "
        "the file ends before the closing quote"
    ]


def test_colon_inside_plain_value() -> None:
    assert problems_of("title: Seoul: the sequel\n") == [
        "s.yaml:1:13: unexpected ':'; put a value containing ': ' in quotes, "
        "or check the indentation of this line"
    ]


def test_tab_indentation() -> None:
    assert problems_of("a:\n\tb: 1\n") == [
        "s.yaml:2:1: tab character here; YAML must be indented with spaces"
    ]


def test_control_character_position_counts_characters_not_bytes() -> None:
    # 'é' and 'ü' are two bytes each in UTF-8; the column must still be 5
    assert problems_of("é: ü\nb: x\x07\n") == [
        "s.yaml:2:5: control character U+0007 is not allowed in YAML"
    ]


def test_text_after_quoted_value() -> None:
    assert problems_of("a: 'x' y\n") == [
        "s.yaml:1:8: unexpected text after a value; quote the whole value or fix the indentation"
    ]


def test_key_after_list_at_same_level() -> None:
    assert problems_of("- a\nb: 1\n") == [
        "s.yaml:2:1: found a 'key:' entry where a '- ' list item was expected; "
        "check the indentation (the list starts at line 1, column 1)"
    ]


def test_undefined_alias() -> None:
    assert problems_of("a: 1\nb: *nope\n") == [
        "s.yaml:2:4: unknown alias '*nope' (no '&nope' anchor before it)"
    ]


def test_duplicate_anchor() -> None:
    assert problems_of("a: &x 1\nb: &x 2\n") == [
        "s.yaml:2:4: anchor '&x' is defined twice (first at line 1, column 4)"
    ]


def test_character_that_cannot_start_a_value() -> None:
    assert problems_of("a: @home\n") == [
        "s.yaml:1:4: '@' cannot start a value; put the value in quotes"
    ]


def test_multiple_documents() -> None:
    assert problems_of("a: 1\n---\nb: 2\n") == [
        "s.yaml:2:1: only one YAML document is allowed per file; another starts here"
    ]


def test_deep_nesting_is_a_problem_not_a_crash() -> None:
    text = "[" * 600 + "]" * 600
    [problem] = problems_of(text)
    assert problem.startswith("s.yaml:1:")
    assert f"nested too deeply (more than {MAX_DEPTH} levels)" in problem


# -------------------------------------------------------------------- semantic problems


def test_duplicate_keys_all_reported() -> None:
    text = "tokyo: 1\nseoul: 2\nnested:\n  a: 1\n  a: 2\ntokyo: 3\n"
    assert problems_of(text) == [
        "s.yaml:5:3: duplicate key 'a' (first defined at line 4)",
        "s.yaml:6:1: duplicate key 'tokyo' (first defined at line 1)",
    ]


def test_duplicate_key_in_flow_mapping() -> None:
    assert problems_of("x: {a: 1, a: 2}\n") == [
        "s.yaml:1:11: duplicate key 'a' (first defined at line 1)"
    ]


def test_non_string_keys() -> None:
    text = "1: a\nnull: b\ntrue: c\n~: d\n[1, 2]: e\n"
    assert problems_of(text) == [
        "s.yaml:1:1: keys must be text, found 1",
        "s.yaml:2:1: keys must be text, found null",
        "s.yaml:3:1: keys must be text, found true",
        "s.yaml:4:1: keys must be text, found ~",
        "s.yaml:5:1: keys must be text, found a list",
    ]


def test_yaml11_boolean_words_as_keys_stay_text() -> None:
    doc = doc_of(
        """\
        on: 1
        off: 2
        no: 3
        Yes: 4
        answer: no
        """
    )
    assert doc.data == {"on": 1, "off": 2, "no": 3, "Yes": 4, "answer": False}


def test_unsupported_tags() -> None:
    assert problems_of("a: !!binary eHg=\nb: !custom 1\nc: !!int abc\n") == [
        "s.yaml:1:4: unsupported tag '!!binary'",
        "s.yaml:2:4: unsupported tag '!custom'",
        "s.yaml:3:4: 'abc' is not a valid !!int",
    ]


def test_problems_from_one_file_come_together() -> None:
    text = "a: 1\na: 2\n3: x\nb:\n  c: 1\n  c: 2\n"
    assert len(problems_of(text)) == 3


# -------------------------------------------------------------------- scalars


def test_dates_stay_strings() -> None:
    doc = doc_of(
        """\
        start: 2018-10
        day: 2018-10-01
        stamp: 2018-10-01T10:00:00Z
        """
    )
    assert doc.data == {"start": "2018-10", "day": "2018-10-01", "stamp": "2018-10-01T10:00:00Z"}


def test_scalars_resolve_like_safe_loader() -> None:
    doc = doc_of(
        """\
        i: 42
        neg: -3
        f: 0.5
        e: 1.0e+3
        t: true
        n: null
        empty:
        s: hello
        q: "42"
        big: 1_000
        inf: .inf
        """
    )
    assert doc.data == {
        "i": 42,
        "neg": -3,
        "f": 0.5,
        "e": 1000.0,
        "t": True,
        "n": None,
        "empty": None,
        "s": "hello",
        "q": "42",
        "big": 1000,
        "inf": float("inf"),
    }
    assert isinstance(doc.data, dict)
    assert type(doc.data["i"]) is int and type(doc.data["t"]) is bool


def test_explicit_str_tag() -> None:
    assert doc_of("a: !!str 12\n").data == {"a": "12"}


def test_empty_file_and_comment_only_file() -> None:
    for text in ("", "# just a comment\n", "\n\n"):
        doc = load_yaml(text, "e.yaml")
        assert doc.data is None
        assert doc.positions.value(()) == (1, 1)


# -------------------------------------------------------------------- positions

POSITIONS = """\
# header comment
title: Alliance
actions:
  export_controls:
    cost: 2
    effects:
      - add: trust
        by: 3
      - [a, b]
roles: {tokyo: 1, seoul: 2}
"""


def test_value_positions() -> None:
    pos = load_yaml(POSITIONS, "p.yaml").positions
    assert pos.value(()) == (2, 1)
    assert pos.value(("title",)) == (2, 8)
    assert pos.value(("actions",)) == (4, 3)
    assert pos.value(("actions", "export_controls")) == (5, 5)
    assert pos.value(("actions", "export_controls", "cost")) == (5, 11)
    assert pos.value(("actions", "export_controls", "effects")) == (7, 7)
    assert pos.value(("actions", "export_controls", "effects", 0)) == (7, 9)
    assert pos.value(("actions", "export_controls", "effects", 0, "by")) == (8, 13)
    assert pos.value(("actions", "export_controls", "effects", 1)) == (9, 9)
    assert pos.value(("actions", "export_controls", "effects", 1, 1)) == (9, 13)
    assert pos.value(("roles", "seoul")) == (10, 26)


def test_key_positions() -> None:
    pos = load_yaml(POSITIONS, "p.yaml").positions
    assert pos.key(("title",)) == (2, 1)
    assert pos.key(("actions",)) == (3, 1)
    assert pos.key(("actions", "export_controls")) == (4, 3)
    assert pos.key(("actions", "export_controls", "cost")) == (5, 5)
    assert pos.key(("actions", "export_controls", "effects", 0, "by")) == (8, 9)
    assert pos.key(("roles", "seoul")) == (10, 19)


def test_positions_fall_back_to_nearest_ancestor() -> None:
    pos = load_yaml(POSITIONS, "p.yaml").positions
    cost = ("actions", "export_controls")
    assert pos.value((*cost, "missing", "deeper")) == (5, 5)
    assert pos.value(("actions", "export_controls", "effects", 7)) == (7, 7)
    assert pos.value(("title", 0)) == (2, 8)  # a scalar has no children
    # key() of a list item or an unknown key falls back to value()
    assert pos.key(("actions", "export_controls", "effects", 0)) == (7, 9)
    assert pos.key((*cost, "nope")) == (5, 5)
    assert pos.key(()) == (2, 1)


def test_positions_problem_helper() -> None:
    doc = load_yaml(POSITIONS, "p.yaml")
    path = ("actions", "export_controls", "cost")
    assert str(doc.positions.problem("p.yaml", path, "bad")) == "p.yaml:5:11: bad"
    assert str(doc.positions.problem("p.yaml", path, "bad", at_key=True)) == "p.yaml:5:5: bad"
    assert str(doc.problem(path, "bad", at_key=True)) == "p.yaml:5:5: bad"


def test_columns_count_characters() -> None:
    pos = load_yaml("名前: 東京\nx: [é, ü]\n", "u.yaml").positions
    assert pos.value(("名前",)) == (1, 5)
    assert pos.value(("x", 1)) == (2, 8)


def test_default_positions() -> None:
    assert Positions().value(("a", 1)) == (1, 1)
    assert Positions().key(("a",)) == (1, 1)


def test_format_path() -> None:
    assert format_path(()) == ""
    path = ("actions", "embargo", "effects", 2, "by")
    assert format_path(path) == "actions.embargo.effects[2].by"
    assert format_path((0, "a")) == "[0].a"


# -------------------------------------------------------------------- anchors and aliases


def test_aliases_expand_and_merge_keys_work() -> None:
    doc = doc_of(
        """\
        base: &base
          cost: 1
          phase: drift
        embargo:
          <<: *base
          cost: 3
        list: [*base, *base]
        """
    )
    assert doc.data == {
        "base": {"cost": 1, "phase": "drift"},
        "embargo": {"cost": 3, "phase": "drift"},
        "list": [{"cost": 1, "phase": "drift"}, {"cost": 1, "phase": "drift"}],
    }
    assert isinstance(doc.data, dict)
    assert doc.data["list"][0] is not doc.data["list"][1]  # expanded, not shared
    # merged keys point back to where they were written
    assert doc.positions.value(("embargo", "phase")) == (3, 10)
    assert doc.positions.value(("embargo", "cost")) == (6, 9)


def test_merge_of_several_mappings_first_wins() -> None:
    doc = doc_of("a: &a {x: 1}\nb: &b {x: 2, y: 2}\nc:\n  <<: [*a, *b]\n")
    assert isinstance(doc.data, dict)
    assert doc.data["c"] == {"x": 1, "y": 2}


def test_bad_merge_value() -> None:
    assert problems_of("a:\n  <<: 1\n") == [
        "s.yaml:2:7: '<<' (merge) needs a mapping or a list of mappings"
    ]


def test_alias_bomb_rejected_cleanly() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 10)}]")
    problems = problems_of("\n".join(lines) + "\n", "bomb.yaml")
    assert problems == ["bomb.yaml:5:4: document too large or too many aliases"]


def test_recursive_alias() -> None:
    assert problems_of("a: &a [1, *a]\n") == [
        "s.yaml:1:4: an alias refers to a node that contains it (recursive)"
    ]


# -------------------------------------------------------------------- files


def test_load_yaml_file(tmp_path: FsPath) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text("\ufeffa: 1\n", encoding="utf-8")  # a BOM is tolerated
    doc = load_yaml_file(path)
    assert doc.file == str(path)
    assert doc.data == {"a": 1}
    assert doc.positions.value(("a",)) == (1, 4)


def test_missing_file(tmp_path: FsPath) -> None:
    path = tmp_path / "nope.yaml"
    with pytest.raises(YamlError) as info:
        load_yaml_file(path)
    assert [str(p) for p in info.value.problems] == [
        f"{path}:1:1: no such file"
    ]


def test_bad_encoding_points_at_the_byte(tmp_path: FsPath) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("a: 1\nname: Séoul\n".encode("latin-1"))
    with pytest.raises(YamlError) as info:
        load_yaml_file(path)
    assert [str(p) for p in info.value.problems] == [
        f"{path}:2:8: file is not valid UTF-8 (byte 0xe9); save it as UTF-8"
    ]


def test_syntax_error_in_file_names_the_file(tmp_path: FsPath) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("a: [1\n", encoding="utf-8")
    with pytest.raises(YamlError) as info:
        load_yaml_file(str(path))
    assert str(info.value.problems[0]).startswith(f"{path}:2:1: unclosed '['")


# -------------------------------------------------------------------- fuzzing

SINGLE_CHARS = ":-{}[],\"'#|>%@`\\~ \t\n\x00\x07é"
WORDS = ["key", "tokyo", "1", "true", "on", "null", "2018-10-01", "...", "---\n"]
PIECES = [": ", "- ", "? ", "<<: ", "&a ", "*a", "!!int ", "!x ", "  ", "    "]
TOKENS = st.sampled_from([*SINGLE_CHARS, *WORDS, *PIECES])

YAMLISH = st.one_of(
    st.text(max_size=80),
    st.lists(TOKENS, max_size=40).map("".join),
    st.lists(st.one_of(TOKENS, st.text(max_size=5)), max_size=30).map("".join),
)


@settings(max_examples=300, deadline=None)
@given(YAMLISH)
def test_fuzz_load_yaml_never_crashes(text: str) -> None:
    try:
        doc = load_yaml(text, "fuzz.yaml")
    except YamlError as err:
        assert err.problems
        for problem in err.problems:
            assert problem.file == "fuzz.yaml"
            assert problem.line >= 1
            assert problem.col >= 1
            assert problem.message.strip()
    else:
        assert isinstance(doc, Document)
        assert doc.positions.value(()) >= (1, 1)


def test_lone_surrogate_is_a_problem() -> None:
    assert problems_of("a: \ud800\n") == ["s.yaml:1:4: character U+D800 is not allowed in YAML"]


def test_the_collector_runs_again_after_a_load_good_or_bad() -> None:
    import gc

    from wargame.formats import collector

    assert gc.isenabled()
    load_yaml("a: 1\n", "f.yaml")
    assert gc.isenabled()
    with pytest.raises(YamlError):
        load_yaml("a: [\n", "f.yaml")
    assert gc.isenabled()
    gc.disable()  # a caller that holds it back keeps it held back
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
