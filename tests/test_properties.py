"""Properties that must hold for any text: no crash, exact replay, idempotence, and
clean text passes through byte-identical."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from normalize import Config, Normalizer, apply_changes

DEFAULT = Normalizer()
EVERYTHING = Normalizer(Config(select=("ALL",)))

# Text drawn from the alphabet the rules care about, so properties exercise them often.
_PIECES = [
    " ",
    "  ",
    "\n",
    "\r\n",
    "\n\n\n",
    "\u00a0",
    "\u3000",
    "\u200b",
    "\ufeff",
    "\x00",
    "\x85",
    "-",
    " -",
    ".",
    ",",
    ",,",
    " ,",
    ";",
    ":",
    "(",
    ")",
    "（",
    "）",
    "，",
    "。",
    "：",
    "&amp;",
    "&nbsp;",
    "&lt;",
    "high",
    "quality",
    "The",
    "On",
    "5th",
    "3.5",
    "1,000",
    "U.S.",
    "No.5",
    "gov.cn",
    "5.jpg",
    "http://x.cn/a.b",
    "Ã©",
    "â€™",
    "é",
    "’",
    "“",
    "”",
    "中文",
    "图片",
    "smoothly",
    "Reporter",
    "Chen",
    "ﬁ",
    "\t",
    "\r",
    "Provincial",
    "Department",
]
mt_text = st.lists(st.sampled_from(_PIECES) | st.text(max_size=3), max_size=40).map("".join)
any_text = st.text(max_size=200)
COMMON = settings(
    max_examples=int(os.environ.get("MTNORM_HYPOTHESIS_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@COMMON
@given(st.one_of(mt_text, any_text))
@example("a\u00a0\n\n\n\nb  ")
@example("\ufeff\r\n\r\nx\r\n\r\n")
@example("word ,next")
@example("a\r\n \r\nb\r\n")
@example("-  5.jpg")  # chrome judged the line before S006 collapsed its spaces
@example("&amp;high;")  # S002 split an escaped entity E002 then decoded
@example("\x97¢\x08\x96¢")  # a control hid a CJK reading the next run found
@example("à¢&nbsp;\x85")  # a reference decoded after the mojibake repair
@example("highÂ（")  # U005 put a space after "Â", which ftfy then read as mojibake
def test_replay_and_idempotence(text):
    for norm in (DEFAULT, EVERYTHING):
        first = norm.clean(text)
        assert apply_changes(text, first.changes) == first.text
        second = norm.clean(first.text)
        assert second.text == first.text, (text, first.text, second.changes)
        assert second.changes == ()


@COMMON
@given(st.one_of(mt_text, any_text))
def test_changes_are_sorted_disjoint_and_located(text):
    result = DEFAULT.clean(text)
    pos = 0
    for ch in result.changes:
        assert pos <= ch.start <= ch.end <= len(text)
        assert text[ch.start : ch.end] == ch.before
        line_start = text.rfind("\n", 0, ch.start) + 1
        assert ch.line == text.count("\n", 0, ch.start) + 1
        assert ch.column == ch.start - line_start + 1
        pos = ch.end
    for f in result.findings:
        assert 0 <= f.start <= f.end <= len(text)


# Distinct well-formed sentences, one per line, blank lines between some of them.
_SENTENCE = st.from_regex(r"[A-Z][a-z]{1,9}(?: [a-z]{1,9}){2,10}[.]", fullmatch=True)


@COMMON
@given(
    st.lists(st.tuples(_SENTENCE, st.booleans()), min_size=1, max_size=6, unique_by=lambda t: t[0])
)
def test_clean_text_is_byte_identical(lines):
    text = "".join(s + ("\n\n" if blank else "\n") for s, blank in lines).rstrip("\n") + "\n"
    result = DEFAULT.clean(text)
    assert result.text == text
    assert result.changes == ()
