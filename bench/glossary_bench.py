"""Glossary pass throughput for 10 / 100 / 1k / 10k synthetic entries (not a timed test).

Each synthetic entry is an agency name with a place slot, e.g.
``{city} Municipal Bureau of Dravo Kelmin`` with variants ``{city} Dravo Kelmin Bureau`` and
``Municipal Dravo Kelmin Bureau``; fuzzy matching is on. The corpus is the same for every
size (seeded): government-news-like filler with listed variants, unlisted variants that
only fuzzy matching can find, and near-misses, so every size does the same matching work
on the text and only the glossary grows.

    python bench/glossary_bench.py [--mb 2] [--runs 3]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from normalize.glossary import load_glossary
from normalize.glossary.compiled import CompiledGlossary
from normalize.glossary.loader import DATA_DIR

SYLLABLES = ["dra", "vo", "kel", "min", "zor", "tas", "pli", "quen", "mur", "sa", "bel",
             "tor", "nix", "fa", "gro", "lun", "wes", "cor", "yan", "hep"]
CITIES = ["Changsha", "Chenzhou", "Hengyang", "Yueyang", "Loudi", "Yiyang"]
FILLER = [
    "The meeting stressed the need to improve the quality of the ecological environment.",
    "Officials reviewed progress on pollution prevention and control in the first half.",
    "The city will strengthen supervision and law enforcement in key industries.",
    "Representatives from several counties reported on the rectification of problems.",
    "Water quality at all monitored sections met the standard this quarter.",
    "The plan sets out tasks for rural sewage treatment and drinking water protection.",
]


def word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize()


def synthetic_glossary(n: int, folder: Path) -> tuple[Path, list[tuple[str, str]]]:
    rng = random.Random(2024)  # same seed: every size starts with the same names
    lines = ['[glossary]\nname = "synthetic"\n',
             f'places = ["{(DATA_DIR / "places-china.toml").as_posix()}"]\n']
    names: list[tuple[str, str]] = []
    seen: set[str] = set()
    while len(names) < n:
        a, b = word(rng), word(rng)
        if (a + b) in seen or a == b:
            continue
        seen.add(a + b)
        names.append((a, b))
        lines.append(
            f'[[entry]]\nid = "syn.{len(names)}"\n'
            f'canonical = "{{city}} Municipal Bureau of {a} {b}"\n'
            f'variants = ["{{city}} {a} {b} Bureau", "Municipal {a} {b} Bureau"]\n'
        )
    path = folder / f"synthetic-{n}.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path, names


def corpus(mb: float, names: list[tuple[str, str]]) -> str:
    """Same text for every size: it only uses the first ten synthetic names."""
    rng = random.Random(7)
    parts: list[str] = []
    size = 0
    while size < mb * 1_000_000:
        r = rng.random()
        a, b = names[rng.randrange(10)]
        city = rng.choice(CITIES)
        if r < 0.15:
            s = f"The {city} {a} {b} Bureau held a meeting."  # listed variant
        elif r < 0.25:
            s = f"The Municipal Bureau for {b} and {a} said so."  # unlisted: fuzzy
        elif r < 0.30:
            s = f"The {city} Environmental Protection Bureau was renamed."  # near-miss
        else:
            s = rng.choice(FILLER)
        parts.append(s)
        size += len(s) + 1
    return " ".join(parts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=2.0, help="corpus size in MB")
    ap.add_argument("--runs", type=int, default=3, help="runs per size (median reported)")
    ap.add_argument("--sizes", default="10,100,1000,10000")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _, base_names = synthetic_glossary(max(sizes), folder)
        text = corpus(args.mb, base_names)
        mb = len(text.encode("utf-8")) / 1_000_000
        print(f"corpus {mb:.2f} MB, fuzzy on, median of {args.runs} runs")
        print(f"{'entries':>8} {'keys':>7} {'build s':>8} {'matches':>8} {'MB/s':>7} {'vs 10':>6}")
        first = None
        for n in sizes:
            path, names = synthetic_glossary(n, folder)
            assert names[:10] == base_names[:10]
            t0 = time.perf_counter()
            compiled = CompiledGlossary(load_glossary([str(path)]))
            build = time.perf_counter() - t0
            times = []
            found = 0
            for _ in range(args.runs):
                t0 = time.perf_counter()
                found = len(compiled.scan(text))
                times.append(time.perf_counter() - t0)
            rate = mb / statistics.median(times)
            first = first or rate
            print(f"{n:>8} {compiled.exact.size:>7} {build:>8.2f} {found:>8} {rate:>7.2f} "
                  f"{rate / first:>6.2f}")


if __name__ == "__main__":
    main()
