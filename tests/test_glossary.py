"""Glossary engine: matching semantics, the pass, layering, linter, formats, CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import seed_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from normalize import Config, GlossaryError, Normalizer, apply_changes
from normalize.cli_glossary import app
from normalize.glossary import BUILTIN_FILE, compile_glossary, load_glossary
from normalize.glossary.compiled import CompiledGlossary
from normalize.glossary.formats import export_entries, import_entries
from normalize.glossary.lint import lint_files
from normalize.glossary.text import build_view

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(__file__).parent / "fixtures" / "glossary" / "lint"
G = load_glossary()
C = compile_glossary(G)
ONLY_G = Normalizer(Config(select=("G",)))


def fix(text: str) -> str:
    return C.apply(text)


# --- the shipped glossary ---------------------------------------------------------------


def test_shipped_glossary_size_and_lint():
    assert len(G.entries) >= 80
    assert lint_files([BUILTIN_FILE]) == []


def test_user_facing_copies_match_the_packaged_files():
    for name in ("glossary-china-gov.toml", "places-china.toml"):
        packaged = (BUILTIN_FILE.parent / name).read_bytes()
        assert (ROOT / "glossaries" / name).read_bytes() == packaged


def test_issue_variants_are_unified():
    want = "Provincial Department of Ecology and Environment"
    for v in ("Provincial Department of Ecological and Environment",
              "Provincial Department of Ecological Environment",
              "provincial ecological environment department",
              "Provincial Ecological Environment Department"):
        assert fix(f"the {v} said") == f"the {want} said"
    for v in ("Xi Jinping's ecological civilization thought",
              "Xi Jinping's thoughts on ecological civilization"):
        assert fix(f"follow {v} now") == "follow Xi Jinping Thought on Ecological Civilization now"
    assert fix("159 towns (streets) and townships (sub-districts)") == (
        "159 towns (subdistricts) and towns (subdistricts)")
    assert fix("the Chenzhou Municipal Ecological Environment Bureau") == (
        "the Chenzhou Municipal Bureau of Ecology and Environment")


def test_seed_variants_are_unified(seeds):
    stale = ("Department of Ecological and Environment", "Department of Ecological Environment",
             "ecological environment department", "Ecological Environment Department",
             "ecological civilization thought", "thoughts on ecological civilization",
             "towns (streets)", "(sub-districts)", "Municipal Ecological Environment Bureau")
    for name, text in seeds.items():
        out = ONLY_G.clean(text).text
        for s in stale:
            assert s.lower() not in out.lower(), (name, s)
        assert ONLY_G.clean(out).text == out


def test_seed_historic_and_other_names_are_kept():
    text = seed_text("003")
    out = ONLY_G.clean(text).text
    for keep in ("Provincial Second Ecological Environmental Protection Supervision Team",
                 "ecological environmental protection inspection team"):
        assert keep in text and keep in out


@pytest.mark.parametrize("name", [
    "Environmental Protection Bureau", "Provincial Environmental Protection Department",
    "Ministry of Environmental Protection", "central environmental protection inspection",
    "Department of Environmental Protection", "Municipal Environmental Protection Bureau",
])
def test_historic_names_are_never_rewritten(name):
    text = f"In 2016 the {name} issued a notice."
    r = ONLY_G.clean(text)
    assert r.text == text and not r.findings


# --- matching semantics -------------------------------------------------------------------


def test_canonical_protection_and_variant_inside_canonical():
    text = "the Hunan Provincial Department of Ecology and Environment"
    assert C.scan(text) == []


def test_morphology_plural_possessive_and_the_kept():
    assert fix("The Provincial Ecological Environment Department's plan") == (
        "The Provincial Department of Ecology and Environment's plan")
    assert fix("both Municipal Ecological Environment Bureaus") == (
        "both Municipal Bureaus of Ecology and Environment")
    m = C.scan("the Provincial Ecological Environment Department's plan")[0]
    assert m.match_type == "morphological"


def test_slots_fill_and_refuse_unknown_places():
    assert fix("Ecology and Environment Bureau of Yueyang") == (
        "Yueyang Municipal Bureau of Ecology and Environment")
    assert fix("Loudi Ecological Environment Bureau") == (
        "Loudi Municipal Bureau of Ecology and Environment")
    # a county is not a prefecture-level city; Paris is not on the list at all
    for text in ("Guidong Ecological Environment Bureau", "Paris Ecological Environment Bureau"):
        assert fix(text) == text


def test_case_handling():
    assert fix("Deputy Mayor Zhu") == "Vice Mayor Zhu"
    assert fix("a deputy mayor") == "a vice mayor"
    assert fix("Deputy mayor Zhu spoke") == "Vice mayor Zhu spoke"
    assert fix("PROVINCIAL ECOLOGICAL ENVIRONMENT DEPARTMENT") == (
        "PROVINCIAL DEPARTMENT OF ECOLOGY AND ENVIRONMENT")
    assert fix("the provincial ecological environment department") == (
        "the Provincial Department of Ecology and Environment")


def test_normalized_view_line_breaks_hyphens_apostrophes():
    assert fix("the Provincial Department of\r\nEcological   Environment.") == (
        "the Provincial Department of Ecology and Environment.")
    assert fix("Xi Jinping\u2019s ecological civilization thought") == (
        "Xi Jinping Thought on Ecological Civilization")
    v = build_view("a  b\n\nc")
    assert v.lower == "a b c" and v.orig(2) == 3 and v.orig(4) == 6


def test_context_exception_unless_followed_by():
    assert fix("Deputy Governor of the People's Bank of China") == (
        "Deputy Governor of the People's Bank of China")
    assert fix("Deputy Governor Li") == "Vice Governor Li"


def test_fuzzy_fix_suggestion_and_guards():
    m = C.scan("the Provincial Ecological and Environmental Department said")[0]
    assert (m.action, m.match_type, m.entry.id) == ("fix", "fuzzy", "hn.dee")
    assert m.score >= m.entry.threshold and m.score - m.runner_up >= G.fuzzy_margin
    s = C.scan("the Provincial Water Department said")[0]
    assert s.action == "suggest" and s.score < s.entry.threshold
    # level guard: a county body never becomes a provincial one
    assert fix("the County Ecological and Environmental Department") == (
        "the County Ecological and Environmental Department")
    # a window made only of guard words is never a candidate
    assert C.scan("the provincial department") == []


def test_fuzzy_can_be_switched_off():
    off = Normalizer(Config(select=("G",)).with_options("glossary", fuzzy=False))
    text = "the Provincial Ecological and Environmental Department said"
    assert off.clean(text).text == text


def test_report_meta_and_replay():
    text = "Deputy Mayor Li met the Provincial Ecological and Environmental Department."
    r = ONLY_G.clean(text)
    assert apply_changes(text, r.changes) == r.text
    metas = {c.rule: c.meta for c in r.changes}
    assert metas["G001"]["entry"] == "title.vice-mayor"
    assert metas["G001"]["match"] == "normalized" and metas["G001"]["variant"] == "deputy mayor"
    assert metas["G003"]["match"] == "fuzzy" and metas["G003"]["score"] >= 92
    assert "runner_up" in metas["G003"]


def test_suggest_and_forbid_are_findings_only():
    text = "the Chinese Communist Party and ecological civilization construction"
    r = ONLY_G.clean(text)
    assert r.text == text
    assert sorted(f.rule for f in r.findings) == ["G005", "G006"]


def test_determinism_across_hash_seeds():
    code = ("from normalize.glossary import compile_glossary, load_glossary;"
            "c = compile_glossary(load_glossary());"
            "print([(m.start, m.end, m.replacement, m.entry.id) for m in c.scan("
            "'the Provincial Ecological and Environmental Department and Deputy Mayor Li "
            "and the Municipal Ecological Environment Bureau')])")
    outs = set()
    for seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        outs.add(subprocess.run([sys.executable, "-c", code], env=env, check=True,
                                capture_output=True, text=True, cwd=ROOT).stdout)
    assert len(outs) == 1


# --- hypothesis properties ---------------------------------------------------------------

_PIECES = [e.canonical for e in G.entries if "{" not in e.canonical]
_PIECES += [v for e in G.entries for v in e.variants if "{" not in v]
_PIECES += ["Chenzhou", "the", "and", "of", "'s", "s", ", ", ". ", "\n", "-", "  ",
            "Department", "Ecological", "Bureau", "Provincial", "City", "Yueyang"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), max_size=8).map(" ".join))
def test_property_idempotent(text):
    once = ONLY_G.clean(text).text
    assert ONLY_G.clean(once).text == once


@settings(max_examples=100, deadline=None)
@given(st.sampled_from([e for e in G.entries if e.action == "fix"]),
       st.sampled_from(["{}", "The {} said.", "with the {}, and", "{}\n"]))
def test_property_every_canonical_maps_to_itself(entry, frame):
    canonical = entry.canonical.replace("{city}", "Chenzhou").replace("{county}", "Guiyang")
    text = frame.format(canonical)
    r = ONLY_G.clean(text)
    assert r.text == text and not r.changes


# --- layering ------------------------------------------------------------------------------


def test_layers_override_and_disable(tmp_path):
    layer = tmp_path / "mine.toml"
    layer.write_text(
        '[glossary]\ndisable = ["title.vice-mayor"]\n\n'
        '[[entry]]\nid = "hn.dee"\ncanonical = "Department of Ecology and Environment of '
        'Hunan Province"\nvariants = ["Provincial Ecological Environment Department"]\n',
        encoding="utf-8")
    g = load_glossary(["builtin", str(layer)])
    c = CompiledGlossary(g)
    assert g.by_id("title.vice-mayor") is None
    assert c.apply("Deputy Mayor Li") == "Deputy Mayor Li"
    assert c.apply("the Provincial Ecological Environment Department") == (
        "the Department of Ecology and Environment of Hunan Province")
    norm = Normalizer(Config(select=("G",)).with_options("glossary",
                                                         glossaries=["builtin", str(layer)]))
    assert norm.clean("Deputy Mayor Li").text == "Deputy Mayor Li"


def test_cache_is_keyed_by_content():
    assert compile_glossary(load_glossary()) is C
    assert compile_glossary(load_glossary(), fuzzy=False) is not C


def test_broken_glossary_stops_the_normalizer(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_bytes((LINT / "GL001_two_canonicals.toml").read_bytes())
    with pytest.raises(GlossaryError, match="GL001"):
        Normalizer(Config().with_options("glossary", glossaries=[str(bad)]))


# --- linter: one fixture per defect -------------------------------------------------------


@pytest.mark.parametrize("path", sorted(LINT.glob("GL*.toml")), ids=lambda p: p.stem)
def test_lint_fixture_reports_its_defect_with_location(path):
    code = path.stem.split("_")[0]
    issues = lint_files([path])
    assert code in {i.code for i in issues}, issues
    hit = next(i for i in issues if i.code == code)
    assert hit.file.endswith(path.name) and hit.line >= 1


def test_clean_lint_fixture_has_no_issues():
    assert lint_files([LINT / "clean.toml"]) == []


# --- formats and CLI ----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "tsv", "tbx"])
def test_export_import_round_trip(fmt):
    entries = [e for e in G.entries if e.action == "fix"]
    back = import_entries(export_entries(entries, fmt), fmt)
    canon = {e.canonical: set(e.variants) for e in entries}
    assert {e.canonical: set(e.variants) for e in back} == canon
    if fmt == "tbx":
        by_id = {e.id: e for e in back}
        assert set(by_id["historic.epb"].protect) == set(G.by_id("historic.epb").protect)


def test_tbx_statuses_map_to_canonical_admitted_deprecated():
    def term(text: str, status: str) -> str:
        note = f'<termNote type="administrativeStatus">{status}Term-admn-sts</termNote>'
        return f"<termSec><term>{text}</term>{note}</termSec>"

    tbx = (
        '<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic"><text><body>'
        '<conceptEntry id="x"><langSec xml:lang="en">'
        + term("Alpha Bureau", "preferred") + term("Alpha Office", "admitted")
        + term("Bureau of Alpha", "deprecated")
        + "</langSec></conceptEntry></body></text></tbx>"
    )
    (e,) = import_entries(tbx, "tbx")
    assert (e.id, e.canonical, e.variants, e.protect) == (
        "x", "Alpha Bureau", ("Bureau of Alpha",), ("Alpha Office",))


def test_cli_check_test_import_export(tmp_path):
    runner = CliRunner()
    assert runner.invoke(app, ["check"]).exit_code == 0
    bad = runner.invoke(app, ["check", str(LINT / "GL004_duplicate_after_normalization.toml")])
    assert bad.exit_code == 2 and "GL004" in bad.output and ":4:" in bad.output
    missing = runner.invoke(app, ["check", str(tmp_path / "nope.toml")])
    assert missing.exit_code == 2 and "GL000" in missing.output
    assert runner.invoke(app, ["test"]).exit_code == 0
    failing = runner.invoke(app, ["test", str(LINT / "GL006_failing_example.toml")])
    assert failing.exit_code == 1
    csv_path, toml_path = tmp_path / "g.csv", tmp_path / "g.toml"
    assert runner.invoke(app, ["export", "-f", "csv", "-o", str(csv_path)]).exit_code == 0
    assert runner.invoke(app, ["import", str(csv_path), "-o", str(toml_path)]).exit_code == 0
    # CSV carries pairs only; without the place lists the slot entries are all it lacks
    assert {i.code for i in lint_files([toml_path])} <= {"GL008"}
    garbage = tmp_path / "g.tbx"
    garbage.write_text("<tbx><unclosed>", encoding="utf-8")
    res = runner.invoke(app, ["import", str(garbage)])
    assert res.exit_code == 2 and "not well-formed" in res.output
