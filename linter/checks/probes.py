"""Health probes of containers."""

from __future__ import annotations

from linter.checks import Check

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from linter.checks import Context, Hit
    from linter.ir.kubernetes import ContainerView


def probe_missing(c: ContainerView, ctx: Context) -> Iterator[Hit]:
    """The container has no such probe; `livenessProbe: null` is none (Kubernetes drops null
    fields)."""
    probe = str(ctx.params["probe"])
    if c.node.present(probe) is None:
        yield c.span, {"container": c.name, "probe": probe}


CHECKS = {
    "probe-missing": Check(
        probe_missing,
        ("container",),
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["probe"],
            "properties": {"probe": {"enum": ["livenessProbe", "readinessProbe", "startupProbe"]}},
        },
    )
}
