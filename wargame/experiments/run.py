"""Run a plan: locally (in this process or a few workers) or on a Dask cluster; write rows
in chunk order whatever order chunks finish in; keep the summary; show progress.

An interrupt (Ctrl+C, SIGTERM, SIGHUP; wargame.experiments.stopping) stops the workers,
closes the output so it holds every game finished before it, and returns: the summary says
it was interrupted.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs

from wargame.experiments.cluster import run_dask
from wargame.experiments.columns import row_count
from wargame.experiments.local import Pool, RunError, cores, run_here
from wargame.experiments.plan import Plan, Result, chunks
from wargame.experiments.sinks import Sink, open_sink
from wargame.experiments.stopping import Stop
from wargame.experiments.summary import Summary


@attrs.define
class Outcome:
    summary: Summary
    interrupted: bool  # stopped before every game was played
    seconds: float
    rows: int
    jobs: int
    cpu_here: float = 0.0  # CPU seconds of this process during the run
    cpu_workers: float = 0.0  # CPU seconds of local worker processes (not Dask's)


def resolve_jobs(jobs: str | int, games: int) -> tuple[int, str]:
    """Worker processes to use, and a note when fewer than asked (no more than the cores,
    nor than there are chunks to play)."""
    have = cores()
    if jobs == "auto":
        return max(1, min(have, games)), ""
    try:
        want = int(jobs)
    except ValueError:
        raise RunError(f"--jobs takes a number or auto (got {jobs!r})") from None
    if want < 1:
        raise RunError("--jobs must be at least 1 (or auto)")
    use = max(1, min(want, have, games))
    note = ""
    if use < want:
        why = f"this machine has {have} cores" if want > have else f"there are {games} games"
        note = f"--jobs {want}: using {use} ({why})"
    return use, note


def run_experiment(
    plan: Plan,
    *,
    jobs: int = 1,
    dask: str | None = None,
    out: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    started: Callable[[], None] | None = None,
    stop: Stop | None = None,
) -> Outcome:
    """Play the plan. `stop` (open, from the caller) may already hold a request from before
    the run; without one, the run catches the stop signals itself while it lasts."""
    with contextlib.ExitStack() as scope:
        if stop is None:
            stop = scope.enter_context(Stop())
        return _run(plan, jobs, dask, out, progress, started, stop)


def _run(
    plan: Plan,
    jobs: int,
    dask: str | None,
    out: Path | None,
    progress: Callable[[int, int], None] | None,
    started: Callable[[], None] | None,
    stop: Stop,
) -> Outcome:
    work = chunks(plan, 1 if dask is None and jobs <= 1 else max(jobs, 4))
    summary = Summary(plan.content, plan.layout(False), plan.points)
    columns = plan.layout(plan.per_turn).columns()
    t0 = time.perf_counter()
    cpu0, kids0 = time.process_time(), _children_cpu()
    sink: Sink | None = None
    pool: Pool | None = None
    done = 0
    waiting: dict[int, Result] = {}
    next_index = 0
    try:
        if stop.requested is not None:  # before the run: play nothing
            results: Iterator[Result] = run_here(plan, [], stop)
        elif dask is not None:
            results = run_dask(plan, work, dask, stop)
        elif jobs > 1:
            pool = Pool(plan, jobs)
            results = pool.submit(work, stop)
        else:
            results = run_here(plan, work, stop)
        with contextlib.closing(results):  # type: ignore[type-var]
            # The workers play their first chunks while this loads the output (pyarrow).
            if out is not None:
                sink = open_sink(out, columns)
            # Games are under way and workers forked: a progress thread may start, and the
            # caller may load what it needs after the run (it shares the cores with them).
            if started is not None:
                started()
            # The results end early on a stop request; rows stay in chunk order, so the
            # output holds every game from the first up to a gap.
            for result in results:
                done += row_count(result.games)
                if progress is not None:
                    progress(done, plan.games)
                waiting[result.chunk.index] = result
                while next_index in waiting:
                    ready = waiting.pop(next_index)
                    summary.add(ready.chunk.point, ready.games)
                    if sink is not None:
                        sink.write(ready.turns if ready.turns is not None else ready.games)
                    next_index += 1
    except KeyboardInterrupt:  # signals not ours (run outside the main thread)
        stop.request(signal.SIGINT)
    finally:
        if pool is not None:
            pool.stop()
        if sink is None and out is not None and stop.requested is not None:
            # Stopped before the output was open: it still holds every game finished (none).
            sink = open_sink(out, columns)
        if sink is not None:
            sink.close()
    return Outcome(
        summary,
        # A request that came after the last game (while the output closed) cut nothing.
        stop.requested is not None and summary.games < plan.games,
        time.perf_counter() - t0,
        sink.written if sink is not None else 0,
        jobs,
        time.process_time() - cpu0,
        _children_cpu() - kids0,
    )


def _children_cpu() -> float:
    """CPU seconds of ended child processes (workers are joined before the run returns)."""
    try:
        import resource
    except ImportError:  # not Unix
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def default_out_note(outcome: Outcome, out: Path | None) -> str:
    rate = outcome.summary.games / outcome.seconds if outcome.seconds > 0 else 0.0
    where = f"; {outcome.rows} rows in {out}" if out is not None else ""
    cpu = f"CPU {outcome.cpu_here:.2f} s here"
    if outcome.cpu_workers > 0:
        cpu += f" + {outcome.cpu_workers:.2f} s in {outcome.jobs} workers"
    return f"{outcome.summary.games} games in {outcome.seconds:.1f} s ({rate:,.0f}/s, {cpu}){where}"


def stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
