"""Spacing and punctuation artifacts typical of MT output.

Each rule is one precompiled pattern that states both what it changes and the context it
requires, so text that merely looks similar (``3.5``, ``U.S.``, ``gov.cn``, ``(re)use``)
is left alone. A second safety net drops any edit that touches a protected span: URLs,
e-mail addresses, file and domain names, numbers, dates, times and abbreviations.
"""

from __future__ import annotations

import re

import regex

from normalize.edits import Edit, drop_overlaps
from normalize.passes.base import DocContext, Pass
from normalize.rules import Rule

P = "spacing"

RULES = (
    Rule(
        "S001",
        "spaced-hyphen",
        P,
        "Join a compound whose hyphen lost its left word: 'high -quality' -> 'high-quality'.",
        "MT often emits 'high -quality', 'co -leading', 'long -term'. The space is removed "
        "only between a word and a hyphen directly followed by a lower-case word, so dashes "
        "used as punctuation (' - ', ' -- ') and minus signs before numbers are kept.",
        (("Promote high -quality development", "Promote high-quality development"),),
        kind="fix",
    ),
    Rule(
        "S002",
        "missing-space-after-punctuation",
        P,
        "Add the missing space after sentence punctuation: 'smoothly.The' -> 'smoothly. The'.",
        "Applied after '.', '!' and '?' only between a lower-case word and a capitalised "
        "word, and after ',', ';' and ':' between words, so abbreviations (U.S., e.g.), "
        "decimals, times, file and domain names are not split.",
        (
            ("progressing smoothly.The team", "progressing smoothly. The team"),
            ("rectification solidly;The focus", "rectification solidly; The focus"),
        ),
    ),
    Rule(
        "S003",
        "parenthesis-spacing",
        P,
        "Separate a parenthesis from the word it touches: ')On' -> ') On', '5th(R' -> '5th (R'.",
        "An opening parenthesis glued to a preceding word of two or more characters gets a "
        "space before it; a closing parenthesis gets a space after it only before a "
        "capitalised word, so forms like '(re)organize' and 'word(s)' are kept.",
        (
            ("(Reporter Chen Yi)On March 22", "(Reporter Chen Yi) On March 22"),
            ("News August 5th(Reporters Liao)", "News August 5th (Reporters Liao)"),
        ),
    ),
    Rule(
        "S004",
        "space-before-punctuation",
        P,
        "Remove the space before a comma, period, semicolon, colon, '!' or '?'.",
        "'word ,' becomes 'word,'. When the mark is glued to the next word ('word ,next'), "
        "the space moves after it. Spaces before a colon that follows a number ('3 : 1') "
        "and before an ellipsis are kept.",
        (("the city , the county .", "the city, the county."),),
    ),
    Rule(
        "S005",
        "doubled-comma",
        P,
        "Collapse doubled commas: 'word,, next' -> 'word, next'.",
        "Two commas with nothing but spaces between them after a word are an MT artifact; "
        "empty fields in data-like lines (digits on the left) are not touched.",
        (("sewage,, water", "sewage, water"),),
    ),
    Rule(
        "S006",
        "doubled-space",
        P,
        "Collapse runs of spaces between words to one space.",
        "Indentation at the start of a line is kept and trailing spaces are left to L002.",
        (("the  city", "the city"),),
    ),
)

_L = r"\p{L}"
_S001 = regex.compile(rf"(?<={_L}) -(?=\p{{Ll}}+\b)(?!\p{{Ll}}+-)")
_S002 = regex.compile(
    r"[.!?](?<=\p{Ll}[\p{Ll})”’\"][.!?])(?=\p{Lu}\p{Ll})"
    r"|[,;](?<=\p{L}{2}[,;])(?=\p{L}{2})"
    r"|:(?<=\p{L}{2}:)(?=\p{Lu}\p{Ll})"
)
_S003_OPEN = regex.compile(r"\((?<=[\p{L}\p{N}]{2}\()(?=\p{L}{2})")
_S003_CLOSE = regex.compile(r"\)(?<=[\p{L}\p{N}.]{2}\))(?=\p{Lu})")
_S004 = regex.compile(
    r" +(?=[,;:!?.])(?<=[\p{L}\p{N})”’\"] +)"
    r"(?:(?P<end>[,;!?]|\.(?!\.))(?=\s|$|[”’\")])"
    r"|(?P<glue>[,;])(?=\p{L})"
    r"|(?P<sent>[.!?])(?=\p{Lu}\p{Ll})"
    r"|(?P<colon>:)(?<=\p{L} +:)(?=\s|$))"
)
_S005 = regex.compile(r"(?<=[\p{L})”’\"]) *,(?:[^\S\n]*,)+(?=\s|\p{L}|$)")
_S006 = regex.compile(r"(?<=\S) {2,}(?=\S)")

_PROTECTED = regex.compile(
    r"(?:https?|ftp)://\S+|www\.\S+|&#?\w+;"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|cn|org|net|gov|edu|int|info|io|uk|hk|mo|tw|jpg|jpeg|png"
    r"|gif|bmp|webp|tif|tiff|svg|pdf|docx?|xlsx?|pptx?|txt|csv|zip|rar|s?html?|php|aspx?|jsp"
    r"|mp[34]|avi|wmv|flv|json|xml)\b"
    r"|\d+(?:[.,:/-]\d+)+"
    r"|\b(?:\p{L}\.){2,}"
    r"|\b(?:No|Nos|Mr|Mrs|Ms|Dr|Prof|St|Jr|Sr|vs|Inc|Ltd|Co|Corp|Art|Fig|Vol|Ref|Dept|Gov)\.\S*",
    regex.IGNORECASE,
)


_S005_GATE = re.compile(r",[^\S\n]*,")
_S004_GATES = (" ,", " ;", " :", " !", " ?", " .")
_WINDOW = 300
_LAST_SPACE = regex.compile(r"\s", regex.REVERSE)
_NEXT_SPACE = regex.compile(r"\s")


class SpacingPass(Pass):
    name = P
    rules = RULES

    def run(self, text: str, ctx: DocContext) -> list[Edit]:
        edits: list[Edit] = []
        # Each rule's regex runs only when a plain substring test (memchr-fast) says it
        # can match; most documents have no doubled comma or doubled space at all.
        if self.on("S005") and _S005_GATE.search(text):
            for m in _S005.finditer(text):
                nxt = text[m.end() : m.end() + 1]
                rep = ", " if nxt.isalpha() else ","
                edits.append(Edit(m.start(), m.end(), rep, "S005", 0.95))
        if self.on("S004") and any(g in text for g in _S004_GATES):
            for m in _S004.finditer(text):
                mark = m.group("end") or m.group("colon")
                if mark:
                    edits.append(Edit(m.start(), m.end(), mark, "S004", 0.95))
                else:
                    edits.append(Edit(m.start(), m.end(), m.group()[-1] + " ", "S004", 0.9))
        if self.on("S001") and " -" in text:
            edits.extend(Edit(m.start(), m.end(), "-", "S001", 0.9) for m in _S001.finditer(text))
        if self.on("S002"):
            edits.extend(
                Edit(m.end(), m.end(), " ", "S002", 0.9) for m in _S002.finditer(text)
            )
        if self.on("S003") and ("(" in text or ")" in text):
            edits.extend(
                Edit(m.start(), m.start(), " ", "S003", 0.9) for m in _S003_OPEN.finditer(text)
            )
            edits.extend(
                Edit(m.end(), m.end(), " ", "S003", 0.9) for m in _S003_CLOSE.finditer(text)
            )
        if self.on("S006") and "  " in text:
            edits.extend(Edit(m.start(), m.end(), " ", "S006") for m in _S006.finditer(text))
        if not edits:
            return edits
        return _unprotected(text, drop_overlaps(edits))


def _unprotected(text: str, edits: list[Edit]) -> list[Edit]:
    """Drop edits that fall inside a protected span (a URL, a number, an abbreviation).

    Protected spans never contain whitespace, so only the whitespace-delimited stretch
    around each edit is searched: cost follows the number of edits, not the text size.
    """
    kept: list[Edit] = []
    n = len(text)
    for e in edits:
        lo = max(0, e.start - _WINDOW)
        hi = min(n, e.end + _WINDOW)
        left = _LAST_SPACE.search(text, lo, e.start)
        right = _NEXT_SPACE.search(text, e.end, hi)
        lo = left.end() if left else lo
        hi = right.start() if right else hi
        inside = False
        for m in _PROTECTED.finditer(text, lo, hi):
            s, end = m.span()
            # An insertion at a span's edge is outside it; any other contact is inside.
            if (s < e.start < end) or (s < e.end < end) or (e.start <= s and end <= e.end):
                inside = True
                break
        if not inside:
            kept.append(e)
    return kept
