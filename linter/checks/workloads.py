"""Checks of workloads and the objects around them (replicas, disruption budgets, rollouts)."""

from __future__ import annotations

from linter.checks import Check

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from linter.checks import Context, Hit
    from linter.ir.kubernetes import ContainerView, PodView, Resource, YMap


def pull_policy(c: ContainerView, ctx: Context) -> Iterator[Hit]:
    """The image is not pulled on every start. Left unset, Kubernetes defaults the policy to
    Always for an untagged or `latest` image and to IfNotPresent otherwise; an image pinned by
    digest cannot change, so its policy does not matter."""
    from linter.ir.kubernetes import YScalar

    image = c.image
    if image is None or image.digest:
        return
    policy = c.node.present("imagePullPolicy")
    if policy is not None:
        if isinstance(policy, YScalar) and policy.value == "Always":
            return
        value = policy.value if isinstance(policy, YScalar) else "?"
        yield policy.span, {"container": c.name, "reason": f"sets imagePullPolicy: {value}"}
        return
    if image.tag is None or image.tag == "latest":
        return  # Kubernetes defaults to Always
    yield (
        c.node.key_span("image") or c.span,
        {
            "container": c.name,
            "reason": "leaves imagePullPolicy unset, which Kubernetes defaults to IfNotPresent "
            f"for tag '{image.tag}'",
        },
    )


def _replicas(r: Resource) -> int | None:
    """An explicit integer `spec.replicas`, or None when it is missing or not an integer."""
    from linter.ir.kubernetes import YScalar

    spec = r.node.map("spec")
    node = spec.present("replicas") if spec is not None else None
    if not isinstance(node, YScalar) or isinstance(node.value, bool) or not isinstance(node.value, int):
        return None
    return node.value


def _hpa_minimum(r: Resource, ctx: Context) -> int | None:
    """The highest `minReplicas` of the HorizontalPodAutoscalers in the same file that scale `r`
    (same kind, name and namespace), or None when none does. An HPA without `minReplicas` keeps
    at least 1."""
    from linter.ir.kubernetes import YScalar

    found: int | None = None
    for h in getattr(ctx.document, "resources", ()):
        if h.kind != "HorizontalPodAutoscaler" or (h.namespace or "") != (r.namespace or ""):
            continue
        spec = h.node.map("spec")
        target = spec.map("scaleTargetRef") if spec is not None else None
        if target is None or target.scalar("kind") != r.kind or target.scalar("name") != r.name:
            continue
        node = spec.present("minReplicas") if spec is not None else None
        value = node.value if isinstance(node, YScalar) else 1
        if isinstance(value, bool) or not isinstance(value, int):
            value = 1
        found = value if found is None else max(found, value)
    return found


def replicas_too_few(r: Resource, ctx: Context) -> Iterator[Hit]:
    """An explicit `replicas` of at least 1 and below the minimum. Zero is a workload scaled
    down on purpose; a missing `replicas` is left to a HorizontalPodAutoscaler, which owns it,
    and so is a workload that an HPA of the same file scales with `minReplicas` of at least the
    minimum."""
    replicas = _replicas(r)
    if replicas is None:
        return
    minimum = int(ctx.params["minimum"])  # type: ignore[call-overload]
    if not 1 <= replicas < minimum:
        return
    hpa = _hpa_minimum(r, ctx)
    if hpa is not None and hpa >= minimum:
        return
    spec = r.node.map("spec")
    node = spec.get("replicas") if spec is not None else None  # present: _replicas read it
    yield (node.span if node is not None else r.span), {"replicas": replicas, "minimum": minimum}


def _anti_affinity_spreads(pod: PodView) -> bool:
    """Whether a required or preferred podAntiAffinity term names a topologyKey and applies to the
    pod's own replicas: its `namespaces` (when given, without a `namespaceSelector`) include the
    object's namespace, and its `labelSelector` (when given) matches the template's labels."""
    from linter.ir.kubernetes import YMap, YSeq

    affinity = pod.spec.map("affinity")
    anti = affinity.map("podAntiAffinity") if affinity is not None else None
    if anti is None:
        return False
    labels = _template_labels(pod)
    own_namespace = pod.resource.namespace
    for key, nested in (
        ("requiredDuringSchedulingIgnoredDuringExecution", False),
        ("preferredDuringSchedulingIgnoredDuringExecution", True),
    ):
        terms = anti.seq(key)
        for term in terms.items if terms is not None else ():
            inner = term.map("podAffinityTerm") if nested and isinstance(term, YMap) else term
            if not isinstance(inner, YMap):
                continue
            key_ = inner.scalar("topologyKey")
            if not isinstance(key_, str) or not key_.strip():
                continue
            namespaces = inner.present("namespaces")
            if (
                own_namespace
                and isinstance(namespaces, YSeq)
                and namespaces.items
                and inner.present("namespaceSelector") is None
                and own_namespace not in [_text(n) for n in namespaces.items]
            ):
                continue  # it keeps the pods away from pods of other namespaces only
            selector = inner.map("labelSelector")
            if selector is not None and _selector_mismatch(selector, labels):
                continue  # it keeps them away from other pods, not from each other
            return True
    return False


def _text(node: object) -> str | None:
    """A scalar's value as Kubernetes would read it into a string field, or None."""
    from linter.ir.kubernetes import YScalar

    if not isinstance(node, YScalar) or node.value is None:
        return None
    v = node.value
    return ("true" if v else "false") if isinstance(v, bool) else str(v)


def _template_labels(pod: PodView) -> dict[str, str]:
    """The pod template's labels (a bare Pod's are its own), those that are scalars."""
    meta = pod.template.map("metadata")
    if meta is None:
        return {}
    labels = meta.map("labels")
    if labels is None:
        return {}
    out: dict[str, str] = {}
    for key, (_, value) in labels.entries.items():
        text = _text(value)
        if text is not None:
            out[key] = text
    return out


def _selector_mismatch(selector: YMap, labels: dict[str, str], plain: bool = False) -> str | None:
    """Why a label selector does not select a pod with `labels`, or None when it does. `plain` is
    the map-of-labels form of ReplicationControllers, DeploymentConfigs and Services; otherwise
    it is a LabelSelector (`matchLabels` and `matchExpressions`). Requirements that cannot be read
    (not a string, an unknown operator) are skipped, not failed."""
    from linter.ir.kubernetes import YMap, YSeq

    match = selector if plain else selector.map("matchLabels")
    for key, (_, value) in match.entries.items() if match is not None else ():
        want = _text(value)
        if want is None:
            continue
        if key not in labels:
            return f"requires label {key}={want}, which the pod template does not set"
        if labels[key] != want:
            return f"requires label {key}={want}, but the pod template sets {key}={labels[key]}"
    if plain:
        return None
    exprs = selector.seq("matchExpressions")
    for expr in exprs.items if exprs is not None else ():
        if not isinstance(expr, YMap):
            continue
        name = _text(expr.get("key"))
        op = _text(expr.get("operator"))
        values_node = expr.get("values")
        values = (
            [v for v in (_text(i) for i in values_node.items) if v is not None]
            if isinstance(values_node, YSeq)
            else []
        )
        if name is None or op is None:
            continue
        key = name
        has = key in labels
        if op == "In" and not (has and labels[key] in values):
            return f"requires label {key} in ({', '.join(values)}), which the pod template does not satisfy"
        if op == "NotIn" and has and labels[key] in values:
            listed = ", ".join(values)
            return f"requires label {key} not in ({listed}), but the pod template sets {key}={labels[key]}"
        if op == "Exists" and not has:
            return f"requires label {key} to exist, which the pod template does not set"
        if op == "DoesNotExist" and has:
            return f"requires label {key} not to exist, but the pod template sets it"
    return None


def topology_spread(pod: PodView, ctx: Context) -> Iterator[Hit]:
    """A replicated workload whose pods set no topology spread constraints and no pod
    anti-affinity with a topologyKey. An explicit `replicas` of 0 or 1 has nothing to spread; a
    missing one is checked, as Polaris does, since an HPA may scale the workload up."""
    from linter.ir.kubernetes import YSeq

    replicas = _replicas(pod.resource)
    if replicas is not None and replicas <= 1:
        return
    constraints = pod.spec.present("topologySpreadConstraints")
    if isinstance(constraints, YSeq) and constraints.items:
        return
    if _anti_affinity_spreads(pod):
        return
    where = pod.spec.key_span("topologySpreadConstraints") or pod.template.key_span("spec") or pod.spec.span
    yield where, {}


def naked_pod(r: Resource, ctx: Context) -> Iterator[Hit]:
    """A Pod that no controller owns: nothing recreates it when it or its node goes away. An empty
    `ownerReferences` names no owner."""
    from linter.ir.kubernetes import YSeq

    meta = r.node.map("metadata")
    owners = meta.present("ownerReferences") if meta is not None else None
    if isinstance(owners, YSeq) and owners.items:
        return
    yield r.node.key_span("kind") or r.span, {}


def _int(node: object) -> int | None:
    """An integer scalar's value (not a boolean), or None."""
    from linter.ir.kubernetes import YScalar

    if isinstance(node, YScalar) and isinstance(node.value, int) and not isinstance(node.value, bool):
        return node.value
    return None


# Kinds whose `spec.selector` is a plain map of labels rather than a LabelSelector.
_PLAIN_SELECTOR_KINDS = frozenset(("ReplicationController", "DeploymentConfig"))


def selector_mismatch(pod: PodView, ctx: Context) -> Iterator[Hit]:
    """`spec.selector` does not select the workload's own pod template: the API server rejects the
    object (apps/v1), or the controller never sees the pods it creates. An empty selector selects
    nothing the API accepts. A missing selector is left to schema validation (apps/v1 requires
    one; ReplicationControllers and DeploymentConfigs default it to the template's labels)."""
    from linter.ir.kubernetes import YMap

    r = pod.resource
    spec = r.node.map("spec")
    selector = spec.get("selector") if spec is not None else None
    if spec is None or not isinstance(selector, YMap) or pod.template is r.node:
        return
    where = spec.key_span("selector") or selector.span
    plain = r.kind in _PLAIN_SELECTOR_KINDS
    if plain and not selector.entries:
        return  # defaulted to the template's labels
    if not plain:
        labels_ = selector.map("matchLabels")
        exprs = selector.seq("matchExpressions")
        if not (labels_ is not None and labels_.entries) and not (exprs is not None and exprs.items):
            yield where, {"reason": "is empty, which the API server refuses for a workload"}
            return
    reason = _selector_mismatch(selector, _template_labels(pod), plain)
    if reason is not None:
        yield where, {"reason": reason}


# Where each kind keeps its update strategy, and the strategy types that replace pods gradually.
_STRATEGY = {
    "Deployment": ("strategy", ("RollingUpdate",)),
    "DaemonSet": ("updateStrategy", ("RollingUpdate",)),
    "StatefulSet": ("updateStrategy", ("RollingUpdate",)),
    "DeploymentConfig": ("strategy", ("Rolling",)),
}


def strategy_not_rolling(r: Resource, ctx: Context) -> Iterator[Hit]:
    """An explicit update strategy type that is not a rolling update. An unset one defaults to a
    rolling update and passes."""
    entry = _STRATEGY.get(r.kind)
    spec = r.node.map("spec")
    strategy = spec.map(entry[0]) if spec is not None and entry is not None else None
    if strategy is None or entry is None:
        return
    node = strategy.present("type")
    kind = _text(node)
    if node is None or kind is None or kind in entry[1]:
        return
    yield node.span, {"type": kind, "field": f"spec.{entry[0]}.type", "wanted": entry[1][0]}


def _int_or_percent(node: object) -> tuple[int, bool] | None:
    """An IntOrString (`maxUnavailable`, `maxSurge`) as (number, is a percentage), or None."""
    value = _int(node)
    if value is not None:
        return value, False
    text = (_text(node) or "").strip()
    if text.endswith("%") and text[:-1].isdigit():
        return int(text[:-1]), True
    return None


# The rolling-update defaults (maxUnavailable, maxSurge) per kind; StatefulSets have no surge.
_ROLLING_DEFAULTS = {
    "Deployment": ((25, True), (25, True)),
    "DaemonSet": ((1, False), (0, False)),
    "StatefulSet": ((1, False), None),
}


def rolling_update_unsafe(r: Resource, ctx: Context) -> Iterator[Hit]:
    """Rolling-update parameters that the API server refuses (maxUnavailable and maxSurge both 0,
    with the defaults filled in; a percentage above 100%) or that may take every pod down at once
    (maxUnavailable of 100%, or of at least an explicit `replicas`)."""
    defaults = _ROLLING_DEFAULTS.get(r.kind)
    entry = _STRATEGY.get(r.kind)
    spec = r.node.map("spec")
    strategy = spec.map(entry[0]) if spec is not None and entry is not None else None
    if defaults is None or strategy is None or _text(strategy.present("type")) not in (None, "RollingUpdate"):
        return
    rolling = strategy.map("rollingUpdate")
    if rolling is None:
        return
    nodes = {"maxUnavailable": rolling.present("maxUnavailable"), "maxSurge": rolling.present("maxSurge")}
    for name, node in nodes.items():
        amount = _int_or_percent(node) if node is not None else None
        if node is not None and amount is not None and amount[1] and amount[0] > 100:
            yield node.span, {"problem": f"{name}: {_text(node)} is more than 100%", "severity": "error"}
            return
    unavailable_node = nodes["maxUnavailable"]
    unavailable = _int_or_percent(unavailable_node) if unavailable_node is not None else defaults[0]
    surge_node = nodes["maxSurge"]
    surge = _int_or_percent(surge_node) if surge_node is not None else defaults[1]
    if unavailable is not None and unavailable[0] == 0 and surge is not None and surge[0] == 0:
        target = unavailable_node or surge_node
        if target is not None:
            yield (
                target.span,
                {
                    "problem": "maxUnavailable and maxSurge are both 0, so no pod could ever be replaced "
                    "(the API server refuses it)",
                    "severity": "error",
                },
            )
        return
    if unavailable_node is None or unavailable is None:
        return
    replicas = _replicas(r) if r.kind != "DaemonSet" else None
    if (unavailable[1] and unavailable[0] >= 100) or (
        not unavailable[1] and replicas is not None and replicas > 1 and unavailable[0] >= replicas
    ):
        yield (
            unavailable_node.span,
            {
                "problem": f"maxUnavailable: {_text(unavailable_node)} lets a rollout stop every pod at once",
                "severity": "warning",
            },
        )


def hpa_min_replicas(r: Resource, ctx: Context) -> Iterator[Hit]:
    """A HorizontalPodAutoscaler whose `minReplicas` (1 when unset) is below the minimum: at low load
    it scales the workload down to a single pod."""
    spec = r.node.map("spec")
    if spec is None:
        return
    minimum = int(ctx.params["minimum"])  # type: ignore[call-overload]
    node = spec.present("minReplicas")
    value = _int(node) if node is not None else 1
    if value is None or value < 1 or value >= minimum:
        return  # 0 is scale-to-zero (a feature gate), on purpose
    where = node.span if node is not None else (r.node.key_span("spec") or r.span)
    said = f"minReplicas: {value}" if node is not None else "no minReplicas (so 1)"
    yield where, {"said": said, "minimum": minimum}


def hpa_max_replicas(r: Resource, ctx: Context) -> Iterator[Hit]:
    """`maxReplicas` below `minReplicas` (1 when unset), which the API server refuses, or equal to
    it, which leaves the autoscaler nothing to scale."""
    spec = r.node.map("spec")
    node = spec.present("maxReplicas") if spec is not None else None
    high = _int(node)
    if spec is None or node is None or high is None:
        return
    low_node = spec.present("minReplicas")
    low = _int(low_node) if low_node is not None else 1
    if low is None:
        return
    if high < low:
        yield (
            node.span,
            {
                "problem": f"maxReplicas: {high} is below minReplicas ({low}): the API server refuses it",
                "severity": "error",
            },
        )
    elif high == low:
        yield (
            node.span,
            {
                "problem": f"maxReplicas equals minReplicas ({low}): the autoscaler can never scale",
                "severity": "warning",
            },
        )


def pdb_policy(r: Resource, ctx: Context) -> Iterator[Hit]:
    """A PodDisruptionBudget with neither `minAvailable` nor `maxUnavailable` (in policy/v1 it then
    allows every eviction), or with both (the API server refuses it)."""
    spec = r.node.map("spec")
    if spec is None:
        yield (
            r.node.key_span("kind") or r.span,
            {
                "problem": "sets neither minAvailable nor maxUnavailable, so it allows every eviction",
                "severity": "warning",
            },
        )
        return
    low = spec.present("minAvailable")
    high = spec.present("maxUnavailable")
    if low is None and high is None:
        if r.api_version == "policy/v1beta1":
            return  # policy/v1beta1 defaulted minAvailable to 1
        yield (
            (r.node.key_span("spec") or r.span),
            {
                "problem": "sets neither minAvailable nor maxUnavailable, so it allows every eviction",
                "severity": "warning",
            },
        )
    elif low is not None and high is not None:
        yield (
            (spec.key_span("maxUnavailable") or high.span),
            {
                "problem": "sets both minAvailable and maxUnavailable; the API server accepts only one",
                "severity": "error",
            },
        )


# The restart policies the API server accepts in each controller's pod template.
_RESTART_ALLOWED = {
    "Job": ("OnFailure", "Never"),
    "CronJob": ("OnFailure", "Never"),
}


def restart_policy(pod: PodView, ctx: Context) -> Iterator[Hit]:
    """A pod template's `restartPolicy` that its controller refuses: a Job's or CronJob's must be
    OnFailure or Never, and must be set (the pod default, Always, is refused); a long-running
    controller's (Deployment and the like) must be Always. Bare Pods may use any of the three."""
    if pod.template is pod.resource.node:
        return
    allowed = _RESTART_ALLOWED.get(pod.kind, ("Always",))
    node = pod.spec.present("restartPolicy")
    value = _text(node)
    if node is None:
        if "Always" in allowed:
            return
        where = pod.template.key_span("spec") or pod.spec.span
        yield (
            where,
            {
                "problem": "sets no restartPolicy, and the default (Always) is refused for a " + pod.kind,
                "allowed": " or ".join(allowed),
            },
        )
        return
    if value is not None and value not in allowed:
        yield (
            node.span,
            {
                "problem": f"sets restartPolicy: {value}, which a {pod.kind} does not accept",
                "allowed": " or ".join(allowed),
            },
        )


def job_ttl(r: Resource, ctx: Context) -> Iterator[Hit]:
    """A standalone Job (no owner) without `ttlSecondsAfterFinished` stays in the cluster, with its
    pods, after it finishes; a CronJob's job template that sets one competes with the CronJob's
    history limits."""
    if r.kind == "Job":
        meta = r.node.map("metadata")
        owners = meta.present("ownerReferences") if meta is not None else None
        if owners is not None:
            return
        spec = r.node.map("spec")
        if spec is None or spec.present("ttlSecondsAfterFinished") is not None:
            return
        yield (
            (r.node.key_span("spec") or r.span),
            {"problem": "sets no ttlSecondsAfterFinished: the finished Job and its pods are never deleted"},
        )
    elif r.kind == "CronJob":
        spec = r.node.map("spec")
        template = spec.map("jobTemplate") if spec is not None else None
        job = template.map("spec") if template is not None else None
        node = job.present("ttlSecondsAfterFinished") if job is not None else None
        if job is not None and node is not None:
            yield (
                (job.key_span("ttlSecondsAfterFinished") or node.span),
                {
                    "problem": "the CronJob's job template sets ttlSecondsAfterFinished, which competes with "
                    "successfulJobsHistoryLimit and failedJobsHistoryLimit"
                },
            )


def field_missing(r: Resource, ctx: Context) -> Iterator[Hit]:
    """`spec.<field>` is unset (or empty): points at the `spec` key."""
    field = str(ctx.params["field"])
    spec = r.node.map("spec")
    node = spec.present(field) if spec is not None else None
    text = _text(node)
    if node is not None and (text is None or text.strip()):
        return
    yield (r.node.key_span("spec") or r.span), {"field": field}


def service_type(r: Resource, ctx: Context) -> Iterator[Hit]:
    """A Service of one of the listed types."""
    spec = r.node.map("spec")
    node = spec.present("type") if spec is not None else None
    value = _text(node)
    types = [str(t) for t in ctx.params["types"]]  # type: ignore[attr-defined]
    if node is not None and value in types:
        yield node.span, {"type": value}


def _service_account(pod: PodView) -> tuple[str, object]:
    """The service account a pod runs as, and the node that names it (None when unset)."""
    for key in ("serviceAccountName", "serviceAccount"):
        node = pod.spec.present(key)
        text = _text(node)
        if node is not None and text:
            return text, node
    return "default", None


def default_service_account(pod: PodView, ctx: Context) -> Iterator[Hit]:
    """The pod runs as the namespace's `default` ServiceAccount, named or by leaving it unset."""
    name, node = _service_account(pod)
    if name != "default":
        return
    if node is not None:
        yield node.span, {"how": "names the 'default' ServiceAccount"}  # type: ignore[attr-defined]
    else:
        where = pod.template.key_span("spec") or pod.spec.span
        yield where, {"how": "sets no serviceAccountName, so it runs as 'default'"}


def deprecated_service_account(pod: PodView, ctx: Context) -> Iterator[Hit]:
    """`serviceAccount`, the deprecated alias of `serviceAccountName`."""
    node = pod.spec.present("serviceAccount")
    if node is None:
        return
    name = _text(pod.spec.present("serviceAccountName"))
    old = _text(node)
    if name is not None and old is not None and name != old:
        extra = f"; it differs from serviceAccountName ({name}), which wins"
    else:
        extra = ""
    yield (pod.spec.key_span("serviceAccount") or node.span), {"extra": extra}


def node_affinity_missing(pod: PodView, ctx: Context) -> Iterator[Hit]:
    """The pod sets neither a node affinity nor a nodeSelector: it may run on any node."""
    affinity = pod.spec.map("affinity")
    if affinity is not None and affinity.present("nodeAffinity") is not None:
        return
    selector = pod.spec.map("nodeSelector")
    if selector is not None and selector.entries:
        return
    yield (pod.template.key_span("spec") or pod.spec.span), {}


_MIN_PARAM = {
    "type": "object",
    "additionalProperties": False,
    "required": ["minimum"],
    "properties": {"minimum": {"type": "integer", "minimum": 2}},
}

CHECKS = {
    "pull-policy": Check(pull_policy, ("container",)),
    "replicas-too-few": Check(
        replicas_too_few,
        ("resource",),
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["minimum"],
            "properties": {"minimum": {"type": "integer", "minimum": 2}},
        },
    ),
    "naked-pod": Check(naked_pod, ("resource",)),
    "topology-spread": Check(topology_spread, ("pod",)),
    "selector-mismatch": Check(selector_mismatch, ("pod",)),
    "strategy-not-rolling": Check(strategy_not_rolling, ("resource",)),
    "rolling-update-unsafe": Check(rolling_update_unsafe, ("resource",)),
    "hpa-min-replicas": Check(hpa_min_replicas, ("resource",), _MIN_PARAM),
    "hpa-max-replicas": Check(hpa_max_replicas, ("resource",)),
    "pdb-policy": Check(pdb_policy, ("resource",)),
    "restart-policy": Check(restart_policy, ("pod",)),
    "job-ttl": Check(job_ttl, ("resource",)),
    "field-missing": Check(
        field_missing,
        ("resource",),
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["field"],
            "properties": {"field": {"type": "string", "minLength": 1}},
        },
    ),
    "service-type": Check(
        service_type,
        ("resource",),
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["types"],
            "properties": {
                "types": {
                    "type": "array",
                    "items": {"enum": ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"]},
                }
            },
        },
    ),
    "default-service-account": Check(default_service_account, ("pod",)),
    "deprecated-service-account": Check(deprecated_service_account, ("pod",)),
    "node-affinity-missing": Check(node_affinity_missing, ("pod",)),
}
