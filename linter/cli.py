"""The command line: arguments, exit codes, and the wiring of discovery, engine and reporters.

Exit codes: 0 when no finding is at or above the --fail-on threshold, 1 when one is, 2 on a
usage or config error or an internal failure (after the other files were linted).

Arguments are parsed by hand rather than with argparse: argparse alone costs about 10 ms at start,
close to a bare Python start, and this command runs as a pre-commit hook on every commit.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from linter.config import Config
    from linter.engine.catalog import Rule
    from linter.engine.run import Engine
    from linter.findings import Finding
    from linter.ir.source import SourceFile

HELP = """\
usage: shiplint check [PATH ...] [options]   lint Dockerfiles and Kubernetes manifests
       shiplint rules [--format text|json]   list the rule catalog
       shiplint rule CODE|NAME               show one rule's documentation and examples
       shiplint --version

check options:
  PATH                    files or directories (default: .); '-' reads standard input
  --format text|json      output format (default: text)
  --select RULES          run only these rules (codes, code prefixes, names, aliases, 'all');
                          comma-separated, repeatable
  --ignore RULES          never run these rules
  --fail-on LEVEL         error, warning, info or never (default: warning)
  --config FILE           use this config file instead of searching for one
  --stdin-filename NAME   what '-' is, for choosing Dockerfile or manifest rules
  --no-source             print findings without the source line and caret

exit status: 0 no finding at or above --fail-on; 1 some finding is; 2 usage, config or internal error
"""

CHECK_OPTIONS = {  # option -> takes a value
    "--format": True,
    "--select": True,
    "--ignore": True,
    "--fail-on": True,
    "--config": True,
    "--stdin-filename": True,
    "--no-source": False,
}
FORMATS = ("text", "json")
LEVELS = ("error", "warning", "info", "never")


class UsageError(Exception):
    pass


def parse_options(args: list[str], allowed: dict[str, bool]) -> tuple[list[str], dict[str, list[str]]]:
    positional: list[str] = []
    options: dict[str, list[str]] = {}
    i = 0
    while i < len(args):
        a = args[i]
        i += 1
        if a == "--":
            positional.extend(args[i:])
            break
        if a.startswith("--"):
            name, eq, value = a.partition("=")
            if name not in allowed:
                raise UsageError(f"unknown option {name}")
            if allowed[name]:
                if not eq:
                    if i >= len(args):
                        raise UsageError(f"{name} needs a value")
                    value = args[i]
                    i += 1
                options.setdefault(name, []).append(value)
            else:
                if eq:
                    raise UsageError(f"{name} takes no value")
                options.setdefault(name, []).append("")
        elif a.startswith("-") and a != "-":
            raise UsageError(f"unknown option {a}")
        else:
            positional.append(a)
    return positional, options


def _one(options: dict[str, list[str]], name: str, choices: tuple[str, ...] | None = None) -> str | None:
    values = options.get(name)
    if not values:
        return None
    value = values[-1]
    if choices is not None and value not in choices:
        raise UsageError(f"{name} must be one of {', '.join(choices)} (got {value!r})")
    return value


def _selectors(options: dict[str, list[str]], name: str) -> list[str] | None:
    if name not in options:
        return None
    return [s.strip() for v in options[name] for s in v.split(",") if s.strip()]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    try:
        if not args or args[0] in ("-h", "--help", "help"):
            sys.stdout.write(HELP)
            return 0 if args else 2
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
        raise UsageError(f"unknown command {command!r}")
    except UsageError as e:
        print(f"shiplint: {e} (see shiplint --help)", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`shiplint ... | head`): not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _load_config(path: str | None) -> Config:
    from linter.config import Config, discover, load

    if path is None:
        path = discover(os.getcwd())
        if path is None:
            return Config()
    return load(path)


def _load_rules(config: Config) -> list[Rule]:
    from linter.engine.catalog import Rule, check_unique, compile_folder, load_builtin

    rules = load_builtin()
    for folder in config.rule_folders:
        rules.extend(Rule(d, os.path.join(folder, str(d.pop("_file")))) for d in compile_folder(folder))
    if config.rule_folders:
        check_unique(rules)
    return rules


def cmd_check(args: list[str]) -> int:
    paths, options = parse_options(args, CHECK_OPTIONS)
    fmt = _one(options, "--format", FORMATS) or "text"
    fail_on_opt = _one(options, "--fail-on", LEVELS)
    stdin_name = _one(options, "--stdin-filename")
    show_source = "--no-source" not in options
    from linter.config import ConfigError
    from linter.engine.catalog import CatalogError

    try:
        config = _load_config(_one(options, "--config"))
        rules = _load_rules(config)
    except (ConfigError, CatalogError) as e:
        print(f"shiplint: {e}", file=sys.stderr)
        return 2
    fail_on = fail_on_opt or config.fail_on or "warning"
    from linter.engine.run import Engine

    engine = Engine(rules, config, _selectors(options, "--select"), _selectors(options, "--ignore"))
    findings, files, internal_errors, sources = _run(engine, config, paths or ["."], stdin_name)
    out = sys.stdout
    if fmt == "json":
        from linter.report.json import render
    else:
        from linter.report.text import render  # type: ignore[assignment]

    def source_line(path: str, line: int) -> str:
        src = sources.get(path)
        return src.line_text(line) if src is not None else ""

    render(findings, files, out, source_line=source_line, show_source=show_source)
    out.flush()
    if internal_errors:
        return 2
    from linter.findings import SEVERITY_RANK

    threshold = SEVERITY_RANK[fail_on]
    return 1 if any(SEVERITY_RANK[f.severity] >= threshold for f in findings) else 0


def _run(
    engine: Engine, config: Config, paths: list[str], stdin_name: str | None
) -> tuple[list[Finding], int, int, dict[str, SourceFile]]:
    """Lint every candidate; one file's failure never stops the others."""
    import time

    from linter.discover import discover, kind_by_content, kind_by_name, looks_like_kubernetes
    from linter.engine.run import parse, read_source

    candidates, notes = discover(paths)
    for note in notes:
        print(f"shiplint: {note}", file=sys.stderr)
    findings: list[Finding] = []
    sources: dict[str, SourceFile] = {}
    files = 0
    internal_errors = 0
    started = time.monotonic()
    progress = None
    for n, cand in enumerate(candidates):
        if progress is None and n % 16 == 0 and time.monotonic() - started > 1.0:
            progress = _progress(len(candidates), n)
        if progress is not None:
            progress(n)
        try:
            if cand.path == "-":
                name = stdin_name or "-"
                text = sys.stdin.buffer.read().decode("utf-8", errors="replace")
                kind = kind_by_name(name) if stdin_name else None
                source = read_source(name, kind or kind_by_content(text), config.max_file_size, text)
            else:
                source = read_source(cand.path, cand.kind or "unknown", config.max_file_size)
                if cand.kind is None:
                    source.kind = kind_by_content(source.text)
                if (
                    not cand.explicit
                    and source.kind == "kubernetes"
                    and not source.problems
                    and not looks_like_kubernetes(source.text)
                ):
                    continue
            files += 1
            sources[source.path] = source
            findings.extend(engine.lint(source, parse(source)))
        except RecursionError:
            internal_errors += 1
            print(f"shiplint: {cand.path}: not linted: nested too deeply", file=sys.stderr)
        except Exception as e:  # a defect in shiplint: say so in one line and go on
            internal_errors += 1
            print(f"shiplint: internal error on {cand.path}: {type(e).__name__}: {e}", file=sys.stderr)
    if progress is not None:
        progress(-1)
    return findings, files, internal_errors, sources


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
    fmt = _one(options, "--format", FORMATS) or "text"
    from linter.config import ConfigError
    from linter.engine.catalog import CatalogError

    try:
        rules = _load_rules(_load_config(_one(options, "--config")))
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
    positional, _ = parse_options(args, {})
    if len(positional) != 1:
        raise UsageError("rule takes one CODE or NAME")
    from linter.engine.catalog import load_builtin
    from linter.report.docs import rule_markdown

    wanted = positional[0]
    for r in load_builtin():
        if r.code == wanted.upper() or r.name == wanted.lower():
            sys.stdout.write(rule_markdown(r))
            return 0
    print(f"shiplint: no rule {wanted!r} (see shiplint rules)", file=sys.stderr)
    return 2
