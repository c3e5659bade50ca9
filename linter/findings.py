"""Finding and Severity: what every layer above the IR passes around."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from linter.ir.source import Span

SEVERITIES = ("error", "warning", "info")
# Higher is more severe; "never" as a threshold is above everything.
SEVERITY_RANK = {"info": 1, "warning": 2, "error": 3, "never": 4}


class Finding:
    __slots__ = (
        "aliases",
        "code",
        "container",
        "message",
        "name",
        "object",
        "path",
        "severity",
        "span",
    )

    def __init__(
        self,
        code: str,
        name: str,
        severity: str,
        message: str,
        path: str,
        span: Span,
        aliases: tuple[str, ...] = (),
        object: str | None = None,
        container: str | None = None,
    ) -> None:
        self.code = code
        self.name = name
        self.severity = severity
        self.message = message
        self.path = path
        self.span = span
        self.aliases = aliases
        self.object = object
        self.container = container

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.span.line, self.span.column, self.code)

    def to_dict(self) -> dict[str, object]:
        d: dict[str, object] = {
            "code": self.code,
            "name": self.name,
            "severity": self.severity,
            "message": self.message,
            "path": self.path,
            "line": self.span.line,
            "column": self.span.column,
            "end_line": self.span.end_line,
            "end_column": self.span.end_column,
            "aliases": list(self.aliases),
        }
        if self.object is not None:
            d["object"] = self.object
        if self.container is not None:
            d["container"] = self.container
        return d

    def __repr__(self) -> str:
        return f"Finding({self.code} {self.path}:{self.span.line}:{self.span.column} {self.message!r})"


# -- paths and fingerprints shared by the machine-readable reports and the baseline -------------

# The version of the fingerprint recipe; a change of recipe must change this name, so that SARIF
# consumers and baselines see new keys rather than silently different values.
FINGERPRINT_KEY = "shiplint/v1"
_CONTEXT_LINES = 32  # at most this many lines of a long span take part in its fingerprint


def portable_path(path: str) -> str:
    """A finding's path as CI systems want it: relative to the working directory where it lies
    under it, with forward slashes, without `./` or `..` detours."""
    import os

    if path == "-":
        return path
    if os.path.isabs(path):
        try:
            rel = os.path.relpath(path)
        except ValueError:  # another drive (Windows)
            rel = path
        if not rel.startswith(os.pardir):
            path = rel
    path = os.path.normpath(path)
    return path.replace(os.sep, "/") if os.sep != "/" else path


def fingerprints(findings: list[Finding], line_text: Callable[[str, int], str]) -> list[str]:
    """One fingerprint per finding, in order, that survives edits elsewhere in the file.

    It hashes what identifies the problem rather than where it is: the rule code, the portable
    path, the text of the offending line(s) with runs of whitespace collapsed, the object and
    container, and, among findings equal in all of those, the rank of this one (the first, the
    second...). The line number is left out, so inserting or removing lines above a finding
    keeps its fingerprint; editing the offending line itself gives a new one.

    SARIF's partialFingerprints, GitLab's fingerprint and the baseline all use this function.
    """
    from hashlib import sha256

    seen: dict[str, int] = {}
    out: list[str] = []
    for f in findings:
        s = f.span
        last = s.end_line
        if last > s.line and s.end_column <= 1:  # the span stops at the start of its last line
            last -= 1
        last = min(max(last, s.line), s.line + _CONTEXT_LINES - 1)
        text = "\n".join(" ".join(line_text(f.path, n).split()) for n in range(s.line, last + 1))
        key = "\0".join((f.code, portable_path(f.path), text, f.object or "", f.container or ""))
        rank = seen.get(key, 0)
        seen[key] = rank + 1
        digest = sha256(f"{key}\0{rank}".encode("utf-8", "surrogatepass")).hexdigest()
        out.append(digest[:32])
    return out
