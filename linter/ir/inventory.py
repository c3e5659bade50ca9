"""Summaries of Kubernetes objects, for the checks that relate objects of different files.

Files may be linted in worker processes, and no file's IR outlives its linting. What the
project-wide checks (linter/checks/crossref.py) need of each object is therefore read here, once,
right after the file is linted, into small records that pickle: labels, selectors, pod template
labels and container ports, Service ports, Ingress backends, scaling targets, disruption budgets,
network policies, ServiceMonitor selectors, and the ConfigMaps, Secrets, ServiceAccounts and
claims a pod refers to. Each value that a finding may point at keeps its span.

Namespaces: `namespace` is None when the object names none. Such an object goes wherever it is
applied; the checks take that to be the `default` namespace (where `kubectl apply` puts it without
`-n` or a context namespace), so an unset namespace and `default` are the same namespace
(`same_namespace`).
"""

from __future__ import annotations

from typing import NamedTuple

from linter.ir.kubernetes import YMap, YScalar

TYPE_CHECKING = False
if TYPE_CHECKING:
    from linter.ir.kubernetes import Manifest, Resource, YNode
    from linter.ir.source import Span


# Where each kind that makes pods keeps its pod template (the mapping that holds `metadata` and
# `spec`); () is the object itself. PodTemplate is left out: it makes no pods.
POD_TEMPLATE_PATHS: dict[str, tuple[str, ...]] = {
    "Pod": (),
    "Deployment": ("spec", "template"),
    "ReplicaSet": ("spec", "template"),
    "ReplicationController": ("spec", "template"),
    "StatefulSet": ("spec", "template"),
    "DaemonSet": ("spec", "template"),
    "Job": ("spec", "template"),
    "CronJob": ("spec", "jobTemplate", "spec", "template"),
    "DeploymentConfig": ("spec", "template"),
    # Argo Rollouts' Rollout keeps a Deployment's pod template.
    "Rollout": ("spec", "template"),
}
# Kinds whose replica count a HorizontalPodAutoscaler or a PodDisruptionBudget can be measured
# against (they have `spec.replicas` and a scale subresource).
SCALABLE_KINDS = frozenset(
    ("Deployment", "ReplicaSet", "ReplicationController", "StatefulSet", "DeploymentConfig", "Rollout")
)
# Built-in kinds that live outside namespaces: their `metadata.namespace`, if any, is ignored.
CLUSTER_SCOPED_KINDS = frozenset(
    (
        "APIService",
        "CertificateSigningRequest",
        "ClusterRole",
        "ClusterRoleBinding",
        "ComponentStatus",
        "CSIDriver",
        "CSINode",
        "CustomResourceDefinition",
        "FlowSchema",
        "IngressClass",
        "MutatingWebhookConfiguration",
        "Namespace",
        "Node",
        "PersistentVolume",
        "PodSecurityPolicy",
        "PriorityClass",
        "PriorityLevelConfiguration",
        "RuntimeClass",
        "StorageClass",
        "ValidatingAdmissionPolicy",
        "ValidatingAdmissionPolicyBinding",
        "ValidatingWebhookConfiguration",
        "VolumeAttachment",
    )
)
# Groups that older apiVersions served a kind from, mapped to where the kind lives now, so that
# `extensions/v1beta1` and `apps/v1` Deployments are one object.
_MOVED_GROUPS = {
    ("extensions", "Deployment"): "apps",
    ("extensions", "DaemonSet"): "apps",
    ("extensions", "ReplicaSet"): "apps",
    ("extensions", "Ingress"): "networking.k8s.io",
    ("extensions", "NetworkPolicy"): "networking.k8s.io",
    ("extensions", "PodSecurityPolicy"): "policy",
}
DEFAULT_NAMESPACE = "default"
# Custom resources of the Prometheus operator that it turns into pods (a StatefulSet per
# resource), with the labels the operator gives those pods; `{name}` is the resource's name.
# `spec.podMetadata.labels` adds to them.
OPERATOR_POD_LABELS: dict[str, dict[str, str]] = {
    "Prometheus": {"prometheus": "{name}", "app.kubernetes.io/name": "prometheus"},
    "Alertmanager": {"alertmanager": "{name}", "app.kubernetes.io/name": "alertmanager"},
    "ThanosRuler": {"thanos-ruler": "{name}", "app.kubernetes.io/name": "thanos-ruler"},
}
_OPERATOR_COMMON_LABELS = {
    "app.kubernetes.io/instance": "{name}",
    "app.kubernetes.io/managed-by": "prometheus-operator",
}


class Selector(NamedTuple):
    """A label selector: `matchLabels` and `matchExpressions` (each as key, operator, values), and
    where it is written. Every requirement must hold; an empty selector matches every label set."""

    match_labels: dict[str, str]
    expressions: tuple[tuple[str, str, tuple[str, ...]], ...]
    span: Span

    @property
    def empty(self) -> bool:
        return not self.match_labels and not self.expressions

    def matches(self, labels: dict[str, str]) -> bool:
        for key, value in self.match_labels.items():
            if labels.get(key) != value:
                return False
        for key, op, values in self.expressions:
            if op == "In":
                if key not in labels or labels[key] not in values:
                    return False
            elif op == "NotIn":
                if key in labels and labels[key] in values:
                    return False
            elif op == "Exists":
                if key not in labels:
                    return False
            elif op == "DoesNotExist":
                if key in labels:
                    return False
            else:  # an operator the API rejects: the selector matches nothing
                return False
        return True

    def text(self) -> str:
        """The selector as `kubectl get -l` would take it."""
        parts = [f"{k}={v}" for k, v in self.match_labels.items()]
        for key, op, values in self.expressions:
            if op == "Exists":
                parts.append(key)
            elif op == "DoesNotExist":
                parts.append(f"!{key}")
            else:
                parts.append(f"{key} {op.lower()} ({','.join(values)})")
        return ",".join(parts) or "(everything)"


class ContainerPort(NamedTuple):
    container: str
    name: str | None
    number: int | None
    span: Span


class ServicePort(NamedTuple):
    """One entry of a Service's `ports`: its `name` and `port`, and the port of the pods it sends
    to (`targetPort`, or `port` when that is unset), with the span of whichever gives it."""

    name: str | None
    port: int | None
    target: int | str | None
    target_span: Span


class Backend(NamedTuple):
    """A Service an Ingress sends to: its name and port (a number, a port name, or None when
    unset), with the spans of each."""

    service: str
    port: int | str | None
    span: Span
    port_span: Span | None


class Reference(NamedTuple):
    """An object a pod needs by name: `kind` is ConfigMap, Secret, ServiceAccount or
    PersistentVolumeClaim; `where` says how (env, envFrom, imagePullSecrets, serviceAccountName,
    or `volume 'NAME'`); `key` is the key of a ConfigMap or Secret the pod reads, when it names
    one."""

    kind: str
    name: str
    where: str
    optional: bool
    key: str | None
    span: Span


class ScaleTarget(NamedTuple):
    kind: str
    name: str
    span: Span


class ObjectSummary:
    """What the project-wide checks know of one object. Attributes that do not apply to the
    object's kind keep their empty default."""

    __slots__ = (
        "annotations",
        "api_version",
        "backends",
        "container_ports",
        "data_keys",
        "group",
        "has_containers",
        "kind",
        "labels",
        "max_unavailable",
        "max_unavailable_span",
        "min_available",
        "min_available_span",
        "min_replicas",
        "monitor_namespaces",
        "name",
        "name_span",
        "namespace",
        "object_id",
        "path",
        "peer_selectors",
        "pod_labels",
        "pod_selector",
        "policy_types",
        "references",
        "replicas",
        "replicas_span",
        "scale_target",
        "selector",
        "selector_span",
        "service_ports",
        "service_selector",
        "service_type",
        "span",
        "spec_span",
        "template_annotations",
        "unhealthy_pod_eviction_policy",
    )

    def __init__(self, path: str, object_id: str, kind: str, api_version: str, span: Span) -> None:
        self.path = path  # the file it came from
        self.object_id = object_id  # Resource.object_id: the finding's object
        self.kind = kind
        self.api_version = api_version
        self.group = ""  # the API group, "" for the core group; moved groups normalised
        self.namespace: str | None = None
        self.name: str | None = None
        self.span = span  # the object's `kind` key, or where its document starts
        self.name_span: Span | None = None  # the `metadata.name` value
        self.spec_span: Span | None = None  # the `spec` key
        self.annotations: dict[str, str] = {}
        self.template_annotations: dict[str, str] = {}
        self.labels: dict[str, str] = {}
        # Objects that make pods: the labels their pods carry (None for other kinds), the ports
        # their containers declare, what they refer to by name, and their explicit replica count.
        self.pod_labels: dict[str, str] | None = None
        self.has_containers = True
        self.container_ports: tuple[ContainerPort, ...] = ()
        self.references: tuple[Reference, ...] = ()
        self.replicas: int | None = None
        self.replicas_span: Span | None = None
        # A label selector: a workload's, a PodDisruptionBudget's or a ServiceMonitor's
        # `spec.selector`. None when absent or not a mapping.
        self.selector: Selector | None = None
        self.selector_span: Span | None = None  # the `selector` key, even when not a mapping
        # Service
        self.service_selector: dict[str, str] | None = None  # None: no selector (or empty)
        self.service_type = ""
        self.service_ports: tuple[ServicePort, ...] = ()
        # Ingress
        self.backends: tuple[Backend, ...] = ()
        # HorizontalPodAutoscaler, KEDA ScaledObject
        self.scale_target: ScaleTarget | None = None
        self.min_replicas: int | None = None  # with the API's default applied
        # PodDisruptionBudget: each an int, a percentage string, or None when unset
        self.min_available: int | str | None = None
        self.min_available_span: Span | None = None
        self.max_unavailable: int | str | None = None
        self.max_unavailable_span: Span | None = None
        self.unhealthy_pod_eviction_policy: str | None = None
        # NetworkPolicy: the pods it applies to, its effective policy types, and the podSelectors
        # of its peers that name no namespaceSelector (pods of its own namespace).
        self.pod_selector: Selector | None = None
        self.policy_types: frozenset[str] = frozenset()
        self.peer_selectors: tuple[Selector, ...] = ()
        # ServiceMonitor: the namespaces it looks in (None: any namespace)
        self.monitor_namespaces: frozenset[str] | None = frozenset()
        # ConfigMap, Secret: the keys it holds
        self.data_keys: frozenset[str] | None = None

    @property
    def effective_namespace(self) -> str:
        """The namespace the object lands in: its own, or `default` when it names none."""
        return self.namespace or DEFAULT_NAMESPACE

    def __repr__(self) -> str:
        return f"ObjectSummary({self.object_id!r} in {self.path!r})"


def same_namespace(a: ObjectSummary, b: ObjectSummary) -> bool:
    """Whether two objects are in one namespace: an unset namespace is `default`."""
    return a.effective_namespace == b.effective_namespace


def summarize(manifest: Manifest) -> list[ObjectSummary]:
    """A summary of each object of a parsed manifest, in order. Objects without a kind are left
    out. Never raises on odd input: a field of the wrong type reads as absent."""
    out: list[ObjectSummary] = []
    path = manifest.source.path
    for r in manifest.resources:
        if not r.kind:
            continue
        out.append(_summarize(path, r))
    return out


def _summarize(path: str, r: Resource) -> ObjectSummary:
    node = r.node
    s = ObjectSummary(path, r.object_id, r.kind, r.api_version, node.key_span("kind") or r.span)
    group = r.api_version.rpartition("/")[0] if "/" in r.api_version else ""
    s.group = _MOVED_GROUPS.get((group, r.kind), group)
    s.namespace = r.namespace or None
    s.name = r.name or None
    meta = node.map("metadata")
    if meta is not None:
        name = meta.get("name")
        s.name_span = name.span if isinstance(name, YScalar) else meta.key_span("name")
    s.spec_span = node.key_span("spec")
    s.annotations = r.annotations
    s.labels = r.labels
    spec = node.map("spec")
    reader = _READERS.get(r.kind)
    if r.kind in POD_TEMPLATE_PATHS:
        _workload(s, r)
    elif reader is not None and spec is not None:
        reader(s, spec)
    elif s.group == "monitoring.coreos.com" and r.kind in OPERATOR_POD_LABELS and r.name:
        _operator_pods(s, r)
    elif r.kind in ("ConfigMap", "Secret"):
        keys: set[str] = set()
        for field in ("data", "binaryData", "stringData"):
            m = node.map(field)
            if m is not None:
                keys.update(m.entries)
        s.data_keys = frozenset(keys)
    return s


# -- scalars -----------------------------------------------------------------------------------


def _text(node: YNode | None) -> str | None:
    """A non-empty string scalar (numbers and booleans as written), or None."""
    if not isinstance(node, YScalar) or node.value is None or isinstance(node.value, (dict, list)):
        return None
    value = node.value
    text = node.text if isinstance(value, bool) else str(value)
    return text if text else None


def _int(node: YNode | None) -> int | None:
    if isinstance(node, YScalar) and isinstance(node.value, int) and not isinstance(node.value, bool):
        return node.value
    return None


def _int_or_string(node: YNode | None) -> int | str | None:
    """An IntOrString field: an int, a string (a port name or a percentage), or None."""
    if not isinstance(node, YScalar) or isinstance(node.value, bool) or node.value is None:
        return None
    if isinstance(node.value, int):
        return node.value
    if isinstance(node.value, str) and node.value:
        return node.value
    return None


def _true(node: YNode | None) -> bool:
    return isinstance(node, YScalar) and node.value is True


def _labels(node: YNode | None) -> dict[str, str]:
    if not isinstance(node, YMap):
        return {}
    out: dict[str, str] = {}
    for key, (_, value) in node.entries.items():
        text = _text(value)
        out[key] = text if text is not None else ""
    return out


def _selector(node: YNode | None, span: Span | None = None) -> Selector | None:
    """A LabelSelector mapping, or None when it is not one. `span` is where a finding about it
    points (default: the mapping)."""
    if not isinstance(node, YMap):
        return None
    expressions: list[tuple[str, str, tuple[str, ...]]] = []
    seq = node.seq("matchExpressions")
    for item in seq.items if seq is not None else ():
        if not isinstance(item, YMap):
            continue
        key, op = _text(item.get("key")), _text(item.get("operator"))
        if key is None or op is None:
            continue
        values = item.seq("values")
        texts = tuple(t for t in (_text(v) for v in (values.items if values else ())) if t is not None)
        expressions.append((key, op, texts))
    return Selector(_labels(node.get("matchLabels")), tuple(expressions), span or node.span)


def _items(node: YMap, key: str) -> list[YMap]:
    seq = node.seq(key)
    return [i for i in seq.items if isinstance(i, YMap)] if seq is not None else []


def _value_span(node: YMap, key: str) -> Span | None:
    value = node.get(key)
    return value.span if value is not None else node.key_span(key)


# -- workloads ---------------------------------------------------------------------------------


def _workload(s: ObjectSummary, r: Resource) -> None:
    node: YMap | None = r.node
    for key in POD_TEMPLATE_PATHS[r.kind]:
        node = node.map(key) if node is not None else None
    spec = r.node.map("spec")
    if spec is not None:
        s.replicas = _int(spec.present("replicas"))
        if s.replicas is not None:
            s.replicas_span = _value_span(spec, "replicas")
        s.selector_span = spec.key_span("selector")
        selector = spec.get("selector")
        # ReplicationControllers and DeploymentConfigs select with a plain map of labels.
        if r.kind in ("ReplicationController", "DeploymentConfig") and isinstance(selector, YMap):
            s.selector = Selector(_labels(selector), (), selector.span)
        elif r.kind != "Pod":
            s.selector = _selector(selector)
    if r.kind == "Pod":
        labels = dict(r.labels)
    else:
        # The pods carry their template's labels, which must include the selector's matchLabels
        # (the API refuses the object otherwise): those stand in for labels a template leaves out.
        labels = dict(s.selector.match_labels) if s.selector is not None else {}
        meta = node.map("metadata") if node is not None else None
        if meta is not None:
            labels.update(_labels(meta.get("labels")))
            s.template_annotations = _labels(meta.get("annotations"))
    s.pod_labels = labels
    pod_spec = node.map("spec") if node is not None else None
    # Without a pod template with containers the object makes no pods (the API refuses it): the
    # rules about running pods skip it; selectors may still name its labels.
    s.has_containers = pod_spec is not None and bool(list(_items(pod_spec, "containers")))
    if pod_spec is not None:
        _pod_spec(s, pod_spec)
    if r.kind == "StatefulSet" and spec is not None:
        # A pod volume named after one of the claim templates is replaced by the claim the
        # StatefulSet makes for each pod: it refers to no claim of its own.
        templates = {
            _text(m.get("name")) for t in _items(spec, "volumeClaimTemplates") if (m := t.map("metadata"))
        }
        s.references = tuple(
            ref
            for ref in s.references
            if not (ref.kind == "PersistentVolumeClaim" and ref.where in {f"volume '{t}'" for t in templates})
        )


def _operator_pods(s: ObjectSummary, r: Resource) -> None:
    """A Prometheus, Alertmanager or ThanosRuler resource: the pods the operator makes of it."""
    name = r.name
    labels = {
        k: v.format(name=name) for k, v in {**OPERATOR_POD_LABELS[r.kind], **_OPERATOR_COMMON_LABELS}.items()
    }
    if r.kind == "Prometheus":
        labels["operator.prometheus.io/name"] = name
    spec = r.node.map("spec")
    meta = spec.map("podMetadata") if spec is not None else None
    if meta is not None:
        labels.update(_labels(meta.get("labels")))
    s.pod_labels = labels
    s.replicas = _int(spec.present("replicas")) if spec is not None else None


def _pod_spec(s: ObjectSummary, spec: YMap) -> None:
    ports: list[ContainerPort] = []
    refs: list[Reference] = []
    sa_key = "serviceAccountName" if spec.present("serviceAccountName") is not None else "serviceAccount"
    sa = spec.get(sa_key)
    sa_name = _text(sa)
    if sa is not None and sa_name is not None:
        refs.append(Reference("ServiceAccount", sa_name, sa_key, False, None, sa.span))
    for key in ("containers", "initContainers"):
        for c in _items(spec, key):
            cname = _text(c.get("name")) or ""
            for p in _items(c, "ports"):
                number = _int(p.get("containerPort"))
                ports.append(ContainerPort(cname, _text(p.get("name")), number, p.first_key_span()))
            for env in _items(c, "env"):
                source = env.map("valueFrom")
                if source is None:
                    continue
                for field, kind in (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")):
                    _named_ref(refs, source.map(field), "name", kind, "env", with_key=True)
            for env_from in _items(c, "envFrom"):
                for field, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
                    _named_ref(refs, env_from.map(field), "name", kind, "envFrom")
    for volume in _items(spec, "volumes"):
        _volume_refs(refs, volume)
    for secret in _items(spec, "imagePullSecrets"):
        _named_ref(refs, secret, "name", "Secret", "imagePullSecrets")
    s.container_ports = tuple(ports)
    s.references = tuple(refs)


def _named_ref(
    refs: list[Reference],
    node: YMap | None,
    name_key: str,
    kind: str,
    where: str,
    with_key: bool = False,
    keys: tuple[str, ...] = (),
) -> None:
    if node is None:
        return
    value = node.get(name_key)
    name = _text(value)
    if value is None or name is None:
        return
    optional = _true(node.get("optional"))
    key = _text(node.get("key")) if with_key else None
    refs.append(Reference(kind, name, where, optional, key, value.span))
    for k in keys:  # the keys of a volume's `items`, each a reference of its own
        refs.append(Reference(kind, name, where, optional, k, value.span))


def _volume_refs(refs: list[Reference], volume: YMap) -> None:
    where = f"volume '{_text(volume.get('name')) or ''}'"
    for field, kind, name_key in (("configMap", "ConfigMap", "name"), ("secret", "Secret", "secretName")):
        source = volume.map(field)
        if source is not None:
            _named_ref(refs, source, name_key, kind, where, keys=_item_keys(source))
    claim = volume.map("persistentVolumeClaim")
    if claim is not None:
        _named_ref(refs, claim, "claimName", "PersistentVolumeClaim", where)
    projected = volume.map("projected")
    if projected is not None:
        for src in _items(projected, "sources"):
            for field, kind in (("configMap", "ConfigMap"), ("secret", "Secret")):
                source = src.map(field)
                if source is not None:
                    _named_ref(refs, source, "name", kind, where, keys=_item_keys(source))


def _item_keys(source: YMap) -> tuple[str, ...]:
    return tuple(k for k in (_text(i.get("key")) for i in _items(source, "items")) if k is not None)


# -- other kinds -------------------------------------------------------------------------------


def _service(s: ObjectSummary, spec: YMap) -> None:
    s.service_type = _text(spec.get("type")) or "ClusterIP"
    s.selector_span = spec.key_span("selector")
    selector = _labels(spec.get("selector"))
    s.service_selector = selector or None
    ports: list[ServicePort] = []
    for p in _items(spec, "ports"):
        port = _int(p.get("port"))
        target_node = p.present("targetPort")
        target = _int_or_string(target_node)
        if isinstance(target, str) and target.isdigit():
            target = int(target)
        if target_node is not None:
            span = target_node.span
        else:
            target = port
            span = _value_span(p, "port") or p.first_key_span()
        ports.append(ServicePort(_text(p.get("name")), port, target, span))
    s.service_ports = tuple(ports)


def _ingress(s: ObjectSummary, spec: YMap) -> None:
    backends: list[Backend] = []
    defaults = [spec.map("defaultBackend"), spec.map("backend")]
    paths: list[YMap | None] = []
    for rule in _items(spec, "rules"):
        http = rule.map("http")
        if http is not None:
            paths.extend(p.map("backend") for p in _items(http, "paths"))
    for b in [*defaults, *paths]:
        if b is None:
            continue
        service = b.map("service")
        if service is not None:  # networking.k8s.io/v1
            name_node = service.get("name")
            port = service.map("port")
            port_node = None
            if port is not None:
                port_node = port.present("number") or port.present("name")
        else:  # v1beta1: serviceName and servicePort
            name_node = b.get("serviceName")
            port_node = b.present("servicePort")
        name = _text(name_node)
        if name is None or name_node is None:
            continue
        value = _int_or_string(port_node)
        if isinstance(value, str) and value.isdigit():
            value = int(value)
        backends.append(Backend(name, value, name_node.span, port_node.span if port_node else None))
    s.backends = tuple(backends)


def _scaler(s: ObjectSummary, spec: YMap) -> None:
    """A HorizontalPodAutoscaler (any version) or a KEDA ScaledObject."""
    ref = spec.map("scaleTargetRef")
    keda = s.kind == "ScaledObject"
    if ref is not None:
        name_node = ref.get("name")
        name = _text(name_node)
        kind = _text(ref.get("kind")) or ("Deployment" if keda else None)
        if name is not None and kind is not None and name_node is not None:
            s.scale_target = ScaleTarget(kind, name, name_node.span)
    # Left out, an HPA keeps at least 1 replica; a ScaledObject scales down to 0.
    key = "minReplicaCount" if keda else "minReplicas"
    minimum = _int(spec.present(key))
    s.min_replicas = minimum if minimum is not None else (0 if keda else 1)


def _disruption_budget(s: ObjectSummary, spec: YMap) -> None:
    s.selector_span = spec.key_span("selector")
    s.selector = _selector(spec.get("selector"))
    for key in ("minAvailable", "maxUnavailable"):
        node = spec.present(key)
        value = _int_or_string(node)
        if value is None or node is None:
            continue
        if key == "minAvailable":
            s.min_available, s.min_available_span = value, node.span
        else:
            s.max_unavailable, s.max_unavailable_span = value, node.span
    s.unhealthy_pod_eviction_policy = _text(spec.get("unhealthyPodEvictionPolicy"))


def _network_policy(s: ObjectSummary, spec: YMap) -> None:
    s.selector_span = spec.key_span("podSelector")
    s.pod_selector = _selector(spec.get("podSelector"))
    types = spec.seq("policyTypes")
    if types is not None:
        s.policy_types = frozenset(t for t in (_text(i) for i in types.items) if t is not None)
    else:
        # Left unset, the types are Ingress, and Egress when the policy has egress rules.
        egress = spec.seq("egress")
        s.policy_types = frozenset(
            ("Ingress", "Egress") if egress is not None and egress.items else ("Ingress",)
        )
    peers: list[Selector] = []
    for direction, key in (("ingress", "from"), ("egress", "to")):
        for rule in _items(spec, direction):
            for peer in _items(rule, key):
                if peer.get("namespaceSelector") is not None:
                    continue  # pods of other namespaces, whose labels the run cannot know
                selector = _selector(peer.get("podSelector"), peer.key_span("podSelector"))
                if selector is not None:
                    peers.append(selector)
    s.peer_selectors = tuple(peers)


def _service_monitor(s: ObjectSummary, spec: YMap) -> None:
    s.selector_span = spec.key_span("selector")
    s.selector = _selector(spec.get("selector"))
    namespaces = spec.map("namespaceSelector")
    if namespaces is not None and _true(namespaces.get("any")):
        s.monitor_namespaces = None
        return
    names = namespaces.seq("matchNames") if namespaces is not None else None
    listed = frozenset(t for t in (_text(i) for i in names.items) if t is not None) if names else frozenset()
    # Without matchNames, the Prometheus operator looks in the ServiceMonitor's own namespace.
    s.monitor_namespaces = listed or frozenset((s.effective_namespace,))


_READERS = {
    "Service": _service,
    "Ingress": _ingress,
    "HorizontalPodAutoscaler": _scaler,
    "ScaledObject": _scaler,
    "PodDisruptionBudget": _disruption_budget,
    "NetworkPolicy": _network_policy,
    "ServiceMonitor": _service_monitor,
}
