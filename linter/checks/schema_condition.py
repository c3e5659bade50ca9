"""A rule's declarative condition, Polaris-style: a JSON Schema the target node must satisfy.

Each violation points at the deepest part of the node that exists on its path, so a condition on
`securityContext.privileged` points at `privileged: true`, and a missing required key points at
the mapping that lacks it.
"""

from __future__ import annotations

from linter.ir.kubernetes import locate

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from linter.checks import Hit
    from linter.ir.kubernetes import YNode

_validators: dict[int, object] = {}


def _validator(schema: dict[str, object]):  # type: ignore[no-untyped-def]
    v = _validators.get(id(schema))
    if v is None:
        from jsonschema import Draft202012Validator

        v = _validators[id(schema)] = Draft202012Validator(schema)
    return v


def evaluate(schema: dict[str, object], node: YNode) -> Iterator[Hit]:
    validator = _validator(schema)
    for error in validator.iter_errors(node.to_python()):
        yield locate(node, list(error.absolute_path)), {"detail": error.message}
