"""Decoding rules, round-trips and atomic writes of normalize.io."""

from __future__ import annotations

import os
import stat

import pytest

from normalize.errors import BinaryInputError, DecodeError, InputError
from normalize.io import AtomicFile, atomic_write, decode_bytes, read_document

ARTICLE_ZH = (
    "新华社北京3月5日电（记者 陈一）国务院总理在政府工作报告中表示，"
    "今年国内生产总值增长预期目标为百分之五左右。\n"
)
MOSTLY_EN = "The Provincial Department of Ecology (生态环境厅) met on Monday.\n"

# (id, bytes, expected encoding, expected text)
DECODE_CASES = [
    ("utf8", b"high -quality\n", "utf-8", "high -quality\n"),
    ("utf8-bom", b"\xef\xbb\xbfHeadline\n", "utf-8", "\ufeffHeadline\n"),
    ("utf16le-bom", "\ufeffHi 你好\r\n".encode("utf-16-le"), "utf-16-le", "\ufeffHi 你好\r\n"),
    ("utf16be-bom", "\ufeffHi\n".encode("utf-16-be"), "utf-16-be", "\ufeffHi\n"),
    ("utf32le-bom", "\ufeffHi\n".encode("utf-32-le"), "utf-32-le", "\ufeffHi\n"),
    ("gb18030-article", ARTICLE_ZH.encode("gb18030"), "gb18030", ARTICLE_ZH),
    ("gbk-mostly-english", MOSTLY_EN.encode("gbk"), "gb18030", MOSTLY_EN),
    ("empty", b"", "utf-8", ""),
    ("whitespace", b"  \n\t\n", "utf-8", "  \n\t\n"),
]


@pytest.mark.parametrize(
    ("data", "encoding", "text"), [c[1:] for c in DECODE_CASES], ids=[c[0] for c in DECODE_CASES]
)
def test_decode_and_round_trip(data, encoding, text):
    decoded = decode_bytes(data, path="doc.txt")
    assert decoded.encoding == encoding
    assert decoded.text == text
    # Writing the unchanged text back in its own codec reproduces the input byte for byte.
    assert decoded.text.encode(decoded.encoding) == data


def test_latin1_is_an_error_naming_file_and_encoding_flag():
    with pytest.raises(DecodeError) as info:
        decode_bytes("café résumé naïve\n".encode("latin-1"), path="news/a.txt")
    message = str(info.value)
    assert "news/a.txt" in message and "--encoding" in message and "0xE9" in message
    assert info.value.path == "news/a.txt"


def test_forced_encoding_reads_latin1():
    assert decode_bytes("café\n".encode("latin-1"), encoding="latin-1").text == "café\n"


def test_forced_wrong_encoding_is_a_decode_error():
    with pytest.raises(DecodeError, match="check the --encoding"):
        decode_bytes(b"\xff\xfe\xfd bad", encoding="utf-8")


def test_unknown_encoding_name():
    with pytest.raises(InputError, match="unknown encoding 'klingon'"):
        decode_bytes(b"x", encoding="klingon")


def test_forced_utf16_without_bom_round_trips():
    data = "plain".encode("utf-16-le")
    decoded = decode_bytes(data, encoding="utf-16")
    assert decoded.text == "plain" and decoded.text.encode(decoded.encoding) == data


@pytest.mark.parametrize("data", [b"abc\x00def", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"])
def test_nul_bytes_mean_binary(data):
    with pytest.raises(BinaryInputError, match="binary"):
        decode_bytes(data, path="img.txt")


def test_read_document_missing_and_directory(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_document(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="is a directory"):
        read_document(tmp_path)


def test_sha256_is_of_input_bytes():
    import hashlib

    data = "x\n".encode("utf-16")
    assert decode_bytes(data).sha256 == hashlib.sha256(data).hexdigest()


def test_atomic_write_keeps_permissions_and_leaves_no_temp(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("old")
    os.chmod(target, 0o640)
    atomic_write(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_atomic_file_interrupted_leaves_original(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("original")
    with pytest.raises(KeyboardInterrupt), AtomicFile(target) as fh:
        fh.write(b"partial")
        raise KeyboardInterrupt
    assert target.read_text() == "original"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_atomic_file_discard_keeps_mtime(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("original")
    os.utime(target, (1_000_000, 1_000_000))
    with AtomicFile(target) as fh:
        fh.write(b"ignored")
        fh_sink = fh
    assert fh_sink.closed
    assert target.read_text() == "ignored"  # completed block replaces
    os.utime(target, (1_000_000, 1_000_000))
    sink = AtomicFile(target)
    with sink as fh:
        fh.write(b"other")
        sink.discard()
    assert target.read_text() == "ignored" and target.stat().st_mtime == 1_000_000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_new_file_gets_umask_permissions(tmp_path):
    target = tmp_path / "new.txt"
    atomic_write(target, b"x")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
