"""Turn "old segment -> new segment" into minimal edits, for passes that rewrite whole
segments through a library (ftfy) and still want a fine-grained report."""

from __future__ import annotations

import itertools
import re
from difflib import SequenceMatcher

import regex

from normalize.edits import Edit

# SequenceMatcher is quadratic in the worst case; beyond this, diff word by word.
_MAX_DIFF = 200
_TOKEN = regex.compile(r"\s+|\S+")
_TOKEN_BACK = regex.compile(r"\s+|\S+", regex.REVERSE)


def _trim(old: str, new: str) -> tuple[int, int]:
    """Length of the common prefix and of the common suffix (not overlapping)."""
    lo = _common_prefix(old, new, 0, 0)
    suffix = 0
    limit = min(len(old), len(new)) - lo
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
        return _token_diff(a, b, base, rule, confidence, message, meta)
    pairs = _paired_runs(a, b)
    if pairs is not None and len(pairs) > 1:
        return [
            e
            for i1, i2, j1, j2 in pairs
            for e in diff_edits(a[i1:i2], b[j1:j2], base + i1, rule, confidence, message, meta)
        ]
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


_RUNS = re.compile(r"[\x00-\x7f]+|[^\x00-\x7f]+")


def _paired_runs(a: str, b: str) -> list[tuple[int, int, int, int]] | None:
    """The differing stretches of ``a`` and ``b`` when both have the same ASCII runs in
    the same order and differ only between them, else None.

    That is the shape of an encoding repair (mojibake never touches ASCII), and it lets
    each repaired stretch be diffed on its own: SequenceMatcher over a whole segment
    with several repairs costs ~10x more. When each stretch becomes what it decodes to,
    the edits are the ones SequenceMatcher finds; when a character of one stretch also
    occurs in another, SequenceMatcher may pair them across the unchanged ASCII between
    ('éx©' -> '€xé': insert '€x', delete 'x©'), where this keeps one edit per stretch
    ('é' -> '€', '©' -> 'é'), which is what a report of repairs should say.
    """
    ta, tb = _RUNS.findall(a), _RUNS.findall(b)
    if len(ta) != len(tb):
        return None
    pairs: list[tuple[int, int, int, int]] = []
    pa = pb = 0
    for x, y in zip(ta, tb, strict=True):
        if x != y:
            if x.isascii() or y.isascii():
                return None
            pairs.append((pa, pa + len(x), pb, pb + len(y)))
        pa += len(x)
        pb += len(y)
    return pairs


def _token_diff(
    a: str, b: str, base: int, rule: str, confidence: float, message: str, meta: dict
) -> list[Edit]:
    """Diff long segments word by word, then refine each changed stretch by character.

    Repairs are local, so the words of the two sides line up: walk both token lists and,
    where they differ, resynchronise on the nearest equal pair of tokens within a small
    window. Linear in the length, unlike SequenceMatcher, which is quadratic on long
    texts (every space token matches every other). Equal stretches are skipped with
    string comparisons rather than token by token, and only a window of tokens past each
    difference is ever split out, so a long single-line document costs a few passes of
    C-level compares plus work proportional to its changes.
    """
    edits: list[Edit] = []
    na, nb = len(a), len(b)
    pa = pb = 0  # aligned token boundaries: everything before them is equal, token by token
    while pa < na or pb < nb:
        same = _common_prefix(a, b, pa, pb)
        if pa + same == na and pb + same == nb:
            break
        if same:
            # Back to the start of the token holding the last equal character: a token
            # boundary on both sides (the text up to there is the same), from which the
            # token walk below finds the first unequal pair.
            back = pa + same - _TOKEN_BACK.match(a, pa, pa + same).start()  # type: ignore[union-attr]
            pa, pb = pa + same - back, pb + same - back
        wa, wb = _window(a, pa), _window(b, pb)
        k = 0
        while k < len(wa) and k < len(wb) and wa[k] == wb[k]:
            pa += len(wa[k])
            pb += len(wb[k])
            k += 1
        if k:
            continue
        di, dj = _resync(wa, wb, 0, 0)
        if (di, dj) == (len(wa), len(wb)):  # no resync in the window: the rest differs
            old, new = a[pa:], b[pb:]
        else:
            old, new = "".join(wa[:di]), "".join(wb[:dj])
        at = base + pa
        if len(old) <= _MAX_DIFF and len(new) <= _MAX_DIFF:
            edits.extend(diff_edits(old, new, at, rule, confidence, message, meta))
        else:
            edits.append(Edit(at, at + len(old), new, rule, confidence, message, meta))
        pa += len(old)
        pb += len(new)
    return edits


def _common_prefix(a: str, b: str, pa: int, pb: int) -> int:
    """Length of the common prefix of ``a[pa:]`` and ``b[pb:]``, by slice compares of
    doubling size (C-level memcmp), so a long equal stretch costs a few compares."""
    limit = min(len(a) - pa, len(b) - pb)
    lo = 0
    step = 64
    while lo < limit:
        hi = min(lo + step, limit)
        if a[pa + lo : pa + hi] == b[pb + lo : pb + hi]:
            lo = hi
            step *= 2
        elif step > 1:
            step //= 2
        else:
            break
    return lo


def _window(text: str, pos: int) -> list[str]:
    """The tokens from ``pos`` (a token boundary) that :func:`_resync` can look at: it
    looks at most ``_WINDOW + 1`` tokens ahead, so with one more a short list means the
    real end of the text."""
    return [m.group() for m in itertools.islice(_TOKEN.finditer(text, pos), _WINDOW + 2)]


_WINDOW = 24


def _resync(ta: list[str], tb: list[str], i: int, j: int) -> tuple[int, int]:
    """Smallest (di, dj) after which ``ta[i+di] == tb[j+dj]`` (and the token after too),
    searched by growing distance within the window; else the rest of both lists."""
    for dist in range(1, 2 * _WINDOW):
        for di in range(max(0, dist - _WINDOW), min(dist, _WINDOW) + 1):
            dj = dist - di
            x, y = i + di, j + dj
            if x >= len(ta) or y >= len(tb):
                if x == len(ta) and y == len(tb):
                    return di, dj
                continue
            if ta[x] == tb[y] and (x + 1 >= len(ta) or y + 1 >= len(tb) or ta[x + 1] == tb[y + 1]):
                return di, dj
    return len(ta) - i, len(tb) - j
