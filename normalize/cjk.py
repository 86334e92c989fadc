"""CJK-aware mojibake repair: the GBK/GB18030 confusions that ftfy does not model.

Chinese pages reach us garbled in a few recurring ways (issue 6)::

    UTF-8 bytes read as GBK          图片 -> 鍥剧墖
    GBK bytes read as Latin-1/cp1252 图片 -> Í¼Æ¬     (ftfy "fixes" this into ͼƬ)
    GBK punctuation in English       ’    -> ¡¯
    GBK bytes read as mac_roman      图片 -> Õº∆¨
    several layers of the above      环境 -> »·¾³ -> Â»Â·Â¾Â³

ftfy only tries single-byte encodings, so this module undoes those round trips itself.
A repair is a chain of "encode with the encoding the text was wrongly decoded as, decode
with the one it really was in". Every candidate chain must decode *strictly* (no byte is
guessed) and the result must be clearly better than the input, judged with a list of the
3,755 most common Chinese characters (GB2312 level 1, ``data/common_hanzi.txt``): a high
share of common ideographs where the input had few, no private-use, unassigned or
replacement characters. Short segments need at least two common ideographs, or must be a
known punctuation signature such as ``¡¯``. Where bytes were already lost (``?`` or
U+FFFD substituted), nothing is guessed: the segment is reported as a finding.

Cost: the encoding pass calls :func:`scan_text` on every non-ASCII document, so the first
step is one compiled regex search for characters mojibake of this kind always contains
(Latin-1 range, CJK, mac_roman symbols). Clean English, curly quotes and dashes included,
never matches it and costs one C-level scan.
"""

from __future__ import annotations

import bisect
import codecs
import dataclasses
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import ftfy.bad_codecs  # noqa: F401  (registers the "sloppy-windows-1252" codec)
import regex

from normalize.edits import Edit, apply_edits
from normalize.passes.base import DocContext
from normalize.rules import Rule
from normalize.textdiff import diff_edits

P = "encoding"

RULES = (
    Rule(
        "E101",
        "utf8-read-as-gbk",
        P,
        "Repair Chinese text whose UTF-8 bytes were decoded as GBK/GB18030 ('鍥剧墖').",
        "A UTF-8 page read as GBK turns every Chinese character into one or two rare ones "
        "('图片' -> '鍥剧墖', '’s' -> '鈥檚'). The segment is encoded back to GBK and decoded "
        "as UTF-8; the repair is kept only when that decodes strictly and yields common "
        "Chinese characters (or the typographic punctuation signature), never on text "
        "that is already plausible Chinese.",
        (("Caption: 鍥剧墖 1", "Caption: 图片 1"),),
    ),
    Rule(
        "E102",
        "gbk-read-as-latin1",
        P,
        "Repair GBK/GB18030 text decoded as Latin-1 or Windows-1252 ('Í¼Æ¬', '¡¯').",
        "GBK bytes read as a Western single-byte encoding look like accented Latin soup "
        "('图片' -> 'Í¼Æ¬'); GBK punctuation inside English shows as '¡¯', '¡°', '¡±'. "
        "ftfy reads such bytes as UTF-8 and produces wrong text like 'ͼƬ'; this rule "
        "runs first and reads them as GBK, when the result is common Chinese (two or more "
        "common characters) or known GBK punctuation, and the bytes are not plausible "
        "UTF-8 Latin text instead.",
        (("the city¡¯s plan for ¡°Í¼Æ¬¡±", "the city’s plan for “图片”"),),
    ),
    Rule(
        "E103",
        "multi-layer-cjk-mojibake",
        P,
        "Repair Chinese text garbled by two or three wrong decodings in a row.",
        "Text that was mis-decoded, saved, and mis-decoded again ('环境' -> '»·¾³' -> "
        "'Â»Â·Â¾Â³') is unwound one layer at a time (at most three); the whole chain must "
        "decode strictly and end in common Chinese. Every layer undone is listed in the "
        "change's metadata.",
        (("Report on Â»Â·Â¾Â³ protection", "Report on 环境 protection"),),
    ),
    Rule(
        "E104",
        "cjk-read-as-mac-roman",
        P,
        "Repair Chinese text whose UTF-8 or GBK bytes were decoded as Mac OS Roman.",
        "Old Mac tools decode unknown bytes as mac_roman ('图片' in GBK -> 'Õº∆¨', in "
        "UTF-8 -> 'Âõæªá‰á'); ftfy misses the short cases and misreads the GBK ones. "
        "Repaired under the same evidence rules as E101/E102.",
        (("Photo: Õº∆¨", "Photo: 图片"),),
    ),
    Rule(
        "E105",
        "lossy-cjk-mojibake",
        P,
        "Report Chinese mojibake whose bytes were already replaced by '?' or U+FFFD.",
        "When a garbled segment would decode to Chinese except that some bytes were "
        "replaced ('鍥剧墖銆?'), the lost bytes cannot be recovered and any repair would be "
        "a guess. The segment is reported, with the probable reading, for a human.",
        (("Caption 鍥剧墖銆?", "Caption 鍥剧墖銆?"),),
        kind="finding",
    ),
)

CODES = frozenset(r.code for r in RULES)

_DATA = Path(__file__).with_name("data") / "common_hanzi.txt"


def _load_common() -> str:
    """The common-character list, comment lines skipped (shipped as package data)."""
    lines = _DATA.read_text(encoding="utf-8").splitlines()
    return "".join(ln.strip() for ln in lines if ln.strip() and not ln.startswith("#"))


COMMON_HANZI: frozenset[str] = frozenset(_load_common())

# Cheap gate. Any mojibake handled here contains one of these: Latin-1 range characters
# (GBK bytes read as Latin-1/cp1252/mac_roman almost always give some), CJK ideographs
# and symbols (UTF-8 read as GBK), private-use (GB18030 user areas), U+FFFD, or the
# mac_roman symbols that are not ordinary English typography.
_SUSPECT_CLASS = (
    r"[\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    r"\u2e80-\u9fff\uac00-\ud7af\ue000-\uf8ff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
    r"\u2202\u2206\u220f\u2211\u221a\u221e\u222b\u2248\u2260\u2264\u2265\u25ca"
    r"\u03a9\u03c0\u0131\u02c7\u02d8-\u02dd\ufb01\ufb02\u2030\u2021\u2020\u2044]"
)
SUSPECT = regex.compile(_SUSPECT_CLASS)
# Every repair or finding needs two adjacent non-ASCII characters, one of them suspect
# (a lone 'é' or 'ç' can never be decided), so this is the document-level gate.
_NA = r"(?:[^\x00-\x7f\s]|\xa0)"
_C0 = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*"  # deleted by the unicode pass: not a separator
SUSPECT_PAIR = regex.compile(rf"{_SUSPECT_CLASS}{_C0}{_NA}|{_NA}{_C0}{_SUSPECT_CLASS}")
# Pre-filter for the gate: any two adjacent non-ASCII characters. The stdlib engine scans
# this simple class at >100 MB/s; the finer SUSPECT_PAIR runs only on lines it hits.
_PAIR = re.compile(r"[^\x00-\x7f][\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*[^\x00-\x7f]")

# A run of non-ASCII, non-space characters; U+00A0 counts (byte A0/CA of a garble).
_RUN = regex.compile(r"(?:[^\x00-\x7f\s]|\xa0)+")
# A lossy segment: non-ASCII runs glued by '?' (bytes the decoder replaced), or holding U+FFFD.
_LOSSY_SEG = regex.compile(r"[^\x00-\x7f\s](?:[^\x00-\x7f\s]|\?+(?=[^\x00-\x7f\s]))*\?*")
_NONASCII = regex.compile(r"[^\x00-\x7f]")
_HAN = regex.compile(r"\p{Han}")
# Counting common characters: deleting them with str.translate runs in C and stays fast
# for long segments (a 3,755-member regex class does not).
_DROP_COMMON = dict.fromkeys(map(ord, COMMON_HANZI))
# Punctuation and forms that belong in Chinese (or English) text.
_PUNCT = regex.compile(
    r"[\u3000-\u303f\uff01-\uff5e\uffe0-\uffe6\u2010-\u2027\u2030-\u203a\u00b7\u00d7"
    r"\u2103\u2116\u2160-\u217f\u2460-\u249b\u00b0\u00b1\u00a5\u00a9\u00ae\u2122\u20ac]"
)
# Punctuation that a short, Han-free repair may produce (the '¡¯' and '鈥檚' signatures).
_TYPO = regex.compile(r"[\u2018\u2019\u201c\u201d\u2014\u2026\u3001\u3002\u00b7]")
_BAD = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\p{Cn}\p{Co}\p{Cs}\ufffd]")
# Intermediate layers may hold C1 controls (a Latin-1 layer), never these.
_BAD_MID = regex.compile(r"[\p{Cn}\p{Co}\p{Cs}\ufffd]")
# A UTF-8 reading of the same bytes that is plausible text in one Western script: that
# is ftfy's case ('Ã©' -> 'é', 'Î•Î»' -> 'Ελ'), and no GBK reading of it is trusted.
_W_PUNCT = r"\x00-\x7f\u00a0-\u00bf\u00d7\u00f7\u2010-\u2027\u2030-\u203a\u20ac\u2122"
_WESTERN = tuple(
    regex.compile(rf"[{_W_PUNCT}{letters}]*")
    for letters in (
        r"\u00c0-\u00ff\u0100-\u017f\u0192",  # Latin-1 and Latin Extended-A
        r"\u0386-\u03ce",  # Greek
        r"\u0400-\u045f",  # Cyrillic
        r"\u05d0-\u05ea",  # Hebrew
        r"\u060c\u061b\u061f\u0621-\u064a\u0660-\u0669",  # Arabic
    )
)
_MATHY = regex.compile(r"[\u2202\u2206\u220f\u2211\u221a\u221e\u222b\u2248\u2260\u2264"
                       r"\u2265\u00b1\u00b0\u00b5\u00f7\u00d7\u00ac\u03a9\u03c0\u25ca\xa0]+")
# What the unicode pass deletes (invisible and control characters).
_INVISIBLE = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u2060\u180e\u00ad\ufeff]+")
# Marks that can sit next to a garbled word without being part of it: Western quotes and
# dashes, and real CJK punctuation (a Western decoding never produces it), as in
# '（Í¼Æ¬）', where the garbled word must be judged without its parentheses.
_EDGE_TYPO = "‘’“”–—…•·\xa0，。：；（）【】！？、《》「」『』〈〉"
# Characters the later passes can turn into ASCII: curly quotes (E003), full-width forms
# and CJK punctuation (E004, U005), ligatures (E005).
_LATER_ASCII = frozenset(
    "‘’“”、。【】\u0132\u0133\u013f\u0140"
    + "".join(map(chr, (*range(0xFF01, 0xFF5F), *range(0xFB00, 0xFB07))))
    + "".join(map(chr, (*range(0x01C4, 0x01CD), *range(0x01F1, 0x01F4))))
)

# Encodings a byte stream was wrongly decoded as (undo = encode with them) and what the
# bytes really were (undo = decode with it). Names are as reported in ``meta``.
_WRONG_8BIT = ("windows-1252", "latin-1", "mac_roman")
_CODEC = {"windows-1252": "sloppy-windows-1252"}
_GB = ("gbk", "gb18030")

Layer = tuple[str, str]  # (encoded_as, decoded_as): the true encoding, the wrong one


@dataclass(frozen=True, slots=True)
class Repair:
    """One decided segment of a line: a fix (``lossy`` False) or a finding."""

    start: int
    end: int
    replacement: str
    rule: str
    layers: tuple[Layer, ...]
    confidence: float
    lossy: bool = False

    @property
    def meta(self) -> dict[str, Any]:
        """Report metadata: the outermost layer first, as in ``encoded_as``/``decoded_as``."""
        out: dict[str, Any] = {}
        if self.layers:
            out["encoded_as"], out["decoded_as"] = self.layers[0]
        if len(self.layers) > 1:
            out["layers"] = [{"encoded_as": e, "decoded_as": d} for e, d in self.layers]
        return out

    @property
    def message(self) -> str:
        steps = "; then ".join(f"{e} bytes decoded as {d}" for e, d in self.layers)
        if self.lossy:
            return f"Lossy CJK mojibake ({steps}), bytes already lost; probable: {self.replacement}"
        return f"Undid CJK mojibake: {steps}"


@dataclass(slots=True)
class LineScan:
    """What :func:`scan_line` decided for one line (coordinates within the line)."""

    repairs: list[Repair] = field(default_factory=list)
    findings: list[Repair] = field(default_factory=list)
    protected: list[tuple[int, int]] = field(default_factory=list)


def _encode(text: str, name: str) -> bytes | None:
    codec = _CODEC.get(name, name)
    try:
        return text.encode(codec)
    except UnicodeEncodeError:
        return None


def _decode(data: bytes, name: str) -> str | None:
    try:
        return data.decode(name)
    except UnicodeDecodeError:
        return None


def _steps(text: str) -> Iterable[tuple[Layer, str, bytes]]:
    """Every single-layer undo that round-trips ``text`` strictly: (layer, result, bytes).

    Encoding stops at the first character outside the codec, so the branches that cannot
    apply cost next to nothing.
    """
    for wrong in _WRONG_8BIT:
        data = _encode(text, wrong)
        if data is None:
            continue
        for true in ("utf-8", *_GB):
            out = _decode(data, true)
            if out is not None:
                yield (true, wrong), out, data
                if true == "gbk":
                    break  # gb18030 decodes GBK bytes identically
    for wrong in _GB:
        data = _encode(text, wrong)
        if data is None:
            continue
        out = _decode(data, "utf-8")
        if out is not None:
            yield ("utf-8", wrong), out, data
        break  # gbk-encodable text encodes the same in gb18030


@dataclass(frozen=True, slots=True)
class _Stats:
    nonascii: int
    han: int
    common: int
    punct: int
    bad: int


def _stats(text: str) -> _Stats:
    return _Stats(
        nonascii=len(_NONASCII.findall(text)),
        han=len(_HAN.findall(text)),
        common=len(text) - len(text.translate(_DROP_COMMON)),
        punct=len(_PUNCT.findall(text)),
        bad=len(_BAD.findall(text)),
    )


def _is_latin(text: str) -> bool:
    """Whether ``text`` is ordinary non-ASCII text in one Western script (ftfy's output)."""
    return not text.isascii() and any(p.fullmatch(text) for p in _WESTERN)


def _plausible_latin_utf8(data: bytes) -> bool:
    """Whether these bytes, read as UTF-8, are ordinary Western text (ftfy's case)."""
    out = _decode(data, "utf-8")
    return out is not None and _is_latin(out)


def _judge(original: str, candidate: str, layers: tuple[Layer, ...]) -> float:
    """How clearly ``candidate`` beats ``original`` (0 = reject). Precision first."""
    c = _stats(candidate)
    if c.bad or c.nonascii == 0:
        return 0.0
    o = _stats(original)
    other = c.nonascii - c.han - c.punct
    if other * 8 > c.nonascii:
        return 0.0
    if c.han == 0:
        # Punctuation only: the '¡¯' / '鈥檚' signatures. The input must hold no common
        # ideograph, be at least two characters per produced mark, and the output only
        # typographic marks, from a single layer.
        marks = len(_TYPO.findall(candidate))
        if (
            len(layers) == 1
            and marks == c.nonascii
            and o.common == 0
            and o.nonascii >= 2 * marks
            and not _plausible_latin_utf8(original.encode("latin-1", "ignore"))
        ):
            return 0.5
        return 0.0
    if c.common < 2:
        return 0.0
    share = c.common / c.han
    short = c.common <= 3
    if short and (share < 1.0 or other):
        return 0.0
    if share < 0.7:
        return 0.0
    before = o.common / max(o.nonascii, 1)
    if share - before < 0.4:
        return 0.0
    return 1.0 + c.common + share - before - 0.01 * len(layers)


def _rule_for(layers: tuple[Layer, ...]) -> str:
    if len(layers) > 1:
        return "E103"
    true, wrong = layers[0]
    if wrong == "mac_roman":
        return "E104"
    if true == "utf-8" and wrong in _GB:
        return "E101"
    if true in _GB:
        return "E102"
    return "E100"  # single UTF-8/Western layer: ftfy's business, never emitted


def decide(segment: str) -> tuple[str, tuple[Layer, ...], float] | None:
    """The best repair of one segment (see :func:`_decide`); short segments are cached,
    since headlines and captions repeat, and a long one must not pin memory."""
    return _decide_cached(segment) if len(segment) <= 256 else _decide(segment)


def _decide(segment: str) -> tuple[str, tuple[Layer, ...], float] | None:
    """The best repair of one segment: (replacement, layers innermost-last, score) or None.

    Chains of up to three layers are explored breadth first; each intermediate must be
    free of replacement and private-use characters. Single UTF-8/Western layers are
    ftfy's job and are only used to veto: if the best reading is one, nothing is done.
    """
    best: tuple[float, str, tuple[Layer, ...]] | None = None
    frontier: list[tuple[str, tuple[Layer, ...]]] = [(segment, ())]
    seen = {segment}
    for _depth in range(3):
        nxt: list[tuple[str, tuple[Layer, ...]]] = []
        for text, layers in frontier:
            steps = list(_steps(text))
            # When some Western reading of these characters is plausible UTF-8 Latin
            # text ('Ã©' -> 'é'), that is ftfy's case: no GBK reading of them is trusted.
            latin = any(
                lay[0] == "utf-8" and lay[1] in _WRONG_8BIT and _is_latin(out)
                for lay, out, _ in steps
            )
            for layer, out, _data in steps:
                if out in seen:
                    continue
                seen.add(out)
                chain = (*layers, layer)
                if latin and layer[0] in _GB:
                    continue
                score = _judge(segment, out, chain)
                if score and (best is None or score > best[0]):
                    best = (score, out, chain)
                if not _BAD_MID.search(out):
                    nxt.append((out, chain))
        frontier = nxt
        if best is not None or not frontier:
            break
    if best is None:
        return None
    score, out, chain = best
    if _rule_for(chain) == "E100":
        return None
    if chain[0][1] == "mac_roman" and _MATHY.fullmatch(segment):
        return None  # a run of maths symbols ('∑∏∫√') is text, not GBK read as mac_roman
    return out, chain, score


_decide_cached = lru_cache(maxsize=4096)(_decide)


def _spans(line: str, start: int, end: int) -> list[tuple[int, int]]:
    """Candidate spans for the run ``line[start:end]``: itself, with a following ASCII
    character absorbed (GBK trail bytes can be ASCII), and with typographic marks and C1
    controls at the edges left out (real quotes around a garbled word; controls that
    the unicode pass deletes anyway)."""
    out = [(start, end)]
    if end < len(line) and "\x40" <= line[end] <= "\x7e":
        out.append((start, end + 1))
    # First without only the marks a later pass may make ASCII (full-width forms,
    # ligatures, curly quotes): the next run would see the word without them.
    s, e = start, end
    while s < e and line[s] in _LATER_ASCII:
        s += 1
    while e > s and line[e - 1] in _LATER_ASCII:
        e -= 1
    if (s, e) != (start, end) and e - s > 0:
        out.append((s, e))
    s, e = start, end
    while s < e and (line[s] in _EDGE_TYPO or "\x80" <= line[s] <= "\x9f"):
        s += 1
    while e > s and (line[e - 1] in _EDGE_TYPO or "\x80" <= line[e - 1] <= "\x9f"):
        e -= 1
    if (s, e) != (start, end) and e - s > 0 and (s, e) != out[-1]:
        out.append((s, e))
    return out


def _lossy(segment: str) -> tuple[str, tuple[Layer, ...]] | None:
    """Probable reading of a segment whose bytes were partly replaced, or None.

    Each piece between the '?'/U+FFFD marks is decoded with replacement; the pieces
    together must read as common Chinese under one single-layer interpretation.
    """
    pieces = [p for p in regex.split(r"[?\ufffd]+", segment) if p]
    if not pieces:
        return None
    for wrong in _WRONG_8BIT:
        data = _encode("".join(pieces), wrong)
        if data is not None and _is_latin(data.decode("utf-8", "replace").replace("\ufffd", "")):
            return None  # lossy UTF-8 mojibake of Western text: ftfy's business
    for true, wrong in (("utf-8", "gbk"), ("gbk", "latin-1"), ("gbk", "windows-1252")):
        decoded: list[str] = []
        for piece in pieces:
            data = _encode(piece, wrong)
            if data is None:
                break
            decoded.append(data.decode(true, "replace"))
        else:
            text = "\ufffd".join(decoded)
            clean = text.replace("\ufffd", "")
            if _judge("".join(pieces), clean, ((true, wrong),)) and _stats(clean).han >= 2:
                return text, ((true, wrong),)
    return None


def _has_utf8_reading(segment: str) -> bool:
    """Whether some Western encoding of ``segment`` is valid, non-ASCII UTF-8."""
    for wrong in _WRONG_8BIT:
        data = _encode(segment, wrong)
        if data is not None and not data.isascii() and _decode(data, "utf-8") is not None:
            return True
    return False


def _scan_without_nbsp(line: str, scan: LineScan) -> None:
    """Decide the runs a no-break space bounds once more as the next run will see them:
    the unicode pass makes no-break spaces plain spaces, which end a run, so a garbled
    word the space was glued to ('\xa0·¡°¡') must be judged without it now, or a second
    run would repair what the first left. Same length, so offsets carry over."""
    view = line.replace("\xa0", " ")
    starts = [r.start for r in scan.repairs]
    ends = [r.end for r in scan.repairs]
    for m in _RUN.finditer(view):
        a, b = m.span()
        if not (a > 0 and line[a - 1] == "\xa0") and not (b < len(line) and line[b] == "\xa0"):
            continue  # the same run as in the line itself: already decided
        for s, e in _spans(view, a, b):
            if _touching(starts, ends, s, e, strict=True) >= 0:
                continue
            if _record(scan, s, e, decide(view[s:e]), starts, ends):
                break
    scan.repairs.sort(key=lambda r: r.start)


def _scan_without_invisible(line: str, scan: LineScan) -> None:
    """Decide the line once more as the unicode pass will leave it, invisible and control
    characters deleted, so that a second run cannot find a repair the first one missed
    ('¡\b¢' -> '¡¢' -> '、'). A segment that is valid UTF-8 under a Western encoding
    only with its controls (they are bytes of UTF-8 mojibake, as in 'Ã\x83Â©') is
    ftfy's business and skipped; one that reads so without them as well is decided here,
    as the next run, which no longer sees the controls, would decide it."""
    # Where the deleted runs were, in view offsets, and how much was deleted up to each:
    # a breakpoint map (a per-character index would be a list as long as the line).
    gap_at: list[int] = []
    gap_total: list[int] = []
    deleted = 0
    for m in _INVISIBLE.finditer(line):
        gap_at.append(m.start() - deleted)
        deleted += m.end() - m.start()
        gap_total.append(deleted)

    def in_line(v: int) -> int:
        """The position in ``line`` of character ``v`` of ``view``."""
        k = bisect.bisect_right(gap_at, v) - 1
        return v + gap_total[k] if k >= 0 else v

    view = _INVISIBLE.sub("", line)
    starts = [r.start for r in scan.repairs]  # kept sorted as repairs are added
    ends = [r.end for r in scan.repairs]
    for m in _RUN.finditer(view):
        k = bisect.bisect_left(gap_at, m.start())
        if k == len(gap_at) or gap_at[k] > m.end():
            continue  # no deletion in or at the edge of this run: it reads as before
        for s, e in _spans(view, m.start(), m.end()):
            os, oe = in_line(s), in_line(e - 1) + 1
            while os > 0 and _INVISIBLE.fullmatch(line[os - 1]):
                os -= 1  # take in the invisible characters around the segment, too
            while oe < len(line) and _INVISIBLE.fullmatch(line[oe]):
                oe += 1
            orig = line[os:oe]
            if orig == view[s:e] or _touching(starts, ends, os, oe, strict=True) >= 0:
                continue
            if _has_utf8_reading(orig) and not _has_utf8_reading(view[s:e]):
                continue  # the invisible characters are bytes of UTF-8 mojibake: ftfy's
            if _record(scan, os, oe, decide(view[s:e]), starts, ends):
                break
    scan.repairs.sort(key=lambda r: r.start)


def _touching(starts: list[int], ends: list[int], pos: int, end: int, strict: bool) -> int:
    """Index of the first of some sorted, disjoint spans (their ``starts`` and ``ends``)
    that touches ``pos:end`` (shares a point; ``strict``: overlaps it), else -1.

    A binary search instead of a scan of every span: on a long single-line document a
    line holds thousands of repairs and edits, and checking each edit against each
    repair would make the pass quadratic.
    """
    i = bisect.bisect_right(ends, pos) if strict else bisect.bisect_left(ends, pos)
    if i < len(starts) and (starts[i] < end if strict else starts[i] <= end):
        return i
    return -1


def _record(
    scan: LineScan,
    start: int,
    end: int,
    got: tuple[str, tuple[Layer, ...], float] | None,
    starts: list[int] | None = None,
    ends: list[int] | None = None,
) -> bool:
    """Add a decided repair of ``start:end`` to ``scan``; False when there is none.
    ``starts``/``ends``, when given, are a sorted index of the repairs (see
    :func:`_touching`) that a second scan keeps up to date as it adds repairs."""
    if got is None:
        return False
    out, layers, score = got
    conf = 0.95 if score >= 4 else 0.85
    scan.repairs.append(Repair(start, end, out, _rule_for(layers), layers, conf))
    scan.protected.append((start, end))
    if starts is not None and ends is not None:
        k = bisect.bisect_left(starts, start)
        starts.insert(k, start)
        ends.insert(k, end)
    return True


def scan_line(line: str) -> LineScan:
    """Decide every suspicious segment of one line (no line break inside ``line``)."""
    scan = LineScan()
    taken = 0
    for m in _RUN.finditer(line):
        if m.start() < taken:
            continue
        for s, e in _spans(line, m.start(), m.end()):
            if _record(scan, s, e, decide(line[s:e])):
                taken = e
                break
    if "\xa0" in line:
        _scan_without_nbsp(line, scan)
    if _INVISIBLE.search(line):
        _scan_without_invisible(line, scan)
    if "?" in line or "\ufffd" in line:
        starts = [r.start for r in scan.repairs]
        ends = [r.end for r in scan.repairs]
        for m in _LOSSY_SEG.finditer(line):
            seg = m.group()
            if ("?" not in seg and "\ufffd" not in seg) or _touching(
                starts, ends, m.start(), m.end(), strict=True
            ) >= 0:
                continue
            got_lossy = _lossy(seg)
            if got_lossy is not None:
                text, layers = got_lossy
                scan.findings.append(Repair(m.start(), m.end(), text, "E105", layers, 0.8, True))
                scan.protected.append(m.span())
    return scan


def apply_repairs(text: str, repairs: list[Repair]) -> str:
    """``text`` with the (sorted, disjoint) ``repairs`` of one :func:`scan_line` applied."""
    return _apply(text, repairs)[0]


def _apply(text: str, repairs: list[Repair]) -> tuple[str, list[tuple[int, int, Repair]]]:
    """``text`` with ``repairs`` applied, and each repair's span in the result."""
    pieces: list[str] = []
    spans: list[tuple[int, int, Repair]] = []
    pos = delta = 0
    for r in repairs:
        pieces.append(text[pos : r.start])
        pieces.append(r.replacement)
        spans.append((r.start + delta, r.start + delta + len(r.replacement), r))
        delta += len(r.replacement) - (r.end - r.start)
        pos = r.end
    pieces.append(text[pos:])
    return "".join(pieces), spans


def _line_edits(
    line: str,
    base: int,
    first: list[Repair],
    enabled: frozenset[str],
    ftfy_edits: Callable[[str], list[Edit]] | None,
    protected: list[tuple[int, int]],
) -> list[Edit]:
    """All encoding edits of one line this layer is responsible for (text coordinates).

    ftfy judges a line as a whole, so with E001 on (``ftfy_edits``: the encoding pass's
    own E001 routine, so its gating is exactly the same) it runs on the line with the CJK
    repairs applied (the garbled segments would skew its choice of encoding), and its
    output is scanned once more, because undoing a Western layer can expose CJK mojibake
    ('鍥剧墖â€™s' -> '鍥剧墖’s' -> '图片’s'): one run does what two would, so cleaning stays
    idempotent. Each edit of the combined diff is attributed to the CJK repair it
    touches, else to E001.

    ``protected`` (lossy, reported) spans stay exactly as they are: ftfy runs on the
    stretches between them, a second-scan repair touching one is left out, and the line
    is diffed piece by piece between them. (Diffing the whole line and then dropping the
    edits that touched one could keep half of a moved stretch: text came out twice.)
    """
    patched, _ = _apply(line, first)
    final, second = patched, []
    kept = _moved(protected, [(r.start, r.end, len(r.replacement)) for r in first])
    if ftfy_edits is not None:
        # ftfy on the stretches between protected spans: its edits are a diff, and
        # dropping some of a diff's edits can keep half of a moved stretch.
        repairs: list[Edit] = []
        pos = 0
        for a, b in [*kept, (len(patched), len(patched))]:
            repairs.extend(
                dataclasses.replace(e, start=e.start + pos, end=e.end + pos)
                for e in (ftfy_edits(patched[pos:a]) if a > pos else ())
            )
            pos = b
        fixed = apply_edits(patched, repairs)
        if fixed != patched:
            kept = _moved(kept, [(e.start, e.end, len(e.replacement)) for e in repairs])
            clear = _avoiding(kept)
            again = [
                r for r in scan_line(fixed).repairs if r.rule in enabled and clear(r.start, r.end)
            ]
            final, second = _apply(fixed, again)
            kept = _moved(kept, [(r.start, r.end, len(r.replacement)) for r in again])
    if final == patched or any(
        line[a:b] != final[c:d] for (a, b), (c, d) in zip(protected, kept, strict=True)
    ):
        return [
            e
            for r in first
            for e in diff_edits(line[r.start : r.end], r.replacement, base + r.start, r.rule,
                                r.confidence, r.message, r.meta)
        ]
    diffs: list[Edit] = []
    at_line = at_final = 0
    for (a, b), (c, d) in zip(protected, kept, strict=True):
        diffs.extend(diff_edits(line[at_line:a], final[at_final:c], at_line, "E001"))
        at_line, at_final = b, d
    diffs.extend(diff_edits(line[at_line:], final[at_final:], at_line, "E001"))
    out: list[Edit] = []
    shift = 0
    first_starts, first_ends = [r.start for r in first], [r.end for r in first]
    second_starts, second_ends = [a for a, _, _ in second], [b for _, b, _ in second]
    for e in diffs:
        fs, fe = e.start + shift, e.start + shift + len(e.replacement)
        shift += len(e.replacement) - (e.end - e.start)
        k = _touching(first_starts, first_ends, e.start, e.end, strict=False)
        owner = first[k] if k >= 0 else None
        if owner is None:
            k = _touching(second_starts, second_ends, fs, fe, strict=True)
            owner = second[k][2] if k >= 0 else None
        if owner is None:
            out.append(Edit(base + e.start, base + e.end, e.replacement, "E001", 0.9))
        else:
            out.append(
                Edit(base + e.start, base + e.end, e.replacement, owner.rule,
                     owner.confidence, owner.message, owner.meta)
            )
    return out


def _moved(
    spans: list[tuple[int, int]], edits: list[tuple[int, int, int]]
) -> list[tuple[int, int]]:
    """Where ``spans`` (sorted, disjoint, touched by none of ``edits``) are once the
    ``edits`` (sorted, disjoint ``(start, end, new length)``) are applied."""
    out: list[tuple[int, int]] = []
    k = delta = 0
    for a, b in spans:
        while k < len(edits) and edits[k][1] <= a:
            delta += edits[k][2] - (edits[k][1] - edits[k][0])
            k += 1
        out.append((a + delta, b + delta))
    return out


def _avoiding(spans: list[tuple[int, int]]) -> Callable[[int, int], bool]:
    """A test: does ``start:end`` stay clear of ``spans`` (sorted, disjoint), sharing no
    point with any? (Built once per list, so each test is one binary search.)"""
    starts, ends = [a for a, _ in spans], [b for _, b in spans]
    return lambda start, end: _touching(starts, ends, start, end, strict=False) < 0


def scan_text(
    text: str,
    ctx: DocContext,
    enabled: frozenset[str],
    ftfy_edits: Callable[[str], list[Edit]] | None = None,
) -> tuple[list[Edit], list[tuple[int, int]]]:
    """Edits and findings of the CJK layer for a whole document, plus the spans (text
    coordinates) where the plain ftfy pass must not edit because this layer decided there.

    Only lines holding a suspect character are looked at; the rest cost one regex scan.
    A line this layer edits also gets its ftfy (E001) repairs from here, see
    :func:`_line_edits`.
    """
    edits: list[Edit] = []
    blocked: list[tuple[int, int]] = []
    if not (CODES & enabled):
        return edits, blocked
    pos = 0
    while (hit := _PAIR.search(text, pos)) is not None:
        base = text.rfind("\n", 0, hit.start()) + 1
        end = text.find("\n", hit.end())
        end = len(text) if end < 0 else end
        pos = end + 1
        if SUSPECT_PAIR.search(text, base, end) is None:
            continue
        line = text[base:end]
        if line.endswith("\r"):
            line = line[:-1]
        scan = scan_line(line)
        for r in scan.findings:
            if r.rule in enabled:
                ctx.note(base + r.start, base + r.end, r.rule, r.message, r.confidence, r.meta)
        repairs = [r for r in scan.repairs if r.rule in enabled]
        if not repairs and not scan.findings and not scan.protected:
            continue  # nothing of this layer's: the plain ftfy routine takes the line
        lossy = [(r.start, r.end) for r in scan.findings]
        line_edits = _line_edits(line, base, repairs, enabled, ftfy_edits, lossy)
        edits.extend(line_edits)
        blocked.extend((base + s, base + e) for s, e in scan.protected)
        if line_edits or ftfy_edits is not None:
            # ftfy has had its say on this line (above, around the protected spans): the
            # plain routine must not judge it again with those spans blanked, and then
            # drop the edits of its diff that touch them.
            blocked.append((base, base + len(line)))
    return edits, blocked


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def mask(text: str, blocked: list[tuple[int, int]]) -> str:
    """``text`` with the blocked spans blanked to spaces (same length, same offsets).

    The plain ftfy routine then runs on this, so lines this layer already handled (ftfy
    included) are not fixed a second time, and garbled segments it reported or decided
    do not sway ftfy's reading of the rest of their line.
    """
    if not blocked:
        return text
    pieces: list[str] = []
    pos = 0
    for a, b in _merged(blocked):
        pieces.append(text[pos:a])
        pieces.append(" " * (b - a))
        pos = b
    pieces.append(text[pos:])
    return "".join(pieces)


def drop_blocked(edits: list[Edit], blocked: list[tuple[int, int]]) -> list[Edit]:
    """``edits`` without those touching a blocked span (binary search per edit)."""
    if not blocked:
        return edits
    spans = _merged(blocked)
    starts = [a for a, _ in spans]
    out: list[Edit] = []
    for e in edits:
        k = bisect.bisect_right(starts, e.end) - 1
        if k >= 0 and spans[k][1] >= e.start:
            continue
        out.append(e)
    return out


__all__ = [
    "CODES", "COMMON_HANZI", "RULES", "Repair", "decide", "drop_blocked", "mask", "scan_line",
    "scan_text",
]

# Make sure the sloppy codec resolves at import (fails loudly if ftfy changes it).
codecs.lookup(_CODEC["windows-1252"])
