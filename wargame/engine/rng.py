"""The game's seeded random generator (PCG32, XSH-RR).

Hand-written rather than `random.Random` because its whole state is two integers: it is
saved with every turn, hashed, and must give the same numbers on every platform and
Python version. Bots and look-ahead get derived streams so they never disturb the
game's own sequence of rolls.
"""

from __future__ import annotations

import hashlib

import attrs

ALGORITHM = "pcg32-xsh-rr"
_MULT = 6364136223846793005
_MASK64 = (1 << 64) - 1


def _seed_words(seed: int, label: str) -> tuple[int, int]:
    digest = hashlib.sha256(f"{seed}:{label}".encode()).digest()
    return int.from_bytes(digest[:8], "big"), int.from_bytes(digest[8:16], "big") | 1


@attrs.frozen
class RngState:
    """Saved form of the generator: `state` advances, `inc` picks the stream (always odd)."""

    state: int
    inc: int


class Rng:
    __slots__ = ("_inc", "_state")

    def __init__(self, state: RngState) -> None:
        self._state = state.state
        self._inc = state.inc

    @classmethod
    def from_seed(cls, seed: int, label: str = "game") -> Rng:
        state, inc = _seed_words(seed, label)
        return cls(RngState(state, inc))

    def snapshot(self) -> RngState:
        return RngState(self._state, self._inc)

    def next_u32(self) -> int:
        old = self._state
        self._state = (old * _MULT + self._inc) & _MASK64
        xorshifted = (((old >> 18) ^ old) >> 27) & 0xFFFFFFFF
        rot = old >> 59
        return ((xorshifted >> rot) | (xorshifted << ((-rot) & 31))) & 0xFFFFFFFF

    def random(self) -> float:
        """A float in [0, 1) with 53 bits of precision."""
        hi = self.next_u32() >> 5
        lo = self.next_u32() >> 6
        return (hi * 67108864.0 + lo) / 9007199254740992.0

    def chance(self, p: float) -> bool:
        if p <= 0.0:
            return False
        if p >= 1.0:
            return True
        return self.random() < p

    def below(self, n: int) -> int:
        """A uniform integer in [0, n) without modulo bias."""
        if n <= 0:
            raise ValueError("below() needs n >= 1")
        threshold = (0x100000000 - n) % n
        while True:
            r = self.next_u32()
            if r >= threshold:
                return r % n

    def derive(self, label: str) -> Rng:
        """An independent stream keyed by the current state and a label; this one is unchanged."""
        return Rng.from_seed(self._state ^ (self._inc << 1), label)
