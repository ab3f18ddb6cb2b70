"""Python code points <-> Qt text positions (UTF-16 code units).

The store counts code points; QTextDocument counts UTF-16 units, so every
character outside the Basic Multilingual Plane (an emoji, a rare CJK
ideograph) shifts Qt's positions by one. Line breaks count one in both
(Qt turns "\\n" into a paragraph separator of the same length).
"""

from __future__ import annotations

from bisect import bisect_right


class OffsetMap:
    def __init__(self, text: str) -> None:
        # Code-point indexes of the characters that take two UTF-16 units.
        self._wide = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        self._length = len(text)

    def to_qt(self, index: int) -> int:
        return index + bisect_right(self._wide, index - 1)

    def from_qt(self, position: int) -> int:
        """The code point at a Qt position; a position inside a surrogate pair rounds down."""
        low, high = 0, self._length
        while low < high:
            mid = (low + high + 1) // 2
            if self.to_qt(mid) <= position:
                low = mid
            else:
                high = mid - 1
        return low
