"""Glossary unification of agency names, titles, campaigns and units.

A thin adapter over :mod:`normalize.glossary`: the matcher (built once per Normalizer,
shared by content hash) finds matches; this pass turns fixes into edits and everything
that must not change text (fuzzy suggestions, ``suggest`` and ``forbid`` entries) into
findings. It runs after spacing, so names are matched on repaired text.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

from normalize.config import Config
from normalize.edits import Edit
from normalize.glossary import BUILTIN
from normalize.glossary.compiled import load_compiled
from normalize.glossary.matcher import Match
from normalize.passes.base import DocContext, Pass
from normalize.rules import Rule

P = "glossary"

RULES: tuple[Rule, ...] = (
    Rule(
        "G001",
        "glossary-variant",
        P,
        "Replace a listed variant of an official name with its canonical form.",
        "The variant matched exactly or after normalization (case, hyphens and spaces, "
        "line breaks, curly apostrophes). Text already equal to a canonical is locked first, "
        "so a variant inside a canonical never fires. A leading 'the' and a place name "
        "before the name are kept. The report's meta names the entry, the match type, the "
        "score and the variant.",
        (
            (
                "The Provincial Department of Ecological Environment will help.",
                "The Provincial Department of Ecology and Environment will help.",
            ),
            ("159 towns (streets) in Chenzhou", "159 towns (subdistricts) in Chenzhou"),
        ),
    ),
    Rule(
        "G002",
        "glossary-morphology",
        P,
        "Replace a plural or possessive form of a listed variant, keeping the clitic.",
        "'...Departments of Ecological Environment' becomes the plural of the canonical; "
        "a possessive 's after a variant is kept as written.",
        (
            (
                "two Provincial Departments of Ecological Environment",
                "two Provincial Departments of Ecology and Environment",
            ),
            (
                "the Provincial Ecological Environment Department's support",
                "the Provincial Department of Ecology and Environment's support",
            ),
        ),
    ),
    Rule(
        "G003",
        "glossary-fuzzy",
        P,
        "Replace an unlisted variant found by fuzzy matching, when it is unambiguous.",
        "Applied only when the guard words (level, kind of body, ecology vs. protection) "
        "agree, every word belongs to the entry, the score clears the entry's threshold and "
        "beats the runner-up by the glossary's margin. Historic pre-2018 names never match.",
        (
            (
                "the Provincial Ecological and Environmental Department said",
                "the Provincial Department of Ecology and Environment said",
            ),
        ),
    ),
    Rule(
        "G004",
        "glossary-fuzzy-suggestion",
        P,
        "Report a likely variant that fuzzy matching is not sure enough to replace.",
        "The score is below the fix threshold or too close to another entry; the finding "
        "names the suggested canonical and the scores. Nothing is changed.",
        (
            (
                "the Provincial Water Department said",
                "the Provincial Water Department said",
            ),
        ),
        kind="finding",
    ),
    Rule(
        "G005",
        "glossary-suggestion",
        P,
        "Report a variant whose entry only suggests its canonical (action 'suggest').",
        "Used where the right wording depends on the sentence or on facts the text does not "
        "state. Nothing is changed.",
        (("ecological civilization construction", "ecological civilization construction"),),
        kind="finding",
    ),
    Rule(
        "G006",
        "glossary-forbidden",
        P,
        "Report a forbidden term (action 'forbid').",
        "The glossary marks the term as not to be used; the finding names the preferred "
        "form. Nothing is changed.",
        (("the Chinese Communist Party", "the Chinese Communist Party"),),
        kind="finding",
    ),
)

_FIX_RULE = {"exact": "G001", "normalized": "G001", "morphological": "G002", "fuzzy": "G003"}


class GlossaryPass(Pass):
    name = P
    rules = RULES
    options: ClassVar[Mapping[str, Any]] = {"glossaries": [BUILTIN], "fuzzy": True}

    def __init__(self, config: Config, enabled: frozenset[str]) -> None:
        super().__init__(config, enabled)
        self.matcher = None
        if self.active():
            base = Path(config.source).parent if config.source else None
            specs = [str(s) for s in self.opts["glossaries"]]
            self.matcher = load_compiled(specs, base, fuzzy=bool(self.opts["fuzzy"]))

    def run(self, text: str, ctx: DocContext) -> list[Edit]:
        if self.matcher is None:
            return []
        edits: list[Edit] = []
        enabled = self.enabled
        for m in self.matcher.scan(text):
            if m.action == "fix":
                rule = _FIX_RULE[m.match_type]
                if rule in enabled:
                    edits.append(Edit(m.start, m.end, m.replacement, rule,
                                      m.score / 100.0, _message(m), m.meta()))
            else:
                rule = {"suggest": "G004" if m.match_type == "fuzzy" else "G005",
                        "forbid": "G006"}[m.action]
                ctx.note(m.start, m.end, rule, _message(m), m.score / 100.0, m.meta())
        return edits


def _message(m: Match) -> str:
    """The finding or change message for one match (only the one its action needs is
    formatted: this runs once per match)."""
    if m.action == "fix":
        return f"'{m.replacement}' ({m.entry.id}, {m.match_type})"
    if m.action == "suggest":
        return f"consider '{m.replacement}' ({m.entry.id}, {m.match_type} score {m.score:.0f})"
    if m.action == "forbid":
        return f"avoid this term; use '{m.replacement}' ({m.entry.id})"
    raise KeyError(m.action)
