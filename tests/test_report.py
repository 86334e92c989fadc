"""Report document, JSON Schema, and the streamed writers (normalize.report)."""

from __future__ import annotations

import copy
import hashlib
import json

import jsonschema
import pytest

from normalize import Config, Normalizer, __version__, apply_changes, clean_file
from normalize.report import (
    ReportWriter,
    build_report,
    dumps_json,
    file_entry,
    format_for,
    load_schema,
    validate_report,
    write_jsonl,
    write_markdown,
)

TEXTS = {
    "a.txt": "Promote high -quality development.The plan works.\n",
    "b.txt": "Clean text.\n",
    "c.txt": "The 生态环境厅 met (Reporter Li)On Monday ,, fine.\n",
}


@pytest.fixture
def entries(tmp_path):
    norm = Normalizer()
    out = []
    for name, text in TEXTS.items():
        p = tmp_path / name
        p.write_text(text, encoding="utf-8")
        out.append(clean_file(p, normalizer=norm).report_entry())
    out.append(file_entry(str(tmp_path / "bad.txt"), error="bad.txt: binary file"))
    return out


def test_document_shape_and_schema(entries):
    report = build_report(entries, Config().hash)
    validate_report(report)
    assert list(report) == ["schema_version", "tool", "config_hash", "files", "summary"]
    assert report["tool"] == {"name": "mt-normalize", "version": __version__}
    first = report["files"][0]
    assert list(first) == ["path", "encoding", "input_sha256", "output_sha256", "changed",
                           "counts", "error", "changes", "findings", "config_hash"]
    assert first["config_hash"] == Config().hash
    failed = report["files"][-1]
    assert failed == {"path": failed["path"], "encoding": None, "changed": False, "counts": {},
                      "error": "bad.txt: binary file"}
    summary = report["summary"]
    assert summary["files"] == 4 and summary["errors"] == 1 and summary["changed"] == 2
    assert summary["changes"] == sum(len(e.get("changes", ())) for e in entries)
    assert summary["findings"] >= 1 and summary["counts"]["R001"] >= 1


def test_report_replays_and_digests_match(entries, tmp_path):
    for entry in entries[:3]:
        original = (tmp_path / entry["path"].rsplit("/", 1)[-1]).read_text(encoding="utf-8")
        cleaned = apply_changes(original, entry["changes"])
        assert hashlib.sha256(original.encode()).hexdigest() == entry["input_sha256"]
        assert hashlib.sha256(cleaned.encode()).hexdigest() == entry["output_sha256"]


@pytest.mark.parametrize(
    "mutate",
    [
        lambda r: r.pop("summary"),
        lambda r: r.update(schema_version="2.0"),
        lambda r: r["files"][0].pop("input_sha256"),
        lambda r: r["files"][0].update(changed="yes"),
        lambda r: r["files"][0]["changes"][0].update(rule="bad"),
        lambda r: r["files"][0]["changes"][0].update(line=0),
        lambda r: r["files"][-1].update(changes=[]),  # a failed file has no changes
        lambda r: r["files"][-1].update(error=""),
        lambda r: r["files"][0].update(extra=1),
    ],
)
def test_schema_rejects_broken_documents(entries, mutate):
    report = build_report(entries, "abc")
    validate_report(report)
    broken = copy.deepcopy(report)
    mutate(broken)
    with pytest.raises(jsonschema.ValidationError):
        validate_report(broken)


def test_schema_is_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(load_schema())


@pytest.mark.parametrize("n", [0, 1, 4])
def test_streamed_json_equals_in_memory(entries, tmp_path, n):
    dest = tmp_path / "r.json"
    writer = ReportWriter(dest, "json", "hash1")
    for e in entries[:n]:
        writer.add(e)
    writer.close()
    expected = dumps_json(build_report(entries[:n], "hash1"))
    assert dest.read_text(encoding="utf-8") == expected
    assert json.loads(expected)["summary"]["files"] == n
    # one compact line per file entry, so big reports stay greppable
    entry_lines = [x for x in expected.splitlines() if x.startswith("    {")]
    assert [json.loads(x.rstrip(",")) for x in entry_lines] == entries[:n]


def test_streamed_markdown_and_jsonl_equal_in_memory(entries, tmp_path):
    import io

    report = build_report(entries, "h")
    for fmt, fn in (("markdown", write_markdown), ("jsonl", write_jsonl)):
        dest = tmp_path / f"r.{fmt}"
        writer = ReportWriter(dest, fmt, "h")
        for e in entries:
            writer.add(e)
        writer.close()
        buf = io.StringIO()
        fn(report, buf)
        assert dest.read_text(encoding="utf-8") == buf.getvalue(), fmt


def test_unlisted_entries_count_in_summary(entries, tmp_path):
    dest = tmp_path / "r.json"
    writer = ReportWriter(dest, "json", "h")
    writer.add(entries[0])
    writer.add(entries[1], listed=False)
    writer.close()
    doc = json.loads(dest.read_text())
    assert len(doc["files"]) == 1 and doc["summary"]["files"] == 2


def test_markdown_content(entries):
    import io

    buf = io.StringIO()
    write_markdown(build_report(entries, "h"), buf)
    text = buf.getvalue()
    assert "| S001 | spaced-hyphen |" in text
    assert "error: bad.txt: binary file" in text
    assert "1 file(s) with nothing to report are not listed." in text  # b.txt


def test_jsonl_lines(entries):
    import io

    buf = io.StringIO()
    write_jsonl(build_report(entries, "h"), buf)
    rows = [json.loads(x) for x in buf.getvalue().splitlines()]
    kinds = {r["kind"] for r in rows}
    assert kinds == {"change", "finding", "error"}
    assert all("path" in r for r in rows)


def test_abort_leaves_nothing(tmp_path, entries):
    dest = tmp_path / "r.json"
    writer = ReportWriter(dest, "json", "h")
    writer.add(entries[0])
    writer.abort()
    assert list(tmp_path.iterdir()) == [p for p in tmp_path.iterdir() if p.suffix == ".txt"]
    assert not dest.exists()


@pytest.mark.parametrize(
    ("name", "explicit", "fmt"),
    [("r.json", None, "json"), ("r.md", None, "markdown"), ("r.jsonl", None, "jsonl"),
     ("r.sarif", None, "sarif"), ("site.html", None, "html"), ("r.out", None, "json"),
     ("r.out", "markdown", "markdown")],
)
def test_format_for(tmp_path, name, explicit, fmt):
    assert format_for(tmp_path / name, explicit) == fmt
