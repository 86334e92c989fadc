"""Rule metadata and selection.

Every change the tool makes is attributed to a rule with a stable code (ruff style: a
letter for the pass, three digits). Codes never change meaning once released; a retired
rule keeps its code reserved. Selection works on codes and prefixes, so ``--select S``
picks every spacing rule and ``--ignore S002`` drops one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

RuleKind = Literal["fix", "finding"]


@dataclass(frozen=True, slots=True)
class Rule:
    """Metadata for one rule; ``examples`` are (input, expected output) pairs run as tests."""

    code: str
    name: str
    pass_name: str
    summary: str
    explanation: str
    examples: tuple[tuple[str, str], ...] = ()
    default: bool = True
    kind: RuleKind = "fix"


def matches(code: str, selector: str) -> bool:
    """A selector matches a code when it is ``ALL``, the code itself, or a prefix of it."""
    return selector == "ALL" or code.startswith(selector)


def select_rules(
    rules: Iterable[Rule],
    select: Iterable[str] = (),
    extend_select: Iterable[str] = (),
    ignore: Iterable[str] = (),
) -> frozenset[str]:
    """Resolve the enabled rule codes.

    With no ``select``, the defaults are enabled (opt-in rules stay off). ``extend_select``
    adds to whichever base was chosen; ``ignore`` always wins, as in ruff.
    """
    rules = list(rules)
    select = list(select)
    extend_select = list(extend_select)
    ignore = list(ignore)
    if select:
        base = {r.code for r in rules if any(matches(r.code, s) for s in select)}
    else:
        base = {r.code for r in rules if r.default}
    base |= {r.code for r in rules if any(matches(r.code, s) for s in extend_select)}
    return frozenset(c for c in base if not any(matches(c, s) for s in ignore))


def unknown_selectors(rules: Iterable[Rule], selectors: Iterable[str]) -> list[str]:
    """Selectors that match no rule: almost always a typo worth a usage error."""
    codes = [r.code for r in rules]
    return [s for s in selectors if not any(matches(c, s) for c in codes)]
