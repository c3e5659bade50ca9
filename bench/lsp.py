"""Latency of `shiplint lsp`: from a didChange to the publishDiagnostics for that version, on a
500-line manifest, once the server is warm (figures for closing notes; never asserted in tests).

    python bench/lsp.py [--changes 20] [--lines 500] [--debounce 0] [--server CMD]

The server runs as an editor starts it, over stdio, driven by pygls's own client. It is started
with `--debounce 0` by default, so that the figure is what linting and publishing cost, not the
wait for typing to stop: an editor user sees the configured debounce (200 ms by default) on top.
`--debounce MS` measures with a debounce instead. Each change edits one line in the middle of the
file (an image tag), alternately adding and removing a finding, and waits for its diagnostics
before the next. The target is a median within 100 ms. For reference, the same lint in-process,
without the protocol, is timed too.
"""

from __future__ import annotations

import argparse
import asyncio
import shlex
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SERVER = [sys.executable, "-c", "import sys; from linter.lsp import main; sys.exit(main(sys.argv[1:]))"]

DEPLOYMENT = """\
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-{i}
  namespace: shop
  labels: {{app: app-{i}, tier: backend}}
spec:
  replicas: 3
  selector:
    matchLabels: {{app: app-{i}}}
  template:
    metadata:
      labels: {{app: app-{i}, tier: backend}}
    spec:
      containers:
      - name: app
        image: registry.example.com/shop/app-{i}:1.{i}.0
        ports:
        - containerPort: 8080
        resources:
          requests: {{cpu: 100m, memory: 128Mi}}
          limits: {{cpu: 500m, memory: 256Mi}}
        readinessProbe:
          httpGet: {{path: /ready, port: 8080}}
        livenessProbe:
          httpGet: {{path: /live, port: 8080}}
        securityContext:
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
          runAsNonRoot: true
      - name: sidecar
        image: registry.example.com/shop/proxy:2.{i}
        resources:
          requests: {{cpu: 50m, memory: 64Mi}}
        env:
        - {{name: MODE, value: "sidecar"}}
        - {{name: INDEX, value: "{i}"}}
"""


def manifest(lines: int) -> str:
    """Whole Deployments, two containers each, padded with comment lines to exactly `lines`."""
    parts: list[str] = []
    count, i = 0, 0
    while count + DEPLOYMENT.count("\n") <= lines:
        parts.append(DEPLOYMENT.format(i=i))
        count += DEPLOYMENT.count("\n")
        i += 1
    parts.extend(f"# padding {n}\n" for n in range(lines - count))
    return "".join(parts)


async def run(args: argparse.Namespace) -> tuple[list[float], int]:
    from lsprotocol import types as lsp
    from pygls.lsp.client import LanguageClient

    folder = Path(tempfile.mkdtemp(prefix="shiplint-bench-"))
    (folder / ".git").mkdir()
    path = folder / "big.yaml"
    text = manifest(args.lines)
    path.write_text(text)
    uri = path.as_uri()
    lines = text.splitlines()
    # An image line in the middle of the file: its tag is removed (a KS101 finding appears) and put
    # back (it goes), alternately.
    target = next(n for n in range(len(lines) // 2, len(lines)) if "image: registry" in lines[n])
    tag_at = lines[target].rindex(":")
    tag = lines[target][tag_at:]

    client = LanguageClient("shiplint-bench", "1")
    arrived: dict[int, float] = {}
    event = asyncio.Event()

    @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params: lsp.PublishDiagnosticsParams) -> None:
        if params.version is not None:
            arrived[params.version] = time.perf_counter()
            event.set()

    async def published(version: int) -> None:
        while version not in arrived:
            event.clear()
            await asyncio.wait_for(event.wait(), 60)

    server = shlex.split(args.server) if args.server else SERVER
    await client.start_io(*server, "--debounce", str(args.debounce), cwd=str(folder))
    await client.initialize_async(
        lsp.InitializeParams(capabilities=lsp.ClientCapabilities(), root_uri=folder.as_uri())
    )
    client.initialized(lsp.InitializedParams())
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(uri, "yaml", 1, text)))
    await published(1)
    version, latencies = 1, []
    for n in range(args.warmup + args.changes):
        version += 1
        start_pos = lsp.Position(target, tag_at)
        if n % 2 == 0:  # remove the tag
            change = lsp.TextDocumentContentChangePartial(
                range=lsp.Range(start_pos, lsp.Position(target, tag_at + len(tag))), text=""
            )
        else:  # put it back
            change = lsp.TextDocumentContentChangePartial(range=lsp.Range(start_pos, start_pos), text=tag)
        sent = time.perf_counter()
        client.text_document_did_change(
            lsp.DidChangeTextDocumentParams(
                lsp.VersionedTextDocumentIdentifier(uri=uri, version=version), [change]
            )
        )
        await published(version)
        if n >= args.warmup:
            latencies.append(arrived[version] - sent)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return latencies, len(lines)


def in_process(lines: int, runs: int) -> float:
    from linter.lsp.analysis import Analyzer

    folder = Path(tempfile.mkdtemp(prefix="shiplint-bench-"))
    (folder / ".git").mkdir()
    text = manifest(lines)
    a = Analyzer()
    a.lint(str(folder / "big.yaml"), text, "kubernetes", str(folder))  # warm: engine, schemas
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        a.lint(str(folder / "big.yaml"), text, "kubernetes", str(folder))
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--changes", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=4, help="changes before timing starts")
    ap.add_argument("--lines", type=int, default=500)
    ap.add_argument("--debounce", type=int, default=0, help="the server's debounce, in ms (default 0)")
    ap.add_argument("--server", help="the server command (default: this checkout's linter.lsp)")
    a = ap.parse_args()
    latencies, lines = asyncio.run(run(a))
    ms = sorted(x * 1000 for x in latencies)
    print(f"shiplint lsp: {lines}-line manifest, {len(ms)} changes, debounce {a.debounce} ms")
    print(
        f"  didChange -> publishDiagnostics: median {statistics.median(ms):.1f} ms "
        f"(min {ms[0]:.1f}, max {ms[-1]:.1f})"
        + (f", of which {a.debounce} ms is the debounce" if a.debounce else "; target <= 100 ms")
    )
    print(f"  the same lint in-process, without the protocol: median {in_process(a.lines, 20) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
