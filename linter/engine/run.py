"""The engine: reads each file once, parses it once, walks its IR once, and hands every node to the
rules that target its kind through a dispatch table. Config (select/ignore, severities,
parameters, per-path ignores) and suppressions are applied here, so checks stay pure.
"""

from __future__ import annotations

import os
from fnmatch import fnmatch

from linter.engine import suppress
from linter.findings import Finding
from linter.ir.kubernetes import PodView
from linter.ir.source import SourceFile

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from linter.checks import CheckFn, Hit
    from linter.config import Config
    from linter.engine.catalog import Rule
    from linter.ir.dockerfile import Dockerfile
    from linter.ir.kubernetes import Manifest

    Key = tuple[str, ...]


class ActiveRule:
    """A rule as this run applies it: its effective severity and parameters, and its check."""

    __slots__ = ("params", "rule", "run", "severity")

    def __init__(self, rule: Rule, severity: str, params: dict[str, object]) -> None:
        self.rule = rule
        self.severity = severity
        self.params = params
        self.run: Callable[[object, object], Iterable[Hit]] = _implementation(rule)

    def admits(self, key: Key) -> bool:
        """Whether a node with this dispatch key is in the rule's scope."""
        rule, scope = self.rule, self.rule.scope
        target = key[0]
        if target != rule.target:
            return False
        if target == "file":
            return rule.language in ("any", key[1])
        if target == "instruction":
            return "instructions" not in scope or key[1] in scope["instructions"]
        if target in ("resource", "pod", "container"):
            kind = key[1]
            if "kinds" in scope and kind not in scope["kinds"]:
                return False
            if kind in scope.get("exclude-kinds", ()):
                return False
            if target == "container" and "container-types" in scope:
                return key[2] in scope["container-types"]
        return True


def _implementation(rule: Rule) -> Callable[[object, object], Iterable[Hit]]:
    if rule.condition is not None:
        from linter.checks.schema_condition import Condition

        compiled = Condition(rule.condition["schema"])  # type: ignore[arg-type]

        def condition(node: object, ctx: object) -> Iterable[Hit]:
            # A pod condition is written against the pod spec; container and resource
            # conditions against their own mapping.
            ynode = node.spec if isinstance(node, PodView) else node.node  # type: ignore[attr-defined]
            return compiled.evaluate(ynode)

        return condition
    from linter.checks import find_check

    fn: CheckFn | None = find_check(rule.check or "")
    if fn is None:  # the catalog validates check names; this is a defect, not bad input
        raise RuntimeError(f"{rule.code}: unknown check {rule.check!r}")
    return fn  # type: ignore[return-value]


class _Args(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class Engine:
    def __init__(
        self,
        rules: list[Rule],
        config: Config,
        select: list[str] | None = None,
        ignore: list[str] | None = None,
    ) -> None:
        self.config = config
        self.rules = rules
        select = select if select is not None else config.select
        ignore = (ignore or []) + config.ignore
        self.active: list[ActiveRule] = []
        for rule in rules:
            if select is not None:
                on = any(rule.matches(s) for s in select)
            else:
                on = rule.enabled or any(rule.matches(s) for s in config.enable)
            if not on or any(rule.matches(s) for s in ignore):
                continue
            severity = rule.severity
            for sel, sev in config.severity.items():
                if rule.matches(sel):
                    severity = sev
            params = dict(rule.parameters)
            for sel, values in config.parameters.items():
                if rule.matches(sel):
                    params.update(values)
            self.active.append(ActiveRule(rule, severity, params))
        self._table: dict[Key, list[ActiveRule]] = {}

    def rules_for(self, key: Key) -> list[ActiveRule]:
        """The dispatch table: which rules want a node of this kind, computed once per kind."""
        found = self._table.get(key)
        if found is None:
            found = self._table[key] = [a for a in self.active if a.admits(key)]
        return found

    # -- walking -----------------------------------------------------------------------------

    def lint(self, source: SourceFile, document: Dockerfile | Manifest | None) -> list[Finding]:
        from linter.checks import Context

        findings: list[Finding] = []
        path_ignores = self._path_ignores(source.path)
        contexts: dict[int, Context] = {}

        def emit(
            key: Key,
            node: object,
            obj: str | None = None,
            container: str | None = None,
            extra_ignores: frozenset[str] = frozenset(),
        ) -> None:
            for active in self.rules_for(key):
                ctx = contexts.get(id(active))
                if ctx is None:
                    ctx = contexts[id(active)] = Context(active.params, source, document)
                rule = active.rule
                if extra_ignores and any(rule.matches(s) for s in extra_ignores):
                    continue
                for span, args in active.run(node, ctx):
                    findings.append(
                        Finding(
                            rule.code,
                            rule.name,
                            active.severity,
                            rule.message.format_map(_Args(args)),
                            source.path,
                            span,
                            rule.aliases,
                            obj,
                            container,
                        )
                    )

        emit(("file", source.kind), source)
        if document is not None:
            if source.kind == "dockerfile":
                self._walk_dockerfile(document, emit)  # type: ignore[arg-type]
            else:
                self._walk_manifest(document, emit)  # type: ignore[arg-type]
        return self._filter(findings, source, document, path_ignores)

    def _walk_dockerfile(self, df: Dockerfile, emit: Callable[..., None]) -> None:
        emit(("dockerfile",), df)
        for stage in df.stages:
            emit(("stage",), stage)
        for ins in df.instructions:
            emit(("instruction", ins.keyword), ins)
            if ins.inner is not None:
                emit(("instruction", ins.inner.keyword), ins.inner)

    def _walk_manifest(self, manifest: Manifest, emit: Callable[..., None]) -> None:
        emit(("manifest",), manifest)
        for r in manifest.resources:
            obj = r.object_id
            ignores = suppress.split_selectors(r.annotations.get(suppress.ANNOTATION, ""))
            emit(("resource", r.kind), r, obj, None, ignores)
            pod = PodView.of(r)
            if pod is None:
                continue
            emit(("pod", r.kind), pod, obj, None, ignores)
            for c in pod.containers:
                emit(("container", r.kind, c.type), c, obj, c.name, ignores)

    def _path_ignores(self, path: str) -> frozenset[str]:
        if not self.config.per_path_ignores:
            return frozenset()
        absolute = os.path.abspath(path)
        rel = os.path.relpath(absolute, self.config.root).replace(os.sep, "/")
        out: set[str] = set()
        for pattern, selectors in self.config.per_path_ignores.items():
            if fnmatch(rel, pattern) or fnmatch(rel, pattern.rstrip("/") + "/*"):
                out.update(selectors)
        return frozenset(out)

    def _filter(
        self, findings: list[Finding], source: SourceFile, document: object, path_ignores: frozenset[str]
    ) -> list[Finding]:
        if not findings:
            return findings
        if source.kind == "dockerfile" and document is not None:
            lines = suppress.for_dockerfile(document)  # type: ignore[arg-type]
        else:
            lines = suppress.for_yaml(source)
        by_code = {a.rule.code: a.rule for a in self.active}
        kept = []
        for f in findings:
            silenced = lines.at(f.span.line) | path_ignores
            if silenced and any(by_code[f.code].matches(s) for s in silenced):
                continue
            kept.append(f)
        kept.sort(key=Finding.sort_key)
        return kept


# -- reading and parsing files ------------------------------------------------------------------


def read_source(path: str, kind: str, max_size: int, text: str | None = None) -> SourceFile:
    """Read a file as UTF-8 text. Whatever goes wrong becomes a problem on the SourceFile, which
    a rule then reports; nothing here raises on bad input."""
    if text is not None:
        return SourceFile(path, text, kind)
    source = SourceFile(path, "", kind)
    try:
        size = os.path.getsize(path)
        if size > max_size:
            source.problem(
                "too-large",
                source.end_span(),
                f"the file is {size / 1048576:.1f} MiB, over the {max_size / 1048576:.0f} MiB "
                "limit (max-file-size); it was not parsed",
            )
            return source
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        source.problem("unreadable", source.end_span(), f"cannot read the file: {e.strerror or e}")
        return source
    if b"\0" in data[:8192]:
        source.problem("binary", source.end_span(), "the file is binary, not text")
        return source
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        col = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        source.problem("encoding", _point(line, col), f"the file is not valid UTF-8 (byte {e.start})")
        return source
    source.text = text
    return source


def _point(line: int, col: int):  # type: ignore[no-untyped-def]
    from linter.ir.source import Span

    return Span(line, col, line, col + 1)


def parse(source: SourceFile) -> Dockerfile | Manifest | None:
    """Parse a source once into its IR, or None when it could not be read."""
    if source.problems and not source.text:
        return None
    if source.kind == "dockerfile":
        from linter.parsers.dockerfile import parse_dockerfile

        return parse_dockerfile(source)
    from linter.parsers.yaml import parse_manifest

    return parse_manifest(source)


def lint_sources(engine: Engine, sources: Iterable[SourceFile]) -> Iterator[tuple[SourceFile, list[Finding]]]:
    for source in sources:
        yield source, engine.lint(source, parse(source))
