from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from wargame.engine.content import Content
from wargame.storage.content_loader import load_content

# The suite is a gate: its generated examples are the same on every run (derandomize), so
# a failure there is one anyone can reproduce, not a coin CI flips. To hunt for new failures,
# `HYPOTHESIS_PROFILE=explore ./test` draws fresh random examples.
settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def convenor() -> Content:
    return load_content(ROOT / "scenarios" / "convenor.yaml")


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
