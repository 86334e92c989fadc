"""A compiled glossary (exact automaton + fuzzy index) and its caches.

Compiling the shipped glossary takes a noticeable fraction of a second; a Normalizer is
built per config, and many configs share one glossary, so compiled matchers are cached
by the glossary's content hash (file bytes, place lists) and the fuzzy switch: in the
process, and on disk across runs (:mod:`normalize.glossary.diskcache`), so that a short
run such as a pre-commit hook skips lint and compile altogether.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from normalize.errors import GlossaryError
from normalize.glossary import diskcache
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
    return _remember(glossary, fuzzy, CompiledGlossary(glossary, fuzzy))


def _remember(glossary: Glossary, fuzzy: bool, compiled: CompiledGlossary) -> CompiledGlossary:
    """Share ``compiled`` within the process (the one already shared wins a race)."""
    if not glossary.digest:
        return compiled
    key = (glossary.digest, fuzzy)
    with _LOCK:
        found = _CACHE.get(key)
        if found is not None:
            return found
        if len(_CACHE) > 16:
            _CACHE.clear()
        _CACHE[key] = compiled
    return compiled


_CHECKED: dict[str, bool] = {}


def _known(digest: str, fuzzy: bool) -> CompiledGlossary | None:
    """The matcher for a glossary that passed lint, from the process or the disk cache."""
    if not digest:
        return None
    if _CHECKED.get(digest):
        with _LOCK:
            found = _CACHE.get((digest, fuzzy))
        if found is not None:
            return found
    cached = diskcache.load(digest, fuzzy, CompiledGlossary)
    if cached is None:
        return None
    _CHECKED[digest] = True
    return _remember(cached.glossary, fuzzy, cached)


def load_compiled(
    specs: Sequence[str], base: Path | None = None, fuzzy: bool = True
) -> CompiledGlossary:
    """Load, lint (examples included) and compile a layered glossary.

    A glossary with lint errors raises :class:`GlossaryError` listing them: it is better
    to stop before any text is touched than to rewrite text with a contradictory
    glossary. Lint results and matchers are cached by content hash, in the process and
    on disk; a disk entry is written only for a glossary that passed lint.
    """
    paths = [resolve(s, base) for s in specs]
    # Files unchanged since a run that loaded them: the digest, without parsing TOML.
    known = diskcache.lookup_digest(paths)
    if known is not None:
        found = _known(known, fuzzy)
        if found is not None:
            return found
    sources: list[Path] = []
    glossary, written = load_layers(paths, sources)
    digest = glossary.digest
    if digest != known:
        diskcache.store_index(paths, sources, digest)
        found = _known(digest, fuzzy)
        if found is not None:
            return found
    checked = bool(digest) and _CHECKED.get(digest, False)
    compiled = CompiledGlossary(glossary, fuzzy)
    blob = diskcache.dumps(digest, fuzzy, compiled)  # before lint scans with it
    if not checked:
        from normalize.glossary.lint import lint_glossary

        issues = lint_glossary(glossary, written, compiled if fuzzy else None)
        if issues:
            shown = "\n".join(str(i) for i in issues[:10])
            more = f"\n... and {len(issues) - 10} more" if len(issues) > 10 else ""
            raise GlossaryError(f"glossary has {len(issues)} error(s):\n{shown}{more}")
        if digest:
            _CHECKED[digest] = True
    diskcache.store(digest, fuzzy, blob)
    return _remember(glossary, fuzzy, compiled)
