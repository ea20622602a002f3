"""The garbage collector held back while content is built.

Loading a big scenario makes ~10^5 objects that all stay alive; the collector would walk
them again at every few hundred allocations (half of the time validating 1 MB took). With
it held back, it runs once, later, and finds the same garbage.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    if not gc.isenabled():  # nested, or the caller manages it
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
