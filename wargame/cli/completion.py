"""`wargame completion bash|zsh|fish`: a shell completion script, made from the parser itself
(so it lists every command and option there is), with scenario ids, roles, bot kinds and
choices as values. Install: `eval "$(wargame completion bash)"` in ~/.bashrc, the same with
zsh in ~/.zshrc, or `wargame completion fish > ~/.config/fish/completions/wargame.fish`."""

from __future__ import annotations

import argparse
import shlex
from typing import Any

from wargame.cli import output
from wargame.cli.common import ROLES

SHELLS = ("bash", "zsh", "fish")
EXAMPLES = """examples:
  eval "$(wargame completion bash)"      in ~/.bashrc
  eval "$(wargame completion zsh)"       in ~/.zshrc
  wargame completion fish > ~/.config/fish/completions/wargame.fish"""


def add(sub: Any) -> None:
    comp = sub.add_parser(
        "completion",
        help="shell completion script (bash, zsh or fish)",
        description="Print a script that completes wargame's commands, options and values.",
        epilog=EXAMPLES,
    )
    comp.add_argument("shell", choices=SHELLS, help="your shell, e.g. bash")
    comp.set_defaults(func=run)


class Option:
    def __init__(self, flag: str, takes: bool, values: list[str], files: bool, text: str) -> None:
        self.flag, self.takes, self.values, self.files, self.text = flag, takes, values, files, text


def _values(action: argparse.Action) -> tuple[list[str], bool]:
    """Words a value can be, and whether files can be."""
    from wargame.engine.bots import BOTS

    if action.choices:
        return [str(c) for c in action.choices], False
    meta = str(action.metavar or action.dest).upper()
    if meta == "ROLE":
        return list(ROLES), False
    if meta == "ROLE=KIND":
        return [f"{r}={k}" for r in ROLES for k in BOTS], False
    if action.dest == "scenario":
        from wargame.paths import bundled_scenarios

        return [p.stem for p in bundled_scenarios()], True
    if meta in ("FILE", "DIR", "SAVE", "PATH", "PATHS") or action.dest in ("save", "paths"):
        return [], True
    return [], False


def commands(parser: argparse.ArgumentParser) -> dict[str, tuple[str, list[Option], Option | None]]:
    """Each command: its help, its options, and its first positional argument."""
    out: dict[str, tuple[str, list[Option], Option | None]] = {}
    for action in parser._subparsers._group_actions if parser._subparsers else []:
        if not isinstance(action, argparse._SubParsersAction):
            continue
        helps = {a.dest: a.help or "" for a in action._choices_actions}
        for name, sub in action.choices.items():
            options, positional = [], None
            for a in sub._actions:
                values, files = _values(a)
                text = (a.help or "").replace("\n", " ")
                if a.option_strings:
                    for flag in a.option_strings:
                        if flag.startswith("--"):
                            options.append(Option(flag, a.nargs != 0, values, files, text))
                elif positional is None:
                    positional = Option(a.dest, True, values, files, text)
            out[name] = (helps.get(name, ""), options, positional)
    return out


def bash(parser: argparse.ArgumentParser) -> str:
    cmds = commands(parser)
    lines = [
        "# wargame completion for bash (and zsh through bashcompinit)",
        "_wargame() {",
        '  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" cmd="" w',
        '  for w in "${COMP_WORDS[@]:1:COMP_CWORD-1}"; do',
        f"    case \"$w\" in {'|'.join(cmds)}) cmd=$w; break;; esac",
        "  done",
        '  if [ -z "$cmd" ]; then',
        f'    COMPREPLY=($(compgen -W "{" ".join(cmds)} --help --version" -- "$cur")); return',
        "  fi",
        '  case "$cmd $prev" in',
    ]
    for name, (_, options, _) in cmds.items():
        for o in options:
            if not o.takes:
                continue
            words = shlex.quote(" ".join(o.values))
            files = ' -f' if o.files else ""
            lines.append(f'    "{name} {o.flag}") COMPREPLY=($(compgen{files} -W {words} -- '
                         '"$cur")); return;;')
    lines += ["  esac", '  case "$cmd" in']
    for name, (_, options, positional) in cmds.items():
        flags = " ".join(o.flag for o in options)
        pos = ""
        if positional is not None:
            words = shlex.quote(" ".join(positional.values))
            files = " -f" if positional.files else ""
            pos = f' else COMPREPLY=($(compgen{files} -W {words} -- "$cur"));'
        lines.append(f'    {name}) if [[ "$cur" == -* ]]; then '
                     f'COMPREPLY=($(compgen -W "{flags}" -- "$cur"));{pos} fi;;')
    lines += ["  esac", "}", "complete -o filenames -o bashdefault -F _wargame wargame", ""]
    return "\n".join(lines)


def zsh(parser: argparse.ArgumentParser) -> str:
    return ("# wargame completion for zsh (the bash script, through bashcompinit)\n"
            "autoload -U +X compinit && compinit\n"
            "autoload -U +X bashcompinit && bashcompinit\n" + bash(parser))


def _fish_quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def fish(parser: argparse.ArgumentParser) -> str:
    cmds = commands(parser)
    lines = ["# wargame completion for fish", "complete -c wargame -f"]
    for name, (text, options, positional) in cmds.items():
        lines.append(f"complete -c wargame -n __fish_use_subcommand -a {name} "
                     f"-d {_fish_quote(text)}")
        cond = f"'__fish_seen_subcommand_from {name}'"
        for o in options:
            line = f"complete -c wargame -n {cond} -l {o.flag[2:]}"
            if o.takes:
                line += " -r" if o.files else " -x"
                if o.values:
                    line += f" -a {_fish_quote(' '.join(o.values))}"
            lines.append(line + f" -d {_fish_quote(o.text[:60])}")
        if positional is not None:
            line = f"complete -c wargame -n {cond}"
            if positional.values:
                line += f" -a {_fish_quote(' '.join(positional.values))}"
            if positional.files:
                line += " -F"
            lines.append(line)
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    from wargame.cli.main import build_parser

    parser = build_parser()
    output.write({"bash": bash, "zsh": zsh, "fish": fish}[args.shell](parser))
    return 0
