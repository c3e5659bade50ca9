"""A compiled fast path for the subset of JSON Schema the Kubernetes API schemas use, walking the
YAML IR directly so that every violation keeps the span of the key (or list item) it is about.

The bundled schemas use only type, properties, additionalProperties, items, required, enum and
$ref (IntOrString and Quantity become a union of types when generated); CRD schemas (OpenAPI v3,
structural) add x-kubernetes-preserve-unknown-fields, x-kubernetes-int-or-string,
x-kubernetes-embedded-resource and value bounds, which are compiled here too. Measured against
jsonschema on the same Deployment this is two orders of magnitude faster (docs/schemas.md), and it
needs no import beyond the stdlib.

Null values are accepted everywhere: the API server drops them (built-in types decode null to the
zero value; CRD schemas prune nulls that are not `nullable`).
"""

from __future__ import annotations

import re
from contextlib import suppress

from linter.ir.kubernetes import YMap, YScalar, YSeq

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from linter.ir.kubernetes import YNode
    from linter.ir.source import Span

    # (span, path, problem, message)
    Violation = tuple[Span, str, str, str]

# Type bits.
OBJECT, ARRAY, STRING, INTEGER, NUMBER, BOOLEAN = 1, 2, 4, 8, 16, 32
_TYPE_BITS = {"object": OBJECT, "array": ARRAY, "string": STRING, "integer": INTEGER, "number": NUMBER,
              "boolean": BOOLEAN, "null": 0}  # fmt: skip
_NAMES = ((OBJECT, "object"), (ARRAY, "array"), (STRING, "string"), (INTEGER, "integer"),
          (NUMBER, "number"), (BOOLEAN, "boolean"))  # fmt: skip
ANY = OBJECT | ARRAY | STRING | INTEGER | NUMBER | BOOLEAN
# Fields every object has, whatever a CRD's schema says: the API server fills and checks them.
_ROOT_FIELDS = ("apiVersion", "kind", "metadata")


class Node:
    """One compiled schema. `closed` is True when unknown properties are errors (in strict mode)."""

    __slots__ = (
        "bounds",
        "closed",
        "enum",
        "extra",
        "items",
        "name",
        "pattern",
        "props",
        "required",
        "types",
    )

    def __init__(self, name: str = "") -> None:
        self.name = name  # the definition's short name, for messages ("Container")
        self.types = ANY
        self.props: dict[str, Node] = {}
        self.required: tuple[str, ...] = ()
        self.extra: Node | None = None  # the additionalProperties schema
        self.closed = False
        self.items: Node | None = None
        self.enum: tuple[object, ...] | None = None
        self.pattern: re.Pattern[str] | None = None
        self.bounds: tuple[tuple[str, float], ...] = ()


_OPEN = Node()


def _types(t: object) -> int:
    if t is None:
        return ANY
    names = t if isinstance(t, list) else [t]
    bits = 0
    for n in names:
        bits |= _TYPE_BITS.get(str(n), ANY)
    return bits or ANY


def compile_definition(
    name: str, body: dict[str, object], resolve: Callable[[str], Node | None], cache: dict[str, Node]
) -> Node:
    """Compile a bundled definition; refs compile through `resolve` (recursion-safe: the node is
    in `cache` before its children are compiled)."""
    node = Node(name.rsplit(".", 1)[-1])
    cache[name] = node
    _fill(node, body, resolve)
    return node


def _compile(body: object, resolve: Callable[[str], Node | None], name: str) -> Node:
    if not isinstance(body, dict):
        return _OPEN
    ref = body.get("$ref")
    if isinstance(ref, str):
        return resolve(ref) or _OPEN
    node = Node(name)
    _fill(node, body, resolve)
    return node


def _fill(node: Node, body: dict[str, object], resolve: Callable[[str], Node | None]) -> None:
    node.types = _types(body.get("type"))
    props = body.get("properties")
    if isinstance(props, dict):
        node.props = {k: _compile(v, resolve, node.name) for k, v in props.items()}
    required = body.get("required")
    if isinstance(required, list):
        node.required = tuple(str(r) for r in required)
    extra = body.get("additionalProperties")
    if extra is False:
        node.closed = True
    elif isinstance(extra, dict):
        node.extra = _compile(extra, resolve, node.name)
    if "items" in body:
        node.items = _compile(body["items"], resolve, node.name)
    enum = body.get("enum")
    if isinstance(enum, list):
        node.enum = tuple(enum)


# -- CRD schemas (OpenAPI v3, structural) -------------------------------------------------------

_BOUNDS = ("minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems")


def compile_crd_schema(
    schema: object, kind: str, metadata: Node | None, embedded: Callable[[], Node | None] | None = None
) -> Node:
    """A CRD version's openAPIV3Schema, as a Node. `metadata` is ObjectMeta from the bundled
    schemas, used for the root's metadata (and that of embedded resources)."""
    root = _crd(schema, kind, metadata)
    for field in _ROOT_FIELDS:
        if field not in root.props:
            root.props[field] = metadata if field == "metadata" and metadata is not None else _string()
    if root.props.get("metadata") is not None and metadata is not None:
        root.props["metadata"] = metadata  # the API server validates metadata as ObjectMeta
    return root


def _string() -> Node:
    n = Node()
    n.types = STRING
    return n


def _crd(schema: object, name: str, metadata: Node | None) -> Node:
    return _CrdNode(schema, name, metadata)


class _CrdNode(Node):
    """A node of a CRD's schema, compiled when validation first reaches it: a large CRD is mostly
    parts that the resources at hand never use (the real-world corpus' Alertmanager CRD has 1,538
    schema nodes, 8.8 ms to compile whole; its example resources reach 10 of them). Its slots stay
    unset until then; the first read of one fills them all (afterwards, reads are plain slot reads)."""

    __slots__ = ("_source",)

    def __init__(self, schema: object, name: str, metadata: Node | None) -> None:
        self.name = name
        self._source: tuple[object, Node | None] | None = (schema, metadata)

    def __getattr__(self, attr: str) -> object:
        if attr == "_source" or attr.startswith("__"):  # (a copy being made has no _source yet)
            raise AttributeError(attr)
        source = self._source
        if source is None:  # filled already: the attribute really does not exist
            raise AttributeError(attr)
        # Filled into a fresh node first: if that fails (a RecursionError deep in a resource),
        # this node is left as it was, to be filled on the next read, never half filled.
        filled = Node(self.name)
        _fill_crd(filled, source[0], self.name, source[1])
        for slot in Node.__slots__:
            setattr(self, slot, getattr(filled, slot))
        self._source = None
        return getattr(self, attr)

    def __reduce__(self) -> tuple[object, ...]:
        """A copy (or pickle) is this node filled: a plain Node with the same slots."""
        return (_node_from, (self.name, {slot: getattr(self, slot) for slot in Node.__slots__}))


def _node_from(name: str, slots: dict[str, object]) -> Node:
    node = Node(name)
    for slot, value in slots.items():
        setattr(node, slot, value)
    return node


def _fill_crd(node: Node, schema: object, name: str, metadata: Node | None) -> None:
    if not isinstance(schema, dict):
        return
    if schema.get("x-kubernetes-int-or-string"):
        node.types = STRING | INTEGER
    else:
        node.types = _types(schema.get("type"))
    props = schema.get("properties")
    if isinstance(props, dict):
        node.props = {k: _crd(v, name, metadata) for k, v in props.items()}
    required = schema.get("required")
    if isinstance(required, list):
        node.required = tuple(str(r) for r in required)
    extra = schema.get("additionalProperties")
    preserve = bool(schema.get("x-kubernetes-preserve-unknown-fields"))
    if isinstance(extra, dict):
        node.extra = _crd(extra, name, metadata)
    elif extra is True:
        node.extra = _OPEN
    elif node.types == OBJECT and not preserve:
        # Structural schemas prune (and, under kubectl's default strict field validation, reject)
        # every field they do not specify.
        node.closed = True
    if schema.get("x-kubernetes-embedded-resource"):
        for field in _ROOT_FIELDS:
            node.props.setdefault(field, metadata if field == "metadata" and metadata else _string())
    if "items" in schema:
        node.items = _crd(schema["items"], name, metadata)
    enum = schema.get("enum")
    if isinstance(enum, list):
        node.enum = tuple(enum)
    pattern = schema.get("pattern")
    if isinstance(pattern, str):
        with suppress(re.error):  # an ECMA-only construct is not checked
            node.pattern = re.compile(pattern)
    node.bounds = tuple((b, schema[b]) for b in _BOUNDS if isinstance(schema.get(b), int | float))


# -- validation ---------------------------------------------------------------------------------


def _kind_of(y: YNode) -> int:
    """The type bits a YAML node satisfies (0 for null: accepted everywhere)."""
    if isinstance(y, YMap):
        return OBJECT
    if isinstance(y, YSeq):
        return ARRAY
    v = y.value  # type: ignore[attr-defined]
    if v is None:
        return 0
    if isinstance(v, str):
        return STRING
    if isinstance(v, bool):
        return BOOLEAN
    if isinstance(v, int):
        return INTEGER | NUMBER
    if isinstance(v, float):
        return (INTEGER | NUMBER) if v.is_integer() else NUMBER
    return STRING


def type_names(bits: int) -> str:
    names = [n for b, n in _NAMES if bits & b]
    if bits & INTEGER and bits & NUMBER:
        names.remove("integer")
    if names == ["string", "integer"]:
        return "integer or string"
    return " or ".join(names)


def _describe(y: YNode) -> str:
    if isinstance(y, YMap):
        return "a mapping"
    if isinstance(y, YSeq):
        return "a list"
    v = y.value  # type: ignore[attr-defined]
    if isinstance(v, bool):
        return f"boolean {y.text}"  # type: ignore[attr-defined]
    if isinstance(v, int | float):
        return f"number {y.text}"  # type: ignore[attr-defined]
    return f"string {v!r}"


def _equal(a: object, b: object) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return a == b


class Validator:
    """Walks a YAML node against a compiled schema and collects violations."""

    __slots__ = ("out", "path", "strict")

    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.out: list[Violation] = []
        self.path: list[str] = []

    def where(self, last: str | None = None) -> str:
        parts = self.path if last is None else [*self.path, last]
        text = ""
        for p in parts:
            text += p if p.startswith("[") or not text else "." + p
        return text or "(top)"

    def validate(self, schema: Node, y: YNode, anchor: Span) -> None:
        got = _kind_of(y)
        if got == 0:
            return
        if not got & schema.types:
            self.out.append((anchor, self.where(), "type",
                             f"expected {type_names(schema.types)}, got {_describe(y)}"))  # fmt: skip
            return
        enum = schema.enum
        if enum is not None and isinstance(y, YScalar) and not any(_equal(y.value, e) for e in enum):
            choices = ", ".join(repr(e) for e in enum[:8]) + (", ..." if len(enum) > 8 else "")
            self.out.append((anchor, self.where(), "enum", f"{y.value!r} is not one of {choices}"))
        if isinstance(y, YMap):
            self._object(schema, y, anchor)
        elif isinstance(y, YSeq):
            items = schema.items
            self._bounds(schema, y, len(y.items), anchor, "items")
            if items is not None:
                path = self.path
                for i, item in enumerate(y.items):
                    path.append(f"[{i}]")
                    self.validate(items, item, item.first_key_span() if isinstance(item, YMap) else item.span)
                    path.pop()
        elif schema.bounds or schema.pattern is not None:
            v = y.value  # type: ignore[attr-defined]
            if isinstance(v, str):
                self._bounds(schema, y, len(v), anchor, "characters")
                if schema.pattern is not None and not schema.pattern.search(v):
                    self.out.append((anchor, self.where(), "pattern",
                                     f"{v!r} does not match {schema.pattern.pattern!r}"))  # fmt: skip
            elif isinstance(v, int | float):
                self._bounds(schema, y, v, anchor, "")

    def _bounds(self, schema: Node, y: YNode, size: float, anchor: Span, unit: str) -> None:
        for bound, limit in schema.bounds:
            low = bound.startswith("min")
            if (unit == "items") != bound.endswith("Items"):
                continue
            if (unit == "characters") != bound.endswith("Length"):
                continue
            if (low and size < limit) or (not low and size > limit):
                what = f"{int(size) if unit else size} {unit}".strip()
                more = "less" if low else "more"
                self.out.append(
                    (anchor, self.where(), "bounds", f"{what} is {more} than the {bound} of {limit}")
                )

    def _object(self, schema: Node, y: YMap, anchor: Span) -> None:
        entries = y.entries
        props = schema.props
        for r in schema.required:
            if r not in entries:
                self.out.append((anchor, self.where(), "required",
                                 f"missing required field {r!r}{_in(schema)}"))  # fmt: skip
        if schema.bounds:
            self._bounds(schema, y, len(entries), anchor, "properties")
        extra = schema.extra
        path = self.path
        for key, (k, v) in entries.items():
            sub = props.get(key)
            if sub is None:
                if extra is not None:
                    sub = extra
                elif schema.closed and self.strict:
                    self.out.append((k.span, self.where(key), "unknown", _unknown(key, schema)))
                    continue
                else:
                    continue
            path.append(key)
            self.validate(sub, v, k.span)
            path.pop()


def _in(schema: Node) -> str:
    return f" in {schema.name}" if schema.name else ""


def _unknown(key: str, schema: Node) -> str:
    from difflib import get_close_matches

    text = f"unknown field {key!r}{_in(schema)}"
    close = get_close_matches(key, list(schema.props), n=1, cutoff=0.75)
    if close:
        return f"{text}; did you mean {close[0]!r}?"
    # A field at the wrong indentation: it belongs to one of this object's own fields.
    homes = [name for name, sub in schema.props.items() if key in sub.props and sub is not schema]
    if homes:
        return f"{text}; did you mean to put it under {homes[0]!r}?"
    return text


def validate(schema: Node, root: YMap, strict: bool = True) -> list[Violation]:
    """Every violation of `root` against `schema`: (span, path, problem, message)."""
    v = Validator(strict)
    v.validate(schema, root, root.first_key_span())
    return v.out
