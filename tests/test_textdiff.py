"""diff_edits: minimal edits that replay exactly, and the ASCII-anchored fast path
agreeing with the plain SequenceMatcher path it replaces."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from normalize import clean, textdiff
from normalize.edits import apply_edits
from normalize.textdiff import diff_edits


def _replay(old: str, edits: list) -> str:
    return apply_edits(old, edits)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("cafÃ© ok", "café ok", [(3, 5, "é")]),
        # two repairs in one segment: one edit each, the ASCII between untouched
        (
            "the provinceâ€™s plan and the cityâ€™s",
            "the province’s plan and the city’s",
            [(12, 15, "’"), (34, 37, "’")],
        ),
        ("Â·Â·", "··", [(0, 1, ""), (2, 3, "")]),
        ("same", "same", []),
    ],
)
def test_minimal_edits(old: str, new: str, expected: list) -> None:
    edits = diff_edits(old, new, 0, "X")
    assert [(e.start, e.end, e.replacement) for e in edits] == expected
    assert _replay(old, edits) == new


def test_one_edit_per_repaired_stretch() -> None:
    """A character of one stretch also in another: no pairing across the ASCII between
    (a plain character diff would insert '€x' and delete 'x©')."""
    edits = diff_edits("éx©", "€xé", 0, "X")
    assert [(e.start, e.end, e.replacement) for e in edits] == [(0, 1, "€"), (2, 3, "é")]


def test_report_of_two_repairs_names_each() -> None:
    changes = clean("â€¢ Ã¢").changes
    assert [(c.start, c.end, c.before, c.after) for c in changes] == [
        (0, 3, "â€¢", "•"),
        (4, 6, "Ã¢", "â\n"),
    ]


def test_offset_is_applied() -> None:
    (edit,) = diff_edits("ab Ã© cd", "ab é cd", 100, "X")
    assert (edit.start, edit.end) == (103, 105)


def test_paired_runs_refuses_changed_ascii() -> None:
    assert textdiff._paired_runs("a Ã© b", "a é c") is None
    assert textdiff._paired_runs("a Ã©", "a e") is None
    assert textdiff._paired_runs("aÃ©b", "aéb") == [(1, 3, 1, 2)]


_WORD = st.text(alphabet="abc ,.", min_size=1, max_size=6)
# (before, after) of one stretch between ASCII runs: a repair, or text left alone.
_STRETCH = st.sampled_from(
    [("Ã©", "é"), ("â€™", "’"), ("Â·", "·"), ("Ã\xa0", "à"), ("â€œ", "“"), ("Ã¨", "è"),
     ("é", "é"), ("’", "’"), ("â€”", "—"), ("Ã©Ã¨", "éè"), ("é", "é"), ("\x85", "…")]
)


@given(st.lists(st.tuples(_WORD, _STRETCH), min_size=1, max_size=8), _WORD)
def test_anchored_path_equals_sequence_matcher(parts: list, tail: str) -> None:
    """Repairs (stretches between identical ASCII runs turned into what they decode to)
    get exactly the edits the plain character diff gives."""
    old = "".join(w + a for w, (a, _) in parts) + tail
    new = "".join(w + b for w, (_, b) in parts) + tail
    fast = diff_edits(old, new, 7, "X")
    original = textdiff._paired_runs
    try:
        textdiff._paired_runs = lambda a, b: None  # type: ignore[assignment]
        slow = diff_edits(old, new, 7, "X")
    finally:
        textdiff._paired_runs = original  # type: ignore[assignment]
    assert [(e.start, e.end, e.replacement) for e in fast] == [
        (e.start, e.end, e.replacement) for e in slow
    ]
    assert _replay(old, [e.__class__(e.start - 7, e.end - 7, e.replacement, e.rule)
                         for e in fast]) == new


def _reference_token_diff(a: str, b: str) -> list[tuple[int, int, str]]:
    """The token walk in its plain form (both token lists in full, one token at a time):
    the fast walk must give the same edits."""
    ta, tb = textdiff._TOKEN.findall(a), textdiff._TOKEN.findall(b)
    out: list[tuple[int, int, str]] = []
    i = j = pa = 0
    while i < len(ta) or j < len(tb):
        if i < len(ta) and j < len(tb) and ta[i] == tb[j]:
            pa += len(ta[i])
            i += 1
            j += 1
            continue
        di, dj = textdiff._resync(ta, tb, i, j)
        old, new = "".join(ta[i : i + di]), "".join(tb[j : j + dj])
        if len(old) <= textdiff._MAX_DIFF and len(new) <= textdiff._MAX_DIFF:
            out.extend((e.start, e.end, e.replacement) for e in diff_edits(old, new, pa, "X"))
        else:
            out.append((pa, pa + len(old), new))
        pa += len(old)
        i += di
        j += dj
    return out


_TOKENS = st.sampled_from(["the", "city", " ", "  ", "\n", "Ã©", "é", "a", "bureau", ",", "x"])


@given(
    st.lists(_TOKENS, min_size=0, max_size=300),
    st.lists(st.tuples(st.integers(0, 299), st.integers(0, 3), st.lists(_TOKENS, max_size=4)),
             max_size=12),
)
def test_token_walk_equals_plain_walk(tokens: list[str], changes: list) -> None:
    old = "".join(tokens)
    edited = list(tokens)
    for at, drop, insert in sorted(changes, reverse=True):
        edited[at : at + drop] = insert
    new = "".join(edited)
    fast = textdiff._token_diff(old, new, 0, "X", 1.0, "", {})
    assert [(e.start, e.end, e.replacement) for e in fast] == _reference_token_diff(old, new)
    assert apply_edits(old, fast) == new


def test_token_walk_long_equal_stretches() -> None:
    """A change after a long equal stretch, and a long rewritten tail (no resync)."""
    head = "word " * 5000
    fast = textdiff._token_diff(head + "Ã© end", head + "é end", 0, "X", 1.0, "", {})
    assert [(e.start, e.end, e.replacement) for e in fast] == [(25000, 25002, "é")]
    tail_old, tail_new = head + " ".join(["a"] * 60), head + " ".join(["b"] * 60)
    fast = textdiff._token_diff(tail_old, tail_new, 0, "X", 1.0, "", {})
    assert apply_edits(tail_old, fast) == tail_new
    assert [(e.start, e.end, e.replacement) for e in fast] == _reference_token_diff(
        tail_old, tail_new
    )
