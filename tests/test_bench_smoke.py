"""The benchmark corpus generator (bench/corpus.py): deterministic, defects at the intended
rates, and defects the default pipeline really repairs.

Why test a benchmark's generator: if the corpus silently stopped carrying mojibake or
glossary variants, a pass that got "faster" by no longer fixing them would look like a
win. These tests pin the corpus to its ground truth and keep it meaningful.
"""

from __future__ import annotations

import itertools
import json
import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import corpus

from normalize import Normalizer
from normalize.glossary import load_glossary


@pytest.fixture(scope="module")
def sample() -> list[corpus.Doc]:
    """About 1 MB of documents with the default rates (generated once, ~0.1 s)."""
    return list(corpus.documents(1_000_000, seed=11))


def test_deterministic_with_a_seed():
    a = [d.text for d in corpus.documents(100_000, seed=3)]
    b = [d.text for d in corpus.documents(100_000, seed=3)]
    c = [d.text for d in corpus.documents(100_000, seed=4)]
    assert a == b
    assert a != c


def test_document_sizes(sample):
    sizes = [len(d.text.encode("utf-8")) for d in sample]
    assert all(2000 <= s <= 8192 for s in sizes), (min(sizes), max(sizes))
    assert 3000 < sum(sizes) / len(sizes) < 6000
    assert sum(sizes) >= 1_000_000


def test_defects_at_their_rates(sample):
    rates = corpus.Rates()
    counts: Counter[str] = Counter()
    for d in sample:
        counts.update(d.defects)
    sentences = sum(d.sentences for d in sample)
    per_sentence = {"mojibake": rates.mojibake, "gbk_mojibake": rates.gbk_mojibake,
                    "mt_sentence": rates.mt_artifact, "glossary_variant": rates.glossary_variant,
                    "synthetic_name": rates.synthetic_name}
    for kind, rate in per_sentence.items():
        assert counts[kind] / sentences == pytest.approx(rate, rel=0.25), kind
    per_doc = {"chrome_header": rates.chrome_header, "chrome_footer": rates.chrome_footer,
               "chrome_body": rates.chrome_body, "repeated_headline": rates.repeated_headline}
    for kind, rate in per_doc.items():
        assert counts[kind] / len(sample) == pytest.approx(rate, abs=0.07), kind
    # Every MT artifact kind occurs.
    for kind in ("hyphen", "comma_space", "fullwidth_comma", "double_comma", "semicolon",
                 "reporter", "missing_space"):
        assert counts[f"mt_{kind}"] > 0, kind


def test_defects_are_visible_in_the_text(sample):
    """The ground truth matches the bytes: each counted defect leaves its marker."""
    for d in sample[:150]:
        t = d.text
        assert ("â€" in t) == (d.defects["mojibake"] > 0)
        assert ("¡°" in t or "¡¯" in t) == (d.defects["gbk_mojibake"] > 0)
        assert ("Share to: WeChat" in t) == (d.defects["chrome_footer"] > 0)
        assert ("You are here:" in t) == (d.defects["chrome_header"] > 0)
        assert ("\r\n" in t) == (d.defects["crlf"] > 0)
        if d.defects["mt_fullwidth_comma"]:
            assert "，" in t
        if d.defects["mt_reporter"]:
            assert ")On " in t


def test_zero_rates_give_clean_text():
    rates = corpus.Rates(**{k: 0.0 for k in corpus.Rates.__dataclass_fields__})
    docs = list(corpus.documents(200_000, seed=5, rates=rates))
    for d in docs:
        assert not d.defects
        assert "â€" not in d.text and "¡°" not in d.text and " ," not in d.text
        assert "，" not in d.text and "You are here" not in d.text


def test_default_pipeline_repairs_them(sample):
    norm = Normalizer()
    docs = [d for d in sample if d.defects["mojibake"] and d.defects["chrome_footer"]][:10]
    docs += [d for d in sample if d.defects["gbk_mojibake"] and d.defects["chrome_header"]][:10]
    docs += [d for d in sample if d.defects["repeated_headline"]][:5]
    assert len(docs) >= 15
    changed: Counter[str] = Counter()
    for d in docs:
        out = norm.clean(d.text).text
        for marker in ("â€", "¡°", "¡¯", "，", ",,", ")On ", ";The", " , ", "Share to:",
                       "ICP No.", "You are here", "A  |  A  |  A", "\u00a0",
                       "Provincial Department of Ecological and Environment",
                       "Municipal Science and Technology Bureau", "high -quality"):
            assert marker not in out, (marker, out)
        assert ".png\n" not in out and "图片" not in out
        lines = [ln for ln in out.splitlines() if ln.strip()]
        assert all(a != b for a, b in itertools.pairwise(lines))
        for r in norm.clean(d.text).changes:
            changed[r.pass_name] += 1
    for pass_name in ("encoding", "chrome", "spacing", "glossary"):
        assert changed[pass_name] > 0, changed


def test_streaming_writers_and_cache(tmp_path):
    n, size = corpus.write_files(tmp_path / "batch", 60_000, seed=2)
    files = sorted((tmp_path / "batch").rglob("*.txt"))
    assert len(files) == n and sum(f.stat().st_size for f in files) == size >= 60_000
    mtime = files[0].stat().st_mtime_ns
    assert corpus.write_files(tmp_path / "batch", 60_000, seed=2) == (n, size)
    assert files[0].stat().st_mtime_ns == mtime  # reused, not rewritten

    m, jsize = corpus.write_jsonl(tmp_path / "big.jsonl", 60_000, seed=2)
    recs = [json.loads(ln) for ln in (tmp_path / "big.jsonl").open(encoding="utf-8")]
    first = next(corpus.documents(1, seed=2)).text
    assert len(recs) == m and recs[0]["id"] == "doc0" and recs[0]["text"] == first
    assert jsize == (tmp_path / "big.jsonl").stat().st_size


def test_single_line_document():
    text = corpus.single_line(50_000)
    assert "\n" not in text and "\r" not in text
    assert 50_000 <= len(text.encode("utf-8")) < 52_000


def test_synthetic_glossary(tmp_path):
    path = corpus.synthetic_glossary(10, tmp_path)
    assert len(load_glossary([str(path)]).entries) == 10
    a, b = corpus.synthetic_names()[0]
    assert f"{a} {b}" in path.read_text(encoding="utf-8")
