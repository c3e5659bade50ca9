"""The removed/deprecated API table (schemas/kubernetes/api-versions.json), KS011, KS012 and the
"no schema" rule KS013."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT
from helpers import lint_text

from linter.kubeschema import api_status, bundled_versions, schemas

TABLE = json.loads((ROOT / "schemas" / "kubernetes" / "api-versions.json").read_text())["entries"]


def minor(v):
    a, b = v.split(".")
    return int(a), int(b)


def lint(tmp_path, text, codes, version=None):
    params = {c: {"kubernetes-version": version} for c in codes} if version else None
    found = lint_text(tmp_path, text, "manifest.yaml", select=codes, parameters=params)
    return [(f.code, f.span.line, f.span.column, f.message) for f in found]


def test_table_is_well_formed():
    keys = set()
    for e in TABLE:
        assert set(e) == {"apiVersion", "kind", "deprecated", "removed", "replacement", "source"}
        assert e["source"] in ("guide", "schemas")
        assert (e["apiVersion"], e["kind"]) not in keys
        keys.add((e["apiVersion"], e["kind"]))
        assert e["removed"] or e["deprecated"]
        if e["removed"] and e["deprecated"]:
            assert minor(e["deprecated"]) < minor(e["removed"])
        assert e["replacement"] != e["apiVersion"]


@pytest.mark.parametrize("version", bundled_versions())
def test_table_agrees_with_the_schemas(version):
    """A kind removed by the target version has no schema there; one the table only deprecates
    still has one (when the schemas know it at all)."""
    s = schemas(version)
    for e in TABLE:
        status = api_status(e["apiVersion"], e["kind"], version)
        if status is not None and status.state == "removed":
            assert not s.has(e["apiVersion"], e["kind"]), e
        if status is not None and status.replacement and e["source"] == "schemas":
            assert s.has(status.replacement, e["kind"]), (e, status.replacement)


@pytest.mark.parametrize(
    ("api", "kind", "version", "state", "replacement"),
    [
        ("policy/v1beta1", "PodDisruptionBudget", "1.30", "removed", "policy/v1"),
        ("extensions/v1beta1", "Ingress", "1.37", "removed", "networking.k8s.io/v1"),
        ("batch/v1beta1", "CronJob", "1.30", "removed", "batch/v1"),
        ("autoscaling/v2beta2", "HorizontalPodAutoscaler", "1.30", "removed", "autoscaling/v2"),
        ("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", "1.31", "deprecated",
         "flowcontrol.apiserver.k8s.io/v1"),
        ("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", "1.32", "removed",
         "flowcontrol.apiserver.k8s.io/v1"),
        ("policy/v1beta1", "PodSecurityPolicy", "1.37", "removed", ""),
        ("networking.k8s.io/v1beta1", "ServiceCIDR", "1.37", "removed", "networking.k8s.io/v1"),
    ],
)  # fmt: skip
def test_status(api, kind, version, state, replacement):
    status = api_status(api, kind, version)
    assert status is not None
    assert (status.state, status.replacement) == (state, replacement)


def test_served_apis_have_no_status():
    assert api_status("apps/v1", "Deployment", "1.37") is None
    assert api_status("networking.k8s.io/v1beta1", "ServiceCIDR", "1.36") is None


PDB = """\
apiVersion: policy/v1beta1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  minAvailable: 1
"""


def test_removed_is_an_error_naming_the_replacement(tmp_path):
    found = lint_text(tmp_path, PDB, "manifest.yaml", select=["KS011", "KS012", "KS010", "KS013"])
    assert [(f.code, f.severity, f.span.line, f.span.column, f.message, f.aliases) for f in found] == [
        (
            "KS011",
            "error",
            1,
            13,
            "PodDisruptionBudget policy/v1beta1 was removed in Kubernetes 1.25 (target 1.37): use policy/v1",
            ("pluto:removed", "kube-linter:no-extensions-v1beta"),
        )
    ]


FLOW = """\
apiVersion: flowcontrol.apiserver.k8s.io/v1beta3
kind: FlowSchema
metadata:
  name: fs
"""


def test_deprecated_is_a_warning_then_removed(tmp_path):
    codes = ["KS011", "KS012", "KS013"]
    assert lint(tmp_path, FLOW, codes, "1.31") == [
        (
            "KS012",
            1,
            13,
            "FlowSchema flowcontrol.apiserver.k8s.io/v1beta3 is deprecated since Kubernetes 1.29 and "
            "removed in 1.32: use flowcontrol.apiserver.k8s.io/v1",
        )
    ]
    assert [c for c, *_ in lint(tmp_path, FLOW, codes, "1.32")] == ["KS011"]
    assert [c for c, *_ in lint(tmp_path, FLOW, codes, "1.37")] == ["KS011"]


def test_select_by_alias(tmp_path):
    assert [c for c, *_ in lint(tmp_path, PDB, ["pluto:removed"])] == ["KS011"]
    assert [c for c, *_ in lint(tmp_path, FLOW, ["deprecated"], "1.30")] == ["KS012"]


WIDGETS = """\
apiVersion: example.com/v1
kind: Widget
metadata:
  name: a
---
apiVersion: example.com/v1
kind: Widget
metadata:
  name: b
---
apiVersion: example.com/v2
kind: Widget
metadata:
  name: c
"""


def test_missing_schema_once_per_kind_per_file(tmp_path):
    assert lint(tmp_path, WIDGETS, ["KS013"]) == [
        ("KS013", 2, 1, "no schema for example.com/v1 Widget: its objects are not validated"),
        ("KS013", 12, 1, "no schema for example.com/v2 Widget: its objects are not validated"),
    ]
    (tmp_path / "other").mkdir()
    assert len(lint(tmp_path / "other", WIDGETS, ["KS013"])) == 2  # again in another file


def test_missing_schema_is_info_and_apart_from_removed(tmp_path):
    found = lint_text(tmp_path, PDB + "---\n" + WIDGETS, "manifest.yaml", select=["KS"])
    by_code = {(f.code, f.severity) for f in found}
    assert ("KS011", "error") in by_code
    assert ("KS013", "info") in by_code
    assert not any(f.code == "KS013" and "PodDisruptionBudget" in f.message for f in found)


def test_missing_schema_depends_on_version(tmp_path):
    text = "apiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata:\n  name: s\n"
    assert lint(tmp_path, text, ["KS013"], "1.37") == []
    assert [c for c, *_ in lint(tmp_path, text, ["KS013"], "1.30")] == ["KS013"]


def test_a_crd_in_the_file_gives_the_schema(tmp_path):
    crd = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
    - {name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}
---
"""
    assert [m for *_, m in lint(tmp_path, crd + WIDGETS, ["KS013"])] == [
        "no schema for example.com/v2 Widget: its objects are not validated"
    ]
