"""Page-chrome removal: navigation, page tools, media names, menus, metadata, footers.

Scraped pages keep their widgets as lines of text. This pass deletes those lines, whole
and with their line ending (layout later collapses the blank lines left behind), and
nothing else: a body sentence removed by mistake is data lost, so precision comes first.

How it decides, in the spirit of jusText:

1. :func:`normalize.chrome_classify.classify` looks at each short line out of context and
   says which chrome family it resembles and how strong that evidence is.
2. Lines of running text ("body" lines) split the document into a header zone (before the
   first), the article, and a footer zone (after the last).
3. STRONG lines go wherever they are. ZONE lines (``Source: Hunan Daily``, ``Home``) go in
   the header/footer zones or next to a removed STRONG line; between two paragraphs they
   are kept (a caption, a sub-heading). BLOCK lines (``Tel: ...``) go only next to a
   removed STRONG line, because public notices end with contact lines too.
4. A line that mixes chrome with a sentence is kept and reported (C010).

A pass instance is shared by threads, so all per-document state lives in locals.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import regex
from rapidfuzz import fuzz

from normalize import chrome_patterns as cp
from normalize.boilerplate import line_key
from normalize.chrome_classify import (
    DocScan,
    Verdict,
    body_line,
    classify_cached,
    could_be_chrome,
    scan,
)
from normalize.edits import Edit
from normalize.passes.base import DocContext, Pass
from normalize.rules import Rule
from normalize.textutil import iter_lines

P = "chrome"

_SPACE_RUN = re.compile("  +")
_BODY_TEXT = "The river chief system now covers every village in the county, officials said."

RULES: tuple[Rule, ...] = (
    Rule(
        "C001",
        "breadcrumb",
        P,
        "Remove breadcrumb trails and navigation-menu lines.",
        "Lines such as 'You are here: Home > News > City News', 'Home>News>Local News', "
        "'当前位置：首页 > 新闻' or 'Home | About us | Contact us' are site navigation. A bare "
        "trail without a 'Home' or 'You are here' lead is removed only in the header or "
        "footer zone.",
        (
            (f"You are here:Home > Index > City News\n{_BODY_TEXT}\n", f"{_BODY_TEXT}\n"),
            (f"Home>News>Local News\n{_BODY_TEXT}\n", f"{_BODY_TEXT}\n"),
        ),
    ),
    Rule(
        "C002",
        "page-tools",
        P,
        "Remove font-size toggles, print/close links, share-to lines and QR-code prompts.",
        "'A | A | A', '[Font: Large Medium Small]', 'Print | Close', '【Print】【Close】', "
        "'Download Print Comment', 'Share to: WeChat Weibo QQ' and 'Scan to read on mobile' "
        "are widgets. A sentence that merely mentions printing or a QR code is not touched.",
        (
            (f"A | A | A\n{_BODY_TEXT}\n", f"{_BODY_TEXT}\n"),
            (f"{_BODY_TEXT}\n【Print】【Close】\n", f"{_BODY_TEXT}\n"),
        ),
    ),
    Rule(
        "C003",
        "media-file-name",
        P,
        "Remove lines that are only an image file name or a numeric media id.",
        "When a scraper drops an image it often keeps its file name ('图片5.jpg', "
        "'1711106563970.png', 'IMG_2031.JPG'). A caption with words is kept.",
        ((f"{_BODY_TEXT}\n1711106563970.png\n{_BODY_TEXT}\n", f"{_BODY_TEXT}\n{_BODY_TEXT}\n"),),
    ),
    Rule(
        "C004",
        "language-menu",
        P,
        "Remove language-selector lines made mostly of language names or endonyms.",
        "Site headers list their translations ('中文 Français 한국어 日本語', often with no "
        "spaces at all). A line needs three or more names covering most of it; two names "
        "alone ('中文 | English') count only in the header or footer zone.",
        ((f"中文 Français 한국어 日本語 English\n{_BODY_TEXT}\n", f"{_BODY_TEXT}\n"),),
    ),
    Rule(
        "C005",
        "cms-metadata",
        P,
        "Remove CMS metadata lines (source, editor, release time, view counters).",
        "'Source: ... Editor: ... Date: ...', 'Views: 123', 'Release time: 2024-03-05' and "
        "empty fields such as 'Author: | Source:' are page furniture. Set [tool.mtnorm.chrome] "
        "remove-metadata = false to keep them; removed lines stay in the report. 'Author: "
        "Name' alone is a byline and 'Translator: Name' is never touched.",
        ((f"{_BODY_TEXT}\nSource: Hunan Daily  Editor: Li Ming\n", f"{_BODY_TEXT}\n"),),
    ),
    Rule(
        "C006",
        "footer",
        P,
        "Remove footers: copyright, ICP licences, host/contact blocks, previous/next and "
        "related-news lists.",
        "Copyright and 'All Rights Reserved' lines, ICP and public-security filing numbers, "
        "'Previous article:'/'Next article:' links, 'Related news' or 'Hot keywords' headings "
        "with the title list that follows them at the end of a page, and host/address blocks. "
        "A lone contact line (Tel:, Address:) is removed only next to other footer lines, as "
        "public notices end with contact details too.",
        (
            (
                f"{_BODY_TEXT}\nCopyright © 2024 Example Bureau. All Rights Reserved\n",
                f"{_BODY_TEXT}\n",
            ),
        ),
    ),
    Rule(
        "C007",
        "repeated-headline",
        P,
        "Remove an exact or near-exact repeat of a headline line; keep the first.",
        "Pages often print the headline twice (title bar and article). A short, unpunctuated "
        "line of the header zone that recurs later is dropped; a full sentence that repeats "
        "(a quote) is content and kept.",
        (
            (
                "Rivers Cleaned Across the County\nRivers cleaned across the county\n"
                f"{_BODY_TEXT}\n",
                f"Rivers Cleaned Across the County\n{_BODY_TEXT}\n",
            ),
        ),
    ),
    Rule(
        "C008",
        "separator-debris",
        P,
        "Remove lines made only of separators ('|', '-', '*', '·', '>>').",
        "Menus and widgets leave their separators behind when their links are stripped.",
        ((f"{_BODY_TEXT}\n|  |  |\n{_BODY_TEXT}\n", f"{_BODY_TEXT}\n{_BODY_TEXT}\n"),),
    ),
    Rule(
        "C009",
        "recurring-line",
        P,
        "Report boilerplate lines: corpus-mode recurring lines, or a short line repeated in "
        "one page.",
        "In corpus mode (--boilerplate-from-corpus) a line found in many documents of the "
        "batch is site boilerplate no pattern knows (a slogan, a fixed header date). A short "
        "non-sentence line printed three or more times in one page is reported too. Reported "
        "only; set [tool.mtnorm.chrome] remove-boilerplate = true to remove them.",
        (
            (
                f"Green Hills Portal\n{_BODY_TEXT}\nGreen Hills Portal\nGreen Hills Portal\n",
                f"Green Hills Portal\n{_BODY_TEXT}\nGreen Hills Portal\nGreen Hills Portal\n",
            ),
        ),
        kind="finding",
    ),
    Rule(
        "C010",
        "mixed-chrome",
        P,
        "Report lines that mix page chrome with a real sentence (kept, not removed).",
        "'You are here: Home > News The county opened ...' lost its line break when scraped. "
        "Removing the line would lose the sentence, so it is reported for a human to split.",
        (
            (
                f"You are here: Home > News {_BODY_TEXT}\n",
                f"You are here: Home > News {_BODY_TEXT}\n",
            ),
        ),
        kind="finding",
    ),
    Rule(
        "C011",
        "untranslated-line",
        P,
        "Report lines left entirely in Chinese, Japanese or Korean (kept, not removed).",
        "A whole line with no English word was not translated. It is not chrome (chrome in "
        "Chinese is removed by the rules above), so it is kept for a translator. CJK runs "
        "inside English lines are reported by R001.",
        ((f"{_BODY_TEXT}\n生态环境局召开会议\n", f"{_BODY_TEXT}\n生态环境局召开会议\n"),),
        kind="finding",
    ),
    Rule(
        "C012",
        "all-chrome",
        P,
        "Report a document whose every line is page chrome (its text becomes empty).",
        "The page held no article text (a listing page, a broken scrape). The document is "
        "emptied line by line and this finding says why, so an empty output is explained.",
        (("A | A | A\nPrint | Close\n", "A | A | A\nPrint | Close\n"),),
        kind="finding",
    ),
)

_CONFIDENCE = {cp.STRONG: 0.95, cp.ZONE: 0.85, cp.BLOCK: 0.75}
_MIXED_WINDOW = 300  # chrome glued to a sentence sits at its start or end


@dataclass(slots=True)
class _Line:
    start: int
    cend: int
    end: int
    text: str
    verdict: Verdict | None
    body: bool
    stripped: str
    remove: str | None = None  # rule code when the line goes
    why: str = ""
    confidence: float = 1.0


class ChromePass(Pass):
    name = P
    rules = RULES
    options: ClassVar[Mapping[str, Any]] = {
        "remove-metadata": True,
        "remove-boilerplate": False,
        "min-repeats": 3,
    }

    def run(self, text: str, ctx: DocContext) -> list[Edit]:
        if not text or text.isspace():
            return []
        doc = scan(text)
        # Blank lines are never removed, never reported and never split a block of chrome,
        # so only non-blank lines are kept; zones and blocks come out the same. The later
        # steps visit only the lines they can act on: flagged (classified) lines, and
        # unflagged short lines (headlines, recurring lines).
        lines: list[_Line] = []
        flagged: list[int] = []
        short: list[int] = []  # unflagged, not body
        first = last = -1
        for s, c, e, t in _split_lines(text):
            st = t.strip()
            if not st:
                continue
            # Judged as the spacing pass (S006) will leave it, so that the next run,
            # which sees single spaces, decides the same ('-  5.jpg' vs '- 5.jpg').
            seen = _SPACE_RUN.sub(" ", st) if "  " in st else st
            if len(seen) > cp.MAX_CHROME_CHARS:
                v, body = None, True
            else:
                v = classify_cached(seen) if could_be_chrome(seen, doc) else None
                body = body_line(seen)
            i = len(lines)
            lines.append(_Line(s, c, e, t, v, body, st))
            if v is not None:
                flagged.append(i)
            elif body:
                if first < 0:
                    first = i
                last = i
            else:
                short.append(i)
        if first < 0:
            first = len(lines)
        if flagged:
            self._decide(lines, flagged, first, last)
        self._headlines(lines, short, first)
        if any(lines[k].verdict.list_heading and lines[k].remove == "C006" for k in flagged):
            self._list_tails(lines, last)
        self._recurring(lines, short, flagged, ctx)
        self._report_kept(lines, ctx, doc)
        edits = [
            Edit(
                ln.start,
                ln.end,
                "",
                ln.remove,
                ln.confidence,
                f"removed {ln.why} line: {ln.stripped!r}",
                {"line_text": ln.text},
            )
            for ln in lines
            if ln.remove is not None and self._enabled(ln.remove)
        ]
        if self.on("C012") and all(ln.remove is not None for ln in lines):
            ctx.note(0, len(text), "C012", "every non-blank line is page chrome; no article text")
        return edits

    # -- decisions ----------------------------------------------------------------------
    def _enabled(self, rule: str) -> bool:
        """Whether lines judged ``rule`` are actually removed (decisions are made for every
        family, so that disabling one rule never changes what the others do)."""
        if rule == "C005" and not self.opts["remove-metadata"]:
            return False
        return self.on(rule)

    def _decide(self, lines: list[_Line], flagged: list[int], first: int, last: int) -> None:
        """STRONG lines go; ZONE/BLOCK lines go when their position or block says chrome."""
        for k in flagged:
            ln = lines[k]
            v = ln.verdict
            if v is not None and v.strength == cp.STRONG:
                self._drop(ln, v.rule, v.label, _CONFIDENCE[cp.STRONG])
        # A block: consecutive classified lines (blank lines between them do not count, and
        # are not in ``lines``). ZONE lines go in the header and footer zones or in a block
        # with a removed STRONG line; BLOCK lines go in a block where anything was removed.
        blocks: list[list[int]] = []
        for k in flagged:
            if blocks and blocks[-1][-1] == k - 1:
                blocks[-1].append(k)
            else:
                blocks.append([k])
        for block in blocks:
            for strength in (cp.ZONE, cp.BLOCK):
                anchored = any(lines[k].remove is not None for k in block)
                for k in block:
                    cand = lines[k]
                    v = cand.verdict
                    if v is None or cand.remove is not None or v.strength != strength:
                        continue
                    in_zone = strength == cp.ZONE and (k < first or k > last)
                    if anchored or in_zone:
                        self._drop(cand, v.rule, v.label, _CONFIDENCE[v.strength])

    def _headlines(self, lines: list[_Line], short: list[int], first: int) -> None:
        """Drop later copies of a header-zone headline line (C007). Only unflagged, non-body
        lines can be headlines, and none of them is removed before this step."""
        seen: list[str] = []
        for i in short:
            ln = lines[i]
            stripped = ln.stripped
            if len(stripped) < 12 and len(stripped.split()) < 4:
                continue
            key = _headline_key(stripped)
            if len(key) < 8:
                continue
            if any(
                key == s or (len(key) >= 20 and fuzz.ratio(key, s, score_cutoff=95)) for s in seen
            ):
                self._drop(ln, "C007", "repeated headline", 0.9)
            elif i < first:
                seen.append(key)

    def _list_tails(self, lines: list[_Line], last: int) -> None:
        """Titles listed under a removed 'Related news' heading in the footer zone go too."""
        inside = False
        for i, ln in enumerate(lines):
            v = ln.verdict
            if v is not None and v.list_heading and ln.remove == "C006":
                inside = i > last
                continue
            if not inside or ln.remove is not None:
                continue
            if ln.body or ln.verdict is not None or len(ln.text.split()) > 25:
                inside = False
                continue
            self._drop(ln, "C006", "related-links list", 0.85)

    def _recurring(
        self, lines: list[_Line], short: list[int], flagged: list[int], ctx: DocContext
    ) -> None:
        """Corpus-mode boilerplate and lines repeated in the page (C009)."""
        if not self.on("C009"):
            return
        keys: dict[int, str] = {}
        counts: dict[str, int] = {}
        # Outside corpus mode only non-body lines get a key: flagged lines (kept when their
        # rule is off or their position says content) and the unflagged short ones.
        if ctx.boilerplate:
            candidates: Iterable[int] = range(len(lines))
        else:
            candidates = sorted([*short, *flagged])
        for i in candidates:
            ln = lines[i]
            if self._gone(ln):
                continue
            if ctx.boilerplate or (not ln.body and len(ln.text) < 200):
                keys[i] = line_key(ln.text)
                if not ln.body and ln.verdict is None:
                    counts[keys[i]] = counts.get(keys[i], 0) + 1
        remove = self.opts["remove-boilerplate"]
        for i, key in keys.items():
            ln = lines[i]
            corpus = key in ctx.boilerplate
            count = counts.get(key, 0)
            if not corpus and count < self.opts["min-repeats"]:
                continue
            where = "in many documents of the batch" if corpus else f"{count} times here"
            if remove:
                self._drop(ln, "C009", "boilerplate", 0.8 if corpus else 0.7)
            else:
                message = f"boilerplate line (seen {where}); kept"
                ctx.note(ln.start, ln.cend, "C009", message, 0.8 if corpus else 0.6)

    def _report_kept(self, lines: list[_Line], ctx: DocContext, doc: DocScan | None) -> None:
        """Findings on kept lines: chrome glued to a sentence, untranslated lines."""
        mixed, cjk = self.on("C010"), self.on("C011")
        for ln in lines:
            if ln.verdict is not None or self._gone(ln):
                continue
            t = ln.text
            if mixed and _mixed_possible(t, doc):
                hit = _mixed_marker(t)
                if hit is not None:
                    start, end, found = hit
                    ctx.note(
                        ln.start + start,
                        ln.start + end,
                        "C010",
                        f"page chrome '{found}' inside a line of text; kept",
                        0.7,
                    )
            if (
                cjk
                and not t.isascii()
                and len(t) <= cp.MAX_CHROME_CHARS
                and cp.LATIN_WORD.search(t) is None
                and len(cp.CJK.findall(t)) >= 2
            ):
                ctx.note(ln.start, ln.cend, "C011", "line is not translated", 0.8)

    def _gone(self, ln: _Line) -> bool:
        """Whether the line is actually removed in this run (its rule enabled)."""
        return ln.remove is not None and self._enabled(ln.remove)

    @staticmethod
    def _drop(ln: _Line, rule: str, why: str, confidence: float) -> None:
        ln.remove, ln.why, ln.confidence = rule, why, confidence


# Characters ``KEY_STRIP`` removes from an ASCII string: all but letters and digits.
_ASCII_NON_ALNUM = {c: None for c in range(128) if not chr(c).isalnum()}


def _headline_key(stripped: str) -> str:
    """``KEY_STRIP.sub("", stripped.casefold())``; a translate for ASCII lines."""
    if stripped.isascii():
        return stripped.lower().translate(_ASCII_NON_ALNUM)
    return cp.KEY_STRIP.sub("", stripped.casefold())


def _split_lines(text: str) -> list[tuple[int, int, int, str]]:
    """``(start, content_end, end, content)`` per line, without a leading byte-order mark
    (it belongs to the file, not to the first line, so it neither hides chrome nor goes
    with a removed line)."""
    lines = _split_raw(text)
    if lines and text.startswith("\ufeff"):
        _s, c, e, t = lines[0]
        lines[0] = (1, c, e, t[1:])
    return lines


def _split_raw(text: str) -> list[tuple[int, int, int, str]]:
    """``(start, content_end, end, content)`` per line, as :func:`iter_lines` gives them;
    one ``str.split`` when the text has no CR (the usual case) instead of a regex match per
    line."""
    if "\r" in text:
        return [(s, c, e, text[s:c]) for s, c, e in iter_lines(text)]
    parts = text.split("\n")
    if not parts[-1]:
        parts.pop()  # a final newline ends the last line; it does not start another
    out = []
    pos, n = 0, len(text)
    for t in parts:
        cend = pos + len(t)
        end = cend + 1 if cend < n else cend
        out.append((pos, cend, end, t))
        pos = end
    return out


# MIXED_MARKER alternatives ending in a colon end with one of these words before it.
_COLON_WORDS = ("here", "location", "editor", "charge", "time", "to", "article")


def _mixed_possible(t: str, doc: DocScan | None) -> bool:
    """False only when :func:`_mixed_marker` certainly finds nothing in ``t``: substring
    tests, each a necessary condition of one marker (see MIXED_MARKER, MIXED_MEDIA)."""
    if doc is None:
        return True
    for x in doc.mixed_literals:
        if x in t and (x not in ":：" or _colon_after_label(t)):
            return True
    if doc.mixed_keywords:
        low = t.lower()
        return any(k in low for k in doc.mixed_keywords)
    return False


def _colon_after_label(t: str) -> bool:
    """Whether some colon of ``t`` follows one of :data:`_COLON_WORDS` (case-insensitive,
    spaces allowed between them)."""
    for colon in (":", "："):
        p = t.find(colon)
        while p >= 0:
            window = t[max(0, p - 40) : p]
            head = window.rstrip()
            if p > 40 and len(head) < 8:
                return True  # a long run of spaces: do not guess
            if head.lower().endswith(_COLON_WORDS):
                return True
            p = t.find(colon, p + 1)
    return False


def _mixed_marker(t: str) -> tuple[int, int, str] | None:
    """The first chrome fragment glued into a kept line, as (start, end, text), if any."""
    for off, part in _edges(t):
        low = part.lower()
        if any(g in low for g in cp.MIXED_GATE):
            m = _marker_search(part, low)
            if m:
                return off + m.start(), off + m.end(), m.group()
        if any(g in low for g in cp.MEDIA_GATE):
            m = cp.MIXED_MEDIA.search(part)
            if m:
                return off + m.start(), off + m.end(), m.group()
    return None


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regex (escapes and classes respected)."""
    out, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch in "()":
            depth += 1 if ch == "(" else -1
        elif ch == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    return [*out, pattern[start:]]


_MARKER_ALTS = tuple(
    regex.compile(a, cp.MIXED_MARKER.flags) for a in _alternatives(cp.MIXED_MARKER.pattern)
)
_COLONS = (":", "：")
# What each MIXED_MARKER alternative needs in the lower-cased text (each group: one of).
_MARKER_NEEDS: tuple[tuple[tuple[str, ...], ...], ...] = (
    (_COLONS, ("here",)),
    (_COLONS, ("location",)),
    (("当前位置",),),
    (("|",),),
    (("[", "【"),),
    (("|",),),
    (("reserved",),),
    (("©",),),
    (("备",),),
    (_COLONS, ("editor",)),
    (_COLONS, ("charge",)),
    (_COLONS, ("time",)),
    (_COLONS, ("to",)),
    (("qr",),),
    (_COLONS, ("article",)),
)
if len(_MARKER_NEEDS) != len(_MARKER_ALTS):  # pragma: no cover - guards edits of the pattern
    raise RuntimeError("MIXED_MARKER changed: update _MARKER_NEEDS alongside it")


def _marker_search(part: str, low: str) -> regex.Match[str] | None:
    """``cp.MIXED_MARKER.search(part)``, by alternative: one search over 15 alternatives
    costs ~150 ns a character in the regex module, and a line holds the literals of one or
    two of them at most. The leftmost start wins, the earlier alternative on a tie: what
    the alternation itself returns."""
    if not part.isascii() and any(c in part for c in cp.CASE_EXOTIC):
        return cp.MIXED_MARKER.search(part)  # lower-case needs would not be exact
    best = None
    for alt, needs in zip(_MARKER_ALTS, _MARKER_NEEDS, strict=True):
        if all(any(x in low for x in group) for group in needs):
            m = alt.search(part)
            if m is not None and (best is None or m.start() < best.start()):
                best = m
    return best


def _edges(t: str) -> list[tuple[int, str]]:
    """The parts of a line where glued-on chrome can be: all of it, or its two ends."""
    if len(t) <= 2 * _MIXED_WINDOW:
        return [(0, t)]
    return [(0, t[:_MIXED_WINDOW]), (len(t) - _MIXED_WINDOW, t[-_MIXED_WINDOW:])]
