"""Golden tests: every document in samples/ cleans to its expected output in
samples/expected/, with the config found for it (samples/optin has its own), and every
rule shows up somewhere: in the samples or, for the rules no sample can show without
another rule's settings, in its own examples (tests/test_rules.py).

Regenerate after an intended change with ``MTNORM_UPDATE_GOLDEN=1 pytest tests/test_samples.py``
and review the diff before committing it.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from normalize import Normalizer, all_rules, apply_changes, load_config
from tests.conftest import SAMPLES

EXPECTED = SAMPLES / "expected"
DOCS = sorted(p for p in SAMPLES.rglob("*.txt") if EXPECTED not in p.parents)
UPDATE = os.environ.get("MTNORM_UPDATE_GOLDEN") == "1"


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def _normalizer(path: Path) -> Normalizer:
    return Normalizer(load_config(start=path))


def test_there_are_enough_samples():
    assert len(DOCS) >= 8


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(SAMPLES)))
def test_sample_matches_golden(doc):
    norm = _normalizer(doc)
    original = _read(doc)
    result = norm.clean(original, path=str(doc))
    golden = EXPECTED / doc.relative_to(SAMPLES)
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(result.text.encode("utf-8"))
    assert result.text == _read(golden)
    assert apply_changes(original, result.changes) == result.text
    # The golden output is a fixed point: cleaning it again changes nothing.
    again = norm.clean(result.text)
    assert again.text == result.text and again.changes == ()


def test_already_clean_sample_is_untouched():
    doc = SAMPLES / "10_already_clean.txt"
    result = _normalizer(doc).clean(_read(doc))
    assert result.changes == () and result.findings == ()


def test_crlf_and_bom_survive():
    doc = SAMPLES / "06_crlf_bom.txt"
    out = _normalizer(doc).clean(_read(doc)).text
    assert out.startswith("\ufeff")
    assert out.count("\r\n") == out.count("\n")


def test_every_rule_is_exercised():
    seen: Counter[str] = Counter()
    for doc in DOCS:
        result = _normalizer(doc).clean(_read(doc))
        for ch in result.changes:
            seen.update([ch.rule, *ch.also])
        seen.update(f.rule for f in result.findings)
    # Rules that cannot fire on a realistic page with the default settings: they are
    # covered by their own examples in test_rules.py instead.
    special = {
        "U004",  # lone surrogates cannot be stored in a UTF-8 file
        "E103",
        "E104",
        "E105",  # multi-layer / mac_roman / lossy CJK: see fixtures/cjk_mojibake.json
        "C009",
        "C012",  # corpus mode / all-chrome document
        "C010",  # mixed chrome line
        "G003",
        "G004",
        "G005",
        "G006",  # fuzzy and suggest-only glossary behaviour
        "R002",
    }
    missing = [r.code for r in all_rules() if r.code not in seen and r.code not in special]
    assert not missing, f"rules no sample exercises: {missing}"
