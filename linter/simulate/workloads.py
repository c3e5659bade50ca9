"""Manifests -> the pods their controllers would create, named and ordered as the issue says.

- Pod: itself. Deployment, ReplicaSet, ReplicationController: `replicas` (default 1), raised to an
  HPA's minReplicas. StatefulSet: ordinals 0..replicas-1 (OrderedReady blocks after a Pending one).
  Job: min(parallelism, completions). CronJob: one run of its job. DaemonSet: one pod per node the
  controller targets (nodeSelector, required node affinity and NoSchedule/NoExecute taints against
  the default daemon tolerations, as NodeShouldRunDaemonPod decides), pinned with a matchFields
  node affinity as the controller pins it.
- Order: higher priority first, then input order, then ordinal (a stable sort).
"""

from __future__ import annotations

from linter.ir.kubernetes import Manifest, PodView, Resource, YMap
from linter.simulate.pods import (
    DAEMONSET_TOLERATIONS,
    HOST_NETWORK_TOLERATION,
    NamespaceIndex,
    Pod,
    Problem,
    Selector,
    integer,
    label_selector,
    node_affinity_matches,
    read_pod,
    selector_matches,
    str_map,
    text,
    tolerated,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from linter.simulate.cluster import Cluster

# Built-in priority classes (scheduling.SystemCriticalPriority + 1000 for node-critical).
SYSTEM_PRIORITIES = {"system-cluster-critical": 2_000_000_000, "system-node-critical": 2_000_001_000}
WORKLOAD_KINDS = (
    "Pod",
    "Deployment",
    "ReplicaSet",
    "ReplicationController",
    "StatefulSet",
    "DaemonSet",
    "Job",
    "CronJob",
)


class Workload:
    """One object that creates pods, with where it is written."""

    __slots__ = ("key", "ordered", "pods", "resource")

    def __init__(self, resource: Resource) -> None:
        self.resource = resource
        self.key = f"{resource.kind}/{resource.name}"
        self.ordered = False  # a StatefulSet with OrderedReady pod management
        self.pods: list[Pod] = []


class Expansion:
    __slots__ = ("pods", "problems", "workloads")

    def __init__(self) -> None:
        self.workloads: list[Workload] = []
        self.pods: list[Pod] = []  # in scheduling order
        self.problems: list[tuple[Resource, Problem]] = []


def namespaces_of(manifests: list[Manifest], index: NamespaceIndex) -> None:
    for m in manifests:
        for r in m.resources:
            if r.kind == "Namespace":
                index.add(r.name, r.labels)
            else:
                index.add(r.namespace or "default")


def expand(manifests: list[Manifest], cluster: Cluster) -> Expansion:
    namespaces_of(manifests, cluster.namespaces)
    resources = [r for m in manifests for r in m.resources]
    classes: dict[str, int] = dict(SYSTEM_PRIORITIES)
    default_priority = 0
    hpa_min: dict[tuple[str, str, str], int] = {}
    services: list[tuple[str, dict[str, str]]] = []
    for r in resources:
        if r.kind == "PriorityClass":
            value = integer(r.node.get("value"), 0)
            classes[r.name] = value
            if r.node.scalar("globalDefault") is True:
                default_priority = value
        elif r.kind == "HorizontalPodAutoscaler":
            spec = r.node.map("spec")
            target = spec.map("scaleTargetRef") if spec else None
            if spec is not None and target is not None:
                key = (r.namespace or "default", text(target.get("kind")), text(target.get("name")))
                hpa_min[key] = max(hpa_min.get(key, 0), integer(spec.get("minReplicas"), 1))
        elif r.kind == "Service":
            spec = r.node.map("spec")
            sel = str_map(spec.get("selector")) if spec else {}
            if sel:
                services.append((r.namespace or "default", sel))
    out = Expansion()
    ordered: list[tuple[int, int, int, Pod]] = []
    for index, r in enumerate(resources):
        if r.kind not in WORKLOAD_KINDS:
            continue
        view = PodView.of(r)
        if view is None:
            continue
        w = Workload(r)
        try:
            pods = _pods(r, view, cluster, hpa_min, services)
        except Problem as e:
            out.problems.append((r, e))
            continue
        class_name = text(view.spec.get("priorityClassName"))
        priority = classes.get(class_name, 0) if class_name else default_priority
        if view.spec.get("priority") is not None:
            priority = integer(view.spec.get("priority"), priority)
        spec = r.node.map("spec")
        w.ordered = r.kind == "StatefulSet" and (
            spec is None or text(spec.get("podManagementPolicy")) != "Parallel"
        )
        for ordinal, p in enumerate(pods):
            p.priority = priority
            p.workload = w.key
            p.ordinal = ordinal
            ordered.append((-priority, index, ordinal, p))
        w.pods = pods
        out.workloads.append(w)
    ordered.sort(key=lambda t: t[:3])
    out.pods = [t[3] for t in ordered]
    return out


def _pods(
    r: Resource,
    view: PodView,
    cluster: Cluster,
    hpa_min: dict[tuple[str, str, str], int],
    services: list[tuple[str, dict[str, str]]],
) -> list[Pod]:
    ns = r.namespace or "default"
    meta = view.template.map("metadata")
    labels = str_map(meta.get("labels")) if meta else {}
    if r.kind == "Pod":
        labels = r.labels
    spec = r.node.map("spec") or YMap(r.node.span, {})
    base = read_pod(view.spec, r.name, ns, labels, cluster.namespaces)
    # The system default spreading selects the pods of the same Services and controller
    # (helper.DefaultSelector): the controller's selector, ANDed with each matching Service's.
    sel: Selector = ()
    found = False
    if r.kind in ("Deployment", "ReplicaSet", "StatefulSet"):
        own = label_selector(spec.get("selector"))
        if own:
            sel, found = sel + own, True
    elif r.kind == "ReplicationController":
        own_map = str_map(spec.get("selector")) or labels
        if own_map:
            sel, found = sel + tuple((k, "In", (v,)) for k, v in own_map.items()), True
    for sns, smap in services:
        if sns == ns and selector_matches(tuple((k, "In", (v,)) for k, v in smap.items()), labels):
            sel, found = sel + tuple((k, "In", (v,)) for k, v in smap.items()), True
    base.default_spread = sel if found else None

    if r.kind == "Pod":
        return [base]
    if r.kind == "DaemonSet":
        return _daemon_pods(r, view, base, cluster)
    if r.kind in ("Job", "CronJob"):
        job = spec if r.kind == "Job" else (spec.map("jobTemplate") or YMap(spec.span, {})).map("spec")
        job = job or YMap(spec.span, {})
        parallelism = integer(job.get("parallelism"), 1)
        completions = integer(job.get("completions"), parallelism)
        count = max(0, min(parallelism, completions))
    else:
        count = max(0, integer(spec.get("replicas"), 1))
        count = max(count, hpa_min.get((ns, r.kind, r.name), 0))
    return [_copy(base, f"{r.name}-{i}") for i in range(count)]


def _copy(base: Pod, name: str) -> Pod:
    p = Pod(name, base.namespace)
    for slot in Pod.__slots__:
        if slot != "name":
            setattr(p, slot, getattr(base, slot))
    return p


def _daemon_pods(r: Resource, view: PodView, base: Pod, cluster: Cluster) -> list[Pod]:
    tolerations = base.tolerations + DAEMONSET_TOLERATIONS
    if view.spec.scalar("hostNetwork") is True:
        tolerations += (HOST_NETWORK_TOLERATION,)
    out = []
    for node in cluster.nodes:
        if not node_affinity_matches(base, node.name, node.labels):
            continue
        if any(t[2] in ("NoSchedule", "NoExecute") and not tolerated(tolerations, t) for t in node.taints):
            continue
        p = _copy(base, f"{r.name}-{node.name}")
        p.tolerations = tolerations
        # The controller replaces the required node affinity with the one node, and keeps the
        # nodeSelector (ReplaceDaemonSetPodNodeNameNodeAffinity).
        p.node_required = (((), (("metadata.name", "In", (node.name,)),)),)
        out.append(p)
    return out
