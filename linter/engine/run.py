"""The engine: reads each file once, parses it once, walks its IR once, and hands every node to the
rules that target its kind through a dispatch table. Config (select/ignore, severities,
parameters, per-path ignores) and suppressions are applied here, so checks stay pure.
"""

from __future__ import annotations

import os
from fnmatch import fnmatch

from linter.engine import suppress
from linter.findings import SEVERITIES, Finding

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from linter.checks import Hit, Share
    from linter.config import Config
    from linter.engine.catalog import Rule
    from linter.ir.dockerfile import Dockerfile
    from linter.ir.inventory import ObjectSummary
    from linter.ir.kubernetes import Manifest
    from linter.ir.source import SourceFile, Span

    Key = tuple[str, ...]


class ActiveRule:
    """A rule as this run applies it: its effective severity and parameters, and its check."""

    __slots__ = ("_run", "configured", "params", "rule", "severity")

    def __init__(
        self, rule: Rule, severity: str, params: dict[str, object], configured: bool = False
    ) -> None:
        self.rule = rule
        self.severity = severity
        self.configured = configured  # the severity comes from the user's config
        self.params = params
        self._run: Callable[[object, object], Iterable[Hit]] | None = None

    def finding(
        self,
        args: dict[str, object],
        path: str,
        span: Span,
        obj: str | None = None,
        container: str | None = None,
    ) -> Finding:
        """A finding of this rule from a check's hit. Two keys of `args` are the engine's: `alias`
        adds an alias to this finding alone (ShellCheck's SC codes), `severity` sets this finding's
        severity unless the config sets the rule's."""
        rule = self.rule
        aliases = rule.aliases
        severity = self.severity
        if "alias" in args:
            aliases = (*aliases, str(args["alias"]))
        if "severity" in args and not self.configured and args["severity"] in SEVERITIES:
            severity = str(args["severity"])
        message = rule.message.format_map(_Args({"container": container, "object": obj, **args}))
        return Finding(rule.code, rule.name, severity, message, path, span, aliases, obj, container)

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
        if target == "command":
            return "commands" not in scope or key[1] in scope["commands"]
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
            configured = False
            for sel in _by_specificity(rule, config.severity):
                severity = config.severity[sel]
                configured = True
            params = dict(rule.parameters)
            for sel in _by_specificity(rule, config.parameters):
                params.update(config.parameters[sel])
            params.update((k, v) for k, v in (overrides or {}).items() if k in rule.parameters)
            self.active.append(ActiveRule(rule, severity, params, configured))
        # Selectors that name no rule but may name a finding's own alias (`--ignore SC2086`).
        self.finding_ignores = frozenset(s for s in ignore if not any(r.matches(s) for r in rules))
        self._table: dict[Key, list[ActiveRule]] = {}
        self._targets: dict[str, bool] = {}
        self._shares: list[tuple[str, type[Share], dict[str, object]]] | None = None
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
                        findings.append(active.finding(args, source.path, span, obj, container))
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
        commands = self._wants("command")
        if commands:
            from linter.shell import bind, commands_of

            bind(df)  # the SHELL each RUN runs with, inherited through FROM <stage>
        for ins in df.instructions:
            for node in (ins, ins.inner):
                if node is None:
                    continue
                emit(("instruction", node.keyword), node)
                if commands and node.keyword == "RUN":
                    for cmd in commands_of(node):
                        emit(("command", cmd.name), cmd)

    def _wants(self, target: str) -> bool:
        """Whether any active rule has this target (so that the walk can skip building nodes)."""
        found = self._targets.get(target)
        if found is None:
            found = self._targets[target] = any(a.rule.target == target for a in self.active)
        return found

    # -- batches and the whole run -----------------------------------------------------------

    def prepare(self, items: list[tuple[SourceFile, object]], kinds: set[str] | None = None) -> None:
        """Hand a batch of parsed files to the checks that work in bulk, before linting them: the
        checks of rules for those files' kinds (or for `kinds`, when given)."""
        from linter.checks import find_check

        if kinds is None:
            kinds = {source.kind for source, _ in items}
        for active in self.active:
            ref = active.rule.check
            if ref is None or (active.rule.language not in kinds and active.rule.language != "any"):
                continue
            check = find_check(ref)
            if check is None or check.prepare is None:
                continue
            try:  # once per rule: each rule keeps what it gathers with its own parameters
                check.prepare(items, active.params)
            except Exception as e:  # the rule's findings may be missing; the run goes on
                self.errors.append(f"rule {active.rule.code} failed to prepare: {type(e).__name__}: {e}")

    def _sharing(self) -> list[tuple[str, type[Share], dict[str, object]]]:
        """(rule code, its check's Share, its parameters) of the active rules whose checks have one
        (of those for the kinds given to defer_definitions, once it has been called)."""
        if self._shares is None:
            self._shares = self._find_shares(None)
        return self._shares

    def _find_shares(self, kinds: set[str] | None) -> list[tuple[str, type[Share], dict[str, object]]]:
        from linter.checks import find_check

        out = []
        for active in self.active:
            ref = active.rule.check
            if ref is None or (kinds is not None and active.rule.language not in kinds | {"any"}):
                continue  # (finding the check imports its module: not for kinds not linted)
            check = find_check(ref)
            if check is not None and check.share is not None:
                out.append((active.rule.code, check.share, active.params))
        return out

    def defer_definitions(self, on: bool, kinds: set[str] | None = None) -> None:
        """Lint files before the definitions of other files are known (a parallel run's first
        pass), noting the files that looked for one; or stop doing so. `kinds`: the kinds of
        file in the run, when known."""
        if on:
            self._shares = self._find_shares(kinds)
        for _, share, params in self._sharing():
            share.defer(params, on)

    def take_definitions(self) -> dict[str, object]:
        """What this process's rules gathered since the last call (picklable), by rule code."""
        return {code: share.take(params) for code, share, params in self._sharing()}

    def adopt_definitions(self, taken: list[dict[str, object]]) -> set[str]:
        """Everything the workers took, in the order of the files: returns the paths of the files
        that must be linted again, now that the whole run's definitions are known."""
        again: set[str] = set()
        for code, share, params in self._sharing():
            again |= share.adopt(params, [t[code] for t in taken if code in t])
        return again

    def summarize(self, document: object) -> list[ObjectSummary]:
        """What the whole-run rules need of a linted manifest (nothing if none is active)."""
        if not self._wants("project") or document is None or not hasattr(document, "resources"):
            return []
        from linter.ir.inventory import summarize

        found: list[ObjectSummary] = summarize(document)  # type: ignore[arg-type]
        return found

    def lint_project(
        self,
        objects: list[ObjectSummary],
        sources: Mapping[str, SourceFile],
        context: frozenset[str] = frozenset(),
        comments: Mapping[str, suppress.LineSuppressions] | None = None,
    ) -> list[Finding]:
        """Run the rules across files over the objects of the run, one set at a time, then apply
        suppressions as for any finding: the object's annotations, the file's comments, per-path
        ignores. A set is a directory's files by default (`cross-file-scope`: `file`, `directory`
        or `run`). Objects of the `context` files were read only to relate the others to them:
        findings about them are dropped."""
        if not self._wants("project"):
            return []
        from linter.checks import Context

        scope = self.config.cross_file_scope
        groups: dict[str, list[ObjectSummary]] = {}
        for o in objects:
            if scope == "file" or o.path == "-":  # standard input stands alone
                key = o.path
            else:
                key = os.path.dirname(os.path.abspath(o.path)) if scope == "directory" else ""
            groups.setdefault(key, []).append(o)
        found: list[tuple[Finding, ObjectSummary]] = []
        for active in self.rules_for(("project",)):
            ctx = Context(active.params, None, None)  # type: ignore[arg-type]
            try:
                for group in groups.values():
                    for obj, span, args in active.run(group, ctx):  # type: ignore[misc]
                        if obj.path not in context:
                            found.append((active.finding(args, obj.path, span, obj.object_id), obj))
            except Exception as e:
                self.errors.append(f"rule {active.rule.code} failed: {type(e).__name__}: {e}")
        by_code = {a.rule.code: a.rule for a in self.active}
        lines = dict(comments or {})  # read with each file's IR, so that strings are told apart
        kept = []
        seen: set[tuple[object, ...]] = set()
        for f, obj in found:
            # One finding per place and message: a check that meets the same pair of objects
            # twice (two HPAs for one Deployment and its budget) says it once.
            same = (f.code, f.path, f.span.line, f.span.column, f.span.end_line, f.span.end_column, f.message)
            if same in seen:
                continue
            seen.add(same)
            if f.path not in lines:  # a file with no `shiplint` comment, or linted without a batch
                source = sources.get(f.path)
                lines[f.path] = (
                    suppress.for_yaml(source) if source is not None else suppress.LineSuppressions()
                )
            silenced = object_ignores(obj.annotations, obj.template_annotations)
            silenced |= lines[f.path].at(f.span.line) | self._path_ignores(f.path)
            if silenced and _silenced(by_code[f.code], f, silenced):
                continue
            kept.append(f)
        kept.sort(key=Finding.sort_key)
        return kept

    def _walk_manifest(self, manifest: Manifest, emit: Callable[..., None]) -> None:
        from linter.ir.kubernetes import PodView

        emit(("manifest",), manifest)
        for r in manifest.resources:
            obj = r.object_id
            pod = PodView.of(r)
            # The pod template's annotations silence rules on the pods it makes.
            template = pod.template_annotations if pod is not None and pod.template is not r.node else {}
            ignores = object_ignores(r.annotations, template)
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
        if self.finding_ignores:
            findings = [f for f in findings if not _silenced(None, f, self.finding_ignores)]
        if source.kind == "dockerfile" and document is not None:
            lines = suppress.for_dockerfile(document)  # type: ignore[arg-type]
        else:
            lines = suppress.for_yaml(source, document)  # type: ignore[arg-type]
        by_code = {a.rule.code: a.rule for a in self.active}
        kept = []
        for f in findings:
            silenced = lines.at(f.span.line) | path_ignores
            if silenced and _silenced(by_code[f.code], f, silenced):
                continue
            kept.append(f)
        kept.sort(key=Finding.sort_key)
        return kept


def _silenced(rule: Rule | None, finding: Finding, selectors: Iterable[str]) -> bool:
    """Whether a selector names the rule, or one of this finding's own aliases (`SC2086`,
    `shellcheck:SC2086`). With no rule, only the finding's own aliases count."""
    extra = finding.aliases[len(rule.aliases) :] if rule is not None else finding.aliases
    for s in selectors:
        if rule is not None and rule.matches(s):
            return True
        low = s.strip().lower()
        if any(low == a.lower() or low == a.split(":", 1)[1].lower() for a in extra):
            return True
    return False


def object_ignores(annotations: Mapping[str, str], template_annotations: Mapping[str, str]) -> frozenset[str]:
    """The selectors an object's annotations silence: shiplint's own, and the peers' (kube-linter,
    Polaris, kube-score, checkov), on the object and on its pod template."""
    from linter.engine.peers import object_ignores as peer_ignores

    out: set[str] = set()
    for notes in (annotations, template_annotations):
        if notes:
            out |= suppress.split_selectors(notes.get(suppress.ANNOTATION, ""))
            out |= peer_ignores(notes)
    return frozenset(out)
