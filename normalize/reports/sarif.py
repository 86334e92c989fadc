"""SARIF 2.1.0 output, so code-review tools (GitHub code scanning, VS Code's SARIF viewer,
Azure DevOps) can show what the tool changed and what it flagged inline, next to the text.

The input is the JSON report document (see ``normalize.report``); the output is a plain
dict ready for ``json.dump``. Every change becomes a result carrying a SARIF ``fix`` (the
exact replacement, so a viewer can offer "apply"), every finding a result without one.

Coordinates: the report's offsets are code points into the ORIGINAL text and its
line/column are 1-based over ``\\n``-separated lines, so the run declares
``columnKind: unicodeCodePoints`` and regions carry both line/column and
``charOffset``/``charLength``; they agree with each other for every file whose lines end
in ``\\n`` or ``\\r\\n`` (a file using bare ``\\r`` is one long line to the engine).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from normalize.rules import Rule

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
FINGERPRINT_KEY = "mtNormalize/v1"

_CHANGE_LEVEL = "note"  # already fixed in the output: informational for a reviewer
_FINDING_LEVEL = "warning"  # left alone on purpose: needs a human


def _default_rules() -> tuple[Rule, ...]:
    """Imported lazily so this module loads without building the pass registry."""
    from normalize.engine import all_rules

    return all_rules()


def artifact_uri(path: str) -> str:
    """A SARIF ``uri`` for a report path: forward slashes, percent-encoded, relative.

    Relative paths stay relative (resolved against ``%SRCROOT%``) because that is what
    code-scanning uploads match against the repository; an absolute path becomes a
    ``file:`` URI, which is the only valid absolute form.
    """
    if PureWindowsPath(path).drive or path.startswith("\\\\"):
        return PureWindowsPath(path).as_uri()
    posix = path.replace("\\", "/")
    if posix.startswith("/"):
        return PurePosixPath(posix).as_uri()
    while posix.startswith("./"):
        posix = posix[2:]
    return quote(posix, safe="/-._~")


def end_position(line: int, column: int, text: str) -> tuple[int, int]:
    """Line and (exclusive) column just past ``text`` when it starts at ``line:column``.

    Lines are split on ``\\n`` only, matching how the engine numbers lines, so a deleted
    ``\\r\\n`` ends at column 1 of the next line.
    """
    breaks = text.count("\n")
    if not breaks:
        return line, column + len(text)
    return line + breaks, len(text) - text.rfind("\n")


def _region(item: Mapping[str, Any], text: str) -> dict[str, Any]:
    line = int(item.get("line") or 1)
    column = int(item.get("column") or 1)
    end_line, end_column = end_position(line, column, text)
    region: dict[str, Any] = {
        "startLine": line,
        "startColumn": column,
        "endLine": end_line,
        "endColumn": end_column,
    }
    if "start" in item and item["start"] is not None:
        region["charOffset"] = int(item["start"])
        region["charLength"] = len(text)
    if text:
        region["snippet"] = {"text": text}
    return region


def _rule_descriptor(rule: Rule) -> dict[str, Any]:
    level = _FINDING_LEVEL if rule.kind == "finding" else _CHANGE_LEVEL
    help_lines = [rule.summary, "", rule.explanation]
    md_lines = [f"**{rule.code} {rule.name}** ({rule.pass_name} pass)", "", rule.explanation]
    if rule.examples:
        help_lines += ["", "Examples:"]
        md_lines += ["", "Examples:", ""]
        for before, after in rule.examples:
            help_lines.append(f"  {before!r} -> {after!r}")
            md_lines.append(f"- `{before!r}` → `{after!r}`")
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.explanation or rule.summary},
        "help": {"text": "\n".join(help_lines), "markdown": "\n".join(md_lines)},
        "defaultConfiguration": {"level": level, "enabled": rule.default},
        "properties": {"pass": rule.pass_name, "kind": rule.kind, "tags": [rule.pass_name]},
    }


def _unknown_descriptor(code: str, kind: str) -> dict[str, Any]:
    """A rule the report names but this version does not know (newer tool, plugin)."""
    level = _FINDING_LEVEL if kind == "finding" else _CHANGE_LEVEL
    return {
        "id": code,
        "name": code,
        "shortDescription": {"text": f"Rule {code}"},
        "fullDescription": {"text": f"Rule {code} (no metadata in this version)."},
        "help": {"text": f"Rule {code} (no metadata in this version)."},
        "defaultConfiguration": {"level": level},
    }


def _fingerprint(path: str, rule: str, before: str, after: str, nth: int) -> str:
    """Stable across runs and line shifts: the same edit of the same text in the same file
    is the same result, so review tools do not re-open it when unrelated lines move."""
    h = hashlib.sha256()
    for part in (path, rule, before, after, str(nth)):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()[:32]


class _RuleTable:
    """Rule descriptors in a stable order, with ``ruleIndex`` lookups."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.descriptors: list[dict[str, Any]] = []
        self.index: dict[str, int] = {}
        for rule in rules:
            self.index[rule.code] = len(self.descriptors)
            self.descriptors.append(_rule_descriptor(rule))

    def lookup(self, code: str, kind: str) -> int:
        if code not in self.index:
            self.index[code] = len(self.descriptors)
            self.descriptors.append(_unknown_descriptor(code, kind))
        return self.index[code]


def _change_result(
    change: Mapping[str, Any],
    uri: str,
    artifact_index: int,
    rules: _RuleTable,
    nth: int,
    path: str,
) -> dict[str, Any]:
    rule = str(change["rule"])
    before = str(change.get("before", ""))
    after = str(change.get("after", ""))
    also = [str(a) for a in change.get("also") or []]
    message = str(change.get("message") or f"{rule} changed the text")
    if also:
        message += f" (also: {', '.join(also)})"
    location = {"uri": uri, "uriBaseId": "%SRCROOT%", "index": artifact_index}
    region = _region(change, before)
    deleted = {k: v for k, v in region.items() if k != "snippet"}
    return {
        "ruleId": rule,
        "ruleIndex": rules.lookup(rule, "fix"),
        "level": _CHANGE_LEVEL,
        "kind": "fail",
        "message": {"text": message},
        "locations": [{"physicalLocation": {"artifactLocation": location, "region": region}}],
        "fixes": [
            {
                "description": {"text": f"{rule}: replace {before!r} with {after!r}"},
                "artifactChanges": [
                    {
                        "artifactLocation": location,
                        "replacements": [
                            {"deletedRegion": deleted, "insertedContent": {"text": after}}
                        ],
                    }
                ],
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: _fingerprint(path, rule, before, after, nth)},
        "properties": {
            "pass": change.get("pass"),
            "confidence": change.get("confidence"),
            "also": also,
            "before": before,
            "after": after,
            "meta": dict(change.get("meta") or {}),
        },
    }


def _finding_result(
    finding: Mapping[str, Any],
    uri: str,
    artifact_index: int,
    rules: _RuleTable,
    nth: int,
    path: str,
) -> dict[str, Any]:
    rule = str(finding["rule"])
    text = str(finding.get("text", ""))
    location = {"uri": uri, "uriBaseId": "%SRCROOT%", "index": artifact_index}
    return {
        "ruleId": rule,
        "ruleIndex": rules.lookup(rule, "finding"),
        "level": _FINDING_LEVEL,
        "kind": "fail",
        "message": {"text": str(finding.get("message") or f"{rule} flagged this text")},
        "locations": [
            {"physicalLocation": {"artifactLocation": location, "region": _region(finding, text)}}
        ],
        "partialFingerprints": {FINGERPRINT_KEY: _fingerprint(path, rule, text, "", nth)},
        "properties": {
            "confidence": finding.get("confidence"),
            "meta": dict(finding.get("meta") or {}),
        },
    }


def to_sarif(report: Mapping[str, Any], *, rules: Iterable[Rule] | None = None) -> dict[str, Any]:
    """Convert a JSON report document to a SARIF 2.1.0 log (one run).

    ``rules`` defaults to every rule the library knows, so ``ruleIndex`` values are the
    same for every report of a version and viewers can show rules that did not fire.
    Failed files become ``toolExecutionNotifications`` at level ``error``: SARIF has no
    result kind for "could not read this file", and a notification is what viewers show.
    """
    tool = report.get("tool") or {}
    table = _RuleTable(_default_rules() if rules is None else rules)
    artifacts: list[dict[str, Any]] = []
    results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []

    for file in report.get("files") or []:
        path = str(file.get("path", ""))
        uri = artifact_uri(path)
        index = len(artifacts)
        artifact: dict[str, Any] = {"location": {"uri": uri, "uriBaseId": "%SRCROOT%"}}
        if file.get("encoding"):
            artifact["encoding"] = str(file["encoding"])
        if file.get("input_sha256"):
            artifact["hashes"] = {"sha-256": str(file["input_sha256"])}
        roles = ["analysisTarget"]
        if file.get("changed"):
            roles.append("modified")
        artifact["roles"] = roles
        artifacts.append(artifact)

        if file.get("error"):
            notifications.append(
                {
                    "level": "error",
                    "message": {"text": f"{path}: {file['error']}"},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": {
                                    "uri": uri,
                                    "uriBaseId": "%SRCROOT%",
                                    "index": index,
                                }
                            }
                        }
                    ],
                }
            )
        seen: dict[tuple[str, str, str], int] = {}
        for change in file.get("changes") or []:
            key = (str(change["rule"]), str(change.get("before")), str(change.get("after")))
            seen[key] = nth = seen.get(key, -1) + 1
            results.append(_change_result(change, uri, index, table, nth, path))
        for finding in file.get("findings") or []:
            key = (str(finding["rule"]), str(finding.get("text")), "")
            seen[key] = nth = seen.get(key, -1) + 1
            results.append(_finding_result(finding, uri, index, table, nth, path))

    driver: dict[str, Any] = {
        "name": str(tool.get("name") or "mt-normalize"),
        "version": str(tool.get("version") or ""),
        "rules": table.descriptors,
    }
    if not driver["version"]:
        del driver["version"]
    else:
        driver["semanticVersion"] = driver["version"]
    invocation: dict[str, Any] = {
        "executionSuccessful": not notifications,
        "toolExecutionNotifications": notifications,
    }
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "invocations": [invocation],
        "columnKind": "unicodeCodePoints",
        "artifacts": artifacts,
        "results": results,
        "properties": {
            "schemaVersion": report.get("schema_version"),
            "configHash": report.get("config_hash"),
            "summary": report.get("summary"),
        },
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}
