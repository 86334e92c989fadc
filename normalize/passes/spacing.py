"""Spacing and punctuation artifacts typical of MT output.

Each rule is one precompiled pattern that states both what it changes and the context it
requires, so text that merely looks similar (``3.5``, ``U.S.``, ``gov.cn``, ``(re)use``)
is left alone. A second safety net drops any edit that touches a protected span: URLs,
e-mail addresses, file and domain names, numbers, dates, times and abbreviations.

The rule patterns are not run over the whole text: their ``regex`` Unicode classes and
lookbehinds make a full scan slow. Cheap ``re`` scans for the punctuation mark each rule
hinges on find the few candidate positions, and the rule's pattern decides at each one,
so the edits are exactly those a ``finditer`` per rule gives.
"""

from __future__ import annotations

import itertools
import operator
import re
from collections.abc import Callable

import regex

from normalize.edits import Edit, drop_overlaps
from normalize.passes.base import DocContext, Pass
from normalize.rules import Rule

P = "spacing"

RULES = (
    Rule(
        "S001",
        "spaced-hyphen",
        P,
        "Join a compound whose hyphen lost its left word: 'high -quality' -> 'high-quality'.",
        "MT often emits 'high -quality', 'co -leading', 'long -term'. The space is removed "
        "only between a word and a hyphen directly followed by a lower-case word, so dashes "
        "used as punctuation (' - ', ' -- ') and minus signs before numbers are kept.",
        (("Promote high -quality development", "Promote high-quality development"),),
        kind="fix",
    ),
    Rule(
        "S002",
        "missing-space-after-punctuation",
        P,
        "Add the missing space after sentence punctuation: 'smoothly.The' -> 'smoothly. The'.",
        "Applied after '.', '!' and '?' only between a lower-case word and a capitalised "
        "word, and after ',', ';' and ':' between words, so abbreviations (U.S., e.g.), "
        "decimals, times, file and domain names are not split.",
        (
            ("progressing smoothly.The team", "progressing smoothly. The team"),
            ("rectification solidly;The focus", "rectification solidly; The focus"),
        ),
    ),
    Rule(
        "S003",
        "parenthesis-spacing",
        P,
        "Separate a parenthesis from the word it touches: ')On' -> ') On', '5th(R' -> '5th (R'.",
        "An opening parenthesis glued to a preceding word of two or more characters gets a "
        "space before it; a closing parenthesis gets a space after it only before a "
        "capitalised word, so forms like '(re)organize' and 'word(s)' are kept.",
        (
            ("(Reporter Chen Yi)On March 22", "(Reporter Chen Yi) On March 22"),
            ("News August 5th(Reporters Liao)", "News August 5th (Reporters Liao)"),
        ),
    ),
    Rule(
        "S004",
        "space-before-punctuation",
        P,
        "Remove the space before a comma, period, semicolon, colon, '!' or '?'.",
        "'word ,' becomes 'word,'. When the mark is glued to the next word ('word ,next'), "
        "the space moves after it. Spaces before a colon that follows a number ('3 : 1') "
        "and before an ellipsis are kept.",
        (("the city , the county .", "the city, the county."),),
    ),
    Rule(
        "S005",
        "doubled-comma",
        P,
        "Collapse doubled commas: 'word,, next' -> 'word, next'.",
        "Two commas with nothing but spaces between them after a word are an MT artifact; "
        "empty fields in data-like lines (digits on the left) are not touched.",
        (("sewage,, water", "sewage, water"),),
    ),
    Rule(
        "S006",
        "doubled-space",
        P,
        "Collapse runs of spaces between words to one space.",
        "Indentation at the start of a line is kept and trailing spaces are left to L002.",
        (("the  city", "the city"),),
    ),
)

_L = r"\p{L}"
_S001 = regex.compile(rf"(?<={_L}) -(?=\p{{Ll}}+\b)(?!\p{{Ll}}+-)")
_S002 = regex.compile(
    r"[.!?](?<=\p{Ll}[\p{Ll})”’\"][.!?])(?=\p{Lu}\p{Ll})"
    r"|[,;](?<=\p{L}{2}[,;])(?=\p{L}{2})"
    r"|:(?<=\p{L}{2}:)(?=\p{Lu}\p{Ll})"
)
# Not after 'Â' or 'Ã': with a space after them they read to ftfy as mojibake of a
# no-break space ('Ã ' is 'à'), and the next run would "repair" the inserted space.
_S003_OPEN = regex.compile(r"\((?<=[\p{L}\p{N}]{2}\()(?<![ÂÃ]\()(?=\p{L}{2})")
_S003_CLOSE = regex.compile(r"\)(?<=[\p{L}\p{N}.]{2}\))(?=\p{Lu})")
_S004 = regex.compile(
    r" +(?=[,;:!?.])(?<=[\p{L}\p{N})”’\"] +)"
    r"(?:(?P<end>[,;!?]|\.(?!\.))(?=\s|$|[”’\")])"
    r"|(?P<glue>[,;])(?=\p{L})"
    r"|(?P<sent>[.!?])(?=\p{Lu}\p{Ll})"
    r"|(?P<colon>:)(?<=\p{L} +:)(?=\s|$))"
)
_S005 = regex.compile(r"(?<=[\p{L})”’\"]) *,(?:[^\S\n]*,)+(?=\s|\p{L}|$)")
_S006 = regex.compile(r"(?<=\S) {2,}(?=\S)")

# Domain and file-name endings, and abbreviations that end in a period; shared by
# _PROTECTED and its prefilter _MAY_PROTECT so the two cannot drift apart.
_ENDINGS = (
    r"com|cn|org|net|gov|edu|int|info|io|uk|hk|mo|tw|jpg|jpeg|png"
    r"|gif|bmp|webp|tif|tiff|svg|pdf|docx?|xlsx?|pptx?|txt|csv|zip|rar|s?html?|php|aspx?|jsp"
    r"|mp[34]|avi|wmv|flv|json|xml"
)
_TITLES = r"No|Nos|Mr|Mrs|Ms|Dr|Prof|St|Jr|Sr|vs|Inc|Ltd|Co|Corp|Art|Fig|Vol|Ref|Dept|Gov"
_PROTECTED = regex.compile(
    r"(?:https?|ftp)://\S+|www\.\S+|&(?:amp;)*#?\w+;"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    rf"|\b[\w-]+(?:\.[\w-]+)*\.(?:{_ENDINGS})\b"
    r"|\d+(?:[.,:/-]\d+)+"
    r"|\b(?:\p{L}\.){2,}"
    rf"|\b(?:{_TITLES})\.\S*",
    regex.IGNORECASE,
)


def _after_one_of(words: str) -> str:
    """Lookbehinds for a period that ends one of ``words`` (``re`` needs one per length)."""
    by_length: dict[int, list[str]] = {}
    for word in words.split("|"):
        by_length.setdefault(len(word), []).append(word)
    return "|".join(rf"(?<=(?i:{'|'.join(same)})\.)" for same in by_length.values())


# A cheap necessary condition for a _PROTECTED match: each of its alternatives contains a
# piece matched here ('&', '@', '://', '.com', 'www.', 'U.S.', 'Mr.', a digit-separator-
# digit). Written for ``re``, whose case-insensitive and digit classes are supersets of the
# ``regex`` ones _PROTECTED uses, so a stretch this misses cannot hold a protected span.
# Every branch starts with a literal character, which lets ``re`` skip the rest quickly.
def _with_non_ascii(ascii_members: str) -> str:
    """A class matching exactly ``ascii_members`` among ASCII characters and every
    non-ASCII code point, spelled as a negated class of the other ASCII characters:
    ``re`` compiles ``[^...]`` of a few ASCII characters in microseconds, but
    ``[...\x80-\U0010ffff]`` in ~5 ms (it walks the range), and these classes appear a
    dozen times, which was most of the CLI's start-up."""
    others = "".join(c for c in map(chr, range(128)) if c not in ascii_members)
    return "[^" + "".join(f"\\x{ord(c):02x}" for c in others) + "]"


_DIGIT = _with_non_ascii("0123456789")
# Case-insensitive only where letters are spelled out: under IGNORECASE a class is folded
# too (and compiles slowly); the digit classes need no folding, being supersets of \d.
_MAY_PROTECT = re.compile(
    rf"&|@"
    rf"|:(?://|(?<={_DIGIT}:)(?={_DIGIT}))"
    rf"|\.(?:(?i:{_ENDINGS})|.\.|(?<=(?i:www)\.)|(?<={_DIGIT}\.)(?={_DIGIT})"
    rf"|{_after_one_of(_TITLES)})"
    rf"|,(?<={_DIGIT},)(?={_DIGIT})"
    rf"|/(?<={_DIGIT}/)(?={_DIGIT})"
    rf"|-(?<={_DIGIT}-)(?={_DIGIT})",
)


# Character classes for the scans below, written as supersets of the ``regex`` classes the
# rules use (``\p{L}``, ``\p{Lu}``, ``\p{Ll}``): ASCII letters plus every non-ASCII code
# point, so a scan can never miss a position whatever Unicode version either engine has.
_AZ = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_az = _AZ.lower()
_LETTER = _with_non_ascii(_AZ + _az)
_UPPER = _with_non_ascii(_AZ)
_LOWER = _with_non_ascii(_az)
_ALNUM = _with_non_ascii("0123456789" + _AZ + _az)


def _mark_scan(mark: str, **groups: str) -> tuple[str, re.Pattern[str]]:
    """A scan for ``mark`` in the contexts ``groups`` name (group name -> lookarounds)."""
    alternatives = "|".join(f"(?P<{name}>{context})" for name, context in groups.items())
    return mark, re.compile(f"{re.escape(mark)}(?:{alternatives})")


# S001-S005 all hinge on a punctuation mark, so one scan per mark finds every position
# where one of them could match, and the rule's own pattern then decides there. A scan
# for one literal character lets ``re`` skip the text far faster than a character set
# would. The group says which rules to try (see _Found.handlers):
#   spaced  - a mark after a space: S004 ('word ,'), and S005 when the mark is a comma;
#   glued   - a mark between two words: S002;
#   commas  - a comma after a word and before another comma: S005;
#   hyphen  - ' -' before a lower-case letter: S001;
#   open, close - a parenthesis touching a word: S003.
# S004 and S005 need one of these (a superset) just before their match: ``word ,``.
_WORD_END_ASCII = "0123456789" + _AZ + _az + ')"'
_WORD_END = _with_non_ascii(_WORD_END_ASCII)
# Checked after the mark: a space before it, and a word or another space before that.
# Each context tests its rarest condition first, so most marks are passed over at once.
_AFTER_SPACE = f"(?<= .)(?<={_with_non_ascii(_WORD_END_ASCII + ' ')}..)"
# S002's contexts (checked after the mark, so lookbehinds end with it):
# 'smoothly.The', 'solidly;the', 'here:Home'.
_LOWER_CLOSE = _with_non_ascii(_az + ')"')  # a lower-case letter, ')' or '"'
_SENTENCE_GLUED = f"(?={_UPPER}{_LOWER})(?<={_LOWER}{_LOWER_CLOSE}.)"
_CLAUSE_GLUED = f"(?={_LETTER}{{2}})(?<={_LETTER}{{2}}.)"
_COLON_GLUED = f"(?={_UPPER}{_LOWER})(?<={_LETTER}{{2}}.)"
# ``re``'s ``\s`` is a superset of ``regex``'s, so this misses no S005 match either.
_DOUBLED_COMMA = f"(?=[^\\S\\n]*,)(?<={_WORD_END},)"
_MARK_SCANS = (
    _mark_scan(".", spaced=_AFTER_SPACE, glued=_SENTENCE_GLUED),
    # commas before glued: two non-ASCII spaces between commas also pass as "glued"
    # letters, and only the first branch that matches is reported.
    _mark_scan(",", spaced=_AFTER_SPACE, commas=_DOUBLED_COMMA, glued=_CLAUSE_GLUED),
    _mark_scan(";", spaced=_AFTER_SPACE, glued=_CLAUSE_GLUED),
    _mark_scan(":", spaced=_AFTER_SPACE, glued=_COLON_GLUED),
    _mark_scan("!", spaced=_AFTER_SPACE, glued=_SENTENCE_GLUED),
    _mark_scan("?", spaced=_AFTER_SPACE, glued=_SENTENCE_GLUED),
    _mark_scan("-", hyphen=f"(?<= -)(?={_LOWER})"),
    _mark_scan("(", open=f"(?<={_ALNUM}{{2}}\\()(?={_LETTER}{{2}})"),
    _mark_scan(")", close=f"(?={_UPPER})"),
)
# S006 runs are found apart: a scan stopping at every space would cost more than it saves.
_SPACE_RUN = re.compile("   *")  # not " {2,}": a literal prefix lets re skip fast
# S004 and S005 matches begin at the first space of the run before their mark.
_SPACES_BEFORE = regex.compile(r" +", regex.REVERSE)

_SPAN = operator.attrgetter("start", "end")
_WINDOW = 300
_LAST_SPACE = regex.compile(r"\s", regex.REVERSE)
_NEXT_SPACE = regex.compile(r"\s")


class SpacingPass(Pass):
    name = P
    rules = RULES

    def run(self, text: str, ctx: DocContext) -> list[Edit]:
        found = _Found(text)
        try_at = found.handlers(self.enabled)
        for mark, scan in _MARK_SCANS:
            if mark in text:
                for m in scan.finditer(text):
                    try_at[m.lastgroup](m.start())
        if self.on("S006"):
            found.doubled_spaces()
        edits = found.by_rule()
        if not any(edits):
            return []
        return _unprotected(text, _resolve_clashes(edits))


class _Found:
    """The edits each rule proposes for one document, one list per rule.

    Each ``_at_*`` method is called with the position of a mark a scan stopped at and
    lets the rule's own pattern decide there. ``Pattern.match(text, pos)`` sees the text
    before ``pos`` (lookbehinds, ``\\b``), so it finds exactly what ``finditer`` would at
    that position.
    """

    __slots__ = ("s001", "s002", "s003_close", "s003_open", "s004", "s005", "s005_end",
                 "s006", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.s001: list[Edit] = []
        self.s002: list[Edit] = []
        self.s003_open: list[Edit] = []
        self.s003_close: list[Edit] = []
        self.s004: list[Edit] = []
        self.s005: list[Edit] = []
        self.s006: list[Edit] = []
        # S005 matches can span several commas; like finditer, never start inside one.
        self.s005_end = 0

    def handlers(self, on: frozenset[str]) -> dict[str | None, Callable[[int], None]]:
        """The method to call for each scan group; rules that are off cost a no-op."""
        s004, s005 = "S004" in on, "S005" in on
        if s004 and s005:
            spaced = self._at_spaced
        else:
            spaced = self._s004_after_spaces if s004 else self._s005_after_spaces if s005 else _skip
        return {
            "spaced": spaced,
            "hyphen": self._at_hyphen if "S001" in on else _skip,
            "glued": self._at_glued if "S002" in on else _skip,
            "commas": self._at_commas if s005 else _skip,
            "open": self._at_open if "S003" in on else _skip,
            "close": self._at_close if "S003" in on else _skip,
        }

    def _at_spaced(self, pos: int) -> None:
        """A mark after spaces: S004, and S005 when the mark is a comma.

        Both matches begin at the first space of the run, not at the mark.
        """
        self._s004_after_spaces(pos)
        self._s005_after_spaces(pos)

    def _s004_after_spaces(self, pos: int) -> None:
        """S004: drop the space before a mark, or move it after a mark glued to a word."""
        text = self.text
        m = _S004.match(text, _SPACES_BEFORE.match(text, 0, pos).start())
        if m is None:
            return
        mark = m.group("end") or m.group("colon")
        if mark:
            self.s004.append(Edit(m.start(), m.end(), mark, "S004", 0.95))
        else:
            self.s004.append(Edit(m.start(), m.end(), m.group()[-1] + " ", "S004", 0.9))

    def _s005_after_spaces(self, pos: int) -> None:
        """S005 for a comma that follows spaces: the match takes the spaces too."""
        if self.text[pos] == ",":
            self._at_commas(_SPACES_BEFORE.match(self.text, 0, pos).start())

    def _at_commas(self, start: int) -> None:
        """S005: collapse doubled commas; keep a space when a word follows directly."""
        if start < self.s005_end or not (m := _S005.match(self.text, start)):
            return
        self.s005_end = end = m.end()
        rep = ", " if self.text[end : end + 1].isalpha() else ","
        self.s005.append(Edit(start, end, rep, "S005", 0.95))

    def _at_hyphen(self, pos: int) -> None:
        """S001: 'high -quality'; the match begins at the space before the hyphen."""
        if m := _S001.match(self.text, pos - 1):
            self.s001.append(Edit(m.start(), m.end(), "-", "S001", 0.9))

    def _at_glued(self, pos: int) -> None:
        """S002: a space after a mark that touches the next word."""
        if m := _S002.match(self.text, pos):
            self.s002.append(Edit(m.end(), m.end(), " ", "S002", 0.9))

    def _at_open(self, pos: int) -> None:
        """S003: a space before '(' glued to a word."""
        if _S003_OPEN.match(self.text, pos):
            self.s003_open.append(Edit(pos, pos, " ", "S003", 0.9))

    def _at_close(self, pos: int) -> None:
        """S003: a space after ')' glued to a capitalised word."""
        if _S003_CLOSE.match(self.text, pos):
            self.s003_close.append(Edit(pos + 1, pos + 1, " ", "S003", 0.9))

    def doubled_spaces(self) -> None:
        """S006: every run of two or more spaces that sits between two words."""
        text = self.text
        for run in _SPACE_RUN.finditer(text):
            if m := _S006.match(text, run.start()):
                self.s006.append(Edit(m.start(), m.end(), " ", "S006"))

    def by_rule(self) -> list[list[Edit]]:
        """The edits rule by rule, in the order that decides clashes (see _resolve_clashes)."""
        return [self.s005, self.s004, self.s001, self.s002, self.s003_open, self.s003_close,
                self.s006]


def _skip(pos: int) -> None:
    """Scan handler for a rule that is switched off."""


def _resolve_clashes(by_rule: list[list[Edit]]) -> list[Edit]:
    """What ``drop_overlaps`` keeps of the edits, rule by rule and each rule's in text order.

    That order is the original one (one ``finditer`` per rule, S005 first); in a clash the
    earlier edit wins, so it is part of the behaviour. ``drop_overlaps`` returns the kept
    edits sorted by position: when no two edits clash that is all of them, sorted, and
    rules rarely fire on the same characters, so a sort and one linear check usually
    settle it.
    """
    ordered = sorted(itertools.chain.from_iterable(by_rule), key=_SPAN)
    for a, b in itertools.pairwise(ordered):
        # Sorted, so a and b clash when they overlap or insert at the same point.
        if a.end > b.start or a.start == a.end == b.start == b.end:
            return drop_overlaps([e for edits in by_rule for e in sorted(edits, key=_SPAN)])
    return ordered


def _unprotected(text: str, edits: list[Edit]) -> list[Edit]:
    """Drop edits that fall inside a protected span (a URL, a number, an abbreviation).

    Protected spans never contain whitespace, so only the whitespace-delimited stretch
    around each edit is searched: cost follows the number of edits, not the text size.
    Most stretches hold nothing a protected span needs (see _MAY_PROTECT); that is first
    checked on a stretch cut at plain spaces only, which ``str`` methods find quickly and
    which is never narrower than the whitespace-delimited one.
    """
    kept: list[Edit] = []
    n = len(text)
    for e in edits:
        lo = max(0, e.start - _WINDOW)
        hi = min(n, e.end + _WINDOW)
        # rfind gives -1 when there is no space: then the stretch starts at ``lo``.
        wide_lo = text.rfind(" ", lo, e.start) + 1 or lo
        wide_hi = text.find(" ", e.end, hi)
        if wide_hi < 0:
            wide_hi = hi
        if _MAY_PROTECT.search(text, wide_lo, wide_hi) and _touches_protected(text, lo, hi, e):
            continue
        kept.append(e)
    return kept


def _touches_protected(text: str, lo: int, hi: int, e: Edit) -> bool:
    """Whether a protected span overlaps ``e``.

    Spans are searched in the whitespace-delimited stretch around ``e``, cut to
    ``text[lo:hi]`` so one very long "word" cannot make this slow.
    """
    left = _LAST_SPACE.search(text, lo, e.start)
    right = _NEXT_SPACE.search(text, e.end, hi)
    lo = left.end() if left else lo
    hi = right.start() if right else hi
    for m in _PROTECTED.finditer(text, lo, hi):
        s, end = m.span()
        # An insertion at a span's edge is outside it; any other contact is inside.
        if (s < e.start < end) or (s < e.end < end) or (e.start <= s and end <= e.end):
            return True
    return False
