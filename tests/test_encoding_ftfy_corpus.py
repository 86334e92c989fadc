"""The encoding pass against ftfy's own test-case corpus, read in place from
../shared/peer-tests/ftfy-test-cases (skipped when absent).

With the encoding rules only, the pass must give exactly ``ftfy.fix_encoding``'s output on
every case: proof that the cheap per-line gate never skips a line ftfy would fix.
"""

from __future__ import annotations

import json

import ftfy
import pytest

from normalize import Config, Normalizer, all_rules
from tests.conftest import FTFY_CASES

ENCODING = Normalizer(Config(select=("E001",)))
FILES = ["in-the-wild.json", "known-failures.json", "language-names.json", "negative.json",
         "synthetic.json"]


def _cases(name: str) -> list[dict]:
    path = FTFY_CASES / name
    if not path.is_file():
        pytest.skip(f"ftfy test cases not present at {path}")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", FILES)
def test_encoding_pass_equals_ftfy_fix_encoding(name):
    cases = _cases(name)
    assert cases
    mismatches = []
    for case in cases:
        got = ENCODING.clean(case["original"]).text
        want = ftfy.fix_encoding(case["original"])
        if got != want:
            mismatches.append((case["label"], got, want))
    assert not mismatches, mismatches[:5]


def test_negative_cases_are_left_unchanged():
    cases = _cases("negative.json")
    # Every default encoding rule, not just E001, must leave these alone. (The unicode
    # pass does turn their no-break spaces into spaces; that is its job, not a repair.)
    defaults = tuple(r.code for r in all_rules() if r.code.startswith("E") and r.default)
    norm = Normalizer(Config(select=defaults))
    changed = []
    for case in cases:
        # "Mostly negative" cases still expect ftfy's repair of C1 control characters.
        mostly = case["label"].startswith("Mostly negative")
        want = ftfy.fix_encoding(case["original"]) if mostly else case["original"]
        if norm.clean(case["original"]).text != want:
            changed.append(case["label"])
    assert not changed


def test_expected_fixes_of_passing_cases():
    """Where the corpus gives the expected encoding fix, the pass reproduces it."""
    total = ok = 0
    for name in ("in-the-wild.json", "synthetic.json", "language-names.json"):
        for case in _cases(name):
            if case.get("expect") != "pass":
                continue
            want = case.get("fixed-encoding", case["fixed"])
            total += 1
            ok += ENCODING.clean(case["original"]).text == want
    print(f"ftfy corpus: {ok}/{total} expected fixes reproduced")
    assert total > 100 and ok == total
