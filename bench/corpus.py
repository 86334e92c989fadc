"""Deterministic benchmark corpus: machine-translated Chinese government news, with defects.

Why a generator and not a folder of real pages: the benchmark needs 1 MB to 1 GB of text
whose defect mix is *known* (so a faster pass that silently stops fixing things shows up
in the tests) and reproducible from a seed (so two runs, or two machines, time the same
bytes). Documents have the shape of ``samples/*.txt``: an optional chrome header
(breadcrumb, font-size switcher, language menu), a headline (sometimes repeated), a date,
image-name and no-break-space lines between paragraphs, body paragraphs of 2-8 KB in all,
and an optional chrome footer (share/print lines, copyright, ICP number, next/previous
article). Sentences come from templates written for this file (no seed text is copied)
and carry, at the rates of :class:`Rates`:

* mojibake: UTF-8 read as cp1252 (``’`` -> ``â€™``) and GBK read as Latin-1 (``¡°…¡±``);
* MT artifacts: ``high -quality``, ``smoothly.The``, ``(Reporter X)On``, ``word ,``,
  ``,,``, ``;The`` and full-width ``，``;
* glossary variants of the shipped glossary (``Provincial Department of Ecological and
  Environment``, ``{City} Municipal Ecological Environment Bureau``) and, more rarely,
  names from the synthetic glossaries of ``bench/glossary_bench.py`` so that the glossary
  size benchmark has real matching work on this same corpus.

Everything streams: :func:`write_files` and :func:`write_jsonl` never hold more than one
block of documents, so a 1 GB corpus costs a few MB of memory.

    python bench/corpus.py --mb 100 --layout files -o bench/corpus/batch-100
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path

_BENCH = Path(__file__).resolve().parent
if str(_BENCH) not in sys.path:  # bench/ is a folder of scripts, not a package
    sys.path.insert(0, str(_BENCH))

import glossary_bench  # noqa: E402  (the glossary engineer's generator, reused as is)

#: Bump when the output for a given seed changes, so cached corpora are regenerated.
GENERATOR_VERSION = 1
DEFAULT_SEED = 20240611
MAX_BODY = 7200  # bytes of body text per document, so chrome keeps it under 8 KB

CITIES = (
    "Changsha", "Zhuzhou", "Xiangtan", "Hengyang", "Shaoyang", "Yueyang", "Changde",
    "Zhangjiajie", "Yiyang", "Chenzhou", "Yongzhou", "Huaihua", "Loudi",
)
COUNTIES = ("Liuyang", "Ningxiang", "Liling", "Leiyang", "Miluo", "Zixing", "Lianyuan",
            "Hongjiang", "Jinshi", "Yuanjiang")
SURNAMES = ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu",
            "Xu", "Sun", "Hu", "Zhu", "Gao", "Lin", "He", "Guo", "Ma", "Luo", "Tan", "Peng")
GIVEN = ("Wei", "Fang", "Min", "Jing", "Lei", "Jun", "Yan", "Tao", "Ming", "Chao", "Xia",
         "Hong", "Ping", "Gang", "Hui", "Qiang", "Ling", "Bo", "Dan", "Kai", "Rui", "Xin")
TITLES = ("Vice Mayor", "Secretary of the Municipal Party Committee", "Director",
          "Deputy Director", "chief engineer", "Party Secretary", "Deputy County Head")
PAPERS = ("Daily", "Evening News", "Daily All Media", "Radio and Television Station")
SECTIONS = ("News Center", "City News", "Work Updates", "Local News", "Notices")
SUBSECTIONS = ("Department News", "County Updates", "Photo News", "Policy Interpretation")
SLOGANS = ("blue sky defence", "clear water", "pure land", "river chief", "green mountains",
           "last mile", "double carbon")
# Hyphenated words that MT output splits as "high -quality".
HYPHENATED = ("high-quality", "long-term", "large-scale", "co-ordinated", "all-round",
              "people-centred", "follow-up", "on-site", "far-reaching", "year-on-year")
TOPICS = ("air pollution prevention and control", "rural sewage treatment",
          "the protection of drinking water sources", "heavy metal pollution control",
          "the rectification of outstanding ecological problems", "dust control at building sites",
          "the restoration of wetlands along the river", "hazardous waste management",
          "the monitoring of surface water sections", "the closure of illegal mining sites")

# (variant, canonical) pairs of the shipped glossary; "{city}" is filled per sentence.
GLOSSARY_VARIANTS = (
    ("Provincial Department of Ecological and Environment",
     "Provincial Department of Ecology and Environment"),
    ("Provincial Department of Ecological Environment",
     "Provincial Department of Ecology and Environment"),
    ("Provincial Ecological Environment Department",
     "Provincial Department of Ecology and Environment"),
    ("{city} Municipal Ecological Environment Bureau",
     "{city} Municipal Bureau of Ecology and Environment"),
    ("{city} Ecology and Environment Bureau",
     "{city} Municipal Bureau of Ecology and Environment"),
    ("Ministry of Ecological Environment", "Ministry of Ecology and Environment"),
    ("Municipal Science and Technology Bureau", "Municipal Bureau of Science and Technology"),
    ("Municipal Water Conservancy Bureau", "Municipal Bureau of Water Resources"),
    ("Provincial Water Conservancy Department", "Provincial Department of Water Resources"),
)
CANONICAL_AGENCIES = (
    "Provincial Department of Ecology and Environment",
    "{city} Municipal Bureau of Ecology and Environment",
    "Municipal Bureau of Housing and Urban-Rural Development",
    "Provincial Department of Natural Resources",
    "Ministry of Ecology and Environment",
)

# Body sentence templates, written for this generator. Slots: {city} {county} {person}
# {title} {agency} {n} {m} {pct} {month} {day} {topic} {hy} {slogan}.
TEMPLATES = (
    "On {month} {day}, {person}, {title}, chaired a meeting on {topic} in {city}.",
    "The {agency} sent a working group to {county} to check progress on {topic}.",
    "{person} said that the city must keep up {hy} work and leave no problem unsolved.",
    "Since the start of the year, {n} enterprises have been inspected and {m} cases filed.",
    "The share of good air days in {city} reached {pct} percent, up {m} days on last year.",
    "The meeting called for {hy} measures on {topic} and for clear lists of responsibility.",
    "Officials from the {agency} visited {n} villages to hear the views of local residents.",
    "{city} will invest {n} million yuan this year in {topic}, according to the plan.",
    "Every county (city, district) must name a person in charge of {topic} before {month}.",
    "The {agency} will give full support to {city} in {topic} and in training staff.",
    "{person} stressed that the results of the inspection should be made public in time.",
    "Water quality at all {n} monitored sections in {county} met the national standard.",
    "The campaign has closed {m} illegal sites and restored {n} hectares of farmland.",
    "Representatives of the {agency} and of {m} counties reported on their work.",
    "The next step is to strengthen supervision and to carry out {hy} checks in key areas.",
    "In {city}, {n} households now have access to tap water and a sewage connection.",
    "{person}, {title}, asked all departments to act quickly and to report on time.",
    "The training course covered law enforcement, monitoring and {topic}.",
    "More than {n} cadres from {m} townships took part in the event in {county}.",
    "Experts from the {agency} explained the new rules on {topic} at the forum.",
)
AGENCY_TEMPLATES = tuple(t for t in TEMPLATES if "{agency}" in t)
HEADLINES = (
    "{city} steps up {topic}",
    "{city} holds meeting on {topic}",
    "{person} inspects {topic} in {county}",
    "{city} completes {hy} upgrade of {n} sewage plants",
    "Provincial team reviews {topic} in {city}",
)
# Sentences that carry curly punctuation, so UTF-8-as-cp1252 mojibake has something to
# garble; used for the mojibake share of sentences.
QUOTED = (
    "{city}’s “{slogan}” campaign has now run for {m} months.",
    "Residents praised the “{slogan}” project — the first of its kind in {county}.",
    "“We will not relax,” {person} said of the city’s work on {topic}.",
)


@dataclass(frozen=True)
class Rates:
    """Share of sentences (or of documents, for chrome) that carry each defect.

    Defaults aim at a realistic crawl: most text is fine, every document has something.
    """

    mojibake: float = 0.03  # sentences: UTF-8 read as cp1252
    gbk_mojibake: float = 0.01  # sentences: GBK read as Latin-1
    mt_artifact: float = 0.15  # sentences: one MT spacing/punctuation artifact
    glossary_variant: float = 0.10  # sentences: a shipped-glossary variant name
    synthetic_name: float = 0.02  # sentences: a synthetic-glossary name (glossary bench)
    chrome_header: float = 0.35  # documents: breadcrumb / font-size / language menu
    chrome_body: float = 0.35  # documents: image names and no-break-space lines
    chrome_footer: float = 0.35  # documents: share, print, copyright, ICP, next/prev
    repeated_headline: float = 0.15  # documents: the headline printed twice
    crlf: float = 0.05  # documents: CRLF line endings


@dataclass
class Doc:
    """One generated document and the defects injected into it (the ground truth)."""

    text: str
    sentences: int = 0
    defects: Counter[str] = field(default_factory=Counter)


@cache
def synthetic_names() -> tuple[tuple[str, str], ...]:
    """The first ten synthetic agency names of ``glossary_bench`` (same for every size).

    Reuses its generator (it writes a glossary file, so a throwaway folder is used).
    """
    with tempfile.TemporaryDirectory() as tmp:
        _, names = glossary_bench.synthetic_glossary(10, Path(tmp))
    return tuple(names)


def synthetic_glossary(n: int, folder: Path) -> Path:
    """A synthetic glossary of ``n`` entries (agency names with a ``{city}`` slot) in the
    project's TOML format, written to ``folder``: ``glossary_bench``'s generator, so both
    benchmarks time the same glossaries."""
    folder.mkdir(parents=True, exist_ok=True)
    path, _ = glossary_bench.synthetic_glossary(n, folder)
    return path


def _cp1252_mojibake(s: str) -> str:
    """``s`` encoded as UTF-8 and read as Windows-1252 (undefined bytes pass through as
    C1 controls, as browsers and ftfy's sloppy codec do)."""
    out = []
    for b in s.encode("utf-8"):
        try:
            out.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(b))
    return "".join(out)


def _gbk_mojibake(s: str) -> str:
    """``s`` encoded as GBK and read as Latin-1: ``“`` -> ``¡°``."""
    return s.encode("gbk", errors="replace").decode("latin-1")


class _Gen:
    """Generator state: one ``random.Random`` stream, so a seed fixes every byte."""

    def __init__(self, seed: int, rates: Rates) -> None:
        self.rng = random.Random(seed)
        self.rates = rates
        self.names = synthetic_names()

    def person(self) -> str:
        r = self.rng
        given = r.choice(GIVEN) + (r.choice(GIVEN).lower() if r.random() < 0.6 else "")
        return f"{r.choice(SURNAMES)} {given}"

    def fill(self, template: str, city: str, variant: bool = False) -> str:
        """Fill the slots of ``template``; ``{agency}`` is a shipped-glossary variant when
        ``variant``, else a canonical name."""
        r = self.rng
        agency = r.choice(GLOSSARY_VARIANTS)[0] if variant else r.choice(CANONICAL_AGENCIES)
        return template.format(
            city=city, county=r.choice(COUNTIES), person=self.person(), title=r.choice(TITLES),
            agency=agency.replace("{city}", city), n=r.randint(2, 980), m=r.randint(2, 60),
            pct=f"{r.uniform(70, 99):.1f}", month=r.choice(("March", "May", "July", "October")),
            day=r.randint(1, 28), topic=r.choice(TOPICS), hy=r.choice(HYPHENATED),
            slogan=r.choice(SLOGANS),
        )

    def sentence(self, city: str, doc: Doc) -> str:
        """One body sentence with at most one encoding defect, one glossary variant and
        one MT artifact (each drawn at its rate, so the rates are per sentence)."""
        r, rates = self.rng, self.rates
        doc.sentences += 1
        roll = r.random()
        if roll < rates.mojibake:
            doc.defects["mojibake"] += 1
            return _cp1252_mojibake(self.fill(r.choice(QUOTED), city))
        if roll < rates.mojibake + rates.gbk_mojibake:
            doc.defects["gbk_mojibake"] += 1
            return _gbk_mojibake(self.fill(r.choice(QUOTED), city))
        roll = r.random()
        variant = False
        if roll < rates.synthetic_name:
            doc.defects["synthetic_name"] += 1
            a, b = r.choice(self.names)
            s = r.choice((f"The {city} {a} {b} Bureau held a meeting on {{topic}}.",
                          f"The Municipal {a} {b} Bureau said {{n}} cases were closed."))
        elif roll < rates.synthetic_name + rates.glossary_variant:
            doc.defects["glossary_variant"] += 1
            s, variant = r.choice(AGENCY_TEMPLATES), True
        else:
            s = r.choice(TEMPLATES)
        s = self.fill(s, city, variant=variant)
        named = roll < rates.synthetic_name + rates.glossary_variant
        if r.random() < rates.mt_artifact:
            s = self.artifact(s, city, doc, keep=named)
        return s

    def artifact(self, s: str, city: str, doc: Doc, keep: bool) -> str:
        """Damage ``s`` the way MT output does. A kind that does not apply to ``s`` falls
        back to a space before a comma (``word ,``), so the artifact rate holds; ``keep``
        forbids the kind that replaces the sentence (it carries a counted name)."""
        r = self.rng
        kind = r.choice(("hyphen", "comma_space", "fullwidth_comma", "double_comma",
                         "semicolon", "reporter"))
        hy = next((h for h in HYPHENATED if h in s), None)
        if kind == "hyphen" and hy:
            s = s.replace(hy, hy.replace("-", " -"), 1)
        elif kind == "reporter" and not keep:
            s = self.fill("{city} Daily (Reporter {person})On {month} {day}, the city held "
                          "a meeting on {topic}.", city)
        elif kind == "semicolon":
            s = s[:-1] + ";The work is progressing smoothly."
        elif kind in ("fullwidth_comma", "double_comma") and ", " in s:
            s = s.replace(", ", "，" if kind == "fullwidth_comma" else ",, ", 1)
        else:
            kind = "comma_space"
            s = s.replace(", ", " , ", 1) if ", " in s else s[:-1] + " , the report said."
        doc.defects[f"mt_{kind}"] += 1
        doc.defects["mt_sentence"] += 1
        doc.defects["mt_artifact"] += 1
        return s

    def paragraph(self, city: str, doc: Doc) -> str:
        """2-6 sentences; the space after a full stop is sometimes lost (``smoothly.The``),
        counted as an MT artifact of its own kind."""
        r = self.rng
        parts = [self.sentence(city, doc)]
        for _ in range(r.randint(1, 5)):
            sep = " "
            if r.random() < self.rates.mt_artifact / 3 and parts[-1].endswith("."):
                sep = ""
                doc.defects["mt_missing_space"] += 1
                doc.defects["mt_artifact"] += 1
            parts.append(sep + self.sentence(city, doc))
        return "".join(parts)

    def header(self, doc: Doc) -> list[str]:
        r = self.rng
        doc.defects["chrome_header"] += 1
        nb = "\u00a0" if r.random() < 0.5 else ""
        lines = [f"You are here:Home{nb} >{nb} {r.choice(SECTIONS)}{nb} >{nb} "
                 f"{r.choice(SUBSECTIONS)}"]
        if r.random() < 0.6:
            lines.append("A  |  A  |  A")
        if r.random() < 0.3:
            lines.append("中文EnglishРусский языкFrançaisDeutsch日本語Español한국어")
        return lines

    def footer(self, city: str, doc: Doc) -> list[str]:
        r = self.rng
        doc.defects["chrome_footer"] += 1
        year = r.randint(2018, 2024)
        lines = ["Share to: WeChat Weibo QQ", "【Print】【Close】"]
        if r.random() < 0.5:
            lines += [f"Previous article: {self.fill(r.choice(HEADLINES), city)}",
                      f"Next article: {self.fill(r.choice(HEADLINES), city)}"]
        lines.append(f"Copyright © {year} {city} Municipal People's Government "
                     "All Rights Reserved")
        lines.append(f"ICP No. {r.randint(10_000_000, 99_999_999)}")
        return lines

    def document(self) -> Doc:
        r, rates = self.rng, self.rates
        doc = Doc("")
        city = r.choice(CITIES)
        headline = self.fill(r.choice(HEADLINES), city)
        headline = headline[0].upper() + headline[1:]
        lines: list[str] = []
        if r.random() < rates.chrome_header:
            lines += self.header(doc)
        lines.append(headline)
        if r.random() < rates.repeated_headline:
            doc.defects["repeated_headline"] += 1
            lines.append(headline)
        lines.append(f"{r.randint(2018, 2024)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}")
        body_chrome = r.random() < rates.chrome_body
        if body_chrome:
            doc.defects["chrome_body"] += 1
        # Body bytes: with the headline and chrome, documents come out at 2-8 KB.
        budget = r.randint(1900, 6600)
        size = 0
        first = True
        while size < budget:
            para = self.paragraph(city, doc)
            if first:
                para = f"{city} {r.choice(PAPERS)} (Reporter {self.person()}) {para}"
                first = False
            elif size + len(para.encode("utf-8")) > MAX_BODY:
                break
            if body_chrome and r.random() < 0.4:
                image = (f"{r.randint(1_600_000_000_000, 1_720_000_000_000)}.png"
                         if r.random() < 0.7 else f"图片{r.randint(1, 9)}.jpg")
                lines += ["\u00a0", image, "\u00a0"]
            lines.append(para)
            size += len(para.encode("utf-8"))
        if r.random() < rates.chrome_footer:
            lines += self.footer(city, doc)
        sep = "\n\n" if r.random() < 0.6 else "\n"
        newline = "\n"
        if r.random() < rates.crlf:
            doc.defects["crlf"] += 1
            newline = "\r\n"
        doc.text = (sep.join(lines) + "\n").replace("\n", newline)
        return doc


def iter_documents(seed: int = DEFAULT_SEED, rates: Rates | None = None) -> Iterator[Doc]:
    """An endless, deterministic stream of documents."""
    gen = _Gen(seed, rates or Rates())
    while True:
        yield gen.document()


def documents(total_bytes: int, seed: int = DEFAULT_SEED,
              rates: Rates | None = None) -> Iterator[Doc]:
    """Documents until their UTF-8 size reaches ``total_bytes`` (at least one)."""
    size = 0
    for doc in iter_documents(seed, rates):
        yield doc
        size += len(doc.text.encode("utf-8"))
        if size >= total_bytes:
            return


def load(total_bytes: int, seed: int = DEFAULT_SEED) -> list[str]:
    """The texts of :func:`documents`, in memory (for throughput runs of tens of MB)."""
    return [d.text for d in documents(total_bytes, seed)]


def single_line(total_bytes: int, seed: int = DEFAULT_SEED) -> str:
    """One document of ``total_bytes`` with no line break: body sentences only (chrome is
    line-based), for the linearity check (a pass that rescans its line per edit is
    quadratic here)."""
    gen = _Gen(seed, Rates())
    parts: list[str] = []
    size = 0
    doc = Doc("")
    city = CITIES[0]
    while size < total_bytes:
        p = gen.paragraph(city, doc)
        parts.append(p)
        size += len(p.encode("utf-8")) + 1
    return " ".join(parts)


def _manifest(kind: str, total_bytes: int, seed: int) -> dict[str, object]:
    return {"kind": kind, "bytes": total_bytes, "seed": seed, "version": GENERATOR_VERSION,
            "rates": asdict(Rates())}


def _cached(target: Path, manifest: dict[str, object]) -> dict[str, object] | None:
    """The stored summary when ``target`` was generated with the same parameters."""
    mf = target.parent / f".{target.name}.manifest.json"
    if target.exists() and mf.exists():
        stored = json.loads(mf.read_text())
        if stored.get("params") == manifest:
            return stored
    return None


def _store(target: Path, manifest: dict[str, object], summary: dict[str, object]) -> None:
    mf = target.parent / f".{target.name}.manifest.json"
    mf.write_text(json.dumps({"params": manifest, **summary}))


def write_files(root: Path, total_bytes: int, seed: int = DEFAULT_SEED) -> tuple[int, int]:
    """A batch of ``.txt`` files under ``root`` (site/month folders, like a crawl).

    Returns (files, bytes). Reuses ``root`` when it was generated with the same
    parameters (generating 100 MB costs more than some of the runs that use it).
    """
    manifest = _manifest("files", total_bytes, seed)
    root.parent.mkdir(parents=True, exist_ok=True)
    hit = _cached(root, manifest)
    if hit:
        return int(hit["files"]), int(hit["size"])  # type: ignore[call-overload]
    if root.exists():
        import shutil

        shutil.rmtree(root)
    n = size = 0
    for doc in documents(total_bytes, seed):
        folder = root / f"site{n % 16:02d}" / f"2024-{n // 16 % 12 + 1:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        data = doc.text.encode("utf-8")
        (folder / f"article{n:06d}.txt").write_bytes(data)
        n += 1
        size += len(data)
    _store(root, manifest, {"files": n, "size": size})
    return n, size


def write_jsonl(path: Path, total_bytes: int, seed: int = DEFAULT_SEED) -> tuple[int, int]:
    """A JSON Lines dump (``id``, ``url``, ``text``), written in blocks. Returns
    (records, bytes); reuses ``path`` when generated with the same parameters."""
    manifest = _manifest("jsonl", total_bytes, seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    hit = _cached(path, manifest)
    if hit:
        return int(hit["records"]), int(hit["size"])  # type: ignore[call-overload]
    n = size = 0
    block: list[bytes] = []
    with path.open("wb") as fh:
        for doc in documents(total_bytes, seed):
            rec = {"id": f"doc{n}", "url": f"https://news.example.cn/{n}.html",
                   "text": doc.text}
            line = (json.dumps(rec, ensure_ascii=False) + "\n").encode("utf-8")
            block.append(line)
            size += len(line)
            n += 1
            if len(block) >= 2000:
                fh.write(b"".join(block))
                block = []
        fh.write(b"".join(block))
    _store(path, manifest, {"records": n, "size": size})
    return n, size


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=1.0, help="total size in MB (1e6 bytes)")
    ap.add_argument("--layout", choices=("files", "jsonl", "text"), default="files")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("-o", "--output", type=Path, required=True)
    ap.add_argument("--glossary", type=int, default=0,
                    help="also write a synthetic glossary of this many entries next to it")
    args = ap.parse_args()
    total = int(args.mb * 1_000_000)
    if args.layout == "files":
        n, size = write_files(args.output, total, args.seed)
    elif args.layout == "jsonl":
        n, size = write_jsonl(args.output, total, args.seed)
    else:
        n = size = 0
        with args.output.open("w", encoding="utf-8", newline="") as fh:
            for doc in documents(total, args.seed):
                fh.write(doc.text + "\n")
                n += 1
                size += len(doc.text.encode("utf-8")) + 1
    print(f"{args.output}: {n} documents, {size / 1e6:.1f} MB")
    if args.glossary:
        print(synthetic_glossary(args.glossary, args.output.parent))


if __name__ == "__main__":
    main()
