"""Rules across files on a large directory: every Deployment with a Service, a budget and an
autoscaler, all in one folder, so that each rule relates thousands of objects at once.

    .venv/bin/python bench/crossfile.py [--workloads 5000]

Times `shiplint check --select KS7` (the rules across files, and the parsing they need) on the
folder. Before the lookups by name, label and scale target, a Service looked at every pod of
its namespace: 5,000 workloads took minutes.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

TEMPLATE = """\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: web-{i}}}
spec:
  replicas: 3
  selector: {{matchLabels: {{app: web-{i}}}}}
  template:
    metadata: {{labels: {{app: web-{i}, tier: frontend}}}}
    spec:
      containers:
        - {{name: web, image: "nginx:1.27", ports: [{{containerPort: 80, name: http}}]}}
---
apiVersion: v1
kind: Service
metadata: {{name: web-{i}}}
spec:
  selector: {{app: web-{i}}}
  ports: [{{port: 80, targetPort: http}}]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {{name: web-{i}}}
spec:
  minAvailable: 1
  selector: {{matchLabels: {{app: web-{i}}}}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {{name: web-{i}}}
spec:
  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: web-{i}}}
  minReplicas: 2
  maxReplicas: 5
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workloads", type=int, default=5000)
    ap.add_argument("--per-file", type=int, default=25)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for start in range(0, args.workloads, args.per_file):
            end = min(args.workloads, start + args.per_file)
            with open(os.path.join(tmp, f"w{start:06d}.yaml"), "w", encoding="utf-8") as f:
                f.write("---\n".join(TEMPLATE.format(i=i) for i in range(start, end)))
        cmd = [sys.executable, "-m", "linter", "check", "--format", "json", "--select", "KS7", tmp]
        t = time.perf_counter()
        out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        took = time.perf_counter() - t
        assert out.returncode in (0, 1), out.stderr[-2000:]
        objects = 4 * args.workloads
        rate = objects / took
        print(f"rules across files: {objects:,} objects in one folder, {took:.2f} s ({rate:,.0f} objects/s)")


if __name__ == "__main__":
    main()
