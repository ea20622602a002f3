"""Join codes: one per human seat, one for the umpire, one for spectators.

A code is 144 random bits from `secrets` (24 URL-safe characters). Only its sha256 is kept
(in the save and in memory): with that much entropy a plain hash cannot be searched back,
and a stolen save does not let anyone join.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping, Sequence
from pathlib import Path

UMPIRE = "umpire"
SPECTATOR = "spectator"
CODE_BYTES = 18  # 144 bits


def new_code() -> str:
    return secrets.token_urlsafe(CODE_BYTES)


def hash_code(code: str) -> str:
    return "sha256:" + hashlib.sha256(code.encode("utf-8")).hexdigest()


def same_hash(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def new_codes(humans: Sequence[str], umpire: str) -> dict[str, str]:
    """role → code for each human seat, the spectators, and the (host-wide) umpire code."""
    codes = {role: new_code() for role in humans}
    codes[UMPIRE] = umpire
    codes[SPECTATOR] = new_code()
    return codes


def codes_document(tables: Sequence[Mapping[str, str]]) -> object:
    """CONTRACT.md: one table is `{"washington": CODE, ..., "umpire": CODE, "spectator": CODE}`;
    several are a list of such objects, each with its `"table"` number."""
    if len(tables) == 1:
        return dict(tables[0])
    return [{"table": i + 1, **codes} for i, codes in enumerate(tables)]


def write_codes_file(path: Path, tables: Sequence[Mapping[str, str]]) -> None:
    """Written readable only by its owner: the codes are the keys to the seats."""
    from wargame.storage.saves import write_atomic

    data = json.dumps(codes_document(tables), indent=2) + "\n"
    write_atomic(path, data.encode(), backup=False)
    path.chmod(0o600)
