"""Fuzzy matching for variants nobody listed, built to be safe first and cheap second.

Candidates never come from scoring every window against every entry. A second
Aho-Corasick automaton finds the words the glossary knows (in any inflection the stem
table covers); only runs of such words, outside spans the exact matcher already locked,
are looked at; and only entries that share a *rare* stem with a window (a token index
with a document-frequency cap) are scored. So the cost follows the text, not the
glossary size.

A window becomes a fix only when every one of these holds:

* its guard words (levels such as provincial/municipal/county, bodies such as
  department/bureau/office, plus ecology/protection, which separate today's names from
  the pre-2018 ones) are exactly those of the form it is scored against;
* every content word of the window belongs to the entry's vocabulary;
* the rapidfuzz token-sort score on stems clears the entry's threshold;
* it beats the best other entry for the same window by the glossary's margin.

A window that clears the suggestion threshold but not all of the above is reported as
a suggestion and never changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import ahocorasick
from rapidfuzz import fuzz

from normalize.glossary.matcher import ExactMatcher, Match, fill_slot, split_slot
from normalize.glossary.model import Glossary
from normalize.glossary.text import (
    View,
    norm_key,
    pluralize_phrase,
    pluralize_word,
    render_case,
    words,
)

STOP = frozenset({"of", "and", "the", "for", "&", "on", "in"})

# Inflections that MT mixes freely; both sides of a comparison go through this table.
STEMS: dict[str, str] = {
    "ecological": "ecolog", "ecology": "ecolog", "ecologic": "ecolog", "eco": "ecolog",
    "environmental": "environ", "environment": "environ", "environments": "environ",
    "protection": "protect", "protecting": "protect", "protective": "protect",
    "province": "provincial", "provinces": "provincial",
    "city": "municipal", "cities": "municipal", "municipality": "municipal",
    "counties": "county", "townships": "township", "towns": "town",
    "thoughts": "thought", "civilisation": "civilization", "civilizations": "civilization",
    "governmental": "government", "governments": "government",
    "commissions": "commission", "committees": "committee", "offices": "office",
    "bureaus": "bureau", "bureaux": "bureau", "departments": "department",
    "ministries": "ministry", "administrations": "administration",
    "inspections": "inspection", "inspector": "inspection",
}
BODIES = frozenset({
    "department", "bureau", "office", "committee", "commission", "team", "group",
    "ministry", "administration", "center", "centre", "council", "congress", "station",
})
DF_CAP = 64
MAX_RUN = 12


# Words frequent in government news whatever the glossary: the gate prefers other
# triggers (see FuzzyMatcher._trigger_stems). Only speed depends on this list.
_COMMON = frozenset({
    "ecolog", "environ", "protect", "national", "state", "central", "provincial", "municipal",
    "county", "district", "town", "township", "village", "party", "people", "work",
    "development", "government", "economic", "construction", "hunan", "china", "chinese",
})


def _text_cost(st: str) -> int:
    """A rough guess of how often a stem occurs in running text (bodies are rarest)."""
    if st in BODIES or st in ("conference", "branch"):
        return 1
    return 10 if st in _COMMON else 2


def stem(word: str) -> str:
    """A crude but symmetric stem: table first, then a plural ending."""
    w = word.lower().replace("'", "")
    if w in STEMS:
        return STEMS[w]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


@dataclass(frozen=True, slots=True)
class _Form:
    entry: int
    form: str
    slot: str | None
    side: str | None
    stems: str
    guards: frozenset[str]


@dataclass(frozen=True, slots=True)
class _Cand:
    start: int
    end: int
    form: _Form
    score: float
    runner_up: float
    fix: bool
    place: str | None
    plural: bool
    ntok: int


class FuzzyMatcher:
    """Token index over fuzzy-enabled fix entries, and the window search."""

    def __init__(self, glossary: Glossary, exact: ExactMatcher | None = None) -> None:
        """``exact`` may be attached later (``CompiledGlossary`` builds the exact matcher
        after this index, so that its automaton can also report :attr:`triggers`)."""
        self.glossary = glossary
        self.exact = exact  # type: ignore[assignment]
        guards = {stem(w) for group in glossary.fuzzy_guards for w in group}
        self.guard_stems = frozenset(guards)
        self.forms: list[_Form] = []
        self.vocab: list[frozenset[str]] = [frozenset()] * len(glossary.entries)
        postings: dict[str, set[int]] = {}
        surfaces: set[str] = set()
        for i, entry in enumerate(glossary.entries):
            if not entry.fuzzy or entry.action != "fix" or entry.case == "exact":
                continue
            vocab: set[str] = set()
            canon_slot = split_slot(entry.canonical)[1]
            for form in (entry.canonical, *entry.variants):
                core, slot, side = split_slot(form)
                if side == "middle" or (canon_slot and not slot):
                    continue
                toks = [t for t in words(norm_key(core)) if t not in STOP]
                if len(toks) < 2:
                    continue
                # every token in its listed, plural and singular shape
                surfaces.update(toks)
                surfaces.update(pluralize_word(t) for t in toks)
                surfaces.update(stem(t) for t in toks if stem(t).isalpha())
                stems = [stem(t) for t in toks]
                vocab.update(stems)
                self.forms.append(
                    _Form(i, form, slot, side, " ".join(stems),
                          frozenset(s for s in stems if s in self.guard_stems))
                )
            self.vocab[i] = frozenset(vocab)
            for s in vocab:
                postings.setdefault(s, set()).add(i)
        known = set(postings)
        surfaces.update(w for w, s in STEMS.items() if s in known)
        # entries whose canonical reads the same once the slot is cut off give the same
        # output, so they do not count as each other's runner-up
        self.core = [norm_key(split_slot(e.canonical)[0]) for e in glossary.entries]
        self.df = {s: len(ids) for s, ids in postings.items()}
        self.postings = {s: tuple(sorted(ids)) for s, ids in postings.items()}
        self.forms_by_entry: dict[int, list[_Form]] = {}
        for f in self.forms:
            self.forms_by_entry.setdefault(f.entry, []).append(f)
        self.automaton: ahocorasick.Automaton | None = None
        if surfaces:
            auto = ahocorasick.Automaton()
            for w in sorted(surfaces):
                auto.add_word(w, (len(w), stem(w)))
            auto.make_automaton()
            self.automaton = auto
        self.trigger_stems = self._trigger_stems()
        self.triggers = frozenset(w for w in surfaces if stem(w) in self.trigger_stems)
        # a character that can be neither in a known word nor in a joinable gap ends a run
        extra = sorted({c for w in surfaces | STOP for c in w if not c.isalnum()} - {"_"})
        self._break = re.compile(rf"[^\w\s{re.escape(''.join(extra))}]|_")

    # -- the gate ---------------------------------------------------------------------------

    def _trigger_stems(self) -> frozenset[str]:
        """Stems at least one of which every window that can become a candidate contains.

        A window is scored against a form only if its guard stems equal the form's, and it
        yields a candidate only if it also has a stem of the entry outside the guards. So
        for each form, either any one of its guards or all of the entry's non-guard stems
        will do; the cheaper choice (rarer words in running text) is taken. Correctness
        does not depend on the choice, only speed: text regions without a trigger are
        never looked at by fuzzy matching.
        """
        out: set[str] = set()
        for f in self.forms:
            options = [(_text_cost(g), (g,)) for g in sorted(f.guards)]
            rest = tuple(sorted(self.vocab[f.entry] - self.guard_stems))
            if rest:
                options.append((sum(_text_cost(x) for x in rest), rest))
            if options:  # no options: the form can never match
                out.update(min(options)[1])
        return frozenset(out)

    def _segments(self, low: str, triggers: list[int]) -> list[tuple[int, int]]:
        """Sorted disjoint view spans, bounded by run-breaking characters (or the ends of
        the text), that contain the trigger words ending at ``triggers`` (ascending).

        No run of known words crosses a span boundary, so runs found inside the spans are
        exactly the runs of the whole text that contain a trigger."""
        n = len(low)
        spans: list[tuple[int, int]] = []
        rev = ""
        b = -1
        for p in triggers:
            if p <= b:
                continue
            m = self._break.search(low, p)
            b = m.start() if m else n
            rev = rev or low[::-1]
            m = self._break.search(rev, n - p)
            spans.append((n - m.start() if m else 0, b))
        return spans

    # -- candidate windows ----------------------------------------------------------------

    def _runs(
        self,
        view: View,
        locked: list[tuple[int, int]],
        spans: list[tuple[int, int]] | None = None,
    ) -> list[list[tuple[int, int, str]]]:
        """Runs of known words joined only by spaces and stop words, outside locked spans;
        only inside ``spans`` when given."""
        assert self.automaton is not None
        low = view.lower
        n = len(low)
        hits: list[tuple[int, int, str]] = []
        auto = self.automaton
        for a, b in spans if spans is not None else ((0, n),):
            for last, (length, st) in auto.iter(low, a, b):
                end = last + 1
                start = end - length
                if (start > 0 and low[start - 1].isalnum()) or (
                    end < n and low[end].isalnum()
                ):
                    continue
                hits.append((start, end, st))
        if not hits:
            return []
        hits.sort()
        runs: list[list[tuple[int, int, str]]] = []
        cur: list[tuple[int, int, str]] = []
        li = 0
        for h in hits:
            while li < len(locked) and locked[li][1] <= h[0]:
                li += 1
            if li < len(locked) and locked[li][0] < h[1]:
                if len(cur) > 1:
                    runs.append(cur)
                cur = []
                continue
            if cur:
                gap = low[cur[-1][1] : h[0]]
                inside_lock = li < len(locked) and cur[-1][1] <= locked[li][0] < h[0]
                if inside_lock or not _joinable(gap):
                    if len(cur) > 1:
                        runs.append(cur)
                    cur = []
            cur.append(h)
        if len(cur) > 1:
            runs.append(cur)
        return runs

    def _candidates(self, stems: list[str]) -> set[int]:
        out: set[int] = set()
        for s in stems:
            if self.df.get(s, DF_CAP + 1) <= DF_CAP:
                out.update(self.postings[s])
        return out

    def _score_window(
        self, view: View, run: list[tuple[int, int, str]], i: int, j: int
    ) -> _Cand | None:
        toks = run[i : j + 1]
        stems = [t[2] for t in toks]
        sset = set(stems)
        guards = frozenset(s for s in sset if s in self.guard_stems)
        key = " ".join(stems)
        if sset <= self.guard_stems:  # only level and body words: no subject to match on
            return None
        s, e = toks[0][0], toks[-1][1]
        scored: list[tuple[float, int, _Form, str | None]] = []
        for ei in sorted(self._candidates(stems)):
            if not sset <= self.vocab[ei]:
                continue
            best: tuple[float, _Form, str | None] | None = None
            for f in self.forms_by_entry.get(ei, ()):
                if f.guards != guards:
                    continue
                place = None
                if f.slot is not None:
                    place = self._place(view, s, e, f)
                    if place is None:
                        continue
                sc = fuzz.token_sort_ratio(key, f.stems)
                if best is None or sc > best[0]:
                    best = (sc, f, place)
            if best is not None:
                scored.append((best[0], ei, best[1], best[2]))
        if not scored:
            return None
        scored.sort(key=lambda x: (-x[0], x[1]))
        top, ei, form, place = scored[0]
        runner = next(
            (sc for sc, other, _, _ in scored[1:] if self.core[other] != self.core[ei]), 0.0
        )
        entry = self.glossary.entries[ei]
        if top < self.glossary.suggest_threshold:
            return None
        fix = top >= entry.threshold and top - runner >= self.glossary.fuzzy_margin
        plural = any(
            stem(view.lower[a:b]) in BODIES and view.lower[a:b] != stem(view.lower[a:b])
            for a, b, _ in toks
        )
        return _Cand(s, e, form, top, runner, fix, place, plural, len(toks))

    def _place(self, view: View, s: int, e: int, f: _Form) -> str | None:
        """The place name a slot form needs next to the window, or None."""
        assert f.slot is not None
        places = self.exact.places
        if f.side == "left":
            b = places.before(view, s, f.slot)
            return None if b is None else f"<{b}"
        pos = e + 3 if view.lower.startswith(" of", e) else e
        a = places.after(view, pos, f.slot)
        return None if a is None else f">{pos}:{a}"

    def scan(
        self,
        text: str,
        view: View,
        locked: list[tuple[int, int]],
        triggers: list[int] | None = None,
    ) -> list[Match]:
        """Fuzzy fixes and suggestions in gaps between ``locked`` view intervals.

        ``triggers``: end offsets of every :attr:`triggers` word in the view (ascending),
        as the exact matcher reports them; only text around them is searched. None
        searches the whole text (same result, slower)."""
        if self.automaton is None or not self.forms:
            return []
        spans = None
        if triggers is not None:
            if not triggers:
                return []
            spans = self._segments(view.lower, triggers)
        out: list[Match] = []
        for run in self._runs(view, locked, spans):
            for start in range(0, len(run), MAX_RUN):
                self._solve(text, view, run[max(0, start - 2) : start + MAX_RUN], out)
        return out

    def _solve(
        self, text: str, view: View, run: list[tuple[int, int, str]], out: list[Match]
    ) -> None:
        cands: list[_Cand] = []
        for i in range(len(run)):
            for j in range(i + 1, len(run)):
                c = self._score_window(view, run, i, j)
                if c is not None:
                    cands.append(c)
        cands.sort(key=lambda c: (not c.fix, -c.ntok, -c.score, c.start, c.form.entry))
        taken: list[tuple[int, int]] = [(m.start, m.end) for m in out]
        for c in cands:
            s, e, place_text = c.start, c.end, None
            if c.place is not None:
                if c.place.startswith("<"):
                    s = int(c.place[1:])
                    place_text = view.cased[s : c.start - 1]
                else:
                    pos, a = (int(x) for x in c.place[1:].split(":"))
                    e = a
                    place_text = view.cased[pos + 1 : a]
            entry = self.glossary.entries[c.form.entry]
            if not self.exact.context_ok(c.form.entry, view, s, e):
                continue
            os_, oe = view.orig(s), view.orig(e)
            if any(os_ < b and a < oe for a, b in taken):
                continue
            canonical = entry.canonical
            if c.plural:
                canonical = entry.plural or pluralize_phrase(canonical) or canonical
            got = text[os_:oe]
            replacement = render_case(fill_slot(canonical, place_text), got)
            if replacement == got:
                continue
            taken.append((os_, oe))
            out.append(
                Match(os_, oe, entry, replacement, "fuzzy", c.score, c.form.form,
                      "fix" if c.fix else "suggest", c.runner_up)
            )


def _joinable(gap: str) -> bool:
    """A gap between two known words that keeps them in one name: spaces, stop words."""
    if gap == " ":
        return True
    if not (gap.startswith(" ") and gap.endswith(" ")):
        return False
    return all(t in STOP for t in gap.split())
