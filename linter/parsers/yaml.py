"""Kubernetes YAML (and JSON) text -> Manifest IR, with a span for every key and value.

ruamel.yaml composes the node graph (with its C extension when installed); this module turns it
into YMap/YSeq/YScalar with YAML 1.1 scalar resolution, reports duplicate keys, and bounds alias
expansion so that a "billion laughs" document cannot exhaust memory, and nesting so that a deep
one cannot crash the C composer.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from linter.ir.kubernetes import Manifest, Resource, YMap, YNode, YScalar, YSeq
from linter.ir.source import SourceFile, Span

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# A document whose fully expanded tree would exceed this many nodes is not linted.
MAX_EXPANDED_NODES = 1_000_000
MAX_DEPTH = 400
# ruamel.yaml's C composer recurses once per level of nesting and overflows the C stack (a crash,
# not an exception) somewhere past 20,000 levels; a document nested deeper than this is not
# composed at all. (Its scanner also takes time quadratic in the depth of flow collections.)
MAX_NESTING = 2_000
_INDENT = re.compile(r"^ +", re.MULTILINE)
_INDICATORS = ("[", "{", "- ", "-\t", "-\n", "-\r", "? ", "?\t", "?\n", "?\r")

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


class _Positions:
    """Turns ruamel.yaml's marks into 1-based (line, column) on the file's lines.

    The text given to ruamel.yaml has no byte-order mark (`text`), so that its marks' character
    offsets index `text` whichever backend (C or Python) reads it. ruamel.yaml also counts U+0085,
    U+2028 and U+2029 as line breaks (YAML 1.1), which editors do not; when the text holds one,
    positions are computed from those offsets instead of the marks' lines."""

    def __init__(self, source: SourceFile) -> None:
        self.lines = source.lines
        text = source.text
        self.text = text[1:] if text.startswith("\ufeff") else text
        self.starts: list[int] | None = None
        if "\x85" in text or "\u2028" in text or "\u2029" in text:
            self.starts = self._starts()

    def _starts(self) -> list[int]:
        return [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", self.text)]

    def at(self, mark: Any) -> tuple[int, int]:
        if self.starts is None:
            return mark.line + 1, mark.column + 1
        return self.offset(mark.index)

    def offset(self, index: int) -> tuple[int, int]:
        """The position of a character offset in `text` (for errors that carry no mark)."""
        starts = self.starts or self._starts()
        line = bisect_right(starts, index) - 1
        return line + 1, index - starts[line] + 1

    def span(self, node: Any, collection: bool = False) -> Span:
        """The node's span, its end moved back from the start of a later line to the end of the
        content before it: ruamel.yaml ends a block scalar after its trailing line breaks and a
        block collection at the next token, often on the next line (or past the end of the file)."""
        line, column = self.at(node.start_mark)
        end_line, end_column = self.at(node.end_mark)
        lines = self.lines
        if end_column == 1 and end_line > line:
            end_line = min(end_line - 1, len(lines))
            while end_line > line and _skippable(lines[end_line - 1], collection):
                end_line -= 1
            end_column = len(lines[end_line - 1].rstrip()) + 1 if 0 < end_line <= len(lines) else 1
            if end_line <= line:
                end_line, end_column = line, max(end_column, column)
        return Span(line, column, end_line, end_column)


def _skippable(line: str, collection: bool) -> bool:
    stripped = line.strip()
    return not stripped or (collection and stripped.startswith("#"))


class _TooLarge(Exception):
    pass


class _Builder:
    """Converts one composed document. Shared (aliased) nodes convert once and are shared."""

    def __init__(self, source: SourceFile, positions: _Positions | None = None) -> None:
        self.source = source
        self.positions = positions or _Positions(source)
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
        result: YNode
        if isinstance(value, str):
            span = self.positions.span(node)
            style = node.style  # type: ignore[attr-defined]
            tag = node.tag  # type: ignore[attr-defined]
            if style:
                result = YScalar(span, value, value, True)
            else:
                # Plain scalars are resolved by YAML 1.1 rules whatever tag the 1.2 resolver gave;
                # only a custom (non yaml.org) tag or an explicit `!!str` keeps the text as it is.
                keep = bool(tag) and (not tag.startswith("tag:yaml.org") or self._explicit_str(node, tag))
                result = YScalar(span, value if keep else resolve_plain(value), value, False)
        elif (value and isinstance(value[0], tuple)) or (not value and _is_mapping(node)):
            result = self._mapping(node, self.positions.span(node, collection=True))
            self._tighten(node, result, [n for e in result.entries.values() for n in e])
        else:
            result = YSeq(self.positions.span(node, collection=True), [self.build(item) for item in value])
            self._tighten(node, result, result.items)
        self.memo[key] = result
        return result

    def _explicit_str(self, node: Any, tag: str) -> bool:
        """`!!str yes` is the string "yes". The 1.2 resolver gives `yes` the same str tag, so
        look at the text: an explicit tag (after any anchor) is where the node starts."""
        if tag != "tag:yaml.org,2002:str":
            return False
        start = node.start_mark.index
        head = self.positions.text[start : node.end_mark.index]
        if head.startswith("&"):  # `&anchor !!str value`
            parts = head.split(None, 1)
            head = parts[1] if len(parts) > 1 else ""
        return head.startswith("!")

    @staticmethod
    def _tighten(node: object, result: YNode, children: list[YNode]) -> None:
        """A block collection ends where its last child ends (its mark is the next token's)."""
        if getattr(node, "flow_style", False):
            return  # `{...}` and `[...]`: the mark is just past the closing bracket
        start = (result.span.line, result.span.column)
        # Children reached through an alias keep the anchor's span, which may lie before this.
        ends = [
            (c.span.end_line, c.span.end_column) for c in children if (c.span.line, c.span.column) >= start
        ]
        if ends:
            end = max(ends)
            result.span = Span(start[0], start[1], end[0], end[1])

    def _mapping(self, node: object, span: Span) -> YMap:
        entries: dict[str, tuple[YScalar, YNode]] = {}
        merges: list[YMap] = []
        for k, v in node.value:  # type: ignore[attr-defined]
            knode = self.build(k)
            if not isinstance(knode, YScalar):
                # A mapping or sequence as a key: no Kubernetes object has one. Name it by its
                # place, so that two such keys are not taken for duplicates.
                kspan = knode.span
                knode = YScalar(kspan, None, f"<complex key at {kspan.line}:{kspan.column}>", False)
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


def _nesting_bound(text: str) -> int:
    """An upper bound on how deeply `text` nests collections, cheap to compute: each level needs
    a `[` or `{`, a `-` or `?` indicator, or one more space of indentation."""
    bound = sum(text.count(indicator) for indicator in _INDICATORS) + 1
    if bound <= MAX_NESTING:
        bound += max(map(len, _INDENT.findall(text)), default=0)
    return bound


def _too_deep(text: str) -> tuple[int, Any] | None:
    """(index, start mark) of the first document that nests collections more than MAX_NESTING
    deep, found from ruamel.yaml's events (which its parser produces without recursion), stopping
    as soon as the limit is passed. Only files whose nesting bound passes the limit are read so."""
    if _nesting_bound(text) <= MAX_NESTING:
        return None
    from ruamel.yaml.events import (
        CollectionEndEvent,
        CollectionStartEvent,
        DocumentStartEvent,
    )

    depth, index, start = 0, -1, None
    try:
        for event in _yaml().parse(text):
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_NESTING:
                    return index, start
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
            elif isinstance(event, DocumentStartEvent):
                depth, index, start = 0, index + 1, event.start_mark
    except Exception:
        return None  # a syntax error before any deep nesting: composing reports it
    return None


def _deep_problem(source: SourceFile, positions: _Positions, mark: Any, what: str) -> None:
    line, column = positions.at(mark)
    end = len(source.line_text(line)) + 1
    source.problem(
        "yaml-too-large",
        Span(line, column, line, max(end, column + 1)),
        f"{what} is not linted: it nests collections more than {MAX_NESTING:,} levels deep",
    )


def parse_manifest(source: SourceFile) -> Manifest:
    manifest = Manifest(source)
    positions = _Positions(source)
    text = positions.text
    deep = _too_deep(text)
    if deep is not None:
        # The documents before the deep one are still linted; it and those after it are not.
        text = text[: deep[1].index]
    try:
        docs = _yaml().compose_all(text)
        index = 0
        while True:
            try:
                node = next(docs)
            except StopIteration:
                break
            if node is not None:
                _document(manifest, node, index, positions)
            index += 1
    except Exception as e:  # ruamel.yaml's MarkedYAMLError and relatives
        _syntax_problem(source, e, positions)
    if deep is not None:
        _deep_problem(source, positions, deep[1], f"document {deep[0] + 1} (and any after it)")
    return manifest


def _syntax_problem(source: SourceFile, e: Exception, positions: _Positions | None = None) -> None:
    positions = positions or _Positions(source)
    mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
    text = str(e).strip()
    problem = getattr(e, "problem", None) or (text.splitlines()[0] if text else type(e).__name__)
    position = getattr(e, "position", None)  # a ReaderError (a forbidden character) has no mark
    # An error at the end of the stream is on the line after the last line break, where an editor
    # puts the cursor at the end of the file.
    if mark is not None:
        line, col = positions.at(mark)
        span = Span(line, col, line, col + 1)
    elif isinstance(position, int):
        if getattr(e, "encoding", None) != "unicode":
            # The C reader counts UTF-8 bytes; the Python one ("unicode") counts characters.
            position = len(positions.text.encode("utf-8")[:position].decode("utf-8", "ignore"))
        line, col = positions.offset(position)
        span = Span(line, col, line, col + 1)
        reason = getattr(e, "reason", None)
        character = getattr(e, "character", None)
        if reason and isinstance(character, int):
            problem = f"unacceptable character #x{character:04x}: {reason}"
    else:
        span = source.end_span()
    context = getattr(e, "context", None)
    message = f"{context}: {problem}" if context and problem else str(problem)
    source.problem("yaml-syntax", span, message)


def _document(manifest: Manifest, node: object, index: int, positions: _Positions) -> None:
    source = manifest.source
    builder = _Builder(source, positions)
    try:
        builder.expanded_size(node)
    except _TooLarge as e:
        source.problem(
            "yaml-too-large",
            positions.span(node, collection=True),
            f"document {index + 1} is not linted: it {e}",
        )
        return
    except RecursionError:
        source.problem(
            "yaml-too-large",
            positions.span(node, collection=True),
            f"document {index + 1} is not linted: it is nested too deeply",
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
    positions = _Positions(source)
    deep = _too_deep(positions.text)
    if deep is not None:
        _deep_problem(source, positions, deep[1], "the file")
        return None
    try:
        node = _yaml().compose(positions.text)
    except Exception as e:
        _syntax_problem(source, e, positions)
        return None
    if node is None:
        return None
    builder = _Builder(source, positions)
    try:
        builder.expanded_size(node)
    except (_TooLarge, RecursionError) as e:
        source.problem("yaml-too-large", builder.positions.span(node, collection=True), f"not read: it {e}")
        return None
    return builder.build(node)
