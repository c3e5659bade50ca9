"""Regression tests for the review of rules KS402-KS420 and KS501-KS505: Windows pods, the `os`
scope key, finding positions, and the cases rule examples cannot show alone."""

from __future__ import annotations

from helpers import lint_text

LINUX_ONLY = ["KS405", "KS406", "KS411", "KS412", "KS413", "KS416"]

WINDOWS_BY_SELECTOR = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: iis
spec:
  replicas: 1
  template:
    spec:
      nodeSelector:
        kubernetes.io/os: windows
      containers:
        - name: iis
          image: iis:ltsc2022
          securityContext:
            procMount: Unmasked
            capabilities:
              add: [NET_RAW]
"""


def _codes(tmp_path, text, select):
    return [f.code for f in lint_text(tmp_path, text, "manifest.yaml", select=select)]


def test_linux_only_rules_skip_windows_pods(tmp_path):
    assert _codes(tmp_path, WINDOWS_BY_SELECTOR, LINUX_ONLY) == []
    linux = WINDOWS_BY_SELECTOR.replace("kubernetes.io/os: windows", "kubernetes.io/os: linux")
    assert set(_codes(tmp_path, linux, LINUX_ONLY)) == {"KS405", "KS406", "KS411", "KS412", "KS413", "KS416"}


def test_windows_run_as_user_message(tmp_path):
    text = WINDOWS_BY_SELECTOR.replace(
        "procMount: Unmasked", "windowsOptions: {runAsUserName: ContainerAdministrator}"
    )
    findings = lint_text(tmp_path, text, "manifest.yaml", select=["KS409"])
    assert len(findings) == 1
    assert "may run as ContainerAdministrator" in findings[0].message


def test_pod_condition_points_at_template_spec(tmp_path):
    text = WINDOWS_BY_SELECTOR.replace(
        "      nodeSelector:", "      serviceAccountName: iis\n      nodeSelector:"
    )
    findings = lint_text(tmp_path, text, "manifest.yaml", select=["KS503"])
    assert [f.span.line for f in findings] == [8]  # `spec:` of the template


def test_host_mount_names_must_be_strings(tmp_path):
    text = """\
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: app:1.0
      volumeMounts:
        - name: 5
          mountPath: /a
        - name: null
          mountPath: /b
  volumes:
    - name: 5
      hostPath: {path: /etc}
    - hostPath: {path: /etc}
"""
    assert _codes(tmp_path, text, ["KS418", "KS419"]) == []


def test_hpa_in_another_namespace_does_not_count(tmp_path):
    text = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: a
spec:
  replicas: 1
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
  namespace: b
spec:
  scaleTargetRef: {kind: Deployment, name: web}
  minReplicas: 3
"""
    assert _codes(tmp_path, text, ["KS502"]) == ["KS502"]
    assert _codes(tmp_path, text.replace("namespace: b", "namespace: a"), ["KS502"]) == []
