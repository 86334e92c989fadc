"""Corpus mode: lines that recur across many documents of a batch are boilerplate.

The batch CLI reads every document once, counts in how many documents each normalized
line occurs (:func:`collect`), and passes the frequent keys to
``Normalizer.clean(text, boilerplate=...)``; the chrome pass then reports or removes
lines whose :func:`line_key` is in that set.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import regex

_SPACE = regex.compile(r"\s+")


def line_key(line: str) -> str:
    """The comparison key of a line: case-folded, whitespace collapsed."""
    return _SPACE.sub(" ", line).strip().casefold()


def collect(texts: Iterable[str], min_docs: int = 20, min_share: float = 0.5) -> frozenset[str]:
    """Keys of lines found in at least ``min_docs`` documents AND in at least ``min_share``
    of all documents. Each document counts a line once."""
    counts: Counter[str] = Counter()
    n = 0
    for text in texts:
        n += 1
        counts.update({line_key(x) for x in text.splitlines() if x.strip()})
    floor = max(min_docs, min_share * n)
    return frozenset(k for k, c in counts.items() if c >= floor)
