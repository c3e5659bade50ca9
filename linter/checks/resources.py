"""Resource requests and limits of containers."""

from __future__ import annotations

from linter.checks import Check

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from linter.checks import Context, Hit
    from linter.ir.kubernetes import ContainerView


def resource_missing(c: ContainerView, ctx: Context) -> Iterator[Hit]:
    """`resources.<kind>.<resource>` is not set (kind: requests or limits). A null value
    (`cpu: null`) is not set either: Kubernetes drops null fields."""
    kind = str(ctx.params["kind"])
    resource = str(ctx.params["resource"])
    res = c.node.map("resources")
    section = res.map(kind) if res else None
    if section is None or section.present(resource) is None:
        yield c.node.deepest("resources", kind), {"container": c.name, "resource": resource, "kind": kind}


CHECKS = {
    "resource-missing": Check(
        resource_missing,
        ("container",),
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["resource", "kind"],
            "properties": {
                "resource": {"type": "string", "minLength": 1},
                "kind": {"enum": ["requests", "limits"]},
            },
        },
    )
}
