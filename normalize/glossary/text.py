"""Text helpers shared by the loader, the matcher and the fuzzy search.

The matcher never looks at raw text: it looks at a *view* in which case, hyphens and
spaces, line breaks and curly apostrophes no longer matter, so one variant key covers
"Vice-Mayor", "vice mayor" and "Vice\\nMayor". The view keeps a compact offset map back to
the original, so an edit always replaces exactly the original span and nothing else.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

# Characters folded to a plain space (hyphens, dashes, every kind of whitespace) or to a
# straight apostrophe. All folds are one character to one character, so they keep offsets.
_SEPARATORS = "-\u2010\u2011\u2012\u2013\u2014\t\n\r\f\v\u00a0\u2002\u2003\u2009\u200a\u202f\u3000"
_APOSTROPHES = {"\u2019": "'", "\u2018": "'", "\u02bc": "'"}
# The folds as (char, replacement) pairs: ``str.translate`` with a dict costs a
# Python-level lookup per character on non-ASCII text (~20 MB/s), while a ``in`` test per
# fold character and a ``replace`` for the few that occur run at memory speed.
_FOLD_PAIRS = tuple((c, " ") for c in _SEPARATORS) + tuple(_APOSTROPHES.items())
_SPACE_RUN = re.compile(r" +")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


@dataclass(frozen=True, slots=True)
class View:
    """A matching view of one text: ``lower`` and ``cased`` share offsets.

    ``npos``/``opos`` are breakpoints: a view offset ``n`` maps to the original offset
    ``opos[k] + n - npos[k]`` with ``k`` the last breakpoint at or before ``n``.
    """

    lower: str
    cased: str
    npos: tuple[int, ...]
    opos: tuple[int, ...]

    def orig(self, n: int) -> int:
        """The original offset of view offset ``n``."""
        if len(self.npos) == 1:
            return n
        k = bisect.bisect_right(self.npos, n) - 1
        return self.opos[k] + (n - self.npos[k])


def _safe_lower(text: str) -> str:
    """``text.lower()`` that never changes length (a char whose lower form is longer,
    like U+0130, stays as it is), so offsets stay one to one."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _fold(text: str) -> str:
    """Every fold applied (like ``str.translate``), but only for the characters present."""
    for c, r in _FOLD_PAIRS:
        if c in text:
            text = text.replace(c, r)
    return text


def build_view(text: str) -> View:
    """Fold separators and apostrophes, collapse space runs, keep the offset map.

    Runs of two or more separators are the only places where offsets shift, and they are
    rare, so the map is a short list of breakpoints rather than one int per character.
    """
    cased = _fold(text)
    npos = [0]
    opos = [0]
    if "  " in cased:
        pieces: list[str] = []
        pos = 0
        shift = 0
        # str.find and an anchored match: re.finditer(" {2,}") tries every position in
        # Python's regex engine and was the slowest step of the whole view
        i = cased.find("  ")
        while i >= 0:
            end = _SPACE_RUN.match(cased, i).end()  # type: ignore[union-attr]
            pieces.append(cased[pos : i + 1])
            shift += end - i - 1
            pos = end
            npos.append(end - shift)
            opos.append(end)
            i = cased.find("  ", end)
        pieces.append(cased[pos:])
        cased = "".join(pieces)
    return View(_safe_lower(cased), cased, tuple(npos), tuple(opos))


def norm_key(text: str) -> str:
    """The matching key of a glossary string: the view of it, lower-cased and trimmed."""
    return build_view(text.strip()).lower.strip()


def norm_cased(text: str) -> str:
    """Like :func:`norm_key` but keeping case (for case-policy checks)."""
    return build_view(text.strip()).cased.strip()


def words(text: str) -> list[str]:
    """Word tokens (letters and digits, apostrophes inside a word kept)."""
    return _WORD.findall(text)


def is_word_char(ch: str) -> bool:
    return ch.isalnum()


# --- morphology -------------------------------------------------------------------------

_IRREGULAR_PLURAL = {
    "committee": "committees", "chief": "chiefs", "staff": "staff",
    "chairman": "chairmen", "chairwoman": "chairwomen",
}
_NO_PLURAL = {"of", "and", "the", "for", "on", "in"}


def pluralize_word(word: str) -> str:
    """English plural of one word, keeping its case style."""
    low = word.lower()
    if low in _IRREGULAR_PLURAL:
        plural = _IRREGULAR_PLURAL[low]
    elif low.endswith("y") and len(low) > 2 and low[-2] not in "aeiou":
        plural = low[:-1] + "ies"
    elif low.endswith(("s", "x", "ch", "sh")):
        plural = low + "es"
    else:
        plural = low + "s"
    if word.isupper() and len(word) > 1:
        return plural.upper()
    if word[:1].isupper():
        return plural[:1].upper() + plural[1:]
    return plural


def head_index(tokens: list[str]) -> int:
    """Index of the head noun of a name: the word before the first 'of' (or 'for', 'on'),
    else the last word before any parenthesis, else the last word.
    'Department of Ecology' -> 0; 'Municipal Bureau' -> 1."""
    for i, tok in enumerate(tokens):
        if tok.lower() in ("of", "for", "on") and i > 0:
            return i - 1
    for i, tok in enumerate(tokens):
        if tok.startswith("(") and i > 0:
            return i - 1
    return len(tokens) - 1


def pluralize_phrase(phrase: str) -> str | None:
    """The phrase with its head noun in the plural, or None when that makes no sense."""
    tokens = phrase.split(" ")
    if not tokens:
        return None
    i = head_index(tokens)
    head = tokens[i]
    if not head.isalpha() or head.lower() in _NO_PLURAL:
        return None
    tokens[i] = pluralize_word(head)
    return " ".join(tokens)


# --- case transfer ----------------------------------------------------------------------

_SMALL = {"of", "and", "the", "for", "on", "in", "a", "an", "to", "at", "by"}


def is_title_case(text: str) -> bool:
    """Every significant word capitalised (a headline or a title used as a name)."""
    toks = [t for t in words(text) if t.lower() not in _SMALL]
    return bool(toks) and all(t[:1].isupper() for t in toks)


def title_case(text: str) -> str:
    out: list[str] = []
    for i, tok in enumerate(text.split(" ")):
        k = next((j for j, c in enumerate(tok) if c.isalpha()), -1)
        if k >= 0 and (i == 0 or tok.lower() not in _SMALL) and tok[k].islower():
            tok = tok[:k] + tok[k].upper() + tok[k + 1 :]
        out.append(tok)
    return " ".join(out)


@lru_cache(maxsize=8192)  # pure, and the same names recur across a corpus
def render_case(canonical: str, matched: str) -> str:
    """The canonical in the case style of the text it replaces.

    A canonical with capitals is a proper name and keeps its own case in running text;
    ALL-CAPS text (a headline) gets an ALL-CAPS canonical. A lower-case canonical (a
    title such as 'vice mayor') follows the text: Title Case before a name, a capital at
    sentence start, lower case otherwise.
    """
    letters = [c for c in matched if c.isalpha()]
    if len(letters) > 3 and all(c.isupper() for c in letters):
        return canonical.upper()
    if any(c.isupper() for c in canonical):
        return canonical
    if is_title_case(matched):
        return title_case(canonical)
    if matched[:1].isupper():
        return canonical[:1].upper() + canonical[1:]
    return canonical
