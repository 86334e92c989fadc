"""HTML references (E002) are decoded before mojibake repair, as ftfy.fix_text does, so a
reference standing for a byte of mojibake is repaired in the same run."""

from __future__ import annotations

import ftfy
import pytest

from normalize import Config, Normalizer, clean

ENCODING = Normalizer(Config(select=("E",)))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("voilÃ&nbsp;", "voilà"),  # 'Ã' + the no-break space the reference stands for
        ("caf&#195;&#169; open", "café open"),  # the mojibake is itself escaped
        ("Benefits &amp; Influence", "Benefits & Influence"),
        ("<p>a&amp;b</p>", "<p>a&amp;b</p>"),  # markup lines keep their escapes
        ("&amp;high;", "&amp;high;"),  # names nothing: left alone
    ],
)
def test_references_then_mojibake(text: str, expected: str) -> None:
    first = ENCODING.clean(text)
    assert first.text == expected
    assert ENCODING.clean(first.text).text == first.text


@pytest.mark.parametrize("text", ["voilÃ&nbsp;tout", "caf&#195;&#169;", "à¢&nbsp;\x85"])
def test_same_text_as_ftfy_fix_text(text: str) -> None:
    assert clean(text).text.rstrip("\n") == ftfy.fix_text(text)
