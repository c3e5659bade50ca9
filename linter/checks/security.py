"""Security context checks that need more than a JSON-Schema condition: the pod's
securityContext gives defaults that each container's own securityContext overrides."""

from __future__ import annotations

from linter.checks import Check

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from linter.checks import Context, Hit
    from linter.ir.kubernetes import ContainerView, YNode


def _effective(c: ContainerView, key: str) -> YNode | None:
    """A securityContext field as Kubernetes applies it: the container's own value, else the
    pod's."""
    for sc in (c.node.map("securityContext"), c.pod.spec.map("securityContext")):
        if sc is not None:
            node = sc.present(key)
            if node is not None:
                return node
    return None


def _int(node: YNode | None) -> int | None:
    """An integer scalar's value (YAML booleans are not ids)."""
    from linter.ir.kubernetes import YScalar

    if isinstance(node, YScalar) and isinstance(node.value, int) and not isinstance(node.value, bool):
        return node.value
    return None


def run_as_non_root(c: ContainerView, ctx: Context) -> Iterator[Hit]:
    from linter.ir.kubernetes import YScalar

    user = _effective(c, "runAsUser")
    uid = _int(user)
    if user is not None and uid == 0:
        yield user.span, {"container": c.name, "reason": "runs as root (runAsUser: 0)"}
        return
    non_root = _effective(c, "runAsNonRoot")
    if not (isinstance(non_root, YScalar) and non_root.value is True) and not (uid is not None and uid > 0):
        # Neither makes the kubelet refuse root (runAsNonRoot: true) nor picks a user (uid > 0).
        if non_root is not None:
            where, reason = non_root.span, "sets runAsNonRoot: false"
        else:
            where, reason = (
                c.node.deepest("securityContext"),
                "sets neither runAsNonRoot nor a non-zero runAsUser",
            )
        yield where, {"container": c.name, "reason": reason}
        return
    group = _effective(c, "runAsGroup")
    if group is not None and _int(group) == 0:
        # A non-root user in the root group still owns every root-group file of the image.
        yield group.span, {"container": c.name, "reason": "runs with the root group (runAsGroup: 0)"}


CHECKS = {"run-as-non-root": Check(run_as_non_root, ("container",))}
