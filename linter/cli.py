"""The command line: arguments, exit codes, and the wiring of discovery, engine and reporters.

Exit codes: 0 when no finding is at or above the --fail-on threshold, 1 when one is, 2 on a
usage or config error or an internal failure (after the other files were linted).
"""

from __future__ import annotations

import os
import sys

from linter.argv import HelpRequested, UsageError, one, parse_options

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from linter.config import Config
    from linter.discover import Candidate
    from linter.engine.catalog import Rule
    from linter.engine.load import Loaded
    from linter.engine.run import Engine
    from linter.engine.suppress import LineSuppressions
    from linter.findings import Finding
    from linter.ir.inventory import ObjectSummary
    from linter.ir.kubernetes import Manifest
    from linter.ir.source import SourceFile

HELP = """\
usage: shiplint check [PATH ...] [options]      lint Dockerfiles and Kubernetes manifests
       shiplint rules [--format text|json]      list the rule catalog
       shiplint rule CODE|NAME [--config FILE]  show one rule's documentation and examples
       shiplint simulate PATH... --cluster FILE  dry-run kube-scheduler on a modeled cluster
                                                (see shiplint simulate --help)
       shiplint lsp [--debounce MS]             language server for editors, over stdio
       shiplint --version

check options:
  PATH                    files or directories (default: .); '-' reads standard input
  --format FORMAT         text (default), json, sarif, github, gitlab, junit or checkstyle
  --output FORMAT=FILE    also write the report in FORMAT to FILE; repeatable
                          (--format text --output sarif=shiplint.sarif)
  --baseline FILE         report only findings that are not recorded in FILE
  --write-baseline FILE   record today's findings in FILE (and exit 0 unless an error occurs)
  --select RULES          run only these rules (codes, code prefixes, names, aliases, 'all');
                          comma-separated, repeatable
  --ignore RULES          never run these rules
  --fail-on LEVEL         error, warning, info or never (default: warning)
  --config FILE           use this config file instead of searching for one
  --stdin-filename NAME   what '-' is, for choosing Dockerfile or manifest rules
  --no-source             print findings without the source line and caret
  --skip-non-manifests    treat named YAML/JSON files as a directory walk does: skip those that
                          hold no Kubernetes objects, and Helm templates (for pre-commit)
  --kubernetes-version X.Y  validate against this Kubernetes version's API (default: the newest
                          bundled; also `kubernetes-version` in the config)
  --no-strict             allow fields the API schema does not know
  --cluster FILE          also dry-run the scheduler on this cluster model: one SCH001 error per
                          workload with replicas that would stay Pending

exit status: 0 no finding at or above --fail-on; 1 some finding is; 2 usage, config or internal error

environment: text output is coloured on a terminal. FORCE_COLOR (non-empty) colours it anywhere;
NO_COLOR (non-empty) never colours it, and wins over FORCE_COLOR (https://no-color.org).
A run of 64 files or more is split over one worker process per core; SHIPLINT_JOBS=1 keeps it in
one process (same findings either way).
"""

CHECK_OPTIONS = {  # option -> takes a value
    "--format": True,
    "--select": True,
    "--ignore": True,
    "--fail-on": True,
    "--config": True,
    "--stdin-filename": True,
    "--no-source": False,
    "--skip-non-manifests": False,
    "--output": True,
    "--baseline": True,
    "--write-baseline": True,
    "--cluster": True,
    "--kubernetes-version": True,
    "--no-strict": False,
}
# Each format is a module of linter.report, imported only when a run uses it.
FORMATS = ("text", "json", "sarif", "github", "gitlab", "junit", "checkstyle")
RULES_FORMATS = ("text", "json")
# Formats that need the findings' fingerprints.
FINGERPRINTED = frozenset(("sarif", "gitlab"))
LEVELS = ("error", "warning", "info", "never")


def _selectors(options: dict[str, list[str]], name: str) -> list[str] | None:
    if name not in options:
        return None
    return [s.strip() for v in options[name] for s in v.split(",") if s.strip()]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        # What the terminal's encoding cannot show (a file name that is not UTF-8, a non-ASCII
        # key under LANG=C) is escaped rather than ending the run with a traceback.
        reconfigure(errors="backslashreplace")
    try:
        if not args:
            sys.stderr.write(HELP)
            return 2
        if args[0] in ("-h", "--help", "help"):
            sys.stdout.write(HELP)
            return 0
        if args[0] == "--version":
            from linter import __version__

            print(f"shiplint {__version__}")
            return 0
        command, rest = args[0], args[1:]
        if command == "check":
            return cmd_check(rest)
        if command == "rules":
            return cmd_rules(rest)
        if command == "rule":
            return cmd_rule(rest)
        if command == "simulate":
            from linter.simulate.cli import main as simulate_main

            return simulate_main(rest)
        if command == "lsp":
            from linter.lsp import main as lsp_main

            return lsp_main(rest)
        raise UsageError(f"unknown command {command!r}")
    except UsageError as e:
        print(f"shiplint: {e} (see shiplint --help)", file=sys.stderr)
        return 2
    except HelpRequested:
        sys.stdout.write(HELP)
        return 0
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`shiplint ... | head`): not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as e:  # writing the report failed (a full disk, a closed terminal)
        print(f"shiplint: cannot write the report: {e.strerror or e}", file=sys.stderr)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second failure at exit
        return 2


def entry() -> None:
    """The `shiplint` command: main(), then an exit that skips tearing the interpreter down.

    Freeing every object of a large run one by one at exit (the files' text, their findings)
    took 10-20 ms of a 0.4 s run, for nothing; the output is flushed first, and nothing else is
    left to run (ShellCheck's copies and the worker processes are cleaned up in `finally` blocks
    before main returns)."""
    from contextlib import suppress

    code = main()
    for stream in (sys.stdout, sys.stderr):
        with suppress(OSError, ValueError):  # the reader went away, or the stream is closed
            stream.flush()
    os._exit(code)


def _load_config(path: str | None) -> Config:
    """The run's config (--config, or the one found from the working directory, completed by a
    .hadolint.yaml), with what it declares for the IR put in place before any file is parsed."""
    from linter.config import load_for_run, register_pod_templates

    config = load_for_run(path, os.getcwd())
    register_pod_templates(config)
    return config


def _check_selectors(rules: list[Rule], option: str, selectors: list[str] | None) -> None:
    """A selector that names no rule is a typo; running nothing instead would look like a pass."""
    import re

    for s in selectors or ():
        if option == "--ignore" and re.fullmatch(r"(?i)(shellcheck:)?SC\d{4}", s.strip()):
            continue  # one ShellCheck code: it names findings of DF300, not a rule
        if not any(r.matches(s) for r in rules):
            raise UsageError(f"{option}: no rule {s!r}; `shiplint rules` lists them")


def _outputs(options: dict[str, list[str]]) -> list[tuple[str, str]]:
    """The --output FORMAT=FILE pairs, checked before any linting."""
    out: list[tuple[str, str]] = []
    for value in options.get("--output", ()):
        fmt, eq, path = value.partition("=")
        if not eq or not path:
            raise UsageError(f"--output takes FORMAT=FILE (got {value!r})")
        if fmt not in FORMATS:
            raise UsageError(f"--output: format must be one of {', '.join(FORMATS)} (got {fmt!r})")
        if any(path == p for _, p in out):
            raise UsageError(f"--output: {path} is named twice")
        out.append((fmt, path))
    return out


def cmd_check(args: list[str]) -> int:
    paths, options = parse_options(args, CHECK_OPTIONS)
    fmt = one(options, "--format", FORMATS) or "text"
    outputs = _outputs(options)
    baseline_path = one(options, "--baseline")
    write_baseline = one(options, "--write-baseline")
    if baseline_path is not None and write_baseline is not None:
        raise UsageError("--baseline and --write-baseline cannot be combined")
    for name, value in (("--baseline", baseline_path), ("--write-baseline", write_baseline)):
        if value == "":
            raise UsageError(f"{name} needs a file name")
    fail_on_opt = one(options, "--fail-on", LEVELS)
    stdin_name = one(options, "--stdin-filename")
    show_source = "--no-source" not in options
    from linter.config import ConfigError
    from linter.engine.catalog import CatalogError, load_rules

    try:
        config = _load_config(one(options, "--config"))
        rules = load_rules(config)
    except (ConfigError, CatalogError) as e:
        print(f"shiplint: {e}", file=sys.stderr)
        return 2
    known: dict[str, int] | None = None
    if baseline_path is not None:  # read before linting: a wrong name should not cost a whole run
        from linter.baseline import BaselineError, load

        try:
            known = load(baseline_path)
        except BaselineError as e:
            print(f"shiplint: {e}", file=sys.stderr)
            return 2
    cluster = None
    cluster_path = one(options, "--cluster")
    if cluster_path is not None:  # read before linting, like the baseline
        from linter.simulate.cluster import ClusterError, load_cluster

        try:
            cluster = load_cluster(cluster_path)
        except ClusterError as e:
            print(f"shiplint: invalid cluster: {e}", file=sys.stderr)
            return 2
    fail_on = fail_on_opt or config.fail_on or "warning"
    select, ignore = _selectors(options, "--select"), _selectors(options, "--ignore")
    if select == []:  # `--select ""`, as from an unset variable: running nothing would pass
        raise UsageError("--select needs at least one rule")
    _check_selectors(rules, "--select", select)
    _check_selectors(rules, "--ignore", ignore)
    from linter.engine.run import Engine

    try:
        overrides = config.parameter_overrides(one(options, "--kubernetes-version"))
    except ValueError as e:
        raise UsageError(str(e)) from None
    if "--no-strict" in options:
        overrides["strict"] = False
    engine = Engine(rules, config, select, ignore, overrides)
    skip = "--skip-non-manifests" in options
    manifests: list[Manifest] | None = [] if cluster is not None else None
    findings, files, internal_errors, sources = _run(
        engine, config, paths or ["."], stdin_name, skip, manifests
    )
    if cluster is not None and manifests is not None:
        from linter.findings import Finding as _Finding
        from linter.simulate.cli import findings_for

        findings.extend(findings_for(manifests, cluster))
        findings.sort(key=_Finding.sort_key)
    status = 2 if internal_errors else 0

    def source_line(path: str, line: int) -> str:
        src = sources.get(path)
        return src.line_text(line) if src is not None else ""

    formats = {fmt, *(f for f, _ in outputs)}
    prints: list[str] | None = None
    if known is not None or write_baseline is not None or formats & FINGERPRINTED:
        from linter.findings import fingerprints

        prints = fingerprints(findings, source_line)
    if write_baseline is not None and prints is not None:
        from linter.baseline import write

        try:
            write(write_baseline, findings, prints)
            noun = "finding" if len(findings) == 1 else "findings"
            print(f"shiplint: recorded {len(findings)} {noun} in {write_baseline}", file=sys.stderr)
        except OSError as e:
            print(f"shiplint: cannot write baseline {write_baseline}: {e.strerror or e}", file=sys.stderr)
            status = 2
    if known is not None and prints is not None:
        from linter.baseline import subtract

        findings, prints, absorbed = subtract(findings, prints, known)
        if absorbed:
            noun = "finding is" if absorbed == 1 else "findings are"
            print(f"shiplint: {absorbed} {noun} in the baseline and not reported", file=sys.stderr)
    context: dict[str, object] = {
        "source_line": source_line,
        "show_source": show_source,
        "fingerprints": prints,
        "paths": list(sources),
        "complete": not internal_errors,
    }
    if "sarif" in formats:
        context["rules"] = _rules_metadata(engine)
    _reporter(fmt)(findings, files, sys.stdout, **context)
    sys.stdout.flush()
    for out_fmt, out_path in outputs:  # each file independently: one failure spares the others
        if not _write_report(out_fmt, out_path, findings, files, context):
            status = 2
    if status or write_baseline is not None:
        return status
    from linter.findings import SEVERITY_RANK

    threshold = SEVERITY_RANK[fail_on]
    return 1 if any(SEVERITY_RANK[f.severity] >= threshold for f in findings) else 0


def _reporter(fmt: str):  # type: ignore[no-untyped-def]
    """The render function of a format's module, imported now and not before."""
    return __import__(f"linter.report.{fmt}", fromlist=["render"]).render


def _write_report(
    fmt: str, path: str, findings: list[Finding], files: int, context: dict[str, object]
) -> bool:
    """Render into memory, then write the file whole; say so in one line if it cannot be written."""
    import io

    buffer = io.StringIO()
    _reporter(fmt)(findings, files, buffer, **{**context, "colour": False})
    try:
        with open(path, "w", encoding="utf-8", errors="backslashreplace", newline="") as f:
            f.write(buffer.getvalue())
    except OSError as e:
        print(f"shiplint: cannot write {fmt} report to {path}: {e.strerror or e}", file=sys.stderr)
        return False
    return True


def _rules_metadata(engine: Engine) -> list[dict[str, object]]:
    """What SARIF tells about the rules this run applied, as plain data for the reporter."""
    out: list[dict[str, object]] = []
    for active in engine.active:
        r = active.rule
        meta: dict[str, object] = {
            "code": r.code,
            "name": r.name,
            "title": r.title,
            "rationale": r.rationale,
            "remediation": r.remediation,
            "severity": active.severity,
            "aliases": list(r.aliases),
            "language": r.language,
        }
        if r.help_uri is not None:
            meta["help_uri"] = r.help_uri
        out.append(meta)
    return out


# Runs of at least this many files are linted by a pool of processes, one per core; smaller ones
# (a pre-commit hook's few files) in this process, which starts faster. SHIPLINT_JOBS=1 disables it.
PARALLEL_MIN_FILES = 64


class _Batch:
    """What linting some candidates gave: findings, sources, counts, one-line messages, and the
    summaries of their Kubernetes objects for the whole-run rules. A worker process returns one;
    the sequential path fills one as it goes."""

    __slots__ = (
        "definitions",
        "errors",
        "files",
        "findings",
        "messages",
        "objects",
        "relinted",
        "roots",
        "shown",
        "sources",
        "suppressions",
    )

    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self.sources: dict[str, SourceFile] = {}
        self.messages: list[str] = []
        self.objects: list[ObjectSummary] = []
        # The suppression comments of manifests that have some, read with their IR (so that text
        # inside a string is not taken for a comment), for the findings of the rules across files.
        self.suppressions: dict[str, LineSuppressions] = {}
        self.roots: set[str] = set()
        self.files = 0
        self.errors = 0
        # From a worker: the definitions its rules gathered (see Engine.take_definitions).
        self.definitions: dict[str, object] = {}
        self.relinted = False  # some files were linted again (see replace)
        self.shown: set[str] = set()  # the messages already printed

    def lint(
        self,
        cands: list[Candidate],
        engine: Engine,
        config: Config,
        stdin_name: str | None,
        skip_non_manifests: bool,
        manifests: list[Manifest] | None,
    ) -> None:
        """Lint some candidates in two steps: parse them all, let the checks that work in bulk see
        the batch, then lint each. A failure becomes a message, never an exception.

        The cyclic garbage collector is off meanwhile: a batch allocates many small objects that
        live until its end, and the collector's passes over them took a quarter of the time of
        parsing and validating 5,000 resources (1.41 s, 1.04 s without). It runs again between
        batches, so memory stays bounded."""
        import gc

        collecting = gc.isenabled()
        gc.disable()
        try:
            self._lint(cands, engine, config, stdin_name, skip_non_manifests, manifests)
        finally:
            if collecting:
                gc.enable()

    def _lint(
        self,
        cands: list[Candidate],
        engine: Engine,
        config: Config,
        stdin_name: str | None,
        skip_non_manifests: bool,
        manifests: list[Manifest] | None,
    ) -> None:
        items: list[tuple[SourceFile, object]] = []
        for cand in cands:
            parsed = self._parse(cand, config, stdin_name, skip_non_manifests)
            if parsed is not None:
                items.append(parsed)
        if items:
            engine.prepare(items)
        for source, document in items:
            try:
                self.findings.extend(engine.lint(source, document))  # type: ignore[arg-type]
                objects = engine.summarize(document)
                if objects:
                    self.objects.extend(objects)
                    if "shiplint" in source.text:
                        from linter.engine.suppress import for_yaml

                        self.suppressions[source.path] = for_yaml(source, document)  # type: ignore[arg-type]
                if manifests is not None and source.kind == "kubernetes" and document is not None:
                    manifests.append(document)  # type: ignore[arg-type]
            except RecursionError:
                self.errors += 1
                self.messages.append(f"{source.path}: not linted: nested too deeply")
            except Exception as e:  # a defect in shiplint: say so in one line and go on
                self.errors += 1
                self.messages.append(f"internal error on {source.path}: {type(e).__name__}: {e}")

    def _parse(
        self, cand: Candidate, config: Config, stdin_name: str | None, skip_non_manifests: bool
    ) -> tuple[SourceFile, object] | None:
        from linter.discover import kind_by_name
        from linter.engine.load import load, parse

        try:
            early = _PARSED_EARLY.pop(cand.path, None)
            if early is not None:
                loaded = early[0]
            elif cand.path == "-":
                kind = kind_by_name(stdin_name) if stdin_name else None
                loaded = load(stdin_name or "-", kind, config.max_file_size, sys.stdin.buffer)
            else:
                loaded = load(cand.path, cand.kind, config.max_file_size)
            source = loaded.source
            if _skipped(cand, loaded, skip_non_manifests):
                return None
            self.files += 1
            if cand.root is not None:
                self.roots.add(cand.root)
            self.sources[source.path] = source
            return source, early[1] if early is not None else parse(source)
        except RecursionError:
            self.errors += 1
            self.messages.append(f"{cand.path}: not linted: nested too deeply")
        except Exception as e:  # a defect in shiplint: say so in one line and go on
            self.errors += 1
            self.messages.append(f"internal error on {cand.path}: {type(e).__name__}: {e}")
        return None

    @classmethod
    def failed(cls, cands: list[Candidate], error: object) -> _Batch:
        """What a chunk whose worker failed gives: one internal error, naming its files."""
        batch = cls()
        batch.errors = 1
        names = f"{cands[0].path} and {len(cands) - 1} more" if len(cands) > 1 else cands[0].path
        batch.messages.append(f"internal error: not linted: {names}: {error}")
        return batch

    def replace(self, other: _Batch) -> None:
        """Take `other`'s results for the files it linted again, in place of this batch's. Its
        messages (not yet shown) are shown, and counted as errors, unless the first pass already
        said the same."""
        again = set(other.sources)
        self.findings = [f for f in self.findings if f.path not in again]
        self.objects = [o for o in self.objects if o.path not in again]
        for path in again:
            self.suppressions.pop(path, None)
        new = [m for m in other.messages if m not in self.shown]
        files, errors = self.files, self.errors
        other.messages = []
        self.merge(other)
        self.files, self.errors = files, errors + len(new)  # the same files, counted once
        self.flush(new)
        self.relinted = True

    def merge(self, other: _Batch, show: bool = True) -> None:
        self.findings.extend(other.findings)
        self.sources.update(other.sources)
        self.objects.extend(other.objects)
        self.suppressions.update(other.suppressions)
        self.roots |= other.roots
        self.files += other.files
        self.errors += other.errors
        if show:
            self.flush(other.messages)
        else:  # kept, to be shown by whoever takes this batch's results
            self.messages.extend(other.messages)

    def flush(self, messages: list[str] | None = None) -> None:
        for message in self.messages if messages is None else messages:
            print(f"shiplint: {message}", file=sys.stderr)
            self.shown.add(message)
        if messages is None:
            self.messages = []


# Set in the parent before the pool forks; the workers inherit it.
_SHARED: tuple[Engine, Config, bool, list[Candidate]] | None = None

# The sequential path parses this many files before linting them, so that bulk work (ShellCheck)
# is batched while memory stays bounded on a large run.
BATCH_FILES = 64


# Files parsed before the run proper (see _prepare_definitions), by path: the batch that lints one
# takes its IR from here (a forked worker inherits the table).
_PARSED_EARLY: dict[str, tuple[Loaded, object]] = {}

# A directory with more manifests than this is not read for context (see _context_objects).
CONTEXT_MAX_FILES = 200


def _context_objects(
    engine: Engine, config: Config, candidates: list[Candidate], done: _Batch
) -> list[ObjectSummary]:
    """Files named one by one (a pre-commit hook's changed files, an editor's open file) are
    related to the other manifests of their directory by the rules across files: a Service is not
    dangling because its Deployment did not change. Those other manifests are read here, for
    context only; findings about them are not reported."""
    if not engine._wants("project") or config.cross_file_scope != "directory":
        return []
    from linter.discover import kind_by_name, looks_like_kubernetes
    from linter.engine.load import load, parse

    named = [c for c in candidates if c.root is None and c.path != "-" and c.kind != "dockerfile"]
    if not named:  # every file was found by walking a directory: its neighbours were linted too
        return []
    linted = {os.path.realpath(p) for p in done.sources if p != "-"}
    # Each folder as the command line spells it (`k/`, `./k/`, an absolute path), so that context
    # files are named like the files beside them.
    folders: dict[str, str] = {}
    for c in named:
        if os.path.realpath(c.path) in linted:
            folders.setdefault(os.path.realpath(os.path.dirname(c.path) or "."), os.path.dirname(c.path))
    out: list[ObjectSummary] = []
    for real, spelled in sorted(folders.items()):
        try:
            names = sorted(
                e.name for e in os.scandir(real) if e.is_file() and kind_by_name(e.name) == "kubernetes"
            )
        except OSError:
            continue
        if len(names) > CONTEXT_MAX_FILES:
            continue
        for name in names:
            path = os.path.join(spelled, name)
            if os.path.realpath(path) in linted:
                continue
            try:
                loaded = load(path, "kubernetes", config.max_file_size)
                if loaded.head is None or not looks_like_kubernetes(loaded.head) or loaded.source.problems:
                    continue
                out.extend(engine.summarize(parse(loaded.source)))
            except Exception:  # context is best effort: a file that does not parse adds nothing
                continue
    return out


def _skipped(cand: Candidate, loaded: Loaded, skip_non_manifests: bool) -> bool:
    """Found by walking (or named by a tool such as pre-commit, with --skip-non-manifests): YAML
    is linted only if it holds Kubernetes objects, judged by the start of the file."""
    from linter.discover import looks_like_kubernetes

    filtered = not cand.explicit or (skip_non_manifests and cand.path != "-")
    return (
        filtered
        and loaded.source.kind == "kubernetes"
        and loaded.head is not None
        and not looks_like_kubernetes(loaded.head)
    )


def _prepare_definitions(
    engine: Engine, config: Config, candidates: list[Candidate], skip_non_manifests: bool
) -> None:
    """Before a sequential run of several batches: the files that define types for the others
    (CustomResourceDefinitions) are parsed first and handed to the engine, so that every batch
    validates custom resources against CRDs from any file of the run. A cheap byte search picks
    those files (and only those that are linted: not a Helm template found by walking). They are
    then the run's definitions: a batch's own CRDs do not replace them, so which CRD wins when
    two files define one kind (the later file) does not depend on where batches end. (A parallel
    run does not wait for them: see _lint_parallel.)"""
    from linter.engine.load import load, parse

    # Dockerfile checks that set up once per run (finding the ShellCheck binary, and saying once
    # if it is missing) do it here.
    if any(c.kind == "dockerfile" for c in candidates):
        engine.prepare([], {"dockerfile"})
    if not any(a.rule.check and a.rule.check.startswith("kubeschema.") for a in engine.active):
        return
    items: list[tuple[SourceFile, object]] = []
    for cand in candidates:
        if cand.kind == "dockerfile" or cand.path == "-":
            continue
        try:
            with open(cand.path, "rb") as f:
                if b"CustomResourceDefinition" not in f.read(config.max_file_size + 1):
                    continue
            loaded = load(cand.path, cand.kind, config.max_file_size)
            if loaded.source.kind == "kubernetes" and not _skipped(cand, loaded, skip_non_manifests):
                document = parse(loaded.source)
                items.append((loaded.source, document))
                _PARSED_EARLY[cand.path] = (loaded, document)  # not parsed again when linted
        except (OSError, RecursionError, ValueError):
            continue  # the batch that lints the file reports the problem
    engine.defer_definitions(False, {"kubernetes"})
    if items:
        engine.prepare(items)
    engine.adopt_definitions([])  # these are the run's definitions: complete


def _lint_chunk(chunk: range | list[int]) -> _Batch:
    assert _SHARED is not None
    engine, config, skip, candidates = _SHARED
    batch = _Batch()
    seen = len(engine.errors)  # a worker lints several chunks with one engine
    batch.lint([candidates[i] for i in chunk], engine, config, None, skip, None)
    batch.errors += len(engine.errors) - seen
    batch.messages.extend(f"internal error: {m}" for m in engine.errors[seen:])
    batch.definitions = engine.take_definitions()
    # What goes back to the parent is pickled: the text of a file is needed there only to show the
    # lines of its findings, and those of the rules across files (on files with object summaries).
    from linter.ir.source import SourceFile

    wanted = {f.path for f in batch.findings} | {o.path for o in batch.objects}
    for path, source in batch.sources.items():
        if path not in wanted:
            light = SourceFile(path, "", source.kind)
            light.problems = source.problems
            batch.sources[path] = light
        else:
            source._lines = None  # rebuilt on demand
    return batch


def _workers(candidates: list[Candidate], collecting: bool) -> int:
    if collecting or len(candidates) < PARALLEL_MIN_FILES or any(c.path == "-" for c in candidates):
        return 1
    from linter import forkpool

    if os.environ.get("SHIPLINT_JOBS") == "1" or not forkpool.available():
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def _run(
    engine: Engine,
    config: Config,
    paths: list[str],
    stdin_name: str | None,
    skip_non_manifests: bool,
    manifests: list[Manifest] | None = None,
) -> tuple[list[Finding], int, int, dict[str, SourceFile]]:
    """Lint every candidate; one file's failure never stops the others. With `manifests`, the
    parsed manifests are collected there too (for the scheduling dry-run)."""
    import time

    from linter.discover import discover, nothing_found

    candidates, notes = discover(paths)
    for note in notes:
        print(f"shiplint: {note}", file=sys.stderr)
    walked = list(dict.fromkeys(c.root for c in candidates if c.root is not None))
    total = _Batch()
    _PARSED_EARLY.clear()  # nothing left from an earlier run in this process
    errors_before = len(engine.errors)
    workers = _workers(candidates, manifests is not None)
    started = time.monotonic()
    progress = None
    across: list[Finding] = []
    across_done = False

    def cross_files() -> None:
        nonlocal across_done
        context = _context_objects(engine, config, candidates, total)
        across.extend(
            engine.lint_project(
                total.objects + context, total.sources, frozenset(o.path for o in context), total.suppressions
            )
        )
        across_done = True

    if workers > 1:
        # Dockerfile checks that set up once per run (finding the ShellCheck binary, and saying
        # once if it is missing) do it here, so that the workers inherit the result.
        if any(c.kind == "dockerfile" for c in candidates):
            engine.prepare([], {"dockerfile"})
        # The rules across files need only the objects of the files, which linting a file again
        # does not change: they run while the workers do that.
        progress = _lint_parallel(
            engine, config, skip_non_manifests, candidates, workers, total, started, cross_files
        )
    else:
        if len(candidates) > BATCH_FILES:  # the files will not all be in one batch
            _prepare_definitions(engine, config, candidates, skip_non_manifests)
        for n in range(0, len(candidates), BATCH_FILES):
            if progress is None and time.monotonic() - started > 1.0:
                progress = _progress(len(candidates), n)
            if progress is not None:
                progress(n)
            total.lint(
                candidates[n : n + BATCH_FILES], engine, config, stdin_name, skip_non_manifests, manifests
            )
            total.flush()
    if not across_done:
        cross_files()
    if across or total.relinted:  # into place: the files in the order they were linted, each by position
        order = {path: i for i, path in enumerate(total.sources)}
        total.findings.extend(across)
        total.findings.sort(key=lambda f: (order.get(f.path, len(order)), *f.sort_key()[1:]))
    # This process's engine: every rule failure of a sequential run; in a parallel one, those of
    # the steps run here (the workers report their own).
    messages = engine.errors[errors_before:]
    total.errors += len(messages)
    total.flush([f"internal error: {m}" for m in messages])
    if progress is not None:
        progress(-1)
    for root in walked:
        if root not in total.roots:  # only YAML without Kubernetes objects was found there
            print(f"shiplint: {nothing_found(root)}", file=sys.stderr)
    _PARSED_EARLY.clear()  # a parallel run's parent keeps what its workers took
    return total.findings, total.files, total.errors, total.sources


def _lint_parallel(  # type: ignore[no-untyped-def]
    engine: Engine,
    config: Config,
    skip_non_manifests: bool,
    candidates: list[Candidate],
    workers: int,
    total: _Batch,
    started: float,
    meanwhile: Callable[[], None] | None = None,
):
    """Lint `candidates` in forked workers, a few chunks each, into `total` (in file order).
    `meanwhile` runs here once every file has been linted once, while files are linted again.

    Chunks hold runs of neighbouring files of about the same size in bytes, and the workers take
    the largest first, so that one large file (a CRD bundle) does not finish the run alone.

    The workers start at once, without waiting for the definitions of the whole run (the CRDs of
    other files), which would mean parsing those files first, one after the other. A file that
    looked for a custom kind it did not define itself is noted; once every chunk is in, every
    worker adopts the run's definitions, and the files that needed one of them are linted again,
    so the result is the same as a sequential run's. Returns the progress bar, if one was shown."""
    global _SHARED
    import time

    from linter import forkpool

    chunks, weights = _chunks(candidates, workers * 4)
    largest_first = sorted(range(len(chunks)), key=lambda n: -weights[n])
    taken: list[dict[str, object]] = []
    progress = None
    _SHARED = (engine, config, skip_non_manifests, candidates)
    # (the workers inherit the setting; a file of no known kind yet may be either)
    kinds = {k for c in candidates for k in ((c.kind,) if c.kind else ("dockerfile", "kubernetes"))}
    engine.defer_definitions(True, kinds)
    try:
        with forkpool.Pool(min(workers, len(chunks))) as pool:
            for n, (chunk, result) in enumerate(pool.map(_lint_chunk, chunks, largest_first)):
                batch = _received(result, [candidates[i] for i in chunk])
                taken.append(batch.definitions)
                total.merge(batch)
                if progress is None and time.monotonic() - started > 1.0:
                    progress = _progress(len(chunks), n)
                if progress is not None:
                    progress(n)
            engine.defer_definitions(False)
            again = engine.adopt_definitions(taken)
            if again:
                redo = [i for i, c in enumerate(candidates) if c.path in again]
                second = _Batch()
                tasks: list[tuple[list[dict[str, object]] | None, list[int]]] = []
                if len(redo) < PARALLEL_MIN_FILES:  # a few: one worker, which adopts and lints
                    tasks = [(taken, redo)]
                elif all(not isinstance(r, BaseException) for r in pool.broadcast(_adopt_definitions, taken)):
                    tasks = [(None, redo[k::workers]) for k in range(workers) if redo[k::workers]]
                else:  # a worker could not take the definitions: lint them here, which has them
                    second.lint([candidates[i] for i in redo], engine, config, None, skip_non_manifests, None)
                results = pool.map(_relint, tasks)
                if meanwhile is not None:  # (the workers are linting again meanwhile)
                    meanwhile()
                for (_, chunk), result in results:
                    second.merge(_received(result, [candidates[i] for i in chunk]), show=False)
                total.replace(second)
    finally:
        _SHARED = None
        engine.defer_definitions(False)
    return progress


def _chunks(candidates: list[Candidate], count: int) -> tuple[list[range], list[int]]:
    """About `count` runs of neighbouring candidates of about the same size in bytes each, and
    their sizes."""
    sizes = [_size(c) for c in candidates]
    target = max(1, sum(sizes) // max(1, count))
    chunks: list[range] = []
    weights: list[int] = []
    start = held = 0
    for i, size in enumerate(sizes):
        if held and held + size > target:  # a large file starts a chunk of its own
            chunks.append(range(start, i))
            weights.append(held)
            start, held = i, 0
        held += size
        if held >= target:
            chunks.append(range(start, i + 1))
            weights.append(held)
            start, held = i + 1, 0
    if held:
        chunks.append(range(start, len(sizes)))
        weights.append(held)
    return chunks, weights


def _size(c: Candidate) -> int:
    size = c.size
    if size < 0:
        try:
            size = os.stat(c.path).st_size
        except OSError:
            size = 0
    return size + 512  # (a small file costs more than its bytes)


def _adopt_definitions(taken: list[dict[str, object]]) -> None:
    """In a worker, before linting files again: the definitions of the whole run."""
    assert _SHARED is not None
    engine = _SHARED[0]
    engine.defer_definitions(False)
    engine.adopt_definitions(taken)


def _relint(task: tuple[list[dict[str, object]] | None, list[int]]) -> _Batch:
    """In a worker: lint files again, after adopting the run's definitions when they come along
    (else they were broadcast)."""
    if task[0] is not None:
        _adopt_definitions(task[0])
    return _lint_chunk(task[1])


def _received(result: object, cands: list[Candidate]) -> _Batch:
    """A worker's batch; for a chunk whose worker failed or died, one internal error instead."""
    if isinstance(result, _Batch):
        return result
    return _Batch.failed(cands, result)


def _progress(total: int, done: int):  # type: ignore[no-untyped-def]
    """A progress bar on stderr, shown only on a terminal once a run has taken a second."""
    if not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.progress import Progress

    bar = Progress(console=Console(file=sys.stderr), transient=True)
    task = bar.add_task("linting", total=total, completed=done)
    bar.start()

    def update(n: int) -> None:
        if n < 0:
            bar.stop()
        else:
            bar.update(task, completed=n)

    return update


def cmd_rules(args: list[str]) -> int:
    _, options = parse_options(args, {"--format": True, "--config": True})
    fmt = one(options, "--format", RULES_FORMATS) or "text"
    from linter.config import ConfigError
    from linter.engine.catalog import CatalogError, load_rules

    try:
        rules = load_rules(_load_config(one(options, "--config")))
    except (ConfigError, CatalogError) as e:
        print(f"shiplint: {e}", file=sys.stderr)
        return 2
    rules.sort(key=lambda r: r.code)
    if fmt == "json":
        import json

        json.dump({"rules": [r.summary() for r in rules]}, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    for r in rules:
        state = "on " if r.enabled else "off"
        print(f"{r.code}  {state}  {r.severity:<7}  {r.name:<28}  {r.title}")
    return 0


def cmd_rule(args: list[str]) -> int:
    positional, options = parse_options(args, {"--config": True})
    if len(positional) != 1:
        raise UsageError("rule takes one CODE or NAME")
    from linter.config import ConfigError
    from linter.engine.catalog import CatalogError, load_rules
    from linter.report.docs import rule_markdown

    try:  # the config's rule folders add rules, which have documentation too
        rules = load_rules(_load_config(one(options, "--config")))
    except (ConfigError, CatalogError) as e:
        print(f"shiplint: {e}", file=sys.stderr)
        return 2
    wanted = positional[0]
    for r in rules:
        if r.code == wanted.upper() or r.name == wanted.lower():
            sys.stdout.write(rule_markdown(r))
            return 0
    print(f"shiplint: no rule {wanted!r} (see shiplint rules)", file=sys.stderr)
    return 2
