"""The glossary data model: plain frozen values, built by the loader, read by the matcher.

Keeping the model free of behaviour means the linter, the matcher and the import/export
formats all agree on one definition of what an entry is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

CasePolicy = Literal["exact", "insensitive", "permissive"]
Action = Literal["fix", "suggest", "forbid"]
CASE_POLICIES: tuple[str, ...] = ("exact", "insensitive", "permissive")
ACTIONS: tuple[str, ...] = ("fix", "suggest", "forbid")

SLOT = re.compile(r"\{([a-z_]+)\}")
ANY_PLACE = "place"


@dataclass(frozen=True, slots=True)
class Entry:
    """One concept: every variant maps to ``canonical``.

    ``line``/``variant_lines`` point into ``source`` so the linter can say where a defect
    is; they do not take part in matching.
    """

    id: str
    canonical: str
    variants: tuple[str, ...] = ()
    kind: str = "term"
    case: CasePolicy = "permissive"
    action: Action = "fix"
    fuzzy: bool = True
    threshold: float = 92.0
    unless_inside: tuple[str, ...] = ()
    unless_preceded_by: tuple[str, ...] = ()
    unless_followed_by: tuple[str, ...] = ()
    protect: tuple[str, ...] = ()
    plural: str | None = None
    scope: str = ""
    note: str = ""
    examples: tuple[tuple[str, str], ...] = ()
    source: str = ""
    line: int = 0
    variant_lines: tuple[int, ...] = ()

    @property
    def slots(self) -> tuple[str, ...]:
        return tuple(SLOT.findall(self.canonical))


@dataclass(frozen=True, slots=True)
class Glossary:
    """Entries in priority order (file order, later layers overriding earlier ids),
    place lists by slot name, and a content hash that keys the compiled-matcher cache."""

    entries: tuple[Entry, ...]
    places: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    files: tuple[str, ...] = ()
    digest: str = ""
    fuzzy_guards: tuple[tuple[str, ...], ...] = ()
    fuzzy_margin: float = 4.0
    suggest_threshold: float = 80.0

    def by_id(self, entry_id: str) -> Entry | None:
        for e in self.entries:
            if e.id == entry_id:
                return e
        return None

    def slot_names(self, slot: str) -> tuple[str, ...]:
        """Place names a slot accepts; ``{place}`` accepts every list."""
        if slot == ANY_PLACE:
            seen: dict[str, None] = {}
            for names in self.places.values():
                seen.update(dict.fromkeys(names))
            return tuple(seen)
        return self.places.get(slot, ())
