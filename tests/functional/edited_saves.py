"""A save as another tool would rewrite it: changed, then its content hash and checksum
recomputed, so only the program's own checks (text, replay) can refuse it."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from wargame.storage.content_loader import ContentSource, SourceFile
from wargame.storage.save_format import sign_bytes


def edited(saved: Path, out: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    doc = json.loads(saved.read_text(encoding="utf-8"))
    change(doc)
    texts = doc["content"]
    # With a lone surrogate no hash can be computed; the text check comes first anyway.
    with contextlib.suppress(UnicodeEncodeError):
        texts["sha256"] = ContentSource(
            SourceFile(texts["scenario"]["name"], texts["scenario"]["text"]),
            tuple(SourceFile(r["name"], r["text"]) for r in texts["rules"]),
        ).digest()
    # JSON's own escapes for odd characters (and NaN/Infinity as Python writes them).
    out.write_bytes(sign_bytes(json.dumps(doc, indent=1).encode()))
    return out
