"""Reporters: turn findings into what users read. They import only findings.py (and the IR's
source files, to show the offending line)."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from linter.findings import Finding


def summary(findings: list[Finding], files: int) -> dict[str, int]:
    counts = {"files": files, "findings": len(findings), "error": 0, "warning": 0, "info": 0}
    for f in findings:
        counts[f.severity] += 1
    return counts


def summary_line(counts: dict[str, int]) -> str:
    files = counts["files"]
    noun = "file" if files == 1 else "files"
    if not counts["findings"]:
        return f"No findings in {files} {noun}."
    parts = [
        f"{counts[s]} {s if s == 'info' or counts[s] == 1 else s + 's'}"
        for s in ("error", "warning", "info")
        if counts[s]
    ]
    n = counts["findings"]
    return f"Found {n} finding{'s' if n != 1 else ''} ({', '.join(parts)}) in {files} {noun}."
