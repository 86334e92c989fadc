"""Encoding repair: mojibake (via ftfy), HTML entities, and opt-in ftfy cosmetics.

ftfy is thorough but slow, so it only sees lines that can need it: a line that is pure
ASCII, or that ftfy's own ``is_bad`` heuristic finds clean, is returned unchanged by
``ftfy.fix_encoding`` anyway (that is ftfy's first step), so skipping it gives the same
output for a fraction of the cost. Lines are fixed one at a time, as ``ftfy.fix_text``
does, so one bad line cannot block the repair of another.
"""

from __future__ import annotations

import html
import re
from html.entities import html5

import ftfy
import regex
from ftfy.badness import is_bad
from ftfy.fixes import fix_character_width, fix_latin_ligatures, uncurl_quotes

from normalize import cjk
from normalize.edits import Edit, apply_edits, drop_overlaps
from normalize.mojibake_gate import CANDIDATE, may_be_bad
from normalize.passes.base import DocContext, Pass
from normalize.rules import Rule
from normalize.textdiff import diff_edits
from normalize.textutil import LineHas, lines_with

P = "encoding"

RULES = (
    Rule(
        "E001",
        "mojibake",
        P,
        "Repair mojibake (UTF-8 decoded in the wrong single-byte encoding) with ftfy.",
        "Text that was encoded as UTF-8 and decoded as Windows-1252, Latin-1 or a similar "
        "single-byte encoding shows as sequences like 'â€™' or 'Ã©'. ftfy undoes the wrong "
        "decoding when its heuristics are confident. Only lines with non-ASCII characters "
        "that ftfy's own badness check flags are sent to it.",
        (("It was the provinceâ€™s second team.", "It was the province’s second team."),),
    ),
    Rule(
        "E002",
        "html-entity",
        P,
        "Decode HTML character references such as '&amp;', '&nbsp;' and '&#8217;'.",
        "Scrapers often leave escaped characters in plain text. Only complete references "
        "(ending in ';') that name a real character are decoded, repeatedly for "
        "double-escaped forms like '&amp;lt;'. Lines that contain markup tags are left "
        "alone, since there the escapes are meaningful.",
        (("Benefits &amp; Influence", "Benefits & Influence"),),
    ),
    Rule(
        "E003",
        "uncurl-quotes",
        P,
        "Straighten curly quotes to ASCII quotes (opt-in).",
        "Curly quotes are correct typography, so this is off by default; enable it when "
        "the downstream consumer wants ASCII quotes.",
        (("“Blue Sky”", '"Blue Sky"'),),
        default=False,
    ),
    Rule(
        "E004",
        "character-width",
        P,
        "Convert full-width Latin letters and digits to normal width (opt-in).",
        "Full-width forms such as 'ＡＢＣ１２３' come from CJK input methods. This changes "
        "character width everywhere, including inside Chinese text, so it is opt-in; the "
        "U005 rule handles punctuation in English sentences by default.",
        (("ＧＤＰ grew", "GDP grew"),),
        default=False,
    ),
    Rule(
        "E005",
        "latin-ligature",
        P,
        "Expand Latin ligature characters such as 'ﬁ' to plain letters.",
        "Ligature code points come from PDF extraction and break search and matching; "
        "they never carry meaning in running English text.",
        (("ﬁnancial support", "financial support"),),
    ),
)

_ENTITY = regex.compile(
    r"&(?:amp;)*(?P<ref>#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
)
_LATER_VIEW = {
    **dict.fromkeys([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]),
    **dict.fromkeys([0x200B, 0x2060, 0x180E, 0x00AD, 0xFEFF]),
    **dict.fromkeys([0x00A0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000], " "),
    **str.maketrans("，。：；（）【】！？、", ",.:;()[]!?,"),
}
_LATER_REPLACE = {
    chr(k): "" if v is None else v if isinstance(v, str) else chr(v) for k, v in _LATER_VIEW.items()
}
_LATER_VIEW_CHARS = re.compile("[" + "".join(re.escape(chr(c)) for c in _LATER_VIEW) + "]")
_TAG = regex.compile(r"<[A-Za-z/!]")
# Plain character classes: the stdlib engine scans these ~1.6x faster than ``regex``.
_QUOTES = re.compile(r"[\u2018-\u201b\u201c-\u201f\u2032\u2033]+")
_WIDE = re.compile(r"[\uff01-\uff5e\uffe0-\uffe6]+")
_LIGATURE = re.compile(r"[\ufb00-\ufb06\u0132\u0133\u013f\u0140\u01c4-\u01cc\u01f1-\u01f3]+")


# ftfy decides per segment; a line longer than this is cut at spaces into segments of
# about this size, so one garbled word cannot stop the repair of a whole huge line and
# the diff of each repair stays small.
_SEGMENT = 240


def _segments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut ``text[start:end]`` at plain spaces into pieces of at most ~_SEGMENT chars
    (a no-break space may be part of mojibake such as 'Ã\xa0', so it is never a cut)."""
    if end - start <= _SEGMENT:
        return [(start, end)]
    out: list[tuple[int, int]] = []
    pos = start
    while end - pos > _SEGMENT:
        cut = text.rfind(" ", pos + _SEGMENT // 2, pos + _SEGMENT)
        cut = pos + _SEGMENT if cut < 0 else cut + 1
        out.append((pos, cut))
        pos = cut
    out.append((pos, end))
    return out


def _looks_bad(text: str) -> bool:
    """ftfy's ``is_bad``, behind a cheap gate that is provably never wrong (see
    :mod:`normalize.mojibake_gate`): most text with curly quotes skips the slow regex."""
    return may_be_bad(text) and is_bad(text)


def _later_view(text: str) -> str:
    """``text`` as the unicode pass will leave it (invisible and control characters gone,
    odd spaces plain), so a repair can be checked against what the next run will see."""
    present = set(_LATER_VIEW_CHARS.findall(text))
    if not present:  # the usual case
        return text
    # A few C-level replace() calls beat translate(), which looks up every character.
    for ch in present:
        text = text.replace(ch, _LATER_REPLACE[ch])
    return text


def _fix_segment(segment: str, offset: int, enabled: frozenset[str]) -> list[Edit]:
    """ftfy's repair of one segment, as edits; ftfy's own gate (is_bad) first.

    If the unicode pass's deletions or space changes would expose mojibake that ftfy
    would repair on the next run, it is repaired now, so cleaning stays idempotent.
    """
    view = _later_view(segment)
    if not _looks_bad(segment) and (view == segment or not _looks_bad(view)):
        return []
    fixed = ftfy.fix_encoding(segment)
    for _ in range(3):
        later = _later_view(fixed)
        if later == fixed:
            break
        refixed = ftfy.fix_encoding(later)
        if refixed == later:
            break
        fixed = refixed
    else:
        return []  # no stable repair: leave the segment alone rather than guess
    if fixed == segment:
        return []
    # Undoing a Western layer can leave CJK mojibake the CJK layer would repair on the
    # next run; repair it now, as that layer does for lines it handles itself.
    # It is judged on the text as the later passes will leave it (same length: spaces
    # only), since a trailing no-break space can sway its reading.
    view = _later_view(fixed)
    if len(view) != len(fixed):
        view = fixed
    repairs = [r for r in cjk.scan_line(view).repairs if r.rule in enabled]
    if repairs:
        fixed = cjk.apply_repairs(fixed, repairs)
    return diff_edits(segment, fixed, offset, "E001", 0.9)


def _unescape(ref: str, name: str) -> str | None:
    """Decode a (possibly multiply escaped) reference; None when it names nothing."""
    if not name.startswith("#") and name + ";" not in html5:
        return None
    out = ref
    for _ in range(8):
        nxt = html.unescape(out)
        if nxt == out:
            break
        out = nxt
    if out == ref:
        return None
    if any(ord(c) < 32 and c not in "\t\n\r" for c in out):
        return None
    return out


class EntityPass(Pass):
    """HTML character references, decoded before any mojibake repair, as ftfy.fix_text
    does: a reference can stand for a character the repair needs to see ('Ã&nbsp;' is
    'Ã\xa0', which is 'à'), and decoding it after the repair would leave that to a
    second run."""

    name = P
    rules = RULES[1:2]

    def run(self, text: str, ctx: DocContext) -> list[Edit]:
        if not self.on("E002") or "&" not in text:
            return []
        edits: list[Edit] = []
        line_has_tag = LineHas(text, _TAG)
        for m in _ENTITY.finditer(text):
            if line_has_tag(m.start()):
                continue
            decoded = _unescape(m.group(), m.group("ref"))
            if decoded is not None:
                edits.append(Edit(m.start(), m.end(), decoded, "E002"))
        return edits


class EncodingPass(Pass):
    """Mojibake. Character cosmetics run in a later pass (below) so they also apply to
    characters this pass produced, which keeps cleaning idempotent."""

    name = P
    rules = RULES[:1] + cjk.RULES

    def run(self, text: str, ctx: DocContext) -> list[Edit]:
        if text.isascii():
            return []
        # CJK layer (issue 6) first: it wins where it decides, and ftfy is kept off
        # those spans so it cannot "fix" GBK bytes into text like 'ͼƬ'.
        ftfy_line = self._mojibake if self.on("E001") else None
        edits, blocked = cjk.scan_text(text, ctx, self.enabled, ftfy_line)
        if self.on("E001"):
            edits.extend(cjk.drop_blocked(self._mojibake(cjk.mask(text, blocked)), blocked))
        return drop_overlaps(edits)

    def _mojibake(self, text: str) -> list[Edit]:
        edits: list[Edit] = []
        if not may_be_bad(text) and not may_be_bad(_later_view(text)):
            return edits  # no line can look bad to ftfy, now or after the unicode pass
        # Only lines holding a gate character can look bad, now or after the unicode
        # pass (which only deletes characters or turns them into plain spaces).
        for start, end in lines_with(text, CANDIDATE):
            if text[end - 1 : end] == "\r":
                end -= 1
            if start == 0 and text.startswith("\ufeff"):  # the BOM is not text
                start = 1
            for seg_start, seg_end in _segments(text, start, end):
                edits.extend(_fix_segment(text[seg_start:seg_end], seg_start, self.enabled))
        return edits

class CosmeticsPass(Pass):
    """The opt-in ftfy cosmetics (E003-E005), on text whose encoding is already repaired."""

    name = P
    rules = RULES[2:]

    def run(self, text: str, ctx: DocContext) -> list[Edit]:
        if text.isascii():
            return []
        edits: list[Edit] = []
        for code, pattern, fixer in (
            ("E003", _QUOTES, uncurl_quotes),
            ("E004", _WIDE, fix_character_width),
            ("E005", _LIGATURE, fix_latin_ligatures),
        ):
            if self.on(code):
                edits.extend(
                    Edit(m.start(), m.end(), fixer(m.group()), code)
                    for m in pattern.finditer(text)
                )
        return _not_exposing_mojibake(text, drop_overlaps(edits))


def _not_exposing_mojibake(text: str, edits: list[Edit]) -> list[Edit]:
    """Drop a line's cosmetic edits when they would make the line look like mojibake to
    ftfy (a curly quote turned straight can complete a mojibake sequence); applying them
    would make the next run "repair" it, breaking idempotence."""
    kept: list[Edit] = []
    k = 0
    while k < len(edits):
        line_start = text.rfind("\n", 0, edits[k].start) + 1
        line_end = text.find("\n", edits[k].start)
        line_end = len(text) if line_end < 0 else line_end
        group = []
        while k < len(edits) and edits[k].start < line_end:
            group.append(edits[k])
            k += 1
        line = text[line_start:line_end]
        shifted = [
            Edit(e.start - line_start, e.end - line_start, e.replacement, e.rule) for e in group
        ]
        new = apply_edits(line, shifted)
        if not is_bad(new) or ftfy.fix_encoding(new) == new:
            kept.extend(group)
    return kept
