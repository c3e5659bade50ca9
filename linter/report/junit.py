"""`--format junit`: JUnit XML, which most CI systems show as a test report.

One testsuite per linted file, named by its path, and within it one testcase per finding, each
failing with the finding's message (severity and rule code in the failure's `type`). A file
without findings is a suite with one passing testcase, so the report counts what was checked
and not only what failed. Per file rather than per rule because that is how a reader fixes
things: a file at a time, and CI test views group by suite.
"""

from __future__ import annotations

from linter.report import by_file, is_unicode
from linter.report._xml import DECLARATION, attr, text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import TextIO

    from linter.findings import Finding


def render(findings: list[Finding], files: int, out: TextIO, paths: Sequence[str] = (), **_: object) -> None:
    a = not is_unicode(out)
    groups = by_file(findings, paths)
    tests = sum(max(len(g), 1) for g in groups.values())
    write = out.write
    write(DECLARATION)
    write(f'<testsuites name="shiplint" tests="{tests}" failures="{len(findings)}" errors="0">\n')
    for path, group in groups.items():
        p = attr(path, a)
        write(f'  <testsuite name={p} tests="{max(len(group), 1)}" failures="{len(group)}" ')
        write('errors="0" skipped="0">\n')
        if not group:
            write(f'    <testcase classname={p} name="shiplint" file={p}/>\n')
        for f in group:
            s = f.span
            name = attr(f"{f.code} {f.name} at {s.line}:{s.column}", a)
            write(f'    <testcase classname={p} name={name} file={p} line="{s.line}">\n')
            detail = f"{path}:{s.line}:{s.column}: {f.code} [{f.severity}] {f.message}"
            if f.object:
                detail += f"\nobject: {f.object}"
            if f.container:
                detail += f"\ncontainer: {f.container}"
            write(f"      <failure message={attr(f.message, a)} type={attr(f'{f.severity} {f.code}', a)}>")
            write(f"{text(detail, a)}</failure>\n    </testcase>\n")
        write("  </testsuite>\n")
    write("</testsuites>\n")
