"""`wargame simulate --dask ADDRESS` on a real Dask cluster: a scheduler and two worker
processes on 127.0.0.1, started and stopped here. Same seeds, same rows as a local run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from wargame.cli import main
from wargame.experiments.loopback import loopback_cluster

RANDOM = ["--bot", "washington=random", "--bot", "tokyo=random", "--bot", "seoul=random"]


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    with loopback_cluster(workers=2) as address:
        yield address


@pytest.mark.timeout(240)
def test_dask_rows_are_the_local_rows(
    cluster: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["simulate", "convenor", "--runs", "40", "--seed", "7", *RANDOM]
    args += ["--sweep", "nk_threat=30,70"]
    local, remote = tmp_path / "local.parquet", tmp_path / "dask.parquet"
    assert main([*args, "--out", str(local)]) == 0
    here = capsys.readouterr().out
    assert main([*args, "--dask", cluster, "--out", str(remote)]) == 0
    there = capsys.readouterr().out
    a, b = pd.read_parquet(local), pd.read_parquet(remote)
    assert len(a) == 80
    pd.testing.assert_frame_equal(a, b)
    assert here == there  # the same summary, figure for figure


@pytest.mark.timeout(240)
def test_both_workers_play(cluster: str, tmp_path: Path) -> None:
    from distributed import Client

    with Client(cluster) as client:
        before = {w["name"] for w in client.scheduler_info()["workers"].values()}
        assert before == {"w0", "w1"}
        args = ["simulate", "convenor", "--runs", "200", *RANDOM, "--dask", cluster]
        assert main(args) == 0
        # Tasks ran on both: each worker's log of finished tasks names some of ours.
        played = client.run(
            lambda dask_worker: (
                sum(1 for key, state in dask_worker.state.tasks.items() if "wargame" in str(key))
                + len([k for k in dask_worker.state.log if "wargame" in str(k)])
            )
        )
        assert len(played) == 2 and all(n > 0 for n in played.values()), played


def test_unreachable_scheduler_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["simulate", "convenor", "--runs", "1", "--dask", "tcp://127.0.0.1:9"]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in err
    assert "Traceback" not in err
