"""The chrome pass's speed gates never change a decision.

Each gate (``could_be_chrome``, ``anchored_gate``, the per-document ``scan``, the mixed-marker
gate, ``ends_sentence``, ``body_line``, the ASCII paths of the line keys, the line splitter)
claims to be a necessary condition of, or identical to, the slow check it stands in front
of. These tests hold them to it on every line we have, on mutations of those lines and on
generated text; the precision/recall and golden-output tests cover the pass as a whole.
"""

from __future__ import annotations

import random
import sys
import unicodedata
from pathlib import Path

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from normalize import chrome_patterns as cp
from normalize.boilerplate import _INVISIBLE, _SPACE, line_key
from normalize.chrome_classify import (
    body_line,
    classify,
    could_be_chrome,
    ends_sentence,
    is_body,
    scan,
)
from normalize.passes.chrome import (
    _headline_key,
    _mixed_marker,
    _mixed_possible,
    _split_lines,
)
from normalize.textutil import iter_lines
from tests.conftest import SAMPLES, SEEDS
from tests.test_chrome import BODY, CHROME_LINES, CONTENT_LINES

FIXTURES = Path(__file__).parent / "fixtures" / "chrome"


def _documents() -> list[str]:
    docs = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))]
    for p in sorted(FIXTURES.glob("page*.txt")):
        docs.append("\n".join(x[2:] for x in p.read_text(encoding="utf-8").splitlines()))
    if SEEDS.is_dir():
        docs += [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    docs.append("\n".join(x for xs in CHROME_LINES.values() for x in xs))
    docs.append("\n".join(CONTENT_LINES))
    return docs


DOCS = _documents()


def _variants(line: str, rnd: random.Random) -> list[str]:
    """The line, and the line changed in ways that move it across gate boundaries."""
    out = [line, line.upper(), line.lower(), line.swapcase(), f"  {line}\u00a0", f"【{line}】"]
    out += [f"{line} | {line}", f"{line}：", f"{line}.", line.replace(" ", "")]
    words = line.split()
    if len(words) > 1:
        rnd.shuffle(words)
        out.append(" ".join(words))
        out.append(" ".join(words[: len(words) // 2]))
    return out


def _all_lines() -> list[tuple[str, str]]:
    """(line, its document) for every line, and for variants of every line in a document
    made of the variants."""
    rnd = random.Random(3)
    pairs = [(t, doc) for doc in DOCS for t in doc.splitlines()]
    for doc in DOCS:
        variants = [v for t in doc.splitlines() for v in _variants(t, rnd)]
        vdoc = "\n".join(variants)
        pairs += [(v, vdoc) for v in variants]
    return pairs


LINES = _all_lines()


# --- the classifier gate -------------------------------------------------------------------
def test_gate_passes_every_line_the_classifier_flags():
    flagged = 0
    for line, doc in LINES:
        s = line.strip()
        if not s or len(s) > cp.MAX_CHROME_CHARS or classify(s) is None:
            continue
        flagged += 1
        assert could_be_chrome(s), s
        assert could_be_chrome(s, scan(doc)), s
    assert flagged > 500  # the corpus above really exercises the gate


@pytest.mark.parametrize(
    "line",
    [
        "A | A | A",
        "Home>News>Local News",
        "1711106563970.png",
        "中文 Français 한국어 日本語",
        "Copyright © 2024 Example Bureau",
        "湘ICP备12345678号",
        "Source: Hunan Daily Editor: Li Ming",
        "Civic Centre > Notices > Water",  # BREADCRUMB_TRAIL: any first word, then arrows
        "report final version.JPEG",  # MEDIA_NAME: any first word, then the extension
    ],
)
def test_gate_lets_chrome_through(line):
    assert could_be_chrome(line)
    assert could_be_chrome(line, scan(f"{BODY}\n{line}\n"))
    assert classify(line) is not None


@pytest.mark.parametrize(
    "line",
    [
        BODY,
        "The river chief system now covers every village in the county, officials said.",
        "Zhu Jian called for a sense of crisis to be maintained throughout the city.",
        "Hengyang City Holds Promotion Meeting for Rectification of Environmental Problems",
    ],
)
def test_gate_skips_body_lines(line):
    assert not could_be_chrome(line)
    assert not could_be_chrome(line, scan(f"{line}\n{BODY}\n"))


def test_gate_falls_back_on_case_exotic_characters():
    # 'ſ' matches 's' under IGNORECASE but str.lower() leaves it alone: no lower-case gate.
    line = "All rights reserved".replace("s", "\u017f")
    assert classify(line) is not None
    assert scan(line) is None
    assert could_be_chrome(line)


def test_case_exotic_lists_every_non_ascii_letter_that_matches_ascii():
    chars = "".join(chr(c) for c in range(0x80, sys.maxunicode + 1) if not 0xD800 <= c < 0xE000)
    found = set(regex.compile(r"[a-z]", regex.IGNORECASE | regex.VERSION0).findall(chars))
    assert found == set(cp.CASE_EXOTIC)


def test_anchored_gate_keeps_every_rule_that_matches():
    whole = [regex.compile(p + r"\Z", regex.VERSION0) for p in cp._ANCHORED]
    for line, _ in LINES:
        s = line.strip()
        if not s:
            continue
        hits = [p for p in whole if p.match(s)]
        if hits:
            gate = cp.anchored_gate(s[: cp.GATE_PREFIX])
            assert gate is not None and gate.match(s), s


def test_language_heads_start_every_language_match():
    heads = cp.LANGUAGE_HEADS
    assert "Bahasa" in heads and "Русский" in heads and "Tiếng" in heads
    names = " | ".join([*heads, "Русский язык", "Bahasa Indonesia", "Bahasa Melayu", "Tiếng Việt"])
    matches = [m.group() for m in cp.LANGUAGE.finditer(names)]
    assert len(matches) >= len(heads)
    assert all(m.startswith(heads) for m in matches)
    menu = "한어Русский языкEnglishFrançaisIndonesianSanskrit日本語Deutsch"
    assert cp.LANGUAGE_PAIR_NO_ENYE.search(menu)
    assert cp.LANGUAGE_PAIR.search("español Deutsch")
    assert not cp.LANGUAGE_PAIR_NO_ENYE.search("español Deutsch")  # needs an ñ: other gate


# --- the mixed-marker gate -----------------------------------------------------------------
def test_mixed_gate_passes_every_line_with_a_marker():
    found = 0
    for line, doc in LINES:
        if _mixed_marker(line) is None:
            continue
        found += 1
        assert _mixed_possible(line, scan(doc)), line
    assert found > 100


def test_mixed_gate_examples():
    doc = f"{BODY}\nrelease  time ：x\n"
    assert _mixed_possible("release  time ：x", scan(doc))
    assert not _mixed_possible(BODY, scan(doc))
    assert not _mixed_possible("The meeting began at 9:30.", scan("The meeting began at 9:30."))


# --- exact replacements --------------------------------------------------------------------
TAILS = st.text(alphabet=".!?。；;…\"'”’)）] \t\u00a0x\x1c", max_size=8)


@settings(max_examples=400)
@given(st.text(max_size=30), TAILS)
def test_ends_sentence_is_the_regex(head, tail):
    s = (head + tail).strip()
    assert ends_sentence(s) == (cp.SENTENCE_END.search(s) is not None)


@settings(max_examples=300)
@given(st.lists(st.sampled_from(["word", "x.", "a", " ", "\t", "\u3000", "。", "!"]), max_size=60))
def test_body_line_is_is_body(parts):
    s = " ".join(parts)
    assert body_line(s.strip()) == is_body(s)


def test_body_line_on_real_lines():
    for line, _ in LINES:
        assert body_line(line.strip()) == is_body(line)


def _slow_line_key(line: str) -> str:
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", line))
    return _SPACE.sub(" ", text).strip().casefold()


@given(st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=40))
def test_line_key_ascii_path_is_the_slow_path(line):
    assert line_key(line) == _slow_line_key(line)


@given(st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=40))
def test_headline_key_ascii_path_is_the_regex(line):
    assert _headline_key(line) == cp.KEY_STRIP.sub("", line.casefold())


@given(st.text(alphabet="ab \r\n\u0085\u2028", max_size=20))
def test_split_lines_is_iter_lines(text):
    assert _split_lines(text) == [(s, c, e, text[s:c]) for s, c, e in iter_lines(text)]


def _mixed_marker_one_regex(t: str) -> tuple[int, int, str] | None:
    """The mixed-marker search as first written: MIXED_MARKER as one alternation."""
    parts = [(0, t)] if len(t) <= 600 else [(0, t[:300]), (len(t) - 300, t[-300:])]
    for off, part in parts:
        low = part.lower()
        for pattern, gate in ((cp.MIXED_MARKER, cp.MIXED_GATE), (cp.MIXED_MEDIA, cp.MEDIA_GATE)):
            if any(g in low for g in gate):
                m = pattern.search(part)
                if m:
                    return off + m.start(), off + m.end(), m.group()
    return None


def test_mixed_marker_by_alternative_is_the_alternation():
    extra = [
        "Share to: x | A|A|A you are here: 当前位置",
        "[print][close] copyright © all  rights reserved ICP备",
        "Next article: y, release time: z, responsible editor: w",
        "scan the QR code to read | print|close",
        "x" * 700 + " All Rights Reserved",
    ]
    for line in [t for t, _ in LINES] + extra:
        assert _mixed_marker(line) == _mixed_marker_one_regex(line), line
