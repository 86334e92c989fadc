"""drop_overlaps: earlier edits win, the result is sorted and clash-free, and the
cluster-by-cluster walk keeps exactly what one greedy pass over all edits keeps."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from normalize.edits import Edit, _clash, drop_overlaps


def _greedy(edits: list[Edit]) -> list[Edit]:
    """The rule in its plainest form: each edit, in input order, is kept unless it
    clashes with one kept before it."""
    kept: list[Edit] = []
    for e in edits:
        if not any(_clash(e, k) for k in kept):
            kept.append(e)
    return sorted(kept, key=lambda e: (e.start, e.end))


_EDIT = st.builds(
    lambda a, n, r: Edit(a, a + n, r, "X"),
    st.integers(0, 40),
    st.integers(0, 4),
    st.sampled_from(["", " ", "x"]),
)


@given(st.lists(_EDIT, max_size=40))
def test_same_as_plain_greedy(edits: list[Edit]) -> None:
    assert drop_overlaps(edits) == _greedy(edits)


def test_priority_and_empty_inserts() -> None:
    a, b = Edit(0, 5, "", "A"), Edit(3, 8, "", "B")
    assert drop_overlaps([b, a]) == [b]  # the earlier one wins, wherever it is
    i1, i2 = Edit(4, 4, " ", "A"), Edit(4, 4, ",", "B")
    assert drop_overlaps([i1, i2]) == [i1]  # two inserts at one point: order ambiguous
    assert drop_overlaps([Edit(4, 6, "", "A"), i1]) == [i1, Edit(4, 6, "", "A")]


def test_many_edits_in_rule_order() -> None:
    """Rule-ordered edits (all of one rule, then all of another) over a long text with
    one clash: the long, interleaved case the engine meets on big single-line documents
    (its speed is measured by bench/run.py's linearity section, not here)."""
    n = 50_000
    first = [Edit(10 * k, 10 * k + 1, "", "A") for k in range(n)]
    second = [Edit(10 * k + 5, 10 * k + 6, "", "B") for k in range(n)] + [Edit(0, 2, "", "B")]
    kept = drop_overlaps(first + second)
    assert kept == sorted(first + second[:-1], key=lambda e: e.start)
