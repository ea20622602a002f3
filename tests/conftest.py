from __future__ import annotations

from pathlib import Path

import pytest

from wargame.engine.content import Content
from wargame.storage.content_loader import load_content

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def convenor() -> Content:
    return load_content(ROOT / "scenarios" / "convenor.yaml")


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
