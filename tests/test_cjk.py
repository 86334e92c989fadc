"""CJK-aware encoding repair (issue 6): fixture figures, precision cases, the ftfy corpus,
the cheap gate, and hypothesis properties."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import ftfy
import ftfy.bad_codecs  # registers "sloppy-windows-1252"
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from normalize import Config, Normalizer, apply_changes, cjk
from tests.conftest import FTFY_CASES

FIXTURES = Path(__file__).parent / "fixtures"
CASES = json.loads((FIXTURES / "cjk_mojibake.json").read_text(encoding="utf-8"))
POSITIVE = [c for c in CASES if c["original"] != c["fixed"]]
NEGATIVE = [c for c in CASES if c["original"] == c["fixed"]]

# The default encoding rules, without the other passes (which would also touch negatives).
ENC = Normalizer(Config(select=("E001", "E002", "E005", "E1")))
FTFY_ONLY = Normalizer(Config(select=("E001",)))
WITH_CJK = Normalizer(Config(select=("E001", "E1")))
CJK_ONLY = Normalizer(Config(select=("E1",)))


def _fix(text: str) -> str:
    return ENC.clean(text).text


# --- fixture --------------------------------------------------------------------------


def test_fixture_is_the_generators_output():
    """The JSON is exactly what the committed script builds from real round trips."""
    sys.path.insert(0, str(FIXTURES))
    try:
        import make_cjk_cases
    finally:
        sys.path.remove(str(FIXTURES))
    assert make_cjk_cases.build() == CASES
    for c in CASES:
        assert set(c) >= {"label", "original", "fixed", "expect"}


def test_fixture_positive_and_negative_figures():
    assert len(POSITIVE) >= 60 and len(NEGATIVE) >= 40
    fixed = [c for c in POSITIVE if _fix(c["original"]) == c["fixed"]]
    unchanged = []
    for c in NEGATIVE:
        r = ENC.clean(c["original"])
        if r.text == c["original"] and not r.findings:
            unchanged.append(c)
    print(
        f"\nCJK fixture: positives fixed exactly {len(fixed)}/{len(POSITIVE)} "
        f"({100 * len(fixed) / len(POSITIVE):.1f}%), negatives unchanged "
        f"{len(unchanged)}/{len(NEGATIVE)} ({100 * len(unchanged) / len(NEGATIVE):.1f}%)"
    )
    missed = [c["original"] for c in POSITIVE if c not in fixed]
    touched = [c["original"] for c in NEGATIVE if c not in unchanged]
    assert touched == []
    assert len(fixed) >= 0.95 * len(POSITIVE), missed


@pytest.mark.parametrize("case", NEGATIVE, ids=lambda c: c["original"][:30])
def test_negative_untouched_by_cjk_layer_alone(case):
    r = CJK_ONLY.clean(case["original"])
    assert r.text == case["original"] and r.changes == () and r.findings == ()


# --- decisions ------------------------------------------------------------------------


def test_gbk_read_as_latin1_never_becomes_ftfys_wrong_fix():
    garbled = "图片".encode("gbk").decode("latin-1")
    assert garbled == "Í¼Æ¬"
    assert FTFY_ONLY.clean(garbled).text == "ͼƬ"  # what ftfy alone does (the bug)
    r = WITH_CJK.clean(garbled)
    assert r.text == "图片"
    (change,) = r.changes
    assert change.rule == "E102"
    assert change.meta == {"encoded_as": "gbk", "decoded_as": "windows-1252"}
    assert "gbk" in change.message and "windows-1252" in change.message


def test_utf8_read_as_gbk_in_english_line():
    r = WITH_CJK.clean("The sign 鍥剧墖 was at the gate.")
    assert r.text == "The sign 图片 was at the gate."
    assert r.changes[0].rule == "E101"
    assert r.changes[0].meta == {"encoded_as": "utf-8", "decoded_as": "gbk"}


def test_gbk_punctuation_in_english():
    src = "The bureau’s “blue sky” plan".encode("gbk").decode("latin-1")
    assert "¡¯" in src and "¡°" in src
    assert _fix(src) == "The bureau’s “blue sky” plan"


def test_utf8_punctuation_read_as_gbk():
    src = "It’s fine".encode().decode("gbk")
    assert src == "It鈥檚 fine"  # the classic signature
    assert _fix(src) == "It’s fine"


def test_multi_layer_lists_every_layer():
    src = "环境".encode("gbk").decode("latin-1").encode("utf-8").decode("sloppy-windows-1252")
    r = WITH_CJK.clean(f"Report on {src} protection")
    assert r.text == "Report on 环境 protection"
    (change,) = r.changes
    assert change.rule == "E103"
    assert change.meta["layers"] == [
        {"encoded_as": "utf-8", "decoded_as": "windows-1252"},
        {"encoded_as": "gbk", "decoded_as": "windows-1252"},
    ]


def test_mac_roman_both_directions():
    assert _fix("图片".encode("gbk").decode("mac_roman")) == "图片"
    assert _fix("图片".encode().decode("mac_roman")) == "图片"


@pytest.mark.parametrize(
    "text",
    [
        "ÖÐ",  # '中' in GBK read as Latin-1: one character is too little evidence
        "Ã©",  # UTF-8 'é' read as cp1252; its GBK reading '茅' must not win
        "Ã©Ã¨",  # 'éè': plausible UTF-8 Latin beats the GBK reading
        "Î•Î»Î»Î·Î½Î¹ÎºÎ¬",  # Greek UTF-8 mojibake: ftfy's case, not GBK
        "¡Hola!",
    ],
)
def test_short_or_ambiguous_segments_are_left_to_ftfy_or_alone(text):
    cjk_result = CJK_ONLY.clean(text)
    assert cjk_result.changes == () and cjk_result.findings == ()
    assert WITH_CJK.clean(text).text == FTFY_ONLY.clean(text).text


def test_lossy_segment_is_a_finding_not_a_guess():
    for src in ("Caption 鍥剧墖銆?", "Caption 鍥剧墖\ufffd", "图片说明".encode()[:-1].decode(
        "gbk", "replace"
    )):
        r = WITH_CJK.clean(src)
        assert r.text == src, src
        assert [f.rule for f in r.findings] == ["E105"], src
        assert r.findings[0].meta["encoded_as"] == "utf-8"
        assert "图片" in r.findings[0].message


def test_question_mark_after_legit_chinese_is_not_lossy():
    for src in ("他问：为什么?", "Is 图片 right?", "What is 生态环境?"):
        r = WITH_CJK.clean(src)
        assert r.text == src and r.findings == ()


def test_mixed_document_line_by_line():
    lines = [
        "记者从市环保局获悉，今年空气质量持续改善。",
        "城市黑臭水体整治".encode("gbk").decode("latin-1"),
        "François Müller visited Zürich — “again”.",
        "推进绿色低碳发展".encode().decode("gbk"),
        "Plain English line.",
        "Emoji 🌿 and Ext-B 𠀀𪚥 stay.",
    ]
    want = [
        lines[0],
        "城市黑臭水体整治",
        lines[2],
        "推进绿色低碳发展",
        lines[4],
        lines[5],
    ]
    doc = "\r\n".join(lines) + "\r\n"
    r = ENC.clean(doc)
    assert r.text == "\r\n".join(want) + "\r\n"
    assert apply_changes(doc, r.changes) == r.text
    assert sorted({c.line for c in r.changes}) == [2, 4]


def test_ftfy_still_repairs_latin_mojibake_on_a_line_with_a_cjk_repair():
    line = "cafÃ© " + "图片".encode("gbk").decode("mac_roman") + " naÃ¯ve"
    r = WITH_CJK.clean(line)
    assert r.text == "café 图片 naïve"
    assert [c.rule for c in r.changes] == ["E001", "E104", "E001"]


def test_every_rule_can_be_switched_off():
    src = "Caption: " + "图片".encode("gbk").decode("latin-1")
    assert Normalizer(Config(select=("E1",), ignore=("E102",))).clean(src).text == src


# --- the cheap gate ---------------------------------------------------------------------


def test_clean_english_never_reaches_the_segment_logic(monkeypatch):
    def boom(line: str) -> cjk.LineScan:
        raise AssertionError(f"scan_line called on {line!r}")

    monkeypatch.setattr(cjk, "scan_line", boom)
    text = (
        "The city’s air — “good” for 300 days… François and Jürgen agreed.\n"
        "Temperature 25°C, ½ of the plan; naïve café résumé.\n"
    ) * 50
    assert WITH_CJK.clean(text).text == text


# --- ftfy's corpus: the layer adds no change ------------------------------------------


def _ftfy_cases() -> list[dict[str, str]]:
    if not FTFY_CASES.is_dir():
        return []
    out: list[dict[str, str]] = []
    for path in sorted(FTFY_CASES.glob("*.json")):
        out.extend(json.loads(path.read_text(encoding="utf-8")))
    return out


def test_ftfy_corpus_unchanged_by_cjk_layer():
    cases = _ftfy_cases()
    if not cases:
        pytest.skip("ftfy test cases (../shared/peer-tests/ftfy-test-cases) not present")
    diffs = []
    for case in cases:
        for key in ("original", "fixed"):
            text = case[key]
            if text != text.strip("\n"):
                continue
            got, want = WITH_CJK.clean(text), FTFY_ONLY.clean(text)
            if got.text != want.text or got.findings:
                diffs.append((case["label"], key, text, got.text, want.text))
            if key == "original" and case.get("expect") == "pass":
                assert want.text == ftfy.fix_encoding(text) or "\n" in text
    print(f"\nftfy corpus: {len(cases)} cases, {len(diffs)} changed by the CJK layer")
    assert diffs == []


# --- properties -----------------------------------------------------------------------

_WORDS = ["图片", "生态环境", "空气质量", "监测", "保护", "中", "’s", "“ok”", "é", "Müller"]
_GARBLES = [
    ("utf-8", "gbk"),
    ("gbk", "latin-1"),
    ("gbk", "sloppy-windows-1252"),
    ("gbk", "mac_roman"),
    ("utf-8", "mac_roman"),
    ("utf-8", "sloppy-windows-1252"),
]


def _garble(word: str, pair: tuple[str, str]) -> str:
    try:
        return word.encode(pair[0]).decode(pair[1])
    except (UnicodeEncodeError, UnicodeDecodeError):
        return word.encode(pair[0]).decode(pair[1], "replace")


_piece = st.one_of(
    st.builds(_garble, st.sampled_from(_WORDS), st.sampled_from(_GARBLES)),
    st.sampled_from([" ", "\n", "?", "�", "the ", "\xa0", "¡", "¯", "鈥", *_WORDS]),
    st.text(max_size=4),
)
mojibake_text = st.lists(_piece, max_size=25).map("".join)
PROPS = settings(
    max_examples=int(os.environ.get("MTNORM_HYPOTHESIS_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@PROPS
@given(st.one_of(mojibake_text, st.text(max_size=200)))
def test_no_crash_replay_and_idempotence(text):
    for norm in (CJK_ONLY, ENC):
        first = norm.clean(text)
        assert apply_changes(text, first.changes) == first.text
        second = norm.clean(first.text)
        assert second.text == first.text, (text, first.text)


@PROPS
@given(st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=300))
def test_ascii_is_never_touched(text):
    assert CJK_ONLY.clean(text).changes == ()


def test_invisible_characters_inside_a_garble_do_not_hide_it():
    """The unicode pass deletes these; deciding without them keeps cleaning idempotent."""
    full = Normalizer(Config(select=("ALL",)))
    for src in ("¡\x08¢", "\u200b¡¢", "Í¼\u200bÆ¬"):
        first = full.clean(src)
        assert first.text == full.clean(first.text).text, src
    assert WITH_CJK.clean("Í¼\u200bÆ¬").text == "图片"
    # Hebrew UTF-8 read as Latin-1 keeps its C1 bytes: ftfy's case, never GBK.
    hebrew = "אבבא".encode().decode("latin-1")
    assert CJK_ONLY.clean(hebrew).changes == ()
