"""A cheap, provably safe gate in front of ftfy's ``is_bad``.

ftfy decides whether text "looks like mojibake" with one large regex (``BADNESS_RE``,
about 4 MB/s). Every alternative of that regex contains at least one position that can
only match a non-ASCII character from a small set (for example ``[ÃÂ]`` or a C1 control).
We derive, from ftfy's own compiled pattern, one such required set per alternative and
join them into a single character class: text containing none of those characters
cannot match ``BADNESS_RE``, so ``is_bad`` would return False and ftfy would leave it
unchanged. Deriving the set at import time (instead of hard-coding it) keeps the gate
exact when ftfy's heuristic changes; if a future alternative has no such position the
gate disables itself rather than guess.
"""

from __future__ import annotations

import re
from re import _constants as sre_c  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]

from ftfy.badness import BADNESS_RE


def _chars(op: object, av: object) -> set[str] | None:
    """The characters one parsed item can match, or None when not a plain char set."""
    if op is sre_c.LITERAL:
        return {chr(av)}  # type: ignore[arg-type]
    if op is sre_c.IN:
        out: set[str] = set()
        for o, a in av:  # type: ignore[attr-defined]
            if o is sre_c.LITERAL:
                out.add(chr(a))
            elif o is sre_c.RANGE:
                out.update(chr(c) for c in range(a[0], a[1] + 1))
            else:
                return None
        return out
    return None


# Characters common in clean text (curly quotes, dashes, accented letters of Western
# names). They only steer which required set is chosen; the gate is sound either way.
_COMMON = frozenset("‘’“”–—…•·°©®éèêëàâäáãçñíìîïóòôöõúùûüýÿßÉÈÀÁÇÑÓÖÜ")


def _branch_sets(branch: object) -> list[set[str]]:
    """Every mandatory all-non-ASCII character set of one alternative."""
    sets: list[set[str]] = []
    for op, av in branch:  # type: ignore[attr-defined]
        if op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT):
            low, _high, sub = av
            if low < 1 or len(sub) != 1:
                continue
            chars = _chars(*sub[0])
        else:
            chars = _chars(op, av)
        if chars and all(ord(c) > 127 for c in chars):
            sets.append(chars)
    return sets


def _derive() -> tuple[frozenset[str], tuple[tuple[frozenset[str], ...], ...]] | None:
    """Rare characters (any one may start a match) and, for alternatives whose every
    required set holds common characters, the sets that must ALL be present."""
    tree = sre_parse.parse(BADNESS_RE.pattern, BADNESS_RE.flags)
    if len(tree) != 1 or tree[0][0] is not sre_c.BRANCH:
        return None
    rare: set[str] = set()
    conjunctions: list[tuple[frozenset[str], ...]] = []
    for branch in tree[0][1][1]:
        sets = _branch_sets(branch)
        if not sets:
            return None
        clean = [cs for cs in sets if not cs & _COMMON]
        if clean:
            rare |= min(clean, key=len)
        else:
            conjunctions.append(tuple(frozenset(cs) for cs in sets))
    return frozenset(rare), tuple(conjunctions)


_DERIVED = _derive()
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _candidates() -> re.Pattern[str]:
    """One character class that every text passing :func:`may_be_bad` contains a member
    of: the rare characters, plus one required set of each conjunction (the one with the
    fewest common characters, i.e. accented letters rather than curly quotes).

    A regex search for it runs in C, so lines that hold only curly quotes, dashes and
    the like are skipped without building their character set.
    """
    if _DERIVED is None:
        return _NON_ASCII
    rare, conjunctions = _DERIVED
    chars = set(rare)
    for sets in conjunctions:
        chars |= min(sets, key=lambda cs: (len(cs & _COMMON), len(cs)))
    return re.compile("[" + "".join(re.escape(c) for c in sorted(chars)) + "]")


#: A text with no match of this pattern is certainly not bad to ftfy (see _candidates).
CANDIDATE = _candidates()


def may_be_bad(text: str) -> bool:
    """False only when ftfy's ``is_bad(text)`` is certainly False.

    Works on the set of distinct non-ASCII characters of the text (one fast scan; English
    text has few), so each required set costs a set intersection, not a regex scan.

    >>> may_be_bad("The province’s “Blue Sky” plan")
    False
    >>> may_be_bad("The provinceâ€™s plan")
    True
    """
    if CANDIDATE.search(text) is None:
        return False
    present = set(_NON_ASCII.findall(text))
    if _DERIVED is None:  # ftfy changed shape: every non-ASCII text may be bad
        return True
    rare, conjunctions = _DERIVED
    if not present.isdisjoint(rare):
        return True
    return any(all(not present.isdisjoint(cs) for cs in conj) for conj in conjunctions)
