"""AT Protocol TIDs ("timestamp identifiers"), used as record keys that a retry can reproduce.

A TID is 64 bits: 53 bits of microseconds since the epoch and 10 bits of clock id, written as 13
characters of sortable base32. Deriving the clock id from the idempotency key and the timestamp from
the plan's fixed creation time (plus the post's position in a thread) gives every post of a planned
publish one record key, forever: a retry either finds that record or creates it, never a second one.
"""

from __future__ import annotations

from datetime import datetime

_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"


def encode(micros: int, clock_id: int) -> str:
    value = ((micros & ((1 << 53) - 1)) << 10) | (clock_id & 1023)
    out = []
    for _ in range(13):
        out.append(_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(out))


def for_plan(created_at: str, key: str, position: int) -> str:
    """The record key of post `position` (0-based) of a thread planned at `created_at`."""
    when = datetime.fromisoformat(created_at.replace("Z", "+00:00"))
    micros = int(when.timestamp()) * 1_000_000 + when.microsecond + position
    return encode(micros, int(key[:8], 16) % 1024)
