"""The YAML parser and the Kubernetes IR: documents, spans, YAML 1.1 scalars, problems, pod views."""

from __future__ import annotations

import gc
import math
import subprocess
import sys
import textwrap

import pytest
from conftest import ROOT
from helpers import span_outside

import linter.parsers.yaml as yaml_parser
from linter.ir.kubernetes import Manifest, PodView, YMap, YNode, YScalar, YSeq, locate
from linter.ir.source import SourceFile, Span
from linter.parsers.yaml import MAX_EXPANDED_NODES, MAX_NESTING, parse_manifest, parse_single, resolve_plain


def parse(text: str) -> tuple[SourceFile, Manifest]:
    source = SourceFile("manifest.yaml", textwrap.dedent(text), "kubernetes")
    return source, parse_manifest(source)


def clean(text: str) -> Manifest:
    source, manifest = parse(text)
    assert source.problems == [], source.problems
    return manifest


def node(text: str) -> YMap:
    source = SourceFile("config.yaml", textwrap.dedent(text), "kubernetes")
    root = parse_single(source)
    assert source.problems == []
    assert isinstance(root, YMap)
    return root


def value(m: YMap, *path: str) -> YNode:
    cur: YNode = m
    for key in path:
        assert isinstance(cur, YMap)
        nxt = cur.get(key)
        assert nxt is not None, key
        cur = nxt
    return cur


POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: prod
  labels:
    app: web
spec:
  containers:
    - name: app
      image: nginx:1.27
"""


# --- documents -----------------------------------------------------------------------------------


def test_every_document_of_a_stream():
    manifest = clean(
        """\
        # a comment before the first document
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: svc}
        ---
        ---
        just: config, not an object
        ---
        - a list
        ---
        plain scalar
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: dep
        ...
        """
    )
    assert [(r.kind, r.name, r.doc_index) for r in manifest.resources] == [
        ("Service", "svc", 0),
        ("Deployment", "dep", 5),
    ]
    assert manifest.resources[1].api_version == "apps/v1"


def test_list_items_are_resources():
    manifest = clean(
        """\
        apiVersion: v1
        kind: List
        items:
          - apiVersion: v1
            kind: Pod
            metadata: {name: a}
          - kind: Service
            metadata: {name: b}
          - not an object
          - {metadata: {name: no-kind}}
        ---
        apiVersion: apps/v1
        kind: DeploymentList
        items:
          - apiVersion: apps/v1
            kind: Deployment
            metadata: {name: c}
        """
    )
    assert [(r.kind, r.name, r.doc_index) for r in manifest.resources] == [
        ("Pod", "a", 0),
        ("Service", "b", 0),
        ("Deployment", "c", 1),
    ]
    assert manifest.resources[0].span == Span(4, 5, 4, 19)


def test_json_input():
    source = SourceFile(
        "pod.json",
        '{"apiVersion": "v1", "kind": "Pod",\n "metadata": {"name": "j", "labels": {"a": "b"}},\n'
        ' "spec": {"containers": [{"name": "c", "image": "busybox:1.36"}]}}\n',
        "kubernetes",
    )
    manifest = parse_manifest(source)
    assert source.problems == []
    [pod] = manifest.resources
    assert (pod.kind, pod.name, pod.labels) == ("Pod", "j", {"a": "b"})
    assert pod.node.key_span("metadata") == Span(2, 2, 2, 12)
    [view] = manifest.pods()
    assert view.containers[0].image is not None
    assert view.containers[0].image.tag == "1.36"


def test_resource_metadata():
    manifest = clean(
        """\
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: 0123
          namespace: "ns"
          labels: {enabled: yes, n: 5, text: "x", empty: null, nested: {a: b}}
          annotations:
            note: |
              line one
        """
    )
    [cm] = manifest.resources
    assert cm.name == "83"  # an unquoted 0123 is an octal number in YAML 1.1
    assert cm.namespace == "ns"
    assert cm.object_id == "ConfigMap/ns/83"
    assert cm.labels == {"enabled": "true", "n": "5", "text": "x", "empty": "", "nested": ""}
    assert cm.annotations == {"note": "line one\n"}


def test_object_id_without_namespace():
    [r] = clean("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n").resources
    assert r.object_id == "Namespace/team"
    assert r.namespace == ""


# --- spans ---------------------------------------------------------------------------------------


def test_span_of_every_key_and_value():
    [pod] = clean(POD).resources
    root = pod.node
    assert root.key_span("apiVersion") == Span(1, 1, 1, 11)
    assert root.entries["apiVersion"][1].span == Span(1, 13, 1, 15)
    assert root.key_span("kind") == Span(2, 1, 2, 5)
    metadata = root.map("metadata")
    assert metadata is not None
    assert metadata.key_span("name") == Span(4, 3, 4, 7)
    assert metadata.entries["name"][1].span == Span(4, 9, 4, 12)
    labels = metadata.map("labels")
    assert labels is not None
    assert labels.entries["app"][0].span == Span(7, 5, 7, 8)
    containers = value(root, "spec", "containers")
    assert isinstance(containers, YSeq)
    first = containers.items[0]
    assert isinstance(first, YMap)
    assert first.entries["image"][0].span == Span(11, 7, 11, 12)
    assert first.entries["image"][1].span == Span(11, 14, 11, 24)
    assert pod.span == Span(1, 1, 1, 15)  # the first key and its value


def test_block_collections_end_at_their_last_child():
    # ruamel.yaml ends a block collection at the next token, here past the last line; the span
    # ends where the content does.
    [pod] = clean(POD + "\n# trailing comment\n\n").resources
    root = pod.node
    assert root.span == Span(1, 1, 11, 24)
    assert value(root, "metadata").span == Span(4, 3, 7, 13)
    assert value(root, "spec", "containers").span == Span(10, 5, 11, 24)


def test_flow_collection_span_includes_its_brackets():
    root = node("a: {b: 1,\n  c: [x, y]}\nd: []\n")
    assert value(root, "a").span == Span(1, 4, 2, 13)
    assert value(root, "a", "c").span == Span(2, 6, 2, 12)
    assert value(root, "d").span == Span(3, 4, 3, 6)


def test_block_scalar_span_ends_at_its_last_line():
    root = node("script: |\n  echo one\n  echo two\n\n\nnext: 1\n")
    assert value(root, "script").span == Span(1, 9, 3, 11)
    scalar = value(root, "script")
    assert isinstance(scalar, YScalar)
    assert scalar.value == "echo one\necho two\n"
    assert scalar.quoted is True


def test_multiline_quoted_scalar_span():
    root = node("a: 'x\n  y'\n")
    assert value(root, "a").span == Span(1, 4, 2, 5)
    assert value(root, "a").to_python() == "x y"


def test_empty_value_span_is_inside_its_line():
    root = node("a:\nb: 1\n")
    empty = value(root, "a")
    assert isinstance(empty, YScalar)
    assert empty.value is None
    assert empty.span == Span(1, 3, 1, 3)


def test_columns_count_code_points_and_skip_the_byte_order_mark():
    root = node("\ufeffname: \U0001f600é\nnext: x\n")
    assert root.key_span("name") == Span(1, 1, 1, 5)
    assert value(root, "name").span == Span(1, 7, 1, 9)
    assert root.key_span("next") == Span(2, 1, 2, 5)


def test_line_separator_characters_do_not_shift_lines():
    # ruamel.yaml counts U+2028 as a line break; editors and our line table do not.
    source = SourceFile("x.yaml", "a: [x, \u2028 y]\nb: 1\n", "kubernetes")
    root = parse_single(source)
    assert isinstance(root, YMap)
    assert root.key_span("b") == Span(2, 1, 2, 2)
    assert value(root, "a").span == Span(1, 4, 1, 12)


def test_anchor_and_alias_share_the_node():
    root = node("base: &b {cpu: 1}\nother: *b\nmerged:\n  <<: *b\n  memory: 2\n")
    assert value(root, "other") is value(root, "base")
    merged = value(root, "merged")
    assert isinstance(merged, YMap)
    assert merged.to_python() == {"memory": 2, "cpu": 1}
    assert merged.span == Span(4, 3, 5, 12)


# --- YAML 1.1 scalars ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yes", True),
        ("Yes", True),
        ("on", True),
        ("ON", True),
        ("y", True),
        ("true", True),
        ("no", False),
        ("off", False),
        ("n", False),
        ("False", False),
        ("0644", 420),
        ("0", 0),
        ("-0", 0),
        ("+12", 12),
        ("1_000", 1000),
        ("0x1F", 31),
        ("0b101", 5),
        ("1.5", 1.5),
        (".5", 0.5),
        ("1e3", 1000.0),
        ("6.8523015e+5", 685230.15),
        (".inf", math.inf),
        ("-.Inf", -math.inf),
        ("~", None),
        ("null", None),
        ("NULL", None),
        ("nginx", "nginx"),
        ("1.27-alpine", "1.27-alpine"),
        ("12:30", "12:30"),
        ("2001-12-14", "2001-12-14"),
        ("0o17", 15),  # Kubernetes reads plain integers with Go's ParseInt(s, 0, 64): 0o, 0x, 0b count
        ("-", "-"),
        (".", "."),
    ],
)
def test_resolve_plain(text, expected):
    assert resolve_plain(text) == expected
    assert type(resolve_plain(text)) is type(expected)


def test_nan():
    assert math.isnan(resolve_plain(".nan"))  # type: ignore[arg-type]


def test_scalars_in_a_document():
    root = node(
        """\
        plain_yes: yes
        plain_on: on
        mode: 0644
        quoted_on: "on"
        single_yes: 'yes'
        quoted_mode: "0644"
        explicit_str: !!str yes
        anchored_str: &s !!str 0644
        custom_tag: !custom on
        number_tag: !!int 7
        """
    )
    assert root.to_python() == {
        "plain_yes": True,
        "plain_on": True,
        "mode": 420,
        "quoted_on": "on",
        "single_yes": "yes",
        "quoted_mode": "0644",
        "explicit_str": "yes",
        "anchored_str": "0644",
        "custom_tag": "on",
        "number_tag": 7,
    }
    quoted = value(root, "quoted_on")
    assert isinstance(quoted, YScalar)
    assert (quoted.quoted, quoted.text) == (True, "on")
    plain = value(root, "plain_on")
    assert isinstance(plain, YScalar)
    assert (plain.quoted, plain.text, plain.value) == (False, "on", True)


def test_keys_keep_their_text():
    root = node("on: 1\n80: http\n'yes': 2\n")
    assert list(root.entries) == ["on", "80", "yes"]


# --- problems ------------------------------------------------------------------------------------


def test_duplicate_key_is_a_problem_at_the_second_key():
    source, manifest = parse(
        """\
        apiVersion: v1
        kind: Pod
        metadata:
          name: first
          name: second
        spec:
          containers: []
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: s, name: t}
        """
    )
    assert [(p.kind, p.span) for p in source.problems] == [
        ("yaml-duplicate-key", Span(5, 3, 5, 7)),
        ("yaml-duplicate-key", Span(11, 21, 11, 25)),
    ]
    assert "line 4" in source.problems[0].message
    # The rest of the file is still parsed; the last value wins, as in Kubernetes.
    assert [(r.kind, r.name) for r in manifest.resources] == [("Pod", "second"), ("Service", "t")]
    assert manifest.resources[0].node.map("spec") is not None


def test_complex_keys_are_not_duplicates():
    source = SourceFile("x.yaml", "? [a]\n: 1\n? [b]\n: 2\n", "kubernetes")
    root = parse_single(source)
    assert source.problems == []
    assert isinstance(root, YMap)
    assert len(root.entries) == 2


def test_syntax_error_keeps_the_documents_before_it():
    source, manifest = parse(
        """\
        apiVersion: v1
        kind: Pod
        metadata: {name: a}
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: b
           bad: indentation
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: c}
        """
    )
    assert [r.name for r in manifest.resources] == ["a"]
    [problem] = source.problems
    assert problem.kind == "yaml-syntax"
    assert problem.span == Span(9, 7, 9, 8)
    assert "mapping values are not allowed" in problem.message


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("a: 1\nb:\n\t- tab\n", 3, 1),
        ("a: [1, 2\nb: 3\n", 2, 2),
        ("a: 'unterminated\n", 2, 1),  # at the end of the stream: just past the last line break
        ("a: 1\nb: \x07\n", 2, 4),  # a control character (the reader's error has no mark)
        ("x: é\u2028\nb: \x07\n", 2, 4),  # ... counted in characters, not UTF-8 bytes
    ],
)
def test_syntax_error_position(text, line, column):
    source = SourceFile("x.yaml", text, "kubernetes")
    parse_manifest(source)
    assert [(p.kind, p.span.line, p.span.column) for p in source.problems] == [("yaml-syntax", line, column)]


def billion_laughs(levels: int = 9) -> str:
    lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels):
        lines.append(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_too_large():
    assert MAX_EXPANDED_NODES < 9**9  # the bomb below expands past the limit
    source, manifest = parse(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n---\n" + billion_laughs()
    )
    assert [r.name for r in manifest.resources] == ["ok"]
    [problem] = source.problems
    assert problem.kind == "yaml-too-large"
    assert "document 2" in problem.message
    assert problem.span.line == 5
    assert problem.span.end_line == 13


def test_small_alias_use_is_fine():
    source, _ = parse(billion_laughs(3))
    assert source.problems == []


@pytest.mark.parametrize("text", ["a: &a\n  b: *a\n", "&a [*a]\n", "&a {k: [*a]}\n"])
def test_self_referencing_alias_is_too_large(text):
    source, manifest = parse(text)
    assert [p.kind for p in source.problems] == ["yaml-too-large"]
    assert manifest.resources == []
    assert parse_single(SourceFile("c.yaml", text, "kubernetes")) is None


def test_deep_nesting_is_too_large():
    source, _ = parse("a: " + "[" * 3000 + "]" * 3000 + "\n")
    assert [p.kind for p in source.problems] == ["yaml-too-large"]


@pytest.mark.parametrize(
    "deep",
    [
        "data:\n  x: " + "[" * 3000 + "]" * 3000 + "\n",
        "data:\n  x: " + "{a: " * 3000 + "\n",  # unterminated as well
        "data:\n" + "  " + "- " * 3000 + "x\n",  # compact block sequences
    ],
)
def test_nesting_past_the_limit_is_too_large_and_keeps_earlier_documents(deep):
    first = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: first}\n"
    source, manifest = parse(first + "---\n" + first.replace("first", "deep") + deep + "---\n" + first)
    assert [r.name for r in manifest.resources] == ["first"]
    [problem] = source.problems
    assert (problem.kind, problem.span.line) == ("yaml-too-large", 4)
    assert "document 2" in problem.message


def test_hostile_nesting_does_not_crash_the_process():
    # A recursive composer (ruamel.yaml's C one did) overflows the C stack (SIGSEGV) on ~30,000
    # nested collections: run it in a child process, so that a regression fails this test instead
    # of killing the session.
    code = (
        "from linter.ir.source import SourceFile\n"
        "from linter.parsers.yaml import parse_manifest, parse_single\n"
        "for text in ('x: ' + '[' * 60000 + ']' * 60000, '- ' * 60000 + 'x'):\n"
        "    for parse in (parse_manifest, parse_single):\n"
        "        s = SourceFile('deep.yaml', text, 'kubernetes')\n"
        "        parse(s)\n"
        "        print([p.kind for p in s.problems])\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert r.returncode == 0, (r.returncode, r.stderr[-500:])
    assert r.stdout.split("\n")[:4] == ["['yaml-too-large']"] * 4


def test_libyaml_nesting_limit_is_too_large_even_before_the_document_starts():
    # libyaml refuses more than 1,000 levels while scanning ahead: for a flow collection at the
    # top of a document that happens before the document's first event.
    first = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: first}\n"
    deep = "[" * (MAX_NESTING + 5) + "]" * (MAX_NESTING + 5) + "\n"
    source, manifest = parse(first + "---\n" + deep)
    assert [r.name for r in manifest.resources] == ["first"]
    [problem] = source.problems
    assert problem.kind == "yaml-too-large"
    assert "document 2" in problem.message


def test_nesting_deeper_than_max_depth_within_the_parser_limit():
    source, manifest = parse(
        "a: " + "[" * 500 + "]" * 500 + "\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
    )
    assert [p.kind for p in source.problems] == ["yaml-too-large"]
    assert "document 1 is not linted: it is nested too deeply" in source.problems[0].message
    assert [r.name for r in manifest.resources] == ["p"]  # the documents after it are read


def test_a_too_large_document_reports_nothing_else():
    source, _ = parse("dup: 1\ndup: 2\n" + billion_laughs())
    assert [p.kind for p in source.problems] == ["yaml-too-large"]


def test_parse_single_second_document_wins_over_a_too_large_first():
    source = SourceFile("c.yaml", billion_laughs() + "---\nb: 2\n", "kubernetes")
    assert parse_single(source) is None
    assert [p.kind for p in source.problems] == ["yaml-syntax"]
    assert "expected a single document" in source.problems[0].message


def test_merge_keys_and_spans_around_them():
    root = node("base: &b {cpu: 1, mem: 1}\nm:\n  mem: 2\n  <<: *b\nn:\n  <<: [*b, {gpu: 1}]\n  x: 1\n")
    m = value(root, "m")
    assert m.to_python() == {"mem": 2, "cpu": 1}
    assert m.span == Span(3, 3, 3, 9)  # a trailing `<<` entry does not extend the mapping
    n = value(root, "n")
    assert n.to_python() == {"x": 1, "cpu": 1, "mem": 1, "gpu": 1}
    assert n.span == Span(6, 3, 7, 7)


def test_non_ascii_text_keeps_columns_in_code_points():
    # libyaml is given UTF-8 bytes, but its marks count characters; so do our columns.
    text = "a: {名前: \"値\", b: [é, ü]}\nc: ö\nd: 'ß'\n"
    root = node(text)
    a = value(root, "a")
    assert isinstance(a, YMap)
    assert a.key_span("名前") == Span(1, 5, 1, 7)
    assert a.entries["名前"][1].span == Span(1, 9, 1, 12)
    assert value(root, "a", "b").span == Span(1, 17, 1, 23)
    assert value(root, "c").span == Span(2, 4, 2, 5)
    assert value(root, "d").span == Span(3, 4, 3, 7)
    source = SourceFile("x.yaml", "名前: 値\nb: [é, ü\n", "kubernetes")
    parse_manifest(source)
    [problem] = source.problems
    assert (problem.kind, problem.span.line) == ("yaml-syntax", 3)


def test_the_collector_is_restored():
    assert gc.isenabled()
    parse_manifest(SourceFile("x.yaml", "a: [\n", "kubernetes"))
    parse_single(SourceFile("x.yaml", POD, "kubernetes"))
    assert gc.isenabled()
    gc.disable()
    try:
        parse_manifest(SourceFile("x.yaml", POD, "kubernetes"))
        assert not gc.isenabled()
    finally:
        gc.enable()


FALLBACK_TEXTS = [
    POD,
    POD + "---\n" + POD.replace("name: web", "name: web\n  name: again"),
    "base: &b {cpu: 1}\nother: *b\nmerged:\n  <<: *b\n  memory: 2\nscript: |\n  x\n\n",
    "a: [x, \u2028 y]\nb: 'é'\nc: !!str yes\nd: !custom on\ne: 0644\n",
    "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\nmetadata:\n  name: b\n   bad: x\n",
    billion_laughs(),
    "a: &a\n  b: *a\n",
    "a: *undefined\n",
    "x: " + "[" * (MAX_NESTING + 100) + "]" * (MAX_NESTING + 100) + "\n",
    "- " * (MAX_NESTING + 100) + "x\n",
]


def _outcome(text: str) -> tuple[object, object, object]:
    source = SourceFile("x.yaml", text, "kubernetes")
    manifest = parse_manifest(source)
    single = parse_single(SourceFile("x.yaml", text, "kubernetes"))
    return (
        [
            (r.doc_index, r.node.to_python(), [s.astuple() for s in _all_spans(r.node)])
            for r in manifest.resources
        ],
        [(p.kind, p.span.line, p.span.column) for p in source.problems],
        single.to_python() if single is not None else None,
    )


@pytest.mark.parametrize("text", FALLBACK_TEXTS)
def test_pure_python_fallback_gives_the_same_results(text, monkeypatch):
    # Without libyaml, PyYAML's pure-Python parser gives the same events (only the wording of
    # some syntax errors differs), and the same trees, spans and problems come out.
    assert yaml_parser.PARSER is not yaml_parser._PureParser  # the C parser is installed here
    expected = _outcome(text)
    monkeypatch.setattr(yaml_parser, "PARSER", yaml_parser._PureParser)
    assert _outcome(text) == expected


def test_parse_single_wants_one_document():
    source = SourceFile("c.yaml", "a: 1\n---\nb: 2\n", "kubernetes")
    assert parse_single(source) is None
    assert [(p.kind, p.span.line) for p in source.problems] == [("yaml-syntax", 2)]
    source = SourceFile("c.yaml", "", "kubernetes")
    assert parse_single(source) is None
    assert source.problems == []


# --- the pod view --------------------------------------------------------------------------------


CONTAINERS = """\
initContainers:
  - name: init
    image: busybox:1.36
    restartPolicy: Always
  - name: setup
    image: busybox:1.36
containers:
  - name: app
    image: registry:5000/app
ephemeralContainers:
  - name: debug
    image: busybox
"""


def _with_pod_spec(kind: str, api: str, path: tuple[str, ...]) -> str:
    spec = textwrap.indent(CONTAINERS, "  ")
    body = "metadata:\n  annotations: {checked: 'yes'}\nspec:\n" + spec
    for key in reversed(path):
        body = f"{key}:\n" + textwrap.indent(body, "  ")
    return f"apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: w\n" + body


WORKLOADS = [
    ("Pod", "v1", ()),
    ("Deployment", "apps/v1", ("spec", "template")),
    ("ReplicaSet", "apps/v1", ("spec", "template")),
    ("ReplicationController", "v1", ("spec", "template")),
    ("StatefulSet", "apps/v1", ("spec", "template")),
    ("DaemonSet", "apps/v1", ("spec", "template")),
    ("Job", "batch/v1", ("spec", "template")),
    ("CronJob", "batch/v1", ("spec", "jobTemplate", "spec", "template")),
    ("PodTemplate", "v1", ("template",)),
    ("DeploymentConfig", "apps.openshift.io/v1", ("spec", "template")),
]


@pytest.mark.parametrize(("kind", "api", "path"), WORKLOADS, ids=[w[0] for w in WORKLOADS])
def test_pod_view_of_every_workload(kind, api, path):
    text = _with_pod_spec(kind, api, path)
    if kind == "Pod":  # a Pod's own metadata holds the annotations
        text = text.replace(
            "metadata:\n  name: w\nmetadata:\n  annotations:", "metadata:\n  name: w\n  annotations:"
        )
    manifest = clean(text)
    [pod] = list(manifest.pods())
    assert pod.kind == kind
    assert pod.resource is manifest.resources[0]
    assert pod.template_annotations == {"checked": "yes"}
    assert [(c.name, c.type) for c in pod.containers] == [
        ("app", "container"),
        ("init", "init"),
        ("setup", "init"),
        ("debug", "ephemeral"),
    ]
    assert [c.is_sidecar for c in pod.containers] == [False, True, False, False]
    app = pod.containers[0]
    assert app.image is not None
    assert (app.image.registry, app.image.repository, app.image.tag) == ("registry:5000", "app", None)
    assert app.pod is pod
    # The container's span is its first key and value, on the line of `- name: app`.
    line = text.splitlines().index(next(x for x in text.splitlines() if x.strip() == "- name: app")) + 1
    assert app.span.line == line
    assert pod.spec is value(pod.template, "spec")


@pytest.mark.parametrize(
    "text",
    [
        "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {}\n",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {replicas: 1}\n",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template: {metadata: {}}\n",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: [not, a, map]\n",
    ],
)
def test_no_pod_view_without_a_pod_spec(text):
    [resource] = clean(text).resources
    assert PodView.of(resource) is None


def test_container_without_image_and_odd_entries():
    manifest = clean(
        """\
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          containers:
            - name: no-image
            - name: blank
              image: "  "
            - just a string
            - name: numeric
              image: 5
        """
    )
    [pod] = list(manifest.pods())
    assert [c.name for c in pod.containers] == ["no-image", "blank", "numeric"]
    assert [c.image for c in pod.containers] == [None, None, None]


def test_deepest_points_at_the_deepest_existing_key():
    [pod] = clean(POD).resources
    [view] = list(clean(POD).pods())
    container = view.containers[0].node
    assert container.deepest("image") == Span(11, 7, 11, 12)
    assert container.deepest("resources", "limits", "cpu") == Span(10, 7, 10, 16)  # the container
    assert pod.node.deepest("metadata", "labels", "tier") == Span(6, 3, 6, 9)
    assert pod.node.deepest("metadata", "name", "deeper") == Span(4, 3, 4, 7)  # a scalar ends it
    assert pod.node.deepest() == Span(1, 1, 1, 15)


def test_locate_follows_keys_and_indexes():
    [pod] = clean(POD).resources
    root = pod.node
    assert locate(root, ["spec", "containers", 0, "image"]) == Span(11, 7, 11, 12)
    assert locate(root, ["spec", "containers", 0]) == Span(10, 7, 10, 16)
    assert locate(root, ["spec", "containers", 3, "image"]) == Span(9, 3, 9, 13)
    assert locate(root, ["spec", "missing", "x"]) == Span(8, 1, 8, 5)
    assert locate(root, ["metadata", 0]) == Span(3, 1, 3, 9)  # an index into a mapping stops
    assert locate(root, []) == Span(1, 1, 1, 15)
    scalar = value(root, "apiVersion")
    assert locate(scalar, ["x"]) == scalar.span


def test_to_python_and_accessors():
    root = node("m: {a: 1}\ns: [1, two]\nv: x\n")
    assert root.to_python() == {"m": {"a": 1}, "s": [1, "two"], "v": "x"}
    assert root.map("m") is not None
    assert root.map("s") is None
    assert root.seq("s") is not None
    assert root.seq("m") is None
    assert root.scalar("v") == "x"
    assert root.scalar("m") is None
    assert root.get("missing") is None
    assert root.key_span("missing") is None
    assert YMap(Span(1, 1, 1, 2), {}).first_key_span() == Span(1, 1, 1, 2)


def test_present_treats_null_as_absent():
    # Kubernetes drops null fields: `cpu: null`, `cpu: ~` and a bare `cpu:` set nothing.
    root = node('a: null\nb: ~\nc:\nd: "null"\ne: 0\nf: {}\ng: ""\n')
    assert [k for k in "abcdefgh" if root.present(k) is None] == ["a", "b", "c", "h"]
    assert root.get("a") is not None  # the key is there all the same


def test_resource_kinds_without_api_version_are_not_resources():
    manifest = clean("kind: Pod\nmetadata: {name: p}\n---\napiVersion: v1\nmetadata: {name: q}\n")
    assert manifest.resources == []


# --- robustness ----------------------------------------------------------------------------------


def _all_spans(n: YNode) -> list[Span]:
    out = [n.span]
    if isinstance(n, YMap):
        for key, child in n.entries.values():
            out += [key.span, *_all_spans(child)]
    elif isinstance(n, YSeq):
        for item in n.items:
            out += _all_spans(item)
    return out


def test_every_prefix_of_a_manifest_parses_with_spans_inside_it():
    text = POD + "    - name: side\n      args: [a, {b: c}]\n      command: |\n        run\n\n---\n" + POD
    assert len(clean(text).resources) == 2
    for cut in range(len(text) + 1):
        source = SourceFile("m.yaml", text[:cut], "kubernetes")
        manifest = parse_manifest(source)
        for resource in manifest.resources:
            assert not [s for s in _all_spans(resource.node) if span_outside(source, s)], cut
        # A syntax error at the very end of the stream is on the line after the last one.
        assert all(p.span.line <= len(source.lines) + 1 for p in source.problems), cut
