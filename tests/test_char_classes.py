"""Character classes spelled for speed must keep the sets they stand for.

Several passes spell a class in a form the stdlib ``re`` engine compiles or scans faster
(a negated ASCII class, a literal member set, a two-range prefilter). These tests check
every code point, so a later edit of either spelling cannot silently change a rule.
"""

from __future__ import annotations

import re

import pytest

from normalize.passes import layout, review, spacing, unicode

ALL = "".join(map(chr, range(0x110000)))


def _members(pattern: str | re.Pattern[str]) -> set[str]:
    return set(re.findall(pattern, ALL))


def test_layout_space_set_is_the_class() -> None:
    assert _members(layout._HWS) == layout._HWS_CHARS


def test_review_prefilter_covers_the_cjk_class() -> None:
    assert _members(review._ANY_CJK) <= _members(review._CJK_BLOCKS)
    assert not _members(review._CJK_BLOCKS) & set("‘’“”–—…\xa0")  # it skips punctuation


@pytest.mark.parametrize(
    ("negated", "ascii_members"),
    [
        (spacing._LETTER, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"),
        (spacing._UPPER, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
        (spacing._DIGIT, "0123456789"),
        (spacing._LOWER_CLOSE, 'abcdefghijklmnopqrstuvwxyz)"'),
        (spacing._LOWER, "abcdefghijklmnopqrstuvwxyz"),
        (spacing._ALNUM, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"),
        (spacing._WORD_END, '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz)"'),
    ],
)
def test_spacing_classes_are_ascii_members_plus_non_ascii(negated: str, ascii_members: str) -> None:
    expected = set(ascii_members) | {chr(c) for c in range(0x80, 0x110000)}
    assert _members(negated) == expected


@pytest.mark.parametrize(
    ("pattern", "members"),
    [
        (unicode._ODD_SPACE, unicode._ODD_CHARS),
        (unicode._INVISIBLE, unicode._INVISIBLE_CHARS),
        (unicode._CONTROL, unicode._CONTROL_CHARS),
        (unicode._SURROGATE, unicode._SURROGATE_CHARS),
        (unicode._FULLWIDTH, unicode._FW_CHARS),
    ],
    ids=["U001", "U002", "U003", "U004", "U005"],
)
def test_unicode_rule_dispatch_sets_are_what_the_rules_match(pattern, members) -> None:
    """The pass runs a rule only when the text holds one of its dispatch characters, so
    each set must be exactly what the rule's pattern can match (each character tried
    alone, between ASCII letters)."""
    spaced = "a" + "a".join(ALL) + "a"
    assert {m.group() for m in pattern.finditer(spaced)} == set(members)
