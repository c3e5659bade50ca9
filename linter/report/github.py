"""`--format github`: GitHub Actions workflow commands, which the runner turns into annotations on
the run and on the pull request's diff.

    ::warning file=Dockerfile,line=1,endLine=1,col=6,endColumn=12,title=DF001 base-image-untagged::...

error and warning keep their names; info becomes `::notice`. GitHub places columns only within
one line, so `col` and `endColumn` are written for single-line spans only; `endColumn` is the
column of the last offending character (shiplint's own end columns are exclusive). Values are
escaped as the runner unescapes them: in the message `%`, CR and LF; in properties also `:` and
`,`, which would otherwise end the value. Paths must be relative to the repository root for the
annotation to land on the file, so run shiplint from there.
"""

from __future__ import annotations

from linter.findings import portable_path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO

    from linter.findings import Finding

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(f: Finding) -> str:
    s = f.span
    props = [f"file={escape_property(portable_path(f.path))}", f"line={s.line}"]
    end_line = max(s.end_line, s.line)
    props.append(f"endLine={end_line}")
    if end_line == s.line:
        props += [f"col={s.column}", f"endColumn={max(s.end_column - 1, s.column)}"]
    props.append(f"title={escape_property(f'{f.code} {f.name}')}")
    return f"::{COMMANDS.get(f.severity, 'warning')} {','.join(props)}::{escape_data(f.message)}"


def render(findings: list[Finding], files: int, out: TextIO, **_: object) -> None:
    for f in findings:
        out.write(command(f) + "\n")
