"""`--agent ROLE=COMMAND` and its options, shared by `run`, `play` and `tournament`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wargame.cli import output
from wargame.cli.common import UsageError

if TYPE_CHECKING:
    from wargame.engine.content import Content
    from wargame.seats.agent import AgentSeat, SeatError
    from wargame.seats.spec import AgentOptions


def add_agent_options(parser: Any, *, with_agent: bool = True) -> None:
    if with_agent:
        parser.add_argument(
            "--agent", action="append", default=[], metavar="ROLE=COMMAND",
            help="a program plays ROLE over JSON Lines on its stdin/stdout, e.g. "
            "tokyo='python my_agent.py'; or ROLE=llm:URL for an OpenAI-compatible chat "
            "endpoint, e.g. tokyo=llm:http://127.0.0.1:8080/v1 (docs/agents.md)",
        )
    parser.add_argument(
        "--agent-timeout", type=float, default=None, metavar="SECONDS",
        help="time an agent has for each turn's orders, e.g. --agent-timeout 30 (default 10; "
        "120 for llm:)",
    )
    parser.add_argument(
        "--agent-fallback", default="pass", metavar="KIND",
        help="who plays an agent's turn when its reply is late, malformed or illegal: "
        "pass (default) or a bot kind, e.g. heuristic",
    )
    parser.add_argument(
        "--agent-log", default=None, metavar="DIR",
        help="folder for the agents' stderr logs, e.g. --agent-log logs/ (default: the user "
        "log folder, or $WARGAME_LOG_DIR)",
    )
    parser.add_argument(
        "--llm-model", default=None, metavar="NAME",
        help="model name for llm: seats, e.g. --llm-model qwen2.5 (or $WARGAME_LLM_MODEL); the "
        "API key is read from $WARGAME_LLM_API_KEY or $OPENAI_API_KEY",
    )


def agent_options(args: argparse.Namespace) -> AgentOptions:
    from wargame.engine.bots import BOTS
    from wargame.seats.spec import AgentOptions

    if args.agent_timeout is not None and not args.agent_timeout > 0:
        raise UsageError(f"--agent-timeout must be a number of seconds above 0 "
                         f"(got {args.agent_timeout:g})")
    if args.agent_fallback != "pass" and args.agent_fallback not in BOTS:
        raise UsageError(f"--agent-fallback: unknown bot kind {args.agent_fallback!r}; "
                         f"one of: pass, {', '.join(k for k in BOTS if k != 'pass')}")
    return AgentOptions(
        time_budget=args.agent_timeout,
        fallback=args.agent_fallback,
        log_dir=Path(args.agent_log) if args.agent_log else None,
        llm_model=args.llm_model,
    )


def report_error(error: SeatError) -> None:
    output.error(f"{error.role}'s agent, turn {error.turn}: {error.message}")


def agent_specs(args: argparse.Namespace, content: Content) -> dict[str, str]:
    from wargame.seats.spec import SeatSpecError, parse_agent_specs

    try:
        return parse_agent_specs(args.agent, content)
    except SeatSpecError as err:
        raise UsageError(str(err)) from None


def open_agent_seats(
    agents: dict[str, str], content: Content, options: AgentOptions, *, quiet: bool = False
) -> dict[str, AgentSeat]:
    """Start every agent (UsageError if one cannot start) and say where each one logs."""
    from wargame.seats.spec import SeatSpecError, open_seats

    try:
        seats = open_seats(agents, content, options, on_error=report_error)
    except SeatSpecError as err:
        raise UsageError(str(err)) from None
    if not quiet:
        for role, seat in seats.items():
            log = getattr(seat.transport, "log_path", None)
            if log is not None:
                output.error(f"{role}'s agent writes its stderr to {log}")
    return seats
