"""Throughput of the scheduling dry-run on generated clusters (figures for closing notes; never
asserted in tests).

    python bench/simulate.py [--nodes 5000] [--pods 4000]

- basic: pods with cpu/memory requests, a nodeSelector and tolerations (target >= 2,000 pods/s);
- spread: pods with a DoNotSchedule zone spread constraint and a required hostname anti-affinity
  (target >= 300 pods/s).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from linter.simulate.cluster import Cluster, Node
from linter.simulate.pods import Pod, Spread
from linter.simulate.scheduler import Scheduler


def cluster(nodes: int) -> Cluster:
    rng = random.Random(1)
    c = Cluster("<generated>")
    for i in range(nodes):
        labels = {"topology.kubernetes.io/zone": f"z{i % 5}", "pool": "general" if i % 10 else "batch"}
        taints = (("dedicated", "batch", "NoSchedule"),) if i % 10 == 0 else ()
        alloc = {
            "cpu": rng.choice((4000, 8000, 16000)),
            "memory": rng.choice((16, 32, 64)) * 2**30,
            "pods": 110,
        }
        c.nodes.append(Node(f"node-{i:05d}", alloc, labels, taints))
    return c


def basic_pod(i: int) -> Pod:
    p = Pod(f"basic-{i}", "default")
    p.labels = {"app": "basic"}
    p.requests = {"cpu": 250, "memory": 512 * 2**20}
    p.nonzero_cpu, p.nonzero_memory = 250, 512 * 2**20
    p.node_selector = {"pool": "general"}
    p.tolerations = (("dedicated", "Equal", "batch", "NoSchedule"),)
    return p


def spread_pod(i: int) -> Pod:
    p = basic_pod(i)
    p.name = f"spread-{i}"
    p.labels = {"app": "spread"}
    sel = (("app", "In", ("spread",)),)
    p.spread = (Spread("topology.kubernetes.io/zone", 1, True, sel),)
    p.anti_req = ((frozenset(("default",)), sel, "kubernetes.io/hostname"),)
    return p


def run(name: str, nodes: int, pods: list[Pod]) -> None:
    sched = Scheduler(cluster(nodes), pods)
    start = time.perf_counter()
    placed = sum(1 for p in pods if sched.schedule(p).status == "scheduled")
    elapsed = time.perf_counter() - start
    rate = len(pods) / elapsed
    print(
        f"{name:7} {nodes:,} nodes: {len(pods):,} pods ({placed:,} placed) in {elapsed:.2f} s = {rate:,.0f}/s"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--nodes", type=int, default=5000)
    ap.add_argument("--pods", type=int, default=4000)
    a = ap.parse_args()
    run("basic", a.nodes, [basic_pod(i) for i in range(a.pods)])
    run("spread", a.nodes, [spread_pod(i) for i in range(a.pods)])


if __name__ == "__main__":
    main()
