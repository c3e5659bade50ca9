"""`shiplint lsp`: the language server, driven over stdio by pygls's own client, and its pieces.

The server tests start the real server in a subprocess and speak LSP to it: initialize, open a
Dockerfile and a manifest, read the published diagnostics (codes, links, UTF-16 ranges), change a
document, apply the "ignore CODE here" code action and see the diagnostic go, and hover on a code.
There are no timing assertions; every wait has a generous timeout. They are skipped when pygls is
not installed.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from linter.lsp.analysis import Analyzer, find_rule, ignore_edit, kind_for, token_at
from linter.lsp.positions import to_character, to_index, units

ROOT = Path(__file__).resolve().parent.parent
HAVE_PYGLS = importlib.util.find_spec("pygls") is not None
needs_pygls = pytest.mark.skipif(not HAVE_PYGLS, reason="pygls is not installed")
TIMEOUT = 60.0  # seconds; generous, for slow CI machines

# The emoji on the container line is outside the BMP: one code point, two UTF-16 units, so every
# column after it differs by one between shiplint's spans and LSP positions.
POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - {name: "\U0001f600", image: nginx}
"""
DOCKERFILE = """\
FROM alpine:3.20 AS build
RUN echo hi
    FROM busybox
"""


# -- positions ---------------------------------------------------------------------------------


def test_utf16_columns_count_astral_characters_twice() -> None:
    line = '  - {name: "\U0001f600", image: nginx}'
    assert units("\U0001f600") == 2
    assert units("\U0001f600", "utf-8") == 4
    assert units("\U0001f600", "utf-32") == 1
    assert units("é") == 1
    # `nginx` is at code-point column 24 (1-based): UTF-16 character 24 (0-based), one more than 23.
    assert to_character(line, 24) == 24
    assert to_character(line, 24, "utf-32") == 23
    assert to_character(line, 12) == 11  # before the emoji, nothing shifts
    assert to_character(line, 999) == units(line)  # clamped to the line's end
    assert to_index(line, 24) == 23
    assert to_index(line, 13) == 12  # the middle of the surrogate pair is the emoji itself
    assert to_index(line, 999) == len(line)


# -- the analysis, without the protocol ----------------------------------------------------------


def test_kind_for_buffers() -> None:
    assert kind_for("/x/Dockerfile", "dockerfile", "FROM a") == "dockerfile"
    assert kind_for("/x/app.containerfile", None, "FROM a") == "dockerfile"
    assert kind_for("/x/pod.yaml", "yaml", POD) == "kubernetes"
    assert kind_for("/x/compose.yaml", "yaml", "services: {}\n") is None  # no Kubernetes objects
    assert kind_for("/x/chart/t.yaml", "yaml", "apiVersion: v1\nkind: {{ .Kind }}\n") is None  # Helm
    assert kind_for("untitled-1", "dockerfile", "FROM a") == "dockerfile"  # by the editor's language
    assert kind_for("notes.txt", "plaintext", "FROM a") is None


def test_ignore_edit_yaml_end_of_line_and_extension(tmp_path: Path) -> None:
    a = Analyzer()
    r = a.lint(str(tmp_path / "pod.yaml"), POD, "kubernetes", str(tmp_path))
    edit = ignore_edit(r.source, r.document, "KS201", 7)
    assert edit is not None
    assert (edit.line, edit.index, edit.text) == (6, len(POD.splitlines()[6]), "  # shiplint ignore=KS201")
    # A line that already has an ignore comment gets the code added to it.
    text = POD.replace("image: nginx}", "image: nginx}  # shiplint ignore=KS101 pinned upstream")
    r = a.lint(str(tmp_path / "pod.yaml"), text, "kubernetes", str(tmp_path))
    edit = ignore_edit(r.source, r.document, "KS201", 7)
    assert edit is not None
    line = text.splitlines()[6]
    assert (edit.line, edit.index, edit.text) == (6, line.index(" pinned"), ",KS201")


def test_ignore_edit_yaml_line_ending_in_a_block_scalar(tmp_path: Path) -> None:
    text = POD.replace("- {name", "- args: |\n      --flag\n    name").replace(
        ", image: nginx}", "\n    image: x"
    )
    text = text.replace('"\U0001f600"', "web")
    a = Analyzer()
    r = a.lint(str(tmp_path / "pod.yaml"), text, "kubernetes", str(tmp_path))
    line = next(f.span.line for f in r.findings if f.code == "KS201")
    assert r.source.line_text(line).strip().startswith("- args: |")
    edit = ignore_edit(r.source, r.document, "KS201", line)
    assert edit is not None  # a comment after `|` would be read as text: a comment line above
    assert (edit.line, edit.index, edit.text) == (line - 1, 0, "  # shiplint ignore=KS201\n")


def test_ignore_edit_dockerfile_above_the_instruction(tmp_path: Path) -> None:
    a = Analyzer()
    text = "FROM alpine:3.20\nRUN echo a \\\n  && echo b\n"
    r = a.lint(str(tmp_path / "Dockerfile"), text, "dockerfile", str(tmp_path))
    edit = ignore_edit(r.source, r.document, "DF999", 3)  # a continuation line: above the RUN
    assert edit is not None
    assert (edit.line, edit.index, edit.text) == (1, 0, "# shiplint ignore=DF999\n")
    r = a.lint(str(tmp_path / "Dockerfile"), DOCKERFILE, "dockerfile", str(tmp_path))
    edit = ignore_edit(r.source, r.document, "DF001", 3)
    assert edit is not None
    assert (edit.line, edit.index, edit.text) == (2, 0, "    # shiplint ignore=DF001\n")  # its indentation
    text = "# shiplint ignore=DF003\nFROM busybox\n"
    r = a.lint(str(tmp_path / "Dockerfile"), text, "dockerfile", str(tmp_path))
    edit = ignore_edit(r.source, r.document, "DF001", 2)
    assert edit is not None
    assert (edit.line, edit.index, edit.text) == (0, len("# shiplint ignore=DF003"), ",DF001")


def test_no_ignore_comment_in_json(tmp_path: Path) -> None:
    a = Analyzer()
    text = '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"}, "spec": {"containers": []}}'
    r = a.lint(str(tmp_path / "pod.json"), text, "kubernetes", str(tmp_path))
    assert ignore_edit(r.source, r.document, "KS010", 1) is None


def test_token_and_rule_lookup() -> None:
    line = "# shiplint ignore=KS201,cpu-limit-missing,hadolint:DL3006 because"
    rules = Analyzer().settings_for(str(ROOT)).rules
    start, end, word = token_at(line, line.index("KS201") + 2) or (0, 0, "")
    assert word == "KS201" and line[start:end] == "KS201"
    assert (find_rule(rules, "KS201") or rules[0]).code == "KS201"
    assert (find_rule(rules, "cpu-limit-missing") or rules[0]).code == "KS202"
    assert (find_rule(rules, "hadolint:DL3006") or rules[0]).code == "DF001"
    assert (find_rule(rules, "DL3006") or rules[0]).code == "DF001"
    assert find_rule(rules, "because") is None
    assert token_at("image: KS201", 8) is None  # only on lines about shiplint


def test_workspace_config_applies_and_reloads(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".shiplint.yaml").write_text("ignore: [KS202]\n")
    sub = tmp_path / "deploy"
    sub.mkdir()
    a = Analyzer()
    codes = {f.code for f in a.lint(str(sub / "pod.yaml"), POD, "kubernetes", str(sub)).findings}
    assert "KS201" in codes and "KS202" not in codes
    (tmp_path / ".shiplint.yaml").write_text("ignore: [KS202, KS201]   # now both\n")
    codes = {f.code for f in a.lint(str(sub / "pod.yaml"), POD, "kubernetes", str(sub)).findings}
    assert "KS201" not in codes and "KS202" not in codes
    (tmp_path / ".shiplint.yaml").write_text("ignore: [NOPE999]\n")
    r = a.lint(str(sub / "pod.yaml"), POD, "kubernetes", str(sub))
    assert r.settings.error is not None and "NOPE999" in r.settings.error
    assert "KS202" in {f.code for f in r.findings}  # the defaults, while the config is broken


# -- import cost -----------------------------------------------------------------------------------


def test_check_does_not_import_pygls() -> None:
    """pygls costs ~0.3 s to import: `shiplint check` (and importing linter.lsp) must not load it."""
    code = (
        "import sys, io, contextlib\n"
        "import linter.cli, linter.lsp\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    rc = linter.cli.main(['check', 'examples', '--format', 'sarif'])\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('pygls', 'lsprotocol', 'cattrs'))\n"
        "assert rc == 1, rc\n"
        "assert not loaded, loaded\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr


# -- the server over stdio -------------------------------------------------------------------------


def _apply(text: str, edits: list[object]) -> str:
    """Apply TextEdits (UTF-16 positions) to a text, as an editor does."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)

    def offset(pos: object) -> int:
        line_no, character = pos.line, pos.character  # type: ignore[attr-defined]
        return offsets[line_no] + to_index(lines[line_no] if line_no < len(lines) else "", character)

    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):  # type: ignore[attr-defined]
        start, end = offset(e.range.start), offset(e.range.end)  # type: ignore[attr-defined]
        text = text[:start] + e.new_text + text[end:]  # type: ignore[attr-defined]
    return text


class Session:
    """A running server and a client that records what it publishes."""

    def __init__(self, workspace: Path) -> None:
        from lsprotocol import types as lsp
        from pygls.lsp.client import LanguageClient

        self.lsp = lsp
        self.workspace = workspace
        self.client = LanguageClient("shiplint-tests", "1")
        self.published: dict[str, list[object]] = {}
        self.arrived = asyncio.Condition()

        @self.client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        async def on_diagnostics(params: lsp.PublishDiagnosticsParams) -> None:
            async with self.arrived:
                self.published.setdefault(params.uri, []).append(params)
                self.arrived.notify_all()

    async def start(self) -> None:
        lsp = self.lsp
        await self.client.start_io(
            sys.executable,
            "-c",
            "import sys; from linter.lsp import main; sys.exit(main(sys.argv[1:]))",
            "--stdio",
            "--debounce",
            "50",
            cwd=str(self.workspace),
        )
        uri = self.workspace.as_uri()
        result = await asyncio.wait_for(
            self.client.initialize_async(
                lsp.InitializeParams(
                    capabilities=lsp.ClientCapabilities(),
                    root_uri=uri,
                    workspace_folders=[lsp.WorkspaceFolder(uri=uri, name="ws")],
                )
            ),
            TIMEOUT,
        )
        assert result.server_info is not None and result.server_info.name == "shiplint"
        self.client.initialized(lsp.InitializedParams())

    async def stop(self) -> None:
        await asyncio.wait_for(self.client.shutdown_async(None), TIMEOUT)
        self.client.exit(None)
        await asyncio.wait_for(self.client.stop(), TIMEOUT)

    async def diagnostics(self, uri: str, version: int) -> list[object]:
        """The diagnostics published for a document's version (waiting for them)."""

        def found() -> object | None:
            for p in reversed(self.published.get(uri, [])):
                if p.version == version:  # type: ignore[attr-defined]
                    return p
            return None

        async with self.arrived:
            await asyncio.wait_for(self.arrived.wait_for(lambda: found() is not None), TIMEOUT)
        return list(found().diagnostics)  # type: ignore[attr-defined]

    def open(self, path: Path, language: str, text: str) -> str:
        uri = path.as_uri()
        lsp = self.lsp
        self.client.text_document_did_open(
            lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(uri, language, 1, text))
        )
        return uri

    def replace_all(self, uri: str, version: int, text: str) -> None:
        lsp = self.lsp
        self.client.text_document_did_change(
            lsp.DidChangeTextDocumentParams(
                lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
                [lsp.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )


def _by_code(diagnostics: list[object]) -> dict[str, object]:
    return {d.code: d for d in diagnostics}  # type: ignore[attr-defined]


def _span(d: object) -> tuple[int, int, int, int]:
    r = d.range  # type: ignore[attr-defined]
    return (r.start.line, r.start.character, r.end.line, r.end.character)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()  # the config search stops here
    (tmp_path / ".shiplint.yaml").write_text("ignore: [KS202]   # the workspace's config applies\n")
    return tmp_path


@needs_pygls
def test_server_end_to_end(workspace: Path) -> None:
    asyncio.run(asyncio.wait_for(_end_to_end(workspace), 4 * TIMEOUT))


async def _end_to_end(workspace: Path) -> None:
    s = Session(workspace)
    lsp = s.lsp
    await s.start()
    try:
        # -- diagnostics on open -------------------------------------------------------------
        pod_uri = s.open(workspace / "pod.yaml", "yaml", POD)
        df_uri = s.open(workspace / "Dockerfile", "dockerfile", DOCKERFILE)
        pod = _by_code(await s.diagnostics(pod_uri, 1))
        assert {"KS101", "KS201", "KS409"} <= set(pod)
        assert "KS202" not in pod  # ignored by the workspace's .shiplint.yaml
        ks101 = pod["KS101"]
        # `nginx` is at code points 24-28 of line 7; after the emoji that is UTF-16 24 to 29.
        assert _span(ks101) == (6, 24, 6, 29)
        assert _span(pod["KS201"]) == (6, 5, 6, 15)  # `name: "😀"`: the emoji ends at unit 15
        assert ks101.source == "shiplint"  # type: ignore[attr-defined]
        assert ks101.severity == lsp.DiagnosticSeverity.Warning  # type: ignore[attr-defined]
        href = ks101.code_description.href  # type: ignore[attr-defined]
        assert href.endswith("/docs/rules.md#ks101-image-not-pinned")
        df = _by_code(await s.diagnostics(df_uri, 1))
        assert set(df) == {"DF001"}
        assert _span(df["DF001"]) == (2, 9, 2, 16)

        # -- a change is linted again ------------------------------------------------------------
        pinned = POD.replace("image: nginx}", "image: nginx:1.27}")
        s.replace_all(pod_uri, 2, pinned)
        pod = _by_code(await s.diagnostics(pod_uri, 2))
        assert "KS101" not in pod and "KS201" in pod
        # An incremental change whose range lies after the emoji (UTF-16 positions).
        at = lsp.Position(6, len('  - {name: "\U0001f600", image: nginx'.encode("utf-16-le")) // 2)
        s.client.text_document_did_change(
            lsp.DidChangeTextDocumentParams(
                lsp.VersionedTextDocumentIdentifier(uri=pod_uri, version=3),
                [
                    lsp.TextDocumentContentChangePartial(
                        range=lsp.Range(at, lsp.Position(6, at.character + 5)), text=""
                    )
                ],
            )
        )
        pod = _by_code(await s.diagnostics(pod_uri, 3))
        assert _span(pod["KS101"]) == (6, 24, 6, 29)  # the tag is gone again
        text = POD

        # -- "ignore CODE here" makes the diagnostic go away --------------------------------------
        actions = await asyncio.wait_for(
            s.client.text_document_code_action_async(
                lsp.CodeActionParams(
                    text_document=lsp.TextDocumentIdentifier(pod_uri),
                    range=pod["KS201"].range,  # type: ignore[attr-defined]
                    context=lsp.CodeActionContext(diagnostics=[pod["KS201"]]),  # type: ignore[list-item]
                )
            ),
            TIMEOUT,
        )
        assert actions
        action = next(a for a in actions if isinstance(a, lsp.CodeAction) and "KS201" in a.title)
        assert action.kind == lsp.CodeActionKind.QuickFix
        assert action.edit is not None and action.edit.changes is not None
        text = _apply(text, list(action.edit.changes[pod_uri]))
        assert text.splitlines()[6].endswith("}  # shiplint ignore=KS201")
        s.replace_all(pod_uri, 4, text)
        pod = _by_code(await s.diagnostics(pod_uri, 4))
        assert "KS201" not in pod and "KS203" in pod

        actions = await asyncio.wait_for(
            s.client.text_document_code_action_async(
                lsp.CodeActionParams(
                    text_document=lsp.TextDocumentIdentifier(df_uri),
                    range=df["DF001"].range,  # type: ignore[attr-defined]
                    context=lsp.CodeActionContext(diagnostics=[df["DF001"]]),  # type: ignore[list-item]
                )
            ),
            TIMEOUT,
        )
        action = next(a for a in actions or () if isinstance(a, lsp.CodeAction) and "DF001" in a.title)
        assert action.edit is not None and action.edit.changes is not None
        dockerfile = _apply(DOCKERFILE, list(action.edit.changes[df_uri]))
        assert dockerfile.splitlines()[2] == "    # shiplint ignore=DF001"
        s.replace_all(df_uri, 2, dockerfile)
        assert await s.diagnostics(df_uri, 2) == []

        # -- hover on a code in a suppression comment ---------------------------------------------
        hover = await asyncio.wait_for(
            s.client.text_document_hover_async(
                lsp.HoverParams(lsp.TextDocumentIdentifier(df_uri), lsp.Position(2, 27))
            ),
            TIMEOUT,
        )
        assert hover is not None and isinstance(hover.contents, lsp.MarkupContent)
        assert hover.contents.kind == lsp.MarkupKind.Markdown
        assert hover.contents.value.startswith("# DF001 base-image-untagged")
        assert hover.range is not None and (hover.range.start.character, hover.range.end.character) == (
            22,
            27,
        )
        line = text.splitlines()[6]
        at_code = len(line[: line.index("KS201") + 1].encode("utf-16-le")) // 2
        hover = await asyncio.wait_for(
            s.client.text_document_hover_async(
                lsp.HoverParams(lsp.TextDocumentIdentifier(pod_uri), lsp.Position(6, at_code))
            ),
            TIMEOUT,
        )
        assert hover is not None and "KS201 cpu-request-missing" in str(hover.contents)

        # -- saving the config lints the open documents again ------------------------------------
        before = len(s.published[pod_uri])
        config = workspace / ".shiplint.yaml"
        config.write_text("ignore: [KS202, KS203]\n")
        s.client.text_document_did_save(
            lsp.DidSaveTextDocumentParams(lsp.TextDocumentIdentifier(config.as_uri()))
        )
        async with s.arrived:
            await asyncio.wait_for(s.arrived.wait_for(lambda: len(s.published[pod_uri]) > before), TIMEOUT)
        pod = _by_code(list(s.published[pod_uri][-1].diagnostics))  # type: ignore[attr-defined]
        assert "KS203" not in pod and "KS204" in pod

        # -- a YAML file without Kubernetes objects is left alone; closing clears ----------------
        other = s.open(workspace / "compose.yaml", "yaml", "services:\n  web: {image: nginx}\n")
        s.client.text_document_did_close(lsp.DidCloseTextDocumentParams(lsp.TextDocumentIdentifier(pod_uri)))
        async with s.arrived:
            await asyncio.wait_for(
                s.arrived.wait_for(lambda: not s.published[pod_uri][-1].diagnostics),  # type: ignore[attr-defined]
                TIMEOUT,
            )
        assert other not in s.published
    finally:
        await s.stop()


def test_lsp_help_and_usage() -> None:
    run = [sys.executable, "-c", "import sys; from linter.lsp import main; sys.exit(main(sys.argv[1:]))"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([*run, "--help"], capture_output=True, text=True, timeout=60, env=env)
    assert proc.returncode == 0 and "usage: shiplint lsp" in proc.stdout
    proc = subprocess.run([*run, "--debounce", "soon"], capture_output=True, text=True, timeout=60, env=env)
    assert proc.returncode == 2 and "--debounce" in proc.stderr
