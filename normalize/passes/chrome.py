"""Page-chrome removal (breadcrumbs, font-size toggles, share links, footers...).

Placeholder: the chrome pass is built in its own issue. Its slot in the pipeline is
fixed here so that later passes (spacing, glossary) never see navigation lines.
"""

from __future__ import annotations

from normalize.edits import Edit
from normalize.passes.base import DocContext, Pass
from normalize.rules import Rule

P = "chrome"

RULES: tuple[Rule, ...] = ()


class ChromePass(Pass):
    name = P
    rules = RULES

    def run(self, text: str, ctx: DocContext) -> list[Edit]:
        return []
