"""Character classes and line helpers shared by passes (compiled once, at import)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

import regex

#: Letters of CJK scripts: the text that full-width punctuation legitimately belongs to.
CJK_LETTER = r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]"

#: One line: its content without the line ending, and the ending.
LINE = regex.compile(r"([^\r\n]*)(\r\n|\n|\r|$)")
_NEWLINE_CHAR = re.compile("\n")  # a literal: the stdlib engine finds it fastest


def iter_lines(text: str) -> Iterator[tuple[int, int, int]]:
    """Yield ``(start, content_end, end)`` for each line; ``end`` includes the line ending.

    A text ending in a newline has no empty last line, as with ``str.splitlines``.

    >>> list(iter_lines("ab\\r\\ncd"))
    [(0, 2, 4), (4, 6, 6)]
    """
    n = len(text)
    for m in LINE.finditer(text):
        start, end = m.span()
        if start == n and start == end:
            return
        yield start, m.end(1), end
        if end == n:
            return


class LineBounds:
    """Find the line around any offset in O(log n), for passes that start from a match and
    need its line. (Searching backwards with ``rfind`` per match is quadratic on a huge
    single-line document.)"""

    __slots__ = ("_ends", "_n")

    def __init__(self, text: str) -> None:
        self._ends = [m.start() for m in _NEWLINE_CHAR.finditer(text)]
        self._n = len(text)

    def __call__(self, pos: int) -> tuple[int, int]:
        """``(start, end)`` of the line holding ``pos``; ``end`` excludes the line break."""
        k = bisect.bisect_left(self._ends, pos)
        start = self._ends[k - 1] + 1 if k > 0 else 0
        end = self._ends[k] if k < len(self._ends) else self._n
        return start, end


def lines_with(text: str, pattern: regex.Pattern[str]) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each line containing a match of ``pattern``, each line once, in
    one linear scan (``end`` excludes the line break)."""
    pos = 0
    n = len(text)
    while pos <= n:
        m = pattern.search(text, pos)
        if m is None:
            return
        start = text.rfind("\n", 0, m.start()) + 1
        end = text.find("\n", m.start())
        end = n if end < 0 else end
        yield start, end
        pos = end + 1


class LineHas:
    """Whether the line around an offset contains a match of ``pattern``, searched once
    per line and only for lines a caller asks about (several passes gate a match on
    something elsewhere in its line: Latin words, a markup tag)."""

    __slots__ = ("_bounds", "_cache", "_pattern", "_text")

    def __init__(self, text: str, pattern: regex.Pattern[str]) -> None:
        self._text = text
        self._pattern = pattern
        self._bounds: LineBounds | None = None
        self._cache: dict[int, bool] = {}

    def __call__(self, pos: int) -> bool:
        self._bounds = self._bounds or LineBounds(self._text)
        start, end = self._bounds(pos)
        found = self._cache.get(start)
        if found is None:
            found = self._cache[start] = self._pattern.search(self._text, start, end) is not None
        return found
