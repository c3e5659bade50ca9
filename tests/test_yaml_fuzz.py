"""Fuzzing the YAML layer: whatever bytes a manifest holds, loading and parsing it never raises,
and every span of every node lies inside the file (problems may sit on the line after the last,
where an editor puts the end of the file)."""

from __future__ import annotations

import io

import yaml
from helpers import span_outside
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linter.engine.load import load, parse
from linter.ir.kubernetes import Manifest, YMap, YNode, YSeq
from linter.ir.source import SourceFile, Span

FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _spans(node: YNode) -> list[Span]:
    out: list[Span] = []
    stack = [node]
    seen: set[int] = set()
    while stack:
        n = stack.pop()
        if id(n) in seen:  # an alias shares its anchor's node
            continue
        seen.add(id(n))
        out.append(n.span)
        if isinstance(n, YMap):
            for key, child in n.entries.values():
                out.append(key.span)
                stack.append(child)
        elif isinstance(n, YSeq):
            stack.extend(n.items)
    return out


def lint_bytes(data: bytes) -> tuple[SourceFile, Manifest | None]:
    """The real entry: read as a stream (decoding, size limit), then parse."""
    source = load("fuzz.yaml", "kubernetes", 1 << 20, io.BytesIO(data)).source
    document = parse(source)
    assert document is None or isinstance(document, Manifest)
    return source, document


def check_spans(source: SourceFile, manifest: Manifest | None, data: bytes | None = None) -> None:
    # A file that is not valid UTF-8 has no text: its problem points into the bytes' lines.
    lines = len(source.lines) if source.text or data is None else data.count(b"\n") + 1
    for problem in source.problems:
        s = problem.span
        assert 1 <= s.line <= s.end_line <= lines + 1, (problem, lines)
        assert (s.line, s.column) <= (s.end_line, s.end_column), problem
        assert s.column >= 1 and s.end_column >= 1, problem
    for resource in manifest.resources if manifest is not None else ():
        bad = [s for s in _spans(resource.node) if span_outside(source, s)]
        assert not bad, (bad[:5], source.text[:500])


# -- well-formed YAML of any shape -------------------------------------------------------------------

_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(
        ["yes", "off", "0644", "0o17", "1:20", ".inf", "~", "<<", "*a", "&b", "- x", "a: b", "#c"]
    ),
)
_KEYS = st.one_of(st.text(max_size=12), st.sampled_from(["apiVersion", "kind", "metadata", "spec", "name"]))
_TREES = st.recursive(
    _SCALARS,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(_KEYS, children, max_size=4)),
    max_leaves=25,
)


@st.composite
def _objects(draw: st.DrawFn) -> dict[str, object]:
    """A mapping that looks enough like a Kubernetes object to become a Resource."""
    obj: dict[str, object] = {"apiVersion": draw(st.sampled_from(["v1", "apps/v1", "x/y"]))}
    obj["kind"] = draw(st.sampled_from(["Pod", "Deployment", "ConfigMap", "CronJob", "List", "Thing"]))
    obj["metadata"] = draw(st.dictionaries(_KEYS, _TREES, max_size=3))
    obj["spec"] = draw(_TREES)
    return obj


@FUZZ
@given(
    st.lists(_objects(), min_size=1, max_size=3),
    st.sampled_from([None, True, False]),
    st.sampled_from(["\n", "\r\n"]),
)
def test_dumped_documents_parse_with_spans_inside(objects, flow, newline):
    text = yaml.safe_dump_all(objects, default_flow_style=flow, allow_unicode=True, sort_keys=False)
    text = text.replace("\n", newline)
    source, manifest = lint_bytes(text.encode("utf-8"))
    check_spans(source, manifest)
    # Whatever PyYAML can dump, the parser reads without a problem.
    assert not [p for p in source.problems if p.code == "yaml-syntax"], source.problems


@FUZZ
@given(st.lists(_objects(), min_size=1, max_size=2), st.data())
def test_truncated_and_mangled_documents_never_crash(objects, data):
    text = yaml.safe_dump_all(objects, sort_keys=False)
    cut = data.draw(st.integers(min_value=0, max_value=len(text)))
    mangled = text[:cut]
    insert = data.draw(
        st.sampled_from(
            [
                "\t",
                "  ",
                "&a ",
                "*a",
                "*zz ",
                "<<: *a\n",
                "{",
                "]",
                "'",
                '"',
                "|\n",
                "---\n",
                "\x00",
                "\ufeff",
                "\u2028",
                ": ",
            ]
        )
    )
    at = data.draw(st.integers(min_value=0, max_value=len(mangled)))
    mangled = mangled[:at] + insert + mangled[at:]
    source, manifest = lint_bytes(mangled.encode("utf-8"))
    check_spans(source, manifest)


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes_never_crash(data):
    source, manifest = lint_bytes(data)
    check_spans(source, manifest, data)


@FUZZ
@given(st.text(alphabet=st.sampled_from(list("ab:-[]{},&*!|>'\"#\t \n\r%@`?~<0.\\")), max_size=200))
def test_yaml_punctuation_soup_never_crashes(text):
    source, manifest = lint_bytes(("apiVersion: v1\nkind: Pod\n" + text).encode("utf-8"))
    check_spans(source, manifest)


@FUZZ
@given(st.integers(min_value=1, max_value=6), st.integers(min_value=1, max_value=4))
def test_aliases_and_anchors_keep_spans_of_their_anchor(depth, width):
    # Nested anchors, each used `width` times one level up: a small "billion laughs".
    lines = ["apiVersion: v1", "kind: ConfigMap", "metadata: {name: x}", "data:", "  a0: &a0 [v]"]
    for level in range(1, depth + 1):
        refs = ", ".join([f"*a{level - 1}"] * width)
        lines.append(f"  a{level}: &a{level} [{refs}]")
    source, manifest = lint_bytes(("\n".join(lines) + "\n").encode())
    check_spans(source, manifest)
    assert manifest is not None and len(manifest.resources) == 1
