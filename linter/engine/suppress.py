"""Inline suppressions.

Dockerfile: `# shiplint ignore=CODE[,CODE]` in the comment block directly above an instruction
silences those rules on that instruction; `# shiplint global ignore=...` anywhere silences them in
the whole file. The peers' forms work the same way: hadolint's `# hadolint ignore=DL3008,SC2086`
and `# hadolint global ignore=...` (their ids read as `hadolint:DL3008` and `shellcheck:SC2086`),
and BuildKit's parser directive `# check=skip=JSONArgsRecommended,StageNameCasing` (or
`skip=all`), which silences the rules aliased to those BuildKit checks in the whole file.

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


# hadolint's pragma (Hadolint/Pragma.hs): `hadolint`, an optional `global`, `ignore=`, then codes
# separated by commas. Its codes are DLxxxx (hadolint's own) and SCxxxx (ShellCheck's).
HADOLINT_COMMENT = re.compile(
    r"#\s*hadolint\s+(global\s+)?ignore\s*=\s*([A-Za-z0-9]+(?:\s*,\s*[A-Za-z0-9]+)*)"
)
# The 22 checks of `docker build --check` (BuildKit's linter ruleset): `# check=skip=all` means these.
BUILDKIT_CHECKS = (
    "ConsistentInstructionCasing",
    "CopyIgnoredFile",
    "DuplicateStageName",
    "ExposeInvalidFormat",
    "ExposeProtoCasing",
    "FromAsCasing",
    "FromPlatformFlagConstDisallowed",
    "InvalidBaseImagePlatform",
    "InvalidDefaultArgInFrom",
    "InvalidDefinitionDescription",
    "JSONArgsRecommended",
    "LegacyKeyValueFormat",
    "MaintainerDeprecated",
    "MultipleInstructionsDisallowed",
    "NoEmptyContinuation",
    "RedundantTargetPlatform",
    "ReservedStageName",
    "SecretsUsedInArgOrEnv",
    "StageNameCasing",
    "UndefinedArgInFrom",
    "UndefinedVar",
    "WorkdirRelativePath",
)


def hadolint_selectors(text: str) -> frozenset[str]:
    """hadolint's codes as shiplint selectors: `DL3008` -> `hadolint:DL3008`, `SC2086` ->
    `shellcheck:SC2086`, so that they match the aliases of rules and findings, never a shiplint
    code or name by accident."""
    out = set()
    for code in split_selectors(text):
        tool = "shellcheck" if code.upper().startswith("SC") else "hadolint"
        out.add(f"{tool}:{code.upper()}")
    return frozenset(out)


def check_skip_selectors(value: str) -> frozenset[str]:
    """The selectors of BuildKit's `# check=skip=A,B;error=true` directive: `buildkit:A`,
    `buildkit:B`; `skip=all` names every BuildKit check. Other options (`error`, `experimental`)
    do not skip anything."""
    out: set[str] = set()
    for part in value.split(";"):
        key, eq, names = part.partition("=")
        if not eq or key.strip() != "skip":
            continue
        names = names.strip()
        chosen = BUILDKIT_CHECKS if names == "all" else [n.strip() for n in names.split(",")]
        out.update(f"buildkit:{n}" for n in chosen if n)
    return frozenset(out)


def _comment_selectors(text: str) -> tuple[bool, frozenset[str]] | None:
    """(global?, selectors) of a suppression comment, shiplint's or hadolint's; None otherwise."""
    m = IGNORE_COMMENT.search(text)
    if m:
        return bool(m.group(1)), split_selectors(m.group(2))
    m = HADOLINT_COMMENT.search(text)
    if m:
        return bool(m.group(1)), hadolint_selectors(m.group(2))
    return None


def for_dockerfile(df: Dockerfile) -> LineSuppressions:
    """Only the file's real comment lines count: not text in a heredoc body or a continuation.

    A hadolint pragma applies, like shiplint's own, anywhere in the comment block directly above
    the instruction (hadolint itself reads only the line right above)."""
    sup = LineSuppressions()
    directive = df.directives.get("check")
    if directive is not None:
        sup.global_.update(check_skip_selectors(directive[0]))
    text = df.source.text
    if "shiplint" not in text and "hadolint" not in text:
        return sup
    for ins in df.instructions:
        for _, comment in ins.comments:
            found = _comment_selectors(comment)
            if found is not None and not found[0]:
                last = max([ins.span.end_line] + [h.body_span.end_line for h in ins.heredocs])
                sup.add(ins.span.line, last, found[1])
    # A line that did not parse as an instruction (an unknown keyword, a stray line) has no comment
    # block in the IR: a suppression directly above it applies to that line, so that its DF000
    # can be silenced like any other finding.
    starts = {ins.span.line for ins in df.instructions}
    comment_lines = {line for line, _ in df.comments}
    lines = df.source.lines
    for line_no, comment in df.comments:
        found = _comment_selectors(comment)
        if found is None:
            continue
        is_global, selectors = found
        if is_global:
            sup.global_.update(selectors)
            continue
        target = line_no + 1
        while target in comment_lines:
            target += 1
        if target <= len(lines) and lines[target - 1].strip() and target not in starts:
            sup.add(target, target, selectors)
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
