"""Read glossary TOML files, apply layering, attach place lists.

Structural problems (unknown keys, wrong types, bad policies) raise
:class:`~normalize.errors.GlossaryError` naming the file and line: a glossary that cannot
be read must never half-load. Semantic problems (conflicts, cycles, failing examples)
are the linter's job (:mod:`normalize.glossary.lint`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from normalize.errors import GlossaryError
from normalize.glossary.model import ACTIONS, CASE_POLICIES, Entry, Glossary

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
BUILTIN = "builtin"
BUILTIN_FILE = DATA_DIR / "glossary-china-gov.toml"

_ENTRY_KEYS = {
    "id", "canonical", "variants", "kind", "case", "action", "fuzzy", "threshold",
    "unless_inside", "unless_preceded_by", "unless_followed_by", "protect", "plural",
    "scope", "note", "examples",
}
_DEFAULT_KEYS = {"kind", "case", "action", "fuzzy", "threshold", "scope"}
_TOP_KEYS = {"glossary", "defaults", "fuzzy", "places", "entry"}


class _Lines:
    """Line lookup in a TOML source: tomllib gives no positions, so find them by text."""

    def __init__(self, raw: str) -> None:
        self.lines = raw.splitlines()
        self.entry_lines = [i + 1 for i, ln in enumerate(self.lines) if ln.strip() == "[[entry]]"]

    def entry(self, k: int) -> int:
        return self.entry_lines[k] if k < len(self.entry_lines) else 0

    def find(self, needle: str, start: int, stop: int) -> int:
        """First line in [start, stop) (1-based) containing ``needle`` as a TOML string."""
        quoted = (f'"{needle}"', f"'{needle}'")
        end = stop if stop else len(self.lines) + 1
        for i in range(max(start, 1), min(end, len(self.lines) + 1)):
            if any(q in self.lines[i - 1] for q in quoted):
                return i
        return start


def resolve(spec: str, base: Path | None = None) -> Path:
    """``builtin`` is the shipped glossary; other names are paths (relative to ``base``)."""
    if spec == BUILTIN:
        return BUILTIN_FILE
    path = Path(spec)
    if not path.is_absolute() and base is not None:
        path = base / path
    return path


def _read(path: Path) -> tuple[bytes, dict[str, Any]]:
    import tomllib  # here: with the disk cache, a run may load no glossary TOML at all

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise GlossaryError(f"{path}: cannot read glossary: {exc.strerror or exc}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise GlossaryError(f"{path}: glossary is not valid UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise GlossaryError(f"{path}: invalid TOML: {exc}") from None
    return raw, data


def _strs(value: Any, what: str, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise GlossaryError(f"{where}: '{what}' must be a list of strings")
    return tuple(value)


def _entry(
    item: Mapping[str, Any], defaults: Mapping[str, Any], where: str, src: str,
    line: int, lines: _Lines, stop: int,
) -> Entry:
    unknown = sorted(set(item) - _ENTRY_KEYS)
    if unknown:
        raise GlossaryError(f"{where}: unknown entry key(s): {', '.join(unknown)}")
    for key in ("id", "canonical"):
        if not isinstance(item.get(key), str) or not item[key]:
            raise GlossaryError(f"{where}: entry needs a non-empty string '{key}'")
    merged = {**defaults, **item}
    case, action = merged.get("case", "permissive"), merged.get("action", "fix")
    if case not in CASE_POLICIES:
        raise GlossaryError(f"{where}: case must be one of {', '.join(CASE_POLICIES)}")
    if action not in ACTIONS:
        raise GlossaryError(f"{where}: action must be one of {', '.join(ACTIONS)}")
    fuzzy = merged.get("fuzzy", True)
    threshold = merged.get("threshold", 92.0)
    if not isinstance(fuzzy, bool):
        raise GlossaryError(f"{where}: 'fuzzy' must be true or false")
    if not isinstance(threshold, int | float) or not 0 < threshold <= 100:
        raise GlossaryError(f"{where}: 'threshold' must be a number in (0, 100]")
    examples: list[tuple[str, str]] = []
    for ex in item.get("examples", []):
        if not isinstance(ex, Mapping) or not isinstance(ex.get("from"), str) or not isinstance(
            ex.get("to"), str
        ):
            raise GlossaryError(f"{where}: each example needs string 'from' and 'to'")
        examples.append((ex["from"], ex["to"]))
    plural = item.get("plural")
    if plural is not None and not isinstance(plural, str):
        raise GlossaryError(f"{where}: 'plural' must be a string")
    variants = _strs(item.get("variants", []), "variants", where)
    for key in ("kind", "scope", "note"):
        if not isinstance(merged.get(key, ""), str):
            raise GlossaryError(f"{where}: '{key}' must be a string")
    return Entry(
        id=item["id"],
        canonical=item["canonical"],
        variants=variants,
        kind=merged.get("kind", "term"),
        case=case,
        action=action,
        fuzzy=fuzzy,
        threshold=float(threshold),
        unless_inside=_strs(item.get("unless_inside", []), "unless_inside", where),
        unless_preceded_by=_strs(item.get("unless_preceded_by", []), "unless_preceded_by", where),
        unless_followed_by=_strs(item.get("unless_followed_by", []), "unless_followed_by", where),
        protect=_strs(item.get("protect", []), "protect", where),
        plural=plural,
        scope=merged.get("scope", ""),
        note=item.get("note", ""),
        examples=tuple(examples),
        source=src,
        line=line,
        variant_lines=tuple(lines.find(v, line, stop) for v in variants),
    )


class _Layer:
    """One parsed file: its entries, disabled ids, places, fuzzy settings."""

    def __init__(self, path: Path) -> None:
        raw, data = _read(path)
        self.raw = raw
        src = str(path)
        lines = _Lines(raw.decode("utf-8"))
        unknown = sorted(set(data) - _TOP_KEYS)
        if unknown:
            raise GlossaryError(f"{src}:1: unknown top-level key(s): {', '.join(unknown)}")
        head = data.get("glossary", {})
        defaults = data.get("defaults", {})
        bad = sorted(set(defaults) - _DEFAULT_KEYS)
        if bad:
            raise GlossaryError(f"{src}: unknown [defaults] key(s): {', '.join(bad)}")
        self.disable = _strs(head.get("disable", []), "disable", src)
        place_specs = _strs(head.get("places", []), "places", src)
        self.place_files = [resolve(p, path.parent) for p in place_specs]
        self.places: dict[str, tuple[str, ...]] = {}
        for slot, names in data.get("places", {}).items():
            self.places[slot] = _strs(names, f"places.{slot}", src)
        self.fuzzy: dict[str, Any] = dict(data.get("fuzzy", {}))
        self.entries: list[Entry] = []
        items = data.get("entry", [])
        if not isinstance(items, list):
            raise GlossaryError(f"{src}: 'entry' must be an array of tables ([[entry]])")
        for k, item in enumerate(items):
            line = lines.entry(k)
            where = f"{src}:{line}"
            if not isinstance(item, Mapping):
                raise GlossaryError(f"{where}: entry must be a table")
            stop = lines.entry(k + 1)
            self.entries.append(_entry(item, defaults, where, src, line, lines, stop))


def digest_of(blobs: Iterable[bytes]) -> str:
    """The content hash of a glossary: of its files' bytes, in ``sources`` order."""
    h = hashlib.sha256()
    for b in blobs:
        h.update(hashlib.sha256(b).digest())
    return h.hexdigest()


def load_layers(
    paths: Sequence[Path], sources: list[Path] | None = None
) -> tuple[Glossary, list[Entry]]:
    """Load files in order. Returns the merged glossary and every entry as written
    (overridden ones included, for the linter's duplicate-id check).

    ``sources``, when given, receives every file read (layers and place lists) in the
    order their bytes enter the digest: the same paths with the same bytes give the same
    glossary, which is what lets the disk cache skip parsing (see ``diskcache``)."""
    if not paths:
        raise GlossaryError("no glossary files given")
    merged: dict[str, Entry] = {}
    written: list[Entry] = []
    places: dict[str, dict[str, None]] = {}
    fuzzy: dict[str, Any] = {}
    blobs: list[bytes] = []
    files: list[str] = []
    seen_place_files: set[Path] = set()
    for path in paths:
        layer = _Layer(path)
        blobs.append(layer.raw)
        files.append(str(path))
        if sources is not None:
            sources.append(path)
        for pf in layer.place_files:
            if pf in seen_place_files:
                continue
            seen_place_files.add(pf)
            praw, pdata = _read(pf)
            blobs.append(praw)
            if sources is not None:
                sources.append(pf)
            for slot, names in pdata.get("places", {}).items():
                places.setdefault(slot, {}).update(dict.fromkeys(_strs(names, slot, str(pf))))
        for slot, names in layer.places.items():
            places.setdefault(slot, {}).update(dict.fromkeys(names))
        fuzzy.update(layer.fuzzy)
        for entry_id in layer.disable:
            merged.pop(entry_id, None)
        for e in layer.entries:
            written.append(e)
            merged.pop(e.id, None)  # a later layer's entry replaces and moves to the end
            merged[e.id] = e
    guards = fuzzy.get("guards", [])
    if not isinstance(guards, list) or not all(
        isinstance(g, list) and all(isinstance(t, str) for t in g) for g in guards
    ):
        raise GlossaryError("[fuzzy] guards must be a list of lists of words")
    glossary = Glossary(
        entries=tuple(merged.values()),
        places={k: tuple(v) for k, v in sorted(places.items())},
        files=tuple(files),
        digest=digest_of(blobs),
        fuzzy_guards=tuple(tuple(g) for g in guards),
        fuzzy_margin=float(fuzzy.get("margin", 4.0)),
        suggest_threshold=float(fuzzy.get("suggest_threshold", 80.0)),
    )
    return glossary, written


def load_glossary(specs: Sequence[str | Path] = (BUILTIN,), base: Path | None = None) -> Glossary:
    """Load and layer glossary files (``builtin`` = the shipped one)."""
    paths = [resolve(str(s), base) for s in specs]
    return load_layers(paths)[0]
