"""The glossary's fast paths must never change a result.

The fuzzy search only looks at regions around trigger words that the exact automaton
reports; these tests check that gated and ungated search agree, that the gate lets real
candidates through and skips text that cannot match, and that the faster view building
equals the plain definition.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from conftest import seed_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from normalize.glossary import compile_glossary, load_glossary
from normalize.glossary.text import _APOSTROPHES, _SEPARATORS, View, build_view

C = compile_glossary(load_glossary())
F = C.fuzzy
assert F is not None
LABELLED = Path(__file__).parent / "fixtures" / "glossary" / "labelled.toml"


def _reference_view(text: str) -> View:
    """build_view as first written: translate, then collapse runs with a regex."""
    fold = str.maketrans({**{c: " " for c in _SEPARATORS}, **_APOSTROPHES})
    cased = text.translate(fold)
    npos, opos, pieces, pos, shift = [0], [0], [], 0, 0
    for m in re.finditer(r" {2,}", cased):
        pieces.append(cased[pos : m.start() + 1])
        shift += m.end() - m.start() - 1
        pos = m.end()
        npos.append(m.end() - shift)
        opos.append(m.end())
    pieces.append(cased[pos:])
    cased = "".join(pieces)
    low = cased.lower()
    if len(low) != len(cased):
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in cased)
    return View(low, cased, tuple(npos), tuple(opos))


def _both(text: str) -> tuple[list, list]:
    """Fuzzy matches with the trigger gate and without it (whole text searched)."""
    view = build_view(text)
    triggers: list[tuple[int, int]] = []
    _, locked = C.exact.scan(text, view, triggers)
    gated = F.scan(text, view, locked, triggers)
    full = F.scan(text, view, locked, None)
    return gated, full


def _regions(text: str) -> list[tuple[int, int]]:
    view = build_view(text)
    triggers: list[tuple[int, int]] = []
    _, locked = C.exact.scan(text, view, triggers)
    return F._regions(view.lower, triggers, locked)


_SEP_CHARS = _SEPARATORS + "".join(_APOSTROPHES) + "  '\u0130\u00c9x"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(_SEP_CHARS), max_size=40) | st.text(max_size=40))
def test_view_equals_the_plain_definition(text):
    assert build_view(text) == _reference_view(text)


def test_gate_lets_a_real_unlisted_variant_through():
    text = "the Provincial Ecological and Environmental Department said"
    assert _regions(text)
    gated, full = _both(text)
    assert gated == full
    assert [m.replacement for m in gated] == ["Provincial Department of Ecology and Environment"]


def test_gate_skips_text_that_cannot_match():
    # a trigger word whose neighbours cannot make up any form's guards
    assert _regions('the "environmental protection conference" was held') == []
    # a trigger alone, or inside a name the exact matcher already locked
    assert _regions("in Hunan Province, the departments said") == []
    assert _regions("the Provincial Department of Ecology and Environment said") == []
    # no trigger word at all
    assert _regions("water quality met the standard this quarter") == []


def test_gated_search_equals_full_search_on_fixtures_and_seeds():
    data = tomllib.loads(LABELLED.read_text(encoding="utf-8"))
    phrases = [p for p, _ in data["listed"]] + [p for p, _ in data["unlisted"]]
    phrases += list(data["near"])
    texts = [frame.replace("{X}", p) for frame in data["frames"] for p in phrases]
    texts += [seed_text(n) for n in ("000", "001", "002", "003", "004")]
    for text in texts:
        gated, full = _both(text)
        assert gated == full, text


_WORDS = [*sorted(F._surface_stem), "of", "and", "the", "for", "&", "Changsha", "Hunan",
          "water", "said", "(", ")", ",", ".", "'s", "x_y", '"']


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=25),
       st.lists(st.sampled_from([" ", " ", " ", "  ", "\n", "-", "'", ""]), min_size=25,
                max_size=25))
def test_gated_search_equals_full_search_on_word_soup(words, seps):
    text = "".join(w + s for w, s in zip(words, seps, strict=False))
    gated, full = _both(text)
    assert gated == full


def test_memoized_results_do_not_leak_between_texts():
    a = "the Provincial Ecological and Environmental Department said"
    b = "the Municipal Ecological and Environmental Bureau said"
    first = (C.scan(a), C.scan(b))
    assert (C.scan(a), C.scan(b)) == first
