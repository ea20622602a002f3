"""The host's rate limit, on a clock the test turns by hand."""

from __future__ import annotations

from wargame.host.server import BURST, RATE, Bucket


def test_a_burst_then_the_sustained_rate() -> None:
    now = [0.0]
    bucket = Bucket(clock=lambda: now[0])
    assert all(bucket.take() for _ in range(int(BURST)))
    assert not bucket.take()  # the burst is spent, and no time has passed
    now[0] += 0.5  # half a second's worth of messages
    assert sum(bucket.take() for _ in range(100)) == int(0.5 * RATE)
    now[0] += 3600.0  # refills only up to the burst
    assert sum(bucket.take() for _ in range(int(BURST) + 5)) == int(BURST)
