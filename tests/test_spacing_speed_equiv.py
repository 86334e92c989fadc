"""The fast spacing pass gives exactly what one ``finditer`` per rule gives.

``SpacingPass.run`` only runs each rule's pattern where a cheap ``re`` scan found a
candidate, and skips the protected-span search where a prefilter says there can be none.
This test keeps the plain version (every rule over the whole text, every edit's stretch
searched) as the reference and compares the two on seeded random text built from the
characters and tokens the rules and the protected spans care about.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from normalize.config import Config
from normalize.edits import Edit, drop_overlaps
from normalize.passes import spacing as sp
from normalize.passes.base import DocContext

CODES = tuple(r.code for r in sp.RULES)
_S005_GATE = re.compile(r",[^\S\n]*,")


def reference(text: str, on: frozenset[str]) -> list[Edit]:
    """The straightforward implementation: each rule's finditer over the whole text."""
    edits: list[Edit] = []
    if "S005" in on and _S005_GATE.search(text):
        for m in sp._S005.finditer(text):
            rep = ", " if text[m.end() : m.end() + 1].isalpha() else ","
            edits.append(Edit(m.start(), m.end(), rep, "S005", 0.95))
    if "S004" in on:
        for m in sp._S004.finditer(text):
            mark = m.group("end") or m.group("colon")
            if mark:
                edits.append(Edit(m.start(), m.end(), mark, "S004", 0.95))
            else:
                edits.append(Edit(m.start(), m.end(), m.group()[-1] + " ", "S004", 0.9))
    if "S001" in on:
        edits += [Edit(m.start(), m.end(), "-", "S001", 0.9) for m in sp._S001.finditer(text)]
    if "S002" in on:
        edits += [Edit(m.end(), m.end(), " ", "S002", 0.9) for m in sp._S002.finditer(text)]
    if "S003" in on:
        edits += [Edit(m.start(), m.start(), " ", "S003", 0.9)
                  for m in sp._S003_OPEN.finditer(text)]
        edits += [Edit(m.end(), m.end(), " ", "S003", 0.9)
                  for m in sp._S003_CLOSE.finditer(text)]
    if "S006" in on:
        edits += [Edit(m.start(), m.end(), " ", "S006") for m in sp._S006.finditer(text)]
    return [e for e in drop_overlaps(edits) if not _protected(text, e)]


def _protected(text: str, e: Edit) -> bool:
    """Whether a protected span of the edit's whitespace-delimited stretch overlaps it."""
    lo = max(0, e.start - sp._WINDOW)
    hi = min(len(text), e.end + sp._WINDOW)
    left = sp._LAST_SPACE.search(text, lo, e.start)
    right = sp._NEXT_SPACE.search(text, e.end, hi)
    lo = left.end() if left else lo
    hi = right.start() if right else hi
    for m in sp._PROTECTED.finditer(text, lo, hi):
        s, end = m.span()
        if (s < e.start < end) or (s < e.end < end) or (e.start <= s and end <= e.end):
            return True
    return False


TOKENS = (
    " ", " ", "  ", "   ", "\u00a0", "\t", "\n", "\r\n", "\x1c", "\u3000", ".", ",", ";", ":",
    "!", "?", "(", ")", "-", " -", '"', "“", "”", "’", "...", ",,", ", ,", ",\t,", ",\n,",
    "0", "7", "3.14", "1,000", "10:30", "2024-01-02", "1/2", "a", "z", "word", "quality",
    "The", "On", "A", "É", "é", "ß", "中", "文字", "ı", "İ", "ſ", "\u212a",
    "http://a.b/c", "www.ab.com", "a.b@c.com", "&amp;", "&#12;", "U.S.", "e.g.", "Mr.",
    "MR.", "Nos.", "Dept.", "vs.", "file.pdf", "gov.cn", "x.COM", "(re)use", "word(s)",
    "5th(R", ")On", "12(ab", "co -leading", "smoothly.The", "solidly;The", "here:Home",
    "city , the", "county .", "x ,y", "x .Ab", "a :", "3 : 1", "sewage,, water",
)
CHARS = " \u00a0\t\n\r.,;:!?()\"'“”’-0123456789abcXYZ中é@/&#w"


def _texts(seed: int, n: int) -> list[str]:
    """Seeded random strings: mostly tokens the rules react to, some single characters."""
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        if rnd.random() < 0.7:
            out.append("".join(rnd.choice(TOKENS) for _ in range(rnd.randint(1, 30))))
        else:
            out.append("".join(rnd.choice(CHARS) for _ in range(rnd.randint(1, 50))))
    return out


@pytest.mark.parametrize(
    "on",
    [frozenset(CODES), *(frozenset({c}) for c in CODES), *(frozenset(CODES) - {c} for c in CODES)],
    ids=lambda on: "+".join(sorted(on)),
)
def test_matches_reference_on_random_text(on: frozenset[str]) -> None:
    p = sp.SpacingPass(Config(), on)
    texts = _texts(20240611, 3000 if len(on) == len(CODES) else 400)
    fired = 0
    for text in texts:
        want = reference(text, on)
        assert p.run(text, DocContext()) == want, text
        fired += bool(want)
    assert fired >= len(texts) // 20  # the generator does exercise the rules


@pytest.mark.parametrize(
    "text",
    ["sewage,\u2028\u2028, water", "sewage,\xa0\xa0, water", "a,\u3000\u3000,b", "word,\xa0,x"],
)
@pytest.mark.parametrize("on", [frozenset(CODES), frozenset({"S005"})], ids=["all", "S005"])
def test_matches_reference_on_non_ascii_spaces_between_commas(
    text: str, on: frozenset[str]
) -> None:
    """Two non-ASCII spaces after a comma also look like the letters S002's scan wants;
    the comma scan must still offer the position to S005."""
    assert sp.SpacingPass(Config(), on).run(text, DocContext()) == reference(text, on)


def test_matches_reference_on_samples() -> None:
    root = Path(__file__).resolve().parent.parent / "samples"
    p = sp.SpacingPass(Config(), frozenset(CODES))
    files = sorted(root.rglob("*.txt")) + sorted(root.rglob("*.md"))
    assert files
    for f in files:
        text = f.read_text(encoding="utf-8", errors="replace")
        for piece in (text, *text.splitlines(keepends=True)):
            assert p.run(piece, DocContext()) == reference(piece, frozenset(CODES)), f
