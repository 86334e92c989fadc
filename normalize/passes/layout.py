"""Line and whitespace layout: blank lines, trailing spaces, the final newline.

The document's own line-ending style (LF, CRLF, CR) and a leading byte-order mark are
kept; converting them is opt-in (L006, L007), because silently rewriting every line of a
file is exactly the kind of change a reviewer cannot see.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, ClassVar

import regex

from normalize.config import Config
from normalize.edits import Edit, drop_overlaps
from normalize.errors import ConfigError
from normalize.passes.base import DocContext, Pass
from normalize.rules import Rule

P = "layout"

RULES = (
    Rule(
        "L001",
        "whitespace-only-line",
        P,
        "Empty lines that contain only spaces (including no-break spaces).",
        "Scraped pages leave lines holding a single U+00A0 or a few spaces between "
        "paragraphs. They look blank but are not, which breaks paragraph splitting.",
        (("First.\n \nSecond.\n", "First.\n\nSecond.\n"),),
    ),
    Rule(
        "L002",
        "trailing-whitespace",
        P,
        "Remove spaces and tabs at the end of lines.",
        "Trailing whitespace is invisible noise that makes diffs and line comparisons "
        "unreliable.",
        (("Promote development.   \n", "Promote development.\n"),),
    ),
    Rule(
        "L003",
        "blank-line-run",
        P,
        "Collapse runs of blank lines to at most 'max-blank-lines' (default 1).",
        "Removing page chrome leaves stacks of empty lines. One blank line still separates "
        "paragraphs, so the default keeps exactly one. Set [tool.mtnorm.layout] "
        "max-blank-lines to change it.",
        (("First.\n\n\n\nSecond.\n", "First.\n\nSecond.\n"),),
    ),
    Rule(
        "L004",
        "final-newline",
        P,
        "End a non-empty document with exactly one line break.",
        "Adds a missing final line break (in the document's own style) and removes blank "
        "lines at the end. A document with no content becomes empty.",
        (("Last line.", "Last line.\n"), ("Last line.\n\n\n", "Last line.\n")),
    ),
    Rule(
        "L005",
        "leading-blank-lines",
        P,
        "Remove blank lines at the start of the document.",
        "A document that starts with empty lines is a scraping artifact; a byte-order mark "
        "at the start is kept.",
        (("\n\nHeadline\n", "Headline\n"),),
    ),
    Rule(
        "L006",
        "line-endings",
        P,
        "Convert every line ending to 'line-ending' (lf or crlf) (opt-in).",
        "By default line endings are preserved as found. Enable this rule to normalize "
        "them; the target is [tool.mtnorm.layout] line-ending, 'lf' unless set.",
        (("a\r\nb\r\n", "a\nb\n"),),
        default=False,
    ),
    Rule(
        "L007",
        "byte-order-mark",
        P,
        "Remove a byte-order mark at the start of the text (opt-in).",
        "A BOM is kept by default so a file round-trips byte for byte; enable this for "
        "consumers that choke on it.",
        (("\ufeffHeadline\n", "Headline\n"),),
        default=False,
    ),
)

_NL = r"(?:\r\n|\n|\r)"
_BLANK_LINE = rf"(?>[^\S\r\n]*{_NL})"  # atomic: a CRLF is never split into two breaks
# Horizontal white space: Unicode White_Space without CR and LF (what ``[^\S\r\n]`` means
# in the ``regex`` module), spelled out so the stdlib ``re`` engine, much faster at a
# plain class scan, sees exactly the same set.
_HWS = "[ \t\x0b\x0c\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
# What str.isspace() counts as white space, matched backwards from the end of the text.
_TAIL_SPACE = regex.compile(r"[\s\x1c-\x1f]*", regex.REVERSE)
_HWS_CHARS = frozenset(
    " \t\x0b\x0c\x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000"
    + "".join(map(chr, range(0x2000, 0x200B)))
)  # the members of _HWS (a test checks they agree)
_LINE_BREAK = re.compile(r"[\r\n]")
_LF = re.compile("\n")  # a literal: searched several times faster than a class
_HWS_RUN_BACK = regex.compile(rf"{_HWS}+", regex.REVERSE)


def _line_end_spaces(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Spans of white space that ends a line: (whole-line ones, trailing ones).

    Line ends are found with a scan for CR/LF and the character before each is looked
    up, rather than a look-ahead tried after every space of the text (prose is one
    sixth spaces).
    """
    ws_only: list[tuple[int, int]] = []
    trailing: list[tuple[int, int]] = []
    breaks = _LINE_BREAK if "\r" in text else _LF
    ends = [p for m in breaks.finditer(text) if text[(p := m.start()) - 1 : p] in _HWS_CHARS]
    if text and text[-1] in _HWS_CHARS:
        ends.append(len(text))
    for end in ends:
        start = _HWS_RUN_BACK.match(text, 0, end).start()  # type: ignore[union-attr]
        if start == 0 or text[start - 1] in "\r\n":
            ws_only.append((start, end))
        else:
            trailing.append((start, end))
    return ws_only, trailing
_LEADING = regex.compile(rf"\A\ufeff?((?:{_BLANK_LINE})+)")
_ANY_NL = regex.compile(_NL)
_ENDINGS = {"lf": "\n", "crlf": "\r\n"}


class LayoutPass(Pass):
    name = P
    rules = RULES
    options: ClassVar[Mapping[str, Any]] = {"max-blank-lines": 1, "line-ending": "lf"}

    def __init__(self, config: Config, enabled: frozenset[str]) -> None:
        super().__init__(config, enabled)
        keep = self.opts["max-blank-lines"]
        if keep < 0:
            raise ConfigError("layout.max-blank-lines must be 0 or more")
        if self.opts["line-ending"] not in _ENDINGS:
            raise ConfigError("layout.line-ending must be 'lf' or 'crlf'")
        self.keep = keep
        self.target = _ENDINGS[self.opts["line-ending"]]
        # A run longer than ``keep`` blank lines, preceded by a line break.
        # (never starting between the CR and LF of one CRLF).
        # The line break is matched first (a fast scan for CR/LF) rather than looked
        # behind at every position; the run itself is group 1.
        self.runs = regex.compile(rf"(?>\r\n|\n|\r)((?:{_BLANK_LINE}){{{keep + 1},}})")
        # Without whitespace-only lines, such a run needs keep + 2 line breaks in a row.
        self.run_gates = tuple(nl * (keep + 2) for nl in ("\n", "\r\n", "\r"))

    def run(self, text: str, ctx: DocContext) -> list[Edit]:
        if not text:
            return []
        convert = self.on("L006")
        nl = self.target if convert else ctx.newline
        edits: list[Edit] = []
        bom = 1 if text.startswith("\ufeff") else 0
        if bom and self.on("L007"):
            edits.append(Edit(0, 1, "", "L007"))
        # (str.rstrip would copy the whole text just to measure the tail.)
        content_end = _TAIL_SPACE.match(text).start()  # type: ignore[union-attr]
        if content_end <= bom:
            if self.on("L004") and len(text) > bom:
                edits.append(Edit(bom, len(text), "", "L004", message="document has no content"))
            return drop_overlaps(edits)
        if self.on("L005"):
            m = _LEADING.match(text)
            if m:
                edits.append(Edit(m.start(1), m.end(1), "", "L005"))
        if self.on("L004"):
            tail = _ANY_NL.search(text, content_end)
            if tail is None:
                edits.append(Edit(len(text), len(text), nl, "L004"))
            else:
                ending = nl if convert else tail.group()
                edits.append(Edit(tail.start(), len(text), ending, "L004"))
        # One fast scan finds every run of spaces before a line end (usually none); they
        # are whitespace-only lines (L001) or trailing whitespace (L002).
        ws_only, trailing = _line_end_spaces(text)
        if self.on("L003") and (ws_only or any(g in text for g in self.run_gates)):
            for m in self.runs.finditer(text):
                first = _ANY_NL.search(text, m.start(1)).group()  # type: ignore[union-attr]
                ending = nl if convert else first
                edits.append(Edit(m.start(1), m.end(1), ending * self.keep, "L003"))
        if self.on("L001"):
            edits.extend(Edit(a, b, "", "L001") for a, b in ws_only)
        if self.on("L002"):
            edits.extend(Edit(a, b, "", "L002") for a, b in trailing)
        if convert:
            edits.extend(
                Edit(m.start(), m.end(), self.target, "L006")
                for m in _ANY_NL.finditer(text)
                if m.group() != self.target
            )
        return drop_overlaps(edits)
