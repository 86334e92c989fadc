from normalize import Config, Normalizer, apply_changes, clean


def test_clean_reports_in_original_coordinates():
    text = "a\u00a0 b\nhigh -quality"
    r = clean(text)
    assert r.text == "a b\nhigh-quality\n"
    assert apply_changes(text, r.changes) == r.text
    hyphen = next(c for c in r.changes if c.rule == "S001")
    assert (hyphen.line, hyphen.column, hyphen.before) == (2, 5, " -")


def test_clean_text_is_returned_unchanged():
    text = "The Provincial Department of Ecology and Environment met on 3 March.\n"
    r = clean(text)
    assert r.text == text and r.changes == () and not r.changed


def test_select_limits_rules():
    r = Normalizer(Config(select=("S001",))).clean("high -quality  text")
    assert r.text == "high-quality  text"
