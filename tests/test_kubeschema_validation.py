"""Schema validation (KS010): each kind of violation at the offending key's line and column,
strict and lenient modes, version switching, and CRDs validating their resources in one input."""

from __future__ import annotations

import textwrap

import pytest
from helpers import lint_text


def ks010(tmp_path, text, **params):
    findings = lint_text(
        tmp_path,
        textwrap.dedent(text),
        "manifest.yaml",
        select=["KS010"],
        parameters={"KS010": params} if params else None,
    )
    return [(f.span.line, f.span.column, f.message) for f in findings]


POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
"""


def test_valid_pod_has_no_findings(tmp_path):
    assert ks010(tmp_path, POD) == []


def test_examples_pod_is_valid(tmp_path):
    from conftest import ROOT

    assert ks010(tmp_path, (ROOT / "examples" / "pod.yaml").read_text()) == []


def test_unknown_field_with_suggestion(tmp_path):
    found = ks010(tmp_path, POD + "      imagePulPolicy: Always\n")
    assert found == [
        (
            9,
            7,
            "spec.containers[0].imagePulPolicy: unknown field 'imagePulPolicy' in Container; "
            "did you mean 'imagePullPolicy'?",
        )
    ]


def test_field_at_wrong_indentation(tmp_path):
    found = ks010(tmp_path, POD + "      limits:\n        cpu: 500m\n")
    assert found == [
        (
            9,
            7,
            "spec.containers[0].limits: unknown field 'limits' in Container; "
            "did you mean to put it under 'resources'?",
        )
    ]


def test_unknown_top_level_field(tmp_path):
    found = ks010(tmp_path, POD + "specs: {}\n")
    assert found == [(9, 1, "specs: unknown field 'specs' in Pod; did you mean 'spec'?")]


def test_unknown_field_without_any_close_name(tmp_path):
    found = ks010(tmp_path, POD + "      zzz: 1\n")
    assert found == [(9, 7, "spec.containers[0].zzz: unknown field 'zzz' in Container")]


def test_not_strict_allows_unknown_fields_but_checks_types(tmp_path):
    text = POD + "      imagePulPolicy: Always\n      tty: 'yes'\n"
    found = ks010(tmp_path, text, strict=False)
    assert found == [(10, 7, "spec.containers[0].tty: expected boolean, got string 'yes'")]


def test_wrong_types(tmp_path):
    text = """\
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
      labels:
        version: 1.10
    spec:
      replicas: "3"
      selector:
        matchLabels: {app: web}
      template:
        metadata:
          labels: {app: web}
        spec:
          containers: {name: web}
    """
    assert ks010(tmp_path, text) == [
        (6, 5, "metadata.labels.version: expected string, got number 1.10"),
        (8, 3, "spec.replicas: expected integer, got string '3'"),
        (15, 7, "spec.template.spec.containers: expected array, got a mapping"),
    ]


def test_required_field_points_at_the_item(tmp_path):
    text = """\
    apiVersion: v1
    kind: Pod
    metadata:
      name: web
    spec:
      containers:
        - name: web
          image: nginx:1.27
        - image: sidecar:1.0
    """
    assert ks010(tmp_path, text) == [
        (9, 7, "spec.containers[1]: missing required field 'name' in Container"),
    ]


def test_required_field_on_a_key(tmp_path):
    text = """\
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
    spec:
      template:
        spec:
          containers: []
    """
    assert ks010(tmp_path, text) == [(5, 1, "spec: missing required field 'selector' in DeploymentSpec")]


@pytest.mark.parametrize("port", ["80", "http", "'8080'"])
def test_int_or_string_accepts_both(tmp_path, port):
    text = f"""\
    apiVersion: v1
    kind: Service
    metadata:
      name: web
    spec:
      ports:
        - port: 80
          targetPort: {port}
    """
    assert ks010(tmp_path, text) == []


@pytest.mark.parametrize(
    ("value", "got"), [("1.5", "number 1.5"), ("true", "boolean true"), ("[80]", "a list")]
)
def test_int_or_string_rejects_others(tmp_path, value, got):
    text = f"""\
    apiVersion: v1
    kind: Service
    metadata:
      name: web
    spec:
      ports:
        - port: 80
          targetPort: {value}
    """
    assert ks010(tmp_path, text) == [
        (8, 7, f"spec.ports[0].targetPort: expected integer or string, got {got}")
    ]


def test_quantities_accept_numbers_and_strings(tmp_path):
    text = POD + "      resources:\n        limits: {cpu: 1, memory: 256Mi}\n        requests: {cpu: 0.5}\n"
    assert ks010(tmp_path, text) == []


def test_nulls_are_accepted(tmp_path):
    text = """\
    apiVersion: v1
    kind: Pod
    metadata:
      name: web
      creationTimestamp: null
      labels:
    spec:
      containers:
        - name: web
          image: nginx:1.27
          resources: {}
          ports: ~
    """
    assert ks010(tmp_path, text) == []


def test_items_of_a_list_kind(tmp_path):
    text = """\
    apiVersion: v1
    kind: List
    items:
      - apiVersion: v1
        kind: ConfigMap
        metadata:
          name: a
        data:
          n: 1
    """
    assert ks010(tmp_path, text) == [(9, 7, "data.n: expected string, got number 1")]


HOSTNAME = POD.replace("spec:\n", "spec:\n  hostnameOverride: web-0\n")


def test_version_switching(tmp_path):
    """`hostnameOverride` is in PodSpec since after 1.30: unknown there, valid in the newest."""
    assert ks010(tmp_path, HOSTNAME) == []
    assert ks010(tmp_path, HOSTNAME, **{"kubernetes-version": "1.37"}) == []
    found = ks010(tmp_path, HOSTNAME, **{"kubernetes-version": "1.30"})
    assert found == [(6, 3, "spec.hostnameOverride: unknown field 'hostnameOverride' in PodSpec")]


def test_unbundled_version_is_refused_at_config_load():
    from linter.checks import find_check

    check = find_check("kubeschema.schema-violation")
    assert check is not None
    assert check.parameter_errors({"kubernetes-version": "1.20"})
    assert not check.parameter_errors({"kubernetes-version": "1.33", "strict": False})


def test_removed_api_is_not_validated(tmp_path):
    text = """\
    apiVersion: extensions/v1beta1
    kind: Deployment
    metadata:
      name: web
    spec:
      whatever: 1
    """
    assert ks010(tmp_path, text) == []


def test_wrong_document_root_types(tmp_path):
    text = """\
    apiVersion: v1
    kind: ConfigMap
    metadata: [a]
    data: x
    """
    assert ks010(tmp_path, text) == [
        (3, 1, "metadata: expected object, got a list"),
        (4, 1, "data: expected object, got string 'x'"),
    ]


CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
    - name: v1alpha1
      served: false
      storage: false
      schema:
        openAPIV3Schema: {type: object}
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              required: [size]
              properties:
                size: {type: integer, minimum: 1, maximum: 10}
                colour: {type: string, enum: [red, green]}
                port: {x-kubernetes-int-or-string: true}
                name: {type: string, pattern: '^[a-z]+$', maxLength: 5}
                tags: {type: array, items: {type: string}, maxItems: 2}
                config: {type: object, x-kubernetes-preserve-unknown-fields: true}
                labels: {type: object, additionalProperties: {type: string}}
                template:
                  type: object
                  x-kubernetes-embedded-resource: true
                  properties:
                    spec: {type: object, x-kubernetes-preserve-unknown-fields: true}
            status:
              type: object
              x-kubernetes-preserve-unknown-fields: true
---
"""


def test_crd_and_valid_resource_in_one_input(tmp_path):
    text = CRD + textwrap.dedent("""\
    apiVersion: example.com/v1
    kind: Widget
    metadata:
      name: w
      labels: {app: w}
    spec:
      size: 3
      colour: red
      port: http
      name: abc
      tags: [a, b]
      config: {anything: {goes: [1]}}
      labels: {a: b}
      template:
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec: {containers: []}
    status: {phase: Ready}
    """)
    assert ks010(tmp_path, text) == []


def test_crd_resource_violations(tmp_path):
    text = CRD + textwrap.dedent("""\
    apiVersion: example.com/v1
    kind: Widget
    metadata:
      name: w
      lables: {app: w}
    spec:
      size: 11
      colour: blue
      port: 1.5
      name: ABCDEFG
      tags: [a, b, c]
      labels: {a: 1}
      extra: true
    """)
    found = ks010(tmp_path, text)
    assert found == [
        (46, 3, "metadata.lables: unknown field 'lables' in ObjectMeta; did you mean 'labels'?"),
        (48, 3, "spec.size: 11 is more than the maximum of 10"),
        (49, 3, "spec.colour: 'blue' is not one of 'red', 'green'"),
        (50, 3, "spec.port: expected integer or string, got number 1.5"),
        (51, 3, "spec.name: 7 characters is more than the maxLength of 5"),
        (51, 3, "spec.name: 'ABCDEFG' does not match '^[a-z]+$'"),
        (52, 3, "spec.tags: 3 items is more than the maxItems of 2"),
        (53, 12, "spec.labels.a: expected string, got number 1"),
        (54, 3, "spec.extra: unknown field 'extra' in Widget"),
    ]


def test_crd_required_field(tmp_path):
    text = CRD + "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {}\n"
    assert ks010(tmp_path, text) == [(45, 1, "spec: missing required field 'size' in Widget")]


def test_crd_version_not_served_is_not_validated(tmp_path):
    text = CRD + "apiVersion: example.com/v1alpha1\nkind: Widget\nmetadata: {name: w}\nspec: 1\n"
    assert ks010(tmp_path, text) == []


def test_crd_without_schema_accepts_anything(tmp_path):
    crd = CRD.replace("served: false", "served: true").replace("openAPIV3Schema: {type: object}", "{}")
    text = crd + "apiVersion: example.com/v1alpha1\nkind: Widget\nmetadata: {name: w}\nspec: 1\n"
    assert ks010(tmp_path, text) == []


def test_crd_itself_is_validated(tmp_path):
    text = CRD.replace("  scope: Namespaced\n", "  scope: Namespaced\n  scopes: x\n")
    found = ks010(tmp_path, text)
    assert found == [
        (9, 3, "spec.scopes: unknown field 'scopes' in CustomResourceDefinitionSpec; did you mean 'scope'?")
    ]
