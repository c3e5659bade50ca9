# ruff: noqa: E501  (YAML snippets and expected messages read best on one line)
"""Hand-computed scheduling scenarios, one per filter and for the scores, written from
kube-scheduler's semantics (the reasoning is in the comments), plus the kubectl-dump input,
--capacity, --grow, bad cluster files and a seeded property test."""

from __future__ import annotations

import json
import random
import textwrap

import pytest

from linter.ir.source import SourceFile
from linter.parsers.yaml import parse_manifest, parse_single
from linter.simulate.cli import findings_for, main
from linter.simulate.cluster import ClusterError, load_cluster, read_cluster
from linter.simulate.run import simulate


def cluster(text: str):
    src = SourceFile("cluster.yaml", textwrap.dedent(text), "kubernetes")
    return read_cluster(parse_single(src), "cluster.yaml")


def manifests(text: str):
    return [parse_manifest(SourceFile("app.yaml", textwrap.dedent(text), "kubernetes"))]


def run(cluster_text: str, app: str):
    out = simulate(manifests(app), cluster(cluster_text))
    return {p.pod.name: p for p in out.placements}


THREE = """
apiVersion: shiplint/v1
kind: Cluster
nodes:
  - {name: a, allocatable: {cpu: "2", memory: 4Gi}, labels: {zone: z1, disk: ssd}}
  - {name: b, allocatable: {cpu: "4", memory: 8Gi}, labels: {zone: z2}}
  - {name: c, allocatable: {cpu: "4", memory: 8Gi}, labels: {zone: z3},
     taints: [{key: dedicated, value: gpu, effect: NoSchedule}]}
"""


def pod(name: str, spec: str, labels: str = "{}") -> str:
    return f"""
---
apiVersion: v1
kind: Pod
metadata: {{name: {name}, labels: {labels}}}
spec:
{textwrap.indent(textwrap.dedent(spec).strip(), "  ")}
"""


def test_resources_and_taints_message():
    # 3 cpu: a has 2 (Insufficient cpu), c is tainted (TaintToleration comes before
    # NodeResourcesFit, so c counts only as tainted), b fits.
    r = run(THREE, pod("p", "containers: [{name: x, image: x, resources: {requests: {cpu: '3'}}}]"))
    assert r["p"].node == "b"
    # 5 cpu fits nowhere: the kube-scheduler message, counts sorted as strings.
    r = run(THREE, pod("p", "containers: [{name: x, image: x, resources: {requests: {cpu: '5'}}}]"))
    assert r["p"].status == "pending"
    assert (
        r["p"].message == "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu."
    )
    assert r["p"].reasons == {"node(s) had untolerated taint(s)": 1, "Insufficient cpu": 2}


def test_requests_default_to_limits_and_init_containers():
    # limits only: the request is the limit (3 cpu) -> only b fits among untainted nodes.
    r = run(THREE, pod("p", "containers: [{name: x, image: x, resources: {limits: {cpu: '3'}}}]"))
    assert r["p"].node == "b"
    # containers 1 cpu, an init container 5 cpu: max(1, 5) = 5 -> fits nowhere.
    spec = """
    initContainers: [{name: i, image: i, resources: {requests: {cpu: '5'}}}]
    containers: [{name: x, image: x, resources: {requests: {cpu: '1'}}}]
    """
    assert run(THREE, pod("p", spec))["p"].status == "pending"
    # a sidecar (restartPolicy Always) adds to the containers: 1.5 + 1 = 2.5 > a's 2 cpu, and a
    # later init container needs its own 1 + the sidecar's 1.5 = 2.5 too; with nodeSelector
    # disk=ssd only a is possible -> Pending with Insufficient cpu.
    spec = """
    nodeSelector: {disk: ssd}
    initContainers:
      - {name: s, image: s, restartPolicy: Always, resources: {requests: {cpu: 1500m}}}
    containers: [{name: x, image: x, resources: {requests: {cpu: '1'}}}]
    """
    r = run(THREE, pod("p", spec))
    assert r["p"].reasons == {
        "Insufficient cpu": 1,
        "node(s) didn't match Pod's node affinity/selector": 1,
        "node(s) had untolerated taint(s)": 1,
    }


def test_toleration_and_extended_resources():
    spec = """
    tolerations: [{key: dedicated, operator: Equal, value: gpu, effect: NoSchedule}]
    nodeSelector: {zone: z3}
    containers: [{name: x, image: x, resources: {limits: {nvidia.com/gpu: 1}}}]
    """
    # c is tolerated and selected, but has no nvidia.com/gpu: Insufficient nvidia.com/gpu.
    r = run(THREE, pod("p", spec))
    assert r["p"].reasons["Insufficient nvidia.com/gpu"] == 1


def test_node_affinity_operators_and_match_fields():
    spec = """
    affinity:
      nodeAffinity:
        requiredDuringSchedulingIgnoredDuringExecution:
          nodeSelectorTerms:
            - matchExpressions: [{key: zone, operator: NotIn, values: [z2, z3]}]
            - matchFields: [{key: metadata.name, operator: In, values: [b]}]
    containers: [{name: x, image: x}]
    """
    # The terms are ORed: a (zone z1) and b (by name) match; both fit. Scores: BestEffort, so
    # LeastAllocated with 100m/200Mi: a 2 cpu -> (1900*100/2000)=95, mem 4Gi ->
    # 100*(4096-200)/4096=95 -> 95; b: cpu 97, mem 97 -> 97. b wins.
    assert run(THREE, pod("p", spec))["p"].node == "b"
    gt = """
    affinity:
      nodeAffinity:
        requiredDuringSchedulingIgnoredDuringExecution:
          nodeSelectorTerms: [{matchExpressions: [{key: rank, operator: Gt, values: ["5"]}]}]
    containers: [{name: x, image: x}]
    """
    c = THREE.replace("labels: {zone: z1, disk: ssd}", "labels: {zone: z1, rank: '7'}")
    assert run(c, pod("p", gt))["p"].node == "a"


def test_unschedulable_and_node_name_bypass():
    c = THREE.replace("labels: {zone: z2}}", "labels: {zone: z2}, unschedulable: true}")
    r = run(c, pod("p", "containers: [{name: x, image: x, resources: {requests: {cpu: '3'}}}]"))
    assert r["p"].reasons == {
        "node(s) were unschedulable": 1,
        "node(s) had untolerated taint(s)": 1,
        "Insufficient cpu": 1,
    }
    # spec.nodeName binds to the cordoned node anyway (the kubelet ignores a cordon) ...
    r = run(c, pod("p", "nodeName: b\ncontainers: [{name: x, image: x}]"))
    assert r["p"].node == "b" and r["p"].bypassed
    # ... but the kubelet rejects it when its resources do not fit.
    r = run(c, pod("p", "nodeName: a\ncontainers: [{name: x, image: x, resources: {requests: {cpu: '3'}}}]"))
    assert r["p"].status == "pending" and "Insufficient cpu" in r["p"].message


def test_host_ports():
    spec = "nodeSelector: {zone: z1}\ncontainers: [{name: x, image: x, ports: [{containerPort: 80, hostPort: 80}]}]"
    r = run(THREE, pod("p1", spec) + pod("p2", spec))
    assert r["p1"].node == "a"
    assert r["p2"].reasons["node(s) didn't have free ports for the requested pod ports"] == 1


def test_topology_spread_and_anti_affinity():
    # maxSkew 1 over zones among the untainted nodes a (z1), b (z2); c is tainted but with
    # nodeTaintsPolicy Ignore its zone z3 still counts as a domain, so minimum stays 0 and each
    # zone takes one pod before any takes a second: p0 -> b (scores: b emptier), p1 -> a,
    # p2 -> skew on a and b would be 1 + 1 - 0 = 2 > 1 -> Pending.
    spec = """
    topologySpreadConstraints:
      - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: s}}}
    containers: [{name: x, image: x}]
    """
    r = run(THREE, "".join(pod(f"p{i}", spec, "{app: s}") for i in range(3)))
    assert {r["p0"].node, r["p1"].node} == {"a", "b"}
    assert r["p2"].reasons == {
        "node(s) didn't match pod topology spread constraints": 2,
        "node(s) had untolerated taint(s)": 1,
    }
    anti = """
    affinity:
      podAntiAffinity:
        requiredDuringSchedulingIgnoredDuringExecution:
          - {topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {app: s}}}
    containers: [{name: x, image: x}]
    """
    r = run(THREE, "".join(pod(f"p{i}", anti, "{app: s}") for i in range(3)))
    assert r["p2"].reasons == {
        "node(s) didn't match pod anti-affinity rules": 2,
        "node(s) had untolerated taint(s)": 1,
    }
    # An unrelated pod is refused too: the existing pods' anti-affinity matches its labels.
    r = run(
        THREE,
        pod("p0", anti, "{app: s}")
        + pod("p1", anti, "{app: s}")
        + pod("q", "containers: [{name: x, image: x}]", "{app: s}"),
    )
    assert r["q"].reasons["node(s) didn't satisfy existing pods anti-affinity rules"] == 2


def test_pod_affinity_first_pod_exception():
    aff = """
    affinity:
      podAffinity:
        requiredDuringSchedulingIgnoredDuringExecution:
          - {topologyKey: zone, labelSelector: {matchLabels: {app: g}}}
    containers: [{name: x, image: x}]
    """
    # The first pod matches its own term and no matching pod exists: allowed anywhere. The
    # second must join the first's zone.
    r = run(THREE, pod("g0", aff, "{app: g}") + pod("g1", aff, "{app: g}"))
    assert r["g0"].node == r["g1"].node
    # A pod not matching its own term has nowhere to go.
    r = run(THREE, pod("h", aff, "{app: other}"))
    assert r["h"].reasons["node(s) didn't match pod affinity rules"] == 2


def test_scores_least_allocated_and_ties():
    # Two identical empty nodes tie: the first name wins; the second pod then goes to the
    # emptier node (LeastAllocated 75 vs 50... and BalancedAllocation equal).
    c = """
    apiVersion: shiplint/v1
    kind: Cluster
    nodePools: [{name: p, count: 2, allocatable: {cpu: "4", memory: 4Gi}}]
    """
    spec = "containers: [{name: x, image: x, resources: {requests: {cpu: '1', memory: 1Gi}}}]"
    r = run(c, pod("x0", spec) + pod("x1", spec))
    assert (r["x0"].node, r["x1"].node) == ("p-0", "p-1")


def test_prefer_no_schedule_and_preferred_affinity():
    c = """
    apiVersion: shiplint/v1
    kind: Cluster
    nodes:
      - {name: a, allocatable: {cpu: "4", memory: 4Gi}, taints: [{key: k, effect: PreferNoSchedule}]}
      - {name: b, allocatable: {cpu: "4", memory: 4Gi}, labels: {fast: "yes"}}
    """
    # a's PreferNoSchedule taint costs it TaintToleration (0 vs 100, weight 3): b wins despite
    # a sorting first.
    assert run(c, pod("p", "containers: [{name: x, image: x}]"))["p"].node == "b"
    spec = """
    tolerations: [{key: k, operator: Exists}]
    affinity:
      nodeAffinity:
        preferredDuringSchedulingIgnoredDuringExecution:
          - {weight: 10, preference: {matchExpressions: [{key: fast, operator: Exists}]}}
    containers: [{name: x, image: x}]
    """
    assert run(c, pod("p", spec))["p"].node == "b"


DEPLOY = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: w, image: w, resources: {requests: {cpu: "1"}}}]
"""


def test_system_default_spreading_spreads_replicas():
    c = """
    apiVersion: shiplint/v1
    kind: Cluster
    nodePools: [{name: p, count: 3, allocatable: {cpu: "8", memory: 8Gi}, zones: [z1, z2, z3]}]
    """
    r = run(c, DEPLOY)
    assert sorted(p.node for p in r.values()) == ["p-0", "p-1", "p-2"]


def test_statefulset_ordered_ready_and_daemonset():
    c = """
    apiVersion: shiplint/v1
    kind: Cluster
    nodes:
      - {name: a, allocatable: {cpu: "1", memory: 1Gi}}
      - {name: t, allocatable: {cpu: "1", memory: 1Gi}, taints: [{key: x, effect: NoSchedule}]}
    """
    app = """
    apiVersion: apps/v1
    kind: StatefulSet
    metadata: {name: db}
    spec:
      replicas: 3
      selector: {matchLabels: {app: db}}
      template:
        metadata: {labels: {app: db}}
        spec: {containers: [{name: d, image: d, resources: {requests: {cpu: 600m}}}]}
    ---
    apiVersion: apps/v1
    kind: DaemonSet
    metadata: {name: agent}
    spec:
      selector: {matchLabels: {app: agent}}
      template:
        metadata: {labels: {app: agent}}
        spec: {containers: [{name: a, image: a, resources: {requests: {cpu: 100m}}}]}
    """
    r = run(c, app)
    assert r["db-0"].node == "a" and r["db-1"].status == "pending" and r["db-2"].status == "not-created"
    # The DaemonSet targets only a (t's taint is not among the default daemon tolerations).
    assert set(n for n in r if n.startswith("agent")) == {"agent-a"}


def test_hpa_priority_and_findings():
    app = (
        DEPLOY.replace("replicas: 3", "replicas: 1")
        + """
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, minReplicas: 4, maxReplicas: 9}
"""
    )
    c = cluster("""
    apiVersion: shiplint/v1
    kind: Cluster
    nodes: [{name: a, allocatable: {cpu: "3", memory: 8Gi}}]
    """)
    out = simulate(manifests(app), c)
    assert [p.status for p in out.placements] == ["scheduled"] * 3 + ["pending"]
    (f,) = findings_for(manifests(app), c)
    assert f.code == "SCH001" and f.span.line == 2 and "1 of 4 replica(s)" in f.message
    assert f.message.endswith("0/1 nodes are available: 1 Insufficient cpu.")


KUBECTL = """
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Node
    metadata: {name: n1, labels: {kubernetes.io/hostname: n1}}
    spec: {taints: [{key: node-role.kubernetes.io/control-plane, effect: NoSchedule}]}
    status: {allocatable: {cpu: "2", memory: 2Gi, pods: "110"}}
  - apiVersion: v1
    kind: Node
    metadata: {name: n2}
    status:
      allocatable: {cpu: 1930m, memory: 3Gi, pods: "110"}
      images: [{names: ["docker.io/library/nginx:1.27"], sizeBytes: 70000000}]
  - apiVersion: v1
    kind: Pod
    metadata: {name: running, namespace: kube-system}
    spec:
      nodeName: n2
      containers: [{name: c, image: c, resources: {requests: {cpu: 1500m}}}]
    status: {phase: Running}
  - apiVersion: v1
    kind: Pod
    metadata: {name: done, namespace: default}
    spec:
      nodeName: n2
      containers: [{name: c, image: c, resources: {requests: {cpu: "1"}}}]
    status: {phase: Succeeded}
"""


def test_kubectl_dump(tmp_path):
    path = tmp_path / "dump.yaml"
    path.write_text(KUBECTL)
    c = load_cluster(str(path))
    assert [n.name for n in c.nodes] == ["n1", "n2"] and len(c.existing) == 1
    # n2 has 1930m - 1500m = 430m free (the Succeeded pod is no load); n1 is control-plane.
    r = {
        p.pod.name: p
        for p in simulate(
            manifests(pod("p", "containers: [{name: x, image: x, resources: {requests: {cpu: 500m}}}]")), c
        ).placements
    }
    assert (
        r["p"].message == "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint(s)."
    )


def test_cli_json_capacity_and_grow(tmp_path, capsys):
    (tmp_path / "c.yaml").write_text(
        "apiVersion: shiplint/v1\nkind: Cluster\n"
        "nodePools: [{name: p, count: 1, allocatable: {cpu: '2', memory: 8Gi}}]\n"
    )
    (tmp_path / "app.yaml").write_text(DEPLOY)
    rc = main(
        [
            str(tmp_path / "app.yaml"),
            "--cluster",
            str(tmp_path / "c.yaml"),
            "--format",
            "json",
            "--capacity",
            "Deployment/web",
            "--grow",
            "p",
        ]
    )
    data = json.loads(capsys.readouterr().out)
    assert rc == 1
    assert [p["status"] for p in data["pods"]] == ["scheduled", "scheduled", "pending"]
    assert data["pods"][0] == {
        "namespace": "default",
        "name": "web-0",
        "workload": "Deployment/web",
        "node": "p-0",
        "status": "scheduled",
        "reasons": {},
        "message": "",
    }
    assert data["nodes"] == [
        {
            "name": "p-0",
            "allocatable": {"cpu": "2", "memory": "8Gi", "pods": "110"},
            "requested": {"cpu": "2", "pods": "2"},
        }
    ]
    assert data["capacity"]["more"] == 0
    # One more 2-cpu node takes the third replica.
    assert data["grow"] == {"pool": "p", "nodes": 1}


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (
            "apiVersion: shiplint/v1\nkind: Cluster\nnodes:\n  - name: a\n    allocatable: {cpu: 1Q}\n",
            5,
            "invalid quantity",
        ),
        (
            "apiVersion: shiplint/v1\nkind: Cluster\nnodes:\n  - name: a\n    allocatable: {}\n    tains: []\n",
            4,
            "tains",
        ),
        (
            "apiVersion: shiplint/v1\nkind: Cluster\nnodes: [{name: a, allocatable: {}, taints: [{key: k, effect: Never}]}]\n",
            3,
            "Never",
        ),
        ("apiVersion: shiplint/v1\nkind: Cluster\nnodes: {a: 1\n", 4, ""),
        ("- just a list\n", 1, "mapping"),
    ],
)
def test_bad_cluster_files(tmp_path, capsys, text, line, words):
    path = tmp_path / "c.yaml"
    path.write_text(text)
    with pytest.raises(ClusterError) as e:
        load_cluster(str(path))
    assert str(e.value).startswith(f"{path}:{line}: ") and words in str(e.value)
    (tmp_path / "app.yaml").write_text(DEPLOY)
    assert main([str(tmp_path / "app.yaml"), "--cluster", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err


def _rejected(node, pod, used_cpu, used_pods, ports) -> bool:
    """An independent, per-node reading of the filters the property test exercises."""
    if node["unschedulable"]:
        return True
    if node["taint"] and node["taint"] not in pod["tolerate"]:
        return True
    if pod["zone"] and node["zone"] != pod["zone"]:
        return True
    if pod["port"] and pod["port"] in ports:
        return True
    return used_cpu + pod["cpu"] > node["cpu"] or used_pods + 1 > node["pods"]


def test_property_never_places_on_a_rejected_node():
    rng = random.Random(20240601)
    for _ in range(25):
        nodes = [
            {
                "name": f"n{i}",
                "cpu": rng.choice((1000, 2000, 4000)),
                "pods": rng.choice((2, 5, 110)),
                "zone": rng.choice(("z1", "z2")),
                "taint": rng.choice(("", "", "t1", "t2")),
                "unschedulable": rng.random() < 0.15,
            }
            for i in range(rng.randint(1, 6))
        ]
        lines = ["apiVersion: shiplint/v1", "kind: Cluster", "nodes:"]
        for n in nodes:
            taints = f"[{{key: {n['taint']}, effect: NoSchedule}}]" if n["taint"] else "[]"
            lines.append(
                f"  - {{name: {n['name']}, allocatable: {{cpu: {n['cpu']}m, memory: 8Gi, pods: {n['pods']}}}, "
                f"labels: {{zone: {n['zone']}}}, taints: {taints}, unschedulable: {str(n['unschedulable']).lower()}}}"
            )
        pods = []
        docs = []
        for j in range(rng.randint(1, 12)):
            p = {
                "cpu": rng.choice((100, 500, 1500)),
                "zone": rng.choice(("", "z1", "z2")),
                "tolerate": rng.choice(((), ("t1",), ("t1", "t2"))),
                "port": rng.choice((0, 0, 8080)),
            }
            pods.append(p)
            spec = [
                f"containers: [{{name: c, image: c, resources: {{requests: {{cpu: {p['cpu']}m}}}}"
                + (f", ports: [{{containerPort: 1, hostPort: {p['port']}}}]" if p["port"] else "")
                + "}]"
            ]
            if p["zone"]:
                spec.append(f"nodeSelector: {{zone: {p['zone']}}}")
            if p["tolerate"]:
                spec.append(
                    "tolerations: ["
                    + ", ".join(f"{{key: {t}, operator: Exists}}" for t in p["tolerate"])
                    + "]"
                )
            docs.append(pod(f"p{j}", "\n".join(spec)))
        out = simulate(manifests("".join(docs)), cluster("\n".join(lines) + "\n"))
        by_name = {n["name"]: n for n in nodes}
        used = {n["name"]: [0, 0, set()] for n in nodes}
        for placement, p in zip(out.placements, pods):
            if placement.node is None:
                continue
            node = by_name[placement.node]
            u = used[placement.node]
            assert not _rejected(node, p, u[0], u[1], u[2]), (nodes, pods)
            u[0] += p["cpu"]
            u[1] += 1
            if p["port"]:
                u[2].add(p["port"])
