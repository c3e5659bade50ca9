"""`--format text`: one line per finding, `path:line:col: CODE [severity] message`, the source line
with a caret under the offending text, and a summary line.

Colour goes through rich, and only when it is wanted: on a terminal, or anywhere when FORCE_COLOR
is set (non-empty). NO_COLOR (non-empty) turns it off whatever else is set, FORCE_COLOR included,
as https://no-color.org asks. Colour only adds escapes: stripped of them, the output is the plain
output byte for byte. Plain output needs no rich at all, which keeps a pre-commit hook's start-up short.
"""

from __future__ import annotations

import os

from linter.report import summary, summary_line

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import TextIO

    from linter.findings import Finding

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def want_colour(out: TextIO) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(out, "isatty", None)
    return bool(isatty and isatty())


def excerpt(line_text: str, column: int, end_line: int, line: int, end_column: int) -> tuple[str, str, str]:
    """(text before, text under the caret, caret line) for one finding's first source line."""
    text = line_text.replace("\t", " ").rstrip("\n")
    start = max(column - 1, 0)
    stop = end_column - 1 if end_line == line else len(text)
    stop = max(min(stop, len(text)), start + 1)
    return text[:start], text[start:stop], " " * start + "^" * (stop - start)


def render(
    findings: list[Finding],
    files: int,
    out: TextIO,
    source_line: Callable[[str, int], str] | None = None,
    show_source: bool = True,
    colour: bool | None = None,
    **_: object,
) -> None:
    """`colour` None decides from the stream and the environment; a report written to a file
    (`--output text=FILE`) passes False."""
    counts = summary(findings, files)
    if want_colour(out) if colour is None else colour:
        _render_rich(findings, counts, out, source_line if show_source else None)
        return
    write = out.write
    for f in findings:
        s = f.span
        write(f"{f.path}:{s.line}:{s.column}: {f.code} [{f.severity}] {f.message}\n")
        if show_source and source_line is not None:
            text = source_line(f.path, s.line)
            if text.strip():
                caret = excerpt(text, s.column, s.end_line, s.line, s.end_column)[2]
                gutter = f"{s.line:>5} | "
                write(f"{gutter}{text.replace(chr(9), ' ')}\n{' ' * (len(gutter) - 2)}| {caret}\n")
    write(summary_line(counts) + "\n")


def _render_rich(
    findings: list[Finding],
    counts: dict[str, int],
    out: TextIO,
    source_line: Callable[[str, int], str] | None,
) -> None:
    from rich.console import Console
    from rich.text import Text

    console = Console(file=out, highlight=False, soft_wrap=True)
    for f in findings:
        s = f.span
        head = Text()
        head.append(f"{f.path}:{s.line}:{s.column}:", style="bold")
        head.append(" ")
        head.append(f.code, style="bold magenta")
        head.append(f" [{f.severity}] ", style=SEVERITY_STYLE.get(f.severity, ""))
        head.append(f.message)
        console.print(head)
        if source_line is not None:
            text = source_line(f.path, s.line)
            if text.strip():
                before, under, caret = excerpt(text, s.column, s.end_line, s.line, s.end_column)
                rest = text.replace("\t", " ")[len(before) + len(under) :]
                gutter = f"{s.line:>5} | "
                # The gutter alone is dim: a style given to Text() would cover all that is appended.
                body = Text()
                body.append(gutter, style="dim")
                body.append(before)
                body.append(under, style=SEVERITY_STYLE.get(f.severity, ""))
                body.append(rest)
                console.print(body)
                marker = Text()
                marker.append(" " * (len(gutter) - 2) + "| ", style="dim")
                marker.append(" " * len(before))
                marker.append(caret.lstrip(" "), style=SEVERITY_STYLE.get(f.severity, ""))
                console.print(marker)
    style = "bold red" if counts["error"] else "bold yellow" if counts["findings"] else "bold green"
    console.print(Text(summary_line(counts), style=style))
