"""Convert between code-point offsets (what findings use) and Qt's UTF-16 positions.

Findings count code points, as Vale does; QTextDocument counts UTF-16 code units, so every emoji
or other character outside the Basic Multilingual Plane shifts Qt positions by one. Posts are full
of emoji, so underlines and fixes would land on the wrong characters without this.
"""

from __future__ import annotations

from bisect import bisect_left


class OffsetMap:
    """Maps offsets of one text; cheap (identity) when the text has no astral characters."""

    def __init__(self, text: str) -> None:
        self.text = text
        # Code-point indexes of characters that take two UTF-16 units.
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF] if not text.isascii() else []

    def to_qt(self, offset: int) -> int:
        """Code-point offset -> UTF-16 position."""
        if not self._astral:
            return offset
        return offset + bisect_left(self._astral, offset)

    def from_qt(self, position: int) -> int:
        """UTF-16 position -> code-point offset (a position inside a surrogate pair rounds down)."""
        if not self._astral:
            return position
        lo, hi = 0, min(position, len(self.text))
        # The largest offset whose UTF-16 position does not pass `position` (to_qt is increasing).
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.to_qt(mid) <= position:
                lo = mid
            else:
                hi = mid - 1
        return lo
