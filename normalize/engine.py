"""The engine: runs passes in order, applies their edits and keeps the offset map.

Each pass sees the output of the previous one. The engine keeps, for every region
changed so far, its span in the ORIGINAL text and in the CURRENT text. When a new pass
proposes edits, they are mapped back through that list in one linear merge, so the final
report is a set of non-overlapping changes against the original that replays exactly
(:func:`normalize.edits.apply_changes`). Edits of different passes that overlap (or touch
where one of them is empty, which would make the order of the replay ambiguous) are merged
into one change that names every rule involved.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from normalize.config import Config
from normalize.edits import Change, Edit, Finding, apply_edits
from normalize.errors import ConfigError
from normalize.passes import PASS_CLASSES
from normalize.passes.base import DocContext, Note, Pass
from normalize.rules import Rule, select_rules, unknown_selectors

_LF = re.compile("\n")  # a literal: the stdlib engine finds it with a fast search


@dataclass(slots=True)
class _Span:
    """A changed region: where it is in the original and in the current text."""

    ostart: int
    oend: int
    cstart: int
    cend: int
    edits: list[tuple[str, Edit]]


@dataclass(frozen=True, slots=True)
class Result:
    """What :func:`normalize.clean` returns: the text, what changed, what was noticed."""

    text: str
    original: str
    changes: tuple[Change, ...]
    findings: tuple[Finding, ...]
    counts: Mapping[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return self.text != self.original


def _connected(a0: int, a1: int, b0: int, b1: int) -> bool:
    if a0 < b1 and b0 < a1:
        return True
    return (a0 == a1 or b0 == b1) and a0 <= b1 and b0 <= a1


def _validated(text: str, edits: Sequence[Edit], enabled: frozenset[str]) -> list[Edit]:
    """Sort, drop disabled/no-op edits, and drop any edit overlapping an earlier one.

    Dropping (rather than raising) keeps a faulty pass from aborting a batch; the
    property tests make sure no shipped pass relies on it.
    """
    n = len(text)
    out: list[Edit] = []
    last_end = -1
    last_empty_at = -1
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if e.rule not in enabled or not (0 <= e.start <= e.end <= n):
            continue
        if text[e.start : e.end] == e.replacement:
            continue
        if e.start < last_end or (e.start == e.end and e.start == last_empty_at):
            continue
        out.append(e)
        last_end = e.end
        if e.start == e.end:
            last_empty_at = e.start
    return out


def _compose_disjoint(
    spans: list[_Span], edits: list[Edit], pass_name: str
) -> list[_Span] | None:
    """The common case in one tight walk: no edit touches a change made earlier or
    another edit of its pass. Returns None as soon as one does (the caller then runs the
    general merge)."""
    out: list[_Span] = []
    append = out.append
    n = len(spans)
    i = 0
    shift_old = 0  # current - original before the position reached
    shift_new = 0  # new current - old current before the position reached
    prev_end = -1
    prev_empty = False
    for e in edits:
        start, end = e.start, e.end
        if start < prev_end or (start == prev_end and (prev_empty or start == end)):
            return None  # touches the previous edit: let the general path cluster them
        while i < n and spans[i].cend <= start:
            s = spans[i]
            if s.cend == start and (s.cstart == s.cend or start == end):
                return None
            append(_Span(s.ostart, s.oend, s.cstart + shift_new, s.cend + shift_new, s.edits))
            shift_old += (s.cend - s.cstart) - (s.oend - s.ostart)
            i += 1
        if i < n:
            s = spans[i]
            if s.cstart < end or (s.cstart == end and (s.cstart == s.cend or start == end)):
                return None
        repl = len(e.replacement)
        append(
            _Span(
                start - shift_old,
                end - shift_old,
                start + shift_new,
                start + shift_new + repl,
                [(pass_name, e)],
            )
        )
        shift_new += repl - (end - start)
        prev_end, prev_empty = end, start == end
    for s in spans[i:]:
        append(_Span(s.ostart, s.oend, s.cstart + shift_new, s.cend + shift_new, s.edits))
    return out


def _compose(spans: list[_Span], edits: list[Edit], pass_name: str) -> list[_Span]:
    """Merge one pass's edits (current coordinates) into the change list.

    Returns the new list with current coordinates moved to the text after the edits.
    """
    if not spans:  # the first pass that changes anything: current == original
        first: list[_Span] = []
        shift = 0
        for e in edits:
            new_start = e.start + shift
            shift += len(e.replacement) - (e.end - e.start)
            new_end = new_start + len(e.replacement)
            # Joined as the general path would: connected to the cluster so far, in the
            # pass's own coordinates (here those are the original's).
            if first and _connected(first[-1].ostart, first[-1].oend, e.start, e.end):
                last = first[-1]
                history = [*last.edits, (pass_name, e)]
                first[-1] = _Span(last.ostart, e.end, last.cstart, new_end, history)
            else:
                first.append(_Span(e.start, e.end, new_start, new_end, [(pass_name, e)]))
        return first
    fast = _compose_disjoint(spans, edits, pass_name)
    if fast is not None:
        return fast
    out: list[_Span] = []
    i = j = 0
    shift_old = 0  # current - original, for positions past the spans handled so far
    shift_new = 0  # new current - old current, for positions past the edits handled so far
    while i < len(spans) or j < len(edits):
        take_span = j >= len(edits) or (i < len(spans) and spans[i].cstart <= edits[j].start)
        members_s: list[_Span] = []
        members_e: list[Edit] = []
        if take_span:
            members_s.append(spans[i])
            lo, hi = spans[i].cstart, spans[i].cend
            i += 1
        else:
            members_e.append(edits[j])
            lo, hi = edits[j].start, edits[j].end
            j += 1
        grew = True
        while grew:
            grew = False
            if i < len(spans) and _connected(lo, hi, spans[i].cstart, spans[i].cend):
                members_s.append(spans[i])
                hi = max(hi, spans[i].cend)
                i += 1
                grew = True
            if j < len(edits) and _connected(lo, hi, edits[j].start, edits[j].end):
                members_e.append(edits[j])
                hi = max(hi, edits[j].end)
                j += 1
                grew = True
        delta_old = sum((s.cend - s.cstart) - (s.oend - s.ostart) for s in members_s)
        delta_new = sum(len(e.replacement) - (e.end - e.start) for e in members_e)
        if not members_e:
            out.extend(
                _Span(s.ostart, s.oend, s.cstart + shift_new, s.cend + shift_new, s.edits)
                for s in members_s
            )
        else:
            # Members arrive in position order and never overlap, so the first and last
            # prior spans bound the cluster (several may end at ``hi`` when some are empty).
            first = members_s[0] if members_s else None
            last = members_s[-1] if members_s else None
            ostart = first.ostart if first and first.cstart == lo else lo - shift_old
            oend = last.oend if last and last.cend == hi else hi - shift_old - delta_old
            history: list[tuple[str, Edit]] = []
            for s in sorted(members_s, key=lambda s: s.cstart):
                history.extend(s.edits)
            history.extend((pass_name, e) for e in members_e)
            out.append(_Span(ostart, oend, lo + shift_new, hi + shift_new + delta_new, history))
        shift_old += delta_old
        shift_new += delta_new
    return out


def _primary(edits: list[tuple[str, Edit]]) -> tuple[str, Edit]:
    """The edit a merged change is filed under: the one that replaced the most text (a
    chrome pass deleting a whole line outranks the space fixed in it earlier); ties go to
    the earliest."""
    return max(edits, key=lambda pe: pe[1].end - pe[1].start)


class _LineIndex:
    """1-based line/column lookup for offsets of one text."""

    def __init__(self, text: str) -> None:
        self.starts = [0]
        self.starts.extend(m.end() for m in _LF.finditer(text))

    def locate(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


def _to_original(spans: list[_Span], keys: list[int], pos: int, *, at_end: bool) -> int:
    """Map a current-text position back to the original; inside a change, clamp to it.
    ``keys`` are the spans' current starts (built once per pass, not per note)."""
    k = bisect.bisect_right(keys, pos) - 1
    if k < 0:
        return pos
    s = spans[k]
    if pos < s.cend or (pos == s.cend and s.cstart == s.cend):
        return s.oend if at_end else s.ostart
    return pos - (s.cend - s.oend)


def detect_newline(text: str) -> str:
    """The document's dominant line ending (LF when it has none)."""
    crlf = text.count("\r\n")
    lf = text.count("\n") - crlf
    cr = text.count("\r") - crlf
    if crlf > lf and crlf >= cr:
        return "\r\n"
    if cr > lf and cr > crlf:
        return "\r"
    return "\n"


def all_rules() -> tuple[Rule, ...]:
    """Every rule of every pass, in pipeline order."""
    return tuple(r for cls in PASS_CLASSES for r in cls.rules)


class Normalizer:
    """A compiled pipeline. Build once, call :meth:`clean` many times, from many threads.

    It pickles as its config and rebuilds on unpickling, so it can be shipped to worker
    processes cheaply.
    """

    def __init__(self, config: Config | None = None) -> None:
        self.config = config or Config()
        rules = all_rules()
        bad = unknown_selectors(
            rules, (*self.config.select, *self.config.extend_select, *self.config.ignore)
        )
        if bad:
            raise ConfigError(f"unknown rule code or prefix: {', '.join(bad)}")
        self.enabled = select_rules(
            rules, self.config.select, self.config.extend_select, self.config.ignore
        )
        self.rules = {r.code: r for r in rules}
        self.summaries = {r.code: r.summary for r in rules}
        built: list[Pass] = [cls(self.config, self.enabled) for cls in PASS_CLASSES]
        self.passes: tuple[Pass, ...] = tuple(p for p in built if p.active())

    def __getstate__(self) -> Config:
        return self.config

    def __setstate__(self, state: Config) -> None:
        self.__init__(state)  # type: ignore[misc]

    def clean(
        self,
        text: str,
        *,
        path: str | None = None,
        boilerplate: frozenset[str] = frozenset(),
    ) -> Result:
        """Clean one document. ``boilerplate`` carries corpus-mode line keys, if any."""
        if not isinstance(text, str):
            raise TypeError(f"clean() takes str, not {type(text).__name__}")
        original = text
        ctx = DocContext(newline=detect_newline(text), path=path, boilerplate=boilerplate)
        spans: list[_Span] = []
        counts: Counter[str] = Counter()
        raw_findings: list[tuple[Note, int, int]] = []
        for p in self.passes:
            ctx.notes = []
            edits = _validated(text, p.run(text, ctx), self.enabled)
            if ctx.notes:
                keys = [s.cstart for s in spans]
                raw_findings.extend(
                    (
                        note,
                        _to_original(spans, keys, note.start, at_end=False),
                        _to_original(spans, keys, note.end, at_end=True),
                    )
                    for note in ctx.notes
                    if note.rule in self.enabled
                )
            if edits:
                counts.update(e.rule for e in edits)
                spans = _compose(spans, edits, p.name)
                text = apply_edits(text, edits)
        return self._result(original, text, spans, raw_findings, counts)

    def _result(
        self,
        original: str,
        text: str,
        spans: list[_Span],
        raw_findings: list[tuple[Note, int, int]],
        counts: Counter[str],
    ) -> Result:
        index = _LineIndex(original) if spans or raw_findings else None
        changes: list[Change] = []
        summaries = self.summaries
        for s in spans:
            before, after = original[s.ostart : s.oend], text[s.cstart : s.cend]
            if before == after:
                continue
            assert index is not None
            line, col = index.locate(s.ostart)
            if len(s.edits) == 1:  # the usual case: one edit, nothing merged
                pass_name, first = s.edits[0]
                also: tuple[str, ...] = ()
                confidence = first.confidence
            else:
                pass_name, first = _primary(s.edits)
                also = tuple(dict.fromkeys(e.rule for _, e in s.edits if e.rule != first.rule))
                confidence = min(e.confidence for _, e in s.edits)
            changes.append(
                Change(
                    first.rule,
                    pass_name,
                    s.ostart,
                    s.oend,
                    line,
                    col,
                    before,
                    after,
                    confidence,
                    first.message or summaries[first.rule],
                    also,
                    dict(first.meta),
                )
            )
        findings: list[Finding] = []
        for note, ostart, oend in sorted(raw_findings, key=lambda f: (f[1], f[2], f[0].rule)):
            assert index is not None
            line, col = index.locate(ostart)
            findings.append(
                Finding(
                    rule=note.rule,
                    start=ostart,
                    end=oend,
                    line=line,
                    column=col,
                    text=original[ostart:oend],
                    message=note.message or self.rules[note.rule].summary,
                    confidence=note.confidence,
                    meta=dict(note.meta),
                )
            )
            counts[note.rule] += 1
        return Result(text, original, tuple(changes), tuple(findings), dict(sorted(counts.items())))


def clean(text: str, config: Config | None = None) -> Result:
    """Clean ``text`` with ``config`` (defaults when None). Builds the pipeline once per
    distinct config and reuses it; for many configs, hold a :class:`Normalizer` yourself.

    >>> clean("The work went smoothly.The team left.").text
    'The work went smoothly. The team left.\\n'
    """
    return normalizer_for(config or _DEFAULT_CONFIG).clean(text)


_DEFAULT_CONFIG = Config()
_CACHE: dict[Config, Normalizer] = {}


def normalizer_for(config: Config) -> Normalizer:
    """A shared compiled :class:`Normalizer` for ``config``, built on first use.

    Compiling a pipeline (patterns, the glossary automaton) costs far more than cleaning
    a document, so callers that see the same config again reuse one instance.
    """
    norm = _CACHE.get(config)
    if norm is None:
        if len(_CACHE) > 32:
            _CACHE.clear()
        norm = _CACHE[config] = Normalizer(config)
    return norm
