"""Exact and normalized matching: one Aho-Corasick automaton over every variant key.

Why Aho-Corasick: its cost is linear in the text plus the number of hits, independent of
how many keys it holds, so throughput stays flat from ten entries to ten thousand (one
big regex alternation does not). Keys are *cores*: a slot such as ``{city}`` is cut off
and checked afterwards against the place list by looking at the neighbouring words, so
a slot entry costs one key per variant, not one per place.

Selection is deterministic and happens in two rounds: canonical forms (and ``protect``
strings) are locked first, leftmost-longest; then variants compete leftmost-longest for
the rest, ties broken by entry order and variant order. A variant inside a canonical can
therefore never fire, and cleaning twice changes nothing.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import ahocorasick

from normalize.glossary.model import SLOT, Entry, Glossary
from normalize.glossary.text import (
    View,
    build_view,
    norm_cased,
    norm_key,
    pluralize_phrase,
    render_case,
)


@dataclass(frozen=True, slots=True)
class Target:
    """What one automaton key stands for."""

    entry: int
    form: str
    protect: bool
    plural: bool
    slot: str | None
    side: str | None
    cased: str
    order: int
    # the case policy, decided once: None accepts any case, else the accepted spellings
    allowed: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class Match:
    """A glossary hit in ORIGINAL coordinates of the scanned text.

    ``action`` is the entry's action, or ``suggest`` for a fuzzy hit that did not clear
    the fix threshold; ``replacement`` is what a fix would write.
    """

    start: int
    end: int
    entry: Entry
    replacement: str
    match_type: str
    score: float
    variant: str
    action: str
    runner_up: float = 0.0

    def meta(self) -> dict[str, object]:
        """Report evidence: which entry, how it matched, how sure, against what."""
        data: dict[str, object] = {
            "entry": self.entry.id,
            "match": self.match_type,
            "score": round(self.score, 2),
            "variant": self.variant,
            "canonical": self.replacement,
        }
        if self.match_type == "fuzzy":
            data["runner_up"] = round(self.runner_up, 2)
        return data


def split_slot(form: str) -> tuple[str, str | None, str | None]:
    """``'{city} Municipal Bureau'`` -> ``('Municipal Bureau', 'city', 'left')``.

    A slot in the middle of a form returns side ``'middle'`` (the linter rejects it).
    """
    m = SLOT.search(form)
    if m is None:
        return form.strip(), None, None
    core = (form[: m.start()] + form[m.end() :]).strip()
    if not form[: m.start()].strip():
        return core, m.group(1), "left"
    if not form[m.end() :].strip():
        return core, m.group(1), "right"
    return core, m.group(1), "middle"


def fill_slot(canonical: str, place: str | None) -> str:
    return SLOT.sub(place, canonical) if place is not None else canonical


_SPACES = re.compile(r"\s*")  # \s is what str.strip() strips (Py_UNICODE_ISSPACE)


class PlaceIndex:
    """Place names by normalized key, with the slots each one fills."""

    def __init__(self, glossary: Glossary) -> None:
        self.names: dict[str, tuple[str, set[str]]] = {}
        for slot, names in glossary.places.items():
            for name in names:
                key = norm_key(name)
                if key in self.names:
                    self.names[key][1].add(slot)
                else:
                    self.names[key] = (name, {slot})
        self.max_words = max((k.count(" ") + 1 for k in self.names), default=0)

    def fits(self, key: str, slot: str) -> bool:
        found = self.names.get(key)
        return found is not None and (slot == "place" or slot in found[1])

    def before(self, view: View, start: int, slot: str) -> int | None:
        """View offset where a place filling ``slot`` starts right before ``start``."""
        if start < 2 or view.lower[start - 1] != " " or not self.max_words:
            return None
        head = view.lower[max(0, start - 64) : start - 1]
        parts = head.split(" ")
        for k in range(min(self.max_words, len(parts)), 0, -1):
            key = " ".join(parts[-k:])
            if self.fits(key, slot):
                begin = start - 1 - len(key)
                if begin == 0 or not view.lower[begin - 1].isalnum():
                    return begin
        return None

    def after(self, view: View, end: int, slot: str) -> int | None:
        """View offset where a place filling ``slot`` ends right after ``end``."""
        if end >= len(view.lower) - 1 or view.lower[end] != " " or not self.max_words:
            return None
        tail = view.lower[end + 1 : end + 65]
        parts = tail.split(" ")
        for k in range(min(self.max_words, len(parts)), 0, -1):
            key = " ".join(parts[:k])
            key = key.rstrip(".,;:!?)\"")  # punctuation right after the name
            if self.fits(key, slot):
                stop = end + 1 + len(key)
                if stop >= len(view.lower) or not view.lower[stop].isalnum():
                    return stop
        return None


def _allowed(entry: Entry, protect: bool, cased: str) -> tuple[str, ...] | None:
    """The spellings a key may have in the text under the entry's case policy (None:
    any). Protected forms lock in any case."""
    if protect or entry.case == "insensitive":
        return None
    if entry.case == "exact":
        return (cased,)
    if any(c.isupper() for c in cased):  # permissive: capitalised only itself
        return (cased, cased.upper())
    return None


class ExactMatcher:
    """The compiled automaton plus everything needed to turn hits into matches."""

    def __init__(self, glossary: Glossary, triggers: Iterable[str] = ()) -> None:
        """``triggers`` are extra words the same automaton reports (see :meth:`hits`): the
        fuzzy gate learns where they occur from this one pass over the text instead of
        walking the document a second time."""
        self.glossary = glossary
        self.places = PlaceIndex(glossary)
        keys: dict[str, list[Target]] = {}
        order = 0
        for i, entry in enumerate(glossary.entries):
            forms: list[tuple[str, bool]] = [(entry.canonical, True)]
            forms += [(p, True) for p in entry.protect]
            forms += [(v, False) for v in entry.variants]
            for form, protect in forms:
                core, slot, side = split_slot(form)
                if side == "middle" or not core:
                    continue
                plural_core = pluralize_phrase(core) if entry.plural != "" else None
                for text, plural in ((core, False), (plural_core, True)):
                    if text is None:
                        continue
                    key = norm_key(text)
                    if not key:
                        continue
                    # Slots only constrain fixes; a protected canonical core is locked anyway.
                    t_slot = None if protect else slot
                    cased = norm_cased(text)
                    keys.setdefault(key, []).append(
                        Target(i, form, protect, plural, t_slot, side if t_slot else None,
                               cased, order, _allowed(entry, protect, cased))
                    )
                    order += 1
        self.size = len(keys)
        # what a plural match writes, per entry
        self.plural_canonical = [
            e.plural or pluralize_phrase(e.canonical) or e.canonical for e in glossary.entries
        ]
        # normalized context exceptions per entry (None: the entry has none)
        self._context: list[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]] | None]
        self._context = [
            (
                tuple(norm_key(r) for r in entry.unless_preceded_by),
                tuple(norm_key(r) for r in entry.unless_followed_by),
                tuple(norm_key(r) for r in entry.unless_inside),
            )
            if entry.unless_preceded_by or entry.unless_followed_by or entry.unless_inside
            else None
            for entry in glossary.entries
        ]
        self.automaton: ahocorasick.Automaton | None = None
        words = set(triggers)
        if keys or words:
            auto = ahocorasick.Automaton()
            for key, targets in keys.items():
                auto.add_word(key, (len(key), tuple(targets), key in words))
            for word in sorted(words - keys.keys()):
                auto.add_word(word, (len(word), (), True))
            auto.make_automaton()
            self.automaton = auto

    def context_ok(self, ei: int, view: View, s: int, e: int) -> bool:
        """Whether none of entry ``ei``'s context exceptions applies to view span [s, e).

        Keys are normalized once per glossary, and the checks look only at the text next
        to the span (``endswith``/``startswith`` with bounds), never at a copy of the
        whole prefix or suffix, so the cost does not grow with the document.
        """
        ctx = self._context[ei]
        if ctx is None:
            return True
        before, after, inside = ctx
        low = view.lower
        if before:
            j = s
            while j > 0 and low[j - 1].isspace():  # low[:s].rstrip()
                j -= 1
            for k in before:
                if low.endswith(k, 0, j):
                    return False
        if after:
            j = _SPACES.match(low, e).end()  # low[e:].lstrip()
            for k in after:
                if low.startswith(k, j):
                    return False
        for k in inside:
            lo = max(0, e - len(k))
            window = low[lo : s + len(k)]
            pos = window.find(k)
            while pos >= 0:
                if lo + pos <= s and lo + pos + len(k) >= e:
                    return False
                pos = window.find(k, pos + 1)
        return True

    def hits(
        self, view: View, triggers: list[tuple[int, int]] | None = None
    ) -> Iterator[tuple[int, int, Target, str | None]]:
        """Every valid (start, end, target, place) in view coordinates, spans including a
        slot's place name. The (start, end) of every trigger word found (anywhere, even
        inside a longer word) is appended to ``triggers``, in ascending end order."""
        if self.automaton is None:
            return
        low = view.lower
        n = len(low)
        for last, (length, targets, trigger) in self.automaton.iter(low):
            end = last + 1
            start = end - length
            if trigger and triggers is not None:
                triggers.append((start, end))
            if not targets:
                continue
            # word boundaries, checked only where the key itself begins/ends with a word char
            if (start > 0 and low[start].isalnum() and low[start - 1].isalnum()) or (
                end < n and low[end - 1].isalnum() and low[end].isalnum()
            ):
                continue
            got = view.cased[start:end]
            for t in targets:
                if t.allowed is not None and got not in t.allowed:
                    continue
                s, e, place = start, end, None
                if t.slot is not None:
                    if t.side == "left":
                        b = self.places.before(view, start, t.slot)
                        if b is None:
                            continue
                        s, place = b, view.cased[b : start - 1]
                    else:
                        a = self.places.after(view, end, t.slot)
                        if a is None:
                            continue
                        e, place = a, view.cased[end + 1 : a]
                if not t.protect and not self.context_ok(t.entry, view, s, e):
                    continue
                yield s, e, t, place

    def scan(
        self,
        text: str,
        view: View | None = None,
        triggers: list[tuple[int, int]] | None = None,
    ) -> tuple[list[Match], list[tuple[int, int]]]:
        """Variant matches (original coordinates) and every locked view interval
        (canonicals and chosen variants) that fuzzy search must not enter; trigger word
        spans go to ``triggers`` (see :meth:`hits`)."""
        view = view or build_view(text)
        protect: list[tuple[int, int, int, Target]] = []
        variants: list[tuple[int, int, int, Target, str | None]] = []
        for s, e, t, place in self.hits(view, triggers):
            if t.protect:
                protect.append((s, -e, t.order, t))
            else:
                variants.append((s, -e, t.order, t, place))
        locked: list[tuple[int, int]] = []
        last = -1
        for s, neg_e, _, _ in sorted(protect):
            if s >= last:
                locked.append((s, -neg_e))
                last = -neg_e
        locked_sorted = sorted(locked)
        matches: list[Match] = []
        chosen: list[tuple[int, int]] = []
        last = -1
        for s, neg_e, _, t, place in sorted(variants):
            e = -neg_e
            if s < last or _blocked(locked_sorted, s, e):
                continue
            last = e
            chosen.append((s, e))
            matches.append(self._match(text, view, s, e, t, place))
        return matches, sorted(locked_sorted + chosen)

    def _match(self, text: str, view: View, s: int, e: int, t: Target, place: str | None) -> Match:
        entry = self.glossary.entries[t.entry]
        os_, oe = view.orig(s), view.orig(e)
        got = text[os_:oe]
        canonical = self.plural_canonical[t.entry] if t.plural else entry.canonical
        replacement = render_case(fill_slot(canonical, place), got)
        possessive = view.lower[e : e + 2] == "'s"
        if t.plural or possessive:
            kind = "morphological"
        elif got == (SLOT.sub(place, t.form) if place is not None else t.form):
            kind = "exact"
        else:
            kind = "normalized"
        return Match(os_, oe, entry, replacement, kind, 100.0, t.form, entry.action)


def _blocked(intervals: list[tuple[int, int]], s: int, e: int) -> bool:
    """Whether a locked interval overlaps [s, e) without lying inside it.

    A variant that strictly contains another entry's canonical ('Secretary General Xi
    Jinping' around 'secretary general') is the longer, more specific match and wins; a
    variant that overlaps a canonical partly, or lies inside one, never fires.
    """
    k = bisect.bisect_left(intervals, (s, -1))
    if k > 0 and intervals[k - 1][1] > s:
        return True
    while k < len(intervals) and intervals[k][0] < e:
        ls, le = intervals[k]
        if le > e or (ls, le) == (s, e):
            return True
        k += 1
    return False
