"""Precision and recall of the shipped glossary on a labelled fixture set.

Precision first: a wrong replacement (or any change to a near-miss) costs more than a
missed variant. The figures are printed (run with ``-s`` to see them) and asserted.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from normalize import Config, Normalizer

FIXTURE = Path(__file__).parent / "fixtures" / "glossary" / "labelled.toml"


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _cases() -> list[tuple[str, str, str]]:
    """(label, text, expected) for every phrase in every frame."""
    data = tomllib.loads(FIXTURE.read_text(encoding="utf-8"))
    out: list[tuple[str, str, str]] = []
    for frame in data["frames"]:
        start = frame.startswith("{X}")
        fit = _cap if start else (lambda s: s)
        for label in ("listed", "unlisted"):
            for phrase, expected in data[label]:
                out.append((label, frame.replace("{X}", fit(phrase)),
                            frame.replace("{X}", fit(expected))))
        for phrase in data["near"]:
            text = frame.replace("{X}", fit(phrase))
            out.append(("near", text, text))
    return out


@pytest.fixture(scope="module")
def glossary_only() -> Normalizer:
    return Normalizer(Config(select=("G",)))


def test_fixture_set_is_big_enough():
    cases = _cases()
    counts = {k: sum(1 for c in cases if c[0] == k) for k in ("listed", "unlisted", "near")}
    assert counts["listed"] + counts["unlisted"] >= 150
    assert counts["unlisted"] >= 50
    assert counts["near"] >= 100


def score(normalizer: Normalizer) -> tuple[int, int, int, dict[str, list[int]], list[str]]:
    """(tp, fp, fn, per-label [hits, total], errors) of ``normalizer`` on the fixture set
    (also what bench/run.py reports as the glossary's quality)."""
    tp = fp = fn = 0
    per_label = {"listed": [0, 0], "unlisted": [0, 0]}
    errors: list[str] = []
    for label, text, expected in _cases():
        got = normalizer.clean(text).text
        if label == "near":
            if got != text:
                fp += 1
                errors.append(f"near-miss changed: {text!r} -> {got!r}")
            continue
        per_label[label][1] += 1
        if got == expected:
            tp += 1
            per_label[label][0] += 1
        else:
            fn += 1
            if got != text:
                fp += 1
                errors.append(f"wrong change: {text!r} -> {got!r} (want {expected!r})")
            else:
                errors.append(f"missed: {text!r}")
    return tp, fp, fn, per_label, errors


def test_precision_and_recall(glossary_only: Normalizer):
    tp, fp, fn, per_label, errors = score(glossary_only)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(
        f"\nglossary precision {precision:.3f} recall {recall:.3f} "
        f"(tp={tp} fp={fp} fn={fn}; listed {per_label['listed'][0]}/{per_label['listed'][1]}, "
        f"unlisted {per_label['unlisted'][0]}/{per_label['unlisted'][1]})"
    )
    for e in errors:
        print("  ", e)
    # The figures recorded when the glossary issue closed (1.000 / 1.000): speed work
    # and new entries must not lose any of them (issue 7's no-loss-of-quality criterion).
    assert fp == 0, errors
    assert fn == 0, errors
