"""`--format gitlab`: a GitLab Code Quality report (a JSON array of issues, a subset of the Code
Climate format), for `artifacts: reports: codequality:`.

Severities map as error -> critical, warning -> major, info -> info: GitLab's scale has five
steps, and shiplint's errors (files that do not parse) are serious without being `blocker`, which
GitLab reserves for what must stop a merge whatever else. The fingerprint is the one the baseline
and SARIF use, so GitLab's comparison of a merge request with its target branch sees a finding
as unchanged when only its line moved.
"""

from __future__ import annotations

import json

from linter.findings import fingerprints as compute_fingerprints
from linter.findings import portable_path
from linter.report import is_unicode

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import TextIO

    from linter.findings import Finding

SEVERITIES = {"error": "critical", "warning": "major", "info": "info"}


def issues(findings: list[Finding], prints: Sequence[str]) -> list[dict[str, object]]:
    return [
        {
            "type": "issue",
            "description": f"{f.code} {f.message}",
            "check_name": f.code,
            "fingerprint": prints[i],
            "severity": SEVERITIES.get(f.severity, "major"),
            "location": {
                "path": portable_path(f.path),
                "lines": {"begin": f.span.line, "end": max(f.span.end_line, f.span.line)},
            },
        }
        for i, f in enumerate(findings)
    ]


def render(
    findings: list[Finding],
    files: int,
    out: TextIO,
    source_line: Callable[[str, int], str] | None = None,
    fingerprints: Sequence[str] | None = None,
    **_: object,
) -> None:
    prints = fingerprints
    if prints is None:
        prints = compute_fingerprints(findings, source_line or (lambda path, line: ""))
    json.dump(issues(findings, prints), out, indent=2, ensure_ascii=not is_unicode(out))
    out.write("\n")
