"""Kubernetes YAML (and JSON) text -> Manifest IR, with a span for every key and value.

PyYAML's libyaml binding parses the text into events, and one pass over the events builds
YMap/YSeq/YScalar directly, with YAML 1.1 scalar resolution, duplicate-key problems, merge keys,
and the two bounds that protect the process: alias expansion (a "billion laughs" document would
exhaust memory) and nesting (the event parser keeps its own stacks and never recurses, and this
pass uses an explicit stack, so depth costs nothing but is bounded all the same). No node graph is
composed first and no second pass measures depth.

Measured on this machine (bench/yaml_parse.py; best of 5):

                                 real-world corpus     generated
                                 (24,422 lines)        (5,005 lines)
  before: ruamel.yaml C compose_all + IR build (and the _too_deep pre-scan)
                                   457 ms                124 ms
  ruamel.yaml C compose_all alone  221 ms                 71 ms
  PyYAML C compose_all alone       104 ms                 25 ms
  PyYAML C events alone             40 ms                 13 ms
  now: IR from PyYAML's C events   103 ms (237,000/s)     32 ms (158,000/s)
  fallback: PyYAML pure-Python     933 ms (26,000/s)     232 ms

Composing with PyYAML and converting would cost at least 104 ms plus the conversion; building
from events avoids a second tree. Of what remains, a sixth was the cyclic garbage collector,
paused while parsing (the trees hold no cycles). bench/schemas.py (50,000 resources, 2 cores):
the check pipeline went from 1,198 to 5,690 resources/s in one process, 2,372 to 11,493 in two.

Positions: libyaml's marks count characters, not UTF-8 bytes (PyYAML encodes str input to
UTF-8, but its marks' index and column advance by one per character), so columns need no
conversion; only a reader error's offset is in bytes (see _syntax_problem).
"""

from __future__ import annotations

import functools
import gc
import re
from bisect import bisect_right
from collections.abc import Callable
from typing import TypeVar

from yaml.composer import ComposerError  # type: ignore[import-untyped]
from yaml.error import Mark  # type: ignore[import-untyped]
from yaml.events import (  # type: ignore[import-untyped]
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.parser import Parser  # type: ignore[import-untyped]
from yaml.reader import Reader  # type: ignore[import-untyped]
from yaml.scanner import Scanner  # type: ignore[import-untyped]

from linter.ir.kubernetes import Manifest, Resource, YMap, YNode, YScalar, YSeq
from linter.ir.source import Problem, SourceFile, Span

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any

try:
    from yaml.cyaml import CParser as _CParser  # type: ignore[import-untyped]
except ImportError:  # PyYAML built without libyaml
    _CParser = None


class _PureParser(Reader, Scanner, Parser):  # type: ignore[misc]
    """PyYAML's pure-Python event parser: the fallback when its C extension is missing."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)


_T = TypeVar("_T")

# The event parser in use: libyaml's when PyYAML has it (tests swap in the fallback).
PARSER: Any = _CParser or _PureParser

# A document whose fully expanded tree would exceed this many nodes is not linted.
MAX_EXPANDED_NODES = 1_000_000
# A document with a node nested deeper than this is not linted.
MAX_DEPTH = 400
# Past this many nested collections the parse stops: the document and those after it are not
# read. libyaml stops there itself (its scanner raises "exceeded maximum nesting depth" past 1,000
# levels, while scanning ahead of the events); the pure-Python parser has no limit, and its scanner
# takes time quadratic in the depth of flow collections, so this pass stops it at the same depth.
MAX_NESTING = 1_000
_LIBYAML_DEPTH = "exceeded maximum nesting depth"

_NULL = frozenset(("", "~", "null", "Null", "NULL"))
_TRUE = frozenset(["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"])
_FALSE = frozenset(["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"])
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9_]*)$")
_OCT = re.compile(r"[-+]?0[0-7_]+$")
# Kubernetes' YAML library (a fork of go-yaml v2) reads integers with Go's base prefixes, in
# either case: 0x1F, 0b101, and the YAML 1.2 octal form 0o644 too.
_OCT_O = re.compile(r"[-+]?0[oO][0-7_]+$")
_HEX = re.compile(r"[-+]?0[xX][0-9a-fA-F_]+$")
_BIN = re.compile(r"[-+]?0[bB][01_]+$")
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
            if _OCT_O.match(text) or _BIN.match(text):
                return int(text.replace("_", ""), 0)
            if _FLOAT.match(text):
                return float(text.replace("_", ""))
        except ValueError:
            return text
        low = text.lower()
        if low in _SPECIAL_FLOAT:
            return _SPECIAL_FLOAT[low]
    return text


class _Positions:
    """Turns the parser's marks into 1-based (line, column) on the file's lines.

    The parser is given the text without its byte-order mark (`text`), and its marks count
    characters (code points), not UTF-8 bytes, in the C parser as in the Python one. Both count
    U+0085, U+2028 and U+2029 as line breaks (YAML 1.1), which editors do not; when the text holds
    one, positions are computed from the marks' character offsets instead of their lines."""

    def __init__(self, source: SourceFile) -> None:
        self.source = source
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

    def end_of_text(self) -> Span:
        """An empty span at the end of the file's last line."""
        lines = self.source.lines
        line = max(len(lines), 1)
        column = len(lines[line - 1]) + 1 if lines else 1
        return Span(line, column, line, column)

    def offset(self, index: int) -> tuple[int, int]:
        """The position of a character offset in `text` (for errors that carry no mark)."""
        starts = self.starts or self._starts()
        line = bisect_right(starts, index) - 1
        return line + 1, index - starts[line] + 1

    def span(self, start: Any, end: Any, collection: bool = False) -> Span:
        """The span between two marks, its end moved back from the start of a later line to the
        end of the content before it: a block scalar ends after its trailing line breaks and a
        block collection at the next token, often on the next line (or past the end of the file)."""
        line, column = self.at(start)
        end_line, end_column = self.at(end)
        if end_column == 1 and end_line > line:
            return self.trimmed(line, column, end_line, collection)
        return Span(line, column, end_line, end_column)

    def trimmed(self, line: int, column: int, end_line: int, collection: bool) -> Span:
        lines = self.source.lines
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


class _TooDeep(Exception):
    def __init__(self, index: int, mark: Any) -> None:
        super().__init__(index)
        self.index = index
        self.mark = mark


_NOKEY: Any = object()  # a mapping frame waiting for its next key
_MERGE: Any = object()  # ... for the value of a `<<` key
_OPEN: Any = object()  # an anchor whose collection is still being read
_STR_TAG = "tag:yaml.org,2002:str"
# resolve_plain's answers (immutable values), by text: keys and common values repeat a lot.
_RESOLVED: dict[str, object] = {}
_START = Mark("<unicode string>", 0, 0, 0, None, None)
_SELF = "is nested too deeply or refers to itself"
_LARGE = f"expands to more than {MAX_EXPANDED_NODES:,} nodes through aliases"


def _documents(
    source: SourceFile, positions: _Positions, single: bool = False
) -> Iterator[tuple[int, YNode]]:
    """(index, root) of each document, built from the parser's events as they come.

    Problems go on `source`: a document's duplicate keys when the document is accepted, its
    `yaml-too-large` instead when it is not. Raises the parser's (or a composer's) error at a
    syntax error, and _TooDeep past MAX_NESTING. With `single`, the one document is yielded at the
    end of the stream, and a second document is an error (after the whole stream has been read
    for nesting depth)."""
    parser = PARSER(positions.text)
    get_event = parser.get_event
    starts = positions.starts
    trimmed = positions.trimmed
    text_len = len(positions.text)
    resolved = _RESOLVED
    problems: list[Problem] = []
    # One frame per open collection:
    # [container, is_map, line, column, flow, anchor, size, last child, key, irregular, start mark, merges]
    stack: list[list[Any]] = []
    depth = 0  # len(stack)
    anchors: dict[str, Any] = {}
    anchor_marks: dict[str, Any] = {}
    index = -1
    doc_open = False
    doc_mark: Any = None
    root: YNode | None = None
    root_marks: tuple[Any, Any] = (None, None)
    too_large: str | None = None
    held: tuple[YNode, list[Problem], str | None, tuple[Any, Any]] | None = None
    another: Any = None
    try:
        while True:
            event = get_event()
            cls = type(event)
            node: YNode
            if cls is ScalarEvent:
                start = event.start_mark
                end = event.end_mark
                text = event.value
                if not text and start.index >= text_len:
                    # An empty scalar at the end of the stream (`key:` or `?` on the last line):
                    # libyaml marks it on a line after the text when the text has no final line
                    # break. It is at the end of the last line.
                    span = positions.end_of_text()
                elif starts is None:
                    line = start.line + 1
                    column = start.column + 1
                    end_line = end.line + 1
                    end_column = end.column + 1
                    if end_column == 1 and end_line > line:
                        span = trimmed(line, column, end_line, False)
                    else:
                        span = Span(line, column, end_line, end_column)
                else:
                    span = positions.span(start, end)
                if event.style:
                    node = YScalar(span, text, text, True)
                else:
                    tag = event.tag
                    # Plain scalars are resolved by YAML 1.1 rules; only a custom (non yaml.org)
                    # tag, a non-specific `!` or an explicit `!!str` keeps the text as it is.
                    if tag is None or (tag.startswith("tag:yaml.org") and tag != _STR_TAG):
                        value = resolved.get(text, resolved)
                        if value is resolved:
                            if len(resolved) > 20_000:
                                resolved.clear()
                            value = resolved[text] = resolve_plain(text)
                        node = YScalar(span, value, text, False)
                    else:
                        node = YScalar(span, text, text, False)
                size = 1
                alias = False
                anchor = event.anchor
                if anchor is not None:
                    _anchor(anchors, anchor_marks, anchor, (node, 1), start)
                if depth > MAX_DEPTH and too_large is None:
                    too_large = _SELF
                if not stack:
                    root, root_marks = node, (start, end)
                    continue
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                frame = stack.pop()
                depth -= 1
                container = frame[0]
                line = frame[2]
                column = frame[3]
                last = frame[7]
                end = event.end_mark
                merges = frame[11]
                if merges:
                    for m in merges:
                        for name, pair in m.entries.items():
                            container.setdefault(name, pair)
                if frame[4]:  # `{...}` and `[...]`: the mark is just past the closing bracket
                    if starts is None:
                        span = Span(line, column, end.line + 1, end.column + 1)
                    else:
                        span = positions.span(frame[10], end, collection=True)
                elif frame[9]:  # duplicate keys or merges: the entries are not all the children
                    ends = [
                        (s.end_line, s.end_column)
                        for pair in container.values()
                        for s in (pair[0].span, pair[1].span)
                        if (s.line, s.column) >= (line, column)
                    ]
                    if ends:
                        end_line, end_column = max(ends)
                        span = Span(line, column, end_line, end_column)
                    else:
                        span = positions.span(frame[10], end, collection=True)
                elif last is not None:
                    # A block collection ends where its last child ends (its mark is the next
                    # token's). Children reached through an alias keep the anchor's span and do
                    # not count.
                    s = last.span
                    span = Span(line, column, s.end_line, s.end_column)
                else:
                    span = positions.span(frame[10], end, collection=True)
                if frame[1]:
                    node = YMap(span, container)
                else:
                    node = YSeq(span, container)
                size = frame[6]
                alias = False
                anchor = frame[5]
                if anchor is not None:
                    anchors[anchor] = (node, size)
                if not stack:
                    root, root_marks = node, (frame[10], end)
                    continue
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                if depth >= MAX_NESTING:
                    raise _TooDeep(index, doc_mark)
                if depth > MAX_DEPTH and too_large is None:
                    too_large = _SELF
                start = event.start_mark
                anchor = event.anchor
                if anchor is not None:
                    _anchor(anchors, anchor_marks, anchor, _OPEN, start)
                if starts is None:
                    line = start.line + 1
                    column = start.column + 1
                else:
                    line, column = positions.offset(start.index)
                is_map = cls is MappingStartEvent
                depth += 1
                stack.append(
                    [
                        {} if is_map else [],
                        is_map,
                        line,
                        column,
                        event.flow_style,
                        anchor,
                        1,
                        None,
                        _NOKEY,
                        False,
                        start,
                        None,
                    ]
                )
                continue
            elif cls is AliasEvent:
                anchor = event.anchor
                target = anchors.get(anchor)
                if target is None:
                    raise ComposerError(None, None, "found undefined alias", event.start_mark)
                if target is _OPEN:
                    if too_large is None:
                        too_large = _SELF
                    node, size = YScalar(Span(1, 1, 1, 1), None, "", False), 1
                else:
                    node, size = target
                alias = True
                if not stack:
                    root, root_marks = node, (event.start_mark, event.end_mark)
                    continue
            elif cls is DocumentStartEvent:
                index += 1
                doc_open = True
                doc_mark = event.start_mark
                if single and index == 1:
                    another = doc_mark
                continue
            elif cls is DocumentEndEvent:
                assert root is not None
                if single:
                    if index == 0:
                        held = (root, problems, too_large, root_marks)
                elif too_large is not None:
                    source.problem(
                        "yaml-too-large",
                        positions.span(root_marks[0], root_marks[1], collection=True),
                        f"document {index + 1} is not linted: it {too_large}",
                    )
                else:
                    source.problems.extend(problems)
                    yield index, root
                doc_open = False
                doc_mark = event.end_mark
                problems = []
                anchors = {}
                anchor_marks = {}
                root = None
                too_large = None
                continue
            elif cls is StreamEndEvent:
                break
            else:  # the start of the stream
                continue
            # A node is complete: it goes into the collection that holds it.
            frame = stack[-1]
            total = frame[6] + size
            frame[6] = total
            if total > MAX_EXPANDED_NODES and too_large is None:
                too_large = _LARGE
            if not alias:
                frame[7] = node
            if frame[1]:
                key = frame[8]
                if key is _NOKEY:
                    if not isinstance(node, YScalar):
                        # A mapping or sequence as a key: no Kubernetes object has one. Name it by
                        # its place, so that two such keys are not taken for duplicates.
                        s = node.span
                        node = YScalar(s, None, f"<complex key at {s.line}:{s.column}>", False)
                        if not alias:
                            frame[7] = node
                    name = node.text
                    if name == "<<" and not node.quoted:
                        frame[8] = _MERGE
                        frame[9] = True
                        continue
                    entries = frame[0]
                    if name in entries:
                        first = entries[name][0].span
                        problems.append(
                            Problem(
                                "yaml-duplicate-key",
                                node.span,
                                f"duplicate key {name!r}: it is also set on line {first.line}; "
                                "Kubernetes rejects the object, or silently keeps the last value",
                            )
                        )
                        frame[9] = True
                    frame[8] = node
                elif key is _MERGE:
                    items = node.items if isinstance(node, YSeq) else [node]
                    merges = frame[11]
                    if merges is None:
                        merges = frame[11] = []
                    merges.extend(m for m in items if isinstance(m, YMap))
                    frame[8] = _NOKEY
                else:
                    frame[0][key.text] = (key, node)
                    frame[8] = _NOKEY
            else:
                frame[0].append(node)
    except _TooDeep:
        raise
    except Exception as e:
        if getattr(e, "problem", None) == _LIBYAML_DEPTH:
            # Raised while scanning ahead, possibly before the deep document's first event.
            raise _TooDeep(index if doc_open else index + 1, doc_mark or _START) from None
        if another is not None:  # a second document, whatever follows it
            raise ComposerError(
                "expected a single document in the stream", None, "but found another document", another
            ) from None
        raise
    finally:
        parser.dispose()
    if another is not None:
        raise ComposerError(
            "expected a single document in the stream", None, "but found another document", another
        )
    if held is not None:
        if held[2] is not None:
            marks = held[3]
            source.problem(
                "yaml-too-large", positions.span(*marks, collection=True), f"not read: it {held[2]}"
            )
        else:
            source.problems.extend(held[1])
            yield 0, held[0]


def _deep_problem(source: SourceFile, positions: _Positions, mark: Any, what: str) -> None:
    line, column = positions.at(mark)
    end = len(source.line_text(line)) + 1
    source.problem(
        "yaml-too-large",
        Span(line, column, line, max(end, column + 1)),
        f"{what} is not linted: it nests collections more than {MAX_NESTING:,} levels deep",
    )


def _anchor(anchors: dict[Any, Any], marks: dict[Any, Any], name: str, value: object, mark: object) -> None:
    """Record an anchor; a second anchor of the same name in one document is a composer error."""
    if name in anchors:
        raise ComposerError(
            "found duplicate anchor; first occurrence", marks[name], "second occurrence", mark
        )
    anchors[name] = value
    marks[name] = mark


def _without_gc(parse: Callable[[SourceFile], _T]) -> Callable[[SourceFile], _T]:
    """Runs `parse` with the cyclic garbage collector paused: the nodes built form no cycles (an
    alias shares a finished node; a self-reference gets a placeholder), so the collections that
    their allocation triggers free nothing, and they cost about a sixth of the parse, more when
    many parsed files are kept alive."""

    @functools.wraps(parse)
    def wrapper(source: SourceFile) -> _T:
        if not gc.isenabled():
            return parse(source)
        gc.disable()
        try:
            return parse(source)
        finally:
            gc.enable()

    return wrapper


@_without_gc
def parse_manifest(source: SourceFile) -> Manifest:
    manifest = Manifest(source)
    positions = _Positions(source)
    try:
        for index, root in _documents(source, positions):
            if isinstance(root, YMap):
                _document(manifest, root, index)
    except _TooDeep as e:
        # The documents before the deep one are still linted; it and those after it are not.
        _deep_problem(source, positions, e.mark, f"document {e.index + 1} (and any after it)")
    except Exception as e:  # PyYAML's MarkedYAMLError and relatives
        _syntax_problem(source, e, positions)
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


def _document(manifest: Manifest, root: YMap, index: int) -> None:
    source = manifest.source
    items = root.seq("items")
    kind = root.scalar("kind")
    if isinstance(kind, str) and kind.endswith("List") and items is not None and root.get("apiVersion"):
        for item in items.items:
            if isinstance(item, YMap) and item.get("kind") is not None:
                manifest.resources.append(Resource(source, item, index))
        return
    if root.get("kind") is not None and root.get("apiVersion") is not None:
        manifest.resources.append(Resource(source, root, index))


@_without_gc
def parse_single(source: SourceFile) -> YNode | None:
    """The first document of a YAML file as a node tree (for config files); problems go on
    `source.problems`."""
    positions = _Positions(source)
    try:
        for _, root in _documents(source, positions, single=True):
            return root
    except _TooDeep as e:
        _deep_problem(source, positions, e.mark, "the file")
    except Exception as e:
        _syntax_problem(source, e, positions)
    return None
