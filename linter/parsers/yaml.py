"""Kubernetes YAML (and JSON) text -> Manifest IR, with a span for every key and value.

ruamel.yaml composes the node graph (with its C extension when installed); this module turns it
into YMap/YSeq/YScalar with YAML 1.1 scalar resolution, reports duplicate keys, and bounds alias
expansion so that a "billion laughs" document cannot exhaust memory.
"""

from __future__ import annotations

import re

from linter.ir.kubernetes import Manifest, Resource, YMap, YNode, YScalar, YSeq
from linter.ir.source import SourceFile, Span

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# A document whose fully expanded tree would exceed this many nodes is not linted.
MAX_EXPANDED_NODES = 1_000_000
MAX_DEPTH = 400

_NULL = frozenset(("", "~", "null", "Null", "NULL"))
_TRUE = frozenset(["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"])
_FALSE = frozenset(["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"])
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9_]*)$")
_OCT = re.compile(r"[-+]?0[0-7_]+$")
_HEX = re.compile(r"[-+]?0x[0-9a-fA-F_]+$")
_BIN = re.compile(r"[-+]?0b[01_]+$")
_FLOAT = re.compile(r"[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?$|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+$")
_SPECIAL_FLOAT = {".inf": float("inf"), "+.inf": float("inf"), "-.inf": float("-inf"), ".nan": float("nan")}


def resolve_plain(text: str) -> object:
    """YAML 1.1 resolution of a plain (unquoted) scalar, as Kubernetes' YAML decoder does it."""
    if text in _NULL:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    c = text[0]
    if c.isdigit() or c in "-+.":
        try:
            if _INT.match(text):
                return int(text.replace("_", ""))
            if _HEX.match(text):
                return int(text.replace("_", ""), 16)
            if _OCT.match(text):
                return int(text.replace("_", ""), 8)
            if _BIN.match(text):
                return int(text.replace("_", "")[2:] if text[0] not in "-+" else text[0] + text[3:], 2)
            if _FLOAT.match(text):
                return float(text.replace("_", ""))
        except ValueError:
            return text
        low = text.lower()
        if low in _SPECIAL_FLOAT:
            return _SPECIAL_FLOAT[low]
    return text


def _span(node: object) -> Span:
    s, e = node.start_mark, node.end_mark  # type: ignore[attr-defined]
    return Span(s.line + 1, s.column + 1, e.line + 1, e.column + 1)


class _TooLarge(Exception):
    pass


class _Builder:
    """Converts one composed document. Shared (aliased) nodes convert once and are shared."""

    def __init__(self, source: SourceFile) -> None:
        self.source = source
        self.memo: dict[int, YNode] = {}
        self.sizes: dict[int, int] = {}
        self.active: set[int] = set()

    def expanded_size(self, node: object, depth: int = 0) -> int:
        key = id(node)
        if key in self.sizes:
            return self.sizes[key]
        if depth > MAX_DEPTH or key in self.active:
            raise _TooLarge("is nested too deeply or refers to itself")
        self.active.add(key)
        total = 1
        value = node.value  # type: ignore[attr-defined]
        if isinstance(value, list):
            for item in value:
                if isinstance(item, tuple):
                    total += self.expanded_size(item[0], depth + 1) + self.expanded_size(item[1], depth + 1)
                else:
                    total += self.expanded_size(item, depth + 1)
                if total > MAX_EXPANDED_NODES:
                    raise _TooLarge(f"expands to more than {MAX_EXPANDED_NODES:,} nodes through aliases")
        self.active.discard(key)
        self.sizes[key] = total
        return total

    def build(self, node: object) -> YNode:
        key = id(node)
        done = self.memo.get(key)
        if done is not None:
            return done
        value = node.value  # type: ignore[attr-defined]
        span = _span(node)
        result: YNode
        if isinstance(value, str):
            style = node.style  # type: ignore[attr-defined]
            tag = node.tag  # type: ignore[attr-defined]
            if style:
                result = YScalar(span, value, value, True)
            else:
                # Plain scalars are resolved by YAML 1.1 rules whatever tag the 1.2 resolver gave;
                # only a custom (non yaml.org) tag keeps the text as it is.
                result = YScalar(
                    span,
                    resolve_plain(value) if not tag or tag.startswith("tag:yaml.org") else value,
                    value,
                    False,
                )
        elif (value and isinstance(value[0], tuple)) or (not value and _is_mapping(node)):
            result = self._mapping(node, span)
        else:
            result = YSeq(span, [self.build(item) for item in value])
        self.memo[key] = result
        return result

    def _mapping(self, node: object, span: Span) -> YMap:
        entries: dict[str, tuple[YScalar, YNode]] = {}
        merges: list[YMap] = []
        for k, v in node.value:  # type: ignore[attr-defined]
            knode = self.build(k)
            if not isinstance(knode, YScalar):
                kspan = knode.span
                knode = YScalar(kspan, None, "<complex key>", False)
            name = knode.text
            if name == "<<" and not knode.quoted:
                vnode = self.build(v)
                merges.extend(
                    m for m in (vnode.items if isinstance(vnode, YSeq) else [vnode]) if isinstance(m, YMap)
                )
                continue
            if name in entries:
                first = entries[name][0].span
                self.source.problem(
                    "yaml-duplicate-key",
                    knode.span,
                    f"duplicate key {name!r}: it is also set on line {first.line}; "
                    "Kubernetes rejects the object, or silently keeps the last value",
                )
            entries[name] = (knode, self.build(v))
        for m in merges:
            for name, entry in m.entries.items():
                entries.setdefault(name, entry)
        return YMap(span, entries)


def _is_mapping(node: object) -> bool:
    return type(node).__name__ == "MappingNode"


def _yaml() -> Any:
    from ruamel.yaml import YAML

    y = YAML(typ="safe", pure=False)
    return y


def parse_manifest(source: SourceFile) -> Manifest:
    manifest = Manifest(source)
    try:
        docs = _yaml().compose_all(source.text)
        index = 0
        while True:
            try:
                node = next(docs)
            except StopIteration:
                break
            if node is not None:
                _document(manifest, node, index)
            index += 1
    except Exception as e:  # ruamel.yaml's MarkedYAMLError and relatives
        _syntax_problem(source, e)
    return manifest


def _syntax_problem(source: SourceFile, e: Exception) -> None:
    mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
    text = str(e).strip()
    problem = getattr(e, "problem", None) or (text.splitlines()[0] if text else type(e).__name__)
    if mark is not None:
        line, col = mark.line + 1, mark.column + 1
        span = Span(line, col, line, col + 1)
    else:
        span = source.end_span()
    context = getattr(e, "context", None)
    message = f"{context}: {problem}" if context and problem else str(problem)
    source.problem("yaml-syntax", span, message)


def _document(manifest: Manifest, node: object, index: int) -> None:
    source = manifest.source
    builder = _Builder(source)
    try:
        builder.expanded_size(node)
    except _TooLarge as e:
        source.problem("yaml-too-large", _span(node), f"document {index + 1} is not linted: it {e}")
        return
    except RecursionError:
        source.problem(
            "yaml-too-large", _span(node), f"document {index + 1} is not linted: it is nested too deeply"
        )
        return
    root = builder.build(node)
    if not isinstance(root, YMap):
        return
    items = root.seq("items")
    kind = root.scalar("kind")
    if isinstance(kind, str) and kind.endswith("List") and items is not None and root.get("apiVersion"):
        for item in items.items:
            if isinstance(item, YMap) and item.get("kind") is not None:
                manifest.resources.append(Resource(source, item, index))
        return
    if root.get("kind") is not None and root.get("apiVersion") is not None:
        manifest.resources.append(Resource(source, root, index))


def parse_single(source: SourceFile) -> YNode | None:
    """The first document of a YAML file as a node tree (for config files); problems go on
    `source.problems`."""
    try:
        node = _yaml().compose(source.text)
    except Exception as e:
        _syntax_problem(source, e)
        return None
    if node is None:
        return None
    builder = _Builder(source)
    try:
        builder.expanded_size(node)
    except (_TooLarge, RecursionError) as e:
        source.problem("yaml-too-large", _span(node), f"not read: it {e}")
        return None
    return builder.build(node)
