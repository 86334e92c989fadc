"""The gate in front of ftfy's is_bad must never say "clean" when ftfy says "bad"."""

from __future__ import annotations

import json

import pytest
from ftfy.badness import BADNESS_RE, is_bad
from hypothesis import given, settings
from hypothesis import strategies as st

from normalize.mojibake_gate import may_be_bad
from tests.conftest import FTFY_CASES

# Characters ftfy's heuristic talks about, plus a little ASCII: where is_bad is often True.
_ALPHABET = sorted({c for c in BADNESS_RE.pattern if ord(c) > 127}) + list("ab ,.'\"\n")


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=8))
def test_gate_is_sound_on_mojibake_alphabet(text):
    if is_bad(text):
        assert may_be_bad(text)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=60))
def test_gate_is_sound_on_any_text(text):
    if is_bad(text):
        assert may_be_bad(text)


def test_gate_lets_clean_english_through_cheaply():
    assert not may_be_bad("The province’s “Blue Sky” plan — for 2024…")
    assert may_be_bad("The provinceâ€™s plan")


def test_gate_is_sound_on_ftfy_corpus():
    if not FTFY_CASES.is_dir():
        pytest.skip("ftfy test cases not present")
    texts = []
    for path in sorted(FTFY_CASES.glob("*.json")):
        for case in json.loads(path.read_text(encoding="utf-8")):
            texts += [case["original"], case["fixed"]]
    flagged = [t for t in texts if is_bad(t)]
    assert flagged and all(may_be_bad(t) for t in flagged)
