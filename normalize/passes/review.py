"""Findings for a human reviewer: things worth a look that no rule can safely change.

This pass runs last, on the cleaned text, so it reports only what is still there after
chrome removal and glossary unification.
"""

from __future__ import annotations

import re

import regex

from normalize.edits import Edit
from normalize.passes.base import DocContext, Pass
from normalize.rules import Rule
from normalize.textutil import CJK_LETTER, LineHas, lines_with

P = "review"

RULES = (
    Rule(
        "R001",
        "cjk-residue",
        P,
        "Report untranslated CJK text inside English lines.",
        "A run of Chinese, Japanese or Korean characters in a line that also has English "
        "words is usually text the MT engine skipped. It is reported for a translator, "
        "never removed: it may be a name given in both scripts.",
        (("The 生态环境 office met.\n", "The 生态环境 office met.\n"),),
        kind="finding",
    ),
    Rule(
        "R002",
        "unbalanced-brackets",
        P,
        "Report lines whose parentheses, brackets or curly quotes do not pair up.",
        "An unmatched '(' or '“' often marks a sentence the MT engine cut or merged. The "
        "tool cannot know where the partner belongs, so it only reports the line.",
        (("He said (in the meeting.\n", "He said (in the meeting.\n"),),
        kind="finding",
    ),
)

# A superset of CJK_LETTER in plain code-point ranges, for the fast stdlib engine: a
# document without any of these has no residue to report.
_ANY_CJK = re.compile(
    "[\u1100-\u11ff\u2e80-\u318e\u31f0-\u321e\u3260-\u327e\u32d0-\u3357\u3400-\u4dbf"
    "\u4e00-\u9fff\ua960-\ua97c\uac00-\ud7fb\uf900-\ufad9\uff66-\uffdc"
    "\U00016fe2-\U00016ff6\U0001aff0-\U0001b168\U0001f200\U00020000-\U0002ee5d"
    "\U0002f800-\U0002fa1d\U00030000-\U00033479]"
)
# A superset of _ANY_CJK in two ranges (it skips only the punctuation blocks between
# U+1200 and U+2E80, where curly quotes and dashes live): scanned faster, it says where
# the exact class can start matching.
_CJK_BLOCKS = re.compile("[^\x00-\u10ff\u1200-\u2e7f\U0003347a-\U0010ffff]")  # negated:
# the same set, compiled ~4x faster (a positive class walks its wide ranges)
_CJK_RUN = regex.compile(rf"{CJK_LETTER}+")
_LATIN_WORD = regex.compile(r"[A-Za-z]{2,}")
_BRACKET = regex.compile(r"[()\[\]“”]")
_PAIRS = (("(", ")"), ("[", "]"), ("“", "”"))


class ReviewPass(Pass):
    name = P
    rules = RULES

    def run(self, text: str, ctx: DocContext) -> list[Edit]:
        if (
            self.on("R001")
            and not text.isascii()
            and (block := _CJK_BLOCKS.search(text)) is not None
            and _ANY_CJK.search(text, block.start())
        ):
            line_has_latin = LineHas(text, _LATIN_WORD)
            for m in _CJK_RUN.finditer(text):
                if line_has_latin(m.start()):
                    ctx.note(m.start(), m.end(), "R001", f"untranslated text '{m.group()}'", 0.8)
        if self.on("R002"):
            for start, end in lines_with(text, _BRACKET):
                line = text[start:end]
                for opening, closing in _PAIRS:
                    if line.count(opening) != line.count(closing):
                        ctx.note(
                            start, end, "R002",
                            f"'{opening}' and '{closing}' do not pair up in this line", 0.6,
                        )
                        break
        return []
