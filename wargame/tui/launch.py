"""`wargame play` → the app. Bad scenario names, roles or bot kinds open an error screen that
lists the problems (FILE:LINE:COL for content); nothing here lets a traceback through."""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from wargame.engine.content import Content
from wargame.storage.saves import save_dir
from wargame.tui.session import AGENT, Session, seats_from_args

if TYPE_CHECKING:
    from wargame.seats.agent import AgentSeat, SeatError
    from wargame.seats.spec import AgentOptions

Problems = tuple[str, list[str]]


def build_session(scenario: str, seats: Mapping[str, str], seed: int,
                  agents: Mapping[str, str] | None = None,
                  agent_options: AgentOptions | None = None) -> Session | Problems:
    """Load a scenario and seat it; or say, as a title and lines, why that cannot be done."""
    from wargame.paths import bundled_scenarios, find_scenario
    from wargame.storage.content_loader import ContentError, load_content

    path = find_scenario(scenario)
    if path is None:
        known = ", ".join(p.stem for p in bundled_scenarios())
        return (f"No scenario {scenario!r}",
                [f"Give a bundled id ({known}) or the path of a scenario YAML file."])
    try:
        content = load_content(path)
    except ContentError as err:
        return (f"The scenario {path.name} does not load", [str(p) for p in err.problems])
    except Exception as err:  # unreadable file, bad encoding…: still a screen, not a trace
        return (f"The scenario {path.name} does not load", [f"{path}: {err}"])
    problems = [f"{content.id} has no role {r!r} (roles: {', '.join(content.role_ids)})"
                for r in seats if r not in content.role_ids]
    if problems:
        return ("Bad seats", problems)
    try:
        opened = _open_agents(content, agents or {}, agent_options)
    except ValueError as err:
        return ("Bad seats", [str(err)])
    try:
        return Session(content, seed, seats, scenario_path=path, agents=opened)
    except ValueError as err:
        for seat in opened.values():
            seat.transport.close()
        return ("Bad seats", [str(err)])


def _open_agents(content: Content, agents: Mapping[str, str],
                 options: AgentOptions | None) -> dict[str, AgentSeat]:
    """Start the agent seats' programs (ValueError, with the reason, if one cannot start)."""
    if not agents:
        return {}
    from wargame.seats.spec import AgentOptions, open_seats

    return open_seats(agents, content, options or AgentOptions())


def session_from_args(args: argparse.Namespace, seed: int) -> Session | Problems:
    from wargame.cli.common import ROLES
    from wargame.engine.bots import BOTS

    humans: Sequence[str] = list(getattr(args, "humans", None) or [])
    problems = []
    bots: dict[str, str] = {}
    for spec in getattr(args, "bot", None) or []:
        role, sep, kind = spec.partition("=")
        if not sep or not role or not kind:
            problems.append(f"--bot takes ROLE=KIND, e.g. seoul=heuristic (got {spec!r})")
        elif kind not in BOTS:
            problems.append(f"unknown bot kind {kind!r}; one of: {', '.join(BOTS)}")
        else:
            bots[role] = kind
    agents: dict[str, str] = {}
    for spec in getattr(args, "agent", None) or []:
        role, sep, command = spec.partition("=")
        if not sep or not role.strip() or not command.strip():
            problems.append(f"--agent takes ROLE=COMMAND (got {spec!r})")
        else:
            agents[role.strip()] = command.strip()
    for role in humans:
        if role in bots:
            problems.append(f"{role} is named by both --as and --bot")
        if role in agents:
            problems.append(f"{role} is named by both --as and --agent")
    problems += [f"{r} is named by both --bot and --agent" for r in bots if r in agents]
    if problems:
        return ("Bad command line", problems)
    scenario = getattr(args, "scenario", None) or "convenor"
    from wargame.paths import find_scenario
    from wargame.storage.content_loader import ContentError, load_content

    path = find_scenario(scenario)
    roles: tuple[str, ...] = ROLES
    if path is not None:
        try:
            roles = load_content(path).role_ids
        except ContentError:
            pass  # build_session reports it
        except Exception:
            pass
    unknown = [r for r in [*humans, *bots, *agents] if r not in roles]
    if unknown and path is not None:
        return ("Bad seats", [f"no role {r!r} (roles: {', '.join(roles)})" for r in unknown])
    options = None
    if agents:
        from wargame.cli.seats import agent_options

        options = agent_options(args)
    seats = seats_from_args(roles, humans, {**bots, **dict.fromkeys(agents, AGENT)})
    return build_session(scenario, seats, seed, agents, options)


def build_app(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from wargame.tui.app import WargameApp, new_seed

    seed = args.seed if getattr(args, "seed", None) is not None else new_seed()
    folder = save_dir(getattr(args, "save_dir", None))
    wants_game = bool(getattr(args, "scenario", None) or getattr(args, "humans", None)
                      or getattr(args, "bot", None) or getattr(args, "agent", None))
    if not wants_game:
        return WargameApp(save_folder=folder, seed=getattr(args, "seed", None))
    result = session_from_args(args, seed)
    if isinstance(result, Session):
        app = WargameApp(save_folder=folder, seed=getattr(args, "seed", None), start=result,
                         brief=True)
        for seat in result.agents.values():
            if hasattr(seat, "on_error"):
                seat.on_error = partial(_notify, app)
        return app
    return WargameApp(save_folder=folder, seed=getattr(args, "seed", None), error=result)


def _notify(app: Any, error: SeatError) -> None:
    """An agent's unusable reply, as a notification (agents play in a worker thread)."""
    text = f"{error.role}'s agent, turn {error.turn}: {error.message}"
    try:
        app.call_from_thread(app.notify, text, title="Agent", severity="warning", timeout=8)
    except RuntimeError:  # already on the app's thread
        app.notify(text, title="Agent", severity="warning", timeout=8)


def launch(args: argparse.Namespace) -> int:
    app = build_app(args)
    try:
        code = app.run()
    finally:
        start = getattr(app, "_start", None)
        if isinstance(start, Session):
            start.close()  # its agents are told the game is over, then stopped
    return int(code or 0)
