"""Linting in-memory text through the real pipeline (read, parse, engine), for tests."""

from __future__ import annotations

from pathlib import Path

from linter.config import Config
from linter.engine.catalog import load_builtin
from linter.engine.load import load, parse
from linter.engine.run import Engine
from linter.findings import Finding
from linter.ir.source import SourceFile, Span

RULES = load_builtin()
DEFAULT_NAMES = {"dockerfile": "Dockerfile", "kubernetes": "manifest.yaml", "any": "Dockerfile"}


def lint_text(
    tmp: Path,
    text: str,
    filename: str,
    select: list[str] | None = None,
    parameters: dict[str, dict[str, object]] | None = None,
    encoding: str = "utf-8",
    also: dict[str, str] | None = None,
) -> list[Finding]:
    """The findings on `filename`, linted as the engine lints a run: parsed with the `also` files
    (name: text), prepared as one batch, then rules per file and across files."""
    from linter.discover import kind_by_content, kind_by_name

    config = Config({"parameters": parameters or {}})
    engine = Engine(RULES, config, select)
    items = []
    for name, content in ((filename, text), *(also or {}).items()):
        path = tmp / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode(encoding if name == filename else "utf-8"))
        kind = kind_by_name(name) or kind_by_content(content)
        source = load(str(path), kind, config.max_file_size).source
        items.append((source, parse(source)))
    engine.prepare(items)
    found = engine.lint(*items[0])
    objects = [o for source, doc in items for o in engine.summarize(doc)]
    found += engine.lint_project(objects, {source.path: source for source, _ in items})
    main = items[0][0].path
    return sorted((f for f in found if f.path == main), key=Finding.sort_key)


def lint_paths(paths: list[Path], select: list[str], config: Config | None = None) -> list[Finding]:
    """Lint files and folders as `shiplint check` does (batches, worker processes unless
    SHIPLINT_JOBS=1, rules across files), with the built-in rules; no rule may fail."""
    from linter import cli

    config = config or Config({})
    engine = Engine(RULES, config, select)
    findings, _, errors, _ = cli._run(engine, config, [str(p) for p in paths], None, False)
    assert errors == 0, engine.errors
    return findings


def span_outside(source: SourceFile, span: Span) -> bool:
    """Whether a span leaves its file: a line past the end, a column past its line's end + 1, or an
    end before its start."""
    lines = source.lines
    if not (1 <= span.line <= len(lines) and 1 <= span.end_line <= len(lines)):
        return True
    if not 1 <= span.column <= len(lines[span.line - 1]) + 1:
        return True
    if not 1 <= span.end_column <= len(lines[span.end_line - 1]) + 1:
        return True
    return (span.line, span.column) > (span.end_line, span.end_column)
