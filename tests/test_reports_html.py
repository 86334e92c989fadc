"""HTML report: escaping, offline-only pages, faithful side-by-side view, batch scale.

Pages are parsed with the standard library's HTML parser, which also checks that every
element the renderer opens is closed in order (nested marks are the risky part).
"""

from __future__ import annotations

import hashlib
import re
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from normalize import all_rules, clean
from normalize.reports import write_html
from normalize.reports.html import _file_page, safe_name

VOID = {"meta", "input", "br", "col", "link", "img", "hr", "wbr"}
RULES = {r.code: r for r in all_rules()}


class Element:
    def __init__(self, tag: str, attrs: dict[str, str | None]) -> None:
        self.tag = tag
        self.attrs = attrs
        self.parts: list[str] = []
        self.children: list[Element] = []

    @property
    def text(self) -> str:
        return "".join(self.parts)

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()


class Page(HTMLParser):
    """A tiny DOM: every element with its attributes, its text and its child elements."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {})
        self.stack = [self.root]
        self.all: list[Element] = []
        self.feed(html)
        self.close()
        assert [e.tag for e in self.stack] == ["#root"], "unclosed elements"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        el = Element(tag, dict(attrs))
        self.stack[-1].children.append(el)
        self.all.append(el)
        if tag not in VOID:
            self.stack.append(el)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        for el in self.stack:
            el.parts.append(data)

    def find(self, tag: str | None = None, **attrs: str) -> list[Element]:
        return [
            e
            for e in self.all
            if (tag is None or e.tag == tag) and all(e.attrs.get(k) == v for k, v in attrs.items())
        ]

    def by_id(self, ident: str) -> Element:
        (el,) = self.find(id=ident)
        return el


def file_entry(path: str, text: str) -> tuple[dict[str, Any], str]:
    r = clean(text)
    entry = {
        "path": path,
        "encoding": "utf-8",
        "input_sha256": hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
        "output_sha256": hashlib.sha256(r.text.encode("utf-8", "surrogatepass")).hexdigest(),
        "changed": r.changed,
        "counts": dict(r.counts),
        "error": None,
        "changes": [c.to_dict() for c in r.changes],
        "findings": [f.to_dict() for f in r.findings],
    }
    return entry, r.text


def make(texts: dict[str, str]) -> tuple[dict[str, Any], dict[str, tuple[str, str]]]:
    files, pairs = [], {}
    for path, text in texts.items():
        entry, cleaned = file_entry(path, text)
        files.append(entry)
        pairs[path] = (text, cleaned)
    report = {
        "schema_version": "1.0",
        "tool": {"name": "mt-normalize", "version": "0.1.0"},
        "config_hash": "ab12",
        "files": files,
        "summary": {
            "files": len(files),
            "changed": sum(f["changed"] for f in files),
            "errors": 0,
            "changes": sum(len(f["changes"]) for f in files),
            "findings": sum(len(f["findings"]) for f in files),
            "counts": {},
        },
    }
    return report, pairs


NASTY_PATH = "news/<script>alert('p')</script>&\"q\".txt"
NASTY = (
    'Title <script>alert("x")</script> & "quotes" \'single\'  here .\n'
    "He said (生态文明 construction.The end,, fine\u00a0now\u200b.  \n\n\n\n"
    "Promote high -quality work <b>bold</b> &amp; more\n"
)
SEED = (
    "Promote high -quality development.The plan works.  \n\n\n\n"
    "Second paragraph ,with a comma and 生态 residue.\n"
)


@pytest.fixture
def batch(tmp_path: Path) -> tuple[Path, dict[str, Any], dict[str, tuple[str, str]]]:
    report, texts = make({NASTY_PATH: NASTY, "news/seed.txt": SEED, "news/clean.txt": "Fine.\n"})
    index = write_html(report, texts, tmp_path / "out")
    return index, report, texts


def pages_of(index: Path) -> list[Path]:
    return [index, *sorted((index.parent / "files").glob("*.html"))]


def test_writes_index_and_one_page_per_file(batch: Any) -> None:
    index, report, _ = batch
    assert index.name == "index.html" and index.is_file()
    page = Page(index.read_text(encoding="utf-8"))
    links = [a.attrs["href"] for a in page.find("a") if (a.attrs.get("href") or "")[:6] == "files/"]
    assert len(links) == len(report["files"]) == len(set(links))
    for href in links:
        assert (index.parent / str(href)).is_file()
    rows = page.find("tr", **{"data-i": "0"})
    assert rows and rows[0].attrs["data-n"] == str(len(report["files"][0]["changes"]))


def test_everything_is_escaped(batch: Any) -> None:
    index, _, _ = batch
    for path in pages_of(index):
        html = path.read_text(encoding="utf-8")
        Page(html)  # well-formed, balanced
        assert "alert(" not in "".join(re.findall(r"<script>(.*?)</script>", html, re.S))
        assert html.count("<script") == 1, path  # only the page's own inline script
        assert "<b>bold</b>" not in html
    page_html = next(p for p in pages_of(index)[1:] if "script" in p.name).read_text("utf-8")
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page_html or (
        '&lt;script&gt;alert("x")&lt;/script&gt;' in page_html
    )
    assert "&amp;amp;" in page_html  # a literal '&amp;' in the text stays visible as such
    page = Page(page_html)
    assert page.find("h1")[0].text == NASTY_PATH
    # attribute values survive a round trip through the parser unchanged
    titles = [e.attrs["title"] for e in page.all if e.attrs.get("title")]
    assert any("'  here '" in str(t) or "S006" in str(t) for t in titles)


def test_pages_are_self_contained(batch: Any) -> None:
    index, _, _ = batch
    for path in pages_of(index):
        html = path.read_text(encoding="utf-8")
        page = Page(html)
        csp = page.find("meta", **{"http-equiv": "Content-Security-Policy"})
        assert csp and "default-src 'none'" in str(csp[0].attrs["content"])
        for directive in str(csp[0].attrs["content"]).split(";"):
            _name, *sources = directive.split()
            assert set(sources) <= {"'none'", "'unsafe-inline'", "data:"}, directive
        assert not page.find("link") and not page.find("img") and not page.find("iframe")
        assert all("src" not in e.attrs for e in page.all)
        assert "url(" not in html and "@import" not in html
        assert not re.search(
            r"(?i)\b(https?:|ftp:|data:text|//[a-z])", html.replace("default-src 'none'", "")
        )
        for a in page.find("a"):
            href = str(a.attrs.get("href"))
            assert re.fullmatch(r"(files/|\.\./)?[A-Za-z0-9._-]*\.html|#[A-Za-z0-9_-]+", href), href


def test_url_in_text_is_not_a_link(tmp_path: Path) -> None:
    report, texts = make({"u.txt": "See https://evil.example/x.js now.The end\n"})
    index = write_html(report, texts, tmp_path)
    (page_path,) = (tmp_path / "files").glob("*.html")
    html = page_path.read_text(encoding="utf-8")
    assert "https://evil.example/x.js" in html  # shown as text...
    assert all("evil" not in str(a.attrs.get("href")) for a in Page(html).find("a"))  # ...only
    assert index.is_file()


def _unshow(text: str) -> str:
    """Undo the glyphs drawn for invisible characters inside marks."""
    text = re.sub(r"⟨U\+([0-9A-F]{4})⟩", lambda m: chr(int(m.group(1), 16)), text)
    return text.replace("↵\n", "\n").replace("\\r", "\r").replace("→", "\t").replace("·", " ")


def columns(html: str) -> tuple[str, str]:
    """The original and cleaned text as shown in the side-by-side table."""
    page = Page(html)
    (table,) = [e for e in page.all if "sbs" in e.classes]
    left, right = [], []
    for tr in (e for e in table.children if e.tag == "tbody"):
        for row in tr.children:
            cells = [td for td in row.children if "t" in td.classes]
            assert len(cells) == 2
            left.append(_unshow(cells[0].text))
            right.append(_unshow(cells[1].text))
    return "\n".join(left), "\n".join(right)


def assert_columns_match(html: str, original: str, cleaned: str) -> None:
    left, right = columns(html)
    assert left in (original, original[:-1]), "left column must be the original"
    # the final empty line after a trailing newline is not shown
    assert right == cleaned or (left != original and right + "\n" == cleaned)


@pytest.mark.parametrize(
    "text",
    [
        SEED,
        "high -quality   work.Next line\n\n\n\nend",
        "\n\n\nLeading blanks.And (brackets\n",
        "Tabs\tand trailing \t\nnbsp\u00a0here ,and\u200bzero width.\n\n",
        "no final newline",
        "",
    ],
)
def test_side_by_side_shows_both_texts_exactly(text: str) -> None:
    report, texts = make({"t.txt": text})
    html, _ = _file_page(report["files"][0], texts["t.txt"], RULES, "")
    assert_columns_match(html, text, texts["t.txt"][1])


FRAGMENTS = st.sampled_from(
    [
        "word",
        " ",
        "  ",
        "\n",
        "\n\n\n",
        " -quality",
        ".The",
        ",, ",
        " ,",
        "\u00a0",
        "\u200b",
        "（",
        "，",
        "生态",
        "(",
        ")On",
        "\t",
        "Plan",
    ]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(FRAGMENTS, max_size=30).map("".join))
def test_side_by_side_property(text: str) -> None:
    report, texts = make({"t.txt": text})
    entry = report["files"][0]
    html, _ = _file_page(entry, texts["t.txt"], RULES, "")
    assert_columns_match(html, text, texts["t.txt"][1])
    page = Page(html)
    for i, ch in enumerate(entry["changes"]):
        left, right = page.by_id(f"c{i}"), page.by_id(f"d{i}")
        for el in (left, right):
            assert "c" in el.classes and f"p-{ch['pass']}" in el.classes
            assert ch["rule"] in str(el.attrs["data-r"]).split()
            assert str(el.attrs["title"]).startswith(ch["rule"])
        if not entry["findings"]:  # a finding can split a change into several pieces
            assert _unshow(left.text) == ch["before"]
            assert _unshow(right.text) == ch["after"]
    for i, _f in enumerate(entry["findings"]):
        assert "f" in page.by_id(f"f{i}").classes


def test_change_marks_carry_rule_details(batch: Any) -> None:
    index, report, _ = batch
    entry = report["files"][0]
    html = next(p for p in pages_of(index)[1:] if "script" in p.name).read_text("utf-8")
    page = Page(html)
    codes = set()
    for i, ch in enumerate(entry["changes"]):
        el = page.by_id(f"c{i}")
        title = str(el.attrs["title"])
        rule = RULES[ch["rule"]]
        assert title.startswith(f"{rule.code} {rule.name}")
        assert rule.summary in title
        assert f"confidence {ch['confidence']:.2f}" in title
        codes.update([ch["rule"], *ch["also"]])
    assert {"S004", "S005", "U001", "U002", "L002"} <= codes
    # invisible characters inside a change are drawn
    nbsp = next(i for i, c in enumerate(entry["changes"]) if c["rule"] == "U001")
    assert page.by_id(f"c{nbsp}").text == "⟨U+00A0⟩"
    # findings are marked
    f_rules = {f["rule"] for f in entry["findings"]}
    assert {"R001", "R002"} <= f_rules
    marks = [e for e in page.all if "f" in e.classes and e.tag == "span" and "data-r" in e.attrs]
    assert {str(e.attrs["data-r"]) for e in marks} == f_rules
    # one filter checkbox per rule with a count, and the counts at the top
    boxes = [e.attrs["data-rule"] for e in page.find("input") if e.attrs.get("data-rule")]
    assert sorted(boxes) == sorted(entry["counts"])
    colours = re.findall(r"\.p-(\w+)\{background:", html)
    assert {"spacing", "unicode", "layout"} <= set(colours)


def test_index_totals_and_rule_counts(batch: Any) -> None:
    index, report, _ = batch
    page = Page(index.read_text(encoding="utf-8"))
    cards = {
        e.text.lstrip("0123456789"): e.children[0].text for e in page.all if "card" in e.classes
    }
    summary = report["summary"]
    assert cards == {
        k: str(summary[k]) for k in ("files", "changed", "errors", "changes", "findings")
    }
    picks = {str(a.attrs["data-pick"]) for a in page.find("a") if a.attrs.get("data-pick")}
    fired = {c for f in report["files"] for c in f["counts"]}
    assert picks == fired
    options = {str(o.attrs["value"]) for o in page.find("option")} - {""}
    assert fired <= options


def test_clashing_paths_get_distinct_pages(tmp_path: Path) -> None:
    paths = ["a/b.txt", "a_b.txt", "a\\b.txt", "A_b.txt", "a b.txt", "新闻.txt", "新闻2.txt"]
    report, texts = make(dict.fromkeys(paths, "high -quality\n"))
    index = write_html(report, texts, tmp_path)
    pages = list((tmp_path / "files").glob("*.html"))
    assert len(pages) == len(paths)
    assert len({p.name.casefold() for p in pages}) == len(paths)
    assert all(re.fullmatch(r"[A-Za-z0-9._-]+\.html", p.name) for p in pages)
    for p in pages:
        h1 = Page(p.read_text(encoding="utf-8")).find("h1")[0].text
        assert h1 in paths
    assert index.exists()


def test_safe_name_resolves_hash_clashes() -> None:
    taken: set[str] = set()
    first = safe_name("x.txt", taken)
    taken_again = set(taken)
    second = safe_name("x.txt", taken_again)  # same name already taken: must differ
    assert first != second and second.casefold() not in taken
    third = safe_name("x.txt", taken_again)
    assert len({first, second, third}) == 3


def test_missing_or_mismatched_text_falls_back_to_the_change_list(tmp_path: Path) -> None:
    report, texts = make({"gone.txt": SEED, "wrong.txt": SEED, "other.txt": SEED})
    texts.pop("gone.txt")
    texts["wrong.txt"] = ("something else entirely", "x")
    texts["other.txt"] = (SEED, "not the replay")
    write_html(report, texts, tmp_path)
    by_h1 = {}
    for p in (tmp_path / "files").glob("*.html"):
        page = Page(p.read_text(encoding="utf-8"))
        by_h1[page.find("h1")[0].text] = page
    for name in ("gone.txt", "wrong.txt"):
        page = by_h1[name]
        assert [e for e in page.all if "notice" in e.classes]
        assert not [e for e in page.all if "sbs" in e.classes]
        assert [e for e in page.all if "list" in e.classes]  # the change list is still there
    assert [e for e in by_h1["other.txt"].all if "notice" in e.classes]
    other = next(p for p in (tmp_path / "files").glob("*.html") if "other" in p.name)
    assert_columns_match(other.read_text("utf-8"), SEED, clean(SEED).text)  # shows the replay


def test_failed_file_is_listed_without_a_page(tmp_path: Path) -> None:
    report, texts = make({"ok.txt": SEED})
    report["files"].append({"path": "bad.bin", "error": "binary <file> skipped", "changed": False})
    index = write_html(report, texts, tmp_path)
    html = index.read_text(encoding="utf-8")
    assert "binary &lt;file&gt; skipped" in html
    page = Page(html)
    (row,) = [e for e in page.find("tr") if e.attrs.get("data-s") == "error"]
    assert not [a for a in row.children[1].children if a.tag == "a"]
    assert len(list((tmp_path / "files").glob("*.html"))) == 1


def test_crlf_and_lone_surrogates(tmp_path: Path) -> None:
    text = "First line.Second\r\nplain line\r\nbad \ud800 char  \r\n\r\n\r\n\r\nend\r\n"
    report, texts = make({"crlf.txt": text})
    write_html(report, texts, tmp_path)
    (p,) = (tmp_path / "files").glob("*.html")
    raw = p.read_bytes().decode("utf-8")  # written as valid UTF-8
    assert "&#55296;" in raw or "⟨U+D800⟩" in raw
    page = Page(raw)
    cells = [e for e in page.all if e.tag == "td" and "t" in e.classes]
    plain = cells[2]  # 'plain line' row, original side: unchanged CRLF line
    assert plain.text == "plain line"  # the CR of CRLF is not shown as an extra break


def test_output_is_deterministic(tmp_path: Path) -> None:
    report, texts = make({NASTY_PATH: NASTY, "b.txt": SEED})
    a = write_html(report, texts, tmp_path / "a")
    b = write_html(report, texts, tmp_path / "b")
    files_a = sorted(p.relative_to(a.parent) for p in a.parent.rglob("*.html"))
    files_b = sorted(p.relative_to(b.parent) for p in b.parent.rglob("*.html"))
    assert files_a == files_b
    for rel in files_a:
        assert (a.parent / rel).read_bytes() == (b.parent / rel).read_bytes()


@pytest.mark.slow
def test_five_thousand_files_stay_fast_and_small(tmp_path: Path) -> None:
    base, base_texts = make({"x.txt": "high -quality work.The end\n", "y.txt": "Fine.\n"})
    files, texts = [], {}
    for i in range(5000):
        src = base["files"][i % 2]
        path = f"corpus/{i // 100:03d}/doc-{i:05d}.txt"
        files.append(dict(src, path=path))
        texts[path] = base_texts[src["path"]]
    report = dict(base, files=files, summary={"files": 5000})
    start = time.perf_counter()
    index = write_html(report, texts, tmp_path)
    elapsed = time.perf_counter() - start
    assert elapsed < 30, f"5,000 pages took {elapsed:.1f}s"
    assert len(list((tmp_path / "files").glob("*.html"))) == 5000
    size = index.stat().st_size
    assert size < 2_500_000, f"index is {size} bytes"
    page = Page(index.read_text(encoding="utf-8"))
    assert len(page.find("tr")) >= 5000
    # per-file pages hold their own text only
    assert max(p.stat().st_size for p in (tmp_path / "files").glob("*0.html")) < 40_000
