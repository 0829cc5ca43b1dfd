"""A small, fast, deterministic random source for instruction choices.

``random.Random(seed)`` costs about 8 us to seed (the Mersenne Twister state); a build seeds one
per endpoint and per record, a million times over the corpus. This 64-bit LCG seeded from a CRC
of a string key costs well under a microsecond, gives the same draws in every process and Python
version, and offers the three methods the templates use.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")
_MASK = (1 << 64) - 1


class KeyedRandom:
    __slots__ = ("_state",)

    def __init__(self, key: str) -> None:
        data = key.encode()
        self._state = (zlib.crc32(data) << 32 | zlib.adler32(data)) or 1
        self._next()  # mix once: keys that differ in their last characters start far apart

    def _next(self) -> int:
        self._state = (self._state * 6364136223846793005 + 1442695040888963407) & _MASK
        return self._state >> 33  # the high bits of an LCG are the good ones

    def randrange(self, n: int) -> int:
        return self._next() % n if n > 0 else 0

    def choice(self, seq: Sequence[T]) -> T:
        return seq[self._next() % len(seq)]

    def random(self) -> float:
        return self._next() / float(1 << 31)
