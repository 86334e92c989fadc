"""A compiled glossary (exact automaton + fuzzy index) and its in-process cache.

Compiling the shipped glossary takes a noticeable fraction of a second; a Normalizer is
built per config, and many configs share one glossary, so compiled matchers are cached
by the glossary's content hash (file bytes, place lists) and the fuzzy switch.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from normalize.errors import GlossaryError
from normalize.glossary.fuzzy import FuzzyMatcher
from normalize.glossary.loader import load_layers, resolve
from normalize.glossary.matcher import ExactMatcher, Match
from normalize.glossary.model import Glossary
from normalize.glossary.text import build_view


class CompiledGlossary:
    """Everything needed to scan a text; immutable after construction, so thread-safe."""

    def __init__(self, glossary: Glossary, fuzzy: bool = True) -> None:
        self.glossary = glossary
        self.fuzzy = FuzzyMatcher(glossary) if fuzzy else None
        triggers = self.fuzzy.triggers if self.fuzzy is not None else ()
        self.exact = ExactMatcher(glossary, triggers)
        if self.fuzzy is not None:
            self.fuzzy.exact = self.exact

    def scan(self, text: str) -> list[Match]:
        """Every match, exact first then fuzzy in the gaps, sorted by position."""
        if not text:
            return []
        view = build_view(text)
        triggers: list[tuple[int, int]] = []
        matches, locked = self.exact.scan(text, view, triggers)
        if self.fuzzy is not None:
            matches.extend(self.fuzzy.scan(text, view, locked, triggers))
        matches.sort(key=lambda m: (m.start, m.end))
        return matches

    def apply(self, text: str) -> str:
        """The text with every fix applied (used by examples, ``glossary test`` and tests)."""
        pieces: list[str] = []
        pos = 0
        for m in self.scan(text):
            if m.action != "fix" or m.start < pos:
                continue
            pieces.append(text[pos : m.start])
            pieces.append(m.replacement)
            pos = m.end
        pieces.append(text[pos:])
        return "".join(pieces)


_CACHE: dict[tuple[str, bool], CompiledGlossary] = {}
_LOCK = threading.Lock()


def compile_glossary(glossary: Glossary, fuzzy: bool = True) -> CompiledGlossary:
    """A compiled matcher for ``glossary``, shared by content hash within the process."""
    key = (glossary.digest, fuzzy)
    with _LOCK:
        found = _CACHE.get(key) if glossary.digest else None
    if found is not None:
        return found
    compiled = CompiledGlossary(glossary, fuzzy)
    if glossary.digest:
        with _LOCK:
            if len(_CACHE) > 16:
                _CACHE.clear()
            _CACHE[key] = compiled
    return compiled


_CHECKED: dict[str, bool] = {}


def load_compiled(
    specs: Sequence[str], base: Path | None = None, fuzzy: bool = True
) -> CompiledGlossary:
    """Load, lint (examples included) and compile a layered glossary.

    A glossary with lint errors raises :class:`GlossaryError` listing them: it is better
    to stop before any text is touched than to rewrite text with a contradictory
    glossary. Lint results are cached by content hash like the matchers.
    """
    from normalize.glossary.lint import lint_glossary

    paths = [resolve(s, base) for s in specs]
    glossary, written = load_layers(paths)
    if not _CHECKED.get(glossary.digest):
        issues = lint_glossary(glossary, written)
        if issues:
            shown = "\n".join(str(i) for i in issues[:10])
            more = f"\n... and {len(issues) - 10} more" if len(issues) > 10 else ""
            raise GlossaryError(f"glossary has {len(issues)} error(s):\n{shown}{more}")
        _CHECKED[glossary.digest] = True
    return compile_glossary(glossary, fuzzy)
