"""Batch and JSON Lines benchmarks for ``mtnorm`` (issue 5's measurements).

1. A synthetic batch of N files (default 10,000) cleaned with ``--jobs 1`` and
   ``--jobs 2``: wall time of each, and whether the output trees and JSON reports are
   byte-identical.
2. A synthetic JSON Lines stream of M MB (default 1024) cleaned with ``--jsonl``: wall time,
   MB/s, and the peak resident memory of the whole process tree (the CLI and its workers),
   sampled from /proc every 50 ms.

Run: ``python bench/batch_bench.py [--files N] [--jsonl-mb M] [--jobs J] [--workdir DIR]``.
Everything runs through the real console entry point (``python -m normalize``).
"""

from __future__ import annotations

import argparse
import filecmp
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

SENTENCES = [
    "The provincial government will promote high -quality development this year.",
    "Officials said the work went smoothly.The next phase starts in May.",
    "(Reporter Chen Yi)On the 5th, the city opened a new rail line.",
    "The output reached 1,000 tonnes , up 3.5 percent from last year.",
    "Visit www.example.gov.cn for details; see No.5 for the schedule.",
    "The committee held a meeting to study the plan in depth.",
    "Rural revitalization remains a priority for the county.",
    "The exhibition attracted visitors from across the region.",
    "Experts discussed ecological protection of the river basin.",
    "The new policy supports small and medium-sized enterprises.",
]


def make_doc(rng: random.Random, n_lines: int) -> str:
    lines = []
    for _ in range(n_lines):
        lines.append(" ".join(rng.choice(SENTENCES) for _ in range(rng.randint(1, 4))))
        if rng.random() < 0.1:
            lines.append("   ")
    return "\n".join(lines) + ("\n" if rng.random() < 0.8 else "  ")


def make_files(root: Path, n: int, seed: int = 5) -> int:
    rng = random.Random(seed)
    total = 0
    for i in range(n):
        folder = root / f"site{i % 20:02d}" / f"2024-{i % 12 + 1:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        data = make_doc(rng, rng.randint(3, 12)).encode()
        (folder / f"article{i:05d}.txt").write_bytes(data)
        total += len(data)
    return total


def make_jsonl(path: Path, megabytes: int, seed: int = 7) -> int:
    """Mostly clean records with MT artifacts in about one in ten, like a real dump."""
    import json

    rng = random.Random(seed)
    clean_sents = SENTENCES[5:]
    target = megabytes * 1_000_000
    written = 0
    block = []
    with path.open("wb") as fh:
        i = 0
        while written < target:
            pool = SENTENCES if rng.random() < 0.1 else clean_sents
            text = " ".join(rng.choice(pool) for _ in range(rng.randint(3, 12)))
            rec = {"id": f"r{i}", "url": f"https://news.example.cn/{i}.html", "text": text,
                   "lang": "en"}
            line = (json.dumps(rec, ensure_ascii=False) + "\n").encode()
            block.append(line)
            written += len(line)
            i += 1
            if len(block) >= 10_000:
                fh.write(b"".join(block))
                block = []
        fh.write(b"".join(block))
    return written


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants, in KB (Linux /proc)."""
    total = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    stack.extend(int(c) for c in fh.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def run_cli(args: list[str], sample_rss: bool = False) -> tuple[float, int, int]:
    """Run ``python -m normalize ARGS``; returns (seconds, exit code, peak tree RSS KB)."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "normalize", *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    stop = threading.Event()

    def sampler() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss_kb(proc.pid))
            stop.wait(0.05)

    thread = threading.Thread(target=sampler, daemon=True)
    if sample_rss:
        thread.start()
    _, err = proc.communicate()
    stop.set()
    if sample_rss:
        thread.join()
    elapsed = time.perf_counter() - start
    tail = err.decode(errors="replace").strip().splitlines()[-1:] or [""]
    print(f"    exit {proc.returncode}: {tail[0]}")
    return elapsed, proc.returncode, peak


def trees_identical(a: Path, b: Path) -> bool:
    cmp = filecmp.dircmp(a, b)
    stack = [cmp]
    while stack:
        c = stack.pop()
        if c.left_only or c.right_only or c.funny_files:
            return False
        _, mismatch, errors = filecmp.cmpfiles(c.left, c.right, c.common_files, shallow=False)
        if mismatch or errors:
            return False
        stack.extend(c.subdirs.values())
    return True


def bench_files(work: Path, n: int, jobs: int) -> None:
    src = work / "batch"
    size = make_files(src, n)
    print(f"batch: {n} files, {size / 1e6:.1f} MB")
    results = {}
    for j in (1, jobs):
        out, rep = work / f"out-j{j}", work / f"report-j{j}.json"
        secs, code, _ = run_cli(["clean", str(src), "-o", str(out), "--jobs", str(j),
                                 "--report", str(rep), "-q"])
        results[j] = (out, rep)
        print(f"  --jobs {j}: {secs:.1f} s ({size / 1e6 / secs:.2f} MB/s), exit {code}")
    (o1, r1), (o2, r2) = results[1], results[jobs]
    same_tree = trees_identical(o1, o2)
    same_report = r1.read_bytes() == r2.read_bytes()
    print(f"  output trees identical: {same_tree}; reports identical: {same_report}")


def bench_jsonl(work: Path, megabytes: int, jobs: int) -> None:
    src = work / "stream.jsonl"
    size = make_jsonl(src, megabytes)
    print(f"jsonl: {size / 1e6:.0f} MB, {sum(1 for _ in src.open('rb'))} records")
    out = work / "jsonl-out"
    secs, code, peak = run_cli(
        ["clean", str(src), "--jsonl", "--field", "text", "--id-field", "id", "-o", str(out),
         "--jobs", str(jobs), "--report", str(work / "jsonl-report.json"), "-q"],
        sample_rss=True,
    )
    print(f"  --jobs {jobs}: {secs:.1f} s ({size / 1e6 / secs:.2f} MB/s), exit {code}, "
          f"peak RSS of process tree {peak / 1024:.0f} MB")
    lines_in = sum(1 for _ in src.open("rb"))
    lines_out = sum(1 for _ in (out / src.name).open("rb"))
    print(f"  records in {lines_in}, out {lines_out}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=10_000)
    ap.add_argument("--jsonl-mb", type=int, default=1024)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--workdir", type=Path, default=None)
    ap.add_argument("--skip-files", action="store_true")
    ap.add_argument("--skip-jsonl", action="store_true")
    args = ap.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="mtnorm-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        if not args.skip_files:
            bench_files(work, args.files, args.jobs)
        if not args.skip_jsonl:
            bench_jsonl(work, args.jsonl_mb, args.jobs)
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
