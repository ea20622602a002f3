"""`--agent ROLE=COMMAND` and `--agent ROLE=llm:URL`: from the command line to seats."""

from __future__ import annotations

import os
import shlex
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import attrs

from wargame.engine.bots import BOTS
from wargame.engine.content import Content
from wargame.seats.agent import AgentSeat, SeatError
from wargame.seats.transport import ProcessTransport

PROGRAM_BUDGET = 10.0
LLM_BUDGET = 120.0


class SeatSpecError(ValueError):
    """A seat spec that cannot be used; the message is one line for the user."""


@attrs.frozen
class AgentOptions:
    """Options shared by every agent seat of one game."""

    time_budget: float | None = None  # None: 10 s for a program, 120 s for an LLM
    fallback: str = "pass"
    log_dir: Path | None = None
    llm_model: str | None = None


def parse_agent_specs(specs: Sequence[str], content: Content | None = None) -> dict[str, str]:
    """`ROLE=COMMAND` strings → {role: command}; SeatSpecError names what is wrong."""
    agents: dict[str, str] = {}
    for spec in specs:
        role, sep, command = spec.partition("=")
        role, command = role.strip(), command.strip()
        if not sep or not role or not command:
            raise SeatSpecError(
                f"--agent takes ROLE=COMMAND, e.g. tokyo='python my_agent.py' (got {spec!r})"
            )
        if content is not None and role not in content.role_ids:
            raise SeatSpecError(
                f"--agent: {content.id} has no role {role!r} "
                f"(roles: {', '.join(content.role_ids)})"
            )
        if role in agents:
            raise SeatSpecError(f"--agent: two agents for {role}")
        if command.startswith("llm:") and not command[4:].startswith(("http://", "https://")):
            raise SeatSpecError(
                f"--agent {role}=llm:URL needs an http(s) URL, e.g. llm:http://127.0.0.1:8080/v1"
            )
        if not command.startswith("llm:"):
            try:
                argv = shlex.split(command)
            except ValueError as err:
                raise SeatSpecError(f"--agent {role}: cannot read the command ({err})") from None
            if not argv:
                raise SeatSpecError(f"--agent {role}: empty command")
        agents[role] = command
    return agents


def default_log_dir() -> Path:
    env = os.environ.get("WARGAME_LOG_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_log_path("wargame")) / "agents"


def log_path(role: str, log_dir: Path | None) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    return (log_dir or default_log_dir()) / f"{role}-{stamp}-{os.getpid()}.log"


def open_seat(
    role: str,
    command: str,
    content: Content,
    options: AgentOptions,
    on_error: Callable[[SeatError], None] | None = None,
) -> AgentSeat:
    """Start the seat (the program runs from now until `finish`); SeatSpecError if it cannot."""
    if options.fallback != "pass" and options.fallback not in BOTS:
        raise SeatSpecError(
            f"--agent-fallback: unknown bot kind {options.fallback!r}; one of: {', '.join(BOTS)}"
        )
    fallback = None if options.fallback == "pass" else BOTS[options.fallback]
    if command.startswith("llm:"):
        from wargame.seats.llm import LlmTransport

        transport: LlmTransport | ProcessTransport = LlmTransport(
            command[4:], content, model=options.llm_model
        )
        budget = LLM_BUDGET if options.time_budget is None else options.time_budget
        name = "llm"
    else:
        try:
            transport = ProcessTransport(shlex.split(command), log=log_path(role, options.log_dir))
        except OSError as err:
            raise SeatSpecError(
                f"--agent {role}: cannot start {command!r}: {err.strerror or err}"
            ) from None
        budget = PROGRAM_BUDGET if options.time_budget is None else options.time_budget
        name = "agent"
    return AgentSeat(
        role,
        transport,
        name=name,
        time_budget=budget,
        fallback=fallback,
        fallback_name=options.fallback,
        on_error=on_error,
    )


def open_seats(
    agents: Mapping[str, str],
    content: Content,
    options: AgentOptions,
    on_error: Callable[[SeatError], None] | None = None,
) -> dict[str, AgentSeat]:
    """Every agent seat, or none: if one cannot start, those already started are stopped."""
    seats: dict[str, AgentSeat] = {}
    try:
        for role, command in agents.items():
            seats[role] = open_seat(role, command, content, options, on_error)
    except BaseException:
        for seat in seats.values():
            seat.transport.close()
        raise
    return seats
