"""The change report: one versioned document shape, several renderings.

Document (``schema_version`` 1.0, JSON Schema in ``normalize/report.schema.json``)::

    {"schema_version": "1.0",
     "tool": {"name": "mt-normalize", "version": "..."},
     "config_hash": "...",
     "files": [{"path", "encoding", "input_sha256", "output_sha256", "changed", "counts",
                "error": null, "changes": [...], "findings": [...]}],
     "summary": {"files", "changed", "errors", "changes", "findings", "counts"}}

A failed file keeps ``path``, ``encoding`` (null when unknown), ``changed`` (false),
``counts`` ({}) and a string ``error``, and has no digests, changes or findings. The
digests are of the bytes read and of the bytes written (or that would be written): UTF-8
output by default, the file's own encoding for ``--in-place``.

Batches can be huge (a multi-GB JSON Lines stream), so the JSON, JSONL and Markdown
renderings are written incrementally by :class:`ReportWriter` and never hold the whole
document; :func:`build_report` + the ``write_*`` functions are the in-memory equivalents
for library users, and the streamed JSON is byte-identical to :func:`dumps_json` of the
built document (one line per file entry, see there). SARIF and HTML come from other
modules and need the whole document.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import IO, Any, TextIO

from normalize.edits import Change, Finding
from normalize.errors import NormalizeError

SCHEMA_VERSION = "1.0"
TOOL_NAME = "mt-normalize"
FORMATS = ("json", "jsonl", "markdown", "sarif", "html")
_SUFFIX_FORMATS = {
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".md": "markdown",
    ".markdown": "markdown",
    ".sarif": "sarif",
    ".html": "html",
    ".htm": "html",
}


class ReportError(NormalizeError):
    """A report cannot be produced (renderer missing, destination unusable)."""


def tool_info() -> dict[str, str]:
    from normalize import __version__

    return {"name": TOOL_NAME, "version": __version__}


def format_for(path: Path, explicit: str | None = None) -> str:
    """The report format: ``explicit`` if given, else from the file suffix, else JSON.

    A path without a suffix that is (or will be) a folder means HTML, whose output is a
    folder of pages.
    """
    if explicit:
        if explicit not in FORMATS:
            raise ReportError(f"unknown report format '{explicit}' (choose {', '.join(FORMATS)})")
        return explicit
    return _SUFFIX_FORMATS.get(path.suffix.lower(), "json")


def file_entry(
    path: str,
    *,
    encoding: str | None = None,
    input_sha256: str | None = None,
    output_sha256: str | None = None,
    changed: bool = False,
    counts: Mapping[str, int] | None = None,
    changes: Iterable[Change | Mapping[str, Any]] = (),
    findings: Iterable[Finding | Mapping[str, Any]] = (),
    error: str | None = None,
    config_hash: str | None = None,
) -> dict[str, Any]:
    """One ``files[]`` item, in schema key order. With ``error`` the digests and change
    lists are left out, because nothing trustworthy was produced for that file."""
    if error is not None:
        return {
            "path": path,
            "encoding": encoding,
            "changed": False,
            "counts": {},
            "error": error,
        }
    entry: dict[str, Any] = {
        "path": path,
        "encoding": encoding,
        "input_sha256": input_sha256,
        "output_sha256": output_sha256,
        "changed": changed,
        "counts": dict(sorted((counts or {}).items())),
        "error": None,
        "changes": [c.to_dict() if isinstance(c, Change) else dict(c) for c in changes],
        "findings": [f.to_dict() if isinstance(f, Finding) else dict(f) for f in findings],
    }
    if config_hash is not None:  # which settings cleaned this file (configs may differ per folder)
        entry["config_hash"] = config_hash
    return entry


class Summary:
    """Running totals, so a streamed report needs no second pass over its entries."""

    def __init__(self) -> None:
        self.files = 0
        self.changed = 0
        self.errors = 0
        self.changes = 0
        self.findings = 0
        self.counts: Counter[str] = Counter()

    def add(self, entry: Mapping[str, Any]) -> None:
        self.files += 1
        if entry.get("error") is not None:
            self.errors += 1
            return
        self.changed += bool(entry.get("changed"))
        self.changes += len(entry.get("changes", ()))
        self.findings += len(entry.get("findings", ()))
        self.counts.update(entry.get("counts", {}))

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "changed": self.changed,
            "errors": self.errors,
            "changes": self.changes,
            "findings": self.findings,
            "counts": dict(sorted(self.counts.items())),
        }


def build_report(
    entries: Iterable[Mapping[str, Any]],
    config_hash: str,
    *,
    summary: Summary | None = None,
) -> dict[str, Any]:
    """The whole report document from ``files[]`` entries (see :func:`file_entry`).

    ``summary`` overrides the totals, for callers (JSON Lines mode) that count records
    they chose not to list.
    """
    files = [dict(e) for e in entries]
    if summary is None:
        summary = Summary()
        for e in files:
            summary.add(e)
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": tool_info(),
        "config_hash": config_hash,
        "files": files,
        "summary": summary.to_dict(),
    }


# ---------------------------------------------------------------------------- writers


def _dump(obj: Any, indent: int | None = None) -> str:
    return json.dumps(obj, indent=indent, ensure_ascii=False)


def dumps_json(report: Mapping[str, Any]) -> str:
    """The JSON rendering: top-level keys on their own lines and one line per file.

    Still one JSON document (``json.load`` reads it), but each file's entry is a single
    compact line: grep- and diff-friendly for big batches, and written with the C encoder
    (``indent=`` would switch ``json`` to its pure-Python encoder, several times slower).
    """
    files = report["files"]
    body = ",".join(_json_entry(e) for e in files)
    return (
        _json_head(report["tool"], report["config_hash"]) + body
        + _json_tail(report["summary"], bool(files))
    )


def _json_head(tool: Mapping[str, Any], config_hash: str) -> str:
    return (
        f'{{\n  "schema_version": {_dump(SCHEMA_VERSION, None)},\n'
        f'  "tool": {_dump(tool, None)},\n'
        f'  "config_hash": {_dump(config_hash, None)},\n'
        '  "files": ['
    )


def _json_entry(entry: Mapping[str, Any]) -> str:
    return "\n    " + _dump(entry, None)


def _json_tail(summary: Mapping[str, Any], any_files: bool) -> str:
    close = "\n  ]" if any_files else "]"
    return f'{close},\n  "summary": {_dump(summary, None)}\n}}\n'


def write_json(report: Mapping[str, Any], fp: TextIO) -> None:
    fp.write(dumps_json(report))


def jsonl_lines(entry: Mapping[str, Any]) -> Iterable[str]:
    """JSON Lines rendering of one file: one line per change, then per finding, or one
    error line; each carries the path, and ``kind`` says which of the three it is."""
    path = entry["path"]
    if entry.get("error") is not None:
        yield _dump({"path": path, "kind": "error", "error": entry["error"]}, None) + "\n"
        return
    for ch in entry.get("changes", ()):
        yield _dump({"path": path, "kind": "change", **ch}, None) + "\n"
    for fd in entry.get("findings", ()):
        yield _dump({"path": path, "kind": "finding", **fd}, None) + "\n"


def write_jsonl(report: Mapping[str, Any], fp: TextIO) -> None:
    for entry in report["files"]:
        fp.writelines(jsonl_lines(entry))


def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _md_row(entry: Mapping[str, Any]) -> str | None:
    """A Markdown table row for a file worth a look (changed, findings or error)."""
    if entry.get("error") is not None:
        status = f"error: {entry['error']}"
        return f"| `{_md_cell(entry['path'])}` | – | – | {_md_cell(status)} |\n"
    n_changes, n_findings = len(entry.get("changes", ())), len(entry.get("findings", ()))
    if not (entry.get("changed") or n_findings):
        return None
    status = "changed" if entry.get("changed") else "findings only"
    return f"| `{_md_cell(entry['path'])}` | {n_changes} | {n_findings} | {status} |\n"


def _md_head(tool: Mapping[str, str], config_hash: str, summary: Mapping[str, Any]) -> str:
    from normalize.engine import all_rules

    names = {r.code: r.name for r in all_rules()}
    out = [
        "# mt-normalize report\n\n",
        f"{tool['name']} {tool['version']}, config `{config_hash}`\n\n",
        f"- Files: {summary['files']}\n",
        f"- Changed: {summary['changed']}\n",
        f"- Errors: {summary['errors']}\n",
        f"- Changes: {summary['changes']}\n",
        f"- Findings: {summary['findings']}\n\n",
    ]
    if summary["counts"]:
        out.append("## Counts per rule\n\n| Rule | Name | Count |\n| --- | --- | ---: |\n")
        for code, n in summary["counts"].items():
            out.append(f"| {code} | {names.get(code, '')} | {n} |\n")
        out.append("\n")
    return "".join(out)


_MD_FILES_HEAD = "## Files\n\n| File | Changes | Findings | Status |\n| --- | ---: | ---: | --- |\n"


def write_markdown(report: Mapping[str, Any], fp: TextIO) -> None:
    """A summary for humans (a PR comment, a CI artifact): totals, counts per rule, and a
    table of the files that changed, have findings or failed; unchanged files are counted
    but not listed so the table stays readable for big batches."""
    fp.write(_md_head(report["tool"], report["config_hash"], report["summary"]))
    rows = [r for r in (_md_row(e) for e in report["files"]) if r]
    if rows:
        fp.write(_MD_FILES_HEAD)
        fp.writelines(rows)
        fp.write("\n")
    fp.write(_md_tail(report["summary"], len(rows)))


def _md_tail(summary: Mapping[str, Any], listed: int) -> str:
    hidden = summary["files"] - listed
    return f"{hidden} file(s) with nothing to report are not listed.\n" if hidden else ""


def to_sarif(report: Mapping[str, Any]) -> dict[str, Any]:
    """SARIF 2.1.0 via ``normalize.reports.sarif`` (imported lazily: it is optional)."""
    try:
        from normalize.reports import sarif
    except ImportError as exc:
        raise ReportError(f"SARIF output is not available in this build ({exc})") from None
    return sarif.to_sarif(dict(report))


def write_html(
    report: Mapping[str, Any], texts: Mapping[str, tuple[str, str]], out_dir: Path
) -> Path:
    """The HTML report folder via ``normalize.reports.html``; returns the index page."""
    try:
        from normalize.reports import html
    except ImportError as exc:
        raise ReportError(f"HTML output is not available in this build ({exc})") from None
    return html.write_html(dict(report), dict(texts), out_dir)


def write_report(
    report: Mapping[str, Any],
    dest: Path,
    fmt: str,
    texts: Mapping[str, tuple[str, str]] | None = None,
) -> Path:
    """Write an in-memory report to ``dest`` in ``fmt``; returns what was written (the
    index page for HTML). File formats are written atomically."""
    if fmt == "html":
        return write_html(report, texts or {}, dest)
    with _AtomicText(dest) as fp:
        if fmt == "json":
            write_json(report, fp)
        elif fmt == "jsonl":
            write_jsonl(report, fp)
        elif fmt == "markdown":
            write_markdown(report, fp)
        elif fmt == "sarif":
            fp.write(_dump(to_sarif(report), 2) + "\n")
        else:
            raise ReportError(f"unknown report format '{fmt}'")
    return dest


class _AtomicText:
    """A text file that appears at ``dest`` only when complete (temp file + rename)."""

    def __init__(self, dest: Path) -> None:
        self.dest = dest
        self.fp: IO[str] | None = None
        self.tmp = ""

    def __enter__(self) -> TextIO:
        folder = self.dest.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, self.tmp = tempfile.mkstemp(
                dir=folder, prefix=f".{self.dest.name}.", suffix=".tmp"
            )
        except OSError as exc:
            raise ReportError(f"cannot write report {self.dest}: {exc.strerror or exc}") from None
        self.fp = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        return self.fp  # type: ignore[return-value]

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        assert self.fp is not None
        self.fp.close()
        if exc_type is None:
            os.chmod(self.tmp, 0o666 & ~_umask())
            os.replace(self.tmp, self.dest)
        else:
            with contextlib.suppress(OSError):
                os.unlink(self.tmp)


def _umask() -> int:
    from normalize.io import _umask as umask

    return umask()


class ReportWriter:
    """Streams a report to ``dest`` while a batch runs: memory stays flat for JSON, JSONL
    and Markdown however many entries there are. SARIF and HTML keep the entries (and, for
    HTML, the texts) and render once at :meth:`close`.

    ``add(entry, listed=False)`` counts an entry in the summary without listing it (JSON
    Lines mode leaves out records with nothing to report).
    """

    def __init__(self, dest: Path, fmt: str, config_hash: str) -> None:
        self.dest = dest
        self.fmt = format_for(dest, fmt)
        self.config_hash = config_hash
        self.summary = Summary()
        self.keep_texts = self.fmt == "html"
        self._entries: list[dict[str, Any]] = []
        self._texts: dict[str, tuple[str, str]] = {}
        self._first = True
        self._md_rows = 0
        self._ctx: _AtomicText | None = None
        self._fp: TextIO | None = None
        self._spool: IO[str] | None = None
        if self.fmt in ("json", "jsonl", "markdown"):
            self._ctx = _AtomicText(dest)
            self._fp = self._ctx.__enter__()
            if self.fmt == "json":
                self._fp.write(_json_head(tool_info(), config_hash))
            elif self.fmt == "markdown":
                self._spool = tempfile.SpooledTemporaryFile(  # noqa: SIM115 - closed in close()
                    max_size=1 << 20, mode="w+", encoding="utf-8"
                )
        elif self.fmt == "html" and dest.exists() and not dest.is_dir():
            raise ReportError(f"HTML report needs a folder, but {dest} is a file")

    def add(
        self,
        entry: Mapping[str, Any],
        texts: tuple[str, str] | None = None,
        *,
        listed: bool = True,
    ) -> None:
        self.summary.add(entry)
        if not listed:
            return
        if self.fmt == "json":
            assert self._fp is not None
            self._fp.write(("" if self._first else ",") + _json_entry(entry))
            self._first = False
        elif self.fmt == "jsonl":
            assert self._fp is not None
            self._fp.writelines(jsonl_lines(entry))
        elif self.fmt == "markdown":
            row = _md_row(entry)
            if row:
                assert self._spool is not None
                self._spool.write(row)
                self._md_rows += 1
        else:
            self._entries.append(dict(entry))
            if self.keep_texts and texts is not None:
                self._texts[entry["path"]] = texts

    def close(self) -> Path:
        """Finish the document; returns the written path (HTML: the index page)."""
        summary = self.summary.to_dict()
        if self._ctx is not None:
            assert self._fp is not None
            if self.fmt == "json":
                self._fp.write(_json_tail(summary, not self._first))
            elif self.fmt == "markdown":
                assert self._spool is not None
                self._fp.write(_md_head(tool_info(), self.config_hash, summary))
                if self._md_rows:
                    self._fp.write(_MD_FILES_HEAD)
                    self._spool.seek(0)
                    for line in self._spool:
                        self._fp.write(line)
                    self._fp.write("\n")
                self._fp.write(_md_tail(summary, self._md_rows))
                self._spool.close()
            self._ctx.__exit__(None, None, None)
            return self.dest
        report = build_report(self._entries, self.config_hash, summary=self.summary)
        return write_report(report, self.dest, self.fmt, self._texts)

    def abort(self) -> None:
        """Drop a half-written report (the batch was interrupted)."""
        if self._ctx is not None:
            self._ctx.__exit__(KeyboardInterrupt, None, None)
            self._ctx = None
        if self._spool is not None:
            self._spool.close()


# ---------------------------------------------------------------------------- schema


@cache
def load_schema() -> dict[str, Any]:
    """The report's JSON Schema (shipped as package data)."""
    text = resources.files("normalize").joinpath("report.schema.json").read_text("utf-8")
    return json.loads(text)


def validate_report(report: Mapping[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` when ``report`` does not match the schema.
    jsonschema is a test extra, so it is imported here, not at module import."""
    import jsonschema

    jsonschema.validate(dict(report), load_schema())
