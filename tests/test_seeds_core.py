"""The core passes on the real seeds (../shared/seeds, skipped when absent): the MT
artifacts are fixed and no word changes."""

from __future__ import annotations

import regex

from normalize import Config, Normalizer, apply_changes
from tests.conftest import seed_text

CORE = Normalizer(Config(select=("E", "U", "S", "L"), ignore=("E003", "E004", "L006", "L007")))
WORD = regex.compile(r"[\p{L}\p{N}]+")


def _clean(prefix: str) -> tuple[str, str]:
    text = seed_text(prefix)
    result = CORE.clean(text)
    assert apply_changes(text, result.changes) == result.text
    assert CORE.clean(result.text).text == result.text
    return text, result.text


def _words(text: str) -> list[str]:
    return WORD.findall(text)


def test_seed_003_artifacts():
    before, after = _clean("003")
    for fixed in (
        "co-leading force",
        "Promote high-quality economic",
        "(Reporter Chen Yi) On March",
        "inspection team. At present",
        "organized and effective. For the next",
        "rectification of the problem solidly; The responsibility",
    ):
        assert fixed in after, fixed
    assert "high -quality" not in after and "co -leading" not in after
    assert _words(before) == _words(after)


def test_seed_004_artifacts():
    before, after = _clean("004")
    assert "August 5th (Reporters Liao Lingqiong" in after
    assert _words(before) == _words(after)


def test_seed_002_odd_spaces_and_blank_lines():
    before, after = _clean("002")
    assert "\u00a0" in before and "\u00a0" not in after
    assert "You are here: Home > Index > City News" in after  # chrome is not this pass's job
    assert "\n\n\n" not in after
    assert _words(before) == _words(after)


def test_seeds_000_001_only_layout_and_quotes_untouched():
    for prefix in ("000", "001"):
        before, after = _clean(prefix)
        assert _words(before) == _words(after)
        assert before.count("’") == after.count("’") and before.count("“") == after.count("“")
