"""Classify ONE line as page chrome, out of context.

:func:`classify` answers "which chrome family does this line look like, and how sure is
that out of context?". It never sees neighbours; the chrome pass combines the answer with
the line's position (header zone, footer zone, block of chrome) before removing anything.
Kept apart from the pass so the patterns can be tested line by line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import regex

from normalize import chrome_patterns as cp

# A label-like word followed by a colon that is not part of a time or a URL: a field this
# module does not know (``Translator:``, ``Venue:``), so the line is not pure metadata.
_UNKNOWN_FIELD = regex.compile(r"[A-Za-z\p{Han}][\w\-]*\s*[:：](?!\d|//)")
_INNER_SENTENCE = regex.compile(r"[.!?。！？](?:\s+\p{Lu}|\s*\p{Han})")


@dataclass(frozen=True, slots=True)
class Verdict:
    """What a line looks like: the rule family, how strong the evidence is, and why."""

    rule: str
    strength: int
    label: str
    list_heading: bool = False


def _words(s: str) -> int:
    return len(s.split())


_CLOSERS = "\"'”’)）]"
_FINAL = frozenset(".!?。！？…;；")


def ends_sentence(s: str) -> bool:
    """``cp.SENTENCE_END.search(s)`` for a STRIPPED line, without scanning the line.

    The regex wants final punctuation followed only by closers, then whitespace, then the
    end. ``str.strip`` has removed every trailing character that regex ``\\s`` matches (it
    matches a subset of ``str.isspace``), so only the closers are left to skip.
    """
    t = s.rstrip(_CLOSERS)
    return bool(t) and t[-1] in _FINAL


def _fields(line: str, field: regex.Pattern[str]) -> list[tuple[str, str]] | None:
    """Split ``Label: value Label: value`` into pairs; None when it is not such a line."""
    matches = list(field.finditer(line))
    if not matches or line[: matches[0].start()].strip(" \t[]【】(（") != "":
        return None
    out: list[tuple[str, str]] = []
    for k, m in enumerate(matches):
        end = matches[k + 1].start() if k + 1 < len(matches) else len(line)
        value = line[m.end() : end].strip(" \t|｜/,，;；·•[]【】()（）")
        if len(value) > 80 or _words(value) > 10 or _UNKNOWN_FIELD.search(value):
            return None
        if _INNER_SENTENCE.search(value):
            return None
        out.append((m.group(1) if m.groups() else m.group(), value))
    return out


def _metadata(line: str) -> Verdict | None:
    fields = _fields(line, cp.META_FIELD)
    if fields is None:
        return None
    if len(fields) >= 2:
        timeish = all(regex.fullmatch(r"(?i)date|time|时间|日期", lab) for lab, _ in fields)
        return Verdict("C005", cp.ZONE if timeish else cp.STRONG, "CMS metadata")
    label, value = fields[0]
    if not value:
        return Verdict("C005", cp.STRONG, "empty CMS field")
    if cp.META_COUNT_LABEL.fullmatch(label):
        if cp.NUMBER_VALUE.fullmatch(value):
            return Verdict("C005", cp.STRONG, "view counter")
        return None
    if cp.META_BYLINE_LABEL.fullmatch(label):
        return None  # ``Author: Li Ming`` alone is a byline, which is content.
    if cp.META_RELEASE_LABEL.fullmatch(label):
        strength = cp.STRONG if cp.DATE_VALUE.fullmatch(value) else cp.ZONE
        return Verdict("C005", strength, "release date")
    if regex.fullmatch(r"(?i)date|time|时间|日期", label):
        if cp.DATE_VALUE.fullmatch(value):
            return Verdict("C005", cp.ZONE, "date field")
        return None
    return Verdict("C005", cp.ZONE, "CMS metadata")


def _contact(line: str) -> Verdict | None:
    fields = _fields(line, cp.CONTACT_FIELD)
    if fields is None:
        return None
    if any(cp.HOST_LABEL.search(lab) for lab, _ in fields):
        return Verdict("C006", cp.ZONE, "site host/contact block")
    return Verdict("C006", cp.BLOCK, "contact block")


def _languages(line: str) -> Verdict | None:
    found = cp.LANGUAGE.findall(line)
    if len(found) < 2:
        return None
    total = len(cp.LANG_FILLER.sub("", line))
    covered = sum(len(cp.LANG_FILLER.sub("", f)) for f in found)
    share = covered / total if total else 0.0
    if len(found) >= 3 and share >= 0.7:
        return Verdict("C004", cp.STRONG, "language selector")
    if share >= 0.95:
        return Verdict("C004", cp.ZONE, "language selector")
    return None


def classify(line: str) -> Verdict | None:
    """The chrome family ``line`` belongs to, or None for ordinary text.

    ``line`` has no line ending. Lines longer than :data:`cp.MAX_CHROME_CHARS` are never
    chrome here (the caller checks them for mixed chrome instead).
    """
    s = line.strip()
    if not s or len(s) > cp.MAX_CHROME_CHARS:
        return None
    if cp.SEPARATOR.fullmatch(s):
        return Verdict("C008", cp.STRONG, "separator debris")
    if cp.MEDIA_NAME.fullmatch(s) or cp.MEDIA_ID.fullmatch(s):
        return Verdict("C003", cp.STRONG, "media file name")
    words = _words(s)
    sentence = ends_sentence(s)
    # C002 page tools
    if cp.FONT_TOGGLE.fullmatch(s) or cp.TOOL_ALONE.fullmatch(s) or cp.TOOL_ROW.fullmatch(s):
        return Verdict("C002", cp.STRONG, "page tools")
    if cp.PLATFORM_ROW.fullmatch(s) or (cp.SHARE_LINE.fullmatch(s) and cp.SHARE_NEEDS.search(s)):
        return Verdict("C002", cp.STRONG, "share links")
    if cp.QR_PROMPT.fullmatch(s):
        return Verdict("C002", cp.STRONG, "QR-code prompt")
    m = cp.MORE_LINK.fullmatch(s)
    if m:
        return Verdict("C002", cp.STRONG if m.group("mark") else cp.ZONE, "'more' link")
    # C004 language selectors
    lang = _languages(s)
    if lang:
        return lang
    # C001 breadcrumbs and navigation
    if words <= 30 and not sentence:
        if cp.BREADCRUMB_LEAD.fullmatch(s) or cp.BREADCRUMB_HOME.fullmatch(s):
            return Verdict("C001", cp.STRONG, "breadcrumb")
        if cp.BREADCRUMB_LEAD_WEAK.fullmatch(s):
            has_arrow = regex.search(r"[>»›→＞》]", s) is not None
            return Verdict("C001", cp.STRONG if has_arrow else cp.ZONE, "breadcrumb")
        if cp.NAV_ROW.fullmatch(s) or cp.NAV_HOME_ROW.fullmatch(s):
            return Verdict("C001", cp.STRONG, "navigation menu")
        if cp.NAV_SINGLE.fullmatch(s):
            return Verdict("C001", cp.ZONE, "navigation link")
        if cp.BREADCRUMB_TRAIL.fullmatch(s):
            return Verdict("C001", cp.ZONE, "breadcrumb")
    # C006 footers
    if words <= 60 and (cp.COPYRIGHT.match(s) or cp.COPYRIGHT_ANYWHERE.search(s)):
        return Verdict("C006", cp.STRONG, "copyright footer")
    if words <= 60 and cp.ICP.search(s):
        return Verdict("C006", cp.STRONG, "ICP licence footer")
    if cp.PREV_NEXT.fullmatch(s) and words <= 40:
        return Verdict("C006", cp.STRONG, "previous/next link")
    if cp.LIST_HEADING.fullmatch(s) and words <= 40:
        return Verdict("C006", cp.STRONG, "related-links heading", list_heading=True)
    if cp.DISCLAIMER.fullmatch(s):
        return Verdict("C006", cp.ZONE, "disclaimer")
    if cp.CONTACT_START.match(s):
        contact = _contact(s)
        if contact:
            return contact
    # C005 CMS metadata
    if cp.META_START.match(s):
        return _metadata(s)
    return None


def is_body(line: str) -> bool:
    """A line of running text: long, or a full sentence of some length.

    Body lines anchor the zones: the header zone is what comes before the first one, the
    footer zone what follows the last one.
    """
    return _body(line.strip())


def _body(s: str) -> bool:
    if len(s) > cp.MAX_CHROME_CHARS:
        return True
    words = _words(s)
    return words >= 25 or (words >= 8 and ends_sentence(s))


class DocScan(NamedTuple):
    """Which gate literals and keywords occur anywhere in a document (see :func:`scan`)."""

    classify_literals: tuple[str, ...]
    classify_keywords: frozenset[str]
    mixed_literals: tuple[str, ...]
    mixed_keywords: frozenset[str]


_KEYWORD_BYTES = tuple(
    (k, k.encode())
    for k in dict.fromkeys((*cp.CLASSIFY_KEYWORDS, *cp.MIXED_KEYWORDS))
    if k not in cp.MEDIA_KEYWORDS
)
# The three extensions in one search: it jumps from dot to dot.
_MEDIA_SEARCH = re.compile(rb"\.(?:jp|png|gif)").search


def _present(literals: tuple[str, ...], text: str) -> tuple[str, ...]:
    """The ``literals`` found in ``text``; a multi-character one is looked for only when
    its first character is there (one fast character scan instead of a substring search)."""
    return tuple(x for x in literals if x[0] in text and (len(x) == 1 or x in text))


def scan(text: str) -> DocScan | None:
    """Look once per document for what the line gates test, so that a line of a document
    without a literal or keyword skips that test (a line's text is part of its document's).

    Keywords are looked for in ASCII-lowered bytes: cheaper than ``str.lower`` on non-ASCII
    text, and exact for IGNORECASE rules because only :data:`cp.CASE_EXOTIC` characters
    match an ASCII letter without being one. None when the text holds one of those: then
    every gate runs in full.
    """
    if not text.isascii() and any(c in text for c in cp.CASE_EXOTIC):
        return None
    low = text.encode("utf-8", "surrogatepass").lower()
    found = {k for k, b in _KEYWORD_BYTES if b in low}
    if _MEDIA_SEARCH(low) is not None:
        found.update(cp.MEDIA_KEYWORDS)
    if text.isascii():
        classify_literals, mixed_literals = _ASCII_CLASSIFY_LITERALS, _ASCII_MIXED_LITERALS
    else:
        classify_literals, mixed_literals = cp.CLASSIFY_LITERALS, cp.MIXED_LITERALS
    return DocScan(
        _present(classify_literals, text),
        _CLASSIFY_KEYWORDS.intersection(found),
        _present(mixed_literals, text),
        _MIXED_KEYWORDS.intersection(found),
    )


_ASCII_CLASSIFY_LITERALS = tuple(x for x in cp.CLASSIFY_LITERALS if x.isascii())
_ASCII_MIXED_LITERALS = tuple(x for x in cp.MIXED_LITERALS if x.isascii())
_CLASSIFY_KEYWORDS = frozenset(cp.CLASSIFY_KEYWORDS)
_MIXED_KEYWORDS = frozenset(cp.MIXED_KEYWORDS)


def could_be_chrome(s: str, doc: DocScan | None = None) -> bool:
    """False only when :func:`classify` certainly returns None for the stripped line ``s``.

    A handful of C-level checks instead of ~25 regexes: most lines are body text, and every
    check here is a necessary condition of one rule of :func:`classify`, so a line that
    passes simply gets the full classifier. ``doc`` is :func:`scan` of the line's document
    (None: check everything).
    """
    if doc is None:
        if not s.isascii() and any(c in s for c in cp.CASE_EXOTIC):
            return True  # lower-case gates below would not be exact
        doc = _EVERYTHING
    gate = cp.anchored_gate(s[: cp.GATE_PREFIX])  # whole-line and line-start rules
    if gate is not None and gate.match(s) is not None:
        return True
    if s[-5:].lower().endswith(cp.MEDIA_EXTS):  # MEDIA_NAME
        return True
    # BREADCRUMB_TRAIL (arrows), COPYRIGHT_ANYWHERE and ICP (CJK words, English keywords).
    for x in doc.classify_literals:
        if x in s:
            return True
    if doc.classify_keywords:
        low = s.lower()
        if "reserved" in low or "icp" in low:
            return True
        if ("security" in low or "police" in low) and (
            "record" in low or "filing" in low or "registration" in low
        ):
            return True
        if "website" in low and "identi" in low:
            return True
    pair = cp.LANGUAGE_PAIR if "ñ" in s else cp.LANGUAGE_PAIR_NO_ENYE
    return pair.search(s) is not None  # _languages needs two language names


_EVERYTHING = DocScan(
    cp.CLASSIFY_LITERALS,
    frozenset(cp.CLASSIFY_KEYWORDS),
    cp.MIXED_LITERALS,
    frozenset(cp.MIXED_KEYWORDS),
)


@lru_cache(maxsize=8192)
def classify_cached(s: str) -> Verdict | None:
    """:func:`classify` remembered: lines that pass the gate are mostly chrome, and chrome
    lines recur on every page of a site."""
    return classify(s)


def classify_line(s: str, doc: DocScan | None = None) -> Verdict | None:
    """:func:`classify` of the stripped line ``s``, through the gate and the cache."""
    if len(s) > cp.MAX_CHROME_CHARS or not could_be_chrome(s, doc):
        return None
    return classify_cached(s)


def body_line(s: str) -> bool:
    """:func:`is_body` of an already stripped line, splitting only as many words as the
    thresholds need (``words >= 8`` after a sentence end, ``words >= 25`` otherwise)."""
    if len(s) > cp.MAX_CHROME_CHARS:
        return True
    if ends_sentence(s):
        return len(s.split(None, 8)) >= 8
    return len(s.split(None, 25)) >= 25
