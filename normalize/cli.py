"""The ``mtnorm`` command line: ``clean``, ``check``, ``rules``, ``rule`` and ``glossary``.

Conventions (the ones ruff/black/codespell users expect):

* stdout carries data only (cleaned text, diffs, ``check``'s findings); every message and
  the closing summary go to stderr, so ``mtnorm clean a.txt > b.txt`` is safe.
* Exit codes: 0 ok; 1 something would change (``check``) or was fixed with
  ``--exit-non-zero-on-fix``; 2 usage or input errors. A bad file never stops a batch:
  it is reported with its reason, the others are processed, and the exit code is 2.
* No traceback for bad input: library errors (:mod:`normalize.errors`) become one line.
"""

from __future__ import annotations

import difflib
import os
import stat
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, BinaryIO, TextIO

import typer

from normalize import __version__
from normalize.batch import (
    FileResult,
    Target,
    check_output_dir,
    default_jobs,
    discover,
    normalizer_for,
    run_targets,
)
from normalize.config import Config, ConfigResolver, load_config
from normalize.engine import all_rules
from normalize.errors import InputError, NormalizeError
from normalize.io import AtomicFile, decode_bytes, fsync_dir, read_bytes

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

    from normalize.report import ReportWriter

app = typer.Typer(
    name="mtnorm",
    help="Clean English text machine-translated from Chinese news, with a change report.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

EXIT_OK, EXIT_CHANGES, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130
JSONL_INCLUDE = ("*.jsonl", "*.ndjson")


class ReportFormat(StrEnum):
    json = "json"
    jsonl = "jsonl"
    markdown = "markdown"
    sarif = "sarif"
    html = "html"


class Usage(Exception):
    """A usage error detected after option parsing (exit 2, one line on stderr)."""


# ---------------------------------------------------------------------------- options

PathsArg = Annotated[
    list[str],
    typer.Argument(
        metavar="PATH...",
        help="Files, folders (recursive), globs, or '-' for stdin.",
        show_default=False,
    ),
]
ConfigOpt = Annotated[
    Path | None,
    typer.Option("--config", help="Config file (mtnorm.toml or pyproject.toml); "
                 "default: the nearest one above the first input."),
]
SelectOpt = Annotated[
    list[str] | None,
    typer.Option("--select", help="Rule codes or prefixes to enable (replaces the defaults); "
                 "comma-separated or repeated."),
]
ExtendOpt = Annotated[
    list[str] | None, typer.Option("--extend-select", help="Rule codes or prefixes to add.")
]
IgnoreOpt = Annotated[
    list[str] | None, typer.Option("--ignore", help="Rule codes or prefixes to disable.")
]
EncodingOpt = Annotated[
    str | None,
    typer.Option("--encoding", help="Force the input encoding (default: UTF-8 with or "
                 "without BOM, UTF-16/32 with BOM, or detected GB18030)."),
]
JobsOpt = Annotated[
    int | None,
    typer.Option("--jobs", "-j", min=1, help="Worker processes (default: CPU count)."),
]
IncludeOpt = Annotated[
    list[str] | None,
    typer.Option("--include", help="Glob for files to take from folders (repeatable; default "
                 "*.txt *.text *.md *.markdown *.rst, or *.jsonl *.ndjson with --jsonl). "
                 "Files named explicitly are always taken."),
]
ExcludeOpt = Annotated[
    list[str] | None,
    typer.Option("--exclude", help="Glob for files or folders to skip in folders (repeatable)."),
]
JsonlOpt = Annotated[
    bool, typer.Option("--jsonl", help="Inputs are JSON Lines; clean the --field values.")
]
FieldOpt = Annotated[
    list[str] | None,
    typer.Option("--field", help="JSON Lines field(s) to clean (default: text)."),
]
IdFieldOpt = Annotated[
    str | None,
    typer.Option("--id-field", help="JSON Lines field that keys records in the report "
                 "(default: line number)."),
]
AttachOpt = Annotated[
    bool,
    typer.Option("--attach-changes", help="Add each record's changes and findings under "
                 "'_mtnorm'."),
]
CorpusOpt = Annotated[
    bool,
    typer.Option("--boilerplate-from-corpus", help="Read the whole batch first and treat "
                 "lines found in many documents as site boilerplate (chrome pass)."),
]
MinDocsOpt = Annotated[
    int, typer.Option("--boilerplate-min-docs", min=1, help="Corpus mode: minimum documents.")
]
MinShareOpt = Annotated[
    float,
    typer.Option("--boilerplate-min-share", min=0.0, max=1.0,
                 help="Corpus mode: minimum share of documents."),
]
ReportOpt = Annotated[
    Path | None,
    typer.Option("--report", help="Write a change report here (a folder for html)."),
]
ReportFormatOpt = Annotated[
    ReportFormat | None,
    typer.Option("--report-format", help="Report format (default: from the --report suffix, "
                 "else json)."),
]
DiffOpt = Annotated[bool, typer.Option("--diff", help="Print a unified diff to stdout.")]
QuietOpt = Annotated[
    bool, typer.Option("--quiet", "-q", help="Print only errors (no summary, no findings).")
]
VerboseOpt = Annotated[
    bool, typer.Option("--verbose", "-v", help="Print one status line per file.")
]
NoCacheOpt = Annotated[
    bool,
    typer.Option("--no-cache", help="Neither read nor write the compiled-glossary cache "
                 "(also: MTNORM_NO_CACHE=1)."),
]


@dataclass
class Options:
    """Everything a run needs, resolved from the command line."""

    paths: list[str]
    check: bool
    config: Config
    config_source: str | None
    encoding: str | None
    jobs: int
    include: tuple[str, ...] | None
    exclude: tuple[str, ...]
    jsonl: bool
    fields: tuple[str, ...]
    id_field: str | None
    attach_changes: bool
    corpus: bool
    min_docs: int
    min_share: float
    report: Path | None
    report_format: str | None
    diff: bool
    quiet: bool
    verbose: bool
    output: Path | None = None
    in_place: bool = False
    exit_non_zero_on_fix: bool = False
    stdout_mode: bool = False
    stdin: bool = False
    resolver: ConfigResolver | None = None


def _split(values: Sequence[str] | None) -> list[str]:
    """'A,B' and repeated options both give [A, B]."""
    return [v.strip() for raw in values or () for v in raw.split(",") if v.strip()]


def _resolve_config(
    paths: Sequence[str],
    explicit: Path | None,
    select: list[str] | None,
    extend: list[str] | None,
    ignore: list[str] | None,
) -> Config:
    start = next((Path(p) for p in paths if p != "-" and Path(p).exists()), Path.cwd())
    config = load_config(explicit, start)
    sel = _split(select)
    config = config.with_selection(sel or None, _split(extend), _split(ignore))
    normalizer_for(config)  # unknown codes, bad options: a usage error now, not per file
    return config


# ---------------------------------------------------------------------------- output


class Console:
    """stderr messages with --quiet/--verbose, and stdout for data (as bytes)."""

    def __init__(self, quiet: bool, verbose: bool) -> None:
        self.quiet = quiet
        self.verbose_on = verbose and not quiet
        self.err: TextIO = sys.stderr
        self.out: BinaryIO = _binary(sys.stdout)
        self._progress_line = False

    def error(self, message: str) -> None:
        self.clear_progress()
        print(f"error: {message}", file=self.err)

    def info(self, message: str) -> None:
        if not self.quiet:
            self.clear_progress()
            print(message, file=self.err)

    def verbose(self, message: str) -> None:
        if self.verbose_on:
            self.clear_progress()
            print(message, file=self.err)

    def data(self, payload: bytes | str) -> None:
        self.clear_progress()
        self.out.write(payload.encode("utf-8", "surrogateescape") if isinstance(payload, str)
                       else payload)
        self.out.flush()

    def progress(self, line: str) -> None:
        self.err.write("\r\x1b[K" + line)
        self.err.flush()
        self._progress_line = True

    def clear_progress(self) -> None:
        if self._progress_line:
            self.err.write("\r\x1b[K")
            self.err.flush()
            self._progress_line = False


def _binary(stream: Any) -> BinaryIO:
    """The byte stream under a text stream (stdin/stdout), also under test runners."""
    return stream.buffer if hasattr(stream, "buffer") else stream


class Progress:
    """Files, MB, MB/s and ETA on stderr, only on a terminal and for more than a few files
    (pipes and CI logs stay clean). Redrawn at most ten times a second."""

    def __init__(self, console: Console, total_files: int, total_bytes: int) -> None:
        self.console = console
        self.enabled = (
            not console.quiet and total_files > 5 and _isatty(console.err)
        )
        self.total_files = total_files
        self.total_bytes = max(total_bytes, 1)
        self.files = 0
        self.bytes = 0
        self.start = time.monotonic()
        self.last = 0.0

    def advance(self, nbytes: int) -> None:
        self.files += 1
        self.bytes += nbytes
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.last < 0.1 and self.files < self.total_files:
            return
        self.last = now
        self.console.progress(
            format_progress(self.files, self.total_files, self.bytes, self.total_bytes,
                            now - self.start)
        )

    def done(self) -> None:
        if self.enabled:
            self.console.clear_progress()


def format_progress(files: int, total: int, done_b: int, total_b: int, elapsed: float) -> str:
    """One progress line, e.g. ``[#####-----] 50/100 files  2.0/4.0 MB  1.3 MB/s  ETA 0:02``."""
    width = 20
    frac = min(1.0, done_b / total_b) if total_b else files / max(total, 1)
    bar = "#" * int(frac * width) + "-" * (width - int(frac * width))
    rate = done_b / 1e6 / elapsed if elapsed > 0 else 0.0
    eta = (total_b - done_b) / 1e6 / rate if rate > 0 else 0.0
    return (
        f"[{bar}] {files}/{total} files  {done_b / 1e6:.1f}/{total_b / 1e6:.1f} MB  "
        f"{rate:.1f} MB/s  ETA {int(eta) // 60}:{int(eta) % 60:02d}"
    )


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def unified_diff(path: str, before: str, after: str) -> str:
    """A unified diff (``--- path`` / ``+++ path``), with git's marker for a missing final
    newline so the diff is exact."""
    if before == after:
        return ""
    a, b = before.splitlines(keepends=True), after.splitlines(keepends=True)
    out = []
    for line in difflib.unified_diff(a, b, f"{path} (original)", f"{path} (cleaned)"):
        if not line.endswith(("\n", "\r")):
            line += "\n\\ No newline at end of file\n"
        out.append(line)
    return "".join(out)


def _label(code: str, message: str) -> str:
    """The rule name, or the pass's own message when it says more than the rule summary."""
    rule = _RULES.get(code)
    if rule is None or (message and message != rule.summary):
        return message or code
    return rule.name


_RULES = {r.code: r for r in all_rules()}


def _short(text: str, limit: int = 40) -> str:
    r = repr(text)
    return r if len(r) <= limit else r[: limit - 4] + "...'"


@dataclass
class Tally:
    """What happened, for the closing summary and the exit code."""

    files: int = 0
    changed: int = 0
    errors: int = 0
    changes: int = 0
    findings: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    unit: str = "file"

    def add_counts(self, counts: dict[str, int]) -> None:
        for k, v in counts.items():
            self.counts[k] = self.counts.get(k, 0) + v


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary_line(t: Tally, *, check: bool, dry_run: bool) -> str:
    """The closing line on stderr, e.g. ``3 files: 2 cleaned, 1 unchanged; 10 changes
    (S001 4, S002 6), 2 findings``."""
    verb = "would be cleaned" if (check or dry_run) else "cleaned"
    parts = [f"{t.changed} {verb}", f"{t.files - t.changed - t.errors} unchanged"]
    if t.errors:
        parts.append(_plural(t.errors, "error"))
    top = sorted(t.counts.items(), key=lambda kv: (-kv[1], kv[0]))[:6]
    detail = f" ({', '.join(f'{k} {v}' for k, v in top)}{', ...' if len(t.counts) > 6 else ''})"
    return (
        f"{_plural(t.files, t.unit)}: {', '.join(parts)}; {_plural(t.changes, 'change')}"
        f"{detail if t.counts else ''}, {_plural(t.findings, 'finding')}"
    )


# ---------------------------------------------------------------------------- runs


def _out_path(opts: Options, target: Target) -> Path:
    assert opts.output is not None
    return opts.output / target.rel


def _write_mirror(dest: Path, data: bytes, source: Path | None) -> None:
    """-o DIR: write the mirrored file atomically with the source's permission bits,
    leaving an identical existing file alone (its mtime stays)."""
    try:
        if dest.is_file() and dest.stat().st_size == len(data) and dest.read_bytes() == data:
            return
    except OSError:
        pass
    dest.parent.mkdir(parents=True, exist_ok=True)
    mode = None
    if source is not None:
        try:
            mode = stat.S_IMODE(source.stat().st_mode) | stat.S_IWUSR
        except OSError:
            mode = None
    with AtomicFile(dest, mode=mode, sync_dir=False) as fh:
        fh.write(data)


def _write_output(opts: Options, fr: FileResult, target: Target, data: bytes) -> bool:
    """Write one file's output (runs on a writer thread: fsync releases the GIL, so
    several writes overlap). Returns True when a file was rewritten in place."""
    assert fr.result is not None
    if opts.in_place:
        if not fr.result.changed:
            return False
        with AtomicFile(target.path, sync_dir=False) as fh:
            fh.write(data)
        return True
    assert opts.output is not None
    _write_mirror(_out_path(opts, target), data, target.path)
    return False


@dataclass
class Pending:
    """A cleaned file on its way out: its bytes and the write in flight, if any."""

    fr: FileResult
    target: Target | None
    data: bytes | None = None
    write: Future[bool] | None = None


class Outputs:
    """Writes results in a small thread pool but reports them strictly in input order,
    so output, report and messages are the same whatever the timing. Folders written to
    are fsynced once at the end."""

    WINDOW = 64

    def __init__(self, opts: Options, console: Console, writer: ReportWriter | None,
                 tally: Tally) -> None:
        self.opts, self.console, self.writer, self.tally = opts, console, writer, tally
        self.writes = not opts.check and (opts.in_place or opts.output is not None)
        self.pool: ThreadPoolExecutor | None = None
        if self.writes:  # imported here: `check` and stdout runs never write files
            from concurrent.futures import ThreadPoolExecutor

            self.pool = ThreadPoolExecutor(max_workers=4)
        self.pending: deque[Pending] = deque()
        self.folders: set[Path] = set()

    def add(self, fr: FileResult, target: Target | None) -> None:
        item = Pending(fr, target)
        if fr.ok:
            try:
                item.data = fr.output_bytes(None if self.opts.in_place else "utf-8")
            except InputError as exc:
                item.fr = _write_failed(fr, str(exc))
        if self.pool is not None and item.fr.ok and target is not None:
            assert item.data is not None
            self.folders.add(target.path.parent if self.opts.in_place
                             else _out_path(self.opts, target).parent)
            item.write = self.pool.submit(_write_output, self.opts, item.fr, target, item.data)
        self.pending.append(item)
        while len(self.pending) > self.WINDOW:
            self._finish(self.pending.popleft())

    def close(self) -> None:
        while self.pending:
            self._finish(self.pending.popleft())
        if self.pool is not None:
            self.pool.shutdown()
        for folder in sorted(self.folders):
            fsync_dir(folder)

    def abort(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def _finish(self, item: Pending) -> None:
        fixed = False
        if item.write is not None:
            try:
                fixed = item.write.result()
            except (InputError, OSError) as exc:
                reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
                item.fr, item.data = _write_failed(item.fr, reason), None
        if fixed:
            self.console.info(f"Fixing {item.fr.path}")
        _emit_file(self.opts, self.console, self.writer, self.tally, item.fr, item.data)


def _write_failed(fr: FileResult, reason: str) -> FileResult:
    return FileResult(fr.path, fr.encoding, error=f"{fr.path}: cannot write ({reason})",
                      error_kind="write")


def _emit_file(
    opts: Options,
    console: Console,
    writer: ReportWriter | None,
    tally: Tally,
    fr: FileResult,
    data: bytes | None,
) -> None:
    """Report one processed (and already written) file: stdout, diff, per-change lines,
    report entry, tally."""
    tally.files += 1
    if not fr.ok:
        tally.errors += 1
        console.error(fr.error or f"{fr.path}: failed")
        if writer is not None:
            writer.add(fr.report_entry())
        return
    result = fr.result
    assert result is not None and data is not None
    tally.changed += result.changed
    tally.changes += len(result.changes)
    tally.findings += len(result.findings)
    tally.add_counts(dict(result.counts))
    if opts.stdout_mode and not opts.diff and not opts.check:
        console.data(data)
    if opts.diff:
        console.data(unified_diff(fr.path, result.original, result.text))
    elif opts.check and not opts.quiet:
        lines = [
            f"{fr.path}:{c.line}:{c.column}: {c.rule} [*] {_label(c.rule, c.message)}: "
            f"{_short(c.before)} -> {_short(c.after)}\n"
            for c in result.changes
        ]
        lines += [
            f"{fr.path}:{f.line}:{f.column}: {f.rule} {_label(f.rule, f.message)}: "
            f"{_short(f.text)}\n"
            for f in result.findings
        ]
        if lines:
            console.data("".join(lines))
    if result.changed:
        console.verbose(f"{'would clean' if opts.check else 'cleaned'} {fr.path} "
                        f"({_plural(len(result.changes), 'change')})")
    else:
        console.verbose(f"unchanged {fr.path}")
    if writer is not None:
        texts = (result.original, result.text) if writer.keep_texts else None
        writer.add(fr.report_entry(None if opts.in_place else "utf-8", data), texts)


def _corpus_keys(opts: Options, targets: Sequence[Target], console: Console) -> frozenset[str]:
    """Corpus mode, first pass: decode every document once and collect boilerplate keys
    (files that fail here are reported by the second pass)."""
    from normalize.boilerplate import collect

    def texts() -> Iterator[str]:
        for t in targets:
            if t.error is not None:
                continue
            try:
                yield decode_bytes(read_bytes(t.path), encoding=opts.encoding,
                                   path=str(t.path)).text
            except InputError:
                continue

    keys = collect(texts(), min_docs=opts.min_docs, min_share=opts.min_share)
    console.verbose(f"corpus mode: {_plural(len(keys), 'boilerplate line')} found")
    return keys


def run_files(opts: Options, console: Console, writer: ReportWriter | None) -> Tally:
    tally = Tally()
    if opts.stdin:
        data = _binary(sys.stdin).read()
        from normalize.batch import clean_bytes

        try:
            fr = clean_bytes(data, normalizer_for(opts.config), path="-",
                             encoding=opts.encoding)
        except InputError as exc:
            fr = FileResult("-", error=str(exc), error_kind="read")
        outputs = Outputs(opts, console, writer, tally)
        outputs.add(fr, None)
        outputs.close()
        return tally
    targets = discover(opts.paths, include=opts.include, exclude=opts.exclude)
    if not targets:
        console.info("no files found (folders are searched for --include patterns)")
    boilerplate = _corpus_keys(opts, targets, console) if opts.corpus else frozenset()
    sizes = {}
    progress_on = not opts.quiet and len(targets) > 5 and _isatty(console.err)
    if progress_on:
        for t in targets:
            try:
                sizes[str(t.path)] = t.path.stat().st_size
            except OSError:
                sizes[str(t.path)] = 0
    progress = Progress(console, len(targets), sum(sizes.values()))
    by_path = {str(t.path): t for t in targets}
    outputs = Outputs(opts, console, writer, tally)
    try:
        for fr in run_targets(targets, opts.config, jobs=opts.jobs, encoding=opts.encoding,
                              boilerplate=boilerplate, resolver=opts.resolver):
            outputs.add(fr, by_path.get(fr.path))
            progress.advance(sizes.get(fr.path, 0))
        outputs.close()
    except BaseException:
        outputs.abort()
        raise
    finally:
        progress.done()
    return tally


def run_jsonl(opts: Options, console: Console, writer: ReportWriter | None) -> Tally:
    """--jsonl: stream each input, one record at a time, to stdout, -o or in place."""
    from normalize.jsonl import clean_jsonl

    tally = Tally(unit="record")
    if opts.stdin:
        sources: list[tuple[str, Target | None]] = [("-", None)]
    else:
        targets = discover(opts.paths, include=opts.include or JSONL_INCLUDE,
                           exclude=opts.exclude)
        sources = [(str(t.path), t) for t in targets]
    for name, target in sources:
        if target is not None and target.error is not None:
            tally.files += 1
            tally.errors += 1
            console.error(target.error)
            if writer is not None:
                writer.add(FileResult(name, error=target.error).report_entry())
            continue
        try:
            _run_one_jsonl(opts, console, writer, tally, name, target, clean_jsonl)
        except OSError as exc:
            tally.files += 1
            tally.errors += 1
            console.error(f"{name}: {exc.strerror or exc}")
            if writer is not None:
                writer.add(FileResult(name, error=f"{name}: {exc.strerror or exc}").report_entry())
    return tally


def _run_one_jsonl(
    opts: Options,
    console: Console,
    writer: ReportWriter | None,
    tally: Tally,
    name: str,
    target: Target | None,
    clean_jsonl: Any,
) -> None:
    if target is None:
        source: BinaryIO = _binary(sys.stdin)
        jobs = opts.jobs
    else:
        source = open(target.path, "rb")  # noqa: SIM115 - closed in the finally below
        jobs = opts.jobs if target.path.stat().st_size > (4 << 20) else 1
    sink: AtomicFile | None = None
    out: BinaryIO | None = None
    if not opts.check:
        if opts.in_place and target is not None:
            sink = AtomicFile(target.path)
        elif opts.output is not None and target is not None:
            dest = opts.output / target.rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            sink = AtomicFile(dest, mode=stat.S_IMODE(target.path.stat().st_mode) | stat.S_IWUSR)
        elif opts.stdout_mode and not opts.diff:
            out = console.out
    changed_any = False
    try:
        if sink is not None:
            out = sink.__enter__()
        header = f"--- {name} (original)\n+++ {name} (cleaned)\n"
        for rec in clean_jsonl(source, opts.fields, opts.config, id_field=opts.id_field,
                               attach_changes=opts.attach_changes, source=name, jobs=jobs):
            if out is not None:
                out.write(rec.output)
            if rec.blank:
                continue
            tally.files += 1
            if rec.error is not None:
                tally.errors += 1
                console.error(f"{name}: {rec.error}")
            if rec.changed:
                changed_any = True
                tally.changed += 1
                if opts.diff:
                    console.data(_jsonl_hunk(header, rec.line, rec.original or b"", rec.output))
                    header = ""
            for e in rec.entries:
                if e["error"] is None:
                    tally.changes += len(e["changes"])
                    tally.findings += len(e["findings"])
                    tally.add_counts(e["counts"])
            if writer is not None:
                listed = rec.listed
                for e in rec.entries:
                    writer.add(e, listed=any(e is x for x in listed))
        if sink is not None:
            if opts.in_place and not changed_any and not opts.attach_changes:
                sink.discard()
            elif opts.in_place:
                console.info(f"Fixing {name}")
    except BaseException as exc:
        if sink is not None:
            sink.__exit__(type(exc), exc, None)
            sink = None
        raise
    finally:
        if target is not None:
            source.close()
        if sink is not None:
            sink.__exit__(None, None, None)
        if out is console.out:
            out.flush()


def _jsonl_hunk(header: str, line: int, before: bytes, after: bytes) -> bytes:
    """A one-line unified-diff hunk for a changed record."""
    def body(raw: bytes) -> bytes:
        return raw.rstrip(b"\r\n") + b"\n"

    return (f"{header}@@ -{line} +{line} @@\n".encode() + b"-" + body(before)
            + b"+" + body(after))


# ---------------------------------------------------------------------------- commands


def _run(opts: Options) -> int:
    console = Console(opts.quiet, opts.verbose)
    if opts.config_source:
        console.verbose(f"config: {opts.config_source}")
    writer = None
    if opts.report is not None:
        from normalize.report import ReportWriter, format_for

        writer = ReportWriter(opts.report, format_for(opts.report, opts.report_format),
                              opts.config.hash)
    try:
        tally = (run_jsonl if opts.jsonl else run_files)(opts, console, writer)
    except BaseException:
        if writer is not None:
            writer.abort()
        raise
    if writer is not None:
        written = writer.close()
        console.verbose(f"report: {written}")
    dry_run = not (opts.check or opts.in_place or opts.output or opts.stdout_mode)
    console.info(summary_line(tally, check=opts.check, dry_run=dry_run))
    if tally.errors:
        return EXIT_ERROR
    if tally.changed and (opts.check or opts.exit_non_zero_on_fix):
        return EXIT_CHANGES
    return EXIT_OK


def _build_options(ctx_args: dict[str, Any], *, check: bool) -> Options:
    paths: list[str] = ctx_args["paths"]
    stdin = paths == ["-"]
    if "-" in paths and not stdin:
        raise Usage("'-' (stdin) cannot be combined with other paths")
    output: Path | None = ctx_args.get("output")
    in_place: bool = ctx_args.get("in_place", False)
    if output is not None and in_place:
        raise Usage("--in-place and -o/--output cannot be used together")
    if stdin and (output is not None or in_place):
        raise Usage("stdin ('-') is written to stdout; -o and --in-place need files")
    if stdin and ctx_args["corpus"]:
        raise Usage("--boilerplate-from-corpus needs files (it reads the batch twice)")
    if ctx_args["corpus"] and ctx_args["jsonl"]:
        raise Usage("--boilerplate-from-corpus is not available with --jsonl")
    fields = tuple(_split(ctx_args["field"])) or ("text",)
    if not ctx_args["jsonl"] and (ctx_args["field"] or ctx_args["id_field"]
                                  or ctx_args["attach_changes"]):
        raise Usage("--field, --id-field and --attach-changes need --jsonl")
    single_file = len(paths) == 1 and (stdin or Path(paths[0]).is_file())
    stdout_mode = not check and output is None and not in_place and single_file
    if (not check and output is None and not in_place and not single_file
            and not ctx_args["diff"] and ctx_args["report"] is None):
        raise Usage(
            "several files need -o DIR or --in-place (or --diff/--report for a dry run; "
            "`mtnorm check` to only check)"
        )
    if output is not None:
        check_output_dir(output, paths)
    config = _resolve_config(paths, ctx_args["config"], ctx_args["select"],
                             ctx_args["extend_select"], ctx_args["ignore"])
    # Without --config, each file of a batch takes the config file nearest to it.
    resolver = None if ctx_args["config"] is not None else ConfigResolver(
        base=config,
        select=tuple(_split(ctx_args["select"])) or None,
        extend_select=tuple(_split(ctx_args["extend_select"])),
        ignore=tuple(_split(ctx_args["ignore"])),
    )
    rf = ctx_args["report_format"]
    return Options(
        paths=paths,
        check=check,
        config=config,
        resolver=resolver,
        config_source=config.source,
        encoding=ctx_args["encoding"],
        jobs=ctx_args["jobs"] or default_jobs(),
        include=tuple(ctx_args["include"]) if ctx_args["include"] else None,
        exclude=tuple(ctx_args["exclude"] or ()),
        jsonl=ctx_args["jsonl"],
        fields=fields,
        id_field=ctx_args["id_field"],
        attach_changes=ctx_args["attach_changes"],
        corpus=ctx_args["corpus"],
        min_docs=ctx_args["min_docs"],
        min_share=ctx_args["min_share"],
        report=ctx_args["report"],
        report_format=rf.value if rf is not None else None,
        diff=ctx_args["diff"],
        quiet=ctx_args["quiet"],
        verbose=ctx_args["verbose"],
        output=output,
        in_place=in_place,
        exit_non_zero_on_fix=ctx_args.get("exit_non_zero_on_fix", False),
        stdout_mode=stdout_mode,
        stdin=stdin,
    )


def _guarded(args: dict[str, Any], *, check: bool) -> None:
    """Run a clean/check command and turn every expected failure into exit code 2."""
    # --no-cache goes through the environment so --jobs workers see it too; restored
    # after the run, so a program calling the CLI in-process keeps its own setting.
    saved = os.environ.get("MTNORM_NO_CACHE")
    if args.get("no_cache"):
        os.environ["MTNORM_NO_CACHE"] = "1"
    try:
        code = _run(_build_options(args, check=check))
    except Usage as exc:
        print(f"error: {exc}", file=sys.stderr)
        code = EXIT_ERROR
    except NormalizeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        code = EXIT_ERROR
    except KeyboardInterrupt:
        print("\ninterrupted; no file was left half-written", file=sys.stderr)
        code = EXIT_INTERRUPTED
    except BrokenPipeError:
        # `mtnorm clean big.txt | head`: the reader left; that is not an error of ours.
        _silence_stdout()
        code = EXIT_OK
    except OSError as exc:
        print(f"error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        code = EXIT_ERROR
    finally:
        if saved is None:
            os.environ.pop("MTNORM_NO_CACHE", None)
        else:
            os.environ["MTNORM_NO_CACHE"] = saved
    raise typer.Exit(code)


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


@app.command()
def clean(
    paths: PathsArg,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write cleaned files to this folder, mirroring "
                     "the input tree (UTF-8)."),
    ] = None,
    in_place: Annotated[
        bool,
        typer.Option("--in-place", "-i", help="Rewrite changed files atomically, keeping "
                     "their encoding, BOM, line endings and permissions."),
    ] = False,
    exit_non_zero_on_fix: Annotated[
        bool, typer.Option("--exit-non-zero-on-fix", help="Exit 1 when a file was changed.")
    ] = False,
    config: ConfigOpt = None,
    select: SelectOpt = None,
    extend_select: ExtendOpt = None,
    ignore: IgnoreOpt = None,
    encoding: EncodingOpt = None,
    jobs: JobsOpt = None,
    include: IncludeOpt = None,
    exclude: ExcludeOpt = None,
    jsonl: JsonlOpt = False,
    field: FieldOpt = None,
    id_field: IdFieldOpt = None,
    attach_changes: AttachOpt = False,
    corpus: CorpusOpt = False,
    min_docs: MinDocsOpt = 20,
    min_share: MinShareOpt = 0.5,
    report: ReportOpt = None,
    report_format: ReportFormatOpt = None,
    diff: DiffOpt = False,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
    no_cache: NoCacheOpt = False,
) -> None:
    """Clean files: one file (or '-') to stdout, a batch with -o DIR or --in-place.

    Exit 0 when done, 2 when an input could not be processed (the rest still are).
    """
    _guarded(dict(locals()), check=False)


@app.command()
def check(
    paths: PathsArg,
    config: ConfigOpt = None,
    select: SelectOpt = None,
    extend_select: ExtendOpt = None,
    ignore: IgnoreOpt = None,
    encoding: EncodingOpt = None,
    jobs: JobsOpt = None,
    include: IncludeOpt = None,
    exclude: ExcludeOpt = None,
    jsonl: JsonlOpt = False,
    field: FieldOpt = None,
    id_field: IdFieldOpt = None,
    attach_changes: AttachOpt = False,
    corpus: CorpusOpt = False,
    min_docs: MinDocsOpt = 20,
    min_share: MinShareOpt = 0.5,
    report: ReportOpt = None,
    report_format: ReportFormatOpt = None,
    diff: DiffOpt = False,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
    no_cache: NoCacheOpt = False,
) -> None:
    """Report what `clean` would change, writing nothing.

    Prints one line per change and finding (or a diff with --diff). Exit 1 when anything
    would change, 2 on input errors, else 0.
    """
    _guarded(dict(locals()), check=True)


@app.command("rules")
def rules_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """List every rule: code, name, on/off by default, and what it does."""
    rules = all_rules()
    if as_json:
        import json

        payload = [
            {"code": r.code, "name": r.name, "pass": r.pass_name, "default": r.default,
             "kind": r.kind, "summary": r.summary}
            for r in rules
        ]
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    w_name = max((len(r.name) for r in rules), default=4)
    typer.echo(f"{'CODE':<6} {'NAME':<{w_name}} {'DEFAULT':<7} SUMMARY")
    for r in rules:
        default = "on" if r.default else "off"
        kind = " (report only)" if r.kind == "finding" else ""
        typer.echo(f"{r.code:<6} {r.name:<{w_name}} {default:<7} {r.summary}{kind}")


@app.command("rule")
def rule_cmd(
    code: Annotated[str, typer.Argument(help="Rule code, e.g. S001, or its name.")],
) -> None:
    """Explain one rule, with examples."""
    wanted = code.strip()
    for r in all_rules():
        if r.code.upper() == wanted.upper() or r.name == wanted:
            break
    else:
        print(f"error: unknown rule '{code}'; `mtnorm rules` lists them", file=sys.stderr)
        raise typer.Exit(EXIT_ERROR)
    state = "on by default" if r.default else "off by default (opt-in)"
    kind = "fixes text" if r.kind == "fix" else "reports only (never changes text)"
    lines = [f"{r.code} {r.name}", "", f"Pass: {r.pass_name}; {state}; {kind}.", "",
             r.summary, ""]
    if r.explanation:
        lines += [r.explanation, ""]
    if r.examples:
        lines.append("Examples:")
        for before, after in r.examples:
            lines.append(f"  input:  {before!r}")
            lines.append(f"  output: {after!r}")
            lines.append("")
    typer.echo("\n".join(lines).rstrip("\n"))


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"mtnorm {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version_callback, is_eager=True,
                     help="Show the version and exit."),
    ] = False,
) -> None:
    """mt-normalize: clean machine-translated English, with a replayable change report."""


def _mount_glossary() -> None:
    """``mtnorm glossary`` belongs to the glossary module; mount it when importable."""
    try:
        from normalize.cli_glossary import app as glossary_app
    except ImportError:  # pragma: no cover - glossary support missing from this build
        return
    app.add_typer(glossary_app, name="glossary")


_mount_glossary()


def main(argv: Iterable[str] | None = None) -> None:
    """Console-script entry point (``mtnorm``)."""
    app(args=list(argv) if argv is not None else None, prog_name="mtnorm")
