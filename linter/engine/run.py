"""The engine: reads each file once, parses it once, walks its IR once, and hands every node to the
rules that target its kind through a dispatch table. Config (select/ignore, severities,
parameters, per-path ignores) and suppressions are applied here, so checks stay pure.
"""

from __future__ import annotations

import os
from fnmatch import fnmatch

from linter.engine import suppress
from linter.findings import Finding

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from linter.checks import Hit
    from linter.config import Config
    from linter.engine.catalog import Rule
    from linter.ir.dockerfile import Dockerfile
    from linter.ir.kubernetes import Manifest
    from linter.ir.source import SourceFile

    Key = tuple[str, ...]


class ActiveRule:
    """A rule as this run applies it: its effective severity and parameters, and its check."""

    __slots__ = ("_run", "params", "rule", "severity")

    def __init__(self, rule: Rule, severity: str, params: dict[str, object]) -> None:
        self.rule = rule
        self.severity = severity
        self.params = params
        self._run: Callable[[object, object], Iterable[Hit]] | None = None

    def run(self, node: object, ctx: object) -> Iterable[Hit]:
        # Resolved on first use, so that a run pays only for the checks its files need.
        if self._run is None:
            self._run = _implementation(self.rule)
        return self._run(node, ctx)

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
        # `os` is not part of the dispatch key (one pod kind may run on either system): it is
        # honoured per node by the wrapper _implementation puts around the rule's check.
        return True


def _implementation(rule: Rule) -> Callable[[object, object], Iterable[Hit]]:
    run = _unscoped_implementation(rule)
    systems = rule.scope.get("os")
    if not systems or rule.target not in ("pod", "container"):
        return run

    def scoped(node: object, ctx: object) -> Iterable[Hit]:
        # A rule for Linux-only fields does not apply to Windows pods: the API rejects them there.
        pod = getattr(node, "pod", node)
        system = "windows" if getattr(pod, "is_windows", False) else "linux"
        return run(node, ctx) if system in systems else ()

    return scoped


def _unscoped_implementation(rule: Rule) -> Callable[[object, object], Iterable[Hit]]:
    if rule.condition is not None:
        from linter.checks.schema_condition import Condition

        compiled = Condition(rule.condition["schema"])  # type: ignore[arg-type]

        def condition(node: object, ctx: object) -> Iterable[Hit]:
            from linter.ir.kubernetes import PodView, locate

            # A pod condition is written against the pod spec; container and resource
            # conditions against their own mapping.
            if not isinstance(node, PodView):
                return compiled.evaluate(node.node)  # type: ignore[attr-defined]
            hits: list[Hit] = []
            for path, message in compiled.errors(node.spec.to_python()):
                # A key missing from the pod spec itself: point at the `spec` key that holds it,
                # not at whatever key the spec happens to start with.
                where = (node.template.key_span("spec") if not path else None) or locate(node.spec, path)
                hits.append((where, {"detail": message}))
            return hits

        return condition
    from linter.checks import find_check

    found = find_check(rule.check or "")
    if found is None:  # the catalog validates check names; this is a defect, not bad input
        raise RuntimeError(f"{rule.code}: unknown check {rule.check!r}")
    return found.fn  # type: ignore[return-value]


def _by_specificity(rule: Rule, table: Mapping[str, object]) -> list[str]:
    """The selectors of a config table that match a rule, least specific first, so that applying
    them in order lets `KS202: error` win over `KS: info` whatever order the file has: `all`,
    then code prefixes (shorter first), then an exact code, name or alias."""

    def rank(sel: str) -> tuple[int, int]:
        s = sel.strip()
        if s.lower() == "all":
            return (0, 0)
        if s.upper() != rule.code and rule.code.startswith(s.upper()) and s.lower() != rule.name:
            return (1, len(s))
        return (2, 0)

    return sorted((s for s in table if rule.matches(s)), key=rank)


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
        overrides: dict[str, object] | None = None,
    ) -> None:
        """`overrides` are parameter values from the command line (--kubernetes-version,
        --no-strict): they apply to every rule that has a parameter of that name, over the
        config's values."""
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
            for sel in _by_specificity(rule, config.severity):
                severity = config.severity[sel]
            params = dict(rule.parameters)
            for sel in _by_specificity(rule, config.parameters):
                params.update(config.parameters[sel])
            params.update((k, v) for k, v in (overrides or {}).items() if k in rule.parameters)
            self.active.append(ActiveRule(rule, severity, params))
        self._table: dict[Key, list[ActiveRule]] = {}
        self.errors: list[str] = []  # rules that failed on some node (defects, reported as such)

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
                try:
                    for span, args in active.run(node, ctx):
                        findings.append(
                            Finding(
                                rule.code,
                                rule.name,
                                active.severity,
                                rule.message.format_map(
                                    _Args({"container": container, "object": obj, **args})
                                ),
                                source.path,
                                span,
                                rule.aliases,
                                obj,
                                container,
                            )
                        )
                except Exception as e:  # one failing rule must not hide the others' findings
                    self.errors.append(f"{source.path}: rule {rule.code} failed: {type(e).__name__}: {e}")

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
        from linter.ir.kubernetes import PodView

        emit(("manifest",), manifest)
        for r in manifest.resources:
            obj = r.object_id
            ignores = suppress.split_selectors(r.annotations.get(suppress.ANNOTATION, ""))
            pod = PodView.of(r)
            if pod is not None and pod.template is not r.node:
                # The pod template's annotation silences rules on the pods it makes.
                template_ignores = pod.template_annotations.get(suppress.ANNOTATION, "")
                ignores |= suppress.split_selectors(template_ignores)
            emit(("resource", r.kind), r, obj, None, ignores)
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
            lines = suppress.for_yaml(source, document)  # type: ignore[arg-type]
        by_code = {a.rule.code: a.rule for a in self.active}
        kept = []
        for f in findings:
            silenced = lines.at(f.span.line) | path_ignores
            if silenced and any(by_code[f.code].matches(s) for s in silenced):
                continue
            kept.append(f)
        kept.sort(key=Finding.sort_key)
        return kept
