"""The glossary linter: catch defects before any text is touched.

Every check works on the *normalized* keys the matcher uses, because two strings that
look different but match the same text are the same variant as far as output goes.

Codes:
  GL000 the file cannot be read (bad TOML, unknown key, wrong type)
  GL001 one variant mapped to two different canonicals
  GL002 a variant that is another entry's canonical
  GL003 a cycle of variant -> canonical mappings
  GL004 duplicates after normalization (within one entry)
  GL005 stray whitespace in a canonical or variant
  GL006 an example that fails
  GL007 an id used twice in one file
  GL008 a bad slot (unknown list, in the middle of a form, not matching the canonical)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from normalize.errors import GlossaryError
from normalize.glossary.loader import load_layers
from normalize.glossary.matcher import split_slot
from normalize.glossary.model import ANY_PLACE, SLOT, Entry, Glossary
from normalize.glossary.text import norm_key

if TYPE_CHECKING:
    from normalize.glossary.compiled import CompiledGlossary


@dataclass(frozen=True, slots=True)
class Issue:
    """One lint finding, located in its file."""

    code: str
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.code} {self.message}"


def _key(form: str) -> str:
    """The normalized key including the slot position, so '{city} X' and 'X' differ."""
    core, slot, side = split_slot(form)
    key = norm_key(core)
    if slot is None:
        return key
    return f"{{{slot}}} {key}" if side == "left" else f"{key} {{{slot}}}"


def _vline(e: Entry, i: int) -> int:
    return e.variant_lines[i] if i < len(e.variant_lines) else e.line


def _whitespace(entries: Sequence[Entry]) -> list[Issue]:
    out: list[Issue] = []
    for e in entries:
        forms = [(e.canonical, e.line), *((v, _vline(e, i)) for i, v in enumerate(e.variants))]
        for text, line in forms:
            if text != text.strip() or "  " in text or any(c in text for c in "\t\n\r\u00a0"):
                msg = f"stray whitespace in {text!r} ({e.id})"
                out.append(Issue("GL005", e.source, line, msg))
    return out


def _ids(entries: Sequence[Entry]) -> list[Issue]:
    out: list[Issue] = []
    seen: dict[tuple[str, str], Entry] = {}
    for e in entries:
        k = (e.source, e.id)
        if k in seen:
            out.append(Issue("GL007", e.source, e.line,
                             f"id {e.id!r} already used at line {seen[k].line}"))
        else:
            seen[k] = e
    return out


def _slots(g: Glossary) -> list[Issue]:
    out: list[Issue] = []
    for e in g.entries:
        canon_slots = SLOT.findall(e.canonical)
        forms = [(e.canonical, e.line), *((v, _vline(e, i)) for i, v in enumerate(e.variants))]
        for text, line in forms:
            found = SLOT.findall(text)
            for slot in found:
                if slot != ANY_PLACE and slot not in g.places:
                    msg = f"unknown slot {{{slot}}} in {text!r}"
                    out.append(Issue("GL008", e.source, line, msg))
            if len(found) > 1 or (found and split_slot(text)[2] == "middle"):
                out.append(Issue("GL008", e.source, line,
                                 f"a slot must open or close the form, once: {text!r}"))
            elif sorted(found) != sorted(canon_slots):
                out.append(Issue("GL008", e.source, line,
                                 f"{text!r} must use the same slot as its canonical "
                                 f"{e.canonical!r}"))
    return out


def _mappings(g: Glossary) -> list[Issue]:
    out: list[Issue] = []
    canon: dict[str, Entry] = {}
    for e in g.entries:
        canon.setdefault(_key(e.canonical), e)
    owner: dict[str, tuple[Entry, int]] = {}
    edges: dict[str, str] = {}
    for e in g.entries:
        ck = _key(e.canonical)
        own: dict[str, str] = {ck: "its canonical"}
        for i, v in enumerate(e.variants):
            vk = _key(v)
            line = _vline(e, i)
            if vk in own:
                out.append(Issue("GL004", e.source, line,
                                 f"{v!r} duplicates {own[vk]} after normalization ({e.id})"))
                continue
            own[vk] = repr(v)
            prev = owner.get(vk)
            if prev is not None and _key(prev[0].canonical) != ck:
                out.append(Issue("GL001", e.source, line,
                                 f"{v!r} maps to {e.canonical!r} here and to "
                                 f"{prev[0].canonical!r} in {prev[0].id} "
                                 f"({prev[0].source}:{_vline(prev[0], prev[1])})"))
            else:
                owner.setdefault(vk, (e, i))
            other = canon.get(vk)
            if other is not None and other.id != e.id and _key(other.canonical) != ck:
                out.append(Issue("GL002", e.source, line,
                                 f"{v!r} is the canonical of {other.id} "
                                 f"({other.source}:{other.line})"))
            edges.setdefault(vk, ck)
    # cycles: follow variant -> canonical links; a key reached twice on one walk loops
    reported: set[frozenset[str]] = set()
    for start in edges:
        path: list[str] = []
        node: str | None = start
        while node is not None and node not in path:
            path.append(node)
            node = edges.get(node)
        if node is not None:
            loop = frozenset(path[path.index(node):])
            if len(loop) > 1 and loop not in reported:
                reported.add(loop)
                e = canon.get(node) or owner[node][0]
                out.append(Issue("GL003", e.source, e.line,
                                 "mapping cycle: " + " -> ".join(sorted(loop))))
    return out


def _examples(g: Glossary, compiled: CompiledGlossary | None = None) -> list[Issue]:
    from normalize.glossary.compiled import CompiledGlossary

    if not any(e.examples for e in g.entries):
        return []
    if compiled is None or compiled.glossary is not g or compiled.fuzzy is None:
        compiled = CompiledGlossary(g, fuzzy=True)
    out: list[Issue] = []
    for e in g.entries:
        for src, want in e.examples:
            got = compiled.apply(src)
            if got != want:
                out.append(Issue("GL006", e.source, e.line,
                                 f"example of {e.id} fails: {src!r} gave {got!r}, "
                                 f"expected {want!r}"))
    return out


def lint_glossary(
    g: Glossary, written: Sequence[Entry] = (), compiled: CompiledGlossary | None = None
) -> list[Issue]:
    """Every issue of an already loaded glossary, sorted by file and line. ``compiled``:
    a fuzzy matcher of ``g`` already built, for the examples (else one is built)."""
    issues = _whitespace(g.entries) + _ids(written or g.entries) + _slots(g) + _mappings(g)
    structural = {i.code for i in issues} & {"GL001", "GL003", "GL008"}
    if not structural:  # examples of a glossary that maps one string two ways mean nothing
        issues += _examples(g, compiled)
    return sorted(issues, key=lambda i: (i.file, i.line, i.code, i.message))


def lint_files(paths: Sequence[Path]) -> list[Issue]:
    """Load ``paths`` as one layered glossary and lint it; load errors become GL000."""
    try:
        g, written = load_layers(list(paths))
    except GlossaryError as exc:
        text = str(exc)
        file, line, msg = str(paths[0]) if paths else "-", 0, text
        head, sep, rest = text.partition(": ")
        if sep:
            loc, _, ln = head.rpartition(":")
            if loc and ln.isdigit():
                file, line, msg = loc, int(ln), rest
            else:
                file, msg = head, rest
        return [Issue("GL000", file, line, msg)]
    return lint_glossary(g, written)
