"""YAML parsing speed: the candidates for linter/parsers/yaml.py, and parse_manifest itself.

    .venv/bin/python bench/yaml_parse.py [--corpus ../shared/corpus/k8s/realworld] [--lines 5000]

Two inputs: the real-world manifests concatenated into one stream (`---` between files), and a
generated manifest of about --lines lines (bench/schemas.py's Deployments, Services and
ConfigMaps in turn). For each, the best of --repeat runs of:

  ruamel compose      ruamel.yaml's safe compose_all with its C parser (nodes with marks; no IR)
  pyyaml compose      PyYAML's compose_all with CSafeLoader (nodes with marks; no IR)
  pyyaml events       PyYAML's C event parser alone (yaml.parse with CSafeLoader; no IR)
  parse_manifest      the IR with every span and problem, on PyYAML's C events (what shiplint runs)
  parse_manifest (py) the same on PyYAML's pure-Python parser (the fallback without libyaml)
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def corpus_stream(folder: Path) -> str:
    texts = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in (".yaml", ".yml", ".json"):
            texts.append(path.read_bytes().decode("utf-8-sig").rstrip("\n"))
    return "\n---\n".join(texts) + "\n"


def generated(lines: int) -> str:
    from schemas import TEMPLATES

    docs: list[str] = []
    count = 0
    while count < lines:
        doc = TEMPLATES[len(docs) % 3].format(i=len(docs))
        docs.append(doc)
        count += doc.count("\n") + 1
    return "---\n".join(docs)


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def candidates(text: str) -> dict[str, Callable[[], object]]:
    import yaml
    from ruamel.yaml import YAML

    import linter.parsers.yaml as ours
    from linter.ir.source import SourceFile

    def ruamel_compose() -> object:
        return list(YAML(typ="safe", pure=False).compose_all(text))

    def pyyaml_compose() -> object:
        return list(yaml.compose_all(text, Loader=yaml.CSafeLoader))

    def pyyaml_events() -> object:
        return sum(1 for _ in yaml.parse(text, Loader=yaml.CSafeLoader))

    def parse_manifest() -> object:
        return ours.parse_manifest(SourceFile("bench.yaml", text, "kubernetes"))

    def parse_manifest_pure() -> object:
        saved = ours.PARSER
        ours.PARSER = ours._PureParser
        try:
            return ours.parse_manifest(SourceFile("bench.yaml", text, "kubernetes"))
        finally:
            ours.PARSER = saved

    return {
        "ruamel compose": ruamel_compose,
        "pyyaml compose": pyyaml_compose,
        "pyyaml events": pyyaml_events,
        "parse_manifest": parse_manifest,
        "parse_manifest (py)": parse_manifest_pure,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--corpus", type=Path, default=Path(ROOT).parent / "shared" / "corpus" / "k8s" / "realworld"
    )
    ap.add_argument("--lines", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    inputs = {f"generated ({args.lines:,} lines)": generated(args.lines)}
    if args.corpus.is_dir():
        inputs["real-world corpus"] = corpus_stream(args.corpus)
    for name, text in inputs.items():
        lines = text.count("\n")
        print(f"{name}: {lines:,} lines, {len(text):,} characters")
        for label, fn in candidates(text).items():
            repeat = 1 if label.endswith("(py)") else args.repeat
            s = best(fn, repeat)
            print(f"  {label:20} {s * 1000:8.1f} ms {lines / s:12,.0f} lines/s")


if __name__ == "__main__":
    main()
