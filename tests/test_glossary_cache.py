"""The on-disk cache of compiled glossaries (normalize.glossary.diskcache).

Every test points ``MTNORM_CACHE_DIR`` at its own tmp folder and empties the in-process
caches, so that each ``load_compiled`` really goes to disk.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import normalize
from normalize import engine
from normalize.cli import app
from normalize.engine import Normalizer
from normalize.errors import GlossaryError
from normalize.glossary import compiled as compiled_mod
from normalize.glossary import diskcache
from normalize.glossary.compiled import CompiledGlossary, load_compiled

GLOSSARY = """\
[[entry]]
id = "dee"
canonical = "Department of Ecology and Environment"
variants = ["Department of Ecological Environment"]

[[entry.examples]]
from = "the Department of Ecological Environment"
to = "the Department of Ecology and Environment"
"""
TEXT = (
    "The Provincial Department of Ecological Environment and the Provincial Ecological "
    "and Environmental Department met the Changsha Municipal Ecological Environment Bureau.\n"
)


@pytest.fixture(autouse=True)
def _restore_process_caches():
    """These tests empty the in-process caches; other modules' matchers come back after."""
    caches = (compiled_mod._CACHE, compiled_mod._CHECKED, engine._CACHE)
    saved = [dict(c) for c in caches]
    yield
    for c, old in zip(caches, saved, strict=True):
        c.clear()
        c.update(old)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("MTNORM_CACHE_DIR", str(folder))
    monkeypatch.delenv("MTNORM_NO_CACHE", raising=False)
    _forget()
    return folder


def _forget() -> None:
    """Empty the in-process caches (the disk is what these tests are about)."""
    compiled_mod._CACHE.clear()
    compiled_mod._CHECKED.clear()
    engine._CACHE.clear()  # shared Normalizers hold their matcher


def _entries(folder: Path) -> list[Path]:
    sub = folder / diskcache.SUBDIR
    return sorted(sub.glob("*" + diskcache.SUFFIX)) if sub.is_dir() else []


def _no_compile(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make compiling and linting fail: only a cache hit can succeed now."""

    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled although the cache should have hit")

    monkeypatch.setattr(CompiledGlossary, "__init__", boom)
    monkeypatch.setattr("normalize.glossary.lint.lint_glossary", boom)


def _compiles(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count constructions of CompiledGlossary."""
    calls: list[int] = []
    original = CompiledGlossary.__init__

    def counting(self: CompiledGlossary, *args: object, **kwargs: object) -> None:
        calls.append(1)
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(CompiledGlossary, "__init__", counting)
    return calls


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_miss_then_hit_gives_the_same_matcher(cache: Path, monkeypatch: pytest.MonkeyPatch):
    first = load_compiled(["builtin"])
    assert len(_entries(cache)) == 1
    assert (cache / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172")
    expected = [(m.start, m.end, m.replacement, m.match_type, m.action) for m in first.scan(TEXT)]
    assert any(m[3] == "fuzzy" for m in expected)  # the fuzzy index came through too
    _forget()
    with monkeypatch.context() as m:
        _no_compile(m)
        second = load_compiled(["builtin"])
    assert second is not first
    got = [(m.start, m.end, m.replacement, m.match_type, m.action) for m in second.scan(TEXT)]
    assert got == expected
    assert second.apply(TEXT) == first.apply(TEXT)
    # and in the process, the hit is shared like a compiled matcher
    assert load_compiled(["builtin"]) is second


def test_hit_through_the_engine(cache: Path, monkeypatch: pytest.MonkeyPatch):
    before = Normalizer().clean(TEXT)
    _forget()
    with monkeypatch.context() as m:
        _no_compile(m)
        after = Normalizer().clean(TEXT)
    assert after.text == before.text
    assert after.changes == before.changes


def test_changed_glossary_content_misses(cache: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch):
    path = _write(tmp_path / "g.toml", GLOSSARY)
    calls = _compiles(monkeypatch)
    load_compiled([str(path)])
    assert len(calls) == 1 and len(_entries(cache)) == 1
    _forget()
    load_compiled([str(path)])
    assert len(calls) == 1  # hit
    _write(path, GLOSSARY.replace('"Department of Ecological Environment"]',
                                  '"Department of Ecological Environment", "Eco Dept"]'))
    _forget()
    changed = load_compiled([str(path)])
    assert len(calls) == 2 and len(_entries(cache)) == 2
    assert changed.apply("the Eco Dept said") == (
        "the Department of Ecology and Environment said"
    )


def test_fuzzy_switch_and_version_are_part_of_the_key(cache: Path,
                                                      monkeypatch: pytest.MonkeyPatch):
    load_compiled(["builtin"], fuzzy=True)
    _forget()
    exact_only = load_compiled(["builtin"], fuzzy=False)
    assert exact_only.fuzzy is None
    assert len(_entries(cache)) == 2
    _forget()
    with monkeypatch.context() as m:
        _no_compile(m)
        assert load_compiled(["builtin"], fuzzy=False).fuzzy is None
        assert load_compiled(["builtin"], fuzzy=True).fuzzy is not None
    calls = _compiles(monkeypatch)
    monkeypatch.setattr(normalize, "__version__", "999.0")
    diskcache._environment.cache_clear()
    try:
        _forget()
        load_compiled(["builtin"])
        assert len(calls) == 1 and len(_entries(cache)) == 3
    finally:
        monkeypatch.undo()
        diskcache._environment.cache_clear()


PLACES_GLOSSARY = """\
[glossary]
places = ["places.toml"]

[[entry]]
id = "city-bureau"
canonical = "{city} Municipal Bureau of Ecology and Environment"
variants = ["{city} Ecological Environment Bureau"]
"""


def _no_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed although the index should have hit")

    monkeypatch.setattr(compiled_mod, "load_layers", boom)


def test_index_hit_skips_parsing(cache: Path, monkeypatch: pytest.MonkeyPatch):
    expected = load_compiled(["builtin"]).apply(TEXT)
    assert len(list((cache / diskcache.SUBDIR).glob("*" + diskcache.INDEX_SUFFIX))) == 1
    _forget()
    with monkeypatch.context() as m:
        _no_parse(m)
        _no_compile(m)
        assert load_compiled(["builtin"]).apply(TEXT) == expected
    # in the process too: a second Normalizer needs no parse either
    with monkeypatch.context() as m:
        _no_parse(m)
        assert load_compiled(["builtin"]).apply(TEXT) == expected


def test_changed_place_list_misses(cache: Path, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch):
    """The index covers the place files a glossary pulls in, not only the layers."""
    glossary = _write(tmp_path / "g.toml", PLACES_GLOSSARY)
    places = _write(tmp_path / "places.toml", '[places]\ncity = ["Changsha"]\n')
    text = ("the Changsha Ecological Environment Bureau and the Zhuzhou Ecological "
            "Environment Bureau")
    before = load_compiled([str(glossary)]).apply(text)
    assert before.count("Municipal Bureau of Ecology and Environment") == 1
    _forget()
    with monkeypatch.context() as m:
        _no_parse(m)
        assert load_compiled([str(glossary)]).apply(text) == before
    _write(places, '[places]\ncity = ["Changsha", "Zhuzhou"]\n')
    _forget()
    after = load_compiled([str(glossary)]).apply(text)
    assert after.count("Municipal Bureau of Ecology and Environment") == 2
    places.unlink()
    _forget()
    with pytest.raises(GlossaryError, match=r"places\.toml"):
        load_compiled([str(glossary)])


@pytest.mark.parametrize("payload", [b"", b"junk", pickle.dumps(("x", ("d", ["/nowhere"])))])
def test_corrupt_index_falls_back(cache: Path, payload: bytes):
    expected = load_compiled(["builtin"]).apply(TEXT)
    (index,) = (cache / diskcache.SUBDIR).glob("*" + diskcache.INDEX_SUFFIX)
    index.write_bytes(payload)
    _forget()
    assert load_compiled(["builtin"]).apply(TEXT) == expected
    name, (digest, sources) = pickle.loads(index.read_bytes())  # rewritten
    assert name == index.name and sources and digest


def test_lint_failure_is_never_cached(cache: Path, tmp_path: Path):
    bad = GLOSSARY.replace('to = "the Department of Ecology and Environment"', 'to = "nope"')
    path = _write(tmp_path / "bad.toml", bad)
    for _ in range(2):
        with pytest.raises(GlossaryError, match="GL006"):
            load_compiled([str(path)])
        _forget()
    assert _entries(cache) == []


@pytest.mark.parametrize(
    "payload",
    [b"", b"not a pickle", pickle.dumps(("wrong key", object())), pickle.dumps([1, 2, 3]),
     b"\x80\x05\x95"],
    ids=["empty", "garbage", "foreign-key", "wrong-shape", "truncated"],
)
def test_corrupt_entry_falls_back_and_is_replaced(cache: Path, payload: bytes,
                                                   monkeypatch: pytest.MonkeyPatch):
    expected = load_compiled(["builtin"]).apply(TEXT)
    (entry,) = _entries(cache)
    entry.write_bytes(payload)
    _forget()
    calls = _compiles(monkeypatch)
    assert load_compiled(["builtin"]).apply(TEXT) == expected
    assert len(calls) == 1
    stored_key, obj = pickle.loads(entry.read_bytes())  # rewritten, valid again
    assert isinstance(obj, CompiledGlossary) and entry.name.startswith(stored_key)


def test_entry_of_another_class_is_ignored(cache: Path, monkeypatch: pytest.MonkeyPatch):
    load_compiled(["builtin"])
    (entry,) = _entries(cache)
    stored_key, _ = pickle.loads(entry.read_bytes())
    entry.write_bytes(pickle.dumps((stored_key, {"not": "a matcher"})))
    _forget()
    calls = _compiles(monkeypatch)
    assert isinstance(load_compiled(["builtin"]), CompiledGlossary)
    assert len(calls) == 1


def test_unwritable_cache_dir_falls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    blocker = _write(tmp_path / "a-file", "x")  # a folder cannot be made under a file
    monkeypatch.setenv("MTNORM_CACHE_DIR", str(blocker / "cache"))
    monkeypatch.delenv("MTNORM_NO_CACHE", raising=False)
    _forget()
    result = load_compiled(["builtin"])
    assert result.apply(TEXT) != TEXT
    _forget()
    assert load_compiled(["builtin"]).apply(TEXT) == result.apply(TEXT)


def test_read_only_cache_dir_falls_back(cache: Path, monkeypatch: pytest.MonkeyPatch):
    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(diskcache.tempfile, "mkstemp", denied)
    monkeypatch.setattr(diskcache.os, "utime", denied)
    expected = load_compiled(["builtin"]).apply(TEXT)
    assert _entries(cache) == []
    _forget()
    assert load_compiled(["builtin"]).apply(TEXT) == expected


def test_no_leftover_temporary_on_a_failed_write(cache: Path, monkeypatch: pytest.MonkeyPatch):
    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(diskcache.os, "replace", fail)
    load_compiled(["builtin"])
    assert list((cache / diskcache.SUBDIR).iterdir()) == []


@pytest.mark.parametrize("value", ["1", "true", "yes"])
def test_mtnorm_no_cache_neither_reads_nor_writes(cache: Path, value: str,
                                                  monkeypatch: pytest.MonkeyPatch):
    load_compiled(["builtin"])
    (entry,) = _entries(cache)
    stamp = entry.stat().st_mtime_ns
    _forget()
    monkeypatch.setenv("MTNORM_NO_CACHE", value)
    calls = _compiles(monkeypatch)
    load_compiled(["builtin"])
    _forget()
    load_compiled(["builtin"])
    assert len(calls) == 2  # nothing was read
    assert _entries(cache) == [entry] and entry.stat().st_mtime_ns == stamp  # nor written


def test_mtnorm_no_cache_zero_keeps_the_cache(cache: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("MTNORM_NO_CACHE", "0")
    load_compiled(["builtin"])
    assert len(_entries(cache)) == 1


def test_cli_no_cache_option(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    doc = _write(tmp_path / "doc.txt", TEXT)
    result = CliRunner().invoke(app, ["check", "--no-cache", str(doc)], catch_exceptions=False)
    assert result.exit_code == 1
    assert _entries(cache) == []
    assert "MTNORM_NO_CACHE" not in os.environ  # set for the run (and its workers) only
    _forget()
    result = CliRunner().invoke(app, ["check", str(doc)], catch_exceptions=False)
    assert result.exit_code == 1
    assert len(_entries(cache)) == 1


def test_size_is_bounded(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(diskcache, "MAX_ENTRIES", 3)
    paths = []
    for i in range(5):
        text = GLOSSARY.replace('id = "dee"', f'id = "dee{i}"')
        paths.append(_write(tmp_path / f"g{i}.toml", text))
    for i, path in enumerate(paths):
        load_compiled([str(path)])
        entry = cache / diskcache.SUBDIR / (diskcache.key(_digest(path), True) + diskcache.SUFFIX)
        os.utime(entry, (1_000_000 + i, 1_000_000 + i))  # distinct ages, oldest first
        _forget()
    left = _entries(cache)
    newest = {diskcache.key(_digest(p), True) + diskcache.SUFFIX for p in paths[-3:]}
    assert {p.name for p in left} == newest


def _digest(path: Path) -> str:
    from normalize.glossary.loader import load_layers

    return load_layers([path])[0].digest


def test_stale_temporaries_are_removed(cache: Path, tmp_path: Path):
    load_compiled(["builtin"])
    folder = cache / diskcache.SUBDIR
    stale = _write(folder / (".tmp-dead" + diskcache.SUFFIX), "x")
    fresh = _write(folder / (".tmp-busy" + diskcache.SUFFIX), "x")
    os.utime(stale, (1_000_000, 1_000_000))
    diskcache._trim(folder)
    assert not stale.exists() and fresh.exists()


def test_location(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.delenv("MTNORM_CACHE_DIR", raising=False)
    if sys.platform in ("win32", "darwin"):
        pytest.skip("XDG layout is for other platforms")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert diskcache.cache_dir() == tmp_path / "xdg" / "mt-normalize"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert diskcache.cache_dir() == tmp_path / "home" / ".cache" / "mt-normalize"
    monkeypatch.setenv("MTNORM_CACHE_DIR", str(tmp_path / "mine"))
    assert diskcache.cache_dir() == tmp_path / "mine"


_WORKER = """
import sys
from normalize.glossary.compiled import load_compiled
c = load_compiled(["builtin"])
sys.stdout.write(c.apply(sys.argv[1]))
"""


def test_concurrent_processes(tmp_path: Path):
    """Parallel cold runs (pre-commit, --jobs) all succeed and leave one valid entry."""
    env = {**os.environ, "MTNORM_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("MTNORM_NO_CACHE", None)
    procs = [
        subprocess.Popen([sys.executable, "-c", _WORKER, TEXT], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(6)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err for _, err in outs]
    assert all(err == b"" for _, err in outs)
    assert len({out for out, _ in outs}) == 1
    (entry,) = _entries(tmp_path / "cache")
    assert not [p for p in entry.parent.iterdir() if p.name.startswith(".tmp-")]
    _, obj = pickle.loads(entry.read_bytes())
    assert obj.apply(TEXT).encode() == outs[0][0]


def test_broken_cache_never_shows_in_the_cli(tmp_path: Path):
    """A cache path that cannot work: same exit code and output, no traceback."""
    doc = _write(tmp_path / "doc.txt", TEXT)
    blocker = _write(tmp_path / "a-file", "x")
    base = {k: v for k, v in os.environ.items() if k != "MTNORM_NO_CACHE"}
    runs = []
    for cache_dir in (str(tmp_path / "ok"), str(blocker / "cache")):
        runs.append(subprocess.run(
            [sys.executable, "-m", "normalize", "check", str(doc)],
            env={**base, "MTNORM_CACHE_DIR": cache_dir}, capture_output=True, timeout=120,
        ))
    assert [r.returncode for r in runs] == [1, 1]
    assert runs[0].stdout == runs[1].stdout and runs[0].stderr == runs[1].stderr
    assert b"Traceback" not in runs[1].stderr


PLANTED_RAN: list[str] = []


def _planted_code() -> None:
    """What a planted entry runs when unpickled (found by reference: this module)."""
    PLANTED_RAN.append("ran")


class _Planted:
    """An entry someone else could write: unpickling it runs code."""

    def __reduce__(self):  # type: ignore[override]
        return (_planted_code, ())


def _plant(cache: Path) -> Path:
    """A planted entry where ``load_compiled(["builtin"])`` will look for it."""
    load_compiled(["builtin"])  # creates the folder and the real entry
    (entry,) = _entries(cache)
    name = entry.name
    entry.write_bytes(pickle.dumps((name, _Planted())))
    _forget()
    return entry


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX owners and mode bits")
@pytest.mark.parametrize("where", ["file", "folder"])
def test_entry_writable_by_others_is_never_unpickled(cache: Path, where: str):
    entry = _plant(cache)
    target = entry if where == "file" else entry.parent
    target.chmod(target.stat().st_mode | 0o022)
    PLANTED_RAN.clear()
    matcher = load_compiled(["builtin"])  # compiles instead
    assert PLANTED_RAN == []
    assert matcher.apply(TEXT) != TEXT


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX owners and mode bits")
def test_entry_of_another_owner_is_never_unpickled(cache: Path, monkeypatch: pytest.MonkeyPatch):
    _plant(cache)
    monkeypatch.setattr(os, "getuid", lambda: 12345)  # as if someone else wrote it
    PLANTED_RAN.clear()
    load_compiled(["builtin"])
    assert PLANTED_RAN == []


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX owners and mode bits")
def test_own_private_entry_is_used(cache: Path, monkeypatch: pytest.MonkeyPatch):
    load_compiled(["builtin"])
    assert not (cache / diskcache.SUBDIR).stat().st_mode & 0o077  # created private
    _forget()
    with monkeypatch.context() as m:
        _no_compile(m)
        load_compiled(["builtin"])  # a hit: no compile
