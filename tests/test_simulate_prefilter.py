# ruff: noqa: E501  (YAML snippets and expected messages read best on one line)
"""NodeAffinity's PreFilter, checked against kube-scheduler's source (kubernetes/kubernetes):

- pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go, PreFilter: when every required
  nodeSelectorTerm has a matchFields `metadata.name In` requirement, it returns a PreFilterResult
  naming those nodes (each term's In sets intersected, the terms unioned); an empty union is
  rejected with errReasonConflict, "pod affinity terms conflict".
- pkg/scheduler/framework/runtime/framework.go, RunPreFilterPlugins: returns the plugins whose
  PreFilterResult narrowed the nodes (here [NodeAffinity]).
- pkg/scheduler/schedule_one.go, findNodesThatFitPod: runs the filters only on the nodes of the
  PreFilterResult, and sets the status of every other node ("absent" nodes) to
  `node(s) didn't satisfy plugin(s) [NodeAffinity]`.
- pkg/scheduler/framework/types.go, FitError.Error(): `0/<all nodes> nodes are available:` then
  the histogram of the evaluated nodes' reasons plus the absent nodes under that status, sorted
  as strings; a PreFilter rejection is printed on its own, without counts.
- pkg/controller/daemon/util/daemonset_util.go, ReplaceDaemonSetPodNodeNameNodeAffinity: the
  DaemonSet controller pins each daemon pod with a single required term
  `matchFields: [{key: metadata.name, operator: In, values: [<node>]}]`, so NodeAffinity's
  PreFilter narrows a daemon pod to its one node.
"""

from __future__ import annotations

import textwrap

from linter.ir.source import SourceFile
from linter.parsers.yaml import parse_manifest, parse_single
from linter.simulate.cluster import read_cluster
from linter.simulate.run import simulate

THREE = """
apiVersion: shiplint/v1
kind: Cluster
nodes:
  - {name: a, allocatable: {cpu: "1", memory: 4Gi}}
  - {name: b, allocatable: {cpu: "4", memory: 8Gi}, unschedulable: true}
  - {name: c, allocatable: {cpu: "4", memory: 8Gi}, taints: [{key: dedicated, value: gpu, effect: NoSchedule}]}
"""


def run(cluster_text: str, app: str):
    src = SourceFile("cluster.yaml", textwrap.dedent(cluster_text), "kubernetes")
    cl = read_cluster(parse_single(src), "cluster.yaml")
    out = simulate([parse_manifest(SourceFile("app.yaml", textwrap.dedent(app), "kubernetes"))], cl)
    return {p.pod.name: p for p in out.placements}


def test_daemon_pod_is_evaluated_on_its_node_only():
    # The DaemonSet requests 2 cpu. The controller targets a and b (a cordon is tolerated by the
    # default daemon tolerations) but not c (dedicated=gpu:NoSchedule is not tolerated), so there
    # are two pods. agent-a: only node a is filtered; a has 1 cpu < 2 -> "Insufficient cpu"
    # (NodeResourcesFit). b and c are absent from the PreFilterResult, so they count under
    # "didn't satisfy plugin(s) [NodeAffinity]" -- not under "didn't match Pod's node
    # affinity/selector", and c not under the taint: their filters never run. The total is all
    # 3 nodes. Sorted as strings, "1 Insufficient cpu" < "2 node(s)...".
    # agent-b: only b is filtered; the cordon is tolerated, 4 cpu fit -> scheduled on b.
    app = """
    apiVersion: apps/v1
    kind: DaemonSet
    metadata: {name: agent}
    spec:
      selector: {matchLabels: {app: agent}}
      template:
        metadata: {labels: {app: agent}}
        spec: {containers: [{name: a, image: a, resources: {requests: {cpu: "2"}}}]}
    """
    r = run(THREE, app)
    assert set(r) == {"agent-a", "agent-b"}
    assert r["agent-b"].node == "b"
    assert r["agent-a"].status == "pending"
    assert r["agent-a"].reasons == {
        "Insufficient cpu": 1,
        "node(s) didn't satisfy plugin(s) [NodeAffinity]": 2,
    }
    assert (
        r["agent-a"].message
        == "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity]."
    )


def test_match_fields_name_narrows_any_pod():
    # A plain pod whose one term names node a and requires zone z9 (which a lacks): the
    # PreFilterResult is {a}; a fails the NodeAffinity filter (the expression), b and c are
    # absent -> 1 affinity/selector + 2 plugin(s) [NodeAffinity].
    spec = """
    apiVersion: v1
    kind: Pod
    metadata: {name: p}
    spec:
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
              - matchExpressions: [{key: zone, operator: In, values: [z9]}]
                matchFields: [{key: metadata.name, operator: In, values: [a]}]
      containers: [{name: x, image: x}]
    """
    r = run(THREE, spec)
    assert r["p"].reasons == {
        "node(s) didn't match Pod's node affinity/selector": 1,
        "node(s) didn't satisfy plugin(s) [NodeAffinity]": 2,
    }
    # A name that is no node: the PreFilterResult holds only "ghost", which findNodesThatFitPod
    # drops (not in the snapshot); no node is filtered and all 3 are absent.
    r = run(THREE, spec.replace("values: [a]", "values: [ghost]"))
    assert r["p"].message == "0/3 nodes are available: 3 node(s) didn't satisfy plugin(s) [NodeAffinity]."


def test_conflicting_name_terms_are_rejected_at_prefilter():
    # One term naming a and b in two ANDed requirements whose intersection is empty: the union
    # over terms is empty, so PreFilter rejects the pod with errReasonConflict, printed alone.
    spec = """
    apiVersion: v1
    kind: Pod
    metadata: {name: p}
    spec:
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
              - matchFields:
                  - {key: metadata.name, operator: In, values: [a]}
                  - {key: metadata.name, operator: In, values: [b]}
      containers: [{name: x, image: x}]
    """
    r = run(THREE, spec)
    assert r["p"].status == "pending"
    assert r["p"].message == "0/3 nodes are available: pod affinity terms conflict."


def test_a_term_without_a_name_keeps_every_node():
    # Terms are ORed: one term names a, the other has only an expression, so the PreFilter
    # returns every node ("If this term has no node.Name field affinity, then all nodes are
    # eligible"). b is cordoned, c tainted; a lacks zone z9 but matches the first term -> a.
    spec = """
    apiVersion: v1
    kind: Pod
    metadata: {name: p}
    spec:
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
              - matchFields: [{key: metadata.name, operator: In, values: [a]}]
              - matchExpressions: [{key: zone, operator: In, values: [z9]}]
      containers: [{name: x, image: x, resources: {requests: {cpu: "2"}}}]
    """
    # 2 cpu: a (1 cpu) is insufficient; b is evaluated (cordoned), c too (tainted): all three
    # are filtered, none is absent.
    r = run(THREE, spec)
    assert r["p"].reasons == {
        "Insufficient cpu": 1,
        "node(s) were unschedulable": 1,
        "node(s) had untolerated taint(s)": 1,
    }
