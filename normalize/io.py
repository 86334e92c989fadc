"""Reading and writing documents as bytes: decoding, encoding detection, atomic writes.

The engine works on ``str``; everything about bytes lives here so the CLI, the batch
runner and the library file API agree on one set of rules:

* A byte-order mark selects UTF-32/UTF-16/UTF-8 and is KEPT as ``U+FEFF`` at the start of
  the text. The engine preserves it (rule L007 removes it when asked), so writing the text
  back in the same codec reproduces the BOM bytes and an unchanged file round-trips byte
  for byte.
* Without a BOM, NUL bytes mean binary (:class:`BinaryInputError`): text files in the
  encodings we accept never contain them, and cleaning an image would destroy it.
* Strict UTF-8 is tried first. Mainland Chinese sites still serve GB18030/GBK, so a file
  that is not UTF-8 but decodes as GB18030 into mostly common (GB2312) characters is taken
  as GB18030; otherwise charset-normalizer is asked, and only a Chinese-family guess is
  accepted. Anything else is a :class:`DecodeError` that names the file, the bad byte and
  suggests ``--encoding`` — silently decoding Latin-1 as GBK would corrupt the text.
* Writes are atomic: a temp file in the destination folder, fsync, ``os.replace``; the
  temp file is removed on any failure (including Ctrl-C), so a destination is either the
  old file or the complete new one, never a partial write.
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import regex

from normalize.errors import BinaryInputError, DecodeError, InputError

# Longest first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# charset-normalizer guesses we accept without --encoding, mapped to the codec we use
# (GB18030 is a superset of GBK and GB2312, so decoding with it never loses a character).
_CHINESE_GUESSES = {
    "gb18030": "gb18030",
    "gbk": "gb18030",
    "gb2312": "gb18030",
    "hz": "hz",
    "big5": "big5",
    "big5hkscs": "big5hkscs",
}
_ASCII_RUNS = regex.compile(rb"[\x00-\x7f]+")
# Share of non-ASCII characters that must be common (GB2312) Chinese for a GB18030
# decode to be believed; Latin-1 prose decoded as GBK lands in the rare extension area.
_GB_COMMON_SHARE = 0.95
_DETECT_BYTES = 1 << 20


@dataclass(frozen=True, slots=True)
class Decoded:
    """A decoded document and what is needed to write it back the way it came."""

    text: str
    encoding: str  # the Python codec used; a BOM, if any, is the text's first character
    sha256: str  # of the input bytes


def sha256_bytes(data: bytes) -> str:
    """Hex SHA-256, the digest used for every ``*_sha256`` field of the report."""
    return hashlib.sha256(data).hexdigest()


def _canonical(encoding: str) -> str:
    """Normalize a user-given encoding name, or raise a usage-level :class:`InputError`."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise InputError(f"unknown encoding '{encoding}'") from None
    # Python's generic "utf-16"/"utf-32"/"utf-8-sig" codecs strip the BOM when decoding and
    # add one when encoding; we keep a BOM in the text instead, so use the plain codecs.
    return _PLAIN.get(name, name)


_PLAIN = {"utf-16": "utf-16-le", "utf-32": "utf-32-le", "utf-8-sig": "utf-8"}


def _describe_decode_error(exc: UnicodeDecodeError) -> str:
    bad = exc.object[exc.start : exc.start + 1]
    return f"byte 0x{bad.hex().upper()} at offset {exc.start}"


def _looks_gb18030(data: bytes) -> str | None:
    """The text if ``data`` decodes as GB18030 into mostly common Chinese characters."""
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    non_ascii = _ASCII_RUNS.sub(b"", text.encode("utf-8")).decode("utf-8")
    if not non_ascii:
        return None
    rare = non_ascii.encode("gb2312", errors="replace").count(b"?")
    if (len(non_ascii) - rare) / len(non_ascii) >= _GB_COMMON_SHARE:
        return text
    return None


def _guess(data: bytes) -> str | None:
    """charset-normalizer's best guess (imported lazily: it is only needed off the happy
    path, and its import cost would otherwise be paid by every worker)."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:_DETECT_BYTES]).best()
    return best.encoding if best is not None else None


def decode_bytes(data: bytes, *, encoding: str | None = None, path: str | None = None) -> Decoded:
    """Decode one document by the rules in the module docstring.

    ``encoding`` forces a codec (``--encoding``); the BOM sniffing still applies first
    for UTF-16/32 so ``--encoding utf-16`` keeps the BOM character in the text.
    """
    where = path or "<stdin>"
    digest = sha256_bytes(data)
    forced = _canonical(encoding) if encoding is not None else None
    for bom, codec in _BOMS:
        if data.startswith(bom) and (forced is None or forced.startswith(codec[:6])):
            try:
                return Decoded(data.decode(codec), codec, digest)
            except UnicodeDecodeError as exc:
                raise DecodeError(
                    f"{where}: not valid {codec} despite its byte-order mark "
                    f"({_describe_decode_error(exc)}); pass --encoding to override",
                    path,
                ) from None
    if forced is not None:
        try:
            return Decoded(data.decode(forced), forced, digest)
        except UnicodeDecodeError as exc:
            raise DecodeError(
                f"{where}: not valid {forced} ({_describe_decode_error(exc)}); "
                "check the --encoding value",
                path,
            ) from None
    if b"\x00" in data:
        raise BinaryInputError(f"{where}: binary file (contains NUL bytes), skipped", path)
    try:
        return Decoded(data.decode("utf-8"), "utf-8", digest)
    except UnicodeDecodeError as exc:
        first_error = exc
    text = _looks_gb18030(data)
    if text is not None:
        return Decoded(text, "gb18030", digest)
    guess = _guess(data)
    codec = _CHINESE_GUESSES.get((guess or "").lower())
    if codec is not None:
        with contextlib.suppress(UnicodeDecodeError):
            return Decoded(data.decode(codec), codec, digest)
    # charset-normalizer's guesses for short Western text are unreliable (cp1006 for
    # Latin-1 prose), so name likely candidates instead of echoing a wrong guess.
    raise DecodeError(
        f"{where}: not valid UTF-8 ({_describe_decode_error(first_error)}); "
        "pass --encoding NAME to read it (e.g. --encoding cp1252 or --encoding gb18030)",
        path,
    )


def read_bytes(path: Path) -> bytes:
    """Read a file, turning OS errors into an :class:`InputError` with a short reason."""
    try:
        return path.read_bytes()
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory", str(path)) from None
    except FileNotFoundError:
        raise InputError(f"{path}: no such file or directory", str(path)) from None
    except PermissionError:
        raise InputError(f"{path}: permission denied", str(path)) from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})", str(path)) from None


def read_document(path: Path, *, encoding: str | None = None) -> Decoded:
    """Read and decode one file."""
    return decode_bytes(read_bytes(path), encoding=encoding, path=str(path))


def encode_text(text: str, encoding: str, *, path: str | None = None) -> bytes:
    """Encode cleaned text; a character the target codec lacks is an :class:`InputError`
    (never a silent '?'), which can only happen when the output codec differs from the
    input's or a rule inserted something new."""
    try:
        return text.encode(encoding)
    except UnicodeEncodeError as exc:
        raise InputError(
            f"{path or '<output>'}: cannot encode {exc.object[exc.start]!r} as {encoding}",
            path,
        ) from None


def atomic_write(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Replace ``path`` with ``data`` atomically (see :class:`AtomicFile`)."""
    with AtomicFile(path, mode=mode) as fh:
        fh.write(data)


class AtomicFile:
    """A binary file that replaces ``path`` only when the ``with`` block completes.

    The temp file lives in the same folder (``os.replace`` is atomic only within one file
    system), is fsynced before the rename, and gets ``mode`` (default: the existing file's
    permission bits, else 0o666 minus the umask) so a rewrite never changes permissions.
    Unique temp names make concurrent writers (pre-commit's parallel runs, the CLI's writer
    threads) safe. ``sync_dir=False`` leaves the folder fsync to the caller. On an
    exception, Ctrl-C included, or after :meth:`discard`, the temp file is removed and
    ``path`` is untouched. Streaming writers (JSON Lines) write through it directly.
    """

    def __init__(self, path: Path, *, mode: int | None = None, sync_dir: bool = True) -> None:
        self.path = path
        self.sync_dir = sync_dir
        if mode is None:
            try:
                mode = stat.S_IMODE(path.stat().st_mode)
            except FileNotFoundError:
                mode = 0o666 & ~_umask()
        self.mode = mode
        self.tmp = ""
        self._fh: BinaryIO | None = None
        self._discard = False

    def __enter__(self) -> BinaryIO:
        fd, self.tmp = tempfile.mkstemp(
            dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".mtnorm-tmp"
        )
        self._fh = os.fdopen(fd, "wb")
        return self._fh

    def discard(self) -> None:
        """Leave ``path`` as it was (e.g. nothing changed, so keep its mtime)."""
        self._discard = True

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if self._fh is None:  # never entered (the temp file could not be created)
            return
        try:
            if exc_type is None and not self._discard:
                self._fh.flush()
                os.fsync(self._fh.fileno())
                self._fh.close()
                os.chmod(self.tmp, self.mode)
                os.replace(self.tmp, self.path)
                if self.sync_dir:
                    fsync_dir(self.path.parent)
                return
        except BaseException:
            self._cleanup()
            raise
        self._cleanup()

    def _cleanup(self) -> None:
        with contextlib.suppress(OSError):
            self._fh.close()  # type: ignore[union-attr]
        with contextlib.suppress(OSError):
            os.unlink(self.tmp)


def fsync_dir(folder: Path) -> None:
    """Persist renames in ``folder`` (best effort: not every platform can open a folder).

    Atomicity does not depend on it (the file was fsynced before the rename, so a crash
    leaves the old or the new file); batches call it once per folder at the end, not per
    file, which halves the fsync cost of a large -o run.
    """
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


_UMASK: int | None = None


def _umask() -> int:
    """The process umask (read once; reading it means setting it, so do it only once)."""
    global _UMASK
    if _UMASK is None:
        _UMASK = os.umask(0o022)
        os.umask(_UMASK)
    return _UMASK
