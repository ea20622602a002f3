"""Play chunks on an existing Dask cluster (`--dask tcp://HOST:8786`).

The plan goes to every worker once (scatter, broadcast); each task is one chunk, so the
rows are the same as a local run's for the same seeds, whatever worker plays them. Workers
need this package installed (`pip install 'wargame[experiments]'`), at the same version.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any

from wargame.experiments.local import RunError
from wargame.experiments.plan import Chunk, Plan, Result, run_chunk
from wargame.experiments.stopping import Stop


def _play(plan: Plan, chunk: Chunk) -> Result:
    return run_chunk(plan, chunk)


def connect(address: str, timeout: float = 10.0) -> Any:
    try:
        from distributed import Client
    except ImportError:
        raise RunError(
            "--dask needs dask.distributed: pip install 'wargame[experiments]'"
        ) from None
    try:
        return Client(address, timeout=timeout, set_as_default=False)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as err:
        raise RunError(
            f"cannot reach the Dask scheduler at {address}: {err}. Start one with "
            "`dask scheduler` and at least one `dask worker ADDRESS` (docs/experiments.md)"
        ) from None
    except ValueError as err:
        raise RunError(f"--dask {address}: {err}") from None


def run_dask(
    plan: Plan, chunks: Sequence[Chunk], address: str, stop: Stop
) -> Iterator[Result]:
    """Results in the order they finish; every task is cancelled if the run stops early
    (a stop request is seen within a tenth of a second)."""
    from distributed import as_completed

    client = connect(address)
    futures: list[Any] = []
    try:
        if not client.scheduler_info().get("workers"):
            raise RunError(f"the Dask cluster at {address} has no workers yet")
        if stop.requested is not None:
            return
        shared = client.scatter(plan, broadcast=True, hash=False)
        futures = [
            client.submit(_play, shared, c, key=f"wargame-{plan.key}-{c.index}", pure=False)
            for c in chunks
        ]
        finished: Any = as_completed(futures, loop=client.loop)  # type: ignore[no-untyped-call]
        while stop.requested is None:
            batch = finished.next_batch(block=False)
            if not batch:
                if finished.is_empty():
                    return
                stop.wait(0.1)  # the results arrive on Dask's own thread meanwhile
            for future in batch:
                if stop.requested is not None:
                    return
                try:
                    result = future.result()
                except Exception as err:
                    raise RunError(
                        f"a chunk failed on the cluster: {type(err).__name__}: {err}"
                    ) from None
                future.release()
                yield result
    finally:
        if futures:
            # The cluster may be gone already: nothing more to stop then.
            with contextlib.suppress(Exception):
                client.cancel(futures)
        client.close()
