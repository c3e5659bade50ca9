"""`--format checkstyle`: checkstyle's XML report, which Jenkins (warnings-ng), reviewdog, Danger
and many code review tools read.

Every linted file gets a <file> element, an empty one when it has no findings, as checkstyle
itself writes. Severities keep their names (checkstyle has error, warning and info); `source` is
`shiplint.CODE`.
"""

from __future__ import annotations

from linter.report import by_file, is_unicode
from linter.report._xml import DECLARATION, attr

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import TextIO

    from linter.findings import Finding


def render(findings: list[Finding], files: int, out: TextIO, paths: Sequence[str] = (), **_: object) -> None:
    a = not is_unicode(out)
    write = out.write
    write(DECLARATION)
    write('<checkstyle version="4.3">\n')
    for path, group in by_file(findings, paths).items():
        if not group:
            write(f"  <file name={attr(path, a)}/>\n")
            continue
        write(f"  <file name={attr(path, a)}>\n")
        for f in group:
            write(
                f'    <error line="{f.span.line}" column="{f.span.column}" severity={attr(f.severity, a)} '
                f"message={attr(f.message, a)} source={attr('shiplint.' + f.code, a)}/>\n"
            )
        write("  </file>\n")
    write("</checkstyle>\n")
