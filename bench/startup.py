"""Benchmarks of shiplint's own, printed as figures for the closing notes (never asserted in tests).

    python bench/startup.py [--shiplint CMD] [--runs N]

- cold start: `shiplint check` on one small Dockerfile against a bare `python -c pass`, run
  alternately, median of N runs each, and their ratio (the target is at most 3x);
- corpus: the real-world files under ../shared/corpus linted in one process (when present).
"""

from __future__ import annotations

import argparse
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shiplint", default=str(ROOT / ".venv" / "bin" / "shiplint"))
    ap.add_argument("--runs", type=int, default=30)
    a = ap.parse_args()
    ship = shlex.split(a.shiplint)
    small = Path(tempfile.mkdtemp()) / "Dockerfile"
    small.write_text("FROM busybox\nRUN echo 'This is an echo from busybox.'\n")
    lint, floor = [*ship, "check", str(small)], [sys.executable, "-c", "pass"]
    timed(lint), timed(floor)
    ta, tb = [], []
    for _ in range(a.runs):
        ta.append(timed(lint))
        tb.append(timed(floor))
    ratios = sorted(x / y for x, y in zip(ta, tb, strict=True))
    print(
        f"cold start: shiplint {statistics.median(ta) * 1000:.1f} ms, python -c pass "
        f"{statistics.median(tb) * 1000:.1f} ms, ratio median {statistics.median(ratios):.2f} "
        f"(min {ratios[0]:.2f}, max {ratios[-1]:.2f}) over {a.runs} runs"
    )
    if CORPUS.is_dir():
        paths = [str(CORPUS / "dockerfile"), str(CORPUS / "k8s" / "realworld")]
        times = []
        for _ in range(3):
            start = time.perf_counter()
            p = subprocess.run([*ship, "check", "--format", "json", *paths], capture_output=True, text=True)
            times.append(time.perf_counter() - start)
        import json

        n = len(json.loads(p.stdout)["findings"]) if p.stdout.strip() else -1
        print(
            f"corpus: 599 real-world files in {statistics.median(times):.2f} s (median of 3), "
            f"exit {p.returncode}, {n} findings"
        )


if __name__ == "__main__":
    main()
