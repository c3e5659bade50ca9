"""What the language server knows, without the protocol: lint one editor buffer, find the edit
that suppresses a finding, and the rule named under the cursor.

Nothing here imports pygls, so it can be tested and timed on its own. Positions are shiplint's:
1-based lines, code-point columns (linter.lsp.positions converts them for the protocol).

The config that applies to a buffer is the one `shiplint check` would use for the file: the
nearest `.shiplint.yaml` or `[tool.shiplint]` table from the file's folder up to the repository
root (linter.config.discover). Rules, engine and help links are built once per config file and
rebuilt when that file's modification time or size changes, so an edited config takes effect
on the next lint without restarting the server.
"""

from __future__ import annotations

import os
import re
import threading

from linter.engine.suppress import IGNORE_COMMENT

TYPE_CHECKING = False
if TYPE_CHECKING:
    from linter.config import Config
    from linter.engine.catalog import Rule
    from linter.engine.run import Engine
    from linter.findings import Finding
    from linter.ir.dockerfile import Dockerfile
    from linter.ir.kubernetes import Manifest
    from linter.ir.source import SourceFile

# What an editor calls the documents shiplint lints, when the file name does not say.
LANGUAGE_KINDS = {
    "dockerfile": "dockerfile",
    "containerfile": "dockerfile",
    "yaml": "kubernetes",
    "json": "kubernetes",
}
_HEAD = 65536  # as much of a YAML buffer as a directory walk reads to judge it (linter.engine.load)
_TOKEN = re.compile(r"[A-Za-z0-9_.:\-]+")  # a selector, as suppressions spell them


class Settings:
    """The rules, engine and rule links for one config file (or for none)."""

    __slots__ = ("config", "engine", "error", "help_uris", "rules")

    def __init__(
        self, config: Config, rules: list[Rule], engine: Engine, help_uris: dict[str, str], error: str | None
    ) -> None:
        self.config = config
        self.rules = rules
        self.engine = engine
        self.help_uris = help_uris  # rule code -> its section of docs/rules.md (built-in rules only)
        self.error = error  # why the config could not be used (the defaults are used instead)


class Result:
    """One lint of one buffer."""

    __slots__ = ("document", "findings", "internal_errors", "settings", "source")

    def __init__(
        self,
        source: SourceFile,
        document: Dockerfile | Manifest | None,
        findings: list[Finding],
        settings: Settings,
        internal_errors: list[str],
    ) -> None:
        self.source = source
        self.document = document
        self.findings = findings
        self.settings = settings
        self.internal_errors = internal_errors


class Edit:
    """Insert `text` at a 0-based line and code-point index."""

    __slots__ = ("index", "line", "text")

    def __init__(self, line: int, index: int, text: str) -> None:
        self.line = line
        self.index = index
        self.text = text

    def __repr__(self) -> str:
        return f"Edit({self.line}:{self.index} {self.text!r})"


def kind_for(path: str, language_id: str | None, text: str) -> str | None:
    """What to lint a buffer as: "dockerfile", "kubernetes", or None to leave it alone. YAML and JSON are
    linted only when they hold Kubernetes objects and are not Helm templates, as a directory
    walk decides; the file name wins over the editor's language id, which wins over nothing."""
    from linter.discover import kind_by_name, looks_like_kubernetes

    kind = kind_by_name(path) or LANGUAGE_KINDS.get((language_id or "").lower())
    if kind == "kubernetes" and not looks_like_kubernetes(text[:_HEAD]):
        return None
    return kind


def _stamp(path: str | None) -> tuple[str, int, int] | None:
    if path is None:
        return None
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (path, st.st_mtime_ns, st.st_size)


class Analyzer:
    """Lints buffers; thread-safe, so that linting can run off the protocol's thread."""

    def __init__(self) -> None:
        # (config, hadolint config) -> (their stamps, settings)
        self._settings: dict[tuple[str | None, str | None], tuple[object, Settings]] = {}
        self._lock = threading.Lock()  # guards the settings cache
        self._lint_lock = threading.Lock()  # one lint at a time: an engine's tables are not thread-safe

    def invalidate(self) -> None:
        with self._lock:
            self._settings.clear()

    def settings_for(self, folder: str) -> Settings:
        from linter.config import HADOLINT_NAMES, discover

        path = discover(folder)
        # A .hadolint.yaml completes the config, and is found from the folder as well.
        peer = discover(folder, HADOLINT_NAMES)
        key = (path, peer)
        stamp = (_stamp(path), _stamp(peer))
        with self._lock:
            cached = self._settings.get(key)
            if cached is not None and cached[0] == stamp:
                return cached[1]
            settings = _build_settings(path, folder)
            self._settings[key] = (stamp, settings)
            return settings

    def lint(self, path: str, text: str, kind: str, folder: str) -> Result:
        """Lint a buffer's text as the file at `path` (which need not exist on disk); `folder` is
        where its config is searched from."""
        import io

        from linter.config import register_pod_templates
        from linter.engine.load import load, parse

        settings = self.settings_for(folder)
        engine = settings.engine
        with self._lint_lock:
            register_pod_templates(settings.config)  # this folder's custom kinds, no other's
            loaded = load(path, kind, settings.config.max_file_size, io.BytesIO(_encode(text)))
            source = loaded.source
            document = parse(source)
            findings = engine.lint(source, document)
            errors = list(engine.errors)
            engine.errors.clear()
        return Result(source, document, findings, settings, errors)


def _encode(text: str) -> bytes:
    # An editor has already stripped a byte-order mark; one left in the buffer is a character of
    # line 1, so it is kept rather than letting the loader's utf-8-sig drop it and shift columns.
    data = text.encode("utf-8", "surrogatepass")
    return b"\xef\xbb\xbf" + data if text.startswith("\ufeff") else data


def _build_settings(path: str | None, folder: str | None = None) -> Settings:
    """Load a config, its rules and an engine, as `shiplint check` does for the same config (a
    .hadolint.yaml completing it, custom workload kinds registered). A config that cannot be used
    is reported through `Settings.error`, and the defaults are used."""
    from linter.config import Config, ConfigError, load_for_run
    from linter.engine.catalog import CatalogError, load_builtin, load_rules
    from linter.engine.run import Engine

    error = None
    try:
        config = load_for_run(path, folder)
        rules = load_rules(config)
        engine = Engine(rules, config, None, None, _overrides(config))
    except (ConfigError, CatalogError, ValueError) as e:
        error = str(e)
        config = Config()
        rules = load_builtin()
        engine = Engine(rules, config)
    help_uris = {a.rule.code: a.rule.help_uri for a in engine.active if a.rule.help_uri is not None}
    return Settings(config, rules, engine, help_uris, error)


def _overrides(config: Config) -> dict[str, object]:
    try:
        return config.parameter_overrides()
    except ValueError as e:
        raise ValueError(f"{config.path}: kubernetes-version: {e}") from None


# -- suppressions --------------------------------------------------------------------------------


def ignore_edit(source: SourceFile, document: object, code: str, line: int) -> Edit | None:
    """The edit that silences `code` for a finding that starts on `line` (1-based), or None
    where no comment can say it (JSON)."""
    if source.kind == "dockerfile":
        return _dockerfile_ignore(source, document, code, line)  # type: ignore[arg-type]
    if source.path.lower().endswith(".json") or source.text.lstrip().startswith(("{", "[")):
        return None  # JSON has no comments; the object's shiplint.dev/ignore annotation is the way
    return _yaml_ignore(source, document, code, line)  # type: ignore[arg-type]


def _newline(source: SourceFile) -> str:
    return "\r\n" if "\r\n" in source.text else "\r" if "\r" in source.text else "\n"


def _extend(match: re.Match[str], line: int, code: str) -> Edit:
    """Add a code to an existing `# shiplint ignore=...` comment."""
    return Edit(line - 1, match.end(2), f",{code}")


def _dockerfile_ignore(source: SourceFile, df: Dockerfile | None, code: str, line: int) -> Edit:
    """A comment line above the instruction that holds `line`, indented as it is; suppress.py
    applies it to the whole instruction (continuation lines and heredoc bodies too). An ignore
    comment already in the comment block above is extended instead."""
    target, block = line, []
    if df is not None:
        for ins in df.instructions:
            last = max([ins.span.end_line] + [h.body_span.end_line for h in ins.heredocs])
            if ins.span.line <= line <= last:
                target, block = ins.span.line, [n for n, _ in ins.comments]
                break
        else:  # a line that did not parse: the comment lines directly above it
            comment_lines = {n for n, _ in df.comments}
            n = line - 1
            while n in comment_lines:
                block.insert(0, n)
                n -= 1
    for n in reversed(block):
        text = source.line_text(n)
        m = IGNORE_COMMENT.search(text)
        if m and not m.group(1):
            return _extend(m, n, code)
    first = source.line_text(target)
    indent = first[: len(first) - len(first.lstrip())]
    return Edit(target - 1, 0, f"{indent}# shiplint ignore={code}{_newline(source)}")


def _yaml_ignore(source: SourceFile, manifest: Manifest | None, code: str, line: int) -> Edit:
    """An end-of-line comment on the finding's line. Where the line ends inside a string (a block
    scalar's header, a quoted string that goes on), a comment there would be text, so a comment
    line goes above instead, which suppress.py applies to the line below it."""
    from linter.engine.suppress import in_scalar, scalar_cover

    cover = scalar_cover(manifest) if manifest is not None else {}
    text = source.line_text(line)
    m = IGNORE_COMMENT.search(text)
    if m and not m.group(1) and not in_scalar(cover, line, m.start() + 1):
        return _extend(m, line, code)
    if not in_scalar(cover, line, len(text) + 1) and text.strip():
        body = text.rstrip()
        return Edit(line - 1, len(body), f"  # shiplint ignore={code}")
    above = source.line_text(line - 1) if line > 1 else ""
    m = IGNORE_COMMENT.search(above)
    if m and not m.group(1) and above.lstrip().startswith("#") and not in_scalar(cover, line - 1, 1):
        return _extend(m, line - 1, code)
    indent = text[: len(text) - len(text.lstrip())]
    return Edit(line - 1, 0, f"{indent}# shiplint ignore={code}{_newline(source)}")


# -- hover ---------------------------------------------------------------------------------------


def token_at(line_text: str, index: int) -> tuple[int, int, str] | None:
    """The selector under a 0-based code-point index on a line that mentions shiplint (a
    suppression comment, a shiplint.dev/ignore annotation): (start, end, text)."""
    if "shiplint" not in line_text:
        return None
    for m in _TOKEN.finditer(line_text):
        if m.start() <= index <= m.end() and m.end() > m.start():
            return m.start(), m.end(), m.group()
    return None


def find_rule(rules: list[Rule], token: str) -> Rule | None:
    """The rule a token names exactly: a code, a name or an alias (with or without its tool)."""
    low = token.lower()
    for r in rules:
        if r.code == token.upper() or r.name == low:
            return r
    for r in rules:
        if any(low == a.lower() or low == a.split(":", 1)[1].lower() for a in r.aliases):
            return r
    return None
