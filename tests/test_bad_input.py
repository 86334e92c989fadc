"""Bad input to the library: never a crash, never lost text, never quadratic time."""

from __future__ import annotations

import time

import pytest

from normalize import Config, Normalizer, apply_changes, clean

# One paragraph with something for most rules, repeated without line breaks.
_UNIT = (
    "Promote high -quality development.The city，the county met 3.5 targets "
    "(Reporter Chen Yi)On Monday the provinceâ€™s team  visited the Provincial "
    "Ecological Environment Department and &amp; 图片 office , again,, done. "
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ""),
        ("   \n\t\n\u00a0\n", ""),
        ("\n\n\n", ""),
        ("a\x00b\x00\n", "ab\n"),
        ("bad\ud800surrogate and \udfff\n", "bad\ufffdsurrogate and \ufffd\n"),
        ("\ufeff", "\ufeff"),
        ("\ufeff \n\n", "\ufeff"),
    ],
)
def test_degenerate_documents(text, expected):
    result = clean(text)
    assert result.text == expected
    assert apply_changes(text, result.changes) == result.text


def test_non_str_is_a_type_error():
    with pytest.raises(TypeError):
        clean(b"bytes")  # type: ignore[arg-type]


def _best_of(norm: Normalizer, text: str, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        norm.clean(text)
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.slow
def test_single_huge_line_scales_linearly():
    """Doubling a one-line document at most ~2.5x its cost (a ratio, not a wall clock)."""
    norm = Normalizer(Config(select=("ALL",)))
    small = _UNIT * (1_000_000 // len(_UNIT))
    norm.clean(small[:10_000])  # warm up caches
    t1 = _best_of(norm, small)
    t2 = _best_of(norm, small + small)
    print(f"1 MB line: {t1:.3f}s, 2 MB line: {t2:.3f}s, ratio {t2 / t1:.2f}")
    assert t2 / t1 < 2.5
