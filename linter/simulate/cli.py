"""`shiplint simulate` and the scheduling findings of `shiplint check --cluster`.

    shiplint simulate PATH... --cluster CLUSTER [--format text|json] [--capacity KIND/NAME]
                              [--grow POOL]

Exit codes: 0 when every pod is scheduled, 1 when any is Pending (or not created), 2 on errors:
an unreadable or invalid cluster file, an unreadable manifest, an invalid quantity, a usage error.
"""

from __future__ import annotations

import io
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from linter.findings import Finding
    from linter.ir.kubernetes import Manifest
    from linter.simulate.cluster import Cluster

USAGE = """\
usage: shiplint simulate PATH... --cluster CLUSTER [--format text|json]
                         [--capacity KIND/NAME] [--grow POOL]

Places the pods of the manifests' workloads on the cluster as kube-scheduler's default profile
would, and says where each lands or why it stays Pending.

  --cluster FILE        the cluster: kind: Cluster (compact form) or `kubectl get nodes,pods -A -o yaml`
  --format text|json    output format (default: text)
  --capacity KIND/NAME  also print how many more replicas of that workload would fit
  --grow POOL           also print how many more nodes of that node pool place everything Pending

exit status: 0 all scheduled; 1 something Pending; 2 errors
"""
OPTIONS = {"--cluster": True, "--format": True, "--capacity": True, "--grow": True}

SCHEDULING_CODE = "SCH001"
SCHEDULING_NAME = "unschedulable-workload"
QUANTITY_CODE = "SCH002"
QUANTITY_NAME = "invalid-quantity"


def load_manifests(paths: list[str]) -> tuple[list[Manifest], list[str]]:
    """The manifests of the files named (directories are walked for YAML holding Kubernetes
    objects), and one-line errors for what could not be read or parsed."""
    from linter.discover import discover
    from linter.engine.load import load, parse
    from linter.ir.kubernetes import Manifest

    candidates, notes = discover(paths)
    errors = list(notes)
    manifests: list[Manifest] = []
    for cand in candidates:
        if cand.path != "-" and cand.kind == "dockerfile":
            continue
        source = load(cand.path, "kubernetes", 64 * 1024 * 1024).source
        result = parse(source)
        for p in source.problems:
            errors.append(f"{source.path}:{p.span.line}:{p.span.column}: {p.message}")
        if isinstance(result, Manifest):
            manifests.append(result)
    return manifests, errors


def main(argv: list[str]) -> int:
    from linter.argv import HelpRequested, UsageError, parse_options

    try:
        paths, given = parse_options(argv, OPTIONS)
    except UsageError as e:
        print(f"shiplint: {e} (see shiplint simulate --help)", file=sys.stderr)
        return 2
    except HelpRequested:
        sys.stdout.write(USAGE)
        return 0
    opts = {name: values[-1] for name, values in given.items()}
    fmt = opts.get("--format", "text")
    if fmt not in ("text", "json"):
        print(f"shiplint: --format must be one of text, json (got {fmt!r})", file=sys.stderr)
        return 2
    if "--cluster" not in opts:
        print("shiplint: simulate needs --cluster FILE (see shiplint simulate --help)", file=sys.stderr)
        return 2
    if not paths:
        print("shiplint: simulate needs at least one PATH of manifests", file=sys.stderr)
        return 2
    from linter.simulate.cluster import ClusterError, load_cluster
    from linter.simulate.run import capacity, find_workload, grow, simulate

    try:
        cluster = load_cluster(opts["--cluster"])
    except ClusterError as e:
        print(f"shiplint: invalid cluster: {e}", file=sys.stderr)
        return 2
    manifests, errors = load_manifests(paths)
    if "--grow" in opts and opts["--grow"] not in cluster.pools:
        known = ", ".join(cluster.pools) or "none"
        print(
            f"shiplint: --grow: no node pool {opts['--grow']!r} in the cluster (pools: {known})",
            file=sys.stderr,
        )
        return 2
    outcome = simulate(manifests, cluster)
    for r, problem in outcome.expansion.problems:
        errors.append(
            f"{r.source.path}:{problem.span.line}:{problem.span.column}: {QUANTITY_CODE} {r.kind}/{r.name}: "
            f"{problem.message}"
        )
    from linter.simulate.report import to_json, write_text

    # The report shows the dry-run itself; --capacity then places more replicas on top of it.
    data = to_json(outcome)
    text = io.StringIO()
    write_text(outcome, text)
    pending = bool(outcome.pending)
    if "--capacity" in opts:
        w = find_workload(outcome, opts["--capacity"])
        if w is None:
            print(
                f"shiplint: --capacity: no workload {opts['--capacity']!r} in the manifests", file=sys.stderr
            )
            return 2
        more, why = capacity(outcome, w)
        data["capacity"] = {"workload": w.key, "more": more, "limit": why}
        text.write(f"capacity: {more} more replica(s) of {w.key} fit; the next one: {why}\n")
    if "--grow" in opts:
        pool = opts["--grow"]
        n = grow(manifests, cluster, pool)
        data["grow"] = {"pool": pool, "nodes": n}
        if n is None:
            text.write(f"grow: no number of extra {pool} nodes (up to 10,000) places every pending pod\n")
        else:
            text.write(f"grow: {n} more {pool} node(s) place every pending pod\n")
    if fmt == "json":
        import json

        json.dump(data, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(text.getvalue())
    for error in errors:
        print(f"shiplint: {error}", file=sys.stderr)
    if errors:
        return 2
    return 1 if pending else 0


def findings_for(manifests: list[Manifest], cluster: Cluster) -> list[Finding]:
    """`shiplint check --cluster`: one error per workload with replicas that would stay Pending
    (or not be created), at the workload's line, with kube-scheduler's message for the first; and
    one per invalid quantity that kept a workload out of the dry-run."""
    from linter.findings import Finding
    from linter.simulate.run import simulate

    outcome = simulate(manifests, cluster)
    findings: list[Finding] = []
    for r, problem in outcome.expansion.problems:
        findings.append(
            Finding(
                QUANTITY_CODE,
                QUANTITY_NAME,
                "error",
                problem.message,
                r.source.path,
                problem.span,
                object=r.object_id,
            )
        )
    by_pod = {id(p.pod): p for p in outcome.placements}
    for w in outcome.expansion.workloads:
        stuck = [by_pod[id(p)] for p in w.pods if id(p) in by_pod and by_pod[id(p)].status != "scheduled"]
        if not stuck:
            continue
        pending = [p for p in stuck if p.status == "pending"]
        first = pending[0] if pending else stuck[0]
        total = len(w.pods)
        what = f"{len(stuck)} of {total} replica(s)" if total > 1 else "the pod"
        message = f"{what} of {w.key} cannot be scheduled on the cluster: {first.message}"
        r = w.resource
        findings.append(
            Finding(
                SCHEDULING_CODE, SCHEDULING_NAME, "error", message, r.source.path, r.span, object=r.object_id
            )
        )
    findings.sort(key=lambda f: f.sort_key())
    return findings
