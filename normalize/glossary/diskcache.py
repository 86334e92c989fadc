"""A persistent cache of compiled glossaries, so that a short run skips lint and compile.

Loading, linting and compiling the shipped glossary costs tens of milliseconds, a real
share of a one-file ``mtnorm check`` (the pre-commit case); unpickling the compiled
matcher costs a few. An entry is written only after the glossary passed lint, so a hit
also stands for "this content lints clean".

A small index entry per list of glossary paths records the files that loading them read
(layers and place lists) and the resulting digest: when those files still have the same
bytes, the digest is known without parsing any TOML (:func:`lookup_digest`).

Key: the glossary's content hash (every layered file and place list), the fuzzy switch,
the mt-normalize version, a hash of this package's source (an editable install changes
code without changing the version), the Python version and the identity of pyahocorasick
and rapidfuzz (the pickled automata are theirs). The key is also stored inside the entry
and checked on load.

Location: ``$MTNORM_CACHE_DIR``, else the user cache folder (``$XDG_CACHE_HOME/mt-normalize``
or ``~/.cache/mt-normalize``; ``~/Library/Caches/mt-normalize`` on macOS,
``%LOCALAPPDATA%\\mt-normalize\\Cache`` on Windows). ``MTNORM_NO_CACHE=1`` turns it off.
Only the :data:`MAX_ENTRIES` most recently used entries are kept.

Writes are atomic (a temporary file in the same folder, then ``os.replace``), so parallel
processes (``--jobs`` workers, parallel pre-commit hooks) never see a partial entry.
The cache is an optimisation only: any failure to read or write it (read-only home,
corrupt or foreign file, another library version) silently falls back to compiling.
Entries are pickles, so on POSIX an entry is only loaded when it and its folder belong
to the current user and are not writable by anyone else.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

#: Bump when the layout of an entry changes.
FORMAT = "mtnorm-glossary-cache-1"
#: Entries kept (each is ~0.5 MB for the shipped glossary); older ones are deleted.
MAX_ENTRIES = 16
#: Temporary files older than this (seconds) are left-overs of a killed process.
STALE_TMP = 600.0
#: Index entries kept (a few hundred bytes each).
MAX_INDEX = 64
SUBDIR = "glossary"
SUFFIX = ".pickle"
INDEX_SUFFIX = ".index"

_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by mt-normalize.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)
_OFF = {"", "0", "false", "no", "off"}


def enabled() -> bool:
    """False when ``MTNORM_NO_CACHE`` is set to anything but 0/false/no/off."""
    return os.environ.get("MTNORM_NO_CACHE", "").strip().lower() in _OFF


def cache_dir() -> Path | None:
    """The cache folder (not created here), or None when no location can be found."""
    explicit = os.environ.get("MTNORM_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    try:
        if sys.platform == "win32":
            local = os.environ.get("LOCALAPPDATA")
            return Path(local) / "mt-normalize" / "Cache" if local else None
        if sys.platform == "darwin":
            return Path.home() / "Library" / "Caches" / "mt-normalize"
        xdg = os.environ.get("XDG_CACHE_HOME", "")
        base = Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache"
        return base / "mt-normalize"
    except RuntimeError:  # no home directory
        return None


@functools.cache
def _environment() -> bytes:
    """Everything besides the glossary that a pickled entry depends on."""
    import ahocorasick
    import rapidfuzz

    import normalize

    parts = [
        FORMAT,
        str(getattr(normalize, "__version__", "")),
        sys.version,
        sys.implementation.cache_tag or "",
        str(pickle.HIGHEST_PROTOCOL),
        str(getattr(rapidfuzz, "__version__", "")),
        _file_identity(getattr(ahocorasick, "__file__", None)),
        _source_hash(),
    ]
    return "\0".join(parts).encode("utf-8", "surrogateescape")


def _file_identity(path: str | None) -> str:
    """A compiled extension module changes path, size or mtime when it is reinstalled
    (pyahocorasick has no ``__version__``)."""
    if not path:
        return ""
    try:
        st = os.stat(path)
    except OSError:
        return path
    return f"{path}:{st.st_size}:{st.st_mtime_ns}"


def _source_hash() -> str:
    """The source of this package: what compiles and lints a glossary."""
    h = hashlib.sha256()
    for path in sorted(Path(__file__).resolve().parent.glob("*.py")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def key(digest: str, fuzzy: bool) -> str:
    """The entry name for a glossary content hash and fuzzy switch."""
    h = hashlib.sha256(_environment())
    h.update(b"\0" + digest.encode() + (b"\0fuzzy" if fuzzy else b"\0exact"))
    return h.hexdigest()


def _read(name: str) -> Any | None:
    """The payload stored under ``name`` (its embedded name checked), or None."""
    root = cache_dir()
    if root is None:
        return None
    path = root / SUBDIR / name
    try:
        with open(path, "rb") as fh:
            if not _trusted(os.fstat(fh.fileno())) or not _trusted(os.stat(path.parent)):
                return None
            data = fh.read()
    except FileNotFoundError:
        return None
    stored_name, obj = pickle.loads(data)
    if stored_name != name:
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # most recently used: kept longest
    return obj


def _trusted(st: os.stat_result) -> bool:
    """Whether a cache file or folder can only have been written by this user: entries
    are pickles, and unpickling runs code, so one planted by someone else in a shared
    or badly permissioned folder must never be loaded. (POSIX owners and mode bits;
    elsewhere the folder's ACLs are the user's own profile's.)"""
    if not hasattr(os, "getuid"):
        return True
    return st.st_uid == os.getuid() and not st.st_mode & 0o022


def load(digest: str, fuzzy: bool, expect: type) -> Any | None:
    """The cached object of type ``expect``, or None (miss, disabled, or any failure)."""
    if not digest or not enabled():
        return None
    try:
        obj = _read(key(digest, fuzzy) + SUFFIX)
        return obj if type(obj) is expect else None
    except Exception:  # an optimisation only: never fail a run because of the cache
        return None


def _index_name(paths: Sequence[Path]) -> str:
    h = hashlib.sha256(_environment())
    for p in paths:
        h.update(b"\0index\0" + os.fsencode(p))
    return h.hexdigest() + INDEX_SUFFIX


def lookup_digest(paths: Sequence[Path]) -> str | None:
    """The digest :func:`~normalize.glossary.loader.load_layers` would give ``paths``, read
    from the index when every file it read then has the same bytes now; else None."""
    if not enabled():
        return None
    try:
        from normalize.glossary.loader import digest_of

        found = _read(_index_name(paths))
        if found is None:
            return None
        digest, sources = found
        if not isinstance(digest, str) or not sources:
            return None
        if digest_of(Path(s).read_bytes() for s in sources) != digest:
            return None  # a file changed: load it
        return digest
    except Exception:
        return None


def store_index(paths: Sequence[Path], sources: Sequence[Path], digest: str) -> None:
    """Record which files loading ``paths`` read and their digest. Never raises."""
    if not digest or not sources or not enabled():
        return
    try:
        name = _index_name(paths)
        payload = (digest, [os.fspath(s) for s in sources])
        _write(name, pickle.dumps((name, payload), protocol=pickle.HIGHEST_PROTOCOL))
    except Exception:
        pass


def dumps(digest: str, fuzzy: bool, obj: object) -> bytes | None:
    """An entry for ``obj``, or None when caching is off or ``obj`` cannot be pickled.

    Take it right after construction, before ``obj`` is shared or used: its memo tables
    are still empty then, and no other thread can change it while it is pickled.
    """
    if not digest or not enabled() or cache_dir() is None:
        return None
    try:
        name = key(digest, fuzzy) + SUFFIX
        return pickle.dumps((name, obj), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:
        return None


def store(digest: str, fuzzy: bool, blob: bytes | None) -> None:
    """Write an entry from :func:`dumps` atomically, then trim the cache. Never raises."""
    if blob is None or not enabled():
        return
    with contextlib.suppress(Exception):
        _write(key(digest, fuzzy) + SUFFIX, blob)


def _write(name: str, blob: bytes) -> None:
    """Write ``blob`` as ``name`` atomically (a temporary file, then ``os.replace``), then
    trim the folder."""
    root = cache_dir()
    if root is None:
        return
    folder = root / SUBDIR
    if not folder.is_dir():
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        _tag(root)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=SUFFIX, dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(blob)
        os.replace(tmp, folder / name)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _trim(folder)


def _tag(root: Path) -> None:
    """CACHEDIR.TAG, so that backup tools skip the folder."""
    tag = root / "CACHEDIR.TAG"
    if not tag.exists():
        with contextlib.suppress(OSError):
            tag.write_text(_TAG, encoding="ascii")


def _trim(folder: Path) -> None:
    """Keep the :data:`MAX_ENTRIES` most recently used entries (and :data:`MAX_INDEX`
    index entries); delete stale temporaries. Races with other processes trimming too
    are harmless (a file already gone is fine)."""
    entries: list[tuple[float, Path]] = []
    indexes: list[tuple[float, Path]] = []
    now = time.time()
    for path in folder.iterdir():
        name = path.name
        if not name.endswith((SUFFIX, INDEX_SUFFIX)):
            continue
        try:
            mtime = path.stat().st_mtime
        except OSError:
            continue
        if name.startswith(".tmp-"):
            if now - mtime > STALE_TMP:
                _unlink(path)
            continue
        (entries if name.endswith(SUFFIX) else indexes).append((mtime, path))
    for found, keep in ((entries, MAX_ENTRIES), (indexes, MAX_INDEX)):
        found.sort(reverse=True)
        for _, path in found[keep:]:
            _unlink(path)


def _unlink(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()
