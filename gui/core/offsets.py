"""The one place that converts between Python offsets and Qt text positions.

Everything outside the view counts Python code points, end exclusive. A ``QTextDocument``
counts UTF-16 code units (a character outside the Basic Multilingual Plane takes two) and turns
a ``\\r\\n`` pair into a single block separator. This module knows both rules and nothing else,
so it stays Qt-free and testable; the view asks it for every conversion.

Both directions are O(log n): the positions where the two counts drift apart (astral
characters and CRLF pairs) are found once per document.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_CRLF = re.compile("\r\n")


class OffsetMap:
    """Converts offsets for one article text."""

    def __init__(self, text: str):
        self.text = text
        self._astral = [m.start() for m in _ASTRAL.finditer(text)]
        # Index of the "\n" of each CRLF: it shares the position of its "\r" in Qt.
        self._crlf = [m.start() + 1 for m in _CRLF.finditer(text)]
        self._crlf_set = frozenset(self._crlf)
        self.qt_length = self.to_qt(len(text))

    def to_qt(self, index: int) -> int:
        """Qt position of the Python index ``index`` (0 <= index <= len(text))."""
        if not 0 <= index <= len(self.text):
            raise IndexError(f"offset {index} outside a text of {len(self.text)} characters")
        return index + bisect_left(self._astral, index) - bisect_right(self._crlf, index)

    def to_python(self, position: int, *, round_up: bool = False) -> int:
        """Python index of the Qt position ``position``.

        A position inside a UTF-16 surrogate pair rounds down to the character's start, or up to
        its end with ``round_up`` (use it for the end of a span, so the span keeps the character).
        """
        position = max(0, min(position, self.qt_length))
        lo, hi = 0, len(self.text)
        while lo < hi:  # smallest index whose Qt position is >= position
            mid = (lo + hi) // 2
            if self.to_qt(mid) < position:
                lo = mid + 1
            else:
                hi = mid
        if self.to_qt(lo) > position and not round_up:
            lo -= 1
        return lo

    def span_to_qt(self, start: int, end: int) -> tuple[int, int]:
        """A span that covers part of a CRLF covers the whole line break in Qt."""
        if end in self._crlf_set and end > start:
            end += 1
        return self.to_qt(start), self.to_qt(end)

    def span_to_python(self, start: int, end: int) -> tuple[int, int]:
        if start > end:
            start, end = end, start
        return self.to_python(start), self.to_python(end, round_up=True)


def qt_plain_text(text: str) -> str:
    """What ``QTextDocument.toPlainText()`` returns for ``text`` set with ``setPlainText``."""
    return (
        text.replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\u2029", "\n")
        .replace("\u2028", "\n")
    )
