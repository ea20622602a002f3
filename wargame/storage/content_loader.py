"""Scenario and rule YAML → frozen Content, with every problem reported as FILE:LINE:COL.

Reading (files on disk → ContentSource) is kept apart from compiling (texts → Content) so a
saved game can rebuild the exact content it was played with from the texts it embeds.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TypeVar

import attrs

from wargame.engine.content import (
    BUILT_IN_NAMES,
    Action,
    Actor,
    Content,
    Effect,
    Event,
    Modifier,
    Objective,
    Outcome,
    Requirement,
    Role,
    Rule,
    SourceRef,
    Variable,
)
from wargame.engine.expr import MAX_SOURCE_CHARS, Expr, ExprError, compile_expr
from wargame.formats import collector
from wargame.formats.content import (
    DATE,
    ActionSpec,
    EffectSpec,
    FlagSpec,
    ObjectiveSpec,
    RuleFile,
    Scenario,
    VariableSpec,
)
from wargame.formats.files import YAML_LIMIT, MiB, TextFile
from wargame.formats.reader import Names, hint, read_document
from wargame.formats.yamlsrc import Document, Problem, YamlError, in_order, load_yaml, read_source
from wargame.paths import content_dir

PathKey = tuple[str | int, ...]


MAX_SHOWN = 50
"""Problems shown at most; past that, one more line says how many were left out."""


class ContentError(Exception):
    """Content that cannot be played: `every` problem found, in file order, and the `problems`
    to show (the first MAX_SHOWN, then a line counting the rest)."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.every = in_order(problems)
        self.problems = shown(self.every)
        super().__init__("\n".join(str(p) for p in self.problems))


def shown(problems: list[Problem]) -> list[Problem]:
    """The first MAX_SHOWN of `problems`, then one at the next saying how many more there are."""
    if len(problems) <= MAX_SHOWN:
        return problems
    rest = problems[MAX_SHOWN]
    more = f"and {len(problems) - MAX_SHOWN} more problems from here on; fix the ones above first"
    return [*problems[:MAX_SHOWN], attrs.evolve(rest, message=more)]


SourceFile = TextFile  # one file's name and exact text: declared once, with the save's texts


@attrs.frozen
class ContentSource:
    """The exact texts a game's content is compiled from; its hash names the content."""

    scenario: SourceFile
    rules: tuple[SourceFile, ...]

    def digest(self) -> str:
        h = hashlib.sha256()
        for f in (self.scenario, *self.rules):
            h.update(f.name.rsplit("/", 1)[-1].encode() + b"\0" + f.text.encode() + b"\0")
        return h.hexdigest()


# ---------------------------------------------------------------------------- reading


def _read(path: Path) -> SourceFile:
    try:
        return SourceFile(str(path), read_source(path))
    except YamlError as err:
        raise ContentError(err.problems) from None


def read_content(scenario_path: str | Path) -> ContentSource:
    """Read a scenario and the rule files it names; missing files are ContentErrors. A rule
    file `name` is looked for in the scenario's ../rules, beside it, then among the bundled
    rules; `name.yaml` only beside it."""
    path = Path(scenario_path)
    scenario = _read(path)
    doc = parse(scenario)
    if isinstance(doc, YamlError):
        raise ContentError(doc.problems)
    problems: list[Problem] = []
    rules: list[SourceFile] = []
    names = doc.data.get("rules") if isinstance(doc.data, dict) else None
    for i, name in enumerate(names if isinstance(names, list) else []):
        if not isinstance(name, str):
            continue
        here = path.parent
        candidates = [here / name] if name.endswith((".yaml", ".yml")) else [
            here.parent / "rules" / f"{name}.yaml", here / f"{name}.yaml",
            content_dir("rules") / f"{name}.yaml"]
        found = next((c for c in candidates if os.path.exists(c)), None)  # exists never raises
        if found is not None:
            rules.append(_read(found))  # the reader refuses non-files
        else:
            looked = ", ".join(str(c) for c in candidates)
            problems.append(doc.problem(("rules", i), f"no rule file named {name!r} "
                                                      f"(looked for {looked})"))
    if problems:
        raise ContentError(problems)
    return ContentSource(scenario, tuple(rules))


@functools.lru_cache(maxsize=4)
def parse(source: SourceFile) -> Document | YamlError:
    """The file's YAML, parsed once though validate, read_content and the compiler all read it
    (parsing is most of the time a big file takes)."""
    if len(source.text) > YAML_LIMIT:  # a text embedded in a save, not read from a file
        too_big = f"is over {YAML_LIMIT // MiB} MiB, the limit for a YAML file"
        return YamlError([Problem(source.name, 1, 1, too_big)])
    try:
        return load_yaml(source.text, source.name)
    except YamlError as err:
        return err


def load_content(scenario_path: str | Path) -> Content:
    return compile_content(read_content(scenario_path))


# ---------------------------------------------------------------------------- compiling

_PLACEHOLDER = re.compile(r"\$(actor|target)((?:\.[a-z_][a-z0-9_]*)*)|\$([A-Za-z_]\w*)")
_TEXT_NAME = re.compile(r"\{([^{}]*)\}")
_DATE = re.compile(DATE)
_TOKEN = re.compile(r"\$?[A-Za-z_][\w.$]*")
_WORD = re.compile(r"(?<![\w.$])[A-Za-z_]\w*(?![\w.])")  # a name that may be a formula's


MAX_INLINED = 20 * MAX_SOURCE_CHARS
"""How long an expression may grow while formulas are put in; far past what compiles."""


def turn_of(start: tuple[int, int], text: str) -> int | None:
    """The turn `2023-Q3` or `2023-08` falls on, in quarterly turns from `start` (year,
    quarter); it may be outside the game. None if `text` is no such date."""
    m = _DATE.fullmatch(text)
    if not m:
        return None
    quarter = int(m.group(2)) if m.group(2) else (int(m.group(3)) - 1) // 3 + 1
    return (int(m.group(1)) - start[0]) * 4 + (quarter - start[1]) + 1


class _File:
    """A file being compiled: its text, and where each of its values was written."""

    def __init__(self, source: SourceFile, doc: Document) -> None:
        self.source, self.doc, self.name = source, doc, source.name

    @functools.cached_property
    def lines(self) -> list[str]:
        return self.source.text.splitlines()

    def quoted(self, line: int, col: int) -> bool:
        """Whether the value at line:col is written in quotes."""
        return 0 < line <= len(self.lines) and self.lines[line - 1][col - 1 : col] in ("'", '"')


MAX_HINTS = MAX_SHOWN
"""Unknown names given a did-you-mean at most per compile (the others are not shown)."""


T = TypeVar("T")


class _Compiler:
    def __init__(self, source: ContentSource, params: Mapping[str, float] | None = None) -> None:
        self.source = source
        self.param_overrides = dict(params or {})
        self.problems: list[Problem] = []
        self.missing: dict[str, Problem] = {}
        # Expanded text -> compiled expression: the same amount recurs across roles, targets
        # and files, and compiling is most of the cost of loading.
        self.compiled: dict[str, Expr] = {}
        self.hints_left = MAX_HINTS
        self.marks: dict[str, str] = {}

    # -- problems and positions -------------------------------------------------------
    def at(
        self, file: _File, path: PathKey, message: str, *, at_key: bool = False, col_offset: int = 0
    ) -> None:
        positions = file.doc.positions
        line, col = positions.key(path) if at_key else positions.value(path)
        unknown = _UNKNOWN.search(message)
        if (
            unknown is not None
            and file.source is not self.source.scenario
            and unknown.group(1) not in self.marks
            and self._bundled(file.source)
        ):
            self.missing.setdefault(unknown.group(1), Problem(file.name, line, col, message))
            return
        if col_offset:
            col += col_offset + (1 if file.quoted(line, col) else 0)
        self.problems.append(Problem(file.name, line, col, message))

    def hint(self, word: str, pool: Iterable[str]) -> str:
        """`; did you mean ...?` for the first MAX_HINTS unknown names: each one looks through
        `pool` (pass a Names for the big pools, indexed once)."""
        if self.hints_left <= 0:
            return ""
        self.hints_left -= 1
        return hint(word, pool)

    def known_role(self, file: _File, path: PathKey, role: str, *, at_key: bool = False) -> bool:
        """Whether `role` is one of the scenario's; if not, says so (with a did-you-mean)."""
        if role in self.roles:
            return True
        self.at(file, path, f"unknown role {role!r}" + self.hint(role, self.roles), at_key=at_key)
        return False

    @functools.cached_property
    def known_names(self) -> Names:
        return Names(self.known)

    @functools.cached_property
    def assignable(self) -> Names:
        return Names([*self.variables, *self.marks])

    @functools.cached_property
    def numbers(self) -> Names:
        return Names(n for n, v in self.variables.items() if not v.is_flag)

    def ref(self, file: _File, path: PathKey) -> SourceRef:
        return SourceRef(file.name, *file.doc.positions.value(path))

    # -- the whole content --------------------------------------------------------------
    def run(self) -> Content:
        scenario = self._load(self.source.scenario, Scenario)
        loaded = [self._load(sf, RuleFile) for sf in self.source.rules]
        rdocs = [d for d in loaded if d is not None]
        if scenario is None or len(rdocs) < len(loaded):
            raise ContentError(self.problems)
        if not isinstance(scenario[0].doc.data, dict):
            raise ContentError(self.problems)
        # Built even when the shape is wrong somewhere (the wrong parts were replaced by
        # neutral values): names and expressions elsewhere may be wrong too, and the writer
        # gets every problem in one pass (_build raises if there is any).
        return self._build(*scenario, rdocs)

    def _build(self, file: _File, data: Scenario, rdocs: list[tuple[_File, RuleFile]]) -> Content:
        roles = tuple(Role(rid, r.name, r.text, dict(r.aliases)) for rid, r in data.roles.items())
        self.roles = {r.id: r for r in roles}
        actors = tuple(Actor(aid, a.name, a.text) for aid, a in data.actors.items())
        self.turns = data.turns
        self.start = self._start(file, data)
        self.variables = self._variables(file, data)
        for role in roles:
            for needed in ("capital", "approval"):
                if f"{role.id}.{needed}" not in self.variables:
                    self.at(file, ("roles", role.id),
                            f"role {role.id!r} needs a variable '{role.id}.{needed}'", at_key=True)

        self.formulas: dict[str, str] = {}  # name → its body (a param's: its value)
        for rfile, rdata in rdocs:
            for name, text in rdata.marks.items():
                if name in self.marks or name in self.variables:
                    why = "declared twice" if name in self.marks else "also a variable"
                    self.at(rfile, ("marks", name), f"mark {name!r} is {why}", at_key=True)
                self.marks[name] = text
            for name, body in rdata.formulas.items():
                if name in self.formulas:
                    self.at(rfile, ("formulas", name), f"formula {name!r} is defined twice",
                            at_key=True)
                self.formulas[name] = str(body)
        self._params(file, data, rdocs)

        # Which actions exist for which role: needed before any expression is compiled,
        # because `ordered.<role>.<action>` names are readable everywhere. An override
        # replaces the earlier action of its id where it stood (a dict keeps the place).
        self.action_specs: dict[str, tuple[_File, ActionSpec]] = {}
        first: dict[str, SourceRef] = {}
        for rfile, rdata in rdocs:
            for aid, spec in rdata.actions.items():
                if aid in first and not spec.override:
                    self.at(rfile, ("actions", aid), f"action {aid!r} is already defined at "
                            f"{first[aid]} (write override: true in this one to replace it)",
                            at_key=True)
                    continue
                if aid not in first:
                    if spec.override:
                        self.at(rfile, ("actions", aid, "override"), f"action {aid!r} overrides "
                                "nothing: no earlier rule file defines it" + self.hint(aid, first))
                    first[aid] = self.ref(rfile, ("actions", aid))
                self.action_specs[aid] = (rfile, spec)
        self.known: set[str] = {*self.variables, *self.marks, *BUILT_IN_NAMES}
        for aid, (rfile, spec) in self.action_specs.items():
            for i, who in enumerate(spec.who):
                if not self.known_role(rfile, ("actions", aid, "who", i), who):
                    continue
                self.known.add(f"ordered.{who}.{aid}")
                for target in spec.targets:
                    self.known.add(f"ordered.{who}.{aid}.{target}")
        # tagged.<role>.<tag> is readable for every role and every tag any action has, so
        # core rules can name a kind of action before a scenario adds one.
        tags = {t for _, spec in self.action_specs.values() for t in spec.tags}
        self.known.update(f"tagged.{role}.{t}" for role in self.roles for t in tags)

        actions = self._actions()
        rules = self._rules(rdocs)
        events = self._events(file, data)
        objectives = self._objectives(file, data)
        self._targets(file, data)
        self._report_missing(file)
        if self.problems:
            raise ContentError(self.problems)
        return Content(
            id=data.id,
            title=data.title,
            summary=data.summary.strip(),
            sources=tuple(data.sources),
            start_year=self.start[0],
            start_quarter=self.start[1],
            turns=self.turns,
            roles=roles,
            actors=actors,
            variables=self.variables,
            marks=self.marks,
            actions=actions,
            rules=rules,
            events=events,
            objectives=objectives,
            content_hash=self.source.digest()
            + "".join(f"+{name}={value!r}" for name, value in sorted(self.param_overrides.items())),
            rule_files=tuple(r.name for r in self.source.rules),
            texts=tuple((f.name, f.text) for f in (self.source.scenario, *self.source.rules)),
            params=self.params,
        )

    def _load(self, sf: SourceFile, kind: type[T], partial: bool = True) -> tuple[_File, T] | None:
        """The file's spec, or None if it has none; problems so far are in self.problems.
        `partial`: what parsed before a YAML error is checked as well."""
        doc = parse(sf)
        if isinstance(doc, YamlError):
            self.problems.extend(doc.problems)
            if doc.partial is None or not partial:
                return None
            doc = doc.partial
        if doc.data is None:
            self.problems.append(Problem(sf.name, 1, 1, "the file is empty"))
            return None
        spec, problems = read_document(doc, kind)
        self.problems.extend(problems)
        return _File(sf, doc), spec

    def _start(self, file: _File, data: Scenario) -> tuple[int, int]:
        quarters = turn_of((0, 1), data.start)  # quarters since the year 0 began, plus 1
        if quarters is None:
            given = file.doc.data
            written = given.get("start") if isinstance(given, dict) else None
            self.at(file, ("start",), "start must be a year and quarter (2021-Q1) or a year "
                    f"and month (2018-10), found {written!r}")
            return 2000, 1
        year, quarter = divmod(quarters - 1, 4)
        return year, quarter + 1

    def date_turn(self, file: _File, path: PathKey, text: str, what: str) -> int | None:
        """The turn of a `date:`, or None after reporting a date outside the game."""
        turn = turn_of(self.start, text)
        if turn is None:
            return None  # the reader reported the malformed date
        if not 1 <= turn <= self.turns:
            year, quarter = self.start
            first = f"{year}-Q{quarter}"
            last_q = quarter - 1 + self.turns - 1
            last = f"{year + last_q // 4}-Q{last_q % 4 + 1}"
            self.at(file, path, f"{what} date {text} is outside the game ({first} to {last}, "
                    f"{self.turns} turns)")
            return None
        return turn

    def turn(self, file: _File, path: PathKey, turn: int) -> int | None:
        """`turn`, or None after reporting it is past the game's end (the reader refuses < 1)."""
        if turn > self.turns:
            self.at(file, path, f"turn {turn} is outside the game's 1–{self.turns}")
            return None
        return turn

    def _variables(self, file: _File, data: Scenario) -> dict[str, Variable]:
        out: dict[str, Variable] = {}
        for name, given in data.variables.items():
            spec = given if isinstance(given, VariableSpec) else VariableSpec(start=given)
            lo, hi, start = spec.min, spec.max, spec.start
            if lo > hi:
                self.at(file, ("variables", name, "min"), f"min {lo:g} is above max {hi:g}")
            elif not lo <= start <= hi:
                self.at(file, ("variables", name, "start"),
                        f"start {start:g} is outside {name}'s range {lo:g}–{hi:g}")
            out[name] = Variable(name, start, lo, hi, spec.text)
        for name, flag in data.flags.items():
            fspec = flag if isinstance(flag, FlagSpec) else FlagSpec(start=flag)
            if name in out:
                self.at(file, ("flags", name), f"{name!r} is both a variable and a flag",
                        at_key=True)
            out[name] = Variable(name, fspec.start, 0.0, 1.0, fspec.text, is_flag=True)
        return out

    # -- names, placeholders, formulas -----------------------------------------------------
    def expand(self, text: str, subs: Mapping[str, str], pretty: bool = False) -> tuple[str, str]:
        """Replace placeholders; returns (text, error). `pretty` gives role names for prose.

        `$target.rival.us_leg` walks aliases: the target's rival, then that role's US leg.
        Segments that are not aliases stay as written (`$actor.approval`)."""
        error = ""

        def repl(m: re.Match[str]) -> str:
            nonlocal error
            if m.group(3):
                error = f"unknown placeholder ${m.group(3)} (only $actor and $target exist)"
                return m.group(0)
            word = m.group(1)
            if word not in subs:
                no_targets = " (this action has no targets)" if word == "target" else ""
                error = f"${word} is not available here{no_targets}"
                return m.group(0)
            value = subs[word]
            rest = [seg for seg in m.group(2).split(".") if seg]
            while rest and value in self.roles and rest[0] in self.roles[value].aliases:
                value = self.roles[value].aliases[rest.pop(0)]
            if pretty and value in self.roles and not rest:
                return self.roles[value].name
            return ".".join([value, *rest])

        return _PLACEHOLDER.sub(repl, text), error

    def inline_formulas(self, text: str) -> str:
        """`text` with formula names replaced by their bodies, in parentheses.

        ExprError if that would pass MAX_INLINED characters: formulas that use each
        other several times grow exponentially (a file where `actions:` was deleted made
        every action a formula, and compiling never ended). Each pass looks up every word of
        the text once, so the cost does not grow with the number of formulas."""
        original = text
        for _ in range(8):  # formulas may use formulas; a cycle stops at this depth
            size, changed = len(text), False

            def body(m: re.Match[str]) -> str:
                nonlocal size, changed
                found = self.formulas.get(m.group(0))
                if found is None:
                    return m.group(0)
                size += len(found) + 2 - len(m.group(0))
                if size > MAX_INLINED:
                    raise ExprError(f"in expression {original!r}: its formulas make it "
                                    f"longer than {MAX_INLINED} characters")
                changed = True
                return f"({found})"

            text = _WORD.sub(body, text)
            if not changed:
                break
        return text

    def expr(
        self, file: _File, path: PathKey, text: str | float, subs: Mapping[str, str]
    ) -> Expr | None:
        """`text` compiled (an Expression of the specs: text, a number or true/false), or None
        after reporting what is wrong with it."""
        if not isinstance(text, str):
            try:
                return compile_expr(text, self.known.__contains__)
            except ExprError as err:
                self.at(file, path, f"{text!r}: {err.message}")
                return None
        try:
            expanded, error = self.expand(self.inline_formulas(text), subs)
        except ExprError as too_long:
            expanded, error = "", too_long.message
        failed = ExprError("")
        if not error:
            hit = self.compiled.get(expanded)
            if hit is not None:
                return hit
            try:
                compiled = compile_expr(expanded, self.known.__contains__)
            except ExprError as err:
                failed = err  # diagnosed below, against the text as written
            else:
                self.compiled[expanded] = compiled
                return compiled
        unknown = re.match(r"unknown name '([^']+)'", failed.message)
        col = failed.col if expanded == text else 0  # columns in the text as written only
        if (expanded != text or unknown or error) and (syntax := _syntax(text)):
            failed, unknown, col = syntax, None, syntax.col
        if error and not failed.message:
            self.at(file, path, error)
            return None
        message = failed.message
        if unknown:
            name = unknown.group(1)
            message = f"unknown name {name!r}" + self.hint(name, self.known_names)
            tokens = _TOKEN.finditer(text)
            col = next((t.start() for t in tokens if self.expand(t[0], subs)[0] == name), 0)
        self.at(file, path, f"in expression {text!r}: {message}", col_offset=col)
        return None

    def maybe(
        self, file: _File, path: PathKey, raw: str | float | None, subs: Mapping[str, str]
    ) -> Expr | None:
        """An optional expression: None where none is written."""
        return None if raw is None else self.expr(file, path, raw, subs)

    def text(self, s: str, subs: Mapping[str, str]) -> str:
        """Prose: `{...}` value slots get ids, bare placeholders get role names."""
        s = _TEXT_NAME.sub(lambda m: "{" + self.expand(m.group(1), subs)[0] + "}", s)
        return self.expand(s, subs, pretty=True)[0]

    def prose(self, file: _File, path: PathKey, s: str, subs: Mapping[str, str]) -> str:
        """`text(s)`, after reporting its unknown names and placeholders."""
        for m in _TEXT_NAME.finditer(s):
            name, error = self.expand(m.group(1), subs)
            if error:
                self.at(file, path, error)
            elif name not in self.known:
                self.at(
                    file,
                    path,
                    f"unknown name {{{name}}} in text" + self.hint(name, self.known_names),
                )
        _, error = self.expand(_TEXT_NAME.sub("", s), subs)
        if error:
            self.at(file, path, error)
        return self.text(s, subs)

    def effects(
        self, file: _File, path: PathKey, items: list[EffectSpec], subs: Mapping[str, str]
    ) -> tuple[Effect, ...]:
        out: list[Effect] = []
        for i, item in enumerate(items):
            ipath = (*path, i)
            when = self.maybe(file, (*ipath, "if"), item.when, subs)
            why = self.prose(file, (*ipath, "why"), item.why, subs)
            if not item.add and not item.set:
                self.at(file, ipath, "an effect needs 'add' or 'set'")
            for op, given in (("set", item.set), ("add", item.add)):
                for key, amount in given.items():
                    kpath = (*ipath, op, key)
                    name, error = self.expand(key, subs)
                    var = self.variables.get(name)
                    if error:
                        self.at(file, kpath, error, at_key=True)
                    elif var is None and name not in self.marks:
                        self.at(file, kpath, f"unknown variable {name!r}"
                                + self.hint(name, self.assignable), at_key=True)
                    elif op == "add" and (var is None or var.is_flag):
                        self.at(file, kpath, f"{name!r} is true/false: use 'set', not 'add'",
                                at_key=True)
                    elif (compiled := self.expr(file, kpath, amount, subs)) is not None:
                        out.append(Effect(op, name, compiled, when, why))
        return tuple(out)

    # -- actions -----------------------------------------------------------------------------
    def _actions(self) -> dict[str, tuple[Action, ...]]:
        by_role: dict[str, list[Action]] = {r: [] for r in self.roles}
        for aid, (file, spec) in self.action_specs.items():
            targets: list[str | None] = [*spec.targets] or [None]
            for i, t in enumerate(spec.targets):
                self.known_role(file, ("actions", aid, "targets", i), t)
            for who in spec.who:
                for target in targets if who in self.roles else []:
                    if target is None or (target in self.roles and target != who):
                        by_role[who].append(self._action(file, aid, spec, who, target))
        return {role: tuple(actions) for role, actions in by_role.items()}

    def _action(
        self, file: _File, aid: str, spec: ActionSpec, who: str, target: str | None
    ) -> Action:
        base: PathKey = ("actions", aid)
        subs = _subs(who, target)
        requires = []
        for i, req in enumerate(spec.requires):
            check = self.expr(file, (*base, "requires", i, "check"), req.check, subs)
            reason = self.prose(file, (*base, "requires", i, "reason"), req.reason, subs)
            if check is not None:
                requires.append(Requirement(check, reason))
        warnings = []
        for i, w in enumerate(spec.warn):
            check = self.expr(file, (*base, "warn", i, "if"), w.when, subs)
            say = self.prose(file, (*base, "warn", i, "say"), w.say, subs)
            if check is not None:
                warnings.append(Requirement(check, say))
        outcomes = []
        for i, o in enumerate(spec.outcomes):
            opath = (*base, "outcomes", i)
            when = self.maybe(file, (*opath, "if"), o.when, subs)
            why = self.prose(file, (*opath, "why"), o.why, subs)
            effects = self.effects(file, (*opath, "effects"), o.effects, subs)
            outcomes.append(Outcome(o.result, when, why, effects))
        ai = spec.ai.get(who, 0.0) if isinstance(spec.ai, dict) else spec.ai
        title = spec.title or aid.replace("_", " ").capitalize()
        return Action(
            id=aid,
            role=who,
            target=target,
            cost=spec.cost,
            phase=spec.phase,
            title=self.text(title, subs),
            text=self.text(spec.text, subs),
            requires=tuple(requires),
            effects=self.effects(file, (*base, "effects"), spec.effects, subs),
            outcomes=tuple(outcomes),
            ai_weight=float(ai),
            source=self.ref(file, base),
            warnings=tuple(warnings),
            tags=tuple(spec.tags),
        )

    # -- systemic rules ------------------------------------------------------------------------
    def _rules(self, rdocs: list[tuple[_File, RuleFile]]) -> tuple[Rule, ...]:
        out: list[Rule] = []
        seen: set[str] = set()
        for file, data in rdocs:
            for rid, spec in data.rules.items():
                base: PathKey = ("rules", rid)
                if rid in seen and spec.override:
                    out = [r for r in out if r.id != rid and not r.id.startswith(rid + ".")]
                elif rid in seen:
                    self.at(file, base, f"rule {rid!r} is defined twice "
                            "(write override: true in the later one to replace it)", at_key=True)
                    continue
                elif spec.override:
                    self.at(file, (*base, "override"),
                            f"rule {rid!r} overrides nothing: no earlier rule file defines it")
                seen.add(rid)
                for i, role in enumerate([*spec.each] or [None]):
                    if role is not None and not self.known_role(file, (*base, "each", i), role):
                        continue
                    subs = _subs(role, None)
                    when = self.maybe(file, (*base, "if"), spec.when, subs)
                    why = self.prose(file, (*base, "why"), spec.why, subs)
                    effects = self.effects(file, (*base, "effects"), spec.effects, subs)
                    rule_id = rid if role is None else f"{rid}.{role}"
                    out.append(Rule(rule_id, spec.phase, when, why, effects, self.ref(file, base)))
        return tuple(out)

    # -- events and objectives ------------------------------------------------------------------
    def _events(self, file: _File, data: Scenario) -> tuple[Event, ...]:
        out: list[Event] = []
        seen: set[str] = set()
        for i, spec in enumerate(data.events):
            base: PathKey = ("events", i)
            eid = spec.id or f"event{i + 1}"
            if eid in seen:
                self.at(file, (*base, "id"), f"event id {eid!r} is used twice")
            seen.add(eid)
            given = [spec.turn] if isinstance(spec.turn, int) else spec.turn
            dates = [spec.date] if isinstance(spec.date, str) else spec.date
            turns = [*given]
            for j, date in enumerate(dates):
                dpath = (*base, "date") if isinstance(spec.date, str) else (*base, "date", j)
                turn = self.date_turn(file, dpath, date, f"event {eid!r}:")
                if turn is not None:
                    turns.append(turn)
            for t in given:
                if not 1 <= t <= self.turns:
                    self.at(file, (*base, "turn"),
                            f"turn {t} is outside the game's 1–{self.turns} turns")
            if not given and not dates and spec.when is None and spec.chance is None:
                self.at(file, base,
                        f"event {eid!r} needs a 'turn', a 'date', an 'if' or a 'chance'")
            when = self.maybe(file, (*base, "if"), spec.when, {})
            chance = self.maybe(file, (*base, "chance"), spec.chance, {})
            modifiers = []
            for j, m in enumerate(spec.modifiers):
                mpath = (*base, "modifiers", j)
                mwhen = self.expr(file, (*mpath, "if"), m.when, {})
                add = self.maybe(file, (*mpath, "add"), m.add, {})
                factor = self.maybe(file, (*mpath, "factor"), m.factor, {})
                if m.add is None and m.factor is None:
                    self.at(file, mpath, "a modifier needs 'add' or 'factor'")
                if mwhen is not None:
                    modifiers.append(Modifier(mwhen, add, factor))
            out.append(
                Event(
                    id=eid,
                    title=spec.title or eid,
                    text=self.prose(file, (*base, "text"), spec.text, {}),
                    turns=tuple(turns),
                    when=when,
                    chance=chance,
                    modifiers=tuple(modifiers),
                    once=spec.once if spec.once is not None else bool(turns),
                    effects=self.effects(file, (*base, "effects"), spec.effects, {}),
                    source=self.ref(file, base),
                )
            )
        return tuple(out)

    def _objectives(self, file: _File, data: Scenario) -> tuple[Objective, ...]:
        out: list[Objective] = []
        for role, items in data.objectives.items():
            if not self.known_role(file, ("objectives", role), role, at_key=True):
                continue
            seen: set[str] = set()
            for i, spec in enumerate(items):
                base: PathKey = ("objectives", role, i)
                oid = spec.id or f"objective{i + 1}"
                if oid in seen:
                    self.at(file, (*base, "id"), f"objective id {oid!r} is used twice for {role}")
                seen.add(oid)
                subs = _subs(role, None)
                when = self.expr(file, (*base, "if"), spec.when, subs)
                if when is not None:
                    when = self._dated_objective(file, base, spec, when)
                    text = self.text(spec.text or oid, subs)
                    out.append(Objective(oid, role, text, when, spec.points, spec.scored,
                                         self.ref(file, base)))
        return tuple(out)

    def _dated_objective(self, file: _File, base: PathKey, spec: ObjectiveSpec, when: Expr) -> Expr:
        """An objective with `turn:` or `date:` holds only on that turn."""
        turn = None
        if spec.turn is not None and spec.date is not None:
            self.at(file, (*base, "date"), "give 'turn' or 'date', not both")
        elif (spec.turn is not None or spec.date is not None) and spec.scored != "each_turn":
            self.at(file, (*base, "scored"), "an objective with a turn or date is scored when "
                    "that turn ends: write scored: each_turn")
        elif spec.date is not None:
            turn = self.date_turn(file, (*base, "date"), spec.date, "objective")
        elif spec.turn is not None:
            turn = self.turn(file, (*base, "turn"), spec.turn)
        if turn is None:
            return when
        return compile_expr(f"turn == {turn} and ({when.source})", self.known.__contains__)

    # -- params ------------------------------------------------------------------------------
    def _params(self, file: _File, data: Scenario, rdocs: list[tuple[_File, RuleFile]]) -> None:
        """Rule files declare params with defaults; the scenario may give its own values.
        Either way a param is a formula whose body is a number."""
        declared: dict[str, float] = {}
        for rfile, rdata in rdocs:
            for name, value in rdata.params.items():
                if name in declared or name in self.formulas:
                    self.at(rfile, ("params", name), f"param {name!r} is defined twice",
                            at_key=True)
                else:
                    declared[name] = value
        for name, value in data.params.items():
            if name in declared:
                declared[name] = value
            else:
                self.at(file, ("params", name), f"unknown param {name!r}: the rule files declare "
                        + (", ".join(sorted(declared)) or "none") + self.hint(name, declared),
                        at_key=True)
        # Values given from outside (`simulate --set`), checked against content.params first.
        for name, value in self.param_overrides.items():
            if name not in declared:
                raise ValueError(f"unknown param {name!r}" + hint(name, declared))
            declared[name] = value
        self.params = {name: float(value) for name, value in declared.items()}
        self.formulas.update((name, repr(value)) for name, value in self.params.items())

    # -- targets -----------------------------------------------------------------------------
    def _targets(self, file: _File, data: Scenario) -> None:
        for i, t in enumerate(data.targets):
            base: PathKey = ("targets", i)
            var = self.variables.get(t.value)
            if var is None or var.is_flag:
                what = "a flag" if var is not None else "not a variable"
                self.at(file, (*base, "value"),
                        f"target value {t.value!r} is {what}" + self.hint(t.value, self.numbers))
            if (t.turn is None) == (t.date is None):
                self.at(file, base, "a target needs a 'turn' or a 'date' (one of them)")
            elif t.date is not None:
                self.date_turn(file, (*base, "date"), t.date, "target")
            elif t.turn is not None:
                self.turn(file, (*base, "turn"), t.turn)

    # -- names the bundled rules read that the scenario lacks -----------------------------------
    def _bundled(self, sf: SourceFile) -> bool:
        try:
            return Path(sf.name).resolve().is_relative_to(content_dir("rules").resolve())
        except (OSError, ValueError):
            return False

    def _report_missing(self, file: _File) -> None:
        """One problem per missing name, at the scenario's `variables:` (where the fix goes),
        instead of one per use inside a bundled rule file the writer should not edit."""
        for name, first in sorted(self.missing.items()):
            where = f"{Path(first.file).name}:{first.line}:{first.col}"
            self.at(file, ("variables",), f"the bundled rules read {name!r} ({where}), which this "
                    "scenario does not declare: add it under variables: (a number) or flags: "
                    "(true/false). `wargame new scenario` writes every name the rules read",
                    at_key=True)


def _subs(actor: str | None, target: str | None) -> dict[str, str]:
    return {word: role for word, role in (("actor", actor), ("target", target)) if role}


_UNKNOWN = re.compile(r"unknown (?:name|variable) [{']([a-z0-9_.]+)[}']")


@functools.lru_cache(maxsize=8)
def compile_content(source: ContentSource, params: tuple[tuple[str, float], ...] = ()) -> Content:
    """Texts → Content (which keeps the texts, for saving); raises ContentError listing every
    problem. Remembered per exact texts: a replay or a fork compiles its content again.

    `params` replace the values of declared `params:` (ValueError for an undeclared name);
    the content's hash then says so, so it is never taken for the scenario as written."""
    with collector.paused():
        return _Compiler(source, dict(params)).run()


def source_of(content: Content) -> ContentSource:
    """The texts `content` was compiled from (ValueError for content built in code)."""
    if not content.texts:
        raise ValueError(f"the content {content.id!r} was not compiled from files")
    (name, text), *rules = content.texts
    return ContentSource(SourceFile(name, text), tuple(SourceFile(n, t) for n, t in rules))


def check_rules_file(sf: SourceFile) -> list[Problem]:
    """A rule file on its own: structure and expression syntax (names need a scenario)."""
    comp = _Compiler(ContentSource(sf, ()))
    loaded = comp._load(sf, RuleFile, partial=False)
    if loaded is None or comp.problems:
        return comp.problems
    file = loaded[0]
    for path, text in _expressions(file.doc.data, ()):
        if err := _syntax(text):
            comp.at(file, path, f"in expression {text!r}: {err.message}", col_offset=err.col)
    return comp.problems


_EXPR_KEYS = {"if", "check", "chance", "factor"}


def _expressions(node: object, path: PathKey) -> Iterator[tuple[PathKey, str]]:
    """The expressions written in a rule file's data, with their paths."""
    if isinstance(node, dict):
        for k, v in node.items():
            if isinstance(v, str) and (k in _EXPR_KEYS or path[-1:] in [("add",), ("set",),
                                                                        ("formulas",)]):
                yield (*path, k), v
            else:
                yield from _expressions(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _expressions(v, (*path, i))


def _syntax(text: str) -> ExprError | None:
    """The syntax error in `text` as written, whatever its names (columns point into the file)."""
    try:
        compile_expr(text.replace("$", "Z"), lambda _n: True)
    except ExprError as err:
        return err
    return None
