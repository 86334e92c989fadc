"""Corpus mode: lines that recur across many documents of a batch are boilerplate.

The batch CLI reads every document once, counts in how many documents each normalized
line occurs (:func:`collect`), and passes the frequent keys to
``Normalizer.clean(text, boilerplate=...)``; the chrome pass then reports (C009) or, with
``[tool.mtnorm.chrome] remove-boilerplate = true``, removes lines whose :func:`line_key`
is in that set.

Why the thresholds are safe for article text: an article sentence recurs in a handful of
documents at most (a reprinted story, a quoted slogan), while site boilerplate recurs in
most pages of a source. ``collect`` demands BOTH an absolute count (``min_docs``) and a
share of the batch (``min_share``), so a small batch yields nothing rather than guesses.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable

import regex

_SPACE = regex.compile(r"\s+")
_INVISIBLE = regex.compile(r"[\p{Cf}\p{Cc}--[\t\n\r]]", flags=regex.V1)
_LETTER_OR_DIGIT = regex.compile(r"[\p{L}\p{N}]")
_NEWLINE = regex.compile(r"\r\n|\n|\r")

#: Keys with fewer letters/digits than this are never boilerplate candidates: a line such
#: as "1" or "·" recurs everywhere and means nothing (separators have their own rule).
MIN_KEY_CHARS = 4


def line_key(line: str) -> str:
    """The comparison key of a line: NFKC, case-folded, invisible characters dropped,
    whitespace collapsed.

    NFKC and the space collapse make the key the same before and after the unicode pass
    (U+00A0 -> space, zero-width characters removed), so keys collected from raw files
    match the lines the chrome pass sees.
    """
    if line.isascii() and line.isprintable():
        # Same result, ~10x faster: NFKC leaves ASCII alone, there is nothing invisible in
        # printable ASCII, and its only whitespace is the space.
        return " ".join(line.split()).lower()
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", line))
    return _SPACE.sub(" ", text).strip().casefold()


def collect(texts: Iterable[str], min_docs: int = 20, min_share: float = 0.5) -> frozenset[str]:
    """Keys of lines found in at least ``min_docs`` documents AND in at least ``min_share``
    of all documents. Each document counts a line once.

    ``texts`` may be any iterable (a generator over files): it is read once.
    """
    if min_docs < 1 or not 0.0 < min_share <= 1.0:
        raise ValueError("min_docs must be >= 1 and min_share in (0, 1]")
    counts: Counter[str] = Counter()
    n = 0
    for text in texts:
        n += 1
        keys = {line_key(x) for x in _NEWLINE.split(text)}
        counts.update(k for k in keys if len(_LETTER_OR_DIGIT.findall(k)) >= MIN_KEY_CHARS)
    floor = max(min_docs, min_share * n)
    return frozenset(k for k, c in counts.items() if c >= floor)
