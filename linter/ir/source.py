"""Source files and spans: the bottom of the IR.

Lines and columns are 1-based. A span's end column is exclusive (the column just past the last
character), as in SARIF and LSP. Columns count Unicode code points.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence


class Span:
    """A region of one source file."""

    __slots__ = ("column", "end_column", "end_line", "line")

    def __init__(self, line: int, column: int, end_line: int, end_column: int) -> None:
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column

    @classmethod
    def point(cls, line: int, column: int = 1) -> Span:
        return cls(line, column, line, column + 1)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Span) and self.astuple() == other.astuple()

    def __hash__(self) -> int:
        return hash(self.astuple())

    def astuple(self) -> tuple[int, int, int, int]:
        return (self.line, self.column, self.end_line, self.end_column)

    def __repr__(self) -> str:
        return f"Span({self.line}:{self.column}-{self.end_line}:{self.end_column})"


class Problem:
    """Something a parser could not accept, kept on the file so that a rule can report it.

    `kind` names the parse-error rule that reports it (its `problem` parameter)."""

    __slots__ = ("kind", "message", "span")

    def __init__(self, kind: str, span: Span, message: str) -> None:
        self.kind = kind
        self.span = span
        self.message = message

    def __repr__(self) -> str:
        return f"Problem({self.kind!r}, {self.span!r}, {self.message!r})"


class SourceFile:
    """One input file: its path as given, its text, and what parsing it found wrong."""

    __slots__ = ("_lines", "kind", "path", "problems", "text")

    def __init__(self, path: str, text: str, kind: str) -> None:
        self.path = path
        self.text = text
        self.kind = kind  # "dockerfile" or "kubernetes"
        self.problems: list[Problem] = []
        self._lines: Sequence[str] | None = None

    @property
    def lines(self) -> Sequence[str]:
        """The text's lines, split at \\n, \\r\\n and \\r only, as editors, LSP and SARIF count
        them. (`str.splitlines` also splits at form feeds, U+2028 and others, which would shift
        every line number after one.)"""
        if self._lines is None:
            text = self.text
            if "\r" in text:
                text = text.replace("\r\n", "\n").replace("\r", "\n")
            lines = text.split("\n")
            if lines[-1] == "":
                lines.pop()  # the text ends with a line break, or is empty
            self._lines = lines
        return self._lines

    def line_text(self, line: int) -> str:
        lines = self.lines
        return lines[line - 1] if 0 < line <= len(lines) else ""

    def problem(self, kind: str, span: Span, message: str) -> None:
        self.problems.append(Problem(kind, span, message))

    def end_span(self) -> Span:
        """A span covering the first line, for problems that concern the whole file."""
        first = self.line_text(1)
        return Span(1, 1, 1, max(len(first), 1) + 1)
