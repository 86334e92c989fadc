"""Every rule is documented and its own examples hold (they double as regression tests)."""

from __future__ import annotations

import pytest
import regex

from normalize import Config, Normalizer, all_rules
from normalize.rules import select_rules, unknown_selectors

RULES = all_rules()


def test_codes_are_unique_and_well_formed():
    codes = [r.code for r in RULES]
    assert len(codes) == len(set(codes))
    for r in RULES:
        assert regex.fullmatch(r"[A-Z][0-9]{3}", r.code), r.code
        assert r.summary and r.explanation and r.name
        assert r.examples, f"{r.code} has no example"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_examples(rule):
    norm = Normalizer(Config(select=(rule.code,)))
    for before, after in rule.examples:
        result = norm.clean(before)
        assert result.text == after, (rule.code, before)
        if rule.kind == "finding":
            assert any(f.rule == rule.code for f in result.findings), rule.code
        else:
            assert result.changes and all(c.rule == rule.code for c in result.changes)


def test_selection_by_prefix_and_ignore():
    enabled = select_rules(RULES, select=["S"], ignore=["S002"])
    assert "S001" in enabled and "S002" not in enabled and "L001" not in enabled


def test_opt_in_rules_are_off_by_default():
    enabled = Normalizer().enabled
    for r in RULES:
        assert (r.code in enabled) == r.default


def test_unknown_selector_is_reported():
    assert unknown_selectors(RULES, ["S", "Q999"]) == ["Q999"]


def test_fast_cjk_gate_covers_every_cjk_letter():
    """review._ANY_CJK (stdlib re, fast) must be a superset of CJK_LETTER (regex)."""
    import regex as rx

    from normalize.passes.review import _ANY_CJK
    from normalize.textutil import CJK_LETTER

    letter = rx.compile(CJK_LETTER)
    missing = [
        hex(c)
        for c in range(0x110000)
        if not 0xD800 <= c <= 0xDFFF and letter.match(chr(c)) and not _ANY_CJK.match(chr(c))
    ]
    assert not missing
