"""mt-normalize benchmark suite: one command, one table, every figure next to ftfy's.

    python bench/run.py                 # the full run (writes bench/RESULTS.md)
    python bench/run.py --smoke         # a few MB, every section, < 2 minutes (CI)
    python bench/run.py --only glossary --size 5 --runs 3

Why one script: issue 7's targets are ratios between figures (pipeline vs ftfy, 10k vs 10
glossary entries, --jobs 2 vs --jobs 1, 20 MB vs 10 MB), and a ratio is only honest when
both sides are measured in the same run, on the same corpus, on the same machine state.
So the peers (``ftfy.fix_text`` with its defaults, ``sacremoses`` punctuation
normalization) are timed interleaved with the pipeline, round by round, and every
throughput is printed as a multiple of ftfy's.

Sections (``--only`` takes a comma list):

* ``throughput``: MB/s of input for ftfy, sacremoses, ``Normalizer().clean`` per document
  (shipped glossary, default passes) and each pass's ``run`` alone on the raw documents.
* ``glossary``: the glossary pass alone with synthetic glossaries of 10/100/1k/10k entries
  (``bench/glossary_bench.py``'s generator; fuzzy on), on the same corpus, which mentions
  some of the synthetic names.
* ``jobs``: ``mtnorm clean DIR -o OUT --jobs 1`` vs ``--jobs 2`` on a batch of files
  (default 100 MB); outputs must be byte-identical.
* ``jsonl``: peak RSS of the whole process tree of ``mtnorm clean big.jsonl --jsonl
  --field text -o OUT`` at the big size (default 1 GB) and at 1/8 of it (flatness),
  sampled with ``bench/batch_bench.py``'s /proc sampler.
* ``linearity``: ``Normalizer().clean`` on one single-line document of X MB vs 2X MB, each
  clean in a child process with a time limit (a quadratic pass must not hang the suite).
* ``coldstart``: wall time of ``mtnorm check FILE`` on one small file (subprocess),
  median of ``--runs``; the first (cache-cold) run is shown separately.

Throughput sections report medians of ``--runs`` (default 5); the subprocess batch and
JSONL runs are single runs (each is minutes long; their noise is small next to their
length). Exit status is non-zero only on a real error (a crash, a non-zero ``mtnorm`` exit,
different --jobs outputs, lost records); timings never fail the script.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
if str(BENCH) not in sys.path:  # bench/ is a folder of scripts, not a package
    sys.path.insert(0, str(BENCH))

import batch_bench  # noqa: E402  (the batch engineer's CLI runner and RSS sampler)
import corpus  # noqa: E402
import ftfy  # noqa: E402

from normalize import Config, Normalizer  # noqa: E402
from normalize.engine import detect_newline  # noqa: E402
from normalize.errors import GlossaryError  # noqa: E402
from normalize.glossary import compile_glossary, load_glossary  # noqa: E402
from normalize.passes.base import DocContext, Pass  # noqa: E402

SECTIONS = ("throughput", "glossary", "jobs", "jsonl", "linearity", "coldstart", "quality")
PACKAGES = ("mt-normalize", "ftfy", "sacremoses", "regex", "rapidfuzz", "pyahocorasick",
            "charset-normalizer", "typer")
MB = 1_000_000


@dataclass
class Row:
    """One line of the table. ``mbps`` rows also get a ratio to ftfy's MB/s."""

    section: str
    what: str
    value: float | None
    unit: str
    mbps: float | None = None
    note: str = ""


@dataclass
class Target:
    """One of issue 7's targets, with the figures that decide it."""

    name: str
    met: bool | None  # None: not measured in this run
    figures: str


@dataclass
class Run:
    """Everything one invocation measured, for the table and RESULTS.md."""

    args: argparse.Namespace
    rows: list[Row] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    ftfy_mbps: float | None = None

    def add(self, row: Row) -> None:
        self.rows.append(row)
        ratio = _ratio(row.mbps, self.ftfy_mbps)
        value = "—" if row.value is None else f"{row.value:,.2f}"
        print(f"  {row.what:<44} {value:>10} {row.unit:<6} {ratio:>7}  {row.note}",
              flush=True)


def _ratio(mbps: float | None, base: float | None) -> str:
    return f"{mbps / base:.2f}x" if mbps and base else "—"


def _mb(texts: Sequence[str]) -> float:
    return sum(len(t.encode("utf-8")) for t in texts) / MB


def _timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def _over(fn: Callable[[str], object], docs: Sequence[str]) -> Callable[[], None]:
    def loop() -> None:
        for d in docs:
            fn(d)
    return loop


def _pass_runner(p: Pass) -> Callable[[str], object]:
    """``p.run`` on one raw document, with the context the engine would give it."""
    def run(text: str) -> object:
        return p.run(text, DocContext(newline=detect_newline(text)))
    return run


def interleaved(cands: dict[str, Callable[[], None]], runs: int,
                warmups: Sequence[Callable[[], None]] | None = None) -> dict[str, float]:
    """Median seconds of each candidate; one round times every candidate once, so slow
    drifts of the machine (thermal, neighbours) hit all of them alike. ``warmups`` run
    first, untimed: lazy compilation and caches would otherwise land on the first
    candidate only."""
    times: dict[str, list[float]] = {k: [] for k in cands}
    for fn in warmups or ():
        fn()
    for _ in range(runs):
        for name, fn in cands.items():
            times[name].append(_timed(fn))
    return {k: statistics.median(v) for k, v in times.items()}


# ---------------------------------------------------------------- sections


def baseline_ftfy(run: Run, docs: Sequence[str]) -> None:
    """ftfy alone, when the throughput section (which times it interleaved) is skipped."""
    secs = interleaved({"ftfy": _over(ftfy.fix_text, docs)}, run.args.runs,
                       [_over(ftfy.fix_text, docs[:50])])["ftfy"]
    run.ftfy_mbps = _mb(docs) / secs
    run.add(Row("baseline", "ftfy.fix_text (defaults)", run.ftfy_mbps, "MB/s", run.ftfy_mbps))


def section_throughput(run: Run, docs: Sequence[str]) -> None:
    mb = _mb(docs)
    norm = Normalizer()
    cands: dict[str, Callable[[], None]] = {"ftfy": _over(ftfy.fix_text, docs)}
    try:
        from sacremoses import MosesPunctNormalizer

        cands["sacremoses"] = _over(MosesPunctNormalizer().normalize, docs)
    except ImportError:
        run.notes.append("sacremoses is not installed (pip install -e '.[bench]'); "
                         "its row is empty.")
    cands["pipeline"] = _over(norm.clean, docs)
    labels = {}
    for i, p in enumerate(norm.passes):
        key = f"pass{i}"
        labels[key] = f"  pass {p.name} ({type(p).__name__})"
        cands[key] = _over(_pass_runner(p), docs)
    head = docs[:50]
    warm = [_over(ftfy.fix_text, head), _over(norm.clean, head)]
    warm += [_over(_pass_runner(p), head) for p in norm.passes]
    secs = interleaved(cands, run.args.runs, warm)
    run.ftfy_mbps = mb / secs["ftfy"]
    run.add(Row("throughput", "ftfy.fix_text (defaults)", run.ftfy_mbps, "MB/s",
                run.ftfy_mbps))
    if "sacremoses" in secs:
        rate = mb / secs["sacremoses"]
        run.add(Row("throughput", "sacremoses MosesPunctNormalizer", rate, "MB/s", rate))
    else:
        run.add(Row("throughput", "sacremoses MosesPunctNormalizer", None, "MB/s",
                    note="not installed"))
    pipe = mb / secs["pipeline"]
    run.add(Row("throughput", "full pipeline: Normalizer().clean", pipe, "MB/s", pipe,
                "shipped glossary, default passes"))
    total = 0.0
    for key, label in labels.items():
        total += secs[key]
        rate = mb / secs[key]
        run.add(Row("throughput", label, rate, "MB/s", rate,
                    f"{100 * secs[key] / secs['pipeline']:.0f}% of pipeline time"))
    run.add(Row("throughput", "  sum of passes (engine overhead excluded)", mb / total,
                "MB/s", mb / total,
                f"engine: {100 * (1 - total / secs['pipeline']):.0f}% of pipeline time"))
    ratio = pipe / run.ftfy_mbps
    run.targets.append(Target("Full pipeline >= 2x ftfy.fix_text", ratio >= 2.0,
                              f"{pipe:.2f} vs {run.ftfy_mbps:.2f} MB/s = {ratio:.2f}x"))
    _steady_state(run, norm, docs)


def _steady_state(run: Run, norm: Normalizer, docs: Sequence[str]) -> None:
    """The pipeline and ftfy on the pipeline's own output: text with nothing left to fix,
    which is what a pre-commit hook or a re-run over a cleaned corpus mostly sees. It
    shows the cost of the gates alone (the corpus row above pays for thousands of real
    repairs per MB)."""
    cleaned = [norm.clean(d).text for d in docs]
    mb = _mb(cleaned)
    head = cleaned[:50]
    secs = interleaved(
        {"ftfy": _over(ftfy.fix_text, cleaned), "pipeline": _over(norm.clean, cleaned)},
        run.args.runs, [_over(ftfy.fix_text, head), _over(norm.clean, head)],
    )
    fx, pipe = mb / secs["ftfy"], mb / secs["pipeline"]
    run.add(Row("throughput", "full pipeline on its own output (clean text)", pipe, "MB/s",
                pipe, f"ftfy.fix_text on the same text: {fx:.2f} MB/s; "
                f"pipeline = {pipe / fx:.2f}x ftfy there"))


def section_glossary(run: Run, docs: Sequence[str]) -> None:
    """Every size is built first, then all are timed interleaved (like the peers), so the
    10k/10 ratio is not skewed by when each one happened to run."""
    mb = _mb(docs)
    folder = run.args.workdir / "glossaries"
    runners: dict[int, Callable[[str], object]] = {}
    builds: dict[int, float] = {}
    for n in run.args.glossary_sizes:
        path = corpus.synthetic_glossary(n, folder)
        t0 = time.perf_counter()
        try:
            norm = Normalizer(Config.from_mapping({"glossary": {"glossaries": [str(path)]}}))
            gpass = next(p for p in norm.passes if p.name == "glossary")
        except GlossaryError as exc:
            # The generator's slot-less variants fail the linter (GL008), which the pass
            # runs before compiling; time the same pass with the matcher compiled without
            # the lint step (what bench/glossary_bench.py does) rather than not at all.
            gpass = next(p for p in Normalizer().passes if p.name == "glossary")
            gpass.matcher = compile_glossary(  # type: ignore[attr-defined]
                load_glossary([str(path)]), fuzzy=True)
            code = str(exc).split("\n")[1].split(" ")[1] if "\n" in str(exc) else "lint"
            if not any("fail the glossary lint" in note for note in run.notes):
                run.notes.append(
                    f"The synthetic glossaries of bench/glossary_bench.py fail the glossary "
                    f"lint ({code}: a variant without the canonical's {{city}} slot), so "
                    "the pass refuses them by config; the glossary rows mount the compiled "
                    "matcher on the pass directly (lint skipped, matching unchanged).")
        builds[n] = time.perf_counter() - t0
        runners[n] = _pass_runner(gpass)
    head = docs[:50]
    secs = interleaved({str(n): _over(r, docs) for n, r in runners.items()}, run.args.runs,
                       [_over(r, head) for r in runners.values()])
    rates = {n: mb / secs[str(n)] for n in runners}
    first = min(rates)
    for n, rate in rates.items():
        found = sum(len(runners[n](d)) for d in docs[:200])  # type: ignore[arg-type]
        vs = f", {rate / rates[first]:.2f}x of {first}" if n != first else ""
        run.add(Row("glossary", f"glossary pass, {n:,} synthetic entries", rate, "MB/s",
                    rate, f"build {builds[n]:.2f} s, {found} edits in 200 docs{vs}"))
    if 10 in rates and 10_000 in rates:
        r = rates[10_000] / rates[10]
        run.targets.append(Target("Glossary: 10k entries >= 0.5x 10 entries (fuzzy on)",
                                  r >= 0.5, f"{rates[10_000]:.2f} vs {rates[10]:.2f} MB/s "
                                  f"= {r:.2f}x"))


def _clean_out(*paths: Path) -> None:
    for p in paths:
        if p.is_dir():
            shutil.rmtree(p)
        elif p.exists():
            p.unlink()


def section_jobs(run: Run) -> None:
    mb = run.args.batch_mb
    src = run.args.workdir / f"batch-{mb:g}MB"
    t0 = time.perf_counter()
    n, size = corpus.write_files(src, int(mb * MB))
    print(f"  (batch: {n} files, {size / MB:.1f} MB, ready in {time.perf_counter() - t0:.0f} s)")
    outs = {}
    secs = {}
    for j in (1, 2):
        out, rep = run.args.workdir / f"out-jobs{j}", run.args.workdir / f"report-jobs{j}.json"
        _clean_out(out, rep)
        secs[j], code, _ = batch_bench.run_cli(
            ["clean", str(src), "-o", str(out), "--jobs", str(j), "--report", str(rep), "-q"])
        if code != 0:
            run.errors.append(f"mtnorm clean --jobs {j} exited {code}")
        outs[j] = (out, rep)
        rate = size / MB / secs[j]
        run.add(Row("jobs", f"mtnorm clean --jobs {j}, {size / MB:.0f} MB in {n} files", rate,
                    "MB/s", rate, f"{secs[j]:.1f} s wall"))
    same_tree = batch_bench.trees_identical(outs[1][0], outs[2][0])
    same_report = outs[1][1].read_bytes() == outs[2][1].read_bytes()
    if not same_tree:
        run.errors.append("--jobs 1 and --jobs 2 wrote different output trees")
    ratio = secs[1] / secs[2]
    run.add(Row("jobs", "--jobs 2 speed-up over --jobs 1", ratio, "x",
                note=f"outputs identical: {same_tree}; reports identical: {same_report}"))
    big = mb >= 100
    run.targets.append(Target(
        "--jobs 2 >= 1.6x --jobs 1 on a 100 MB batch", ratio >= 1.6,
        f"{ratio:.2f}x on {size / MB:.0f} MB" + ("" if big else " (smaller batch than 100 MB)")))
    for j in (1, 2):
        _clean_out(*outs[j])


def _jsonl_peak(run: Run, mb: float) -> tuple[float, float, int]:
    """(seconds, peak tree RSS MB, records out) of one streaming JSONL run."""
    src = run.args.workdir / f"stream-{mb:g}MB.jsonl"
    t0 = time.perf_counter()
    records, size = corpus.write_jsonl(src, int(mb * MB))
    print(f"  (jsonl: {records} records, {size / MB:.0f} MB, ready in "
          f"{time.perf_counter() - t0:.0f} s)")
    out = run.args.workdir / "out-jsonl"
    _clean_out(out)
    secs, code, peak_kb = batch_bench.run_cli(
        ["clean", str(src), "--jsonl", "--field", "text", "-o", str(out), "--jobs", "2", "-q"],
        sample_rss=True)
    if code != 0:
        run.errors.append(f"mtnorm clean --jsonl exited {code}")
    produced = out / src.name
    lines = 0
    if produced.exists():
        with produced.open("rb") as fh:
            lines = sum(1 for _ in fh)
    if lines != records:
        run.errors.append(f"JSONL: {records} records in, {lines} out")
    _clean_out(out)
    rate = size / MB / secs
    run.add(Row("jsonl", f"mtnorm clean --jsonl, {size / MB:,.0f} MB, --jobs 2", rate, "MB/s",
                rate, f"{secs:.0f} s wall"))
    run.add(Row("jsonl", f"  peak RSS of process tree, {size / MB:,.0f} MB input",
                peak_kb / 1024, "MB"))
    return secs, peak_kb / 1024, lines


def section_jsonl(run: Run) -> None:
    big = run.args.jsonl_mb
    # 1/8 of the big input, but not so small that the run ends before the workers reach
    # their steady state (the first MB only measures start-up).
    small = max(big / 8, min(big / 2, 64.0))
    _, peak_small, _ = _jsonl_peak(run, small)
    _, peak_big, _ = _jsonl_peak(run, big)
    flat = peak_big <= 1.25 * peak_small + 25
    run.add(Row("jsonl", f"peak RSS growth, {small:g} MB -> {big:g} MB", peak_big / peak_small,
                "x", note="flat" if flat else "grows with input"))
    full = big >= 1000
    run.targets.append(Target(
        "Streaming JSONL: peak RSS < 300 MB on 1 GB, flat in input size",
        peak_big < 300 and flat,
        f"{peak_big:.0f} MB at {big:g} MB, {peak_small:.0f} MB at {small:g} MB"
        + ("" if full else " (smaller input than 1 GB)")))


def _linear_child(nbytes: int) -> None:
    """Child mode: clean one single-line document, print the seconds (timed here, so the
    document's generation is not counted)."""
    norm = Normalizer()
    norm.clean(corpus.single_line(MB // 10))  # warm-up: lazy compilation
    text = corpus.single_line(nbytes)
    t0 = time.perf_counter()
    norm.clean(text)
    print(time.perf_counter() - t0)


def _linear_once(nbytes: int, timeout: float) -> float | None:
    """Seconds of one clean in a child process; None when it ran past ``timeout`` (a
    quadratic pass on a 20 MB line can run for hours; the suite must still finish)."""
    try:
        proc = subprocess.run([sys.executable, __file__, "--linear-child", str(nbytes)],
                              capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return None
    return float(proc.stdout.strip().splitlines()[-1])


def section_linearity(run: Run) -> None:
    x, limit = run.args.linear_mb, run.args.linear_timeout
    sizes = {"small": int(x * MB), "large": int(2 * x * MB)}
    times: dict[str, list[float]] = {"small": [], "large": []}
    timed_out = False
    for _ in range(run.args.runs):
        for key, nbytes in sizes.items():
            secs = _linear_once(nbytes, limit)
            if secs is None:
                timed_out = True
                break
            times[key].append(secs)
        if timed_out:
            break
    if timed_out:
        run.add(Row("linearity", f"single-line documents of {x:g} / {2 * x:g} MB", None, "s",
                    note=f"a clean ran past {limit:.0f} s: stopped"))
        run.targets.append(Target(f"Linear: {2 * x:g} MB single-line doc <= 2.2x a {x:g} MB "
                                  "one", False, f"a clean took over {limit:.0f} s"))
        return
    med = {k: statistics.median(v) for k, v in times.items()}
    for key, nbytes in sizes.items():
        rate = nbytes / MB / med[key]
        run.add(Row("linearity", f"one single-line document of {nbytes / MB:g} MB", rate,
                    "MB/s", rate, f"{med[key]:.2f} s"))
    ratio = med["large"] / med["small"]
    run.add(Row("linearity", f"time ratio {2 * x:g} MB / {x:g} MB", ratio, "x"))
    run.targets.append(Target(f"Linear: {2 * x:g} MB single-line doc <= 2.2x a {x:g} MB one",
                              ratio <= 2.2, f"{ratio:.2f}x ({med['large']:.2f} s vs "
                              f"{med['small']:.2f} s)"))


def _mtnorm() -> list[str]:
    exe = Path(sys.executable).parent / "mtnorm"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "normalize"]


def section_coldstart(run: Run) -> None:
    folder = run.args.workdir / "coldstart"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "one.txt"
    path.write_text(next(corpus.documents(1, seed=99)).text, encoding="utf-8")
    cmd = [*_mtnorm(), "check", str(path)]
    times = []
    for _ in range(run.args.runs + 1):
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, cwd=folder, check=False)
        times.append(time.perf_counter() - t0)
        if proc.returncode not in (0, 1):
            run.errors.append(f"mtnorm check exited {proc.returncode}: "
                              f"{proc.stderr.decode(errors='replace')[-300:]}")
            break
    first, med = times[0], statistics.median(times[1:] or times)
    size = path.stat().st_size
    run.add(Row("coldstart", f"mtnorm check on one {size / 1000:.1f} KB file", med, "s",
                note=f"median of {len(times) - 1}; first run {first:.2f} s"))
    run.targets.append(Target("mtnorm check on one small file < 0.5 s", med < 0.5,
                              f"median {med:.2f} s (first run {first:.2f} s)"))


# ---------------------------------------------------------------- report


def section_quality(run: Run) -> None:
    """Precision and recall of the chrome and glossary rules on their labelled fixture
    sets, with the code being timed: speed work must not buy throughput with quality.
    The scoring is the test suite's own (tests/test_chrome_fixtures.py,
    tests/test_glossary_quality.py), so the figures here and there cannot drift apart."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from tests import test_chrome_fixtures as chrome_q
    from tests import test_glossary_quality as glossary_q

    tp, fp, fn, _errors = chrome_q.score()
    chrome = (tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0)
    run.add(Row("quality", f"chrome precision ({len(chrome_q.PAGES)} labelled pages)",
                chrome[0], "", note=f"tp={tp} fp={fp}"))
    run.add(Row("quality", "chrome recall", chrome[1], "", note=f"tp={tp} fn={fn}"))
    gtp, gfp, gfn, _per_label, _errors = glossary_q.score(Normalizer(Config(select=("G",))))
    gloss = (gtp / (gtp + gfp) if gtp + gfp else 1.0, gtp / (gtp + gfn) if gtp + gfn else 1.0)
    run.add(Row("quality", "glossary precision (labelled set)",
                gloss[0], "", note=f"tp={gtp} fp={gfp}"))
    run.add(Row("quality", "glossary recall", gloss[1], "", note=f"tp={gtp} fn={gfn}"))
    kept = chrome == (1.0, 1.0) and gloss == (1.0, 1.0)
    run.targets.append(Target(
        "No loss of quality: chrome and glossary precision/recall stay 1.000/1.000", kept,
        f"chrome {chrome[0]:.3f}/{chrome[1]:.3f}, glossary {gloss[0]:.3f}/{gloss[1]:.3f}"))


def machine_info() -> dict[str, str]:
    """What the figures depend on: hardware, interpreter, library versions, code version."""
    cpu = platform.processor() or platform.machine()
    ram = "?"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            cpu = next((ln.split(":", 1)[1].strip() for ln in fh
                        if ln.startswith("model name")), cpu)
        with open("/proc/meminfo", encoding="utf-8") as fh:
            kb = int(next(ln for ln in fh if ln.startswith("MemTotal")).split()[1])
            ram = f"{kb / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else "?"
    versions = []
    for pkg in PACKAGES:
        try:
            versions.append(f"{pkg} {metadata.version(pkg)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{pkg} (not installed)")
    return {
        "Date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "CPU": cpu,
        "Cores": f"{os.cpu_count()} logical, {usable} usable by this process",
        "RAM": ram,
        "OS": platform.platform(),
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        "Packages": ", ".join(versions),
        "Git commit": _git_commit(),
    }


def _git_commit() -> str:
    """HEAD, and whether normalize/ had uncommitted edits: the benchmark measures the
    working tree, which others may be changing while it runs."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO,
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "normalize"], cwd=REPO,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" (with uncommitted changes in normalize/)" if dirty else "")


def write_results(run: Run, path: Path, command: str, elapsed: float,
                  info: dict[str, str]) -> None:
    out = ["# mt-normalize benchmark results", "",
           f"Produced by `{command}` in {elapsed / 60:.1f} minutes. Throughput is MB "
           "(10^6 bytes) of UTF-8 input per second, one process unless stated; "
           f"medians of {run.args.runs} runs, peers timed interleaved with the pipeline on "
           f"the same {run.args.size:g} MB corpus (`bench/corpus.py`, seed "
           f"{corpus.DEFAULT_SEED}). \"x ftfy\" is the figure divided by `ftfy.fix_text`'s "
           "MB/s in this run.", "", "## Machine", ""]
    out += [f"- **{k}**: {v}" for k, v in info.items()]
    out += ["", "## Targets (issue 7)", "", "| Target | Status | Figures |", "|---|---|---|"]
    for t in run.targets:
        status = "not measured" if t.met is None else ("**met**" if t.met else "**not met**")
        out.append(f"| {t.name} | {status} | {t.figures} |")
    out += ["", "## Figures", "", "| Section | Measurement | Value | Unit | x ftfy | Note |",
            "|---|---|---:|---|---:|---|"]
    for r in run.rows:
        value = "—" if r.value is None else f"{r.value:,.2f}"
        what = r.what.strip().replace("|", "\\|")
        if r.what.startswith("  "):
            what = "&nbsp;&nbsp;" + what
        out.append(f"| {r.section} | {what} | {value} | {r.unit} | "
                   f"{_ratio(r.mbps, run.ftfy_mbps)} | {r.note} |")
    if run.notes or run.errors:
        out += ["", "## Notes", ""]
        out += [f"- {n}" for n in run.notes]
        out += [f"- ERROR: {e}" for e in run.errors]
    out += ["", "## Method", "",
            "- Corpus: documents of 2-8 KB shaped like `samples/`: chrome headers/footers "
            "(~35% of documents each), image-name and no-break-space lines, repeated "
            "headlines; per sentence ~3% UTF-8-as-cp1252 and ~1% GBK-as-Latin-1 mojibake, "
            "~15% MT artifacts, ~10% shipped-glossary variants, ~2% synthetic-glossary "
            "names. `tests/test_bench_smoke.py` checks the rates and that the pipeline "
            "repairs them.",
            "- Per-pass rows run each pass's `run` alone on the raw documents (not on the "
            "previous pass's output), so they show where the time goes; the pipeline row "
            "is the real figure.",
            "- Glossary rows: the glossary pass alone, with `bench/glossary_bench.py`'s "
            "synthetic glossaries (agency names with a `{city}` slot, fuzzy on) mounted "
            "instead of the shipped one via `{\"glossary\": {\"glossaries\": [path]}}`.",
            "- `jobs` and `jsonl` run the real CLI in a subprocess (single runs); RSS is "
            "the peak of the CLI and all its workers, sampled from /proc every 50 ms "
            "(`bench/batch_bench.py`).",
            ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out), encoding="utf-8")


# ---------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5, help="runs per figure (median)")
    ap.add_argument("--size", type=float, default=20.0,
                    help="corpus MB for the throughput and glossary sections")
    ap.add_argument("--batch-mb", type=float, default=100.0, help="batch size for --jobs")
    ap.add_argument("--jsonl-mb", type=float, default=1000.0,
                    help="JSONL size for peak RSS (1/8 of it is run too, for flatness)")
    ap.add_argument("--big", type=float, default=None, metavar="MB",
                    help="shorthand: --batch-mb MB and --jsonl-mb 10*MB")
    ap.add_argument("--linear-mb", type=float, default=10.0,
                    help="linearity: X MB vs 2X MB single-line documents")
    ap.add_argument("--linear-timeout", type=float, default=300.0,
                    help="seconds one linearity clean may take before the section stops")
    ap.add_argument("--linear-child", type=int, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--glossary-sizes", default="10,100,1000,10000")
    ap.add_argument("--only", default=",".join(SECTIONS),
                    help=f"comma list of sections: {', '.join(SECTIONS)}")
    ap.add_argument("--smoke", action="store_true",
                    help="a few MB, every section, no timing targets enforced (CI)")
    ap.add_argument("--workdir", type=Path, default=BENCH / "corpus",
                    help="generated corpora and outputs (git-ignored)")
    ap.add_argument("--results", type=Path, default=None,
                    help="markdown output (default bench/RESULTS.md for a full run, "
                         "WORKDIR/RESULTS-partial.md for --smoke/--only)")
    args = ap.parse_args(argv)
    if args.big is not None:
        args.batch_mb, args.jsonl_mb = args.big, 10 * args.big
    if args.smoke:
        args.runs = min(args.runs, 2)
        args.size, args.batch_mb, args.jsonl_mb, args.linear_mb = 2.0, 4.0, 8.0, 0.5
    args.only = [s.strip() for s in args.only.split(",") if s.strip()]
    bad = [s for s in args.only if s not in SECTIONS]
    if bad:
        ap.error(f"unknown section(s) {bad}; choose from {', '.join(SECTIONS)}")
    args.glossary_sizes = [int(s) for s in args.glossary_sizes.split(",")]
    if args.results is None:
        partial = args.smoke or set(args.only) != set(SECTIONS)
        args.results = args.workdir / "RESULTS-partial.md" if partial else BENCH / "RESULTS.md"
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.linear_child is not None:
        _linear_child(args.linear_child)
        return 0
    command = "python bench/run.py " + " ".join(sys.argv[1:] if argv is None else argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    run = Run(args)
    # Taken at the start: in-process sections run the code imported now, and others may
    # commit while a long run goes on (subprocess sections import the code of their time).
    info = machine_info()
    start = time.perf_counter()
    print(f"mt-normalize benchmark: sections {', '.join(args.only)}; medians of {args.runs}")
    print(f"  {'measurement':<44} {'value':>10} {'unit':<6} {'x ftfy':>7}  note")
    # Always loaded: ftfy on this corpus is the baseline of every ratio.
    docs = corpus.load(int(args.size * MB))
    print(f"  (corpus: {len(docs)} documents, {_mb(docs):.1f} MB)")
    steps: list[tuple[str, Callable[[], None]]] = [
        ("throughput", lambda: section_throughput(run, docs)),
        ("glossary", lambda: section_glossary(run, docs)),
        ("jobs", lambda: section_jobs(run)),
        ("jsonl", lambda: section_jsonl(run)),
        ("linearity", lambda: section_linearity(run)),
        ("coldstart", lambda: section_coldstart(run)),
        ("quality", lambda: section_quality(run)),
    ]
    if "throughput" not in args.only:
        baseline_ftfy(run, docs)
    for name, step in steps:
        if name in args.only:
            print(f"[{name}]", flush=True)
            step()
    elapsed = time.perf_counter() - start
    if args.smoke:
        run.notes.append("Smoke run: sizes far below the targets' (figures are not "
                         "comparable); no target is enforced.")
    write_results(run, args.results, command, elapsed, info)
    print("\nTargets:")
    for t in run.targets:
        status = "n/a" if t.met is None else ("met" if t.met else "NOT MET")
        print(f"  [{status:>7}] {t.name}: {t.figures}")
    for e in run.errors:
        print(f"ERROR: {e}", file=sys.stderr)
    print(f"\nwrote {args.results} ({elapsed:.0f} s)")
    return 1 if run.errors else 0


if __name__ == "__main__":
    sys.exit(main())
