"""Converting between LanguageTool's UTF-16 offsets and Python's code-point offsets.

LanguageTool is a Java program: its `offset` and `length` count UTF-16 code units, so every emoji
or other character outside the Basic Multilingual Plane counts twice. Findings use code points
(what Python's `str` indexes), so a match after "🎉" would be painted one character too far right
without this conversion.
"""

from __future__ import annotations

from bisect import bisect_right


class Utf16Index:
    """Maps UTF-16 unit offsets of one text to code-point offsets (and back) in O(log n).

    Built once per checked text; only the positions of astral characters are stored, so texts
    without emoji cost almost nothing.
    """

    def __init__(self, text: str) -> None:
        self._text_length = len(text)
        # Code-point index of every character that takes two UTF-16 units.
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]

    def to_utf16(self, code_point_offset: int) -> int:
        """UTF-16 offset of a code-point offset."""
        return code_point_offset + bisect_right(self._astral, code_point_offset - 1)

    def to_code_points(self, utf16_offset: int) -> int:
        """Code-point offset of a UTF-16 offset.

        An offset that falls between the two halves of a surrogate pair (which a correct server
        never sends) is rounded down to the start of that character, so a span never splits one.
        """
        lo, hi = 0, len(self._astral)
        # Find how many astral characters lie wholly before `utf16_offset`.
        while lo < hi:
            mid = (lo + hi) // 2
            # UTF-16 end of astral character number `mid`.
            end_units = self._astral[mid] + mid + 2
            if end_units <= utf16_offset:
                lo = mid + 1
            else:
                hi = mid
        code_points = utf16_offset - lo
        if lo < len(self._astral) and code_points > self._astral[lo]:
            code_points = self._astral[lo]
        return max(0, min(code_points, self._text_length))
