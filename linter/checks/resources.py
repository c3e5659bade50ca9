"""Resource requests and limits of containers."""

from __future__ import annotations

from linter.checks import Check

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from fractions import Fraction

    from linter.checks import Context, Hit
    from linter.ir.kubernetes import ContainerView, YMap, YNode


def resource_missing(c: ContainerView, ctx: Context) -> Iterator[Hit]:
    """`resources.<kind>.<resource>` is not set (kind: requests or limits). A null value
    (`cpu: null`) is not set either: Kubernetes drops null fields."""
    kind = str(ctx.params["kind"])
    resource = str(ctx.params["resource"])
    res = c.node.map("resources")
    section = res.map(kind) if res else None
    if section is None or section.present(resource) is None:
        yield c.node.deepest("resources", kind), {"container": c.name, "resource": resource, "kind": kind}


def resource_unset(c: ContainerView, ctx: Context) -> Iterator[Hit]:
    """One finding naming each of `kinds` (requests, limits) that does not set `resource`, at the
    deepest key that exists."""
    resource = str(ctx.params["resource"])
    kinds = [str(k) for k in ctx.params["kinds"]]  # type: ignore[attr-defined]
    res = c.node.map("resources")
    missing = []
    for kind in kinds:
        section = res.map(kind) if res is not None else None
        if section is None or section.present(resource) is None:
            missing.append(kind)
    if not missing:
        return
    where = c.node.deepest("resources", missing[0]) if len(missing) == 1 else c.node.deepest("resources")
    what = " or ".join("request" if k == "requests" else "limit" for k in missing)
    yield where, {"container": c.name, "resource": resource, "missing": what}


def quantity(node: YNode | None) -> Fraction | None:
    """A quantity's exact value, read from the text as written (`0.50`, `1e3`, `128Mi`); None when
    the value is missing, not a scalar, or not a quantity Kubernetes accepts (the schema rule
    reports those)."""
    from linter.ir.kubernetes import YScalar
    from linter.simulate.quantity import QuantityError, parse_quantity

    if not isinstance(node, YScalar) or isinstance(node.value, bool) or node.value is None:
        return None
    if isinstance(node.value, str):
        text = node.value.strip()
    elif isinstance(node.value, int | float):
        text = node.text.strip()
    else:
        return None
    try:
        return parse_quantity(text)
    except QuantityError:
        return None


def _text(node: YNode | None) -> str:
    from linter.ir.kubernetes import YScalar

    return node.text if isinstance(node, YScalar) else "?"


def _sections(c: ContainerView) -> tuple[YMap | None, YMap | None]:
    res = c.node.map("resources")
    if res is None:
        return None, None
    return res.map("requests"), res.map("limits")


def limit_below_request(c: ContainerView, ctx: Context) -> Iterator[Hit]:
    """A resource whose limit is below its request: the API server rejects the pod."""
    requests, limits = _sections(c)
    if requests is None or limits is None:
        return
    for resource, (_, node) in limits.entries.items():
        limit = quantity(node)
        request = quantity(requests.present(resource))
        if limit is not None and request is not None and limit < request:
            args = {"limit": _text(node), "request": _text(requests.get(resource))}
            yield node.span, {"container": c.name, "resource": resource, **args}


_BOUND = {"type": ["string", "number"]}
_RANGE = {
    "type": "object",
    "additionalProperties": False,
    "properties": {"min": _BOUND, "max": _BOUND},
}
_RANGES = {"type": "object", "additionalProperties": _RANGE}


def _bound(value: object) -> Fraction | None:
    from linter.simulate.quantity import QuantityError, parse_quantity

    if value is None or isinstance(value, bool):
        return None
    try:
        return parse_quantity(str(value).strip())
    except QuantityError:
        return None


def resource_range(c: ContainerView, ctx: Context) -> Iterator[Hit]:
    """Each request or limit that the `requests` and `limits` parameters bound (per resource: `min`,
    `max`, quantities) and that lies outside its bounds. Unset values are left to the rules that
    require them; with no bounds configured, the check does nothing."""
    sections = dict(zip(("requests", "limits"), _sections(c), strict=True))
    for kind in ("requests", "limits"):
        bounds = ctx.params.get(kind) or {}
        section = sections[kind]
        if section is None or not isinstance(bounds, dict):
            continue
        for resource, limits in bounds.items():
            node = section.present(str(resource))
            value = quantity(node)
            if node is None or value is None or not isinstance(limits, dict):
                continue
            low, high = _bound(limits.get("min")), _bound(limits.get("max"))
            args = {"container": c.name, "resource": resource, "kind": kind[:-1], "value": _text(node)}
            if low is not None and value < low:
                yield node.span, {**args, "bound": f"below the minimum {limits['min']}"}
            elif high is not None and value > high:
                yield node.span, {**args, "bound": f"above the maximum {limits['max']}"}


def request_not_limit(c: ContainerView, ctx: Context) -> Iterator[Hit]:
    """For each of `resources`: a request and a limit that differ, or a request without a limit.
    A limit without a request is fine: Kubernetes copies the limit into the request."""
    requests, limits = _sections(c)
    if requests is None:
        return
    for resource in (str(r) for r in ctx.params["resources"]):  # type: ignore[attr-defined]
        req_node = requests.present(resource)
        request = quantity(req_node)
        if req_node is None or request is None:
            continue
        lim_node = limits.present(resource) if limits is not None else None
        if lim_node is None:
            yield req_node.span, {"container": c.name, "resource": resource, "reason": "no limit"}
            continue
        limit = quantity(lim_node)
        if limit is not None and limit != request:
            reason = f"a limit of {_text(lim_node)} and a request of {_text(req_node)}"
            yield lim_node.span, {"container": c.name, "resource": resource, "reason": reason}


_RESOURCE = {"type": "string", "minLength": 1}

CHECKS = {
    "resource-missing": Check(
        resource_missing,
        ("container",),
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["resource", "kind"],
            "properties": {
                "resource": _RESOURCE,
                "kind": {"enum": ["requests", "limits"]},
            },
        },
    ),
    "resource-unset": Check(
        resource_unset,
        ("container",),
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["resource", "kinds"],
            "properties": {
                "resource": _RESOURCE,
                "kinds": {
                    "type": "array",
                    "minItems": 1,
                    "uniqueItems": True,
                    "items": {"enum": ["requests", "limits"]},
                },
            },
        },
    ),
    "limit-below-request": Check(limit_below_request, ("container",)),
    "resource-range": Check(
        resource_range,
        ("container",),
        {
            "type": "object",
            "additionalProperties": False,
            "properties": {"requests": _RANGES, "limits": _RANGES},
        },
    ),
    "request-not-limit": Check(
        request_not_limit,
        ("container",),
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["resources"],
            "properties": {"resources": {"type": "array", "minItems": 1, "items": _RESOURCE}},
        },
    ),
}
