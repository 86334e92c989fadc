"""Throughput of the encoding pass on clean English text (the common case).

Issue 6 requires the CJK layer to keep this within 10% of the figure without it, so the
corpus is what the pass sees most: ASCII-heavy English news prose with some curly quotes,
dashes and a few accented names (lines that reach the non-ASCII checks).

    /work/venv/bin/python bench/encoding_bench.py [--mb 20] [--repeat 3]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from normalize import Config, Normalizer, cjk
from normalize.passes.base import DocContext

_LINES = (
    "The Provincial Department of Ecology and Environment held a press conference on Monday.",
    "Officials said the city’s air quality improved for the third year in a row.",
    "“We will continue to strengthen supervision,” said the director, Mr. Li Wei.",
    "The number of days with good air reached 312, up 4.5 percent year on year.",
    "Inspectors visited 1,200 enterprises and found 37 violations — most were small.",
    "A delegation led by François Dubois and Jürgen Müller attended the forum.",
    "Water quality at 95 monitoring sections met national standards.",
    "The plan covers wetlands, forests and grasslands in the upper reaches of the river.",
    "",
)


def corpus(megabytes: float) -> str:
    """About ``megabytes`` MB of the sample lines, repeated."""
    block = "\n".join(_LINES) + "\n"
    return block * max(1, int(megabytes * 1_000_000 / len(block.encode("utf-8"))))


def measure(text: str, repeat: int, ignore: tuple[str, ...]) -> float:
    """Best-of-``repeat`` MB/s of the default encoding rules over ``text``."""
    norm = Normalizer(Config(select=("E",), ignore=("E003", "E004", *ignore)))
    size = len(text.encode("utf-8")) / 1_000_000
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        norm.clean(text)
        best = min(best, time.perf_counter() - t0)
    return size / best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mb", type=float, default=20.0)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    text = corpus(args.mb)
    # Interleaved, so machine noise hits both figures alike.
    without = with_cjk = 0.0
    for _ in range(2):
        without = max(without, measure(text, args.repeat, ("E1",)))
        with_cjk = max(with_cjk, measure(text, args.repeat, ()))
    print(f"encoding pass, clean English, CJK layer off (E1 ignored): {without:.1f} MB/s")
    print(f"encoding pass, clean English, CJK layer on:               {with_cjk:.1f} MB/s")
    print(f"ratio: {with_cjk / without:.3f}")
    # The two figures above are noisy on a shared machine; the layer's own cost on this
    # text (its gate, since nothing here is suspect) is measured directly as well.
    norm = Normalizer(Config(select=("E",), ignore=("E003", "E004")))
    gate = min(_time(lambda: cjk.scan_text(text, DocContext(), norm.enabled)) for _ in range(5))
    full = min(_time(lambda: norm.clean(text)) for _ in range(args.repeat))
    print(f"CJK layer alone: {gate:.3f} s of {full:.3f} s ({100 * gate / full:.1f}% of the pass)")


def _time(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


if __name__ == "__main__":
    main()
