"""A line holding a lossy (reported, E105) span and other mojibake: the span is left as
it is and nothing around it is lost or written twice."""

from __future__ import annotations

import random

from normalize import clean

LINE = "\xa0Â¦Çâ€˜\x85\ufffdÍ¼Æ¬(\x98\xa0(a"


def test_lossy_span_kept_once_and_the_rest_repaired() -> None:
    result = clean(LINE)
    assert [f.rule for f in result.findings if f.rule == "E105"] == ["E105"]
    lossy = next(f for f in result.findings if f.rule == "E105")
    assert lossy.text in result.text  # left as it was
    # each stretch of the input comes out once (the old whole-line diff, with the edits
    # that touched the lossy span dropped, wrote '�ͼƬ(' twice)
    assert result.text.count("\ufffd") == LINE.count("\ufffd")
    assert result.text.count("(") == LINE.count("(")


def test_no_stretch_written_twice_on_random_lossy_lines() -> None:
    rng = random.Random(1)
    pieces = ["Ã©", "â€™", "â€˜", "Í¼Æ¬", "¦Ë", "¦Ç", "?", "\ufffd", "(", " ", "a", "图",
              "\x98", "\x85", "Â", "¡", "°", "Ê", "É", "’", "é", "\xa0"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(2, 16)))
        out = clean(text).text
        for ch in "(?":  # never produced by a repair: counts can only drop
            assert out.count(ch) <= text.count(ch), (text, out)
