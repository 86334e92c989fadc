"""JSON Lines streaming: clean named string fields of every record, keep everything else.

Designed for multi-GB dumps: input is read line by line as bytes, records are cleaned in
small ordered chunks (optionally over worker processes, see
:func:`normalize.batch.ordered_map`), and each output line is written as soon as it is
ready, so memory does not depend on the file size.

Guarantees:

* Record order and count are kept; a line is never dropped. Blank lines pass through.
* A record where nothing changed is written back byte for byte (no re-serialization).
* A malformed line (bad JSON, not an object, not UTF-8, a target field that is not a
  string) passes through unchanged and is reported as an error for that line.
* Rule L004 (final newline) does not apply to fields (see :func:`jsonl_config`).
* Report entries are keyed ``<source>:<line>`` or, with ``id_field``, ``<source>#<id>``;
  with several fields the field name is appended as ``/<field>``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from normalize.batch import normalizer_for, ordered_map
from normalize.config import Config
from normalize.engine import Normalizer
from normalize.io import sha256_bytes
from normalize.report import file_entry

ATTACH_KEY = "_mtnorm"
_BOM = b"\xef\xbb\xbf"


@dataclass(slots=True)
class JsonlRecord:
    """The outcome for one input line."""

    line: int
    output: bytes
    changed: bool = False
    entries: list[dict[str, Any]] = field(default_factory=list)
    blank: bool = False
    original: bytes | None = None  # the input line, kept only when it changed (for diffs)

    @property
    def error(self) -> str | None:
        return next((e["error"] for e in self.entries if e["error"] is not None), None)

    @property
    def listed(self) -> list[dict[str, Any]]:
        """Entries worth listing in a report: changed, with findings, or failed."""
        return [
            e for e in self.entries
            if e["error"] is not None or e["changed"] or e.get("findings")
        ]


@dataclass(frozen=True, slots=True)
class JsonlOptions:
    """What to do with each record (picklable: sent once to each worker)."""

    fields: tuple[str, ...]
    id_field: str | None = None
    attach_changes: bool = False
    source: str = "<stdin>"


def _key(opts: JsonlOptions, lineno: int, record: dict[str, Any] | None, fld: str) -> str:
    ident = record.get(opts.id_field) if (record is not None and opts.id_field) else None
    key = f"{opts.source}#{ident}" if ident is not None else f"{opts.source}:{lineno}"
    return f"{key}/{fld}" if len(opts.fields) > 1 else key


def _split_eol(raw: bytes) -> tuple[bytes, bytes]:
    if raw.endswith(b"\r\n"):
        return raw[:-2], b"\r\n"
    if raw.endswith(b"\n"):
        return raw[:-1], b"\n"
    return raw, b""


def process_line(
    norm: Normalizer, opts: JsonlOptions, lineno: int, raw: bytes
) -> JsonlRecord:
    """Clean one line. Never raises for bad data: the line passes through and the
    returned record carries an error entry instead."""
    body, eol = _split_eol(raw)
    bom = _BOM if lineno == 1 and body.startswith(_BOM) else b""
    body = body[len(bom) :]
    if not body.strip():
        return JsonlRecord(lineno, raw, blank=True)

    def failed(reason: str, record: dict[str, Any] | None = None) -> JsonlRecord:
        key = _key(opts, lineno, record, opts.fields[0])
        key = key.rsplit("/", 1)[0] if len(opts.fields) > 1 else key
        return JsonlRecord(lineno, raw, entries=[file_entry(key, error=f"line {lineno}: {reason}")])

    try:
        record = json.loads(body)
    except UnicodeDecodeError:
        return failed("not valid UTF-8; passed through unchanged")
    except ValueError as exc:
        return failed(f"malformed JSON ({exc}); passed through unchanged")
    if not isinstance(record, dict):
        return failed(f"not a JSON object ({type(record).__name__}); passed through unchanged")
    entries: list[dict[str, Any]] = []
    attached: dict[str, Any] = {}
    any_change = False
    for fld in opts.fields:
        value = record.get(fld)
        if value is None:
            continue
        if not isinstance(value, str):
            return failed(
                f"field '{fld}' is {type(value).__name__}, not a string; passed through unchanged",
                record,
            )
        result = norm.clean(value)
        any_change |= result.changed
        entries.append(
            file_entry(
                _key(opts, lineno, record, fld),
                encoding="utf-8",
                input_sha256=sha256_bytes(value.encode("utf-8", "surrogatepass")),
                output_sha256=sha256_bytes(result.text.encode("utf-8", "surrogatepass")),
                changed=result.changed,
                counts=result.counts,
                changes=result.changes,
                findings=result.findings,
            )
        )
        if result.changed:
            record[fld] = result.text
        if opts.attach_changes:
            attached[fld] = {"changes": entries[-1]["changes"], "findings": entries[-1]["findings"]}
    if opts.attach_changes:
        record[ATTACH_KEY] = attached
    if not any_change and not opts.attach_changes:
        return JsonlRecord(lineno, raw, entries=entries)
    out = bom + json.dumps(record, ensure_ascii=False).encode("utf-8", "surrogatepass") + eol
    return JsonlRecord(
        lineno, out, changed=any_change, entries=entries, original=raw if any_change else None
    )


_STATE: dict[str, Any] = {}


def jsonl_config(config: Config) -> Config:
    """The config used for fields: L004 (final newline) is off, because a field value is
    not a file and appending a line break to every string would corrupt the data."""
    return config.with_selection(ignore=("L004",))


def init_worker(config: Config, opts: JsonlOptions) -> None:
    """Pool initializer: one normalizer per worker process."""
    _STATE["normalizer"] = normalizer_for(config)
    _STATE["opts"] = opts


def process_chunk(chunk: Sequence[tuple[int, bytes]]) -> list[JsonlRecord]:
    """Worker task: clean consecutive lines."""
    norm, opts = _STATE["normalizer"], _STATE["opts"]
    return [process_line(norm, opts, n, raw) for n, raw in chunk]


def _chunks(
    lines: Iterable[bytes], max_lines: int, max_bytes: int
) -> Iterator[list[tuple[int, bytes]]]:
    """Group numbered lines into tasks of bounded line count and size."""
    chunk: list[tuple[int, bytes]] = []
    size = 0
    for n, raw in enumerate(lines, 1):
        chunk.append((n, raw))
        size += len(raw)
        if len(chunk) >= max_lines or size >= max_bytes:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def clean_jsonl(
    lines: Iterable[bytes],
    fields: Sequence[str],
    config: Config | None = None,
    *,
    id_field: str | None = None,
    attach_changes: bool = False,
    source: str = "<stdin>",
    jobs: int = 1,
) -> Iterator[JsonlRecord]:
    """Stream-clean JSON Lines: ``lines`` is any iterable of raw lines (a file opened in
    binary mode works); yields one :class:`JsonlRecord` per line, in order.

    >>> recs = list(clean_jsonl([b'{"id": 1, "text": "high -quality"}\\n'], ["text"]))
    >>> recs[0].output
    b'{"id": 1, "text": "high-quality"}\\n'
    """
    if not fields:
        raise ValueError("clean_jsonl needs at least one field name")
    opts = JsonlOptions(tuple(fields), id_field, attach_changes, source)
    config = jsonl_config(config or Config())
    normalizer_for(config)  # configuration errors surface here, not inside a worker
    for group in ordered_map(
        process_chunk,
        _chunks(lines, 512, 1 << 20),
        jobs=jobs,
        initializer=init_worker,
        initargs=(config, opts),
        window=max(2, jobs * 3),
    ):
        yield from group
