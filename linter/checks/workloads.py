"""Checks of workloads and the objects around them (replicas, disruption budgets, rollouts)."""

from __future__ import annotations

from linter.checks import Check

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from linter.checks import Context, Hit
    from linter.ir.kubernetes import ContainerView, Resource


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
        c.span,
        {
            "container": c.name,
            "reason": "leaves imagePullPolicy unset, which Kubernetes defaults to IfNotPresent "
            f"for tag '{image.tag}'",
        },
    )


def replicas_too_few(r: Resource, ctx: Context) -> Iterator[Hit]:
    """An explicit `replicas` of at least 1 and below the minimum. Zero is a workload scaled
    down on purpose; a missing `replicas` is left to a HorizontalPodAutoscaler, which owns it."""
    from linter.ir.kubernetes import YScalar

    spec = r.node.map("spec")
    node = spec.present("replicas") if spec is not None else None
    if not isinstance(node, YScalar) or isinstance(node.value, bool) or not isinstance(node.value, int):
        return
    minimum = int(ctx.params["minimum"])  # type: ignore[call-overload]
    if 1 <= node.value < minimum:
        yield node.span, {"replicas": node.value, "minimum": minimum}


def naked_pod(r: Resource, ctx: Context) -> Iterator[Hit]:
    """A Pod that no controller owns: nothing recreates it when it or its node goes away."""
    meta = r.node.map("metadata")
    if meta is not None and meta.present("ownerReferences") is not None:
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
}
