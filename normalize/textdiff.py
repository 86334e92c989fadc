"""Turn "old segment -> new segment" into minimal edits, for passes that rewrite whole
segments through a library (ftfy) and still want a fine-grained report."""

from __future__ import annotations

from difflib import SequenceMatcher

from normalize.edits import Edit

# SequenceMatcher is quadratic in the worst case; beyond this the middle is one edit.
_MAX_DIFF = 4000


def _trim(old: str, new: str) -> tuple[int, int]:
    """Length of the common prefix and of the common suffix (not overlapping)."""
    limit = min(len(old), len(new))
    lo = 0
    step = 64
    while lo < limit:  # chunked, so long equal prefixes cost a few slice compares
        hi = min(lo + step, limit)
        if old[lo:hi] == new[lo:hi]:
            lo = hi
            step *= 2
        elif step > 1:
            step //= 2
        else:
            break
    suffix = 0
    limit -= lo
    step = 64
    while suffix < limit:
        hi = min(suffix + step, limit)
        if old[len(old) - hi : len(old) - suffix] == new[len(new) - hi : len(new) - suffix]:
            suffix = hi
            step *= 2
        elif step > 1:
            step //= 2
        else:
            break
    return lo, suffix


def diff_edits(
    old: str,
    new: str,
    offset: int,
    rule: str,
    confidence: float = 1.0,
    message: str = "",
    meta: dict | None = None,
) -> list[Edit]:
    """Edits that turn ``old`` (found at ``offset`` in the pass input) into ``new``.

    >>> edits = diff_edits("cafÃ© ok", "café ok", 10, "X")
    >>> [(e.start, e.end, e.replacement) for e in edits]
    [(13, 15, 'é')]
    """
    if old == new:
        return []
    meta = meta or {}
    pre, suf = _trim(old, new)
    a, b = old[pre : len(old) - suf], new[pre : len(new) - suf]
    base = offset + pre
    if len(a) > _MAX_DIFF or len(b) > _MAX_DIFF:
        return [Edit(base, base + len(a), b, rule, confidence, message, meta)]
    edits: list[Edit] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        edit = Edit(base + i1, base + i2, b[j1:j2], rule, confidence, message, meta)
        if (
            edits
            and edits[-1].end == edit.start
            and (edit.start == edit.end or edits[-1].start == edits[-1].end)
        ):
            prev = edits.pop()
            edit = Edit(
                prev.start,
                edit.end,
                prev.replacement + edit.replacement,
                rule,
                confidence,
                message,
                meta,
            )
        edits.append(edit)
    return edits
