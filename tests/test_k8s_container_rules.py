"""Container-level Kubernetes rules (images, resources, probes, security): the peers' fixtures
for the checks these rules map, and the cases single rule examples cannot show (quantities,
port names, sysctl spelling, registries, once-per-pod reporting, bad input)."""

from __future__ import annotations

import pytest
from conftest import shared_or_skip
from helpers import RULES, lint_text

from linter.checks.images import _allowed_prefix, image_location
from linter.checks.probes import port_name_problem
from linter.checks.security import sysctl_name
from linter.config import Config
from linter.engine.load import load, parse
from linter.engine.run import Engine
from linter.ir.images import ImageRef

# The Polaris checks these rules map, and the kube-linter checks, as `tool:id` aliases.
POLARIS = {
    "automountServiceAccountToken",
    "dangerousCapabilities",
    "insecureCapabilities",
    "linuxHardening",
    "resourceRange",
}
KUBE_LINTER = {
    "dnsconfig-options",
    "duplicate-env-var",
    "invalid-target-ports",
    "liveness-port",
    "privilege-escalation-container",
    "privileged-ports",
    "read-secret-from-env-var",
    "readiness-port",
    "scc-deny-privileged-container",
    "ssh-port",
    "startup-port",
    "unsafe-sysctls",
    "writable-host-mount",
}
# Polaris's resourceRange fixture is a custom check with these bounds (its check.yaml).
RESOURCE_RANGE = {"limits": {"memory": {"min": "100Mi", "max": "6G"}, "cpu": {"min": "100m", "max": "2"}}}


def _expectations(base):
    lines = [line for line in (base / "EXPECTATIONS.tsv").read_text().splitlines() if line and line[0] != "#"]
    head = lines[0].split("\t")
    return [dict(zip(head, line.split("\t"), strict=False)) for line in lines[1:]]


def _rule_for(alias: str):
    return next(r for r in RULES if alias in r.aliases)


def test_polaris_fixtures_of_the_mapped_container_checks(tmp_path):
    base = shared_or_skip("corpus", "k8s", "polaris")
    rows = [r for r in _expectations(base) if r["check"] in POLARIS and r["expected"] in ("pass", "fail")]
    assert len(rows) > 30
    wrong = []
    for row in rows:
        alias = f"polaris:{row['check']}"
        rule = _rule_for(alias)
        params = {rule.code: RESOURCE_RANGE} if row["check"] == "resourceRange" else None
        text = (base / row["file"]).read_text()
        # The default configuration, except that the resource range needs the fixture's bounds.
        findings = lint_text(tmp_path, text, "fixture.yaml", parameters=params)
        failed = any(alias in f.aliases for f in findings)
        if failed != (row["expected"] == "fail"):
            wrong.append(row["file"])
    assert wrong == []


def test_kube_linter_fixtures_of_the_mapped_container_checks(tmp_path):
    base = shared_or_skip("corpus", "k8s", "kube-linter")
    rows = [r for r in _expectations(base) if r["check"] in KUBE_LINTER]
    assert {r["check"] for r in rows} == KUBE_LINTER
    wrong = []
    for row in rows:
        alias = f"kube-linter:{row['check']}"
        rule = _rule_for(alias)
        text = (base / row["file"]).read_text()
        # kube-linter's tests include the check they test, so select the rule as they do.
        findings = lint_text(tmp_path, text, "fixture.yaml", select=[rule.code])
        got = sum(alias in f.aliases for f in findings)
        want = int(row["report_count"].removeprefix("reports="))
        if got != want:
            wrong.append((row["file"], want, got))
    assert wrong == []


def _lines(tmp_path, text, code, parameters=None):
    params = {code: parameters} if parameters else None
    return [f.span.line for f in lint_text(tmp_path, text, "m.yaml", select=[code], parameters=params)]


def _pod(container: str, pod: str = "") -> str:
    """A Pod with one container `app`; `container` and `pod` are YAML lines (already indented for
    the container's mapping and the pod spec)."""
    return (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n"
        f"{pod}"
        "  containers:\n    - name: app\n      image: app:1.0\n"
        f"{container}"
    )


@pytest.mark.parametrize(
    ("request_", "limit", "below"),
    [
        ("1Gi", "1G", True),  # 1G is 10^9 bytes, less than 2^30
        ("1G", "1Gi", False),
        ("500m", "0.5", False),
        ("0.5", "499m", True),
        ("1", "1000m", False),
        ("128Mi", "134217728", False),
        ("1e3", "999", True),
    ],
)
def test_limit_below_request_compares_quantities_by_value(tmp_path, request_, limit, below):
    text = _pod(
        f"      resources:\n        requests:\n          memory: {request_}\n"
        f"        limits:\n          memory: {limit}\n"
    )
    assert _lines(tmp_path, text, "KS206") == ([13] if below else [])


def test_limit_below_request_ignores_values_that_are_not_quantities(tmp_path):
    text = _pod(
        "      resources:\n        requests:\n          cpu: lots\n        limits:\n          cpu: 1m\n"
    )
    assert _lines(tmp_path, text, "KS206") == []


def test_resource_range_checks_requests_and_limits_separately(tmp_path):
    text = _pod(
        "      resources:\n        requests:\n          cpu: 50m\n        limits:\n          cpu: 50m\n"
    )
    assert _lines(tmp_path, text, "KS207", {"requests": {"cpu": {"min": "100m"}}}) == [11]
    assert _lines(tmp_path, text, "KS207", {"limits": {"cpu": {"max": 0.01}}}) == [13]


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("http", None),
        ("http-2", None),
        ("n-3456789012345", None),  # 15 characters
        ("n234567890123456", "longer than 15"),
        ("123456", "no letter"),
        ("HTTP", "lower-case"),
        ("web_ui", "lower-case"),
        ("-http", "starts or ends"),
        ("http-", "starts or ends"),
        ("a--b", "'--'"),
        ("", "empty"),
    ],
)
def test_port_names_follow_iana_service_names(name, problem):
    found = port_name_problem(name)
    assert (found is None) if problem is None else (found is not None and problem in found)


def test_duplicate_port_names_in_a_container(tmp_path):
    text = _pod(
        "      ports:\n        - name: http\n          containerPort: 80\n"
        "        - name: http\n          containerPort: 8080\n"
    )
    assert _lines(tmp_path, text, "KS309") == [12]


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("kernel.shm_rmid_forced", "kernel.shm_rmid_forced"),
        ("kernel/shm_rmid_forced", "kernel.shm_rmid_forced"),
        ("net/ipv4/conf/eth0.100/forwarding", "net.ipv4.conf.eth0/100.forwarding"),
        ("net.ipv4.conf.eth0/100.forwarding", "net.ipv4.conf.eth0/100.forwarding"),
    ],
)
def test_sysctl_names_are_read_with_either_separator(raw, normal):
    assert sysctl_name(raw) == normal


def test_slash_separated_unsafe_sysctl_is_reported(tmp_path):
    text = _pod("", "  securityContext:\n    sysctls:\n      - name: kernel/sem\n        value: '1'\n")
    assert _lines(tmp_path, text, "KS425") == [8]


@pytest.mark.parametrize(
    ("image", "location"),
    [
        ("nginx", "docker.io/library/nginx"),
        ("bitnami/redis:7", "docker.io/bitnami/redis"),
        ("index.docker.io/nginx", "docker.io/library/nginx"),
        ("GHCR.io/acme/api:1", "ghcr.io/acme/api"),
        ("localhost:5000/app", "localhost:5000/app"),
    ],
)
def test_image_location_is_where_the_runtime_pulls_from(image, location):
    assert image_location(ImageRef.parse(image)) == location


def test_registry_entries_match_whole_path_components(tmp_path):
    assert _allowed_prefix("Index.Docker.io/library/") == "docker.io/library"
    text = _pod("").replace("image: app:1.0", "image: ghcr.io/acme-evil/app:1.0")
    assert _lines(tmp_path, text, "KS103", {"registries": ["ghcr.io/acme"]}) == [8]
    assert _lines(tmp_path, text, "KS103", {"registries": ["ghcr.io/acme-evil"]}) == []


def test_low_id_of_the_pod_is_reported_once_but_a_container_override_again(tmp_path):
    text = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n"
        "  securityContext:\n    runAsUser: 1000\n"
        "  containers:\n"
        "    - name: a\n      image: a:1\n"
        "    - name: b\n      image: b:1\n"
        "    - name: c\n      image: c:1\n      securityContext:\n        runAsUser: 999\n"
    )
    assert _lines(tmp_path, text, "KS421") == [7, 16]


def test_confinement_of_the_container_overrides_the_pod(tmp_path):
    pod = "  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n"
    unconfined = "      securityContext:\n        appArmorProfile:\n          type: Unconfined\n"
    assert _lines(tmp_path, _pod(unconfined, pod), "KS424") == [14]
    assert _lines(tmp_path, _pod("", pod), "KS424") == []


def test_probe_ports_by_name_are_errors_and_by_number_warnings(tmp_path):
    text = _pod(
        "      ports:\n        - containerPort: 9090\n"
        "      livenessProbe:\n        tcpSocket:\n          port: 8080\n"
        "      readinessProbe:\n        httpGet:\n          port: http\n"
    )
    found = lint_text(tmp_path, text, "m.yaml", select=["KS304", "KS305"])
    assert [(f.code, f.severity) for f in found] == [("KS304", "warning"), ("KS305", "error")]


def test_a_container_without_ports_is_checked_for_port_names_only(tmp_path):
    text = _pod("      livenessProbe:\n        httpGet:\n          path: /\n          port: 8080\n")
    assert _lines(tmp_path, text, "KS304") == []


def test_probe_timing_uses_kubernetes_defaults_for_unset_fields(tmp_path):
    # period 10 by default: a 10s timeout equals it; failureThreshold 1 x 10s is not under 10s.
    text = _pod("      livenessProbe:\n        exec: {command: [true]}\n        timeoutSeconds: 10\n")
    assert _lines(tmp_path, text, "KS308") == [11]
    text = _pod("      livenessProbe:\n        exec: {command: [true]}\n        failureThreshold: 1\n")
    assert _lines(tmp_path, text, "KS308") == []


def test_duplicate_env_vars_are_reported_at_each_repeat(tmp_path):
    env = "".join(f"        - name: {n}\n          value: x\n" for n in ("A", "B", "A", "A"))
    assert _lines(tmp_path, _pod("      env:\n" + env), "KS427") == [14, 16]


MY_RULES = [
    r.code
    for r in RULES
    if r.check
    and r.check.split(".")[0] in ("images", "resources", "probes", "security")
    and r.language == "kubernetes"
]

ODD_INPUTS = [
    # Values of the wrong type wherever these rules look.
    _pod(
        "      ports: 80\n      env: {A: b}\n      envFrom: [1, null]\n      resources: []\n"
        "      livenessProbe: yes\n      readinessProbe: {httpGet: [1], tcpSocket: {port: [80]}}\n",
        "  securityContext: {sysctls: {a: b}, seccompProfile: Unconfined, seLinuxOptions: [x]}\n",
    ),
    _pod(
        "      ports:\n        - {name: 7, containerPort: http, protocol: 6}\n        - null\n"
        "      env:\n        - {name: null}\n        - {name: [A]}\n"
        "        - {valueFrom: {secretKeyRef: null}}\n"
        "      resources: {requests: {cpu: {a: 1}, memory: true}, limits: {cpu: -1, memory: 1Qi}}\n"
        "      startupProbe: {grpc: {port: true}, periodSeconds: '10', successThreshold: 0}\n"
        "      securityContext: {runAsUser: '0', runAsGroup: 1.5, appArmorProfile: {type: [Localhost]}}\n",
        "  dnsConfig: {options: [a, {name: 1}]}\n",
    ),
    # A digit that is not ASCII is no port number.
    _pod("      ports: [{containerPort: 80}]\n      livenessProbe: {tcpSocket: {port: '\u00b2'}}\n"),
    "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n"
    "spec: {ports: [{targetPort: null}, {targetPort: [1]}, 5]}\n",
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n"
    "    container.apparmor.security.beta.kubernetes.io/: x\n"
    "    container.apparmor.security.beta.kubernetes.io/app: null\n"
    "spec:\n  containers:\n    - {name: app, image: ''}\n    - 7\n",
]


@pytest.mark.parametrize("text", ODD_INPUTS)
def test_odd_values_never_make_a_rule_fail(tmp_path, text):
    path = tmp_path / "odd.yaml"
    path.write_text(text)
    params = {
        "KS103": {"registries": ["example.com"]},
        "KS207": {"requests": {"cpu": {"min": "1m"}}, "limits": {"memory": {"max": "1Gi"}}},
    }
    engine = Engine(RULES, Config({"parameters": params}), MY_RULES)
    source = load(str(path), "kubernetes", engine.config.max_file_size).source
    engine.lint(source, parse(source))
    assert engine.errors == []
