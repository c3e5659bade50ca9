"""The lookups the rules across files use (by name, by label, by scale target) find exactly what
a scan of every object finds, in the same order: they exist only to be fast on large sets."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from linter.checks.crossref import _Index, _index
from linter.ir.inventory import ObjectSummary, ScaleTarget, Selector
from linter.ir.source import Span

SPAN = Span(1, 1, 1, 2)
KEYS = st.sampled_from(["app", "tier", "team"])
VALUES = st.sampled_from(["a", "b", "c"])
LABELS = st.dictionaries(KEYS, VALUES, max_size=3)
NAMESPACES = st.sampled_from([None, "default", "prod"])
NAMES = st.sampled_from(["web", "api", "db", None])


@st.composite
def objects(draw: st.DrawFn) -> ObjectSummary:
    kind = draw(
        st.sampled_from(["Deployment", "StatefulSet", "Service", "HorizontalPodAutoscaler", "ScaledObject"])
    )
    o = ObjectSummary("f.yaml", kind, kind, "v1", SPAN)
    o.namespace = draw(NAMESPACES)
    o.name = draw(NAMES)
    if kind in ("Deployment", "StatefulSet"):
        o.pod_labels = draw(LABELS)
    if kind in ("HorizontalPodAutoscaler", "ScaledObject"):
        target = draw(st.sampled_from(["web", "api"]))
        o.scale_target = ScaleTarget(draw(st.sampled_from(["Deployment", "StatefulSet"])), target, SPAN)
    return o


EXPRESSIONS = st.lists(
    st.tuples(
        KEYS,
        st.sampled_from(["In", "NotIn", "Exists", "DoesNotExist"]),
        st.lists(VALUES, max_size=2).map(tuple),
    ),
    max_size=2,
).map(tuple)


@settings(max_examples=300, deadline=None)
@given(st.lists(objects(), max_size=25), LABELS, EXPRESSIONS, NAMESPACES)
def test_lookups_find_what_a_scan_finds(
    found: list[ObjectSummary], labels: dict[str, str], expressions: tuple, ns: str | None
) -> None:
    index = _Index(found)
    namespace = ns or "default"
    selector = Selector(labels, expressions, SPAN)
    pods = [o for o in found if o.pod_labels is not None and o.effective_namespace == namespace]
    assert index.pods_matching(selector, namespace) == [
        o for o in pods if selector.matches(o.pod_labels or {})
    ]
    for o in found:
        assert index.named(o.kind, o.name, o.effective_namespace) == [  # type: ignore[arg-type]
            x
            for x in found
            if x.kind == o.kind and x.effective_namespace == o.effective_namespace and x.name == o.name
        ]
        scan = [
            s
            for kind in ("HorizontalPodAutoscaler", "ScaledObject")
            for s in found
            if s.kind == kind
            and s.effective_namespace == o.effective_namespace
            and s.scale_target is not None
            and s.scale_target.kind == o.kind
            and s.scale_target.name == o.name
        ]
        assert index.scalers_of(o) == scan


def test_the_index_is_built_once_for_the_rules_given_one_set() -> None:
    one = [ObjectSummary("f.yaml", "Service/a", "Service", "v1", SPAN)]
    other = list(one)  # equal, but another set: another index
    first = _index(one)
    assert _index(one) is first
    second = _index(other)
    assert second is not first and _index(other) is second
