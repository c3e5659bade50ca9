"""The cluster model: nodes with allocatable resources, labels, taints and images, and the pods
already running on them. Read from the compact form (`kind: Cluster`, with node pools) or from
`kubectl get nodes,pods -A -o yaml` (a List of Node and Pod objects).

A cluster file that is not a valid model raises ClusterError, whose text is one line:
`path:line: what is wrong`. Validation is by schemas/cluster.schema.json, located with the spans
of the YAML nodes, then by reading every quantity.
"""

from __future__ import annotations

from linter.ir.kubernetes import YMap, YNode, YSeq, locate
from linter.simulate.pods import (
    NamespaceIndex,
    Pod,
    Problem,
    Taint,
    integer,
    maps,
    normalized_image,
    read_affinity,
    read_pod,
    resource_list,
    str_map,
    taints,
    text,
    tolerations,
)

DEFAULT_PODS = 110  # the kubelet's default maxPods, when the compact form gives no `pods`
# An image listed by name only has no size; kube-scheduler's ImageLocality needs one. This is what
# shiplint assumes (a typical application image); give `{name, sizeBytes}` to be exact.
DEFAULT_IMAGE_SIZE = 256 * 1024 * 1024
HOSTNAME = "kubernetes.io/hostname"
ZONE = "topology.kubernetes.io/zone"


class ClusterError(Exception):
    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line


class Node:
    __slots__ = ("allocatable", "images", "labels", "name", "pool", "taints", "unschedulable")

    def __init__(
        self,
        name: str,
        allocatable: dict[str, int],
        labels: dict[str, str] | None = None,
        taints: tuple[Taint, ...] = (),
        unschedulable: bool = False,
        images: dict[str, int] | None = None,
        pool: str = "",
    ) -> None:
        self.name = name
        self.allocatable = allocatable
        self.labels = dict(labels or {})
        self.labels.setdefault(HOSTNAME, name)
        self.taints = taints
        self.unschedulable = unschedulable
        self.images = images or {}
        self.pool = pool


class Pool:
    """A node pool of the compact form: the template of its nodes, for --grow."""

    __slots__ = ("allocatable", "count", "images", "labels", "name", "taints", "unschedulable", "zones")

    def __init__(self, name: str, count: int) -> None:
        self.name = name
        self.count = count
        self.allocatable: dict[str, int] = {}
        self.labels: dict[str, str] = {}
        self.taints: tuple[Taint, ...] = ()
        self.unschedulable = False
        self.images: dict[str, int] = {}
        self.zones: tuple[str, ...] = ()

    def node(self, i: int) -> Node:
        labels = dict(self.labels)
        if self.zones:
            labels[ZONE] = self.zones[i % len(self.zones)]
        return Node(
            f"{self.name}-{i}",
            dict(self.allocatable),
            labels,
            self.taints,
            self.unschedulable,
            dict(self.images),
            self.name,
        )


class Cluster:
    __slots__ = ("existing", "namespaces", "nodes", "path", "pools")

    def __init__(self, path: str = "<cluster>") -> None:
        self.path = path
        self.nodes: list[Node] = []
        self.existing: list[tuple[Pod, str]] = []  # (pod, node name)
        self.pools: dict[str, Pool] = {}
        self.namespaces = NamespaceIndex()

    def grown(self, pool: str, extra: int) -> Cluster:
        """A copy with `extra` more nodes of `pool` (named on from the pool's count)."""
        c = Cluster(self.path)
        c.nodes = list(self.nodes)
        p = self.pools[pool]
        c.nodes.extend(p.node(p.count + i) for i in range(extra))
        c.existing = self.existing
        c.pools = self.pools
        c.namespaces = self.namespaces
        return c


def load_cluster(path: str, namespaces: NamespaceIndex | None = None) -> Cluster:
    """Read and validate a cluster file. Raises ClusterError."""
    from linter.engine.load import load
    from linter.parsers.yaml import parse_single

    loaded = load(path, "kubernetes", 256 * 1024 * 1024)
    source = loaded.source
    if source.problems:
        p = source.problems[0]
        raise ClusterError(path, p.span.line, p.message)
    root = parse_single(source)
    if source.problems:
        p = source.problems[0]
        raise ClusterError(path, p.span.line, p.message)
    if not isinstance(root, YMap):
        line = root.span.line if root is not None else 1
        raise ClusterError(path, line, "a cluster file must be a mapping (kind: Cluster, or a kubectl List)")
    return read_cluster(root, path, namespaces)


def read_cluster(root: YMap, path: str, namespaces: NamespaceIndex | None = None) -> Cluster:
    _validate(root, path)
    cluster = Cluster(path)
    if namespaces is not None:
        cluster.namespaces = namespaces
    try:
        if root.scalar("kind") == "Cluster":
            _compact(root, cluster)
        else:
            _kubectl(root, cluster)
    except Problem as e:
        raise ClusterError(path, e.span.line, e.message) from None
    seen: dict[str, int] = {}
    for n in cluster.nodes:
        if n.name in seen:
            raise ClusterError(path, 1, f"node {n.name!r} is defined twice")
        seen[n.name] = 1
    for pod, node in cluster.existing:
        cluster.namespaces.add(pod.namespace)
        if node not in seen:
            raise ClusterError(
                path, 1, f"pod {pod.namespace}/{pod.name} runs on node {node!r}, which is not defined"
            )
    return cluster


def _validate(root: YMap, path: str) -> None:
    import json

    import jsonschema

    from linter.resources import schema_path

    with open(schema_path("cluster.schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(
        validator.iter_errors(root.to_python()), key=lambda e: (len(e.absolute_path), str(e.message))
    )
    if not errors:
        return
    # The deepest error is the most specific one (an `if/then` failure wraps the real one).
    best = max(errors, key=lambda e: len(e.absolute_path))
    for e in [best, *errors]:
        if e.context:
            best = max(e.context, key=lambda c: len(c.absolute_path))
            break
    where = ".".join(str(p) for p in best.absolute_path) or "the file"
    span = locate(root, list(best.absolute_path))
    raise ClusterError(path, span.line, f"{where}: {best.message}")


def _images(node: YNode | None) -> dict[str, int]:
    out: dict[str, int] = {}
    if not isinstance(node, YSeq):
        return out
    for item in node.items:
        if isinstance(item, YMap):
            size = integer(item.get("sizeBytes"), DEFAULT_IMAGE_SIZE)
            names = [text(n) for n in (item.seq("names").items if item.seq("names") else [])]  # type: ignore[union-attr]
            if item.get("name") is not None:
                names.append(text(item.get("name")))
            for n in names:
                out[normalized_image(n)] = size
        else:
            out[normalized_image(text(item))] = DEFAULT_IMAGE_SIZE
    return out


def _allocatable(node: YNode | None, default_pods: bool) -> dict[str, int]:
    alloc = resource_list(node)
    if default_pods:
        alloc.setdefault("pods", DEFAULT_PODS)
    return alloc


def _compact(root: YMap, cluster: Cluster) -> None:
    for n in maps(root.get("nodes")):
        node = Node(
            text(n.get("name")),
            _allocatable(n.get("allocatable"), True),
            str_map(n.get("labels")),
            taints(n.get("taints")),
            n.scalar("unschedulable") is True,
            _images(n.get("images")),
        )
        cluster.nodes.append(node)
        for p in maps(n.get("pods")):
            cluster.existing.append((_compact_pod(p, cluster.namespaces), node.name))
    for p in maps(root.get("nodePools")):
        pool = Pool(text(p.get("name")), integer(p.get("count"), 0))
        pool.allocatable = _allocatable(p.get("allocatable"), True)
        pool.labels = str_map(p.get("labels"))
        pool.taints = taints(p.get("taints"))
        pool.unschedulable = p.scalar("unschedulable") is True
        pool.images = _images(p.get("images"))
        zones = p.seq("zones")
        pool.zones = tuple(text(z) for z in zones.items) if zones else ()
        cluster.pools[pool.name] = pool
        cluster.nodes.extend(pool.node(i) for i in range(pool.count))


def _compact_pod(p: YMap, namespaces: NamespaceIndex) -> Pod:
    from linter.simulate.pods import DEFAULT_MEMORY, DEFAULT_MILLI_CPU

    pod = Pod(text(p.get("name")), text(p.get("namespace")) or "default")
    pod.labels = str_map(p.get("labels"))
    raw = resource_list(p.get("requests"))
    pod.requests = {k: v for k, v in raw.items() if v}
    pod.nonzero_cpu = raw.get("cpu", DEFAULT_MILLI_CPU)
    pod.nonzero_memory = raw.get("memory", DEFAULT_MEMORY)
    pod.host_ports = tuple(
        (text(h.get("hostIP")) or "0.0.0.0", text(h.get("protocol")) or "TCP", integer(h.get("hostPort"), 0))
        for h in maps(p.get("hostPorts"))
    )
    pod.priority = integer(p.get("priority"), 0)
    pod.tolerations = tolerations(p.get("tolerations"))
    read_affinity(pod, p.map("affinity"), namespaces)
    return pod


def _kubectl(root: YMap, cluster: Cluster) -> None:
    items = maps(root.get("items"))
    for item in items:
        if text(item.get("kind")) == "Namespace":
            meta = item.map("metadata")
            cluster.namespaces.add(
                text(meta.get("name")) if meta else "", str_map(meta.get("labels")) if meta else {}
            )
    for item in items:
        kind = text(item.get("kind"))
        meta = item.map("metadata") or YMap(item.span, {})
        spec = item.map("spec") or YMap(item.span, {})
        status = item.map("status") or YMap(item.span, {})
        name = text(meta.get("name"))
        if kind == "Node":
            images: dict[str, int] = {}
            for img in maps(status.get("images")):
                size = integer(img.get("sizeBytes"), 0)
                for n in maps_or_strings(img.get("names")):
                    images[normalized_image(n)] = size
            cluster.nodes.append(
                Node(
                    name,
                    _allocatable(status.get("allocatable") or status.get("capacity"), False),
                    str_map(meta.get("labels")),
                    taints(spec.get("taints")),
                    spec.scalar("unschedulable") is True,
                    images,
                )
            )
        elif kind == "Pod":
            node = text(spec.get("nodeName"))
            phase = text(status.get("phase"))
            if not node or phase in ("Succeeded", "Failed"):
                continue  # not load on any node: pending, or finished
            ns = text(meta.get("namespace")) or "default"
            pod = read_pod(spec, name, ns, str_map(meta.get("labels")), cluster.namespaces)
            pod.priority = integer(spec.get("priority"), 0)
            cluster.existing.append((pod, node))


def maps_or_strings(node: YNode | None) -> list[str]:
    return [text(i) for i in node.items] if isinstance(node, YSeq) else []
