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

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import ahocorasick
from rapidfuzz import fuzz

from normalize.glossary.matcher import ExactMatcher, Match, fill_slot, split_slot
from normalize.glossary.model import Glossary
from normalize.glossary.text import (
    View,
    norm_key,
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
        self._forms_by_guards: dict[tuple[int, frozenset[str]], list[_Form]] = {}
        for f in self.forms:
            self.forms_by_entry.setdefault(f.entry, []).append(f)
            self._forms_by_guards.setdefault((f.entry, f.guards), []).append(f)
        self._memo: dict[tuple[str, ...], tuple] = {}  # see _scores
        self._dead: set[tuple[str, ...]] = set()  # stems of runs no window of can match
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
        # (``_`` is left out of the class: treating it as part of a segment only makes the
        # segment longer, never cuts a run)
        self._break = re.compile(rf"[^\w\s{re.escape(''.join(extra))}]")
        self._post_sets = {s: frozenset(ids) for s, ids in self.postings.items()}
        self._surface_stem = {w: stem(w) for w in surfaces}
        self._stops = STOP - surfaces  # words that are never a hit

    # -- the gate ---------------------------------------------------------------------------

    def _trigger_stems(self) -> frozenset[str]:
        """Stems at least one of which every window that can become a candidate contains.

        A window is scored against a form only if its guard stems equal the form's, and it
        yields a candidate only if it also has a stem of the entry outside the guards. So
        for each form, either any one of its guards or all of the entry's non-guard stems
        will do; the cheaper choice (rarer words in running text) is taken. Correctness
        does not depend on the choice, only speed: text regions without a trigger are
        never looked at by fuzzy matching. ``_guard_sets`` keeps, per trigger stem, the
        guard sets of the forms that chose it (see :meth:`_viable`).
        """
        out: set[str] = set()
        guard_sets: dict[str, set[frozenset[str]]] = {}
        for f in self.forms:
            options = [(_text_cost(g), (g,)) for g in sorted(f.guards)]
            rest = tuple(sorted(self.vocab[f.entry] - self.guard_stems))
            if rest:
                options.append((sum(_text_cost(x) for x in rest), rest))
            if options:  # no options: the form can never match
                chosen = min(options)[1]
                out.update(chosen)
                for t in chosen:
                    guard_sets.setdefault(t, set()).add(f.guards)
        self._guard_sets = {
            t: tuple(sorted(gs, key=lambda g: (len(g), sorted(g)))) for t, gs in guard_sets.items()
        }
        return frozenset(out)

    def _viable(self, stems: list[str]) -> bool:
        """Whether words with these stems (every possible hit of a region) can hold a
        window that becomes a candidate: the window contains the trigger of the form it
        matches and every guard of that form, and a stem outside the guards; with no
        guards at all, two words outside them."""
        sset = set(stems)
        free = sum(1 for x in stems if x not in self.guard_stems)
        if not free:
            return False
        for t in sset:
            for g in self._guard_sets.get(t, ()):
                if g <= sset and (g or free > 1):
                    return True
        return False

    def _piece(
        self,
        low: str,
        x: int,
        y: int,
        stems: list[str],
        is_locked: Callable[[int, int], bool],
    ) -> int:
        """The part [x, y) of a word cut by a break: 1 if it may hold a hit (a known word
        made of letters and digits, its stem added to ``stems`` unless it is locked), 0
        if not, 2 (``opaque``: keep the region) if it has other characters."""
        if x >= y:
            return 0
        word = low[x:y]
        if not word.isalnum():
            return 2
        st = self._surface_stem.get(word)
        if st is None:
            return 0
        if not is_locked(x, y):
            stems.append(st)
        return 1

    def _regions(
        self, low: str, triggers: list[tuple[int, int]], locked: list[tuple[int, int]]
    ) -> list[tuple[int, int]]:
        """Sorted disjoint view spans that hold every run of known words containing a
        trigger word (``triggers``: spans in ascending end order, as the exact automaton
        reports them) that can yield a candidate.

        A trigger counts only if the fuzzy search could use it: a whole word, not
        overlapping a locked span. From it the region grows word by word (words being
        what lies between spaces) and stops at a character no known word or joinable gap
        contains (punctuation), or before a word made of letters and digits only that is
        neither a known word nor a stop word: no hit can lie inside such a word and no
        gap can span it, so no run crosses it. It also stops before a known word inside a
        locked span: that hit is dropped, and a dropped hit ends the run before it. Words
        with other characters (apostrophes, '&', unusual spaces) are passed over, which
        only makes the region longer.

        A region is dropped when fewer than two of its words can hold a hit (a run needs
        two), or when the stems of its words cannot make up any form's guards
        (:meth:`_viable`); a word with other characters in it keeps the region.
        """
        n = len(low)
        sstem, stops = self._surface_stem, self._stops
        brk = self._break
        regions: list[tuple[int, int]] = []
        b = -1
        starts = [a for a, _ in locked]
        reach: list[int] = []  # reach[k]: furthest end among locked[: k + 1]
        for _, e in locked:
            reach.append(max(e, reach[-1]) if reach else e)

        def is_locked(ws: int, we: int) -> bool:
            k = bisect.bisect_left(starts, we)  # locked[:k] start before the word ends
            return bool(k) and reach[k - 1] > ws

        for s, p in triggers:
            if p <= b:
                continue  # inside the previous region
            if (s > 0 and low[s - 1].isalnum()) or (p < n and low[p].isalnum()):
                continue  # not a whole word: the fuzzy automaton drops it too
            if is_locked(s, p):
                continue  # runs never contain it
            words = 1  # words a hit may lie in
            stems: list[str] = []  # their stems, unless ``opaque``
            # the word holding the trigger: the region stops at a break inside it; other
            # characters next to the trigger may hold hits of their own (``opaque``)
            opaque = False
            a = low.rfind(" ", 0, s) + 1
            grow_left = True
            if a < s:
                last = None
                for m in brk.finditer(low, a, s):
                    last = m
                if last is None or last.end() < s:
                    opaque = True
                if last is not None:
                    a, grow_left = last.end(), False
            b = low.find(" ", p)
            b = n if b < 0 else b
            grow_right = True
            if p < b:
                m = brk.search(low, p, b)
                if m is None or m.start() > p:
                    opaque = True
                if m is not None:
                    b, grow_right = m.start(), False
            if not opaque:
                stems.append(sstem[low[s:p]])
            # leftwards, word by word
            while grow_left and a > 0:
                ps = low.rfind(" ", 0, a - 1) + 1
                word = low[ps : a - 1]
                if word.isalnum():
                    st = sstem.get(word)
                    if st is None:
                        if word not in stops:
                            break
                    elif is_locked(ps, a - 1):
                        break  # its hit is dropped and cuts every run through it
                    else:
                        words += 1
                        stems.append(st)
                else:
                    last = None
                    for m in brk.finditer(low, ps, a - 1):
                        last = m
                    if last is None:  # may hold hits anywhere
                        words += 1
                        opaque = True
                    else:  # the region starts after its last break
                        k = self._piece(low, last.end(), a - 1, stems, is_locked)
                        words += k > 0
                        opaque = opaque or k > 1
                        a = last.end()
                        break
                a = ps
            # rightwards, word by word
            while grow_right and b < n:
                ne = low.find(" ", b + 1)
                ne = n if ne < 0 else ne
                word = low[b + 1 : ne]
                if word.isalnum():
                    st = sstem.get(word)
                    if st is None:
                        if word not in stops:
                            break
                    elif is_locked(b + 1, ne):
                        break  # its hit is dropped and cuts every run through it
                    else:
                        words += 1
                        stems.append(st)
                else:
                    m = brk.search(low, b + 1, ne)
                    if m is None:  # may hold hits anywhere
                        words += 1
                        opaque = True
                    else:  # the region ends at its first break
                        k = self._piece(low, b + 1, m.start(), stems, is_locked)
                        words += k > 0
                        opaque = opaque or k > 1
                        b = m.start()
                        break
                b = ne
            if words > 1 and (opaque or self._viable(stems)):
                regions.append((a, b))
        return regions

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
            # a slice, not iter(low, a, b): pyahocorasick copies the whole string per call
            for last, (length, st) in auto.iter(low[a:b] if spans is not None else low):
                end = a + last + 1
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

    def _windows(
        self, run: list[tuple[int, int, str]]
    ) -> Iterator[tuple[int, int, set[int]]]:
        """The windows (i, j) of ``run``, in order, that :meth:`_score_window` can turn
        into a candidate, with the entries to score them against; the others are skipped.

        A window is scored only against entries whose vocabulary holds every stem of it,
        found through a rare stem (document frequency at most ``DF_CAP``). So a window
        with no rare stem yields nothing, and once no entry holds all stems from i to j,
        no longer window from i can yield anything either. Only the small postings of
        rare stems are intersected; common stems filter what is left.
        """
        n = len(run)
        df, posts = self.df, self._post_sets
        for i in range(n):
            common: set[int] | None = None
            pending: list[frozenset[int]] = []  # postings of common stems seen so far
            for j in range(i, n):
                st = run[j][2]
                ids = posts.get(st)
                if ids is None:
                    break  # no entry knows this stem
                if df[st] <= DF_CAP:
                    common = set(ids) if common is None else common.intersection(ids)
                    if pending:
                        common = {e for e in common if all(e in p for p in pending)}
                        pending = []
                elif common is None:
                    pending.append(ids)
                else:
                    common.intersection_update(ids)
                if common is not None:
                    if not common:
                        break
                    if j > i:
                        yield i, j, common

    def _scores(
        self, stems: tuple[str, ...], entries: set[int]
    ) -> tuple[tuple[int, tuple[tuple[float, _Form], ...]], ...]:
        """For a window's stems (in order) and the entries holding all of them: per entry
        (ascending), the forms whose guards equal the window's, with their scores.

        Depends on the stems only, so it is memoized: the same few phrases recur through
        a corpus, and scoring is the costly part of a window."""
        found = self._memo.get(stems)
        if found is None:
            guards = frozenset(s for s in stems if s in self.guard_stems)
            key = " ".join(stems)
            out = []
            for ei in sorted(entries):
                forms = self._forms_by_guards.get((ei, guards))
                if forms:
                    out.append(
                        (ei, tuple((fuzz.token_sort_ratio(key, f.stems), f) for f in forms))
                    )
            found = tuple(out)
            if len(self._memo) >= 8192:
                self._memo.clear()
            self._memo[stems] = found
        return found

    def _score_window(
        self,
        view: View,
        run: list[tuple[int, int, str]],
        i: int,
        j: int,
        scores: tuple[tuple[int, tuple[tuple[float, _Form], ...]], ...],
        places: dict[tuple[str | None, int, str], str | None],
    ) -> _Cand | None:
        """``scores``: :meth:`_scores` of the window; ``places``: see :meth:`_place`."""
        toks = run[i : j + 1]
        s, e = toks[0][0], toks[-1][1]
        scored: list[tuple[float, int, _Form, str | None]] = []
        for ei, forms in scores:
            best: tuple[float, _Form, str | None] | None = None
            for sc, f in forms:
                if best is not None and sc <= best[0]:
                    continue  # cannot win, whatever its place
                place = None
                if f.slot is not None:
                    place = self._place(view, s, e, f, places)
                    if place is None:
                        continue
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

    def _place(
        self,
        view: View,
        s: int,
        e: int,
        f: _Form,
        memo: dict[tuple[str | None, int, str], str | None],
    ) -> str | None:
        """The place name a slot form needs next to the window, or None.

        It depends only on the side, the window edge on that side and the slot, and many
        windows and forms share those, so ``memo`` (one per scanned text) keeps it."""
        assert f.slot is not None
        key = (f.side, s if f.side == "left" else e, f.slot)
        if key in memo:
            return memo[key]
        places = self.exact.places
        if f.side == "left":
            b = places.before(view, s, f.slot)
            found = None if b is None else f"<{b}"
        else:
            pos = e + 3 if view.lower.startswith(" of", e) else e
            a = places.after(view, pos, f.slot)
            found = None if a is None else f">{pos}:{a}"
        memo[key] = found
        return found

    def scan(
        self,
        text: str,
        view: View,
        locked: list[tuple[int, int]],
        triggers: list[tuple[int, int]] | None = None,
    ) -> list[Match]:
        """Fuzzy fixes and suggestions in gaps between ``locked`` view intervals.

        ``triggers``: spans of every :attr:`triggers` word in the view (ascending end),
        as the exact matcher reports them; only text around them is searched. None
        searches the whole text (same result, slower)."""
        if self.automaton is None or not self.forms:
            return []
        spans = None
        if triggers is not None:
            spans = self._regions(view.lower, triggers, locked) if triggers else []
            if not spans:
                return []
        out: list[Match] = []
        trig = self.trigger_stems
        places: dict[tuple[str | None, int, str], str | None] = {}
        for run in self._runs(view, locked, spans):
            if not any(h[2] in trig for h in run):
                continue  # no window of it can become a candidate
            for start in range(0, len(run), MAX_RUN):
                chunk = run[max(0, start - 2) : start + MAX_RUN]
                self._solve(text, view, chunk, out, places)
        return out

    def _solve(
        self,
        text: str,
        view: View,
        run: list[tuple[int, int, str]],
        out: list[Match],
        places: dict[tuple[str | None, int, str], str | None],
    ) -> None:
        key = tuple(h[2] for h in run)
        if key in self._dead:
            return
        cands: list[_Cand] = []
        live = False
        for i, j, entries in self._windows(run):
            stems = key[i : j + 1]
            if self.guard_stems.issuperset(stems):  # only level and body words: no subject
                continue
            scores = self._scores(stems, entries)
            if not scores:
                continue
            live = True
            c = self._score_window(view, run, i, j, scores, places)
            if c is not None:
                cands.append(c)
        if not live:
            # no window has a form to score against, wherever the words stand
            if len(self._dead) >= 8192:
                self._dead.clear()
            self._dead.add(key)
        if not cands:
            return
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
                canonical = self.exact.plural_canonical[c.form.entry]
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
