"""File discovery and the batch library API (normalize.batch)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from normalize import Config, clean_file, clean_files
from normalize.batch import UsageError, check_output_dir, discover, ordered_map
from normalize.errors import BinaryInputError, DecodeError

DIRTY = "high -quality work.The end\n"


def make(root: Path, files: dict[str, str | bytes]) -> None:
    for name, data in files.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            p.write_bytes(data)
        else:
            p.write_text(data)


def names(targets, root: Path) -> list[str]:
    return [Path(os.path.relpath(t.path, root)).as_posix() for t in targets]


def test_walk_is_sorted_recursive_and_skips_hidden(tmp_path):
    make(tmp_path, {
        "b.txt": "x", "a.md": "x", "sub/c.txt": "x", "sub/deeper/d.rst": "x",
        ".hidden/e.txt": "x", "sub/.f.txt": "x", "img.png": b"\x89PNG\x00", "g.html": "x",
    })
    got = names(discover([tmp_path]), tmp_path)
    assert got == ["a.md", "b.txt", "sub/c.txt", "sub/deeper/d.rst"]


def test_include_and_exclude(tmp_path):
    make(tmp_path, {"a.txt": "x", "b.html": "x", "skip/c.html": "x", "keep/d.html": "x"})
    got = names(discover([tmp_path], include=["*.html"], exclude=["skip"]), tmp_path)
    assert got == ["b.html", "keep/d.html"]
    got = names(discover([tmp_path], include=["*"], exclude=["keep/*.html", "*.txt"]), tmp_path)
    assert got == ["b.html", "skip/c.html"]


def test_explicit_files_always_taken(tmp_path):
    make(tmp_path, {"page.html": "x", ".hidden.txt": "x"})
    got = names(discover([tmp_path / "page.html", tmp_path / ".hidden.txt"]), tmp_path)
    assert got == ["page.html", ".hidden.txt"]


def test_globs_missing_paths_and_dedup(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make(tmp_path, {"n/a.txt": "x", "n/b.txt": "x", "n/sub/c.txt": "x"})
    targets = discover(["n/*.txt", "n/a.txt", "n/**/*.txt", "missing.txt", "*.none"])
    ok = [t.path.as_posix() for t in targets if t.error is None]
    assert ok == ["n/a.txt", "n/b.txt", "n/sub/c.txt"]
    errors = [t.error for t in targets if t.error]
    assert errors == ["missing.txt: no such file or directory",
                      "*.none: no files match this pattern"]


def test_symlink_loop_survives(tmp_path):
    make(tmp_path, {"a/x.txt": "x", "a/b/y.txt": "y"})
    os.symlink(tmp_path / "a", tmp_path / "a" / "b" / "loop")
    os.symlink(tmp_path / "nowhere", tmp_path / "a" / "dangling.txt")
    got = names(discover([tmp_path / "a"]), tmp_path)
    assert got == ["a/x.txt", "a/b/y.txt"]


def test_mirror_paths(tmp_path):
    make(tmp_path, {"one/a.txt": "x", "two/sub/b.txt": "x", "f.txt": "x"})
    single = discover([tmp_path / "one"])
    assert [t.rel.as_posix() for t in single] == ["a.txt"]
    both = discover([tmp_path / "one", tmp_path / "two", tmp_path / "f.txt"])
    assert [t.rel.as_posix() for t in both] == ["one/a.txt", "two/sub/b.txt", "f.txt"]


def test_output_inside_input_refused(tmp_path):
    (tmp_path / "in").mkdir()
    with pytest.raises(UsageError, match="inside input folder"):
        check_output_dir(tmp_path / "in" / "out", [tmp_path / "in"])
    with pytest.raises(UsageError, match="inside input folder"):
        check_output_dir(tmp_path / "in", [tmp_path / "in"])
    check_output_dir(tmp_path / "out", [tmp_path / "in"])  # sibling: fine
    (tmp_path / "file").write_text("x")
    with pytest.raises(UsageError, match="not a folder"):
        check_output_dir(tmp_path / "file", [tmp_path / "in"])


def test_clean_file_raises_typed_errors(tmp_path):
    make(tmp_path, {"bin.txt": b"a\x00b", "lat.txt": "é\n".encode("latin-1"), "ok.txt": DIRTY})
    with pytest.raises(BinaryInputError):
        clean_file(tmp_path / "bin.txt")
    with pytest.raises(DecodeError):
        clean_file(tmp_path / "lat.txt")
    fr = clean_file(tmp_path / "ok.txt", Config(select=("S001",)))
    assert fr.result.text == "high-quality work.The end\n"
    assert fr.encoding == "utf-8" and fr.changed


def test_clean_files_yields_errors_in_order(tmp_path):
    make(tmp_path, {"a.txt": DIRTY, "b.txt": b"\x00", "c.txt": "fine\n"})
    results = list(clean_files([tmp_path, tmp_path / "nope.txt"]))
    assert [Path(r.path).name for r in results] == ["a.txt", "b.txt", "c.txt", "nope.txt"]
    assert [r.error_kind for r in results] == [None, "binary", None, "read"]
    assert results[0].changed and not results[2].changed


def test_clean_files_parallel_matches_serial(tmp_path):
    make(tmp_path, {f"d/{i:03d}.txt": DIRTY * (i % 5 + 1) for i in range(80)})
    serial = list(clean_files([tmp_path / "d"], jobs=1))
    parallel = list(clean_files([tmp_path / "d"], jobs=2))
    assert [r.report_entry() for r in serial] == [r.report_entry() for r in parallel]


def _square(x: int) -> int:
    return x * x


def _noop() -> None:
    return None


def test_ordered_map_keeps_order_and_is_lazy():
    consumed = 0

    def items():
        nonlocal consumed
        for i in range(10_000):
            consumed += 1
            yield i

    it = ordered_map(_square, items(), jobs=2, initializer=_noop, window=4)
    assert [next(it) for _ in range(5)] == [0, 1, 4, 9, 16]
    assert consumed < 50
    it.close()
    assert list(ordered_map(_square, range(100), jobs=2, initializer=_noop)) == [
        i * i for i in range(100)
    ]
