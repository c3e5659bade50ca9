"""Inline suppressions.

Dockerfile: `# shiplint ignore=CODE[,CODE]` in the comment block directly above an instruction
silences those rules on that instruction; `# shiplint global ignore=...` anywhere silences them in
the whole file.

Manifests: the annotation `shiplint.dev/ignore: "CODE,name"` on an object silences those rules on
that object; a comment `# shiplint ignore=CODE` at the end of a line or on its own line silences
them on that line (the own-line form also on the line below it).

A selector is anything `Rule.matches` accepts: a code, a name, an alias or `all`.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from linter.ir.dockerfile import Dockerfile
    from linter.ir.source import SourceFile

# The selectors are a comma-separated list (spaces allowed around the commas); the first word after
# it ends the list, so that an explanation can follow (`ignore=KS101 pinned by digest upstream`)
# without its words being read as selectors, least of all `all`.
_SELECTOR = r"[A-Za-z0-9_.:\-]+"
IGNORE_COMMENT = re.compile(rf"#\s*shiplint\s+(global\s+)?ignore\s*=\s*({_SELECTOR}(?:\s*,\s*{_SELECTOR})*)")
ANNOTATION = "shiplint.dev/ignore"


def split_selectors(text: str) -> frozenset[str]:
    return frozenset(s.strip() for s in text.replace(" ", ",").split(",") if s.strip())


class LineSuppressions:
    """Selectors silenced per line, plus file-wide ones."""

    __slots__ = ("by_line", "global_")

    def __init__(self) -> None:
        self.by_line: dict[int, set[str]] = {}
        self.global_: set[str] = set()

    def add(self, first: int, last: int, selectors: frozenset[str]) -> None:
        for line in range(first, last + 1):
            self.by_line.setdefault(line, set()).update(selectors)

    def at(self, line: int) -> set[str]:
        return self.by_line.get(line, set()) | self.global_ if self.global_ else self.by_line.get(line, set())


def for_dockerfile(df: Dockerfile) -> LineSuppressions:
    sup = LineSuppressions()
    if "shiplint" not in df.source.text:
        return sup
    for ins in df.instructions:
        for _, text in ins.comments:
            m = IGNORE_COMMENT.search(text)
            if m and not m.group(1):
                last = max([ins.span.end_line] + [h.body_span.end_line for h in ins.heredocs])
                sup.add(ins.span.line, last, split_selectors(m.group(2)))
    # A line that did not parse as an instruction (an unknown keyword, a stray line) has no comment
    # block in the IR: a suppression directly above it applies to that line, so that its DF000
    # can be silenced like any other finding.
    starts = {ins.span.line for ins in df.instructions}
    lines = df.source.lines
    for i, line in enumerate(lines):
        m = IGNORE_COMMENT.search(line)
        if not m or not line.lstrip().startswith("#"):
            continue
        if m.group(1):
            sup.global_.update(split_selectors(m.group(2)))
            continue
        j = i + 1
        while j < len(lines) and lines[j].lstrip().startswith("#"):
            j += 1
        if j < len(lines) and lines[j].strip() and j + 1 not in starts:
            sup.add(j + 1, j + 1, split_selectors(m.group(2)))
    return sup


def for_yaml(source: SourceFile) -> LineSuppressions:
    sup = LineSuppressions()
    if "shiplint" not in source.text:
        return sup
    for i, line in enumerate(source.lines, start=1):
        m = IGNORE_COMMENT.search(line)
        if not m:
            continue
        selectors = split_selectors(m.group(2))
        if m.group(1):
            sup.global_.update(selectors)
        elif line.lstrip().startswith("#"):
            sup.add(i, i + 1, selectors)
        else:
            sup.add(i, i, selectors)
    return sup
