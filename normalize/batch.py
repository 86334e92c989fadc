"""Batches of files: discovery, the per-file library API, and an ordered process pool.

Discovery follows ruff's conventions so nothing surprises: files named on the command
line are always processed; folders are walked recursively with ``include`` patterns
(default: common text extensions) and ``exclude`` patterns, hidden files and folders
skipped, symlinks followed with loop detection; globs are expanded. The list is sorted
per argument, so runs are deterministic.

Workers are plain processes that build one :class:`~normalize.engine.Normalizer` in their
initializer and then clean many files. Results come back in submission order through a
bounded window, so ``--jobs 2`` gives byte-identical output to ``--jobs 1`` and memory does
not grow with the batch size; ``jobs == 1`` runs everything in-process with the very same
functions.
"""

from __future__ import annotations

import fnmatch
import glob
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from normalize.config import Config, ConfigResolver
from normalize.engine import Normalizer, Result, normalizer_for
from normalize.errors import BinaryInputError, ConfigError, DecodeError, InputError
from normalize.io import decode_bytes, encode_text, read_bytes, sha256_bytes

DEFAULT_INCLUDE: tuple[str, ...] = ("*.txt", "*.text", "*.md", "*.markdown", "*.rst")
_GLOB_MAGIC = frozenset("*?[")

T = TypeVar("T")
R = TypeVar("R")


# ---------------------------------------------------------------------------- discovery


@dataclass(frozen=True, slots=True)
class Target:
    """One input file: where it is, where its mirror goes under ``-o``, or why it failed."""

    path: Path
    rel: Path
    error: str | None = None


class UsageError(InputError):
    """A batch request that cannot be run at all (e.g. output folder inside an input)."""


def _matches(rel: str, name: str, patterns: Iterable[str]) -> bool:
    """A pattern with a '/' matches the path relative to its root, one without matches
    the name, as in .gitignore."""
    return any(fnmatch.fnmatch(rel if "/" in p else name, p) for p in patterns)


def _walk(root: Path, include: Sequence[str], exclude: Sequence[str]) -> Iterator[Path]:
    """Files under ``root``, sorted, following symlinks but never entering a folder twice
    (a symlink loop would otherwise recurse forever)."""
    seen: set[tuple[int, int]] = set()
    try:
        st = root.stat()
        seen.add((st.st_dev, st.st_ino))
    except OSError:
        return
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        base = Path(dirpath)
        keep = []
        for d in sorted(dirnames):
            rel = (base / d).relative_to(root).as_posix()
            if d.startswith(".") or _matches(rel, d, exclude):
                continue
            try:
                st = (base / d).stat()
            except OSError:
                continue
            key = (st.st_dev, st.st_ino)
            if key in seen:
                continue
            seen.add(key)
            keep.append(d)
        dirnames[:] = keep
        for f in sorted(filenames):
            if f.startswith("."):
                continue
            full = base / f
            rel = full.relative_to(root).as_posix()
            if not _matches(rel, f, include) or _matches(rel, f, exclude):
                continue
            if full.is_file():  # skips dangling symlinks, sockets, fifos
                yield full


def discover(
    paths: Sequence[str | Path],
    *,
    include: Sequence[str] | None = None,
    exclude: Sequence[str] = (),
) -> list[Target]:
    """Resolve command-line inputs to a deterministic, de-duplicated list of targets.

    A missing path or a glob without matches becomes a target with ``error`` set, so the
    batch reports it and carries on. ``rel`` is the path relative to the common folder of
    all inputs, which is what ``-o DIR`` mirrors.
    """
    include = tuple(include) if include else DEFAULT_INCLUDE
    found: list[tuple[Path, str | None]] = []
    roots: list[Path] = []
    for raw in paths:
        arg = Path(raw)
        text = str(raw)
        if arg.is_dir():
            roots.append(arg)
            found.extend((p, None) for p in _walk(arg, include, exclude))
        elif arg.exists() or arg.is_symlink():
            roots.append(arg.parent)
            found.append((arg, None))
        elif _GLOB_MAGIC & set(text):
            matches = sorted(glob.glob(text, recursive=True))
            if not matches:
                found.append((arg, f"{text}: no files match this pattern"))
            for m in matches:
                mp = Path(m)
                if mp.is_dir():
                    roots.append(mp)
                    found.extend((p, None) for p in _walk(mp, include, exclude))
                elif mp.is_file():
                    roots.append(mp.parent)
                    found.append((mp, None))
        else:
            found.append((arg, f"{text}: no such file or directory"))
    base = _common_base(roots)
    targets: list[Target] = []
    seen: set[tuple[int, int]] = set()
    for path, error in found:
        if error is None:
            try:
                st = path.stat()
            except OSError:
                st = None
            if st is not None:
                key = (st.st_dev, st.st_ino)
                if key in seen:
                    continue
                seen.add(key)
        targets.append(Target(path, _relative(path, base), error))
    return targets


def _common_base(roots: Sequence[Path]) -> Path:
    if not roots:
        return Path.cwd()
    absolute = [os.path.abspath(r) for r in roots]
    return Path(os.path.commonpath(absolute))


def _relative(path: Path, base: Path) -> Path:
    rel = os.path.relpath(os.path.abspath(path), base)
    return Path(path.name) if rel.startswith("..") else Path(rel)


def check_output_dir(out_dir: Path, paths: Sequence[str | Path]) -> None:
    """Refuse an output folder inside (or equal to) an input folder: the next run would
    clean its own output, and the mirrored tree would nest forever."""
    out = Path(os.path.realpath(out_dir))
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"output {out_dir} exists and is not a folder")
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            src = Path(os.path.realpath(p))
            if out == src or src in out.parents:
                raise UsageError(
                    f"output folder {out_dir} is inside input folder {raw}; "
                    "choose an output folder outside the inputs"
                )


# ---------------------------------------------------------------------------- results


@dataclass(slots=True)
class FileResult:
    """The outcome for one file: a :class:`Result` with its encoding and input digest, or
    an ``error`` (``error_kind`` is 'binary', 'decode', 'read' or 'internal')."""

    path: str
    encoding: str | None = None
    input_sha256: str | None = None
    result: Result | None = None
    error: str | None = None
    error_kind: str | None = None
    config_hash: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def changed(self) -> bool:
        return self.result is not None and self.result.changed

    def output_bytes(self, encoding: str | None = "utf-8") -> bytes:
        """The cleaned document as bytes: UTF-8 by default, ``None`` = the file's own
        encoding (what ``--in-place`` writes)."""
        assert self.result is not None, "no output for a failed file"
        codec = encoding or self.encoding or "utf-8"
        return encode_text(self.result.text, codec, path=self.path)

    def report_entry(
        self, output_encoding: str | None = "utf-8", output: bytes | None = None
    ) -> dict[str, Any]:
        """This file's ``files[]`` item of the report (see :mod:`normalize.report`)."""
        from normalize.report import file_entry  # only runs with a report load it

        if self.result is None:
            return file_entry(self.path, encoding=self.encoding, error=self.error or "failed")
        data = output if output is not None else self.output_bytes(output_encoding)
        return file_entry(
            self.path,
            encoding=self.encoding,
            input_sha256=self.input_sha256,
            output_sha256=sha256_bytes(data),
            changed=self.result.changed,
            counts=self.result.counts,
            changes=self.result.changes,
            findings=self.result.findings,
            config_hash=self.config_hash,
        )


def clean_bytes(
    data: bytes,
    normalizer: Normalizer,
    *,
    path: str = "<stdin>",
    encoding: str | None = None,
    boilerplate: frozenset[str] = frozenset(),
) -> FileResult:
    """Decode and clean one document; raises :class:`InputError` subclasses."""
    decoded = decode_bytes(data, encoding=encoding, path=path)
    result = normalizer.clean(decoded.text, path=path, boilerplate=boilerplate)
    return FileResult(
        path, decoded.encoding, decoded.sha256, result, config_hash=normalizer.config.hash
    )


def clean_file(
    path: str | Path,
    config: Config | None = None,
    *,
    normalizer: Normalizer | None = None,
    encoding: str | None = None,
    boilerplate: frozenset[str] = frozenset(),
) -> FileResult:
    """Read, decode and clean one file (library API; nothing is written).

    Raises :class:`~normalize.errors.InputError` (binary, undecodable, unreadable).

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = p.write_text("high -quality work\\n")
    >>> clean_file(p).result.text
    'high-quality work\\n'
    """
    norm = normalizer or Normalizer(config)
    p = Path(path)
    return clean_bytes(
        read_bytes(p), norm, path=str(path), encoding=encoding, boilerplate=boilerplate
    )


def _failed(path: str, exc: BaseException) -> FileResult:
    if isinstance(exc, ConfigError):  # a broken config file in this file's folder
        return FileResult(path, error=f"{path}: {exc}", error_kind="config")
    if isinstance(exc, BinaryInputError):
        kind = "binary"
    elif isinstance(exc, DecodeError):
        kind = "decode"
    elif isinstance(exc, InputError):
        kind = "read"
    else:
        return FileResult(
            path, error=f"{path}: internal error ({type(exc).__name__}: {exc})",
            error_kind="internal",
        )
    return FileResult(path, error=str(exc), error_kind=kind)


# Per-process state of a worker: built once by the pool initializer.
_STATE: dict[str, Any] = {}
def init_worker(
    config: Config,
    encoding: str | None = None,
    boilerplate: frozenset[str] = frozenset(),
    resolver: ConfigResolver | None = None,
) -> None:
    """Pool initializer: compile the pipeline once per worker process (and, with a
    ``resolver``, once per distinct folder config, on first use)."""
    _STATE["normalizer"] = normalizer_for(config)
    _STATE["encoding"] = encoding
    _STATE["boilerplate"] = boilerplate
    _STATE["resolver"] = resolver


def process_paths(paths: Sequence[tuple[str, str | None]]) -> list[FileResult]:
    """Worker task: clean a chunk of files, given as (path, discovery error or None).
    Never raises for a bad file: the batch goes on and the error is reported with the
    file's name."""
    resolver: ConfigResolver | None = _STATE.get("resolver")
    out = []
    for path, error in paths:
        if error is not None:
            out.append(FileResult(path, error=error, error_kind="read"))
            continue
        try:
            norm: Normalizer = (
                normalizer_for(resolver.for_path(path)) if resolver else _STATE["normalizer"]
            )
            out.append(
                clean_bytes(
                    read_bytes(Path(path)),
                    norm,
                    path=path,
                    encoding=_STATE["encoding"],
                    boilerplate=_STATE["boilerplate"],
                )
            )
        except Exception as exc:  # one bad file never stops the batch
            out.append(_failed(path, exc))
    return out


def default_jobs() -> int:
    """CPU count available to this process (respecting affinity masks in containers)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def ordered_map(
    fn: Callable[[T], R],
    items: Iterable[T],
    *,
    jobs: int,
    initializer: Callable[..., None],
    initargs: tuple[Any, ...] = (),
    window: int | None = None,
) -> Iterator[R]:
    """``map(fn, items)`` over ``jobs`` worker processes, results in input order.

    At most ``window`` tasks are in flight, so a lazy ``items`` (a multi-GB JSON Lines
    file) is read only as fast as results are consumed: memory stays flat, unlike
    ``Pool.imap`` which drains its input eagerly. ``jobs <= 1`` runs in-process.
    """
    if jobs <= 1:
        initializer(*initargs)
        for item in items:
            yield fn(item)
        return
    # Imported here: the process pool costs ~20 ms of start-up that a one-file run
    # (the pre-commit case) never needs.
    from concurrent.futures import Future, ProcessPoolExecutor

    window = window or jobs * 4
    pending: deque[Future[R]] = deque()
    with ProcessPoolExecutor(
        max_workers=jobs, initializer=initializer, initargs=initargs
    ) as pool:
        try:
            for item in items:
                pending.append(pool.submit(fn, item))
                if len(pending) >= window:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        except BaseException:
            for fut in pending:
                fut.cancel()
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of up to ``size`` items (tasks small enough to balance, big
    enough that pickling overhead does not dominate)."""
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def clean_files(
    paths: Sequence[str | Path],
    config: Config | None = None,
    *,
    jobs: int = 1,
    include: Sequence[str] | None = None,
    exclude: Sequence[str] = (),
    encoding: str | None = None,
    boilerplate: frozenset[str] = frozenset(),
) -> Iterator[FileResult]:
    """Clean every file found under ``paths`` (files, folders, globs), yielding one
    :class:`FileResult` per file in a deterministic order. Failures are yielded with
    ``error`` set rather than raised, so one bad file does not end the iteration.
    """
    targets = discover(paths, include=include, exclude=exclude)
    yield from run_targets(
        targets, config or Config(), jobs=jobs, encoding=encoding, boilerplate=boilerplate
    )


def run_targets(
    targets: Sequence[Target],
    config: Config,
    *,
    jobs: int = 1,
    encoding: str | None = None,
    boilerplate: frozenset[str] = frozenset(),
    chunk: int = 8,
    resolver: ConfigResolver | None = None,
) -> Iterator[FileResult]:
    """Clean discovered targets in order (the engine of both ``clean_files`` and the CLI).

    With a ``resolver`` each file gets the config of its own folder (``config`` is then
    only the fallback); a bad config file fails the files under it, not the batch.
    """
    normalizer_for(config)  # fail fast (ConfigError) in the caller, not in every worker
    jobs = max(1, min(jobs, len(targets) // chunk + 1))
    tasks = (
        [(str(t.path), t.error) for t in group] for group in chunked(targets, chunk)
    )
    for group in ordered_map(
        process_paths,
        tasks,
        jobs=jobs,
        initializer=init_worker,
        initargs=(config, encoding, boilerplate, resolver),
    ):
        yield from group
