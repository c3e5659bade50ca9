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


def _anti_affinity_spreads(spec: YMap) -> bool:
    """Whether a required or preferred podAntiAffinity term names a topologyKey."""
    from linter.ir.kubernetes import YMap

    affinity = spec.map("affinity")
    anti = affinity.map("podAntiAffinity") if affinity is not None else None
    if anti is None:
        return False
    for key, nested in (
        ("requiredDuringSchedulingIgnoredDuringExecution", False),
        ("preferredDuringSchedulingIgnoredDuringExecution", True),
    ):
        terms = anti.seq(key)
        for term in terms.items if terms is not None else ():
            inner = term.map("podAffinityTerm") if nested and isinstance(term, YMap) else term
            key_ = inner.scalar("topologyKey") if isinstance(inner, YMap) else None
            if isinstance(key_, str) and key_.strip():
                return True
    return False


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
    if _anti_affinity_spreads(pod.spec):
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
}
