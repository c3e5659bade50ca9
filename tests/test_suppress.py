"""Inline suppressions: Dockerfile comments (`# shiplint ignore=`, `# shiplint global ignore=`),
the manifest annotation `shiplint.dev/ignore`, and YAML comments on or above a line."""

from __future__ import annotations

import json

import pytest
from test_cli import run_main

RESOURCES = """\
    resources:
      requests: {cpu: 100m, memory: 64Mi}
      limits: {cpu: 200m, memory: 128Mi}
"""


def findings(tmp_path, name: str, text: str, *args: str) -> list[dict]:
    (tmp_path / name).write_text(text)
    r = run_main("check", name, "--format", "json", *args, cwd=tmp_path)
    assert r.returncode in (0, 1), r.stderr
    return json.loads(r.stdout)["findings"]


def lint(tmp_path, name: str, text: str, *args: str) -> list[tuple[int, str]]:
    return [(f["line"], f["code"]) for f in findings(tmp_path, name, text, *args)]


# -- Dockerfiles --------------------------------------------------------------------------------


@pytest.mark.parametrize("selector", ["DF001", "df001", "base-image-untagged", "hadolint:DL3006", "DL3006"])
def test_dockerfile_comment_above_the_instruction(tmp_path, selector):
    text = f"# shiplint ignore={selector}\nFROM busybox AS a\nFROM alpine\n"
    assert lint(tmp_path, "Dockerfile", text) == [(3, "DF001")]


def test_dockerfile_comment_in_a_comment_block_above(tmp_path):
    text = "FROM busybox AS a\n\n# pinned by the build system\n# shiplint ignore=DF001\nFROM alpine\n"
    assert lint(tmp_path, "Dockerfile", text) == [(1, "DF001")]


def test_dockerfile_comment_applies_to_the_next_instruction_only(tmp_path):
    text = "# shiplint ignore=DF001\nFROM busybox AS a\nFROM alpine AS b\nFROM debian\n"
    assert lint(tmp_path, "Dockerfile", text) == [(3, "DF001"), (4, "DF001")]


def test_dockerfile_comment_separated_by_a_blank_line_does_not_apply(tmp_path):
    text = "FROM alpine:3.20 AS a\n# shiplint ignore=DF001\n\nFROM busybox\n"
    assert lint(tmp_path, "Dockerfile", text) == [(4, "DF001")]


def test_dockerfile_comment_with_several_codes(tmp_path):
    text = "# shiplint ignore=DF002, DF001\nFROM busybox\nFROM alpine:latest\n"
    assert lint(tmp_path, "Dockerfile", text) == [(3, "DF002")]


def test_dockerfile_comment_covers_a_continued_instruction(tmp_path):
    text = "# shiplint ignore=DF001\nFROM \\\n  busybox\nFROM alpine\n"
    assert lint(tmp_path, "Dockerfile", text) == [(4, "DF001")]


def test_dockerfile_comment_for_another_rule_does_not_apply(tmp_path):
    text = "# shiplint ignore=DF002\nFROM busybox\n"
    assert lint(tmp_path, "Dockerfile", text) == [(2, "DF001")]


def test_words_after_the_codes_are_not_selectors(tmp_path):
    """An explanation after the list must not widen it: `all` in prose silences nothing."""
    text = "# shiplint ignore=DF002 because all of these are pinned upstream\nFROM busybox\n"
    assert lint(tmp_path, "Dockerfile", text) == [(2, "DF001")]


@pytest.mark.parametrize("where", ["top", "middle", "bottom"])
def test_dockerfile_global_ignore(tmp_path, where):
    lines = ["FROM busybox AS a", "FROM alpine AS b", "FROM debian"]
    at = {"top": 0, "middle": 2, "bottom": 3}[where]
    lines.insert(at, "# shiplint global ignore=DF001")
    text = "\n".join(lines) + "\n"
    assert lint(tmp_path, "Dockerfile", text) == []


def test_dockerfile_global_ignore_only_silences_what_it_names(tmp_path):
    text = "# shiplint global ignore=base-image-latest\nFROM busybox AS a\nFROM alpine:latest\n"
    assert lint(tmp_path, "Dockerfile", text) == [(2, "DF001")]


def test_dockerfile_ignore_must_be_a_comment(tmp_path):
    # A Dockerfile comment starts a line; this `#` is an argument of RUN.
    text = "FROM busybox\nRUN echo hi # shiplint global ignore=DF001\n"
    assert (2, "DF001") not in lint(tmp_path, "Dockerfile", text)
    assert lint(tmp_path, "Dockerfile", text) == [(1, "DF001")]


def test_dockerfile_parse_errors_can_be_silenced(tmp_path):
    text = "FROM alpine:3.20\n# shiplint ignore=DF000\nFROOB x\nBLORP y\n"
    assert lint(tmp_path, "Dockerfile", text) == [(4, "DF000")]


# -- manifests ----------------------------------------------------------------------------------


# The rules these tests silence, by exact code: a prefix such as `KS2` also selects the rules that
# are off by default (KS205, KS303, KS310...), which are not what these tests are about.
RESOURCE_AND_PROBE_RULES = "KS201,KS202,KS203,KS204,KS301,KS302"


def pod(name: str, annotations: str = "", container: str = "    image: nginx:1.27\n") -> str:
    meta = f"metadata:\n  name: {name}\n" + (f"  annotations:\n{annotations}" if annotations else "")
    return f"apiVersion: v1\nkind: Pod\n{meta}spec:\n  containers:\n  - name: web\n{container}"


@pytest.mark.parametrize(
    "value",
    [
        '"KS201,KS202,KS203,KS204"',
        '"KS2"',
        '"cpu-request-missing, cpu-limit-missing,memory-request-missing,memory-limit-missing"',
        "KS201,KS202,checkov:CKV_K8S_12,KS204",
    ],
)
def test_annotation_on_the_object(tmp_path, value):
    text = pod("a", f"    shiplint.dev/ignore: {value}\n")
    got = lint(tmp_path, "pod.yaml", text, "--select", RESOURCE_AND_PROBE_RULES)
    assert sorted(c for _, c in got) == ["KS301", "KS302"]


def test_annotation_applies_to_its_own_object_only(tmp_path):
    text = pod("a", '    shiplint.dev/ignore: "KS301,KS302"\n') + "---\n" + pod("b")
    got = findings(tmp_path, "pod.yaml", text, "--select", "KS301,KS302")
    assert sorted((f["object"], f["code"]) for f in got) == [("Pod/b", "KS301"), ("Pod/b", "KS302")]


def test_annotation_on_a_deployment(tmp_path):
    text = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    shiplint.dev/ignore: "KS3"
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
"""
    got = lint(tmp_path, "d.yaml", text, "--select", RESOURCE_AND_PROBE_RULES)
    assert sorted(c for _, c in got) == ["KS201", "KS202", "KS203", "KS204"]


def test_yaml_comment_at_the_end_of_the_offending_line(tmp_path):
    text = pod("a", container="    image: nginx  # shiplint ignore=KS101\n" + RESOURCES)
    assert lint(tmp_path, "pod.yaml", text, "--select", "KS101") == []
    text = pod("a", container="    image: nginx\n" + RESOURCES)
    assert lint(tmp_path, "pod.yaml", text, "--select", "KS101") == [(8, "KS101")]


def test_yaml_comment_on_the_line_above(tmp_path):
    text = pod("a").replace(
        "  - name: web\n", "  # shiplint ignore=KS301,readiness-probe-missing\n  - name: web\n"
    )
    got = lint(tmp_path, "pod.yaml", text, "--select", RESOURCE_AND_PROBE_RULES)
    assert sorted(c for _, c in got) == ["KS201", "KS202", "KS203", "KS204"]


def test_yaml_comment_two_lines_above_does_not_apply(tmp_path):
    text = pod("a").replace("  containers:\n", "  # shiplint ignore=KS301\n  containers:\n")
    got = lint(tmp_path, "pod.yaml", text, "--select", "KS301")
    assert [c for _, c in got] == ["KS301"]


def test_yaml_comment_only_silences_its_own_line(tmp_path):
    two = (
        pod("a")
        .replace("  - name: web\n", "  - name: web  # shiplint ignore=KS301\n")
        .replace("    image: nginx:1.27\n", "    image: nginx:1.27\n  - name: api\n    image: api:1.0\n")
    )
    got = findings(tmp_path, "p.yaml", two, "--select", "KS301")
    assert [f["container"] for f in got] == ["api"]


def test_yaml_comment_silences_a_duplicate_key(tmp_path):
    text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  x: "1"\n'
    text += '  x: "2" # shiplint ignore=KS001\n'
    assert lint(tmp_path, "cm.yaml", text) == []
    assert lint(tmp_path, "cm.yaml", text.replace(" # shiplint ignore=KS001", "")) == [(6, "KS001")]


def test_suppression_of_one_rule_keeps_the_others_on_the_line(tmp_path):
    text = pod("a").replace("  - name: web\n", "  - name: web  # shiplint ignore=KS201\n")
    got = lint(tmp_path, "pod.yaml", text, "--select", "KS201,KS202")
    assert got == [(7, "KS202")]


# -- comment-like text that is not a comment ----------------------------------------------------


def test_yaml_suppression_text_inside_strings_is_not_a_comment(tmp_path):
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  s: |\n"
        "    # shiplint global ignore=all\n---\n"
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostNetwork: true\n"
        '  containers:\n  - name: a\n    image: nginx:1.27\n    args: ["# shiplint ignore=KS201"]\n'
    )
    found = lint(tmp_path, "m.yaml", text, "--select", "KS401,KS201")
    assert found == [(14, "KS401"), (16, "KS201")]


def test_pod_template_annotation_silences_rules_on_its_pods(tmp_path):
    text = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n"
        "    metadata:\n      annotations:\n        shiplint.dev/ignore: KS401\n"
        "    spec:\n      hostNetwork: true\n      containers:\n      - name: a\n        image: a:1\n"
    )
    assert lint(tmp_path, "d.yaml", text, "--select", "KS401") == []
    assert lint(tmp_path, "d.yaml", text.replace("KS401\n", "KS101\n"), "--select", "KS401") == [
        (11, "KS401")
    ]


def test_dockerfile_suppression_text_in_a_heredoc_is_not_a_comment(tmp_path):
    text = "FROM busybox\nRUN <<EOF\n# shiplint global ignore=all\necho hi\nEOF\n"
    assert lint(tmp_path, "Dockerfile", text) == [(1, "DF001")]
