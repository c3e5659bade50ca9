"""Reporters: turn findings into what users read, one module per format. They import only
findings.py and the standard library; what else a format needs (the source lines, the rules'
metadata, fingerprints, the list of linted files) the command line passes in as plain data.

Every module has `render(findings, files, out, **context)` and ignores context it does not use.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import TextIO

    from linter.findings import Finding


def is_unicode(out: TextIO) -> bool:
    """Whether a stream can hold any character (its encoding is a UTF); otherwise reporters
    escape what is not ASCII in their format's own way."""
    import codecs

    encoding = getattr(out, "encoding", None) or "utf-8"
    try:
        return codecs.lookup(encoding).name.startswith("utf")
    except LookupError:
        return False


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


def by_file(findings: list[Finding], paths: Sequence[str] = ()) -> dict[str, list[Finding]]:
    """Findings grouped by portable path: first the linted files in the order they were linted
    (each, even without findings), then any other path a finding names."""
    from linter.findings import portable_path

    groups: dict[str, list[Finding]] = {portable_path(p): [] for p in paths}
    for f in findings:
        groups.setdefault(portable_path(f.path), []).append(f)
    return groups
