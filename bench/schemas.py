"""Schema validation throughput: resources per second, parsed and validated, on a generated input.

    .venv/bin/python bench/schemas.py [--resources 50000] [--per-file 100] [--jobs 2]

Writes N resources (Deployments, Services and ConfigMaps in turn, 25 lines on average) into files
of --per-file documents each, then times:

  load        loading one version of the bundled schemas (fresh process)
  parse       parse_manifest alone (the IR built from libyaml's events), trees dropped as used
  validate    KS010 alone on the parsed IR (the compiled fast path), and jsonschema on the same
              resources (a sample), for comparison
  pipeline    the engine's own path, as `check --select KS010,KS011,KS012,KS013` runs it: read,
              parse, lint, in one process, and split over --jobs processes
  cli         `shiplint check --select KS01` on the folder, end to end
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-{i}
  labels: {{app: web-{i}, tier: frontend}}
spec:
  replicas: 3
  selector:
    matchLabels: {{app: web-{i}}}
  template:
    metadata:
      labels: {{app: web-{i}}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - containerPort: 80
              name: http
          resources:
            requests: {{cpu: 100m, memory: 128Mi}}
            limits: {{cpu: 500m, memory: 256Mi}}
          readinessProbe:
            httpGet: {{path: /healthz, port: http}}
          env:
            - name: MODE
              value: production
"""
SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: web-{i}
spec:
  selector: {{app: web-{i}}}
  ports:
    - port: 80
      targetPort: http
"""
CONFIGMAP = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings-{i}
data:
  mode: production
  level: info
"""
TEMPLATES = (DEPLOYMENT, SERVICE, CONFIGMAP)
SELECT = ["KS010", "KS011", "KS012", "KS013"]


def generate(folder: str, n: int, per_file: int) -> list[str]:
    paths = []
    for start in range(0, n, per_file):
        docs = [TEMPLATES[i % 3].format(i=i) for i in range(start, min(n, start + per_file))]
        path = os.path.join(folder, f"r{start:06d}.yaml")
        with open(path, "w", encoding="utf-8") as f:
            f.write("---\n".join(docs))
        paths.append(path)
    return paths


def lint_files(paths: list[str]) -> tuple[int, int]:
    """(resources, findings) of linting `paths` through the engine, as `check` does."""
    from linter.config import Config
    from linter.engine.catalog import load_builtin
    from linter.engine.load import load, parse
    from linter.engine.run import Engine

    config = Config({})
    engine = Engine(load_builtin(), config, SELECT)
    resources = findings = 0
    gc.disable()  # as `check` runs a batch: the trees hold no cycles
    for path in paths:
        source = load(path, "kubernetes", config.max_file_size).source
        doc = parse(source)
        resources += len(doc.resources)  # type: ignore[union-attr]
        findings += len(engine.lint(source, doc))
    gc.enable()
    return resources, findings


LOAD = """
import time
t = time.perf_counter()
from linter.kubeschema import schemas
schemas({v!r}).lookup("apps/v1", "Deployment")
print((time.perf_counter() - t) * 1000)
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--resources", type=int, default=50_000)
    ap.add_argument("--per-file", type=int, default=100)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = ap.parse_args()

    loads = []
    for v in ("1.30", "1.37", "1.37", "1.37"):
        out = subprocess.run(
            [sys.executable, "-c", LOAD.format(v=v)], capture_output=True, text=True, cwd=ROOT
        )
        loads.append(float(out.stdout))
    print(
        f"load one version (fresh process, incl. imports of json/gzip): {min(loads):.1f}-{max(loads):.1f} ms"
    )

    from linter.ir.source import SourceFile
    from linter.kubeschema import schemas
    from linter.kubeschema.compiled import validate
    from linter.parsers.yaml import parse_manifest

    with tempfile.TemporaryDirectory() as tmp:
        paths = generate(tmp, args.resources, args.per_file)
        n = args.resources

        # Parsing as `check` does it: each file's tree dropped once used, and the cyclic collector
        # paused meanwhile (keeping 50,000 trees alive with it running measured its passes instead).
        gc.disable()
        t = time.perf_counter()
        count = 0
        for p in paths:
            with open(p, encoding="utf-8") as f:
                count += len(parse_manifest(SourceFile(p, f.read(), "kubernetes")).resources)
        parse_s = time.perf_counter() - t
        assert count == n, count
        print(f"parse only:    {n / parse_s:9,.0f} resources/s ({parse_s:.2f} s)")
        manifests = []
        for p in paths:  # (kept, for the validation below)
            with open(p, encoding="utf-8") as f:
                manifests.append(parse_manifest(SourceFile(p, f.read(), "kubernetes")))
        resources = [r for m in manifests for r in m.resources]

        s = schemas()
        t = time.perf_counter()
        errors = 0
        for r in resources:
            node = s.lookup(r.api_version, r.kind)
            if node is not None:
                errors += len(validate(node, r.node))
        validate_s = time.perf_counter() - t
        gc.enable()
        assert errors == 0, errors
        print(f"validate only: {n / validate_s:9,.0f} resources/s ({validate_s:.2f} s, compiled fast path)")

        try:
            from jsonschema import Draft202012Validator
            from referencing import Registry, Resource

            from linter.kubeschema import _data

            data = _data()
            index = data["index"][s.version]  # type: ignore[index]
            pool = data["pool"]  # type: ignore[index]
            defs = {name: _refs(json.loads(pool[i])) for name, i in index["defs"].items()}  # type: ignore[index]
            registry = Registry().with_resource(
                "urn:k8s",
                Resource.from_contents(
                    {"$schema": "https://json-schema.org/draft/2020-12/schema", "$defs": defs}
                ),
            )
            validators = {}
            sample = resources[:3000]
            t = time.perf_counter()
            for r in sample:
                name = index["kinds"][f"{r.api_version} {r.kind}"]  # type: ignore[index]
                v = validators.get(name)
                if v is None:
                    v = validators[name] = Draft202012Validator(
                        {"$ref": f"urn:k8s#/$defs/{name}"}, registry=registry
                    )
                list(v.iter_errors(r.node.to_python()))
            js = time.perf_counter() - t
            print(
                f"jsonschema:    {len(sample) / js:9,.0f} resources/s (on {len(sample):,}, warm validators)"
            )
        except ImportError:
            pass
        del manifests, resources

        t = time.perf_counter()
        count, findings = lint_files(paths)
        one = time.perf_counter() - t
        assert count == n and findings == 0, (count, findings)
        print(f"pipeline, 1 process:  {n / one:9,.0f} resources/s ({one:.2f} s: read, parse, KS010-KS013)")

        chunks = [paths[i :: args.jobs] for i in range(args.jobs)]
        t = time.perf_counter()
        with ProcessPoolExecutor(args.jobs) as pool_:
            done = list(pool_.map(lint_files, chunks))
        many = time.perf_counter() - t
        assert sum(c for c, _ in done) == n
        print(f"pipeline, {args.jobs} processes: {n / many:9,.0f} resources/s ({many:.2f} s, incl. start-up)")

        # The command users run: its own process pool takes over past PARALLEL_MIN_FILES files.
        cmd = [sys.executable, "-m", "linter", "check", "--format", "json", "--select", "KS01", tmp]
        t = time.perf_counter()
        out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        cli_s = time.perf_counter() - t
        assert out.returncode == 0, out.stderr[-2000:]
        print(f"shiplint check (CLI): {n / cli_s:9,.0f} resources/s ({cli_s:.2f} s, whole command)")


def _refs(schema: object) -> object:
    """The bundled body with its short refs made absolute for jsonschema's registry."""
    if isinstance(schema, dict):
        out = {k: _refs(v) for k, v in schema.items()}
        if isinstance(out.get("$ref"), str):
            out["$ref"] = f"urn:k8s#/$defs/{out['$ref']}"
        if isinstance(schema.get("properties"), dict):
            out["properties"] = {k: _refs(v) for k, v in schema["properties"].items()}
        return out
    if isinstance(schema, list):
        return [_refs(s) for s in schema]
    return schema


if __name__ == "__main__":
    main()
