"""Glossary unification of agency names and titles.

Placeholder: the glossary pass is built in its own issue. Its slot in the pipeline is
after spacing (so names are matched on repaired text) and before layout.
"""

from __future__ import annotations

from normalize.edits import Edit
from normalize.passes.base import DocContext, Pass
from normalize.rules import Rule

P = "glossary"

RULES: tuple[Rule, ...] = ()


class GlossaryPass(Pass):
    name = P
    rules = RULES

    def run(self, text: str, ctx: DocContext) -> list[Edit]:
        return []
