"""Character-level repairs: odd spaces, invisible and control characters, and full-width
CJK punctuation that leaked into English sentences.

Every rule here acts on single characters or short runs found by one precompiled regex,
so the pass costs a handful of C-level scans per document.
"""

from __future__ import annotations

import re

import regex

from normalize.edits import Edit
from normalize.passes.base import DocContext, Pass
from normalize.rules import Rule
from normalize.textutil import CJK_LETTER, LineHas

P = "unicode"

RULES = (
    Rule(
        "U001",
        "odd-space",
        P,
        "Replace no-break and other typographic spaces with a plain space.",
        "U+00A0 and its relatives (thin, figure, narrow no-break spaces) survive scraping "
        "from HTML '&nbsp;' and break tokenizers and matching. The ideographic space "
        "U+3000 is replaced only when it does not stand next to CJK text.",
        (("Home\u00a0> City News", "Home > City News"),),
    ),
    Rule(
        "U002",
        "invisible-character",
        P,
        "Remove zero-width spaces, word joiners, soft hyphens and stray byte-order marks.",
        "These characters are invisible but split words for search and matching. A "
        "byte-order mark at the very start of the text is kept (it belongs to the file "
        "format); joiners needed by emoji and Indic scripts (U+200C, U+200D) are kept.",
        (("eco\u200blogical", "ecological"),),
    ),
    Rule(
        "U003",
        "control-character",
        P,
        "Remove control characters other than tab and line breaks.",
        "C0 and C1 control characters (NUL, form feed, U+0080-U+009F) have no place in "
        "running text; they come from broken conversions and break downstream tools. "
        "Mojibake that contains C1 characters is repaired first by E001.",
        (("Chenzhou\x00 City", "Chenzhou City"),),
    ),
    Rule(
        "U004",
        "lone-surrogate",
        P,
        "Replace unpaired UTF-16 surrogates with U+FFFD.",
        "A lone surrogate cannot be encoded as UTF-8, so writing the text would fail. "
        "U+FFFD marks the spot visibly instead.",
        (("bad\ud800char", "bad\ufffdchar"),),
    ),
    Rule(
        "U005",
        "fullwidth-punctuation",
        P,
        "Turn full-width CJK punctuation in English sentences into ASCII punctuation.",
        "MT output keeps '，' '。' '：' '；' '（）' '【】' '！' '？' '、' from the source. In a "
        "line with Latin text, such a mark is replaced (with the space English wants after "
        "it) unless its nearest neighbour on either side is a CJK character, so Chinese "
        "runs and Chinese parentheticals are never touched.",
        (
            ("the city，the county", "the city, the county"),
            ("Office（Chenzhou）", "Office (Chenzhou)"),
        ),
    ),
)

_ODD_SPACE = regex.compile(
    rf"[\u00a0\u1680\u2000-\u200a\u202f\u205f]+"
    rf"|\u3000+(?<!{CJK_LETTER}[^\S\n]*\u3000+)(?![^\S\n]*{CJK_LETTER})"
)
_INVISIBLE = regex.compile(r"[\u200b\u2060\u180e\u00ad]+|(?!\A)\ufeff+")
_CONTROL = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f]+")
_SURROGATE = regex.compile(r"[\ud800-\udfff]")
_FW = "，。：；（）【】！？、"
# The mark is matched first so the look-arounds run only on candidates; whether the line
# has Latin text is checked per line afterwards (a look-around over the whole line would be
# quadratic on a long one).
_FULLWIDTH = regex.compile(rf"[{_FW}](?<!{CJK_LETTER}[^\S\n]*.)(?![^\S\n]*{CJK_LETTER})")
_LATIN = regex.compile(r"[A-Za-z]")
# Every character any rule of this pass can act on, for the stdlib ``re`` engine (a
# plain class scan there is several times faster than five scans with ``regex``).
_TRIGGER = re.compile(
    "[\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\u2060\u180e\u00ad\ufeff"
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff" + _FW + "]"
)
# The trigger characters each rule acts on: one findall of the trigger tells which rules
# have anything to do, so a document with only no-break spaces costs two scans, not six.
_ODD_CHARS = frozenset("\u00a0\u1680\u202f\u205f\u3000" + "".join(map(chr, range(0x2000, 0x200B))))
_INVISIBLE_CHARS = frozenset("\u200b\u2060\u180e\u00ad\ufeff")
_CONTROL_CHARS = frozenset(
    chr(c) for c in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0))
)
_SURROGATE_CHARS = frozenset(map(chr, range(0xD800, 0xE000)))
_FW_CHARS = frozenset(_FW)
_ASCII = {"，": ",", "。": ".", "：": ":", "；": ";", "（": "(", "）": ")", "【": "[",
          "】": "]", "！": "!", "？": "?", "、": ","}


def _fullwidth_replacement(text: str, start: int, char: str) -> str:
    """The ASCII mark plus the space English spacing wants around it."""
    out = _ASCII[char]
    nxt = text[start + 1] if start + 1 < len(text) else ""
    prev = text[start - 1] if start > 0 else ""
    if char in "（【":
        # (not after 'Â'/'Ã': with a space after them ftfy reads mojibake, as in S003)
        return (" " + out) if prev.isalnum() and prev not in "ÂÃ" else out
    wants_space = nxt.isalpha() or (nxt.isdigit() and char in "，；、")
    return out + " " if wants_space else out


class UnicodePass(Pass):
    name = P
    rules = RULES

    def run(self, text: str, ctx: DocContext) -> list[Edit]:
        present = set(_TRIGGER.findall(text))  # one fast scan: usually little to do
        if not present:
            return []
        edits: list[Edit] = []
        if self.on("U001") and not present.isdisjoint(_ODD_CHARS):
            edits.extend(
                Edit(m.start(), m.end(), " " * len(m.group()), "U001")
                for m in _ODD_SPACE.finditer(text)
            )
        if self.on("U002") and not present.isdisjoint(_INVISIBLE_CHARS):
            edits.extend(Edit(m.start(), m.end(), "", "U002") for m in _INVISIBLE.finditer(text))
        if self.on("U003") and not present.isdisjoint(_CONTROL_CHARS):
            edits.extend(Edit(m.start(), m.end(), "", "U003") for m in _CONTROL.finditer(text))
        if self.on("U004") and not present.isdisjoint(_SURROGATE_CHARS):
            edits.extend(
                Edit(m.start(), m.end(), "\ufffd", "U004") for m in _SURROGATE.finditer(text)
            )
        if self.on("U005") and not present.isdisjoint(_FW_CHARS):
            edits.extend(self._fullwidth(text))
        return edits

    def _fullwidth(self, text: str) -> list[Edit]:
        edits: list[Edit] = []
        line_has_latin = LineHas(text, _LATIN)
        for m in _FULLWIDTH.finditer(text):
            if line_has_latin(m.start()):
                rep = _fullwidth_replacement(text, m.start(), m.group())
                edits.append(Edit(m.start(), m.end(), rep, "U005", 0.95))
        return edits
