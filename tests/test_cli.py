"""Table-driven tests of every ``mtnorm`` mode and exit code, on real files in tmp_path.

Each case writes its input files, runs the command (typer's CliRunner, in-process), and
checks the exit code, stdout, stderr and the files left behind. A handful of cases run
``python -m normalize`` in a subprocess to prove the real entry point behaves the same.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

from normalize import Config, Normalizer, clean_file
from normalize.cli import Tally, app, format_progress, summary_line
from normalize.report import build_report, validate_report

DIRTY = "Promote high -quality development.The plan works.\n"
DIRTY_CLEAN = "Promote high-quality development. The plan works.\n"
CLEAN = "The Provincial Department of Ecology and Environment met on 3 March.\n"


def run(args: list[str], stdin: bytes | None = None):
    return CliRunner().invoke(app, args, input=stdin, catch_exceptions=False)


@dataclass
class Case:
    id: str
    files: dict[str, bytes]
    args: list[str]
    code: int
    stdout: bytes | None = None  # exact stdout, when given
    stdout_has: tuple[str, ...] = ()
    stderr_has: tuple[str, ...] = ()
    after: dict[str, bytes] = field(default_factory=dict)  # files expected afterwards
    stdin: bytes | None = None


CASES = [
    # clean: one file to stdout
    Case("clean-file-stdout", {"a.txt": DIRTY.encode()}, ["clean", "a.txt"], 0,
         stdout=DIRTY_CLEAN.encode(), stderr_has=("1 cleaned",),
         after={"a.txt": DIRTY.encode()}),
    Case("clean-clean-file", {"a.txt": CLEAN.encode()}, ["clean", "a.txt"], 0,
         stdout=CLEAN.encode(), stderr_has=("0 cleaned, 1 unchanged",)),
    Case("clean-stdin", {}, ["clean", "-"], 0, stdout=DIRTY_CLEAN.encode(), stdin=DIRTY.encode()),
    Case("clean-stdin-binary", {}, ["clean", "-"], 2, stdout=b"",
         stderr_has=("binary",), stdin=b"a\x00b"),
    Case("clean-empty", {"e.txt": b""}, ["clean", "e.txt"], 0, stdout=b""),
    Case("clean-whitespace-only", {"w.txt": b"  \n \t \n\n"}, ["clean", "w.txt"], 0, stdout=b""),
    Case("clean-diff", {"a.txt": DIRTY.encode()}, ["clean", "--diff", "a.txt"], 0,
         stdout_has=("--- a.txt (original)", "+++ a.txt (cleaned)", "-Promote high -quality",
                     "+Promote high-quality"),
         after={"a.txt": DIRTY.encode()}),
    Case("clean-quiet", {"a.txt": DIRTY.encode()}, ["clean", "-q", "a.txt"], 0,
         stdout=DIRTY_CLEAN.encode()),
    Case("clean-in-place", {"a.txt": DIRTY.encode(), "b.txt": CLEAN.encode()},
         ["clean", "--in-place", "a.txt", "b.txt"], 0, stdout=b"",
         stderr_has=("Fixing a.txt",),
         after={"a.txt": DIRTY_CLEAN.encode(), "b.txt": CLEAN.encode()}),
    Case("clean-in-place-exit-non-zero-on-fix", {"a.txt": DIRTY.encode()},
         ["clean", "-i", "--exit-non-zero-on-fix", "a.txt"], 1,
         after={"a.txt": DIRTY_CLEAN.encode()}),
    Case("clean-in-place-clean-exit-zero", {"a.txt": CLEAN.encode()},
         ["clean", "-i", "--exit-non-zero-on-fix", "a.txt"], 0, after={"a.txt": CLEAN.encode()}),
    Case("clean-output-dir", {"in/a.txt": DIRTY.encode(), "in/sub/b.md": CLEAN.encode()},
         ["clean", "in", "-o", "out"], 0,
         after={"out/a.txt": DIRTY_CLEAN.encode(), "out/sub/b.md": CLEAN.encode(),
                "in/a.txt": DIRTY.encode()}),
    Case("clean-select", {"a.txt": DIRTY.encode()}, ["clean", "--select", "S001", "a.txt"], 0,
         stdout=b"Promote high-quality development.The plan works.\n"),
    Case("clean-ignore", {"a.txt": DIRTY.encode()}, ["clean", "--ignore", "S001,S002", "a.txt"],
         0, stdout=DIRTY.encode()),
    # check
    Case("check-changes", {"a.txt": DIRTY.encode()}, ["check", "a.txt"], 1,
         stdout_has=("a.txt:1:13: S001 [*] spaced-hyphen: ' -' -> '-'",),
         stderr_has=("1 would be cleaned",), after={"a.txt": DIRTY.encode()}),
    Case("check-clean", {"a.txt": CLEAN.encode()}, ["check", "a.txt"], 0, stdout=b""),
    Case("check-diff", {"a.txt": DIRTY.encode()}, ["check", "--diff", "a.txt"], 1,
         stdout_has=("@@ -1 +1 @@", "+Promote high-quality development. The plan works.")),
    Case("check-quiet", {"a.txt": DIRTY.encode()}, ["check", "-q", "a.txt"], 1, stdout=b""),
    Case("check-folder", {"d/a.txt": DIRTY.encode(), "d/b.txt": CLEAN.encode()},
         ["check", "d"], 1, stderr_has=("2 files: 1 would be cleaned, 1 unchanged",)),
    Case("check-empty", {"e.txt": b""}, ["check", "e.txt"], 0),
    Case("check-whitespace-only", {"w.txt": b"   \n\n"}, ["check", "w.txt"], 1),
    Case("check-stdin", {}, ["check", "-"], 1, stdin=DIRTY.encode()),
    Case("check-findings-only-exit-zero", {"a.txt": "The 生态环境厅 met.\n".encode()},
         ["check", "a.txt"], 0, stdout_has=("R001",)),
    # bad inputs: exit 2, one line, no traceback
    Case("binary-file", {"b.txt": b"ab\x00cd"}, ["clean", "b.txt"], 2, stdout=b"",
         stderr_has=("error: b.txt: binary file",)),
    Case("invalid-utf8", {"l.txt": "café\n".encode("latin-1")}, ["clean", "l.txt"], 2, stdout=b"",
         stderr_has=("l.txt: not valid UTF-8", "--encoding")),
    Case("invalid-utf8-forced", {"l.txt": "café  x\n".encode("latin-1")},
         ["clean", "--encoding", "latin-1", "l.txt"], 0, stdout="café x\n".encode()),
    Case("missing-path", {}, ["clean", "nope.txt", "-o", "out"], 2,
         stderr_has=("nope.txt: no such file or directory",)),
    Case("missing-glob", {}, ["check", "*.zzz"], 2, stderr_has=("no files match",)),
    Case("not-a-directory", {"a.txt": b"x\n"}, ["check", "a.txt/child.txt"], 2,
         stderr_has=("a.txt/child.txt",)),
    Case("batch-continues-after-bad-file",
         {"d/a.txt": DIRTY.encode(), "d/b.txt": b"\x00\x01", "d/c.txt": DIRTY.encode()},
         ["clean", "d", "-o", "out"], 2, stderr_has=("d/b.txt: binary", "2 cleaned", "1 error"),
         after={"out/a.txt": DIRTY_CLEAN.encode(), "out/c.txt": DIRTY_CLEAN.encode()}),
    Case("output-inside-input", {"d/a.txt": DIRTY.encode()}, ["clean", "d", "-o", "d/out"], 2,
         stderr_has=("inside input folder",)),
    Case("output-equals-input", {"d/a.txt": DIRTY.encode()}, ["clean", "d", "-o", "d"], 2,
         stderr_has=("inside input folder",)),
    Case("in-place-and-output", {"a.txt": DIRTY.encode()},
         ["clean", "-i", "-o", "out", "a.txt"], 2, stderr_has=("cannot be used together",)),
    Case("several-files-to-stdout", {"a.txt": b"x\n", "b.txt": b"y\n"},
         ["clean", "a.txt", "b.txt"], 2, stderr_has=("need -o DIR or --in-place",)),
    Case("stdin-mixed", {"a.txt": b"x\n"}, ["clean", "-", "a.txt"], 2,
         stderr_has=("cannot be combined",)),
    Case("unknown-rule", {"a.txt": b"x\n"}, ["clean", "--select", "Z999", "a.txt"], 2,
         stderr_has=("unknown rule code or prefix: Z999",)),
    Case("bad-config", {"a.txt": b"x\n", "mtnorm.toml": b"select = 5\n"}, ["clean", "a.txt"], 2,
         stderr_has=("'select'",)),
    Case("bad-config-toml", {"a.txt": b"x\n", "c.toml": b"select = [\n"},
         ["clean", "--config", "c.toml", "a.txt"], 2, stderr_has=("invalid TOML",)),
    Case("unknown-encoding", {"a.txt": b"x\n"}, ["clean", "--encoding", "klingon", "a.txt"], 2,
         stderr_has=("unknown encoding",)),
    Case("field-without-jsonl", {"a.txt": b"x\n"}, ["clean", "--field", "t", "a.txt"], 2,
         stderr_has=("need --jsonl",)),
    Case("bad-option", {}, ["clean", "--no-such-flag", "x"], 2),
    Case("no-paths", {}, ["check"], 2),
    Case("config-from-file", {"a.txt": DIRTY.encode(), "mtnorm.toml": b'ignore = ["S"]\n'},
         ["clean", "a.txt"], 0, stdout=DIRTY.encode()),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_cli(case: Case, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name, data in case.files.items():
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    result = run(case.args, stdin=case.stdin)
    assert result.exit_code == case.code, (result.stdout, result.stderr)
    if case.stdout is not None:
        assert result.stdout_bytes == case.stdout
    for text in case.stdout_has:
        assert text in result.stdout
    for text in case.stderr_has:
        assert text in result.stderr
    assert "Traceback" not in result.stderr
    for name, data in case.after.items():
        assert (tmp_path / name).read_bytes() == data, name
    leftovers = [p for p in tmp_path.rglob("*") if p.name.endswith(("mtnorm-tmp", ".tmp"))]
    assert not leftovers
    if case.id in ("output-inside-input", "output-equals-input"):
        assert not (tmp_path / "d" / "out").exists()
        assert (tmp_path / "d" / "a.txt").read_bytes() == DIRTY.encode()


def test_in_place_keeps_unchanged_mtime_and_permissions(tmp_path):
    unchanged, changed = tmp_path / "u.txt", tmp_path / "c.txt"
    unchanged.write_text(CLEAN)
    changed.write_text(DIRTY)
    os.chmod(changed, 0o640)
    os.utime(unchanged, (1_000_000, 1_000_000))
    result = run(["clean", "--in-place", str(unchanged), str(changed)])
    assert result.exit_code == 0
    assert unchanged.stat().st_mtime == 1_000_000
    assert changed.read_text() == DIRTY_CLEAN
    assert stat.S_IMODE(changed.stat().st_mode) == 0o640


def test_in_place_keeps_encoding_bom_and_crlf(tmp_path):
    u16 = tmp_path / "u16.txt"
    u16.write_bytes("\ufeffThe work went smoothly.The team left.\r\nNext  line\r\n".encode(
        "utf-16-le"))
    gb = tmp_path / "gb.txt"
    gb.write_bytes("The 生态环境厅 said high -quality work.\r\n".encode("gb18030"))
    bom8 = tmp_path / "bom8.txt"
    bom8.write_bytes(b"\xef\xbb\xbfhigh -quality\n")
    result = run(["clean", "-i", str(u16), str(gb), str(bom8)])
    assert result.exit_code == 0, result.stderr
    assert u16.read_bytes() == (
        "\ufeffThe work went smoothly. The team left.\r\nNext line\r\n".encode("utf-16-le"))
    assert gb.read_bytes() == "The 生态环境厅 said high-quality work.\r\n".encode("gb18030")
    assert bom8.read_bytes() == b"\xef\xbb\xbfhigh-quality\n"


def test_non_utf8_inputs_become_utf8_on_stdout_and_in_report(tmp_path):
    gb = tmp_path / "gb.txt"
    gb.write_bytes("新华社北京电 high -quality\n".encode("gb18030"))
    report = tmp_path / "r.json"
    result = run(["clean", str(gb), "--report", str(report)])
    assert result.exit_code == 0
    assert result.stdout_bytes == "新华社北京电 high-quality\n".encode()
    doc = json.loads(report.read_text())
    assert doc["files"][0]["encoding"] == "gb18030"


def test_output_dir_mirrors_and_keeps_identical_outputs(tmp_path):
    src = tmp_path / "src"
    (src / "x" / "y").mkdir(parents=True)
    (src / "x" / "y" / "deep.txt").write_text(DIRTY)
    (src / "top.txt").write_text(CLEAN)
    out = tmp_path / "out"
    assert run(["clean", str(src), "-o", str(out)]).exit_code == 0
    assert (out / "x" / "y" / "deep.txt").read_text() == DIRTY_CLEAN
    os.utime(out / "top.txt", (1_000_000, 1_000_000))
    assert run(["clean", str(src), "-o", str(out)]).exit_code == 0
    assert (out / "top.txt").stat().st_mtime == 1_000_000  # identical output not rewritten


def test_json_report_equals_library_report(tmp_path):
    doc = tmp_path / "a.txt"
    doc.write_text("A\u00a0b  c.The end (Reporter Li)On 5th(Reporters Chen).\n生态 stays.\n")
    report = tmp_path / "report.json"
    result = run(["clean", str(doc), "--report", str(report), "--ignore", "L004"])
    assert result.exit_code == 0
    cli_doc = json.loads(report.read_text(encoding="utf-8"))
    config = Config().with_selection(None, (), ("L004",))
    lib = clean_file(doc, normalizer=Normalizer(config))
    lib_doc = build_report([lib.report_entry()], config.hash)
    assert cli_doc == lib_doc
    validate_report(cli_doc)
    assert cli_doc["files"][0]["changes"], "the fixture must produce changes"


def test_jobs_two_equals_jobs_one_byte_for_byte(tmp_path):
    src = tmp_path / "src"
    for i in range(60):
        sub = src / f"d{i % 4}"
        sub.mkdir(parents=True, exist_ok=True)
        body = "".join(
            f"Line {j} of doc {i}: high -quality work.The plan  works ,{'generally' * (j % 3)}.\n"
            for j in range(i % 7 + 1)
        )
        (sub / f"doc{i:03d}.txt").write_text(body)
    (src / "d1" / "bad.txt").write_bytes(b"\x00bin")
    outputs = {}
    for jobs in ("1", "2"):
        out, rep = tmp_path / f"out{jobs}", tmp_path / f"r{jobs}.json"
        result = run(["clean", str(src), "-o", str(out), "--jobs", jobs, "--report", str(rep)])
        assert result.exit_code == 2  # the binary file
        outputs[jobs] = (
            {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*.txt"))},
            rep.read_bytes(),
        )
    assert len(outputs["1"][0]) == 60
    assert outputs["1"] == outputs["2"]


def test_report_formats(tmp_path):
    doc = tmp_path / "a.txt"
    doc.write_text(DIRTY)
    md = tmp_path / "r.md"
    assert run(["check", str(doc), "--report", str(md)]).exit_code == 1
    text = md.read_text()
    assert "| S001 | spaced-hyphen | 1 |" in text and "a.txt" in text
    jl = tmp_path / "r.jsonl"
    assert run(["check", str(doc), "--report", str(jl)]).exit_code == 1
    rows = [json.loads(line) for line in jl.read_text().splitlines()]
    assert [r["rule"] for r in rows] == ["S001", "S002"]
    assert all(r["path"] == str(doc) and r["kind"] == "change" for r in rows)
    forced = tmp_path / "r.txt"
    assert run(["check", str(doc), "--report", str(forced), "--report-format", "jsonl"]
               ).exit_code == 1
    assert forced.read_text() == jl.read_text()


def test_report_format_sarif(tmp_path):
    pytest.importorskip("normalize.reports.sarif")
    doc = tmp_path / "a.txt"
    doc.write_text(DIRTY)
    out = tmp_path / "r.sarif"
    assert run(["check", str(doc), "--report", str(out)]).exit_code == 1
    sarif = json.loads(out.read_text())
    assert sarif["version"] == "2.1.0"


def test_report_format_html(tmp_path):
    pytest.importorskip("normalize.reports.html")
    doc = tmp_path / "a.txt"
    doc.write_text(DIRTY)
    out = tmp_path / "html"
    result = run(["check", str(doc), "--report", str(out), "--report-format", "html"])
    assert result.exit_code == 1, result.stderr
    assert any(p.suffix == ".html" for p in out.rglob("*"))


def test_missing_renderer_is_a_clear_error(tmp_path, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def fake_import(name, globals=None, locals=None, fromlist=(), level=0):
        if name == "normalize.reports" and fromlist and "sarif" in fromlist:
            raise ImportError("No module named 'normalize.reports.sarif'")
        return real_import(name, globals, locals, fromlist, level)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    doc = tmp_path / "a.txt"
    doc.write_text(DIRTY)
    result = run(["check", str(doc), "--report", str(tmp_path / "r.sarif")])
    assert result.exit_code == 2
    assert "SARIF output is not available" in result.stderr


def test_boilerplate_from_corpus(tmp_path):
    src = tmp_path / "corpus"
    src.mkdir()
    for i in range(24):
        (src / f"n{i:02d}.txt").write_text(
            f"Story {i} reports on the harvest number {i * 7}.\n"
            "Contact the desk at the usual hours for story tips.\n"
        )
    with_flag, without = tmp_path / "with.json", tmp_path / "without.json"
    assert run(["check", str(src), "--report", str(without)]).exit_code == 0
    run(["check", str(src), "--boilerplate-from-corpus", "--report", str(with_flag)])
    rules_with = json.loads(with_flag.read_text())["summary"]["counts"]
    rules_without = json.loads(without.read_text())["summary"]["counts"]
    assert not any(k.startswith("C") for k in rules_without)
    assert any(k.startswith("C") for k in rules_with), rules_with


def test_rules_and_rule():
    from normalize import all_rules

    result = run(["rules"])
    assert result.exit_code == 0
    for r in all_rules():
        assert r.code in result.stdout
    assert "L006" in result.stdout and "off" in result.stdout
    listed = json.loads(run(["rules", "--json"]).stdout)
    assert [r["code"] for r in listed] == [r.code for r in all_rules()]
    one = run(["rule", "s001"])
    assert one.exit_code == 0
    assert "spaced-hyphen" in one.stdout and "Examples:" in one.stdout
    bad = run(["rule", "Q123"])
    assert bad.exit_code == 2 and "unknown rule" in bad.stderr


def test_version():
    from normalize import __version__

    result = run(["--version"])
    assert result.exit_code == 0 and __version__ in result.stdout


def test_summary_and_progress_formatting():
    t = Tally(files=3, changed=2, errors=0, changes=10, findings=2, counts={"S001": 4, "S002": 6})
    assert summary_line(t, check=False, dry_run=False) == (
        "3 files: 2 cleaned, 1 unchanged; 10 changes (S002 6, S001 4), 2 findings"
    )
    line = format_progress(50, 100, 2_000_000, 4_000_000, 2.0)
    assert line.startswith("[##########----------] 50/100 files  2.0/4.0 MB  1.0 MB/s  ETA 0:02")


def test_no_progress_bar_when_not_a_tty(tmp_path):
    src = tmp_path / "s"
    src.mkdir()
    for i in range(10):
        (src / f"{i}.txt").write_text(DIRTY)
    result = run(["check", str(src)])
    assert "\r" not in result.stderr and "MB/s" not in result.stderr


def _python_m(args, cwd, stdin=b""):
    return subprocess.run(
        [sys.executable, "-m", "normalize", *args], cwd=cwd, input=stdin, capture_output=True,
        timeout=120,
    )


def test_python_m_stdin_and_errors(tmp_path):
    ok = _python_m(["clean", "-"], tmp_path, DIRTY.encode())
    assert ok.returncode == 0 and ok.stdout == DIRTY_CLEAN.encode()
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfeX\x00\x00")  # UTF-16 BOM, broken
    (tmp_path / "lat.txt").write_bytes("naïve\n".encode("latin-1"))
    bad = _python_m(["check", "bad.txt", "lat.txt"], tmp_path)
    assert bad.returncode == 2
    assert b"Traceback" not in bad.stderr
    assert b"lat.txt: not valid UTF-8" in bad.stderr


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True,
                    reason="root can read files without read permission")
def test_unreadable_file(tmp_path):
    p = tmp_path / "secret.txt"
    p.write_text("x\n")
    os.chmod(p, 0)
    result = run(["check", str(p)])
    assert result.exit_code == 2 and "permission denied" in result.stderr


def test_huge_single_line_is_fine(tmp_path):
    p = tmp_path / "big.txt"
    p.write_text("word " * 400_000 + "\n")  # 2 MB on one line
    result = run(["check", "-q", str(p)])
    assert result.exit_code == 1  # the trailing space before the newline


def test_paths_in_report_are_as_given(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("d").mkdir()
    Path("d/a.txt").write_text(DIRTY)
    run(["check", "d", "--report", "r.json"])
    assert json.loads(Path("r.json").read_text())["files"][0]["path"] == "d/a.txt"


def test_progress_bar_on_a_terminal():
    import io

    from normalize.cli import Console, Progress

    class FakeTTY(io.StringIO):
        def isatty(self) -> bool:
            return True

    console = Console(quiet=False, verbose=False)
    console.err = FakeTTY()
    progress = Progress(console, total_files=10, total_bytes=10_000_000)
    assert progress.enabled
    for _ in range(10):
        progress.advance(1_000_000)
    progress.done()
    shown = console.err.getvalue()
    assert "\r" in shown and "10/10 files" in shown and "MB/s" in shown and "ETA" in shown
    assert shown.endswith("\r\x1b[K")  # the bar is erased before the summary
    assert not Progress(console, total_files=3, total_bytes=1).enabled  # a few files: no bar
    console.quiet = True
    assert not Progress(console, total_files=100, total_bytes=1).enabled


def test_verbose_and_dry_run_with_report(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("d").mkdir()
    Path("d/a.txt").write_text(DIRTY)
    Path("d/b.txt").write_text(CLEAN)
    result = run(["clean", "d", "--report", "r.json", "-v"])
    assert result.exit_code == 0 and result.stdout == ""
    assert "cleaned d/a.txt (2 changes)" in result.stderr
    assert "unchanged d/b.txt" in result.stderr and "report: r.json" in result.stderr
    assert "1 would be cleaned" in result.stderr
    assert Path("d/a.txt").read_text() == DIRTY
    assert json.loads(Path("r.json").read_text())["summary"]["changed"] == 1


def test_interrupted_in_place_write_leaves_file_intact(tmp_path, monkeypatch):
    import normalize.io

    target = tmp_path / "a.txt"
    target.write_text(DIRTY)

    def interrupt(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(normalize.io.os, "fsync", interrupt)
    result = run(["clean", "--in-place", str(target)])
    assert result.exit_code == 130
    assert target.read_text() == DIRTY
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_glossary_subcommand_is_mounted():
    result = run(["glossary", "--help"])
    assert result.exit_code == 0 and "glossar" in result.stdout.lower()


def test_unwritable_output_is_reported_not_raised(tmp_path):
    # A parent of the output folder is a file: every write fails (even for root), each
    # file is reported, and the batch ends with exit 2 instead of a traceback.
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(DIRTY)
    (tmp_path / "blocker").write_text("x")
    result = run(["clean", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"),
                  "-o", str(tmp_path / "blocker" / "out")])
    assert result.exit_code == 2
    assert result.stderr.count("cannot write") == 2 and "Traceback" not in result.stderr


def test_output_dir_that_is_a_file(tmp_path):
    (tmp_path / "a.txt").write_text(DIRTY)
    (tmp_path / "out").write_text("x")
    result = run(["clean", str(tmp_path / "a.txt"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and "not a folder" in result.stderr
