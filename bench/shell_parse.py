"""Which shell parser for RUN: shiplint's own, bashlex, or tree-sitter-bash, measured on the RUN
scripts of the real-world corpus (never asserted in tests).

    python bench/shell_parse.py [--runs N] [--corpus DIR]

bashlex and tree-sitter are not dependencies of shiplint: run this from a scratch virtualenv
that has them (`python3 -m venv /tmp/shellbench && /tmp/shellbench/bin/pip install bashlex
tree-sitter tree-sitter-bash && /tmp/shellbench/bin/pip install -e .`); a parser that is not
installed is skipped. For each parser it prints the CPU time to parse every POSIX script of every
RUN of the corpus (best of N runs; CPU time, because the shared build machine is loaded), the
scripts it fails on (an exception, or an ERROR / MISSING node in tree-sitter's tree), and the
time of its import statement in a fresh interpreter (median of N, byte-code cached), after what
shiplint has imported by then anyway.

Measured on the corpus of 341 Dockerfiles (1,451 RUN instructions and 31 ONBUILD RUNs, giving
1,424 POSIX scripts, 488 kB), Python 3.11, on the shared 2-core machine under load (a load average
of 7; `sum(range(10**7))` takes 0.16 s of CPU there):

| parser | parse, all scripts (CPU) | scripts failed | import (byte-code cached) |
|---|---|---|---|
| own (linter.shell) | 0.13-0.14 s | 12 with recorded errors, 0 exceptions | 3 ms |
| bashlex 0.18 | 1.3 s | 122 exceptions | 120 ms |
| tree-sitter 0.26.1 + tree-sitter-bash 0.25.1 | 0.05 s (bytes to tree only) | 14 error trees | 25-40 ms |

The own parser's 12 errors are real syntax errors (checkov fixtures with `'lol\\''`, which no
POSIX shell accepts). bashlex raises on 122 scripts (one in twelve) and is ten times
slower. tree-sitter is faster at
building its tree, but that tree is a foreign C object: walking it into commands, words and
redirections costs Python time again, its offsets are UTF-8 byte offsets to be mapped back
through our continuation-line map, it ships a native wheel per platform, and it has no notion
of a here-document body fed to a RUN. The own parser gives exact spans through the IR's offset
maps, records errors and goes on after them, bounds its nesting, and costs no dependency.
Figures are printed by this script; the table above is from its last run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "dockerfile"


def corpus_scripts(corpus: Path) -> tuple[list[str], int, int]:
    """The text of every POSIX script of every RUN in the corpus; the RUN and ONBUILD RUN counts."""
    from linter.ir.source import SourceFile
    from linter.parsers.dockerfile import parse_dockerfile
    from linter.shell import bind, scripts_of

    texts: list[str] = []
    runs = onbuild = 0
    for path in sorted(corpus.rglob("*")):
        if not path.is_file() or path.suffix in (".jsonl", ".tsv"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        df = parse_dockerfile(SourceFile(str(path), text, "dockerfile"))
        bind(df)
        for ins in df.instructions:
            target = ins.inner if ins.inner is not None else ins
            if target.keyword != "RUN":
                continue
            runs += ins.inner is None
            onbuild += ins.inner is not None
            texts.extend(s.text for s in scripts_of(target) if s.is_posix)
    return texts, runs, onbuild


def own(texts: list[str]) -> tuple[float, int, int]:
    from linter.ir.dockerfile import Instruction
    from linter.ir.source import Span
    from linter.shell.ast import Script
    from linter.shell.parser import parse

    span = Span(1, 1, 1, 2)
    ins = Instruction("RUN", "RUN", "", (), None, span, span, span)
    failed = exceptions = 0
    start = time.process_time()
    for text in texts:
        script = Script(text, "sh", ins, ins.position)
        try:
            parse(script)
        except Exception:
            exceptions += 1
        failed += bool(script.errors)
    return time.process_time() - start, failed, exceptions


def bashlex_parse(texts: list[str]) -> tuple[float, int, int]:
    import bashlex  # type: ignore[import-not-found]

    failed = 0
    start = time.process_time()
    for text in texts:
        try:
            bashlex.parse(text)
        except Exception:
            failed += 1
    return time.process_time() - start, failed, failed


def tree_sitter_parse(texts: list[str]) -> tuple[float, int, int]:
    import tree_sitter  # type: ignore[import-not-found]
    import tree_sitter_bash  # type: ignore[import-not-found]

    parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_bash.language()))
    failed = 0
    start = time.process_time()
    for text in texts:
        tree = parser.parse(text.encode("utf-8"))
        failed += tree.root_node.has_error
    return time.process_time() - start, failed, 0


def import_time(module: str, runs: int, setup: str = "") -> float:
    """Median time to import `module` in a fresh interpreter, after `setup` (what a run of shiplint
    has imported anyway before it needs the module)."""
    code = f"{setup}; import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    # Byte-code cached, as an installed wheel has it (the first run writes the cache).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp()
    subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, check=False)
    times = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
        )
        if out.returncode != 0:
            return float("nan")
        times.append(float(out.stdout))
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    a = ap.parse_args()
    if not a.corpus.is_dir():
        sys.exit(f"{a.corpus} is absent")
    texts, runs, onbuild = corpus_scripts(a.corpus)
    print(f"{runs} RUN and {onbuild} ONBUILD RUN instructions; {len(texts)} POSIX scripts, "
          f"{sum(map(len, texts)) / 1000:.0f} kB")  # fmt: skip
    parsers = [
        ("own (linter.shell)", own, "linter.shell.build", "import linter.parsers.dockerfile"),
        ("bashlex", bashlex_parse, "bashlex", "pass"),
        ("tree-sitter-bash", tree_sitter_parse, "tree_sitter, tree_sitter_bash", "pass"),
    ]
    for name, fn, module, setup in parsers:
        try:
            results = [fn(texts) for _ in range(a.runs)]
        except ImportError:
            print(f"{name}: not installed, skipped")
            continue
        best = min(r[0] for r in results)
        _, failed, exceptions = results[0]
        imp = import_time(module, a.runs, setup)
        print(f"{name}: {best:.3f} s CPU; {failed} scripts failed ({exceptions} exceptions); "
              f"import {imp * 1000:.1f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
