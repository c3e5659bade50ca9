"""The simulator's pod model, read from a pod spec's YAML nodes: requests, placement constraints,
ports and images. Shared by workloads (pods to place) and cluster (pods already running).

Selectors are kept as hashable tuples so that the scheduler can cache what it computes per
selector: a label selector is a tuple of (key, operator, values) requirements, or None for a
null selector (which matches nothing, as metav1.LabelSelectorAsSelector(nil) does).
"""

from __future__ import annotations

from linter.ir.kubernetes import YMap, YNode, YScalar, YSeq
from linter.simulate.quantity import QuantityError, amount, parse_quantity

TYPE_CHECKING = False
if TYPE_CHECKING:
    from linter.ir.source import Span

Requirement = tuple[str, str, tuple[str, ...]]
Selector = tuple[Requirement, ...]
# (matchExpressions, matchFields): one nodeSelectorTerm; terms of a list are ORed.
NodeTerm = tuple[Selector, Selector]
# (key, operator, value, effect)
Toleration = tuple[str, str, str, str]
Taint = tuple[str, str, str]
# (namespaces or None for all, label selector or None, topologyKey)
PodTerm = tuple[frozenset[str] | None, Selector | None, str]

DEFAULT_MILLI_CPU = 100  # schedutil.DefaultMilliCPURequest: a container's cpu when it requests none
DEFAULT_MEMORY = 200 * 1024 * 1024  # schedutil.DefaultMemoryRequest

UNSCHEDULABLE_TAINT = "node.kubernetes.io/unschedulable"
# What the DaemonSet controller adds to every daemon pod (util.AddOrUpdateDaemonPodTolerations).
DAEMONSET_TOLERATIONS: tuple[Toleration, ...] = (
    ("node.kubernetes.io/not-ready", "Exists", "", "NoExecute"),
    ("node.kubernetes.io/unreachable", "Exists", "", "NoExecute"),
    ("node.kubernetes.io/disk-pressure", "Exists", "", "NoSchedule"),
    ("node.kubernetes.io/memory-pressure", "Exists", "", "NoSchedule"),
    ("node.kubernetes.io/pid-pressure", "Exists", "", "NoSchedule"),
    (UNSCHEDULABLE_TAINT, "Exists", "", "NoSchedule"),
)
HOST_NETWORK_TOLERATION: Toleration = ("node.kubernetes.io/network-unavailable", "Exists", "", "NoSchedule")


class Problem(Exception):
    """Something in an input that cannot be read (an invalid quantity), at a place."""

    def __init__(self, span: Span, message: str) -> None:
        super().__init__(message)
        self.span = span
        self.message = message


class Pod:
    """One pod to place, or one already running."""

    __slots__ = (
        "affinity_pref",
        "affinity_req",
        "anti_pref",
        "anti_req",
        "default_spread",
        "host_ports",
        "images",
        "labels",
        "name",
        "namespace",
        "node_name",
        "node_pref",
        "node_required",
        "node_selector",
        "nonzero_cpu",
        "nonzero_memory",
        "num_containers",
        "ordinal",
        "priority",
        "requests",
        "spread",
        "status",
        "tolerations",
        "workload",
    )

    def __init__(self, name: str, namespace: str) -> None:
        self.name = name
        self.namespace = namespace
        self.workload = ""  # "Kind/name"
        self.ordinal = 0
        self.labels: dict[str, str] = {}
        self.priority = 0
        self.requests: dict[str, int] = {}  # effective request: amounts as the scheduler compares
        self.nonzero_cpu = DEFAULT_MILLI_CPU  # the same with defaults for missing requests (scoring)
        self.nonzero_memory = DEFAULT_MEMORY
        self.node_name = ""
        self.node_selector: dict[str, str] = {}
        self.node_required: tuple[NodeTerm, ...] | None = None  # None: no required node affinity
        self.node_pref: tuple[tuple[int, NodeTerm], ...] = ()
        self.tolerations: tuple[Toleration, ...] = ()
        self.host_ports: tuple[tuple[str, str, int], ...] = ()  # (hostIP, protocol, hostPort)
        self.spread: tuple[Spread, ...] = ()
        self.default_spread: Selector | None = None  # the system default spreading's selector
        self.affinity_req: tuple[PodTerm, ...] = ()
        self.anti_req: tuple[PodTerm, ...] = ()
        self.affinity_pref: tuple[tuple[int, PodTerm], ...] = ()
        self.anti_pref: tuple[tuple[int, PodTerm], ...] = ()
        self.images: tuple[str, ...] = ()
        self.num_containers = 0
        self.status = ""

    def has_affinity(self) -> bool:
        return bool(self.affinity_req or self.anti_req or self.affinity_pref or self.anti_pref)

    def __repr__(self) -> str:
        return f"Pod({self.namespace}/{self.name})"


class Spread:
    """One topologySpreadConstraint, its selector already merged with matchLabelKeys."""

    __slots__ = ("hard", "honor_affinity", "honor_taints", "key", "max_skew", "min_domains", "selector")

    def __init__(
        self,
        key: str,
        max_skew: int,
        hard: bool,
        selector: Selector | None,
        min_domains: int = 1,
        honor_affinity: bool = True,
        honor_taints: bool = False,
    ) -> None:
        self.key = key
        self.max_skew = max_skew
        self.hard = hard
        self.selector = selector
        self.min_domains = min_domains
        self.honor_affinity = honor_affinity  # nodeAffinityPolicy: Honor is the default
        self.honor_taints = honor_taints  # nodeTaintsPolicy: Ignore is the default


# ---- matching -------------------------------------------------------------------------------


def selector_matches(selector: Selector | None, labels: dict[str, str]) -> bool:
    if selector is None:
        return False
    for key, op, values in selector:
        v = labels.get(key)
        if op == "In":
            if v is None or v not in values:
                return False
        elif op == "NotIn":
            if v is not None and v in values:
                return False
        elif op == "Exists":
            if v is None:
                return False
        elif op == "DoesNotExist":
            if v is not None:
                return False
        else:
            return False
    return True


def term_matches_pod(term: PodTerm, pod: Pod) -> bool:
    namespaces, selector, _ = term
    if namespaces is not None and pod.namespace not in namespaces:
        return False
    return selector_matches(selector, pod.labels)


def tolerates(tol: Toleration, taint: Taint) -> bool:
    """v1.Toleration.ToleratesTaint: an empty effect or key matches any; Exists ignores the value."""
    key, op, value, effect = tol
    if effect and effect != taint[2]:
        return False
    if key and key != taint[0]:
        return False
    if op in ("", "Equal"):
        return value == taint[1]
    return op == "Exists"


def tolerated(tolerations: tuple[Toleration, ...], taint: Taint) -> bool:
    return any(tolerates(t, taint) for t in tolerations)


# ---- reading YAML ----------------------------------------------------------------------------


def text(node: YNode | None) -> str:
    if isinstance(node, YScalar) and node.value is not None:
        if isinstance(node.value, str):
            return node.value
        if isinstance(node.value, bool):
            return "true" if node.value else "false"
        return node.text
    return ""


def integer(node: YNode | None, default: int) -> int:
    if isinstance(node, YScalar) and isinstance(node.value, int) and not isinstance(node.value, bool):
        return node.value
    if isinstance(node, YScalar) and isinstance(node.value, str):
        try:
            return int(node.value)
        except ValueError:
            return default
    return default


def str_map(node: YNode | None) -> dict[str, str]:
    if not isinstance(node, YMap):
        return {}
    return {k: text(v) for k, (_, v) in node.entries.items()}


def maps(node: YNode | None) -> list[YMap]:
    return [i for i in node.items if isinstance(i, YMap)] if isinstance(node, YSeq) else []


def strings(node: YNode | None) -> tuple[str, ...]:
    return tuple(text(i) for i in node.items) if isinstance(node, YSeq) else ()


def quantity(resource: str, node: YNode) -> int:
    """A resource amount from a YAML value; Problem when it is not a valid quantity."""
    raw = node.text if isinstance(node, YScalar) and not isinstance(node.value, str) else text(node)
    if isinstance(node, YScalar) and isinstance(node.value, bool):
        raw = node.text
    try:
        value = parse_quantity(raw.strip() if isinstance(raw, str) else "")
    except QuantityError as e:
        raise Problem(node.span, f"invalid quantity for {resource}: {e}") from None
    if value < 0:
        raise Problem(node.span, f"invalid quantity for {resource}: {raw!r} is negative")
    return amount(resource, value)


def resource_list(node: YNode | None) -> dict[str, int]:
    out: dict[str, int] = {}
    if isinstance(node, YMap):
        for name, (_, v) in node.entries.items():
            out[name] = quantity(name, v)
    return out


def label_selector(node: YNode | None) -> Selector | None:
    """metav1.LabelSelector: matchLabels and matchExpressions, ANDed; absent or null: None."""
    if not isinstance(node, YMap):
        return None
    reqs: list[Requirement] = [(k, "In", (v,)) for k, v in str_map(node.get("matchLabels")).items()]
    for e in maps(node.get("matchExpressions")):
        reqs.append((text(e.get("key")), text(e.get("operator")), strings(e.get("values"))))
    return tuple(reqs)


def node_selector_term(node: YMap) -> NodeTerm:
    def reqs(key: str) -> Selector:
        return tuple(
            (text(e.get("key")), text(e.get("operator")), strings(e.get("values")))
            for e in maps(node.get(key))
        )

    return reqs("matchExpressions"), reqs("matchFields")


def tolerations(node: YNode | None) -> tuple[Toleration, ...]:
    return tuple(
        (text(t.get("key")), text(t.get("operator")), text(t.get("value")), text(t.get("effect")))
        for t in maps(node)
    )


def taints(node: YNode | None) -> tuple[Taint, ...]:
    return tuple((text(t.get("key")), text(t.get("value")), text(t.get("effect"))) for t in maps(node))


def _pod_term(term: YMap, pod_namespace: str, namespaces: NamespaceIndex) -> PodTerm:
    listed = strings(term.get("namespaces"))
    ns_sel = term.get("namespaceSelector")
    ns: frozenset[str] | None
    if isinstance(ns_sel, YMap):
        sel = label_selector(ns_sel)
        if not sel:
            ns = None  # `{}` selects every namespace
        else:
            ns = frozenset(listed) | namespaces.select(sel)
    else:
        ns = frozenset(listed) if listed else frozenset((pod_namespace,))
    return ns, label_selector(term.get("labelSelector")), text(term.get("topologyKey"))


class NamespaceIndex:
    """Namespace labels for namespaceSelector: Namespace objects from the input, and every
    namespace named anywhere with its automatic `kubernetes.io/metadata.name` label."""

    def __init__(self) -> None:
        self.labels: dict[str, dict[str, str]] = {}

    def add(self, name: str, labels: dict[str, str] | None = None) -> None:
        entry = self.labels.setdefault(name, {"kubernetes.io/metadata.name": name})
        if labels:
            entry.update(labels)

    def select(self, selector: Selector) -> frozenset[str]:
        return frozenset(n for n, labels in self.labels.items() if selector_matches(selector, labels))


def containers_requests(spec: YMap, nonzero: bool) -> dict[str, int]:
    """The pod's effective request (resource.PodRequests, with sidecars): the larger of the sum over
    the containers and restartable init containers and, for each init container in turn, its own
    request plus the sidecars started before it; then the overhead. A container's request defaults
    to its limit (API defaulting). With `nonzero`, a container missing a cpu or memory request
    counts 100m and 200Mi, as the scoring plugins count it (NonMissingContainerRequests)."""

    def one(c: YMap) -> dict[str, int]:
        res = c.map("resources")
        req = resource_list(res.get("requests")) if res else {}
        limits = resource_list(res.get("limits")) if res else {}
        for k, v in limits.items():
            req.setdefault(k, v)
        if nonzero:
            req.setdefault("cpu", DEFAULT_MILLI_CPU)
            req.setdefault("memory", DEFAULT_MEMORY)
        return req

    def add(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
        out = dict(a)
        for k, v in b.items():
            out[k] = out.get(k, 0) + v
        return out

    total: dict[str, int] = {}
    for c in maps(spec.get("containers")):
        total = add(total, one(c))
    sidecars: dict[str, int] = {}
    init_max: dict[str, int] = {}
    for c in maps(spec.get("initContainers")):
        req = one(c)
        if text(c.get("restartPolicy")) == "Always":
            total = add(total, req)
            sidecars = add(sidecars, req)
            need = sidecars
        else:
            need = add(req, sidecars)
        for k, v in need.items():
            init_max[k] = max(init_max.get(k, 0), v)
    for k, v in init_max.items():
        total[k] = max(total.get(k, 0), v)
    return add(total, resource_list(spec.get("overhead")))


def read_pod(
    spec: YMap,
    name: str,
    namespace: str,
    labels: dict[str, str],
    namespaces: NamespaceIndex,
) -> Pod:
    """A Pod from a pod spec. Raises Problem for an invalid quantity."""
    pod = Pod(name, namespace)
    pod.labels = labels
    req = containers_requests(spec, nonzero=False)
    pod.requests = {k: v for k, v in req.items() if v}
    nz = containers_requests(spec, nonzero=True)
    pod.nonzero_cpu, pod.nonzero_memory = nz.get("cpu", 0), nz.get("memory", 0)
    pod.node_name = text(spec.get("nodeName"))
    pod.node_selector = str_map(spec.get("nodeSelector"))
    pod.tolerations = tolerations(spec.get("tolerations"))
    ports = []
    for c in maps(spec.get("containers")):
        for p in maps(c.get("ports")):
            hp = integer(p.get("hostPort"), 0)
            if hp > 0:
                ports.append((text(p.get("hostIP")) or "0.0.0.0", text(p.get("protocol")) or "TCP", hp))
    pod.host_ports = tuple(ports)
    images = [text(c.get("image")) for c in maps(spec.get("initContainers")) + maps(spec.get("containers"))]
    pod.images = tuple(normalized_image(i) for i in images if i)
    pod.num_containers = len(images)
    read_affinity(pod, spec.map("affinity"), namespaces)
    spreads = []
    for c in maps(spec.get("topologySpreadConstraints")):
        sel = label_selector(c.get("labelSelector"))
        keys = strings(c.get("matchLabelKeys"))
        if sel is not None and keys:
            sel = sel + tuple((k, "In", (labels[k],)) for k in keys if k in labels)
        spreads.append(
            Spread(
                text(c.get("topologyKey")),
                integer(c.get("maxSkew"), 1),
                text(c.get("whenUnsatisfiable")) != "ScheduleAnyway",
                sel,
                integer(c.get("minDomains"), 1),
                text(c.get("nodeAffinityPolicy")) != "Ignore",
                text(c.get("nodeTaintsPolicy")) == "Honor",
            )
        )
    pod.spread = tuple(spreads)
    return pod


def read_affinity(pod: Pod, aff: YMap | None, namespaces: NamespaceIndex) -> None:
    if aff is None:
        return
    na = aff.map("nodeAffinity")
    if na is not None:
        req = na.map("requiredDuringSchedulingIgnoredDuringExecution")
        if req is not None:
            pod.node_required = tuple(node_selector_term(t) for t in maps(req.get("nodeSelectorTerms")))
        pod.node_pref = tuple(
            (integer(p.get("weight"), 0), node_selector_term(p.map("preference") or YMap(p.span, {})))
            for p in maps(na.get("preferredDuringSchedulingIgnoredDuringExecution"))
        )
    for key, req_attr, pref_attr in (
        ("podAffinity", "affinity_req", "affinity_pref"),
        ("podAntiAffinity", "anti_req", "anti_pref"),
    ):
        pa = aff.map(key)
        if pa is None:
            continue
        required = tuple(
            _pod_term(t, pod.namespace, namespaces)
            for t in maps(pa.get("requiredDuringSchedulingIgnoredDuringExecution"))
        )
        preferred = tuple(
            (
                integer(w.get("weight"), 0),
                _pod_term(w.map("podAffinityTerm") or YMap(w.span, {}), pod.namespace, namespaces),
            )
            for w in maps(pa.get("preferredDuringSchedulingIgnoredDuringExecution"))
        )
        setattr(pod, req_attr, required)
        setattr(pod, pref_attr, preferred)


def normalized_image(image: str) -> str:
    """ImageLocality's normalizedImageName: an image without a tag or digest is `:latest`."""
    last = image.rsplit("/", 1)[-1]
    if ":" not in last and "@" not in image:
        return image + ":latest"
    return image


def node_term_matches(term: NodeTerm, name: str, labels: dict[str, str]) -> bool:
    """One nodeSelectorTerm (v1helper.MatchNodeSelectorTerms): every expression and field must
    match; a term with neither matches no node."""
    exprs, fields = term
    if not exprs and not fields:
        return False
    for key, op, values in exprs:
        v = labels.get(key)
        if op == "In":
            ok = v is not None and v in values
        elif op == "NotIn":
            ok = v is None or v not in values
        elif op == "Exists":
            ok = v is not None
        elif op == "DoesNotExist":
            ok = v is None
        elif op in ("Gt", "Lt"):
            try:
                n, bound = int(v or ""), int(values[0]) if len(values) == 1 else None
            except ValueError:
                return False
            ok = bound is not None and (n > bound if op == "Gt" else n < bound)
        else:
            ok = False
        if not ok:
            return False
    for key, op, values in fields:
        # Only metadata.name is a supported field, with In and NotIn and one value.
        if key != "metadata.name" or len(values) != 1 or op not in ("In", "NotIn"):
            return False
        if (name in values) != (op == "In"):
            return False
    return True


def node_affinity_matches(pod: Pod, name: str, labels: dict[str, str]) -> bool:
    """nodeSelector and required node affinity (the NodeAffinity filter, and the kubelet's check)."""
    for k, v in pod.node_selector.items():
        if labels.get(k) != v:
            return False
    if pod.node_required is None:
        return True
    return any(node_term_matches(t, name, labels) for t in pod.node_required)
