"""SARIF output: schema shape, rule table, and fixes that really replay.

The schema below is a hand-written subset of the official SARIF 2.1.0 schema (no network
in tests). It closes the objects this tool emits (``additionalProperties: false``) with
the property names the standard defines, so a misspelt key fails here instead of being
silently ignored by GitHub code scanning.
"""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

import jsonschema
import pytest

from normalize import all_rules, clean
from normalize.reports import to_sarif
from normalize.reports.sarif import artifact_uri, end_position

URI_REFERENCE = (
    r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]*(%[0-9A-F]{2}[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]*)*$"
)
_MESSAGE = {
    "type": "object",
    "required": ["text"],
    "properties": {"text": {"type": "string"}, "markdown": {"type": "string"}},
    "additionalProperties": False,
}
_LEVEL = {"enum": ["none", "note", "warning", "error"]}
_ARTIFACT_LOCATION = {
    "type": "object",
    "required": ["uri"],
    "properties": {
        # RFC 3986 characters only (jsonschema checks "format: uri-reference" only when an
        # optional package is installed, so spell it out): no spaces, no backslashes.
        "uri": {"type": "string", "pattern": URI_REFERENCE},
        "uriBaseId": {"type": "string"},
        "index": {"type": "integer", "minimum": -1},
    },
    "additionalProperties": False,
}
_REGION = {
    "type": "object",
    "required": ["startLine"],
    "properties": {
        "startLine": {"type": "integer", "minimum": 1},
        "startColumn": {"type": "integer", "minimum": 1},
        "endLine": {"type": "integer", "minimum": 1},
        "endColumn": {"type": "integer", "minimum": 1},
        "charOffset": {"type": "integer", "minimum": 0},
        "charLength": {"type": "integer", "minimum": 0},
        "snippet": {
            "type": "object",
            "required": ["text"],
            "properties": {"text": {"type": "string"}},
            "additionalProperties": False,
        },
    },
    "additionalProperties": False,
}
_PHYSICAL = {
    "type": "object",
    "required": ["artifactLocation"],
    "properties": {"artifactLocation": _ARTIFACT_LOCATION, "region": _REGION},
    "additionalProperties": False,
}
_LOCATION = {
    "type": "object",
    "required": ["physicalLocation"],
    "properties": {"physicalLocation": _PHYSICAL},
    "additionalProperties": False,
}
_FIX = {
    "type": "object",
    "required": ["artifactChanges"],
    "properties": {
        "description": _MESSAGE,
        "artifactChanges": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["artifactLocation", "replacements"],
                "properties": {
                    "artifactLocation": _ARTIFACT_LOCATION,
                    "replacements": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "type": "object",
                            "required": ["deletedRegion"],
                            "properties": {
                                "deletedRegion": _REGION,
                                "insertedContent": {
                                    "type": "object",
                                    "properties": {"text": {"type": "string"}},
                                    "additionalProperties": False,
                                },
                            },
                            "additionalProperties": False,
                        },
                    },
                },
                "additionalProperties": False,
            },
        },
    },
    "additionalProperties": False,
}
_RESULT = {
    "type": "object",
    "required": ["message", "ruleId"],
    "properties": {
        "ruleId": {"type": "string"},
        "ruleIndex": {"type": "integer", "minimum": 0},
        "level": _LEVEL,
        "kind": {"enum": ["notApplicable", "pass", "fail", "review", "open", "informational"]},
        "message": _MESSAGE,
        "locations": {"type": "array", "items": _LOCATION},
        "fixes": {"type": "array", "items": _FIX},
        "partialFingerprints": {"type": "object", "additionalProperties": {"type": "string"}},
        "properties": {"type": "object"},
    },
    "additionalProperties": False,
}
_RULE = {
    "type": "object",
    "required": ["id"],
    "properties": {
        "id": {"type": "string"},
        "name": {"type": "string"},
        "shortDescription": _MESSAGE,
        "fullDescription": _MESSAGE,
        "help": _MESSAGE,
        "helpUri": {"type": "string", "pattern": "^https?://"},
        "defaultConfiguration": {
            "type": "object",
            "properties": {
                "level": _LEVEL,
                "enabled": {"type": "boolean"},
                "rank": {"type": "number"},
            },
            "additionalProperties": False,
        },
        "properties": {"type": "object"},
    },
    "additionalProperties": False,
}
SARIF_SUBSET: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "$schema": {"type": "string", "pattern": "^https://"},
        "version": {"const": "2.1.0"},
        "runs": {
            "type": "array",
            "minItems": 1,
            "maxItems": 1,
            "items": {
                "type": "object",
                "required": ["tool"],
                "properties": {
                    "tool": {
                        "type": "object",
                        "required": ["driver"],
                        "properties": {
                            "driver": {
                                "type": "object",
                                "required": ["name"],
                                "properties": {
                                    "name": {"type": "string", "minLength": 1},
                                    "version": {"type": "string"},
                                    "semanticVersion": {"type": "string"},
                                    "informationUri": {"type": "string", "pattern": "^https?://"},
                                    "rules": {"type": "array", "items": _RULE},
                                },
                                "additionalProperties": False,
                            }
                        },
                        "additionalProperties": False,
                    },
                    "invocations": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["executionSuccessful"],
                            "properties": {
                                "executionSuccessful": {"type": "boolean"},
                                "toolExecutionNotifications": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "required": ["message"],
                                        "properties": {
                                            "level": _LEVEL,
                                            "message": _MESSAGE,
                                            "locations": {"type": "array", "items": _LOCATION},
                                        },
                                        "additionalProperties": False,
                                    },
                                },
                            },
                            "additionalProperties": False,
                        },
                    },
                    "columnKind": {"enum": ["utf16CodeUnits", "unicodeCodePoints"]},
                    "artifacts": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "location": _ARTIFACT_LOCATION,
                                "encoding": {"type": "string"},
                                "hashes": {
                                    "type": "object",
                                    "additionalProperties": {"type": "string"},
                                },
                                "roles": {"type": "array", "items": {"type": "string"}},
                            },
                            "additionalProperties": False,
                        },
                    },
                    "results": {"type": "array", "items": _RESULT},
                    "properties": {"type": "object"},
                },
                "additionalProperties": False,
            },
        },
    },
    "additionalProperties": False,
}

TEXTS = {
    "news/a.txt": "Promote high -quality development.The plan works.  \n\n\n\nNext line 生态 here.",
    "news/crlf.txt": "First line  \r\nSecond line.Third(part\r\n\r\n\r\n\r\nEnd",
    "news/astral 😀.txt": "Emoji 😀😀 then high -quality work ,and more\u00a0text\u200b.\n",
    "./news/unchanged.txt": "Nothing to change here.\n",
}


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def make_report(texts: dict[str, str]) -> dict[str, Any]:
    """A report document in the JSON report schema, built from real library results."""
    files = []
    for path, text in texts.items():
        r = clean(text)
        files.append(
            {
                "path": path,
                "encoding": "utf-8",
                "input_sha256": _sha(text),
                "output_sha256": _sha(r.text),
                "changed": r.changed,
                "counts": dict(r.counts),
                "error": None,
                "changes": [c.to_dict() for c in r.changes],
                "findings": [f.to_dict() for f in r.findings],
            }
        )
    return {
        "schema_version": "1.0",
        "tool": {"name": "mt-normalize", "version": "0.1.0"},
        "config_hash": "ab12",
        "files": files,
        "summary": {"files": len(files)},
    }


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    return make_report(TEXTS)


@pytest.fixture(scope="module")
def sarif(report: dict[str, Any]) -> dict[str, Any]:
    return to_sarif(report)


def validate(doc: dict[str, Any]) -> None:
    jsonschema.Draft7Validator.check_schema(SARIF_SUBSET)
    jsonschema.validate(doc, SARIF_SUBSET)


def test_valid_against_schema_subset(sarif: dict[str, Any]) -> None:
    validate(sarif)
    assert sarif["version"] == "2.1.0"
    assert sarif["$schema"].endswith("sarif-2.1.0.json")
    json.dumps(sarif, ensure_ascii=False)  # JSON-ready, no sets or dataclasses


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"].update(
            startcolumn=1
        ),
        lambda d: d["runs"][0]["results"][0].update(level="info"),
        lambda d: d["runs"][0]["tool"]["driver"]["rules"][0].pop("id"),
        lambda d: d["runs"][0]["results"][0]["fixes"][0]["artifactChanges"][0].update(
            replacements=[]
        ),
        lambda d: d.update(version="2.0.0"),
        lambda d: d["runs"][0]["artifacts"][0]["location"].update(uri="my docs\\a.txt"),
    ],
    ids=[
        "misspelt-key",
        "bad-level",
        "rule-without-id",
        "empty-replacements",
        "version",
        "unencoded-uri",
    ],
)
def test_schema_subset_rejects_broken_documents(sarif: dict[str, Any], mutate: Any) -> None:
    broken = copy.deepcopy(sarif)
    mutate(broken)
    with pytest.raises(jsonschema.ValidationError):
        validate(broken)


def test_driver_lists_every_rule_once(sarif: dict[str, Any]) -> None:
    driver = sarif["runs"][0]["tool"]["driver"]
    assert driver["name"] == "mt-normalize"
    assert driver["version"] == "0.1.0"
    ids = [r["id"] for r in driver["rules"]]
    assert len(ids) == len(set(ids))
    assert set(ids) == {r.code for r in all_rules()}
    by_id = {r["id"]: r for r in driver["rules"]}
    for rule in all_rules():
        d = by_id[rule.code]
        assert d["name"] == rule.name
        assert d["shortDescription"]["text"] == rule.summary
        assert d["fullDescription"]["text"] == (rule.explanation or rule.summary)
        assert rule.explanation in d["help"]["text"]
        expected = "warning" if rule.kind == "finding" else "note"
        assert d["defaultConfiguration"]["level"] == expected
        assert d["defaultConfiguration"]["enabled"] is rule.default


def test_results_point_at_their_rules(sarif: dict[str, Any], report: dict[str, Any]) -> None:
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    n_changes = sum(len(f["changes"]) for f in report["files"])
    n_findings = sum(len(f["findings"]) for f in report["files"])
    assert n_changes >= 8 and n_findings >= 2  # the fixture exercises both kinds
    assert len(run["results"]) == n_changes + n_findings
    fixes = [r for r in run["results"] if "fixes" in r]
    assert len(fixes) == n_changes
    for res in run["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        loc = res["locations"][0]["physicalLocation"]["artifactLocation"]
        assert run["artifacts"][loc["index"]]["location"]["uri"] == loc["uri"]
        assert res["level"] == ("note" if "fixes" in res else "warning")
    fingerprints = [r["partialFingerprints"]["mtNormalize/v1"] for r in run["results"]]
    assert len(set(fingerprints)) == len(fingerprints)


def test_finding_results(sarif: dict[str, Any], report: dict[str, Any]) -> None:
    findings = [r for r in sarif["runs"][0]["results"] if "fixes" not in r]
    cjk = [r for r in findings if r["ruleId"] == "R001"]
    assert cjk, "the fixture text has untranslated CJK"
    region = cjk[0]["locations"][0]["physicalLocation"]["region"]
    assert region["snippet"]["text"] == "生态"
    original = TEXTS["news/a.txt"]
    start = region["charOffset"]
    assert original[start : start + region["charLength"]] == "生态"


def _offset(text: str, line: int, column: int) -> int:
    """Code-point offset of a 1-based line/column, lines split on '\\n' only."""
    lines = text.split("\n")
    assert 1 <= line <= len(lines)
    assert 1 <= column <= len(lines[line - 1]) + 1
    return sum(len(x) + 1 for x in lines[: line - 1]) + column - 1


def apply_sarif_fixes(original: str, results: list[dict[str, Any]], uri: str) -> str:
    """Replay the fixes of one artifact the way a SARIF viewer does: by line/column only."""
    edits = []
    for res in results:
        for fix in res.get("fixes", []):
            for change in fix["artifactChanges"]:
                if change["artifactLocation"]["uri"] != uri:
                    continue
                for rep in change["replacements"]:
                    reg = rep["deletedRegion"]
                    start = _offset(original, reg["startLine"], reg["startColumn"])
                    end = _offset(original, reg["endLine"], reg["endColumn"])
                    assert (reg["charOffset"], reg["charLength"]) == (start, end - start)
                    edits.append((start, end, rep["insertedContent"]["text"]))
    out, pos = [], 0
    for start, end, text in sorted(edits):
        assert start >= pos, "fixes overlap"
        out += [original[pos:start], text]
        pos = end
    return "".join(out) + original[pos:]


@pytest.mark.parametrize("path", list(TEXTS))
def test_fixes_replay_to_the_cleaned_text(sarif: dict[str, Any], path: str) -> None:
    uri = artifact_uri(path)
    got = apply_sarif_fixes(TEXTS[path], sarif["runs"][0]["results"], uri)
    assert got == clean(TEXTS[path]).text


def test_multiline_deletion_regions(sarif: dict[str, Any]) -> None:
    """The CRLF blank-line run spans lines: the region must end on a later line."""
    uri = artifact_uri("news/crlf.txt")
    regions = [
        r["fixes"][0]["artifactChanges"][0]["replacements"][0]["deletedRegion"]
        for r in sarif["runs"][0]["results"]
        if "fixes" in r and r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == uri
    ]
    assert any(reg["endLine"] > reg["startLine"] for reg in regions)
    assert sarif["runs"][0]["columnKind"] == "unicodeCodePoints"


@pytest.mark.parametrize(
    ("line", "column", "text", "expected"),
    [
        (1, 1, "", (1, 1)),
        (3, 5, "ab", (3, 7)),
        (3, 5, "a\n", (4, 1)),
        (3, 5, "a\r\nbc", (4, 3)),
        (2, 1, "\n\n\n", (5, 1)),
        (1, 4, "😀x", (1, 6)),
    ],
)
def test_end_position(line: int, column: int, text: str, expected: tuple[int, int]) -> None:
    assert end_position(line, column, text) == expected


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        ("samples/a.txt", "samples/a.txt"),
        ("./samples/a.txt", "samples/a.txt"),
        ("samples\\win\\a.txt", "samples/win/a.txt"),
        ("my docs/a b#1?.txt", "my%20docs/a%20b%231%3F.txt"),
        ("新闻/稿.txt", "%E6%96%B0%E9%97%BB/%E7%A8%BF.txt"),
        ("/abs/a.txt", "file:///abs/a.txt"),
        ("C:\\data\\a.txt", "file:///C:/data/a.txt"),
    ],
)
def test_artifact_uri(path: str, uri: str) -> None:
    assert artifact_uri(path) == uri


def test_failed_files_become_error_notifications() -> None:
    report = make_report({"ok.txt": "high -quality work\n"})
    report["files"].append({"path": "bad.bin", "error": "binary file skipped", "changed": False})
    doc = to_sarif(report)
    validate(doc)
    inv = doc["runs"][0]["invocations"][0]
    assert inv["executionSuccessful"] is False
    (note,) = inv["toolExecutionNotifications"]
    assert note["level"] == "error"
    assert "binary file skipped" in note["message"]["text"]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "bad.bin"
    assert all(
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "ok.txt"
        for r in doc["runs"][0]["results"]
    )
    assert (
        to_sarif(make_report({"ok.txt": "x\n"}))["runs"][0]["invocations"][0]["executionSuccessful"]
        is True
    )


def test_unknown_rule_gets_a_descriptor() -> None:
    report = make_report({"a.txt": "plain text\n"})
    report["files"][0]["findings"] = [
        {
            "rule": "X999",
            "start": 0,
            "end": 5,
            "line": 1,
            "column": 1,
            "text": "plain",
            "message": "from a plugin",
            "confidence": 0.5,
            "meta": {},
        }
    ]
    doc = to_sarif(report)
    validate(doc)
    run = doc["runs"][0]
    (res,) = run["results"]
    assert run["tool"]["driver"]["rules"][res["ruleIndex"]]["id"] == "X999"
    assert res["level"] == "warning"


def test_merged_change_names_every_rule() -> None:
    report = make_report({"a.txt": "x"})
    change = dict(report["files"][0]["changes"][0], also=["S006"])
    report["files"][0]["changes"] = [change]
    (res,) = to_sarif(report)["runs"][0]["results"]
    assert "S006" in res["message"]["text"]
    assert res["properties"]["also"] == ["S006"]


def test_deterministic(report: dict[str, Any]) -> None:
    a = json.dumps(to_sarif(report), sort_keys=True, ensure_ascii=False)
    b = json.dumps(to_sarif(copy.deepcopy(report)), sort_keys=True, ensure_ascii=False)
    assert a == b
