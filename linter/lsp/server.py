"""`shiplint lsp`: the language server, on pygls, over stdio.

- Diagnostics for Dockerfiles and Kubernetes YAML (and JSON) on open, change and save. A change
  is linted `debounce` seconds after the last one (200 ms by default), and only the changed
  document is linted again; open and save lint at once. Each document keeps its last result
  (source, IR, findings), which code actions reuse.
- The config is the one `shiplint check` would use for the file (see linter.lsp.analysis);
  saving a config file in the editor lints every open document again.
- Each diagnostic carries the rule code, a link to the rule's section of docs/rules.md, source
  "shiplint", the severity as configured, and its exact range in the negotiated position
  encoding (UTF-16 unless the client offers another).
- Code actions: "Ignore CODE here" inserts the suppression comment. No rule has a fix yet, so
  there are no fix actions.
- Hover on a rule code, name or alias in a suppression comment or annotation shows its doc.

pygls is imported here and nowhere else: `shiplint check` never pays for it.
"""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer

from linter import __version__
from linter.lsp import analysis
from linter.lsp.positions import to_character, to_index

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pygls.workspace import TextDocument

DEFAULT_DEBOUNCE = 0.2  # seconds after the last change
SEVERITY = {
    "error": lsp.DiagnosticSeverity.Error,
    "warning": lsp.DiagnosticSeverity.Warning,
    "info": lsp.DiagnosticSeverity.Information,
}
CONFIG_FILES = (".shiplint.yaml", ".shiplint.yml", "pyproject.toml", ".hadolint.yaml", ".hadolint.yml")


class DocState:
    """What the server keeps per open document: its last lint and the version it was of."""

    __slots__ = ("result", "version")

    def __init__(self, result: analysis.Result, version: int | None) -> None:
        self.result = result
        self.version = version


class ShiplintServer(LanguageServer):
    def __init__(self, debounce: float = DEFAULT_DEBOUNCE) -> None:
        super().__init__(
            "shiplint", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental
        )
        self.debounce = debounce
        self.analyzer = analysis.Analyzer()
        self.open_uris: set[str] = set()
        self.docs: dict[str, DocState] = {}
        self.pending: dict[str, asyncio.Task[None]] = {}
        # Linting runs on one worker thread, so that requests (hover, code actions) are answered
        # while a long file is linted; one thread, so that lints never overlap.
        self.lint_pool = ThreadPoolExecutor(1, thread_name_prefix="shiplint-lint")

    # -- where a document is, and as what -------------------------------------------------------

    @property
    def encoding(self) -> str:
        enc = self.workspace.position_encoding or lsp.PositionEncodingKind.Utf16
        return str(getattr(enc, "value", enc))

    def locate(self, uri: str, doc: TextDocument) -> tuple[str, str]:
        """The path a document is linted as, and the folder its config is searched from. A
        document that is not a file (an unsaved buffer) uses the workspace root's config."""
        if uri.startswith("file:") and doc.path:
            return doc.path, os.path.dirname(doc.path)
        return doc.filename or doc.path or uri, self.workspace.root_path or os.getcwd()

    # -- linting ----------------------------------------------------------------------------------

    def schedule(self, uri: str, delay: float) -> None:
        """Lint a document after `delay` seconds, replacing a lint already waiting for it."""
        old = self.pending.pop(uri, None)
        if old is not None:
            old.cancel()
        self.pending[uri] = asyncio.get_running_loop().create_task(self._lint_later(uri, delay))

    async def _lint_later(self, uri: str, delay: float) -> None:
        task = asyncio.current_task()
        try:
            if delay > 0:
                await asyncio.sleep(delay)
            await self.lint(uri)
        except asyncio.CancelledError:
            raise
        except Exception as e:  # a defect: say so in the client's log, keep serving
            self.log(f"internal error linting {uri}: {type(e).__name__}: {e}", lsp.MessageType.Error)
        finally:
            if self.pending.get(uri) is task:
                del self.pending[uri]

    async def lint(self, uri: str) -> None:
        if uri not in self.open_uris:
            return
        doc = self.workspace.get_text_document(uri)
        text, version = doc.source, doc.version
        path, folder = self.locate(uri, doc)
        kind = analysis.kind_for(path, doc.language_id, text)
        if kind is None:  # not (or no longer) a Dockerfile or manifest
            if self.docs.pop(uri, None) is not None:
                self.publish(uri, version, [])
            return
        loop = asyncio.get_running_loop()
        result = await loop.run_in_executor(self.lint_pool, self.analyzer.lint, path, text, kind, folder)
        if uri not in self.open_uris or self.workspace.get_text_document(uri).version != version:
            return  # changed meanwhile: the lint of the newer text is on its way
        self.docs[uri] = DocState(result, version)
        for message in result.internal_errors:
            self.log(f"internal error: {message}", lsp.MessageType.Error)
        self.publish(uri, version, self.diagnostics(result))

    def publish(self, uri: str, version: int | None, diagnostics: list[lsp.Diagnostic]) -> None:
        self.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
        )

    def log(self, message: str, kind: lsp.MessageType = lsp.MessageType.Info) -> None:
        self.window_log_message(lsp.LogMessageParams(type=kind, message=f"shiplint: {message}"))

    def diagnostics(self, result: analysis.Result) -> list[lsp.Diagnostic]:
        enc = self.encoding
        source = result.source
        out: list[lsp.Diagnostic] = []
        if result.settings.error is not None:
            first = source.line_text(1)
            out.append(
                lsp.Diagnostic(
                    range=lsp.Range(
                        lsp.Position(0, 0), lsp.Position(0, to_character(first, len(first) + 1, enc))
                    ),
                    message=f"config not used, linting with the defaults: {result.settings.error}",
                    severity=lsp.DiagnosticSeverity.Error,
                    source="shiplint",
                )
            )
        uris = result.settings.help_uris
        for f in result.findings:
            s = f.span
            end_line, end_column = s.end_line, s.end_column
            if (end_line, end_column) <= (s.line, s.column):  # an empty span: mark one character
                end_line, end_column = s.line, s.column + 1
            start = lsp.Position(s.line - 1, to_character(source.line_text(s.line), s.column, enc))
            end = lsp.Position(end_line - 1, to_character(source.line_text(end_line), end_column, enc))
            href = uris.get(f.code)
            out.append(
                lsp.Diagnostic(
                    range=lsp.Range(start, end),
                    message=f.message,
                    severity=SEVERITY.get(f.severity, lsp.DiagnosticSeverity.Warning),
                    code=f.code,
                    code_description=lsp.CodeDescription(href=href) if href else None,
                    source="shiplint",
                )
            )
        return out

    # -- code actions and hover ----------------------------------------------------------------

    def code_actions(self, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        uri = params.text_document.uri
        state = self.docs.get(uri)
        if state is None:
            return []
        doc = self.workspace.get_text_document(uri)
        source, document = state.result.source, state.result.document
        current = doc.version == state.version
        if not current:  # edits not linted yet: place the comment in the text as it is now
            from linter.engine.load import parse
            from linter.ir.source import SourceFile

            source = SourceFile(source.path, doc.source, source.kind)
            document = parse(source)
        wanted: dict[tuple[str, int], lsp.Diagnostic | None] = {}
        for d in params.context.diagnostics:
            if d.source == "shiplint" and isinstance(d.code, str):
                wanted.setdefault((d.code, d.range.start.line), d)
        if not wanted and current:  # a client that sends no diagnostics: those in the range
            first, last = params.range.start.line, params.range.end.line
            for f in state.result.findings:
                if first <= f.span.line - 1 <= last:
                    wanted.setdefault((f.code, f.span.line - 1), None)
        enc = self.encoding
        actions = []
        for (code, line), diagnostic in wanted.items():
            edit = analysis.ignore_edit(source, document, code, line + 1)
            if edit is None:
                continue
            at = lsp.Position(edit.line, to_character(source.line_text(edit.line + 1), edit.index + 1, enc))
            actions.append(
                lsp.CodeAction(
                    title=f"Ignore {code} here (shiplint)",
                    kind=lsp.CodeActionKind.QuickFix,
                    diagnostics=[diagnostic] if diagnostic is not None else None,
                    edit=lsp.WorkspaceEdit(changes={uri: [lsp.TextEdit(lsp.Range(at, at), edit.text)]}),
                )
            )
        return actions

    def hover(self, params: lsp.HoverParams) -> lsp.Hover | None:
        from linter.ir.source import SourceFile
        from linter.report.docs import rule_markdown

        uri = params.text_document.uri
        doc = self.workspace.get_text_document(uri)
        line = params.position.line
        text = SourceFile("", doc.source, "").line_text(line + 1)
        enc = self.encoding
        token = analysis.token_at(text, to_index(text, params.position.character, enc))
        if token is None:
            return None
        start, end, word = token
        settings = self.analyzer.settings_for(self.locate(uri, doc)[1])
        rule = analysis.find_rule(settings.rules, word)
        if rule is None:
            return None
        body = rule_markdown(rule)
        href = settings.help_uris.get(rule.code)
        if href:
            body += f"[{rule.code} in docs/rules.md]({href})\n"
        return lsp.Hover(
            contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=body),
            range=lsp.Range(
                lsp.Position(line, to_character(text, start + 1, enc)),
                lsp.Position(line, to_character(text, end + 1, enc)),
            ),
        )


def create_server(debounce: float = DEFAULT_DEBOUNCE) -> ShiplintServer:
    server = ShiplintServer(debounce)

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: ShiplintServer, params: lsp.DidOpenTextDocumentParams) -> None:
        ls.open_uris.add(params.text_document.uri)
        ls.schedule(params.text_document.uri, 0)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: ShiplintServer, params: lsp.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, ls.debounce)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE, lsp.SaveOptions(include_text=False))
    def did_save(ls: ShiplintServer, params: lsp.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if uri.rsplit("/", 1)[-1] in CONFIG_FILES:  # the config changed: every document may change
            ls.analyzer.invalidate()
            for other in ls.open_uris:
                ls.schedule(other, 0)
        ls.schedule(uri, 0)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: ShiplintServer, params: lsp.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.open_uris.discard(uri)
        task = ls.pending.pop(uri, None)
        if task is not None:
            task.cancel()
        if ls.docs.pop(uri, None) is not None:
            ls.publish(uri, None, [])  # a closed file's diagnostics go away with it

    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]),
    )
    def code_action(ls: ShiplintServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        return ls.code_actions(params)

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def hover(ls: ShiplintServer, params: lsp.HoverParams) -> lsp.Hover | None:
        return ls.hover(params)

    return server
