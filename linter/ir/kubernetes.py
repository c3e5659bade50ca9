"""The Kubernetes IR: YAML nodes with spans, resources, and one normalised pod view.

Every key and every value keeps its span, so a finding can point at the offending field. Scalars
are resolved with YAML 1.1 rules, as Kubernetes reads them (`yes` and `on` are booleans).
"""

from __future__ import annotations

import weakref

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from linter.ir.images import ImageRef
    from linter.ir.source import SourceFile, Span


class YNode:
    __slots__ = ("span",)

    def __init__(self, span: Span) -> None:
        self.span = span

    def to_python(self) -> object:
        raise NotImplementedError


class YScalar(YNode):
    __slots__ = ("quoted", "text", "value")

    def __init__(self, span: Span, value: object, text: str, quoted: bool) -> None:
        self.span = span  # (not through YNode.__init__: a call less per scalar, for parse speed)
        self.value = value  # resolved: str, int, float, bool or None
        self.text = text  # as written
        self.quoted = quoted

    def to_python(self) -> object:
        return self.value

    def __repr__(self) -> str:
        return f"YScalar({self.value!r})"


class YSeq(YNode):
    __slots__ = ("_py", "items")

    def __init__(self, span: Span, items: list[YNode]) -> None:
        self.span = span
        self.items = items
        self._py: list[object] | None = None

    def to_python(self) -> list[object]:
        if self._py is None:
            self._py = [i.to_python() for i in self.items]
        return self._py


class YMap(YNode):
    """A mapping. Keys are kept as strings; `entries` maps each key to (key node, value node)."""

    __slots__ = ("_py", "entries")

    def __init__(self, span: Span, entries: dict[str, tuple[YScalar, YNode]]) -> None:
        self.span = span
        self.entries = entries
        self._py: dict[str, object] | None = None

    def get(self, key: str) -> YNode | None:
        e = self.entries.get(key)
        return e[1] if e else None

    def present(self, key: str) -> YNode | None:
        """The value of `key` unless it is absent or null. Kubernetes drops null fields, so
        `key: null`, `key: ~` and a bare `key:` do not set anything."""
        v = self.get(key)
        return None if isinstance(v, YScalar) and v.value is None else v

    def map(self, key: str) -> YMap | None:
        v = self.get(key)
        return v if isinstance(v, YMap) else None

    def seq(self, key: str) -> YSeq | None:
        v = self.get(key)
        return v if isinstance(v, YSeq) else None

    def scalar(self, key: str) -> object:
        v = self.get(key)
        return v.value if isinstance(v, YScalar) else None

    def key_span(self, key: str) -> Span | None:
        e = self.entries.get(key)
        return e[0].span if e else None

    def first_key_span(self) -> Span:
        """Where the mapping starts: its first key and value when they share a line."""
        for k, v in self.entries.values():
            if isinstance(v, YScalar) and v.span.line == k.span.line:
                return type(k.span)(k.span.line, k.span.column, v.span.end_line, v.span.end_column)
            return k.span
        return self.span

    def deepest(self, *path: str) -> Span:
        """The span of the key at the end of `path`, or of the deepest key that exists, or of the
        mapping itself: where to point when something below is missing."""
        node: YMap = self
        span = self.first_key_span()
        for key in path:
            e = node.entries.get(key)
            if e is None:
                return span
            span = e[0].span
            if not isinstance(e[1], YMap):
                return span
            node = e[1]
        return span

    def to_python(self) -> dict[str, object]:
        if self._py is None:
            self._py = {k: v.to_python() for k, (_, v) in self.entries.items()}
        return self._py


def locate(node: YNode, path: list[object]) -> Span:
    """The span of the deepest key or item along `path` that exists below `node`."""
    span = node.first_key_span() if isinstance(node, YMap) else node.span
    for step in path:
        if isinstance(node, YMap) and isinstance(step, str) and step in node.entries:
            key, node = node.entries[step]
            span = key.span
        elif isinstance(node, YSeq) and isinstance(step, int) and 0 <= step < len(node.items):
            node = node.items[step]
            span = node.first_key_span() if isinstance(node, YMap) else node.span
        else:
            break
    return span


class Resource:
    """One Kubernetes object from a document (or from the items of a `kind: List`)."""

    __slots__ = (
        "annotations",
        "api_version",
        "doc_index",
        "kind",
        "labels",
        "name",
        "namespace",
        "node",
        "source",
    )

    def __init__(self, source: SourceFile, node: YMap, doc_index: int) -> None:
        self.source = source
        self.node = node
        self.doc_index = doc_index
        self.api_version = _str(node.scalar("apiVersion"))
        self.kind = _str(node.scalar("kind"))
        meta = node.map("metadata")
        self.name = _str(meta.scalar("name")) if meta else ""
        self.namespace = _str(meta.scalar("namespace")) if meta else ""
        self.labels = _str_map(meta.map("labels")) if meta else {}
        self.annotations = _str_map(meta.map("annotations")) if meta else {}

    @property
    def object_id(self) -> str:
        """`Kind/namespace/name`, or `Kind/name` when the object names no namespace."""
        if self.namespace:
            return f"{self.kind}/{self.namespace}/{self.name}"
        return f"{self.kind}/{self.name}"

    @property
    def span(self) -> Span:
        return self.node.first_key_span()


# Where each pod-bearing kind keeps its pod template, as a path of keys to the pod spec's parent.
POD_SPEC_PATHS: dict[str, tuple[str, ...]] = {
    "Pod": (),
    "Deployment": ("spec", "template"),
    "ReplicaSet": ("spec", "template"),
    "ReplicationController": ("spec", "template"),
    "StatefulSet": ("spec", "template"),
    "DaemonSet": ("spec", "template"),
    "Job": ("spec", "template"),
    "CronJob": ("spec", "jobTemplate", "spec", "template"),
    "PodTemplate": ("template",),
    # OpenShift's DeploymentConfig (apps.openshift.io/v1) keeps a pod template like a Deployment.
    "DeploymentConfig": ("spec", "template"),
}

# Pod templates of custom resources: kind -> [(apiVersion or API group or None, path)], most
# recently registered first. Filled from the config's `pod-templates` (register_pod_template) and
# with the well-known ones below; consulted by PodView.of before POD_SPEC_PATHS.
_CUSTOM_TEMPLATES: dict[str, list[tuple[str | None, tuple[str, ...]]]] = {}
# Custom resources whose pod template is at a fixed place, linted without any configuration. Each
# is keyed by its API group, so that a kind of the same name in another group (Knative's Service
# and the core Service) is not mistaken for it.
WELL_KNOWN_TEMPLATES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("argoproj.io", "Rollout", ("spec", "template")),  # Argo Rollouts (PodTemplateSpec)
    ("serving.knative.dev", "Service", ("spec", "template")),  # Knative Serving
    ("serving.knative.dev", "Configuration", ("spec", "template")),
)


def register_pod_template(kind: str, path: str | tuple[str, ...], api_version: str | None = None) -> None:
    """Lint objects of `kind` as pod-bearing: their pod template is at `path` (a dotted string such
    as "spec.template", or a tuple of keys).

    The mapping at `path` is either a pod template (it has a `spec` mapping, and usually
    `metadata`), as in `spec.template` of a Deployment, or a pod spec itself (it has
    `containers`), as some custom resources embed one. `api_version` narrows the match: a full
    apiVersion ("argoproj.io/v1alpha1") matches that version only, an API group ("argoproj.io")
    every version of it, None any object of the kind. A later registration for the same kind and
    apiVersion replaces an earlier one."""
    keys = tuple(k for k in path.split(".") if k) if isinstance(path, str) else tuple(path)
    entries = [e for e in _CUSTOM_TEMPLATES.get(kind, []) if e[0] != api_version]
    entries.insert(0, (api_version, keys))
    _CUSTOM_TEMPLATES[kind] = entries


def reset_pod_templates(well_known: bool = True) -> None:
    """Forget every registered pod template; keep (or, with `well_known=False`, drop) the
    well-known custom resources."""
    _CUSTOM_TEMPLATES.clear()
    if well_known:
        for group, kind, keys in WELL_KNOWN_TEMPLATES:
            register_pod_template(kind, keys, group)


def _api_matches(wanted: str | None, api_version: str) -> bool:
    if wanted is None:
        return True
    if "/" in wanted:
        return api_version == wanted
    group = api_version.rpartition("/")[0]
    return group == wanted


def pod_template_path(resource: Resource) -> tuple[str, ...] | None:
    """Where `resource` keeps its pod template, or None when it holds no pod."""
    custom = _CUSTOM_TEMPLATES.get(resource.kind)
    if custom:
        for wanted, keys in custom:
            if _api_matches(wanted, resource.api_version):
                return keys
    return POD_SPEC_PATHS.get(resource.kind)


reset_pod_templates()

CONTAINER_LISTS = (
    ("containers", "container"),
    ("initContainers", "init"),
    ("ephemeralContainers", "ephemeral"),
)


class PodView:
    """The pod spec of any workload, with its containers: the one view every pod rule reads."""

    __slots__ = ("__weakref__", "containers", "resource", "spec", "template")

    def __init__(self, resource: Resource, template: YMap, spec: YMap) -> None:
        self.resource = resource
        self.template = template  # the mapping holding `metadata` and `spec` (the object for a Pod)
        self.spec = spec
        self.containers: list[ContainerView] = []
        for key, ctype in CONTAINER_LISTS:
            seq = spec.seq(key)
            if seq is None:
                continue
            for item in seq.items:
                if isinstance(item, YMap):
                    self.containers.append(ContainerView(self, item, ctype))

    @property
    def kind(self) -> str:
        return self.resource.kind

    @property
    def is_windows(self) -> bool:
        """Whether the pod runs on Windows nodes: `spec.os.name: windows`, a `kubernetes.io/os:
        windows` node selector, or `windowsOptions.hostProcess: true` on the pod or any container
        (only Windows has HostProcess containers). The API rejects Linux-only fields on such pods."""
        os_ = self.spec.map("os")
        if os_ is not None and os_.scalar("name") == "windows":
            return True
        selector = self.spec.map("nodeSelector")
        if selector is not None and selector.scalar("kubernetes.io/os") == "windows":
            return True
        contexts = [self.spec.map("securityContext")] + [
            c.node.map("securityContext") for c in self.containers
        ]
        for sc in contexts:
            options = sc.map("windowsOptions") if sc is not None else None
            if options is not None and options.scalar("hostProcess") is True:
                return True
        return False

    @property
    def template_annotations(self) -> dict[str, str]:
        meta = self.template.map("metadata")
        return _str_map(meta.map("annotations")) if meta else {}

    @classmethod
    def of(cls, resource: Resource) -> PodView | None:
        path = pod_template_path(resource)
        if path is None:
            return None
        node: YMap | None = resource.node
        for key in path:
            node = node.map(key) if node else None
        if node is None:
            return None
        spec = node.map("spec")
        if spec is None:
            # A custom resource may embed a pod spec directly (it has `containers`); built-in
            # kinds never do, and a template without `spec` holds no pod.
            if path and resource.kind not in POD_SPEC_PATHS and node.get("containers") is not None:
                return cls(resource, node, node)
            return None
        return cls(resource, node, spec)


class ContainerView:
    __slots__ = ("_image", "_pod", "name", "node", "type")

    def __init__(self, pod: PodView, node: YMap, ctype: str) -> None:
        # A weak reference: the pod holds its containers, and a cycle between them would keep
        # every node of the file alive until the cyclic garbage collector ran (a quarter of the
        # time of a schema check over many files went to that collector's passes).
        self._pod = weakref.ref(pod)
        self.node = node
        self.type = ctype  # "container", "init" or "ephemeral"
        self.name = _str(node.scalar("name"))
        self._image: ImageRef | bool | None = False

    @property
    def pod(self) -> PodView:
        """The pod this container belongs to (alive as long as someone holds the pod view)."""
        pod = self._pod()
        if pod is None:
            raise ReferenceError("the pod view of this container is gone; keep the PodView")
        return pod

    @property
    def image(self) -> ImageRef | None:
        if self._image is False:
            from linter.ir.images import ImageRef

            text = self.node.scalar("image")
            self._image = ImageRef.parse(text) if isinstance(text, str) and text.strip() else None
        return self._image  # type: ignore[return-value]

    @property
    def is_sidecar(self) -> bool:
        """An init container with `restartPolicy: Always` runs beside the app containers."""
        return self.type == "init" and self.node.scalar("restartPolicy") == "Always"

    @property
    def span(self) -> Span:
        return self.node.first_key_span()


class Manifest:
    """A parsed YAML file: its resources in order."""

    __slots__ = ("resources", "source")

    def __init__(self, source: SourceFile) -> None:
        self.source = source
        self.resources: list[Resource] = []

    def pods(self) -> Iterator[PodView]:
        for r in self.resources:
            pod = PodView.of(r)
            if pod is not None:
                yield pod


def _str(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def _str_map(node: YMap | None) -> dict[str, str]:
    if node is None:
        return {}
    return {k: _str(v.value) if isinstance(v, YScalar) else "" for k, (_, v) in node.entries.items()}
