"""Finding and Severity: what every layer above the IR passes around."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
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
