"""JSON Lines streaming: library (normalize.clean_jsonl) and ``mtnorm --jsonl``."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from normalize import clean_jsonl
from normalize.cli import app
from normalize.report import validate_report

LINES = [
    b'{"id": "a1", "text": "high -quality work", "n": 1.50, "tags": ["x"]}\n',
    b'{"id": "a2",   "text": "Already clean."}\n',  # odd spacing kept: passed through
    b"not json at all\n",
    b"\n",
    b'[1, 2]\n',
    b'{"id": "a5", "text": 42}\n',
    b'{"id": "a6", "title": "no text field"}\n',
    b'{"id": "a7", "text": "ok.The end", "title": "x ,y"}\r\n',
    b'{"id": "a8", "text": "\xff broken utf8"}\n',
    b'{"id": "a9", "text": "last line.The end"}',  # no final newline
]


def outputs(records):
    return b"".join(r.output for r in records)


def test_records_order_passthrough_and_errors():
    recs = list(clean_jsonl(LINES, ["text"], id_field="id", source="d.jsonl"))
    assert [r.line for r in recs] == list(range(1, len(LINES) + 1))
    out = [r.output for r in recs]
    assert json.loads(out[0]) == {"id": "a1", "text": "high-quality work", "n": 1.5, "tags": ["x"]}
    for i in (1, 2, 3, 4, 5, 6, 8):
        assert out[i] == LINES[i], i  # unchanged or bad lines: byte for byte
    assert out[7].endswith(b"\r\n") and json.loads(out[7])["title"] == "x ,y"
    assert json.loads(out[9])["text"] == "last line. The end" and not out[9].endswith(b"\n")
    errors = {r.line: r.error for r in recs if r.error}
    assert set(errors) == {3, 5, 6, 9}
    assert "malformed JSON" in errors[3] and "not a JSON object" in errors[5]
    assert "not a string" in errors[6] and "UTF-8" in errors[9]
    assert recs[3].blank


def test_no_final_newline_added_to_fields():
    (rec,) = clean_jsonl([b'{"text": "a  b"}\n'], ["text"])
    assert json.loads(rec.output)["text"] == "a b"


def test_report_keys_by_line_or_id_and_field():
    recs = list(clean_jsonl(LINES, ["text", "title"], source="d.jsonl", id_field="id"))
    paths = [e["path"] for r in recs for e in r.listed]
    assert "d.jsonl#a1/text" in paths and "d.jsonl#a7/title" in paths
    assert "d.jsonl#a6/title" not in paths  # unchanged, nothing to list
    recs = list(clean_jsonl(LINES[:1], ["text"], source="d.jsonl"))
    assert [e["path"] for e in recs[0].listed] == ["d.jsonl:1"]


def test_multiple_fields_cleaned():
    (rec,) = clean_jsonl([b'{"text": "a ,b", "title": "c ,d"}\n'], ["text", "title"])
    assert json.loads(rec.output) == {"text": "a, b", "title": "c, d"}


def test_attach_changes():
    recs = list(clean_jsonl(LINES[:2], ["text"], attach_changes=True))
    first, second = (json.loads(r.output) for r in recs)
    assert first["_mtnorm"]["text"]["changes"][0]["rule"] == "S001"
    assert second["_mtnorm"] == {"text": {"changes": [], "findings": []}}


def test_streaming_reads_lazily():
    consumed = 0

    def lines():
        nonlocal consumed
        for i in range(100_000):
            consumed += 1
            yield b'{"text": "x  y %d"}\n' % i

    it = clean_jsonl(lines(), ["text"])
    next(it)
    assert consumed <= 600  # one chunk, not the whole input


def test_jobs_two_equals_jobs_one():
    lines = [
        (b'{"i": %d, "text": "line %d high -quality.The  x"}\n' % (i, i)) if i % 97
        else b"broken\n"
        for i in range(3000)
    ]
    one = list(clean_jsonl(lines, ["text"], jobs=1))
    two = list(clean_jsonl(lines, ["text"], jobs=2))
    assert outputs(one) == outputs(two)
    assert [r.entries for r in one] == [r.entries for r in two]


def test_empty_field_list_rejected():
    with pytest.raises(ValueError):
        list(clean_jsonl([b"{}\n"], []))


def run(args, stdin=None):
    return CliRunner().invoke(app, args, input=stdin, catch_exceptions=False)


@pytest.fixture
def data(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "d.jsonl"
    path.write_bytes(b"".join(LINES))
    return path


def test_cli_jsonl_stdout_and_report(data, tmp_path):
    report = tmp_path / "r.json"
    result = run(["clean", "d.jsonl", "--jsonl", "--id-field", "id", "--report", str(report)])
    assert result.exit_code == 2  # malformed lines are errors, but nothing is dropped
    assert result.stdout_bytes == outputs(clean_jsonl(LINES, ["text"], id_field="id"))
    assert len(result.stdout_bytes.splitlines()) == len(LINES)
    doc = json.loads(report.read_text())
    validate_report(doc)
    paths = [f["path"] for f in doc["files"]]
    assert "d.jsonl#a1" in paths and "d.jsonl:3" in paths
    assert doc["summary"]["errors"] == 4 and doc["summary"]["changed"] == 3


def test_cli_jsonl_stdin(data):
    result = run(["clean", "-", "--jsonl", "-q"], stdin=LINES[0])
    assert result.exit_code == 0
    assert json.loads(result.stdout_bytes)["text"] == "high-quality work"


def test_cli_jsonl_check(data):
    clean_line = b'{"text": "Clean."}\n'
    (data.parent / "ok.jsonl").write_bytes(clean_line)
    assert run(["check", "ok.jsonl", "--jsonl"]).exit_code == 0
    (data.parent / "dirty.jsonl").write_bytes(LINES[0])
    result = run(["check", "dirty.jsonl", "--jsonl", "--diff"])
    assert result.exit_code == 1
    assert "-" + LINES[0].decode() in result.stdout and "@@ -1 +1 @@" in result.stdout
    assert (data.parent / "dirty.jsonl").read_bytes() == LINES[0]


def test_cli_jsonl_in_place_and_output(data, tmp_path):
    expected = outputs(clean_jsonl(LINES, ["text"]))
    out = tmp_path / "out"
    assert run(["clean", "d.jsonl", "--jsonl", "-o", str(out)]).exit_code == 2
    assert (out / "d.jsonl").read_bytes() == expected
    assert run(["clean", "d.jsonl", "--jsonl", "-i"]).exit_code == 2
    assert data.read_bytes() == expected
    import os

    os.utime(data, (1_000_000, 1_000_000))
    assert run(["clean", "d.jsonl", "--jsonl", "-i"]).exit_code == 2  # same errors, no change
    assert data.stat().st_mtime == 1_000_000


def test_cli_jsonl_folder_uses_jsonl_include(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.jsonl").write_bytes(LINES[0])
    (tmp_path / "in" / "notes.txt").write_text("not jsonl")
    result = run(["check", "in", "--jsonl"])
    assert result.exit_code == 1 and "1 record" in result.stderr
