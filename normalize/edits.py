"""The edit model: what a pass proposes, and what the report says happened.

A pass never rewrites text itself. It returns :class:`Edit` objects against the text it
was given; the engine applies them, tracks offsets and turns them into :class:`Change`
records expressed in coordinates of the ORIGINAL input. Keeping the two types apart means
a pass cannot get offsets wrong, and the report can always be replayed with
:func:`apply_changes`.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``text[start:end]`` with ``replacement`` (coordinates of the pass's input).

    ``meta`` carries rule-specific evidence (a glossary entry id, a fuzzy score) that the
    report passes through unchanged.
    """

    start: int
    end: int
    replacement: str
    rule: str
    confidence: float = 1.0
    message: str = ""
    meta: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Finding:
    """Something worth a human look that the tool deliberately did not change."""

    rule: str
    start: int
    end: int
    line: int
    column: int
    text: str
    message: str
    confidence: float = 1.0
    meta: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict in report-schema field order."""
        return {
            "rule": self.rule,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
            "text": self.text,
            "message": self.message,
            "confidence": round(self.confidence, 4),
            "meta": dict(self.meta),
        }


@dataclass(frozen=True, slots=True)
class Change:
    """One contiguous change, in coordinates of the original input.

    ``start``/``end`` are code-point offsets into the original text, ``line``/``column``
    are 1-based and point at ``start``. When edits of several passes touch the same
    stretch of text they are merged into one change: ``rule`` is the rule whose edit
    covered the most text (a deleted line outranks a space fixed in it) and ``also``
    lists the others, so nothing is hidden and the change list still replays exactly.
    """

    rule: str
    pass_name: str
    start: int
    end: int
    line: int
    column: int
    before: str
    after: str
    confidence: float
    message: str
    also: tuple[str, ...] = ()
    meta: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict in report-schema field order."""
        return {
            "rule": self.rule,
            "pass": self.pass_name,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
            "before": self.before,
            "after": self.after,
            "confidence": round(self.confidence, 4),
            "message": self.message,
            "also": list(self.also),
            "meta": dict(self.meta),
        }


def apply_changes(original: str, changes: Iterable[Change | Mapping[str, Any]]) -> str:
    """Replay a change list on the original text.

    Accepts :class:`Change` objects or their dict form from a JSON report, so a report
    read back from disk replays too. Raises ``ValueError`` when changes overlap or do not
    match the original, which means the report and the text do not belong together.

    >>> from normalize import clean
    >>> r = clean("high -quality work")
    >>> apply_changes("high -quality work", r.changes) == r.text
    True
    """
    spans: list[tuple[int, int, str, str]] = []
    for ch in changes:
        if isinstance(ch, Change):
            spans.append((ch.start, ch.end, ch.before, ch.after))
        else:
            spans.append((int(ch["start"]), int(ch["end"]), str(ch["before"]), str(ch["after"])))
    spans.sort(key=lambda s: (s[0], s[1]))
    pieces: list[str] = []
    pos = 0
    for start, end, before, after in spans:
        if start < pos or end < start or end > len(original):
            raise ValueError(f"change at {start}:{end} overlaps another or lies outside the text")
        if original[start:end] != before:
            raise ValueError(f"change at {start}:{end} does not match the original text")
        pieces.append(original[pos:start])
        pieces.append(after)
        pos = end
    pieces.append(original[pos:])
    return "".join(pieces)


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """Apply already sorted, non-overlapping edits to ``text``."""
    pieces: list[str] = []
    pos = 0
    for e in edits:
        pieces.append(text[pos : e.start])
        pieces.append(e.replacement)
        pos = e.end
    pieces.append(text[pos:])
    return "".join(pieces)


def _clash(x: Edit, y: Edit) -> bool:
    """Two edits clash when they overlap, or insert at the same point (order ambiguous)."""
    return (x.start < y.end and y.start < x.end) or (x.start == x.end == y.start == y.end)


def drop_overlaps(edits: Sequence[Edit]) -> list[Edit]:
    """Keep edits in priority order (earlier in the input wins), dropping any that clash
    with one already kept; the result is sorted by position.

    Passes whose rules can fire on the same text use this to say which rule wins.
    Only edits of one cluster (a run of edits, in position order, each starting before
    the ones before it end) can clash, so the priority rule is applied cluster by
    cluster. Rule-ordered edits over a long document (all of one rule, then all of
    another) then cost a sort, not an insertion into the middle of one document-long
    list per edit; within a cluster, each edit is checked against its sorted neighbours.
    """
    if all(not _clash(a, b) and a.end <= b.start for a, b in itertools.pairwise(edits)):
        return list(edits)  # already sorted and disjoint: the common case, in linear time
    order = sorted(range(len(edits)), key=lambda i: (edits[i].start, edits[i].end))
    kept: list[Edit] = []
    cluster: list[int] = []
    reach = last_empty = -1  # the cluster's furthest end; its last empty edit's position
    for i in order:
        e = edits[i]
        if cluster and not (e.start < reach or e.start == e.end == last_empty):
            kept.extend(_by_priority(edits, cluster))
            cluster = []
            reach = last_empty = -1
        cluster.append(i)
        reach = max(reach, e.end)
        if e.start == e.end:
            last_empty = e.start
    kept.extend(_by_priority(edits, cluster))
    kept.sort(key=lambda e: (e.start, e.end))
    return kept


def _by_priority(edits: Sequence[Edit], cluster: list[int]) -> list[Edit]:
    """The edits of one cluster that survive, earlier input first. Kept edits are held
    sorted, so each check looks only at its neighbours there (kept edits never clash,
    so an edit clashing with any of them clashes with one next to its place)."""
    if len(cluster) == 1:
        return [edits[cluster[0]]]
    keys: list[tuple[int, int]] = []
    kept: list[Edit] = []  # sorted by (start, end), parallel to ``keys``
    for i in sorted(cluster):
        e = edits[i]
        k = bisect.bisect_left(keys, (e.start, e.end))
        if any(_clash(e, kept[j]) for j in range(max(0, k - 1), min(len(kept), k + 2))):
            continue
        keys.insert(k, (e.start, e.end))
        kept.insert(k, e)
    return kept
