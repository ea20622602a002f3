"""The hostile inputs (issue 14): each a Case — the files to lay out in an empty folder, the
command line to run there, and what a well-behaved program does with it.

Every generator is deterministic (seeded), so a failure names an input anyone can rebuild
with `python tests/hostile/summary.py --show CLASS/NAME`.
"""

from __future__ import annotations

import copy
import json
import random
import string
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

# A file in a case's folder: its bytes, or one of these.
FIFO = ("fifo",)
DIR = ("dir",)


def symlink(target: str) -> tuple[str, str]:
    return ("symlink", target)


@dataclass
class Case:
    cls: str  # the class of input, e.g. "yaml-bombs": one test each
    name: str
    argv: list[str] = field(default_factory=list)  # `wargame ARGV`, run in the case's folder
    files: dict[str, Any] = field(default_factory=dict)
    stdin: bytes | None = None
    expect: str = "fail"  # "fail": exit 1 or 2; "ok": exit 0; "any": either, cleanly
    names: str | None = None  # what the message must name when it fails ("a|b": either)
    terminal: bool = True  # stdout is read by people: no control characters in it
    kind: str = "cli"  # "cli", or "saves": the terminal game's save folder (saves/)
    secret: str | None = None  # must never appear in the output (a local file's content)

    @property
    def id(self) -> str:
        return f"{self.cls}/{self.name}"


# ---------------------------------------------------------------------------- base content


@cache
def convenor() -> str:
    return (ROOT / "scenarios" / "convenor.yaml").read_text()


@cache
def core() -> str:
    return (ROOT / "rules" / "core.yaml").read_text()


@cache
def small() -> str:
    return (ROOT / "tests" / "fixtures" / "scenarios" / "no_cohesion.yaml").read_text()


@cache
def small_rules() -> str:
    return (ROOT / "tests" / "fixtures" / "scenarios" / "no_cohesion_rules.yaml").read_text()


def small_files(scenario: str | None = None, rules: str | None = None) -> dict[str, Any]:
    """The small valid scenario (two seats, four turns) as s.yaml, its rules beside it."""
    return {
        "s.yaml": (scenario if scenario is not None else small()).encode(),
        "no_cohesion_rules.yaml": (rules if rules is not None else small_rules()).encode(),
    }


SMALL_EVENT = """
events:
  - id: probe
    title: Probe
    text: A probe.
    if: {cond}
    effects:
      - add: {{tension: 1}}
"""


def with_condition(cond: str) -> str:
    """The small scenario with one event whose condition is `cond` (a YAML scalar)."""
    return small() + SMALL_EVENT.format(cond=cond)


@cache
def saves() -> dict[str, bytes]:
    """Sound saves to mutate: a game under way, a finished one, the small scenario."""
    from wargame.engine.bots import BOTS
    from wargame.engine.game import Game
    from wargame.storage.content_loader import load_content
    from wargame.storage.save_format import dump_document, encode_game

    out: dict[str, bytes] = {}
    for name, path, turns in (
        ("midgame", ROOT / "scenarios" / "convenor.yaml", 3),
        ("finished", ROOT / "tests" / "fixtures" / "scenarios" / "no_cohesion.yaml", 99),
    ):
        content = load_content(path)
        game = Game(content, 5)
        for _ in range(min(turns, content.turns)):
            game.resolve({r: BOTS["random"](game, r) for r in content.role_ids})
        seats = dict.fromkeys(content.role_ids, "random")
        out[name] = dump_document(encode_game(game, seats=seats, game_id=f"g-{name}"))
    return out


def resign(doc: dict[str, Any]) -> bytes:
    from wargame.storage.save_format import sign_bytes

    return sign_bytes(json.dumps(doc, ensure_ascii=False).encode("utf-8", "surrogatepass"))


# ---------------------------------------------------------------------------- helpers

HUGE_INT = "9" * 400  # over a float, and under Python's 4,300-digit int limit
HUGER_INT = "9" * 5000  # over Python's int-from-text limit
BAD_NUMBERS = [
    HUGE_INT, "-" + HUGE_INT, HUGER_INT, "1e309", "-1e309", ".inf", "-.inf", ".nan", ".NaN",
    "1e308", "1:30:00", "0x7fffffffffffffffffff", "0o777777777777777777777777",
    "0b" + "1" * 2000, "1_000_000_000_000_000_000_000", "-0", "4.9e-324", "1e-400",
    "2.5e+307", "190:20:30",
]
WRONG_TYPES = [
    "[]", "{}", "null", "~", "true", "'text'", "[1, 2]", "{a: 1}", "!!binary aGVsbG8=",
    "2021-01-01", "''", '"\\u0000"',
]
CONTROL = "\x1b]0;pwned\x07\x1b[2J\x1b[31mred\x9b31m\r\x08\x00"


def yaml_dq(text: str) -> str:
    """A YAML double-quoted scalar holding any text (escapes for control characters)."""
    out = []
    for ch in text:
        o = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif o < 0x20 or 0x7F <= o < 0xA0 or 0xD800 <= o < 0xE000:
            out.append(f"\\u{o:04x}" if o > 0xFF else f"\\x{o:02x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def replace_once(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def truncations(data: bytes, n: int, rng: random.Random) -> Iterator[tuple[str, bytes]]:
    """n cuts at random places; named by number, so a name stays the same input's name when
    the base file changes length (it embeds the bundled rules)."""
    for k in range(n):
        yield f"cut{k}", data[: max(1, int(len(data) * rng.random()))]


def bitflips(data: bytes, n: int, rng: random.Random) -> Iterator[tuple[str, bytes]]:
    for k in range(n):
        buf = bytearray(data)
        for _ in range(rng.choice((1, 1, 2, 8, 64))):
            i = int(len(buf) * rng.random())
            buf[i] ^= 1 << rng.randrange(8)
        yield f"flip{k}", bytes(buf)


# ---------------------------------------------------------------------------- the classes

GENERATORS: dict[str, Callable[[], Iterator[Case]]] = {}


def generator(cls: str) -> Callable[[Callable[[str], Iterator[Case]]], Any]:
    def register(fn: Callable[[str], Iterator[Case]]) -> Any:
        GENERATORS[cls] = lambda: unique(fn(cls))
        return fn

    return register


def unique(cases: Iterator[Case]) -> Iterator[Case]:
    """Names unique within a class (a failure names its input): a repeat gets `#2`, `#3`..."""
    seen: set[str] = set()
    for case in cases:
        base, n = case.name, 2
        while case.name in seen:
            case.name = f"{base}#{n}"
            n += 1
        seen.add(case.name)
        yield case


CONTENT_COMMANDS = (
    ["validate", "{f}"],
    ["lint", "{f}"],
    ["run", "{f}", "--turns", "2"],
    ["validate", "."],
)


def content_case(cls: str, name: str, files: dict[str, Any], i: int, target: str = "s.yaml",
                 expect: str = "fail", names: str | None = None) -> Case:
    """One content file under one of the commands that read content (rotating by i)."""
    argv = [a.format(f=target) for a in CONTENT_COMMANDS[i % len(CONTENT_COMMANDS)]]
    if argv[0] == "lint" and expect == "ok":
        expect = "any"  # lint may warn (exit 1) about content that validates
    return Case(cls, f"{name}[{argv[0]}{'-dir' if argv[-1] == '.' else ''}]", argv, files,
                expect=expect, names=names or (None if argv[-1] == "." else "|".join(
                    [target, *(f for f in files if f.endswith(".yaml") and f != target)])))


@generator("yaml-syntax")
def _yaml_syntax(cls: str) -> Iterator[Case]:
    rng = random.Random(14)
    data = convenor().encode()
    i = 0
    for label, cut in truncations(data, 60, rng):
        yield content_case(cls, label, {"s.yaml": cut}, i, expect="any")
        i += 1
    for label, flipped in bitflips(data, 70, rng):
        yield content_case(cls, label, {"s.yaml": flipped}, i, expect="any")
        i += 1
    rules = core().encode()
    for label, flipped in bitflips(rules, 30, rng):
        files = {"s.yaml": data.replace(b"rules: [core]", b"rules: [mine]"), "mine.yaml": flipped}
        yield content_case(cls, f"rules-{label}", files, i, expect="any",
                           names="s.yaml|mine.yaml")
        i += 1
    oddities = {
        "empty": b"",
        "blank": b"\n\n   \n",
        "only-comment": b"# nothing\n",
        "nul-bytes": b"id: x\x00\x00\n",
        "invalid-utf8": b"id: \xff\xfe\xfa\n",
        "utf16-bom": "id: x\ntitle: y\n".encode("utf-16"),
        "utf8-bom": b"\xef\xbb\xbf" + data,
        "utf32": "id: x\n".encode("utf-32"),
        "crlf": data.replace(b"\n", b"\r\n"),
        "cr-only": data.replace(b"\n", b"\r"),
        "tabs-indent": data.replace(b"  ", b"\t"),
        "a-list": b"- 1\n- 2\n",
        "a-scalar": b"just words\n",
        "a-number": b"42\n",
        "two-documents": data + b"\n---\n" + data,
        "doc-end-marker": b"...\n" + data,
        "unclosed-quote": b'id: "x\ntitle: y\n',
        "unclosed-flow": b"id: [x, y\n",
        "bad-indent": b"id: x\n  title: y\n title2: z\n",
        "duplicate-keys": data + b"\nid: other\n",
        "directive": b"%YAML 1.1\n%TAG ! tag:evil:\n---\n" + data,
        "yaml-1.3": b"%YAML 1.3\n---\nid: x\n",
        "control-chars": b"id: x\x07\x1b\n",
        "lone-surrogate-bytes": b"id: \xed\xa0\x80\n",
        "overlong-utf8": b"id: \xc0\xaf\n",
        "json-style": json.dumps({"id": "x", "title": "y"}).encode(),
        "binary-garbage": bytes(rng.randrange(256) for _ in range(4096)),
        "png-header": b"\x89PNG\r\n\x1a\n" + bytes(200),
        "gzip": b"\x1f\x8b\x08\x00" + bytes(100),
        "long-line": b"title: " + b"x" * 2_000_000 + b"\n",
        "many-lines": b"\n" * 2_000_000 + b"id: x\n",
        "deep-indent": b"".join(b" " * k + b"a:\n" for k in range(0, 3000, 1)),
    }
    for name, blob in oddities.items():
        for j in range(2):
            yield content_case(cls, name, {"s.yaml": blob}, i + j, expect="any")
        i += 2


@generator("yaml-bombs")
def _yaml_bombs(cls: str) -> Iterator[Case]:
    laughs = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for k in range(1, 12):
        laughs.append(f"a{k}: &a{k} [" + ", ".join([f"*a{k - 1}"] * 10) + "]")
    merge = ["m0: &m0 {k0: 1, k1: 2}"]
    for k in range(1, 25):
        merge.append(f"m{k}: &m{k} {{<<: [*m{k - 1}, *m{k - 1}], x{k}: {k}}}")
    bombs: dict[str, bytes] = {
        "billion-laughs": ("\n".join(laughs) + "\nid: x\n").encode(),
        "laughs-in-a-title": ("\n".join(laughs[:8]) + "\ntitle: *a7\n").encode(),
        "merge-bomb": ("\n".join(merge) + "\n").encode(),
        "alias-to-self": b"a: &a [*a]\n",
        "undefined-alias": b"id: *nowhere\n",
        "deep-flow-list": b"x: " + b"[" * 100_000 + b"]" * 100_000 + b"\n",
        "deep-unclosed-list": b"x: " + b"[" * 100_000 + b"\n",
        "deep-flow-map": b"x: " + b"{a: " * 50_000 + b"1" + b"}" * 50_000 + b"\n",
        "deep-block": b"".join(b"  " * k + b"- \n" for k in range(5000)),
        "deep-block-map": b"".join(b" " * k + b"k:\n" for k in range(3000)),
        "flat-list-200k": b"x: [" + b"1," * 200_000 + b"1]\n",
        "flat-list-2m": b"x: [" + b"1," * 2_000_000 + b"1]\n",
        "block-list-1m": b"x:\n" + b"- 1\n" * 1_000_000,
        "many-keys-200k": b"".join(b"k%d: 1\n" % k for k in range(200_000)),
        "long-scalar-20mb": b"title: " + b"x" * 20_000_000 + b"\n",
        "long-key": b"x" * 1_000_000 + b": 1\n",
        "many-anchors": b"".join(b"a%d: &a%d 1\n" % (k, k) for k in range(100_000)),
        "many-aliases": b"a: &a 1\nb: [" + b"*a," * 300_000 + b"*a]\n",
        "python-object": b"id: !!python/object/apply:os.system ['touch PWNED']\n",
        "python-name": b"id: !!python/name:os.system\n",
        "python-module": b"id: !!python/module:os\n",
        "python-new": b"id: !!python/object/new:os.system [touch PWNED]\n",
        "custom-tag": b"id: !evil x\n",
        "tag-uri": b"id: !<tag:yaml.org,2002:python/object:os.system> x\n",
        "binary-tag": b"id: !!binary " + b"QUFB" * 1000 + b"\n",
        "set-tag": b"id: !!set {a, b}\n",
        "omap": b"id: !!omap [a: 1]\n",
        "timestamp": b"start: 2001-12-14t21:59:43.10-05:00\n",
        "merge-into-scenario": (convenor() + "\nbase: &b {x: 1}\nother: {<<: *b}\n").encode(),
        "key-is-list": b"? [a, b]\n: 1\n",
        "key-is-map": b"? {a: 1}\n: 1\n",
        "null-key": b"~: 1\nid: x\n",
        "bool-keys": b"yes: 1\nno: 2\non: 3\n",
        "complex-key-bomb": b"? " + b"[" * 10_000 + b"]" * 10_000 + b"\n: 1\n",
    }
    for i, (name, blob) in enumerate(bombs.items()):
        for j in range(3):
            yield content_case(cls, name, {"s.yaml": blob}, i + j)
    # the same bombs inside otherwise sound content: in the scenario and in its rules
    for name in ("billion-laughs", "deep-flow-list", "flat-list-200k", "python-object",
                 "merge-bomb", "many-aliases"):
        blob = bombs[name]
        yield content_case(cls, f"{name}-in-rules",
                           small_files(rules=small_rules() + "\n" + blob.decode()), 0,
                           names="no_cohesion_rules.yaml")
        yield content_case(cls, f"{name}-appended", {"s.yaml": small().encode() + b"\n" + blob},
                           1)


def set_field(text: str, old: str, new: str) -> str:
    return replace_once(text, old, new)


# (what, the text to find in the small scenario, a template for the replacement with {v})
SMALL_FIELDS = [
    ("id", "id: no-cohesion", "id: {v}"),
    ("title", "title: No Cohesion", "title: {v}"),
    ("summary", "summary: Two seats, one tension, one measure.", "summary: {v}"),
    ("start", "start: 2020-Q1", "start: {v}"),
    ("turns", "turns: 4", "turns: {v}"),
    ("rules", "rules: [no_cohesion_rules]", "rules: {v}"),
    ("role", "washington: {name: Washington}", "washington: {v}"),
    ("role-name", "tokyo: {name: Tokyo}", "tokyo: {{name: {v}}}"),
    ("var-start", "tension: {start: 50}", "tension: {{start: {v}}}"),
    ("var-min", "washington.capital: {start: 2, min: 0, max: 6}",
     "washington.capital: {{start: 2, min: {v}, max: 6}}"),
    ("var-max", "tokyo.capital: {start: 2, min: 0, max: 6}",
     "tokyo.capital: {{start: 2, min: 0, max: {v}}}"),
    ("var", "tension: {start: 50}", "tension: {v}"),
    ("flag-start", "sanctions: {start: false, text: Sanctions are in force}",
     "sanctions: {{start: {v}, text: Sanctions are in force}}"),
    ("objective-points", "points: 1", "points: {v}"),
    ("objective-if", "if: tension < 50", "if: {v}"),
    ("objective-scored", "scored: at_end", "scored: {v}"),
    ("objectives", "objectives:\n  washington:", "objectives: {v}\nx_washington:"),
    ("variables", "variables:\n  washington.capital", "variables: {v}\nx_vars:\n  w"),
]
RULE_FIELDS = [
    ("cost", "cost: 1\n    phase: cooperation", "cost: {v}\n    phase: cooperation"),
    ("phase", "phase: cooperation", "phase: {v}"),
    ("who", "who: [washington]", "who: {v}"),
    ("effect-add", "add: {tension: -5}", "add: {{tension: {v}}}"),
    ("effects", "effects:\n      - add: {tension: -5}", "effects: {v}\n    x_effects:\n      - a"),
    ("requires", "requires:\n      - {check: not sanctions, reason: Sanctions are already on.}",
     "requires: {v}"),
    ("check", "check: not sanctions", "check: {v}"),
    ("outcome", "result: calmed", "result: {v}"),
]


@generator("retyped-fields")
def _retyped(cls: str) -> Iterator[Case]:
    values = ["[]", "{}", "null", "true", "'text'", "{a: 1}", "!!binary aGVsbG8=", "2021-01-01",
              "-1", HUGE_INT, ".inf", "'" + "x" * 100_000 + "'"]
    i = 0
    for what, old, template in SMALL_FIELDS:
        for k, v in enumerate(values):
            scen = set_field(small(), old, template.format(v=v))
            yield content_case(cls, f"{what}-{k}", small_files(scen), i, expect="any")
            i += 1
    for what, old, template in RULE_FIELDS:
        for k, v in enumerate(values):
            rules = set_field(small_rules(), old, template.format(v=v))
            yield content_case(cls, f"rules-{what}-{k}", small_files(rules=rules), i,
                               expect="any")
            i += 1


@generator("numbers")
def _numbers(cls: str) -> Iterator[Case]:
    places = [
        ("var-start", "tension: {start: 50}", "tension: {{start: {v}}}"),
        ("var-min", "washington.capital: {start: 2, min: 0, max: 6}",
         "washington.capital: {{start: 2, min: {v}, max: 6}}"),
        ("var-max", "tokyo.capital: {start: 2, min: 0, max: 6}",
         "tokyo.capital: {{start: 2, min: 0, max: {v}}}"),
        ("turns", "turns: 4", "turns: {v}"),
        ("points", "points: 1", "points: {v}"),
    ]
    i = 0
    for what, old, template in places:
        for k, v in enumerate(BAD_NUMBERS):
            scen = set_field(small(), old, template.format(v=v))
            yield content_case(cls, f"{what}-{k}", small_files(scen), i, expect="any")
            i += 1
    rule_places = [
        ("cost", "cost: 1\n    phase: cooperation", "cost: {v}\n    phase: cooperation"),
        ("add", "add: {tension: -5}", "add: {{tension: {v}}}"),
        ("ai", "cost: 1\n    phase: cooperation", "cost: 1\n    ai: {v}\n    phase: cooperation"),
    ]
    for what, old, template in rule_places:
        for k, v in enumerate(BAD_NUMBERS):
            rules = set_field(small_rules(), old, template.format(v=v))
            yield content_case(cls, f"rules-{what}-{k}", small_files(rules=rules), i,
                               expect="any")
            i += 1
    # in expressions
    for k, v in enumerate(["1e308 * 10", "10 ** 400", "2 ** 10000", HUGE_INT, "1e309",
                           "-1e309", "0.1 ** 400", "1 / 0", "1 % 0", "1 // 0", "(-8) ** 0.5",
                           "round(1e308, 6)", "abs(-1e309)", "9 ** 9 ** 9",
                           "clamp(1e308, -1e308, 1e308) * 10", "tension ** 100",
                           "tension / (tension - tension)", "max(1e308, 1e308) + 1e308"]):
        scen = with_condition(yaml_dq(f"{v} > 0"))
        yield content_case(cls, f"expr-{k}", small_files(scen), i, expect="any")
        i += 1
    # in the bundled-size scenario, events' chance
    for k, v in enumerate(BAD_NUMBERS[:10]):
        scen = replace_once(convenor(), "chance: 0.2\n", f"chance: {v}\n")
        yield content_case(cls, f"chance-{k}", {"s.yaml": scen.encode()}, i, expect="any")
        i += 1


ESCAPES = [
    "__import__('os').system('touch PWNED')",
    "open('PWNED', 'w')",
    "exec('open(\"PWNED\",\"w\")')",
    "eval('1')",
    "().__class__.__bases__[0].__subclasses__()",
    "tension.__class__",
    "[c for c in ().__class__.__base__.__subclasses__()]",
    "(lambda: 1)()",
    "f'{tension}'",
    "(x := 1)",
    "globals()",
    "locals()['__builtins__']",
    "vars()",
    "getattr(tension, 'real')",
    "tension.real",
    "__builtins__",
    "breakpoint()",
    "input()",
    "print(1)",
    "compile('1', 'x', 'eval')",
    "type(1)",
    "dir()",
    "help()",
    "exit()",
    "quit()",
    "__debug__",
    "...",
    "Ellipsis",
    "None",
    "b'bytes'",
    "'string' * 1000000000",
    "[1] * 1000000000",
    "[1, 2][0]",
    "{'a': 1}",
    "{1, 2}",
    "(1, 2)",
    "tension[0]",
    "tension(1)",
    "min()",
    "max(*[1, 2])",
    "min(**{})",
    "round(tension, 100)",
    "round(tension, -100)",
    "chance()",
    "chance(2)",
    "ever()",
    "ever(1, 2, 3)",
    "count(tension)",
    "turns_since('x')",
    "1 if tension else",
    "not",
    "tension >",
    "))))",
    "((((",
    "a.b.c.d.e.f.g",
    "$actor",
    "$target.rival.capital",
    "$nothing",
    "@decorator",
    "tension; import os",
    "tension\nimport os",
    "# comment",
    "tension and __import__",
    "sanctions is True",
    "tension in [1]",
    "tension @ tension",
    "tension << 1000000",
    "~tension",
    "tension & 1",
    "await tension",
    "yield tension",
    "lambda: 0",
    "\\N{LATIN SMALL LETTER A}",
    "ｔｅｎｓｉｏｎ",  # fullwidth: NFKC makes it `tension` in Python
    "tеnsion",  # a Cyrillic е
    "tension\u200b",
    "\u202etension",
    "tension\x00",
    "𝐭ension",  # mathematical bold t
    "_",
    "__",
    "__class__",
    "True.__class__",
    "(1).__add__(1)",
    "'%s' % tension",
    "'{}'.format(tension)",
    "str(tension)",
    "int('9' * 5000)",
    "float('inf')",
    "1" * 5000,
    "0" * 5000 + "1",
    "1." + "0" * 5000,
    "1e" + "9" * 50,
]


@generator("expression-escapes")
def _escapes(cls: str) -> Iterator[Case]:
    i = 0
    for k, e in enumerate(ESCAPES):
        for place in ("event", "objective", "formula"):
            if place == "event":
                files = small_files(with_condition(yaml_dq(e)))
            elif place == "objective":
                files = small_files(set_field(small(), "if: tension < 50", f"if: {yaml_dq(e)}"))
            else:
                rules = small_rules() + f"\nformulas:\n  f1: {yaml_dq(e)}\n"
                files = small_files(with_condition("f1 > 0"), rules)
            # Some are fine expressions (a literal, a function call); none may run code.
            yield content_case(cls, f"{place}-{k}", files, i, expect="any")
            i += 1


@generator("expression-size")
def _expr_size(cls: str) -> Iterator[Case]:
    # (what, expression, expect): sizes the docs promise work, and ones past every limit
    shapes: list[tuple[str, str, str]] = []
    for n in (10, 50, 51, 100, 299, 1000, 10_000, 100_000):
        shapes.append((f"flat-sum-{n}", " + ".join(["tension"] * n), "any"))
        shapes.append((f"parens-{n}", "(" * n + "tension" + ")" * n + " > 0", "any"))
        shapes.append((f"not-chain-{n}", "not " * n + "sanctions", "any"))
        shapes.append((f"minus-chain-{n}", "-" * n + "tension > 0", "any"))
        shapes.append((f"and-chain-{n}", " and ".join(["sanctions"] * n), "any"))
        shapes.append((f"calls-{n}", "abs(" * n + "tension" + ")" * n + " > 0", "any"))
        shapes.append((f"compare-chain-{n}", " < ".join(["tension"] * n), "any"))
        shapes.append((f"ternary-{n}", " if sanctions else ".join(["1"] * n) + " > 0", "any"))
    shapes.append(("flat-sum-50-is-fine", " + ".join(["tension"] * 50) + " > 0", "ok"))
    for i, (name, expr, expect) in enumerate(shapes):
        files = small_files(with_condition(yaml_dq(expr)))
        argv_i = i if expect != "ok" else 0
        yield content_case(cls, name, files, argv_i, expect=expect)
    # many expressions and formulas: compile time must stay linear (issue 14, item 2)
    n = 3000
    unknown = "".join(
        f"    - {{id: o{k}, text: t, if: unknown_{k} > 1, points: 1, scored: at_end}}\n"
        for k in range(n)
    )
    scen = replace_once(small(), "objectives:\n  washington:\n",
                        "objectives:\n  washington:\n" + unknown)
    yield content_case(cls, "3000-unknown-names", small_files(scen), 0)
    variables = "".join(f"  v{k}: {{start: {k % 100}}}\n" for k in range(n))
    scen = replace_once(small(), "variables:\n", "variables:\n" + variables)
    scen = replace_once(scen, "objectives:\n  washington:\n",
                        "objectives:\n  washington:\n" + unknown)
    yield content_case(cls, "3000-unknown-among-3000-variables", small_files(scen), 0)
    formulas = "".join(f"  f{k}: tension + {k}\n" for k in range(n))
    uses = "".join(
        f"    - {{id: u{k}, text: t, if: f{k} > 1, points: 1, scored: at_end}}\n"
        for k in range(n)
    )
    scen = replace_once(small(), "objectives:\n  washington:\n",
                        "objectives:\n  washington:\n" + uses)
    yield content_case(cls, "3000-formulas-used", small_files(scen, small_rules()
                       + "\nformulas:\n" + formulas), 0, expect="ok")
    errors = "".join(f"    - {{id: e{k}, text: t, if: '((', points: 1, scored: at_end}}\n"
                     for k in range(n))
    scen = replace_once(small(), "objectives:\n  washington:\n",
                        "objectives:\n  washington:\n" + errors)
    yield content_case(cls, "3000-syntax-errors", small_files(scen), 0)
    # formulas that use each other: the expansion grows exponentially
    chain = "".join(f"  g{k}: g{k - 1} + g{k - 1}\n" for k in range(1, 40))
    rules = small_rules() + "\nformulas:\n  g0: tension\n" + chain
    yield content_case(cls, "formula-doubling", small_files(with_condition("g39 > 0"), rules), 0)
    rules = small_rules() + "\nformulas:\n  r1: r2 + 1\n  r2: r1 + 1\n"
    yield content_case(cls, "formula-cycle", small_files(with_condition("r1 > 0"), rules), 1)
    rules = small_rules() + "\nformulas:\n  r1: r1 + 1\n"
    yield content_case(cls, "formula-self", small_files(with_condition("r1 > 0"), rules), 2)


# Names the engine provides (refused: item 11), then names of functions, keywords and roles
# (refused or accepted, never a traceback).
ENGINE_NAMES = ["turn", "turns", "ordered.washington.calm_down", "ordered.tokyo.impose",
                "ordered.washington"]
BUILTIN_NAMES = [*ENGINE_NAMES, "chance", "min", "max", "abs", "round", "clamp", "ever",
                 "count", "turns_since", "true", "false", "True", "None", "not", "and", "if",
                 "actor", "target", "washington", "tokyo"]


@generator("builtin-names")
def _builtin(cls: str) -> Iterator[Case]:
    """A variable or flag named after something the engine provides is refused, not silently
    overwritten (issue 14, item 11)."""
    for k, name in enumerate(BUILTIN_NAMES):
        scen = replace_once(small(), "  tension: {start: 50}\n",
                            f"  tension: {{start: 50}}\n  {name}: {{start: 3}}\n")
        expect = "fail" if name in ENGINE_NAMES else "any"
        yield content_case(cls, f"variable-{name}", small_files(scen), k, names="s.yaml",
                           expect=expect)
        scen = replace_once(small(), "flags:\n", f"flags:\n  {name}: {{start: true, text: x}}\n")
        yield content_case(cls, f"flag-{name}", small_files(scen), k + 1, names="s.yaml",
                           expect=expect)


UNICODE_TEXTS = [
    "\u202eevil\u202c", "a\u200bb", "\ufeffbom", "e\u0301\u0301\u0301" * 50, "𝕳𝖊𝖑𝖑𝖔",
    "\U0001f600" * 1000, "\u0000", "\ud800", "\udfff", "x\ud83d", "\uffff", "\U0010ffff",
    "ǅ", "ﬁ", "\u0130", "ß" * 100, "\u2028line\u2029para", "\x85next", "\u00a0", "\u3000",
    "㍿", "\u0600\u0601", "\u180e", "\u2066isolate", "\ufff9anchor",
]


@generator("unicode")
def _unicode(cls: str) -> Iterator[Case]:
    i = 0
    for k, t in enumerate(UNICODE_TEXTS):
        q = yaml_dq(t)
        for what, old, template in (
            ("title", "title: No Cohesion", "title: {v}"),
            ("role-name", "tokyo: {name: Tokyo}", "tokyo: {{name: {v}}}"),
            ("id", "id: no-cohesion", "id: {v}"),
            ("variable", "  tension: {start: 50}\n",
             "  tension: {{start: 50}}\n  {v}: {{start: 1}}\n"),
            ("objective-text", "text: Tension under 50", "text: {v}"),
        ):
            scen = replace_once(small(), old, template.format(v=q))
            yield content_case(cls, f"{what}-{k}", small_files(scen), i, expect="any")
            i += 1
    for k, t in enumerate(UNICODE_TEXTS[:12]):
        scen = replace_once(small(), "title: No Cohesion", f"title: {yaml_dq(t)}")
        yield Case(cls, f"list-title-{k}", ["list"], {"scenarios/s.yaml": scen.encode(),
                   "scenarios/no_cohesion_rules.yaml": small_rules().encode()}, expect="ok")


TERMINAL_TEXTS = [
    "\x1b]0;pwned\x07", "\x1b[2J\x1b[H", "\x1b[31mred\x1b[0m", "\x9b2J", "\x9d0;pwned\x9c",
    "[bold]markup[/bold]", "[/]", "[link=file:///etc/passwd]x[/link]", "[@click=app.quit]x[/]",
    "\r\roverwritten", "\x08\x08\x08back", "\x07bell", "\x1bP+q544e\x1b\\", "\x1b]8;;http://x\x1b\\",
    "[red", "[[", "\\[escaped]", "\x1b[?1049h", "\x1b[6n", "\x7f",
]


@generator("terminal-escapes")
def _terminal(cls: str) -> Iterator[Case]:
    """Text from a file never reaches a terminal as escapes or markup (issue 14, item 5)."""
    for k, t in enumerate(TERMINAL_TEXTS):
        q = yaml_dq(t)
        scen = replace_once(small(), "title: No Cohesion", f"title: {q}")
        yield Case(cls, f"list-title-{k}", ["list"], {"scenarios/s.yaml": scen.encode(),
                   "scenarios/no_cohesion_rules.yaml": small_rules().encode()}, expect="ok")
        # in a name that a message quotes back
        scen = replace_once(small(), "rules: [no_cohesion_rules]", f"rules: [{q}]")
        yield Case(cls, f"validate-rule-name-{k}", ["validate", "s.yaml"], small_files(scen),
                   names="s.yaml")
        scen = replace_once(small(), "if: tension < 50", f"if: {yaml_dq('x' + t + ' > 1')}")
        yield Case(cls, f"validate-expr-{k}", ["validate", "s.yaml"], small_files(scen),
                   names="s.yaml")
        yield Case(cls, f"run-scenario-arg-{k}", ["run", t], expect="fail", names=None)
        # in saves: title and scenario fields, re-signed
        doc = json.loads(saves()["midgame"])
        doc["title"] = "T" + t
        yield Case(cls, f"report-md-title-{k}", ["report", "g.json"], {"g.json": resign(doc)},
                   expect="any", names="g.json")
        yield Case(cls, f"verify-title-{k}", ["replay", "g.json", "--verify"],
                   {"g.json": resign(doc)}, expect="any", names="g.json")
        doc = json.loads(saves()["midgame"])
        doc["turns"][0]["orders"]["washington"][0]["action"] = "x" + t
        yield Case(cls, f"verify-action-{k}", ["replay", "g.json", "--verify"],
                   {"g.json": resign(doc)}, names="g.json")


# ---------------------------------------------------------------------------- saves

SAVE_COMMANDS = (
    ["replay", "{f}", "--verify"],
    ["report", "{f}"],
    ["report", "{f}", "--format", "json"],
    ["report", "{f}", "--format", "csv"],
    ["replay", "{f}", "--with-current-rules"],
    ["replay", "{f}", "--verify", "--as", "tokyo"],
)


def save_case(cls: str, name: str, data: bytes, i: int, expect: str = "fail") -> Case:
    argv = [a.format(f="g.json") for a in SAVE_COMMANDS[i % len(SAVE_COMMANDS)]]
    fmt = argv[argv.index("--format") + 1] if "--format" in argv else "md"
    label = argv[0] + ("-" + argv[2].lstrip("-") if len(argv) > 2 else "")
    if argv[0] == "report":
        label = f"report-{fmt}"
    if "--with-current-rules" in argv and expect == "ok":
        expect = "any"
    return Case(cls, f"{name}[{label}]", argv, {"g.json": data}, expect=expect, names="g.json",
                terminal=fmt not in ("csv",))


def folder_case(cls: str, name: str, data: bytes, file: str = "autosave-x.json") -> Case:
    """The terminal game's save folder holding this file (title screen and load screen)."""
    return Case(cls, f"{name}[save-folder]", [], {f"saves/{file}": data}, expect="any",
                kind="saves")


@generator("saves-truncated")
def _saves_truncated(cls: str) -> Iterator[Case]:
    rng = random.Random(15)
    i = 0
    for which, data in saves().items():
        for label, cut in truncations(data, 45, rng):
            yield save_case(cls, f"{which}-{label}", cut, i)
            if i % 3 == 0:
                yield folder_case(cls, f"{which}-{label}", cut)
            i += 1


@generator("saves-bitflipped")
def _saves_flipped(cls: str) -> Iterator[Case]:
    rng = random.Random(16)
    i = 0
    for which, data in saves().items():
        for label, flipped in bitflips(data, 70, rng):
            yield save_case(cls, f"{which}-{label}", flipped, i, expect="any")
            if i % 3 == 0:
                yield folder_case(cls, f"{which}-{label}", flipped)
            i += 1


def json_paths(doc: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path into a save, skipping the long content texts' insides and most turns."""
    yield prefix
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from json_paths(v, (*prefix, k))
    elif isinstance(doc, list):
        for j, v in enumerate(doc[:2]):
            yield from json_paths(v, (*prefix, j))


def set_path(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return doc


def delete_path(doc: Any, path: tuple[Any, ...]) -> Any:
    target = doc
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]
    return doc


RETYPED_VALUES: list[Any] = [None, True, -1, 0, 2**70, 1.5, "", "x", [], {}, [1], {"a": 1},
                             "\ud800", float("nan"), float("inf"), -(2**63)]


@generator("saves-retyped")
def _saves_retyped(cls: str) -> Iterator[Case]:
    """Every field of a save given another type or removed, then re-signed (as a tool that
    edits saves would): refused with the field named, or still a sound game."""
    base = json.loads(saves()["midgame"])
    paths = [p for p in json_paths(base) if p and "text" not in p[-1:]]
    i = 0
    for n, path in enumerate(paths):
        value = RETYPED_VALUES[n % len(RETYPED_VALUES)]
        doc = set_path(copy.deepcopy(base), path, value)
        data = json.dumps(doc).encode() if path == ("checksum",) else resign(doc)
        label = ".".join(map(str, path))
        yield save_case(cls, f"{label}={value!r}"[:120], data, i, expect="any")
        i += 1
        if len(path) <= 3 and path != ("checksum",):
            doc = delete_path(copy.deepcopy(base), path)
            yield save_case(cls, f"del-{label}", resign(doc), i, expect="any")
            i += 1


@generator("saves-false-values")
def _saves_false(cls: str) -> Iterator[Case]:
    """A re-signed save whose stored values differ from what its orders give: --verify must
    say so (exit 1), never "ok" (issue 14, item 10)."""
    base = json.loads(saves()["midgame"])
    changes: list[tuple[str, Callable[[dict[str, Any]], None]]] = []
    for v in (99, -1, 1e308, float("nan"), float("inf"), -float("inf"), 0, "high"):
        changes.append((f"cohesion={v}",
                        lambda d, v=v: d["turns"][1]["values"].__setitem__("cohesion", v)))
        changes.append((f"last-turn-trade={v}",
                        lambda d, v=v: d["turns"][-1]["values"].__setitem__("trade", v)))
    changes.append(("score", lambda d: d["turns"][0]["scores"].__setitem__("tokyo", 99)))
    changes.append(("flag", lambda d: d["turns"][0]["values"].__setitem__("gsomia", False)))
    changes.append(("extra-value", lambda d: d["turns"][0]["values"].__setitem__("zzz", 1)))
    changes.append(("missing-value", lambda d: d["turns"][0]["values"].pop("trade")))
    changes.append(("snapshot", lambda d: d["snapshots"][0]["state"]["values"].__setitem__(
        "cohesion", 12.5)))
    changes.append(("turn-label", lambda d: d["turns"][0].__setitem__("label", "1999 Q9")))
    changes.append(("over", lambda d: d.__setitem__("over", True)))
    changes.append(("turn", lambda d: d.__setitem__("turn", 1)))
    changes.append(("turns-total", lambda d: d.__setitem__("turns_total", 2000)))
    for k, (name, change) in enumerate(changes):
        doc = copy.deepcopy(base)
        change(doc)
        data = json.dumps(doc, ensure_ascii=False, allow_nan=True).encode()
        from wargame.storage.save_format import sign_bytes

        data = sign_bytes(data)
        yield Case(cls, f"{name}[verify]", ["replay", "g.json", "--verify"], {"g.json": data},
                   names="g.json")
        if k % 2 == 0:
            yield Case(cls, f"{name}[report-json]", ["report", "g.json", "--format", "json"],
                       {"g.json": data}, names="g.json", terminal=False)


@generator("saves-structure")
def _saves_structure(cls: str) -> Iterator[Case]:
    data = saves()["midgame"]
    base = json.loads(data)
    blobs: dict[str, bytes] = {
        "brackets-100k": b"[" * 100_000,
        "braces-50k": b'{"a":' * 50_000,
        "deep-valid-1000": b"[" * 1000 + b"]" * 1000,
        "long-number": b'{"format": "wargame-save", "version": ' + b"9" * 5_000 + b"}",
        "long-float": b'{"format": "wargame-save", "version": 1.' + b"9" * 5_000 + b"}",
        "exp-number": b'{"format": "wargame-save", "version": 1e999}',
        "nan-literal": b'{"format": "wargame-save", "version": NaN}',
        "empty": b"",
        "spaces": b"   \n",
        "null": b"null",
        "list": b"[]",
        "string": b'"wargame-save"',
        "not-json": b"not json {",
        "utf16": json.dumps({"format": "wargame-save"}).encode("utf-16"),
        "utf8-bom": b"\xef\xbb\xbf" + data,
        "invalid-utf8": data[:100] + b"\xff\xfe" + data[100:],
        "nul": data[:100] + b"\x00" + data[100:],
        "trailing-garbage": data + b"garbage",
        "two-documents": data + data,
        "big-array": b'{"format": "wargame-save", "version": 2, "turns": [' + b"{}," * 500_000
        + b"{}]}",
        "huge-string": b'{"format": "wargame-save", "title": "' + b"x" * 20_000_000 + b'"}',
        "many-keys": b"{" + b",".join(b'"k%d": 1' % k for k in range(300_000)) + b"}",
        "duplicate-keys": data.replace(b'"seed": 5', b'"seed": 5, "seed": 6'),
        "lone-surrogate-escape": data.replace(b'"title": "The Convenor"',
                                              b'"title": "\\ud800"'),
        "future-version": data.replace(b'"version": 2', b'"version": 99'),
        "version-zero": data.replace(b'"version": 2', b'"version": 0'),
        "other-format": data.replace(b'"wargame-save"', b'"other-save"'),
        "no-checksum": data.replace(b'"checksum"', b'"checksum_"'),
        "bad-checksum": data.replace(b'"checksum": "sha256:', b'"checksum": "sha256:0'),
    }
    # surrogates and markup in the embedded scenario's name and id (item 6)
    for field_, value in (("scenario", "\ud800"), ("title", "\udfff"), ("game_id", "\ud800x"),
                          ("scenario", "[bold]x[/]"), ("title", "[/]"), ("program_version",
                                                                         "\x1b[2J")):
        doc = copy.deepcopy(base)
        doc[field_] = value
        blobs[f"{field_}-{value!r}"] = resign(doc)
    doc = copy.deepcopy(base)
    doc["content"]["scenario"]["text"] = doc["content"]["scenario"]["text"].replace(
        "title: The Convenor", 'title: "\\ud800 \\x1b]0;pwned\\x07"')
    blobs["embedded-title-surrogate"] = rehash_content(doc)
    doc = copy.deepcopy(base)
    doc["content"]["scenario"]["text"] = doc["content"]["scenario"]["text"].replace(
        "id: convenor", 'id: "\\ud800"')
    blobs["embedded-id-surrogate"] = rehash_content(doc)
    doc = copy.deepcopy(base)
    doc["content"]["scenario"]["text"] = "[" * 100_000
    blobs["embedded-scenario-brackets"] = rehash_content(doc)
    doc = copy.deepcopy(base)
    doc["content"]["scenario"]["text"] = "x: [" + "1," * 1_000_000 + "1]"
    blobs["embedded-scenario-flat-list"] = rehash_content(doc)
    doc = copy.deepcopy(base)
    laughs = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"] + [
        f"a{k}: &a{k} [" + ", ".join([f"*a{k - 1}"] * 10) + "]" for k in range(1, 12)]
    doc["content"]["scenario"]["text"] = "\n".join(laughs)
    blobs["embedded-scenario-laughs"] = rehash_content(doc)
    i = 0
    for name, blob in blobs.items():
        for _ in range(3):
            yield save_case(cls, name, blob, i, expect="any")
            i += 1
        yield folder_case(cls, name, blob)
        yield folder_case(cls, f"{name}-plain-name", blob, file="game.json")


def rehash_content(doc: dict[str, Any]) -> bytes:
    """Recompute the embedded content's hash (as a careful forger would) and re-sign."""
    from wargame.storage.content_loader import ContentSource, SourceFile

    texts = doc["content"]
    source = ContentSource(
        SourceFile(texts["scenario"]["name"], texts["scenario"]["text"]),
        tuple(SourceFile(r["name"], r["text"]) for r in texts["rules"]),
    )
    texts["sha256"] = source.digest()
    return resign(doc)


@generator("saves-local-files")
def _saves_local(cls: str) -> Iterator[Case]:
    """A save never makes the program read a local file it names (issue 14, item 12)."""
    base = json.loads(saves()["midgame"])
    targets = ["/etc/passwd", "/etc/hostname", "/dev/zero", "/dev/urandom", "/proc/self/environ",
               "../../../../etc/passwd", "secret.yaml", "fifo.yaml", "/nonexistent/x.yaml",
               "x" * 5000, "", ".", "/", "/dev/stdin", "~/.ssh/id_rsa", "\x00"]
    for k, target in enumerate(targets):
        for origin in ({"path": target}, {"bundled": target}, {"path": target, "bundled": "x"}):
            doc = copy.deepcopy(base)
            doc["content"]["origin"] = origin
            files: dict[str, Any] = {"g.json": resign(doc),
                                     "secret.yaml": b"id: TOPSECRET-42\n", "fifo.yaml": FIFO}
            for argv in (["replay", "g.json", "--with-current-rules"],
                         ["replay", "g.json", "--verify"], ["report", "g.json"]):
                label = " ".join(argv[2:]) or "report"
                yield Case(cls, f"{k}-{next(iter(origin))}{len(origin)}[{label}]", argv, files,
                           expect="any", names="g.json", secret="TOPSECRET-42")
        doc = copy.deepcopy(base)
        doc["content"]["scenario"]["name"] = target
        yield Case(cls, f"{k}-scenario-name[current]", ["replay", "g.json", "--with-current-rules"],
                   {"g.json": resign(doc), "secret.yaml": b"id: TOPSECRET-42\n"}, expect="any",
                   names="g.json", secret="TOPSECRET-42")


# ---------------------------------------------------------------------------- orders files


@generator("orders-files")
def _orders(cls: str) -> Iterator[Case]:
    rng = random.Random(18)
    good = (b"turns:\n  - washington: [convene_trilateral]\n"
            b"    tokyo: [attend_trilateral, bilateral_talks]\n"
            b"  - washington: [{action: side_with, target: tokyo}]\n")
    bodies: dict[str, tuple[bytes, str]] = {
        "good": (good, "ok"),
        "empty": (b"", "any"),
        "null": (b"null", "any"),
        "a-list": (b"- washington: [convene_trilateral]\n", "any"),
        "turns-null": (b"turns: ~\n", "any"),
        "turns-map": (b"turns: {a: 1}\n", "fail"),
        "turn-list": (b"turns:\n  - [1, 2]\n", "fail"),
        "unknown-role": (b"turns:\n  - moscow: [convene_trilateral]\n", "fail"),
        "unknown-action": (b"turns:\n  - washington: [nuke]\n", "fail"),
        "action-of-another": (b"turns:\n  - washington: [attend_trilateral]\n", "any"),
        "bad-target": (b"turns:\n  - washington: [{action: side_with, target: moscow}]\n", "fail"),
        "target-list": (b"turns:\n  - washington: [{action: side_with, target: [a]}]\n", "fail"),
        "action-number": (b"turns:\n  - washington: [42]\n", "fail"),
        "action-huge": (b"turns:\n  - washington: [" + HUGE_INT.encode() + b"]\n", "fail"),
        "extra-key": (b"turns:\n  - washington: [{action: convene_trilateral, x: 1}]\n", "fail"),
        "2000-turns": (b"turns:\n" + b"  - washington: [convene_trilateral]\n" * 2000, "any"),
        "1000-orders-a-turn": (b"turns:\n  - washington: [" + b"convene_trilateral, " * 1000
                               + b"convene_trilateral]\n", "any"),
        "laughs": (b"a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
                   b"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
                   b"e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
                   b"turns: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n", "fail"),
        "deep": (b"turns: " + b"[" * 100_000 + b"\n", "fail"),
        "flat-2m": (b"turns: [" + b"{}," * 2_000_000 + b"{}]\n", "fail"),
        "python-tag": (b"turns: !!python/object/apply:os.system ['touch PWNED']\n", "fail"),
        "invalid-utf8": (b"turns: \xff\n", "fail"),
        "binary": (bytes(rng.randrange(256) for _ in range(5000)), "fail"),
        "surrogate": (b'turns:\n  - washington: ["\\ud800"]\n', "fail"),
        "escape-action": (b'turns:\n  - washington: ["\\x1b]0;pwned\\x07"]\n', "fail"),
    }
    for name, (body, expect) in bodies.items():
        yield Case(cls, f"{name}[file]", ["run", "convenor", "--orders", "o.yaml"],
                   {"o.yaml": body}, expect=expect, names="o.yaml")
        yield Case(cls, f"{name}[stdin]", ["run", "convenor", "--orders", "-"], stdin=body,
                   expect=expect, names="<stdin>")
    for label, flipped in bitflips(good, 30, rng):
        yield Case(cls, label, ["run", "convenor", "--orders", "o.yaml"],
                   {"o.yaml": flipped}, expect="any", names="o.yaml")
    for label, cut in truncations(good, 20, rng):
        yield Case(cls, label, ["run", "convenor", "--orders", "o.yaml"],
                   {"o.yaml": cut}, expect="any", names="o.yaml")


# ---------------------------------------------------------------------------- paths

LONG_NAME = "n" * 300 + ".yaml"  # over NAME_MAX (255)
LONG_PATH = "/".join(["d" * 200] * 30) + "/s.yaml"  # over PATH_MAX (4096)


@generator("paths")
def _paths(cls: str) -> Iterator[Case]:
    """Paths that are not plain readable files (issue 14, items 4 and 13)."""
    specials: dict[str, tuple[dict[str, Any], str]] = {
        "missing": ({}, "nothing.yaml"),
        "a-folder": ({"d.yaml": DIR}, "d.yaml"),
        "empty-string": ({}, ""),
        "long-name": ({}, LONG_NAME),
        "long-path": ({}, LONG_PATH),
        "long-dots": ({}, "/".join([".."] * 3000)),
        "dev-null": ({}, "/dev/null"),
        "dev-zero": ({}, "/dev/zero"),
        "dev-urandom": ({}, "/dev/urandom"),
        "dev-full": ({}, "/dev/full"),
        "proc-file": ({}, "/proc/self/status"),
        "fifo": ({"f.yaml": FIFO}, "f.yaml"),
        "symlink-to-zero": ({"z.yaml": symlink("/dev/zero")}, "z.yaml"),
        "symlink-to-urandom": ({"z.yaml": symlink("/dev/urandom")}, "z.yaml"),
        "symlink-to-fifo": ({"f": FIFO, "z.yaml": symlink("f")}, "z.yaml"),
        "symlink-loop": ({"a.yaml": symlink("b.yaml"), "b.yaml": symlink("a.yaml")}, "a.yaml"),
        "dangling-symlink": ({"a.yaml": symlink("gone.yaml")}, "a.yaml"),
        "symlink-to-folder": ({"d": DIR, "a.yaml": symlink("d")}, "a.yaml"),
        "trailing-slash": ({"s.yaml": small().encode()}, "s.yaml/"),
        "newline-in-name": ({"a\nb.yaml": b"id: x\n"}, "a\nb.yaml"),
        "escape-in-name": ({"a\x1b[2Jb.yaml": b"id: x\n"}, "a\x1b[2Jb.yaml"),
        "markup-in-name": ({"[bold]x[-.yaml": b"id: x\n"}, "[bold]x[-.yaml"),
        "dash-name": ({"-x.yaml": b"id: x\n"}, "./-x.yaml"),
        "space-name": ({" .yaml": b"id: x\n"}, " .yaml"),
        "unicode-name": ({"é\u0301\u202e.yaml": b"id: x\n"}, "é\u0301\u202e.yaml"),
        "surrogate-name": ({}, "\udcff.yaml"),  # undecodable bytes in argv arrive like this
        "dot": ({}, "."),
        "root": ({}, "/"),
        "proc": ({}, "/proc/self/fd/0"),
    }
    commands = (
        (["validate", "{p}"], "content"),
        (["lint", "{p}"], "content"),
        (["run", "{p}", "--turns", "1"], "content"),
        (["run", "convenor", "--orders", "{p}"], "orders"),
        (["replay", "{p}", "--verify"], "save"),
        (["report", "{p}"], "save"),
        (["replay", "{p}", "--with-current-rules"], "save"),
        (["simulate", "{p}", "--runs", "1"], "content"),
        (["replay", "{p}"], "save"),
    )
    for name, (files, p) in specials.items():
        for argv, _what in commands:
            shown = p.split("/")[-1] if p and len(p) < 200 and p.isprintable() else None
            if name in ("dot", "root", "trailing-slash") or shown in ("", ".."):
                shown = None
            expect = "fail"
            if name == "dot" and argv[0] in ("validate", "lint"):
                expect = "any"  # an empty folder: the issue asks for a message, see below
            yield Case(cls, f"{name}[{' '.join(a for a in argv if a != '{p}')}]",
                       [a.format(p=p) if a == "{p}" else a for a in argv], dict(files),
                       expect=expect, names=shown)
    # a folder holding devices, FIFOs, loops: validate DIR and ./scenarios for `list`
    bad_entries = {
        "z.yaml": symlink("/dev/zero"), "u.yaml": symlink("/dev/urandom"), "f.yaml": FIFO,
        "loop.yaml": symlink("loop.yaml"), "gone.yaml": symlink("nowhere"), "d.yaml": DIR,
        LONG_NAME[:250] + ".yaml": b"id: x\n",
    }
    for entry, what in bad_entries.items():
        for argv in (["validate", "c"], ["lint", "c"], ["list"], ["validate", "c", "c"]):
            folder = "scenarios" if argv == ["list"] else "c"
            files = {f"{folder}/{entry}": what, f"{folder}/s.yaml": small().encode(),
                     f"{folder}/no_cohesion_rules.yaml": small_rules().encode()}
            yield Case(cls, f"folder-{entry[:20]}[{' '.join(argv)}]", argv, files,
                       expect="any")
    yield Case(cls, "empty-folder[validate]", ["validate", "e"], {"e": DIR}, names="e")
    yield Case(cls, "no-yaml-in-folder[validate]", ["validate", "e"],
               {"e/readme.txt": b"hello"}, names="e")
    # saves folder: a FIFO, a device link, a folder named *.json, a loop
    for entry, what in {"fifo.json": FIFO, "zero.json": symlink("/dev/zero"),
                        "urandom.json": symlink("/dev/urandom"), "dir.json": DIR,
                        "loop.json": symlink("loop.json"), "gone.json": symlink("nowhere"),
                        "autosave-fifo.json": FIFO,
                        "autosave-zero.json": symlink("/dev/zero")}.items():
        yield Case(cls, f"save-folder-{entry}", [], {f"saves/{entry}": what}, expect="any",
                   kind="saves")
    # --save and --out to places that cannot be written. Never a path outside the case's
    # folder (the suite may run as root, and a save renamed over /dev/full would replace
    # the device): devices only behind a symlink in the folder, which a rename replaces.
    for target in ("", "file/x.json", "d", "d/", LONG_NAME, LONG_PATH, "/proc/self/status",
                   "f", ".", "null", "zero"):
        files = {"d": DIR, "f": FIFO, "file": b"a file, not a folder",
                 "null": symlink("/dev/null"), "zero": symlink("/dev/zero"),
                 "null.jsonl": symlink("/dev/null"), "zero.jsonl": symlink("/dev/zero")}
        yield Case(cls, f"run-save-{target[:20]!r}", ["run", "convenor", "--turns", "1",
                   "--save", target], files, expect="fail")
        out = target + ".jsonl" if target.endswith(("null", "zero", "x.json", "s.yaml", "n",
                                                    "status")) else target
        # Streaming rows to a device (/dev/null) is ordinary Unix: allowed, like `> /dev/null`.
        yield Case(cls, f"simulate-out-{target[:20]!r}",
                   ["simulate", "convenor", "--runs", "1", "--out", out], files,
                   expect="ok" if target in ("null", "zero") else "fail")


# ---------------------------------------------------------------------------- CLI arguments


@generator("cli-args")
def _cli(cls: str) -> Iterator[Case]:
    """Bad command lines: one stderr line and exit 2 (or 1), never a traceback."""
    bad: list[tuple[list[str], str]] = [
        (["nosuchcommand"], "fail"), (["--nosuchflag"], "fail"), (["run"], "fail"),
        (["run", "nosuch"], "fail"), (["run", "convenor", "--turns", "-1"], "fail"),
        (["run", "convenor", "--turns", "0"], "fail"),
        (["run", "convenor", "--turns", "x"], "fail"),
        (["run", "convenor", "--turns", HUGE_INT], "any"),
        (["run", "convenor", "--turns", HUGER_INT], "fail"),
        (["run", "convenor", "--turns", "1e3"], "fail"),
        (["run", "convenor", "--seed", "x"], "fail"),
        (["run", "convenor", "--seed", "-1", "--turns", "1"], "any"),
        (["run", "convenor", "--seed", HUGE_INT, "--turns", "1"], "any"),
        (["run", "convenor", "--seed", HUGER_INT, "--turns", "1"], "fail"),
        (["run", "convenor", "--bot", "x"], "fail"), (["run", "convenor", "--bot", "=x"], "fail"),
        (["run", "convenor", "--bot", "tokyo="], "fail"),
        (["run", "convenor", "--bot", "tokyo=nosuch"], "fail"),
        (["run", "convenor", "--bot", "moscow=random"], "fail"),
        (["run", "convenor", "--bot", "tokyo=random", "--bot", "tokyo=pass", "--turns", "1"],
         "any"),
        (["run", "convenor", "--save", ""], "fail"),
        (["run", "convenor", "--orders", ""], "fail"),
        (["run", "convenor", "--agent", ""], "fail"),
        (["run", "convenor", "--agent", "tokyo="], "fail"),
        (["run", "convenor", "--agent", "moscow=python x"], "fail"),
        (["run", "convenor", "--agent", "tokyo=/nonexistent/program", "--turns", "1"], "any"),
        (["run", "convenor", "--agent", "tokyo='unterminated", "--turns", "1"], "any"),
        (["run", ""], "fail"), (["run", "\x1b[2J"], "fail"), (["run", "x" * 100_000], "fail"),
        (["run", "\udcff"], "fail"),
        (["validate"], "fail"), (["lint"], "fail"), (["replay"], "fail"), (["report"], "fail"),
        (["report", "g.json", "--format", "xml"], "fail"),
        (["report", "g.json", "--format", ""], "fail"),
        (["schema", "nosuch"], "fail"), (["schema", "scenario", "extra"], "fail"),
        (["schema", "save"], "ok"), (["schema", "rules"], "ok"), (["schema"], "ok"),
        (["list", "--json"], "ok"), (["list", "extra"], "fail"),
        (["replay", "g.json", "--as", "nobody"], "fail"),
        (["replay", "g.json", "--verify", "--as", "nobody"], "fail"),
        (["replay", "g.json", "--as", ""], "fail"),
        (["replay", "g.json", "--as", "\x1b[2J"], "fail"),
        (["replay", "g.json"], "fail"),  # no terminal: a message, exit 2
        (["play"], "fail"), (["play", "convenor"], "fail"), (["play", "nosuch"], "fail"),
        (["play", "convenor", "--as", "moscow"], "fail"),
        (["play", "--save-dir", "file"], "fail"),
        (["simulate", "convenor"], "fail"), (["simulate", "convenor", "--runs", "0"], "fail"),
        (["simulate", "convenor", "--runs", "-5"], "fail"),
        (["simulate", "convenor", "--runs", "x"], "fail"),
        (["simulate", "convenor", "--runs", HUGER_INT], "fail"),
        (["simulate", "convenor", "--runs", "1", "--jobs", "0"], "fail"),
        (["simulate", "convenor", "--runs", "1", "--jobs", "-1"], "fail"),
        (["simulate", "convenor", "--runs", "1", "--jobs", "x"], "fail"),
        (["simulate", "convenor", "--runs", "1", "--jobs", ""], "fail"),
        (["simulate", "convenor", "--runs", "1", "--jobs", HUGE_INT], "any"),
        (["simulate", "convenor", "--runs", "1", "--set", "x"], "fail"),
        (["simulate", "convenor", "--runs", "1", "--set", "nosuch=1"], "fail"),
        (["simulate", "convenor", "--runs", "1", "--set", "nk_threat=x"], "fail"),
        (["simulate", "convenor", "--runs", "1", "--set", f"nk_threat={HUGE_INT}"], "fail"),
        (["simulate", "convenor", "--runs", "1", "--set", "nk_threat=1e309"], "fail"),
        (["simulate", "convenor", "--runs", "1", "--set", "nk_threat=nan"], "fail"),
        (["simulate", "convenor", "--runs", "1", "--set", "nk_threat=inf"], "fail"),
        (["simulate", "convenor", "--runs", "1", "--sweep", "nk_threat="], "fail"),
        (["simulate", "convenor", "--runs", "1", "--sweep", "nk_threat=1,,2"], "fail"),
        (["simulate", "convenor", "--runs", "1", "--sweep", "x=1,2"], "fail"),
        (["simulate", "convenor", "--runs", "1", "--sweep", "nk_threat=" + ",".join(
            str(k) for k in range(5000))], "any"),
        (["simulate", "convenor", "--runs", "1", "--out", "x.txt"], "fail"),
        (["simulate", "convenor", "--runs", "1", "--out", ""], "any"),
        (["simulate", "convenor", "--runs", "1", "--bot", "tokyo=nosuch"], "fail"),
        (["simulate", "convenor", "--runs", "1", "--dask", "tcp://127.0.0.1:1"], "fail"),
        (["simulate", "convenor", "--runs", "1", "--dask", "not an address"], "fail"),
        (["simulate", "nosuch", "--runs", "1"], "fail"),
        (["simulate", "s.yaml", "--runs", "2"], "ok"),  # no `cohesion` in it (item 9)
        (["simulate", "s.yaml", "--runs", "2", "--per-turn", "--out", "r.jsonl"], "ok"),
        (["new"], "fail"), (["new", "nosuch"], "fail"),
        (["completion"], "fail"), (["completion", "nosuch"], "fail"),
        (["--version"], "ok"), (["-h"], "ok"), (["run", "--help"], "ok"),
        (["simulate", "--help"], "ok"), (["replay", "--help"], "ok"), (["play", "--help"], "ok"),
        (["report", "--help"], "ok"), (["validate", "--help"], "ok"),
    ]
    duel = ["tournament", "convenor", "--seeds", "1", "--entrant", "random", "--entrant", "pass"]
    bad += [
        ([*duel, "--out", "."], "fail"),
        ([*duel, "--out", "nope/games.jsonl"], "fail"),
        ([*duel, "--out", "g.json/x"], "fail"),
        ([*duel, "--out", "/dev/null"], "ok"),
    ]
    for t in TERMINAL_TEXTS:
        bad.append((["run", "convenor", "--bot", f"tokyo={t}"], "fail"))
        bad.append((["run", "convenor", "--bot", f"{t}=random"], "fail"))
        bad.append((["schema", t], "fail"))
        bad.append(([t], "fail"))
    for k, (argv, expect) in enumerate(bad):
        files = {"g.json": saves()["midgame"], **small_files()}
        yield Case(cls, f"{k}-{' '.join(argv)[:60]!r}", argv, files, expect=expect)


# ---------------------------------------------------------------------------- all of them


def all_cases() -> list[Case]:
    return [case for gen in GENERATORS.values() for case in gen()]


def by_class() -> dict[str, list[Case]]:
    out: dict[str, list[Case]] = {}
    for case in all_cases():
        out.setdefault(case.cls, []).append(case)
    return out


if __name__ == "__main__":
    for cls_, cs in by_class().items():
        print(f"{cls_:24} {len(cs):5}")
    print(f"{'total':24} {len(all_cases()):5}")
    _ = string  # keep the import for generators that build names
