"""The glossary engine: load layered TOML glossaries, lint them, and find variant names.

Public entry points: :func:`load_glossary`, :func:`compile_glossary` (cached by content
hash), :func:`lint_files`. The glossary pass (:mod:`normalize.passes.glossary`) is a thin
adapter that turns matches into edits and findings.
"""

from __future__ import annotations

from normalize.glossary.compiled import CompiledGlossary, compile_glossary
from normalize.glossary.loader import BUILTIN, BUILTIN_FILE, load_glossary, load_layers, resolve
from normalize.glossary.matcher import Match
from normalize.glossary.model import Entry, Glossary

__all__ = [
    "BUILTIN",
    "BUILTIN_FILE",
    "CompiledGlossary",
    "Entry",
    "Glossary",
    "Match",
    "compile_glossary",
    "load_glossary",
    "load_layers",
    "resolve",
]
