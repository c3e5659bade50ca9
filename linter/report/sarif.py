"""`--format sarif`: SARIF 2.1.0, in the shape GitHub code scanning ingests.

One run whose driver describes each rule that has a result (id, name, short and full description,
help text, a helpUri into docs/rules.md for built-in rules, the default level as configured, and
the rule's aliases and language as properties), and one result per finding. Locations are
relative to `%SRCROOT%` (the directory shiplint ran in) with forward slashes. Columns count
Unicode code points, as shiplint's spans do, and the run says so (`columnKind`); end columns are
exclusive, as SARIF defines them. `partialFingerprints` carry the fingerprint that the baseline
and the GitLab report use too (see linter.findings.fingerprints): it ignores line numbers, so
code scanning keeps tracking an alert when unrelated lines move it.
"""

from __future__ import annotations

import json

from linter import PROJECT_URL, __version__
from linter.findings import FINGERPRINT_KEY, portable_path
from linter.findings import fingerprints as compute_fingerprints
from linter.report import is_unicode

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any, TextIO

    from linter.findings import Finding

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def artifact_location(path: str) -> dict[str, str]:
    """A relative path becomes a URI reference under %SRCROOT%; one outside the working directory
    stays absolute, as a file: URI."""
    from urllib.parse import quote

    p = portable_path(path)
    if p.startswith("/") or (len(p) > 2 and p[1] == ":" and p[2] == "/"):  # POSIX or Windows
        return {"uri": "file://" + ("" if p.startswith("/") else "/") + quote(p, safe="/:")}
    return {"uri": quote(p, safe="/"), "uriBaseId": "%SRCROOT%"}


def _rule(meta: dict[str, Any]) -> dict[str, Any]:
    title = str(meta.get("title") or meta["code"])
    rule: dict[str, Any] = {
        "id": meta["code"],
        "name": meta.get("name") or meta["code"],
        "shortDescription": {"text": title},
        "fullDescription": {"text": str(meta.get("rationale") or title).strip()},
        "defaultConfiguration": {"level": LEVELS.get(str(meta.get("severity")), "warning")},
        "properties": {
            "tags": [t for t in (meta.get("language"),) if t],
            "aliases": list(meta.get("aliases") or ()),
        },
    }
    if meta.get("remediation"):
        rule["help"] = {"text": str(meta["remediation"]).strip()}
    if meta.get("help_uri"):
        rule["helpUri"] = meta["help_uri"]
    return rule


def _region(f: Finding) -> dict[str, int]:
    s = f.span
    end_line = max(s.end_line, s.line)
    end_column = s.end_column if (end_line, s.end_column) > (s.line, s.column) else s.column + 1
    return {"startLine": s.line, "startColumn": s.column, "endLine": end_line, "endColumn": end_column}


def document(
    findings: list[Finding],
    rules: Sequence[dict[str, Any]] = (),
    prints: Sequence[str] = (),
    complete: bool = True,
) -> dict[str, Any]:
    described = {str(m["code"]): m for m in rules}
    metas = []
    for code in sorted({f.code for f in findings}):
        meta = described.get(code)
        if meta is None:  # a rule the caller did not describe still gets an entry
            f = next(f for f in findings if f.code == code)
            meta = {"code": code, "name": f.name, "severity": f.severity, "aliases": f.aliases}
        metas.append(meta)
    index = {str(m["code"]): i for i, m in enumerate(metas)}
    results = []
    for i, f in enumerate(findings):
        result: dict[str, Any] = {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": LEVELS.get(f.severity, "warning"),
            "message": {"text": f.message},
            "locations": [
                {"physicalLocation": {"artifactLocation": artifact_location(f.path), "region": _region(f)}}
            ],
        }
        if prints:
            result["partialFingerprints"] = {FINGERPRINT_KEY: prints[i]}
        props = {k: v for k, v in (("object", f.object), ("container", f.container)) if v is not None}
        if props:
            result["properties"] = props
        results.append(result)
    driver = {
        "name": "shiplint",
        "version": __version__,
        "semanticVersion": __version__,
        "informationUri": PROJECT_URL,
        "rules": [_rule(m) for m in metas],
    }
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "columnKind": "unicodeCodePoints",
                "invocations": [{"executionSuccessful": complete}],
                "results": results,
            }
        ],
    }


def render(
    findings: list[Finding],
    files: int,
    out: TextIO,
    source_line: Callable[[str, int], str] | None = None,
    rules: Sequence[dict[str, Any]] = (),
    fingerprints: Sequence[str] | None = None,
    complete: bool = True,
    **_: object,
) -> None:
    prints = fingerprints
    if prints is None:
        prints = compute_fingerprints(findings, source_line or (lambda path, line: ""))
    json.dump(document(findings, rules, prints, complete), out, indent=2, ensure_ascii=not is_unicode(out))
    out.write("\n")
