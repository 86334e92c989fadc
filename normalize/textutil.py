"""Character classes and line helpers shared by passes (compiled once, at import)."""

from __future__ import annotations

from collections.abc import Iterator

import regex

#: Letters of CJK scripts: the text that full-width punctuation legitimately belongs to.
CJK_LETTER = r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]"

#: One line: its content without the line ending, and the ending.
LINE = regex.compile(r"([^\r\n]*)(\r\n|\n|\r|$)")


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
