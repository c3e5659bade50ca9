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
    from linter.ir.kubernetes import Manifest
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
    """Only the file's real comment lines count: not text in a heredoc body or a continuation."""
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
    comment_lines = {line for line, _ in df.comments}
    lines = df.source.lines
    for line_no, text in df.comments:
        m = IGNORE_COMMENT.search(text)
        if not m:
            continue
        if m.group(1):
            sup.global_.update(split_selectors(m.group(2)))
            continue
        target = line_no + 1
        while target in comment_lines:
            target += 1
        if target <= len(lines) and lines[target - 1].strip() and target not in starts:
            sup.add(target, target, split_selectors(m.group(2)))
    return sup


def for_yaml(source: SourceFile, manifest: Manifest | None = None) -> LineSuppressions:
    sup = LineSuppressions()
    if "shiplint" not in source.text:
        return sup
    inside = scalar_cover(manifest) if manifest is not None else {}
    for i, line in enumerate(source.lines, start=1):
        m = IGNORE_COMMENT.search(line)
        if not m or in_scalar(inside, i, m.start() + 1):
            continue  # text inside a string (a block scalar, a quoted value) is not a comment
        selectors = split_selectors(m.group(2))
        if m.group(1):
            sup.global_.update(selectors)
        elif line.lstrip().startswith("#"):
            sup.add(i, i + 1, selectors)
        else:
            sup.add(i, i, selectors)
    return sup


def scalar_cover(manifest: Manifest) -> dict[int, list[tuple[int, int]]]:
    """Per line, the column ranges [start, end) that string scalars cover (whole lines inside a
    multi-line scalar are covered from column 1)."""
    from linter.ir.kubernetes import YMap, YScalar, YSeq

    cover: dict[int, list[tuple[int, int]]] = {}
    stack: list[object] = [r.node for r in manifest.resources]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, YMap):
            for key, value in node.entries.values():
                stack.append(key)
                stack.append(value)
        elif isinstance(node, YSeq):
            stack.extend(node.items)
        elif isinstance(node, YScalar) and isinstance(node.value, str):
            sp = node.span
            if sp.line == sp.end_line:
                cover.setdefault(sp.line, []).append((sp.column, sp.end_column))
            else:
                cover.setdefault(sp.line, []).append((sp.column, 1 << 30))
                for line in range(sp.line + 1, sp.end_line + 1):
                    cover.setdefault(line, []).append((1, 1 << 30))
    return cover


def in_scalar(cover: dict[int, list[tuple[int, int]]], line: int, column: int) -> bool:
    return any(start <= column < end for start, end in cover.get(line, ()))
