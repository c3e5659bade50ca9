"""A rule's declarative condition, Polaris-style: a JSON Schema the target node must satisfy.

Each violation points at the deepest part of the node that exists on its path, so a condition on
`securityContext.privileged` points at `privileged: true`, and a missing required key points at
the mapping that lacks it.

Conditions written with the common keywords (type, const, enum, not, properties, required,
additionalProperties, items, allOf, anyOf, oneOf, numeric and length bounds, pattern) are
evaluated here directly; importing jsonschema alone costs a run 120 ms or more, which a
pre-commit hook would pay on every commit. Any other keyword hands the condition to jsonschema,
whose answers the fast path is tested against. Remote `$ref`s are never fetched.
"""

from __future__ import annotations

import re

from linter.ir.kubernetes import locate

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any

    from linter.checks import Hit
    from linter.ir.kubernetes import YNode

    Path = list[object]

# Keywords the fast path evaluates, and keywords that carry no assertion.
FAST = frozenset((
    "type", "const", "enum", "not", "properties", "required", "additionalProperties", "items",
    "allOf", "anyOf", "oneOf", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
    "pattern", "minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties",
    "title", "description", "$comment", "default", "examples", "$schema",
))  # fmt: skip
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf")


def is_fast(schema: object) -> bool:
    """Whether every keyword of the schema, at every depth, is one the fast path evaluates."""
    if isinstance(schema, bool):
        return True
    if not isinstance(schema, dict) or not FAST.issuperset(schema):
        return False
    for key in _SUBSCHEMA_LISTS:
        if key in schema and not all(is_fast(s) for s in schema[key]):
            return False
    for key in ("not", "items", "additionalProperties"):
        if key in schema and not is_fast(schema[key]):
            return False
    return all(is_fast(s) for s in schema.get("properties", {}).values())


class Condition:
    """A condition compiled once per rule."""

    __slots__ = ("_validator", "fast", "schema")

    def __init__(self, schema: dict[str, object]) -> None:
        self.schema = schema
        self.fast = is_fast(schema)
        self._validator: Any = None

    def errors(self, value: object) -> Iterator[tuple[Path, str]]:
        if self.fast:
            yield from _check(self.schema, value, [])
            return
        if self._validator is None:
            self._validator = full_validator(self.schema)
        for error in self._validator.iter_errors(value):
            yield list(error.absolute_path), error.message

    def evaluate(self, node: YNode) -> Iterator[Hit]:
        for path, message in self.errors(node.to_python()):
            yield locate(node, path), {"detail": message}


def full_validator(schema: dict[str, object]) -> Any:
    """A jsonschema validator whose registry refuses every URI it does not hold: a rule file can
    never make shiplint reach the network."""
    from jsonschema import Draft202012Validator
    from referencing import Registry
    from referencing.exceptions import NoSuchResource

    def refuse(uri: str) -> Any:
        raise NoSuchResource(ref=uri)  # type: ignore[call-arg]

    return Draft202012Validator(schema, registry=Registry(retrieve=refuse))  # type: ignore[call-arg]


def _type_ok(value: object, t: str) -> bool:
    if t == "object":
        return isinstance(value, dict)
    if t == "array":
        return isinstance(value, list)
    if t == "string":
        return isinstance(value, str)
    if t == "boolean":
        return isinstance(value, bool)
    if t == "null":
        return value is None
    if isinstance(value, bool):
        return False
    if t == "integer":
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if t == "number":
        return isinstance(value, int | float)
    return False


def _equal(a: object, b: object) -> bool:
    """JSON equality: booleans are not numbers, 1 == 1.0."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    return type(a) is type(b) and a == b


def _valid(schema: object, value: object) -> bool:
    return next(iter(_check(schema, value, [])), None) is None


def _check(schema: object, value: object, path: Path) -> Iterator[tuple[Path, str]]:
    if schema is True:
        return
    if schema is False:
        yield path, "nothing is allowed here"
        return
    assert isinstance(schema, dict)
    s: dict[str, Any] = schema
    if "type" in s:
        types = s["type"] if isinstance(s["type"], list) else [s["type"]]
        if not any(_type_ok(value, t) for t in types):
            yield path, f"{value!r} is not of type {', '.join(map(repr, types))}"
            return
    if "const" in s and not _equal(value, s["const"]):
        yield path, f"{s['const']!r} was expected"
    if "enum" in s and not any(_equal(value, e) for e in s["enum"]):
        yield path, f"{value!r} is not one of {s['enum']!r}"
    if "not" in s and _valid(s["not"], value):
        yield path, f"{value!r} should not be valid under {s['not']!r}"
    for sub in s.get("allOf", ()):
        yield from _check(sub, value, path)
    if "anyOf" in s and not any(_valid(sub, value) for sub in s["anyOf"]):
        yield path, f"{value!r} is not valid under any of the given schemas"
    if "oneOf" in s and sum(_valid(sub, value) for sub in s["oneOf"]) != 1:
        yield path, f"{value!r} is not valid under exactly one of the given schemas"
    if isinstance(value, dict):
        yield from _check_object(s, value, path)
    elif isinstance(value, list):
        if "minItems" in s and len(value) < s["minItems"]:
            yield path, f"{value!r} should have at least {s['minItems']} items"
        if "maxItems" in s and len(value) > s["maxItems"]:
            yield path, f"{value!r} should have at most {s['maxItems']} items"
        if "items" in s:
            for i, item in enumerate(value):
                yield from _check(s["items"], item, [*path, i])
    elif isinstance(value, str):
        if "minLength" in s and len(value) < s["minLength"]:
            yield path, f"{value!r} is too short"
        if "maxLength" in s and len(value) > s["maxLength"]:
            yield path, f"{value!r} is too long"
        if "pattern" in s and not re.search(s["pattern"], value):
            yield path, f"{value!r} does not match {s['pattern']!r}"
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in s and value < s["minimum"]:
            yield path, f"{value!r} is less than the minimum of {s['minimum']!r}"
        if "maximum" in s and value > s["maximum"]:
            yield path, f"{value!r} is greater than the maximum of {s['maximum']!r}"
        if "exclusiveMinimum" in s and value <= s["exclusiveMinimum"]:
            yield path, f"{value!r} is less than or equal to {s['exclusiveMinimum']!r}"
        if "exclusiveMaximum" in s and value >= s["exclusiveMaximum"]:
            yield path, f"{value!r} is greater than or equal to {s['exclusiveMaximum']!r}"


def _check_object(s: dict[str, Any], value: dict[str, object], path: Path) -> Iterator[tuple[Path, str]]:
    for key in s.get("required", ()):
        if key not in value:
            yield path, f"{key!r} is a required property"
    if "minProperties" in s and len(value) < s["minProperties"]:
        yield path, f"{value!r} does not have enough properties"
    if "maxProperties" in s and len(value) > s["maxProperties"]:
        yield path, f"{value!r} has too many properties"
    props: dict[str, object] = s.get("properties", {})
    for key, sub in props.items():
        if key in value:
            yield from _check(sub, value[key], [*path, key])
    if "additionalProperties" in s:
        extra = s["additionalProperties"]
        for key in value:
            if key not in props:
                yield from _check(extra, value[key], [*path, key])
