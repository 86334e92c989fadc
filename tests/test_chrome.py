"""Chrome pass: each family on lines it must remove AND real-looking lines it must keep,
context decisions, options, corpus mode, seeds, bad input and properties."""

from __future__ import annotations

import random
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from normalize import Config, Normalizer, apply_changes
from normalize.boilerplate import collect, line_key
from normalize.chrome_classify import classify
from tests.conftest import seed_text

CHROME = Normalizer(Config(select=("C",)))
DEFAULT = Normalizer()
# Chrome with the passes it interacts with (unicode before it, layout after), without passes
# whose own idempotence is tested elsewhere.
AROUND = Normalizer(Config(select=("U", "C", "L")))
BODY = "The county ecology bureau inspected nine sewage plants on Monday, officials said."
BODY2 = "Two plants were ordered to replace their aeration pumps within ten days."


def kept_lines(text: str, norm: Normalizer = CHROME) -> list[str]:
    return norm.clean(text).text.splitlines()


# --- out-of-context classification: must match / must not match --------------------------
CHROME_LINES = {
    "C001": [
        "You are here:Home > Index > City News",
        "Home>News>Local News",
        "Current location: Home > Work Dynamics",
        "当前位置：首页 > 新闻中心",
        "Home | About us | Contact us | Site map",
        "Home | News | Government Affairs | Services",
    ],
    "C002": [
        "A | A | A",
        "A\u00a0 |\u00a0 A\u00a0 |\u00a0 A".replace("\u00a0", " "),
        "[Font: Large Medium Small]",
        "T | T",
        "Print | Close",
        "【Print】【Close】",
        "[Print] [Close]",
        "Download Print Comment",
        "Share to: WeChat Weibo QQ Facebook",
        "Scan to read on mobile",
        "Scan the QR code to share on WeChat",
        "Back to top",
        "More >>",
    ],
    "C003": ["图片5.jpg", "1711106563970.png", "IMG_2031.JPG", "image002.gif", "1711106563970"],
    "C004": [
        "한어Русский языкEnglishFrançaisIndonesianSanskrit日本語Deutsch",
        "中文 Français 한국어 日本語",
    ],
    "C005": [
        "Source: Hunan Daily Editor: Li Ming Date: 2024-03-05",
        "Views: 123",
        "Release time: 2020-10-11 09:30",
        "Author: | Source:",
        "Updated: 2023-06-01",
    ],
    "C006": [
        "Copyright © 2024 Example Bureau",
        "All Rights Reserved",
        "湘ICP备12345678号",
        "Previous article: Rivers cleaned",
        "Related news",
        "Hot keywords: river, lake",
        "ICP No. 12345678",
    ],
    "C008": ["|", "-----", "* * *", "·", ">>", "| | |"],
}
CONTENT_LINES = [
    "Translator: Wang Fang",
    "Yueyang Daily All Media News (Reporter Chen Yi)",
    "Author: Li Ming",
    "2020-10-11",
    "Changsha, March 5 (Xinhua) --",
    "Photo: Volunteers clean the riverbank at dawn.",
    "Home Gardens Help Cut Food Waste",
    "Print media reported the case first.",
    "Residents can scan the QR code on the poster to report pollution.",
    "Chinese and English versions of the plan are available.",
    "The court heard a copyright dispute over a river photo.",
    "Next, the city will build three new sewage plants.",
    "Time: 9:00 a.m., May 22",
    "Venue: City Hall",
    "Source of figures",
    "Large, medium and small enterprises must all register.",
    "1. Evidence collection on site",
    "- washing truck wheels at every exit",
    "Temperature > 30 degrees on 12 days",
    "The file report.pdf was attached.",
    "Share of clean energy rose to 40 percent.",
    "Key tasks",
    "Contact person: Liu Jun",
]


@pytest.mark.parametrize(
    ("rule", "line"), [(r, x) for r, xs in CHROME_LINES.items() for x in xs], ids=str
)
def test_classifier_recognises_chrome(rule, line):
    v = classify(line)
    assert v is not None and v.rule == rule, (line, v)


@pytest.mark.parametrize("line", CONTENT_LINES)
def test_classifier_leaves_content_alone(line):
    v = classify(line)
    assert v is None or v.strength < 3, (line, v)
    doc = f"{BODY}\n{line}\n{BODY2}\n"
    assert kept_lines(doc) == [BODY, line, BODY2]


# --- context -------------------------------------------------------------------------------
def test_zone_line_kept_between_paragraphs_removed_in_footer():
    mid = f"{BODY}\nSource: County Finance Bureau\n{BODY2}\n"
    assert kept_lines(mid) == [BODY, "Source: County Finance Bureau", BODY2]
    tail = f"{BODY}\n{BODY2}\nSource: County Finance Bureau\n"
    assert kept_lines(tail) == [BODY, BODY2]


def test_contact_lines_kept_in_notice_removed_next_to_footer():
    notice = f"{BODY}\nContact person: Liu Jun\nTel: 0739-5301234\n"
    assert kept_lines(notice)[-1] == "Tel: 0739-5301234"
    footer = f"{BODY}\nCopyright © 2024 Example Bureau\nTel: 0731-88665544   Fax: 0731-1\n"
    assert kept_lines(footer) == [BODY]


def test_repeated_headline_first_kept_quote_repeat_kept():
    head = "Fireflies Return to Dragon Lake Wetland"
    quote = '"Fireflies need clean water and dark nights," said Wu Lan, a teacher.'
    doc = f"{head}\n\n{head}\n{BODY}\n{quote}\n{quote}\n"
    assert kept_lines(doc) == [head, "", BODY, quote, quote]


def test_related_news_titles_removed_only_at_the_end():
    doc = f"{BODY}\nRelated news\nRivers cleaned in Junshan\nNew wetland park opens\n"
    assert kept_lines(doc) == [BODY]
    r = CHROME.clean(doc)
    assert all("removed" in c.message and c.before.strip() in c.message for c in r.changes)


def test_mixed_line_is_kept_and_reported():
    line = f"You are here: Home > News {BODY}"
    r = CHROME.clean(f"{line}\n{BODY2}\n")
    assert r.text.splitlines() == [line, BODY2]
    assert [f.rule for f in r.findings] == ["C010"]


def test_untranslated_line_reported_not_removed():
    r = CHROME.clean(f"{BODY}\n生态环境局召开会议\n")
    assert r.text.splitlines()[-1] == "生态环境局召开会议"
    assert any(f.rule == "C011" for f in r.findings)


def test_change_message_has_the_removed_line():
    r = CHROME.clean(f"A | A | A\n{BODY}\n")
    (c,) = r.changes
    assert c.rule == "C002" and "A | A | A" in c.message and c.before == "A | A | A\n"


# --- options and switches ------------------------------------------------------------------
def test_metadata_can_be_kept():
    doc = f"{BODY}\nSource: Hunan Daily Editor: Li Ming\n"
    assert kept_lines(doc) == [BODY]
    keep = Normalizer(Config(select=("C",)).with_options("chrome", remove_metadata=False))
    assert kept_lines(doc, keep) == [BODY, "Source: Hunan Daily Editor: Li Ming"]


def test_each_rule_is_switchable():
    doc = f"A | A | A\n图片5.jpg\n{BODY}\n"
    no_tools = Normalizer(Config(select=("C",), ignore=("C002",)))
    assert kept_lines(doc, no_tools) == ["A | A | A", BODY]


# --- corpus mode ---------------------------------------------------------------------------
_SUBJECTS = ["The city", "The county bureau", "Inspectors", "Volunteers", "The river chief"]
_VERBS = ["cleaned", "inspected", "mapped", "restored", "monitored", "planted trees along"]
_OBJECTS = ["the Xiang River", "a reservoir", "nine wetlands", "the old mine", "a lake shore"]


def _article(rng: random.Random, k: int) -> list[str]:
    lines = [f"Story {k}: {rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)}"]
    for p in range(rng.randint(3, 7)):
        words = [rng.choice(_SUBJECTS), rng.choice(_VERBS), rng.choice(_OBJECTS)]
        lines.append(
            f"{' '.join(words)} on day {rng.randint(1, 28)} of month {p + 1}, "
            f"covering {rng.randint(2, 9000)} mu in document {k}."
        )
    return lines


def test_corpus_mode_finds_injected_footer_and_no_article_line():
    rng = random.Random(7)
    footer = "Green Hunan Online - Protecting Every River Since 2008"
    docs, article_lines = [], set()
    for k in range(200):
        lines = _article(rng, k)
        article_lines.update(line_key(x) for x in lines)
        if k % 5 != 0:  # 80% of documents
            lines.insert(rng.randint(1, len(lines)), footer)
        docs.append("\n".join(lines) + "\n")
    keys = collect(docs)
    assert line_key(footer) in keys
    assert not keys & article_lines
    r = CHROME.clean(docs[1], boilerplate=keys)
    assert [f.rule for f in r.findings] == ["C009"] and footer in r.text
    remove = Normalizer(Config(select=("C",)).with_options("chrome", remove_boilerplate=True))
    r = remove.clean(docs[1], boilerplate=keys)
    assert footer not in r.text and [c.rule for c in r.changes] == ["C009"]
    assert collect(docs[:10]) == frozenset()  # a small batch yields nothing, not guesses


def test_line_key_survives_unicode_pass():
    assert line_key("Green\u00a0Hunan\u200b  Online ") == line_key("green hunan online")


# --- seeds (../shared, skipped when absent) -----------------------------------------------
def _removed(text: str) -> list[str]:
    r = DEFAULT.clean(text)
    return [
        c.before
        for c in r.changes
        if c.rule.startswith("C") or any(a.startswith("C") for a in c.also)
    ]


def test_seed_002():
    text = seed_text("002")
    out = DEFAULT.clean(text).text
    lines = out.splitlines()
    assert not any(x.startswith("You are here") for x in lines)
    assert not any(x.replace(" ", "") == "A|A|A" for x in lines)
    assert "图片5.jpg" not in out
    assert "\u00a0" not in out and not any(x and not x.strip() for x in lines)
    assert "\n\n\n" not in out
    gone = " ".join(_removed(text))
    assert "You are here" in gone and "图片5.jpg" in gone
    assert "2020-10-11" in lines and "Give Full Play" in out


def test_seed_003():
    text = seed_text("003")
    head = text.splitlines()[0]
    out = DEFAULT.clean(text).text
    assert out.count(head.strip()) == 1
    assert ".png" not in out
    for sub in (
        "The same frequency resonance",
        "Promote high-quality economic development",
        "went to Yueyang to visit and condolences the provincial second",
    ):
        assert sub in out, sub


def test_seed_004():
    out = DEFAULT.clean(seed_text("004")).text
    assert "Русский" not in out and "Chenzhou City blows the horn" in out


@pytest.mark.parametrize("name", ["000", "001"])
def test_seeds_000_001_lose_no_line(name):
    text = seed_text(name)
    r = CHROME.clean(text)
    assert r.text == text and not r.changes


# --- bad input -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "",
        "A | A | A\nPrint | Close\n图片5.jpg\n",
        "A | A | A\r\nPrint | Close\r\n",
        BODY + " " + BODY2,
        "Fireflies Return to Dragon Lake",
        "x" * 100_000 + "\n" + "A | A | A\n" + ("word " * 20_000) + "\n",
        "\r".join(["A | A | A", BODY, "Print | Close"]),
    ],
    ids=["empty", "all-chrome", "all-chrome-crlf", "one-line", "headline", "100kb", "cr"],
)
def test_bad_input_does_not_crash(text):
    r = DEFAULT.clean(text)
    assert apply_changes(text, r.changes) == r.text
    again = DEFAULT.clean(r.text)
    assert again.text == r.text


def test_all_chrome_document_is_emptied_and_says_so():
    r = DEFAULT.clean("A | A | A\r\nPrint | Close\r\n图片5.jpg\r\n")
    assert r.text == ""
    assert [f.rule for f in r.findings if f.rule.startswith("C")] == ["C012"]


def test_crlf_lines_removed_with_their_ending():
    r = CHROME.clean(f"A | A | A\r\n{BODY}\r\nPrint | Close\r\n")
    assert r.text == f"{BODY}\r\n"


def test_headline_only_document_kept():
    assert CHROME.clean("Fireflies Return to Dragon Lake").text == "Fireflies Return to Dragon Lake"


def test_long_line_is_linear_enough():
    line = ("word " * 40_000) + "\n"
    t0 = time.perf_counter()
    CHROME.clean(line * 5)
    assert time.perf_counter() - t0 < 5.0  # generous: guards against a catastrophic regex


# --- properties ----------------------------------------------------------------------------
_PIECES = [
    "\n",
    "\r\n",
    " ",
    "A | A | A",
    "Print | Close",
    "图片5.jpg",
    "Home > News > City",
    "Source: X Editor: Y",
    "Copyright © 2024",
    "Related news",
    "|",
    BODY,
    BODY2,
    "Fireflies Return",
    "Translator: Li",
    "中文 Français 한국어 日本語",
    "\u00a0",
    "Tel: 1",
]
_docs = st.lists(st.sampled_from(_PIECES) | st.text(max_size=5), max_size=30).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_docs, st.text(max_size=200)))
def test_chrome_idempotent_and_replayable(text):
    for norm in (CHROME, AROUND):
        first = norm.clean(text)
        assert apply_changes(text, first.changes) == first.text
        second = norm.clean(first.text)
        assert second.text == first.text, (text, first.text, second.changes)
