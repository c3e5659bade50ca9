"""Workload, metadata, RBAC and YAML-ambiguity rules (KS5xx, KS6xx) beyond their examples; the
peer linters' suppression annotations; pod templates of custom resources; and agreement with
Polaris' and kube-linter's own fixtures for the checks these rules claim."""

from __future__ import annotations

import textwrap

import pytest
from conftest import shared_or_skip
from helpers import RULES, lint_text

from linter.config import Config
from linter.engine.load import load, parse
from linter.engine.peers import object_ignores
from linter.engine.run import Engine
from linter.ir import kubernetes as k8s
from linter.parsers.yaml import resolve_plain


def lint(tmp_path, text: str, select: list[str], parameters=None):
    return lint_text(tmp_path, textwrap.dedent(text), "manifest.yaml", select=select, parameters=parameters)


def codes(findings) -> list[tuple[str, int]]:
    return [(f.code, f.span.line) for f in findings]


# -- peer suppression annotations ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("annotations", "expected"),
    [
        ({"ignore-check.kube-linter.io/latest-tag": "pinned upstream"}, {"kube-linter:latest-tag"}),
        ({"ignore-check.kube-linter.io/run-as-non-root": ""}, {"kube-linter:run-as-non-root"}),
        ({"kube-linter.io/ignore-all": "legacy"}, {"kube-linter:*"}),
        ({"polaris.fairwinds.com/cpuLimitsMissing-exempt": "true"}, {"polaris:cpuLimitsMissing"}),
        ({"polaris.fairwinds.com/cpuLimitsMissing-exempt": "True "}, {"polaris:cpuLimitsMissing"}),
        ({"polaris.fairwinds.com/cpuLimitsMissing-exempt": "false"}, set()),
        ({"polaris.fairwinds.com/exempt": "true"}, {"polaris:*"}),
        ({"polaris.fairwinds.com/exempt": "no"}, set()),
        (
            {"kube-score/ignore": "container-resources, pod-probes,,"},
            {"kube-score:container-resources", "kube-score:pod-probes"},
        ),
        ({"checkov.io/skip1": "CKV_K8S_20=runs as root on purpose"}, {"checkov:CKV_K8S_20"}),
        ({"checkov.io/skip12": "ckv2_k8s_5"}, {"checkov:CKV2_K8S_5"}),
        ({"checkov.io/skip": "CKV_K8S_20"}, set()),  # the number is part of the key
        ({"ignore-check.kube-linter.io/": "x", "kube-score/ignore": "a b"}, set()),  # malformed ids
        ({"shiplint.dev/ignore": "KS101", "app": "web"}, set()),  # not a peer's annotation
    ],
)
def test_object_ignores(annotations, expected):
    assert object_ignores(annotations) == frozenset(expected)


def test_peer_selectors_name_the_rules_that_claim_the_peer_check():
    selectors = object_ignores(
        {"polaris.fairwinds.com/hpaMaxAvailability-exempt": "true", "checkov.io/skip1": "CKV_K8S_49"}
    )
    silenced = {r.code for r in RULES for s in selectors if r.matches(s)}
    assert silenced == {"KS510", "KS611"}


def test_whole_tool_selector_matches_only_that_tools_rules():
    by_code = {r.code: r for r in RULES}
    assert by_code["KS510"].matches("polaris:*")
    assert not by_code["KS602"].matches("polaris:*")  # no Polaris alias
    assert by_code["KS611"].matches("kube-linter:*")


HPA_EXEMPT = """\
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
  annotations:
    polaris.fairwinds.com/hpaMinAvailability-exempt: "true"
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 1
  maxReplicas: 1
"""


def test_peer_annotation_silences_the_aliased_rule_end_to_end(tmp_path):
    found = codes(lint(tmp_path, HPA_EXEMPT, ["KS509", "KS510"]))
    assert found == [("KS510", 10)]  # KS509 (hpaMinAvailability) is exempt; KS510 is not


def test_without_the_annotation_both_hpa_rules_fire(tmp_path):
    text = HPA_EXEMPT.replace("polaris.fairwinds.com/hpaMinAvailability-exempt", "example.com/note")
    assert codes(lint(tmp_path, text, ["KS509", "KS510"])) == [("KS509", 9), ("KS510", 10)]


# -- pod templates of custom resources ----------------------------------------------------------

ROLLOUT = """\
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx:latest
"""


@pytest.fixture
def templates():
    yield
    k8s.reset_pod_templates()


def test_argo_rollouts_are_linted_by_default(tmp_path):
    assert codes(lint(tmp_path, ROLLOUT, ["KS101"])) == [("KS101", 10)]


def test_a_kind_of_the_same_name_in_another_group_is_not_a_pod(tmp_path):
    text = ROLLOUT.replace("argoproj.io/v1alpha1", "example.com/v1")
    assert codes(lint(tmp_path, text, ["KS101"])) == []


def test_knative_service_is_not_mistaken_for_a_core_service(templates):
    source_text = (
        "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n"
        "spec:\n  template:\n    spec:\n      containers: [{name: a, image: a}]\n"
    )
    from linter.ir.source import SourceFile
    from linter.parsers.yaml import parse_manifest

    manifest = parse_manifest(SourceFile("m.yaml", source_text, "kubernetes"))
    assert k8s.PodView.of(manifest.resources[0]) is None
    knative = parse_manifest(
        SourceFile("m.yaml", source_text.replace("v1", "serving.knative.dev/v1", 1), "kubernetes")
    )
    pod = k8s.PodView.of(knative.resources[0])
    assert pod is not None and [c.name for c in pod.containers] == ["a"]


def test_registered_template_path_and_api_version(tmp_path, templates):
    text = """\
    apiVersion: apps.kruise.io/v1alpha1
    kind: CloneSet
    metadata:
      name: web
    spec:
      template:
        spec:
          containers:
            - name: web
              image: nginx:latest
    """
    assert codes(lint(tmp_path, text, ["KS101"])) == []
    k8s.register_pod_template("CloneSet", "spec.template", "apps.kruise.io/v1beta1")
    assert codes(lint(tmp_path, text, ["KS101"])) == []  # another version
    k8s.register_pod_template("CloneSet", "spec.template", "apps.kruise.io")
    assert codes(lint(tmp_path, text, ["KS101"])) == [("KS101", 10)]
    k8s.reset_pod_templates()
    assert codes(lint(tmp_path, text, ["KS101"])) == []


def test_registered_path_to_a_bare_pod_spec(tmp_path, templates):
    k8s.register_pod_template("Runner", ("spec", "podSpec"))
    text = """\
    apiVersion: ci.example.com/v1
    kind: Runner
    metadata:
      name: r
    spec:
      podSpec:
        containers:
          - name: r
            image: runner:latest
    """
    assert codes(lint(tmp_path, text, ["KS101"])) == [("KS101", 9)]


def test_reset_without_the_well_known_templates(tmp_path, templates):
    k8s.reset_pod_templates(well_known=False)
    assert codes(lint(tmp_path, ROLLOUT, ["KS101"])) == []


# -- YAML 1.1 scalars ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0o17", 15), ("0O17", 15), ("-0o17", -15), ("0X1F", 31), ("0B11", 3), ("-0b11", -3), ("0o19", "0o19")],
)
def test_resolve_plain_reads_integers_as_kubernetes_does(text, expected):
    # Kubernetes' YAML library resolves plain integers with Go's strconv.ParseInt(s, 0, 64).
    assert resolve_plain(text) == expected
    assert type(resolve_plain(text)) is type(expected)


def test_ambiguous_scalars(tmp_path):
    text = """\
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: app
      labels:
        tier: !!str yes
    data:
      a: on
      b: "off"
      c: 10:30
      d: 0755
      e: .inf
      f: 1.5
      g: 2.0
    """
    found = lint(tmp_path, text, ["KS601"])
    assert codes(found) == [("KS601", 8), ("KS601", 10), ("KS601", 11), ("KS601", 12), ("KS601", 14)]
    assert "the boolean true" in found[0].message
    assert "octal number 493" in found[2].message and "as 755" in found[2].message
    assert "not the text 2.0" in found[4].message


def test_ambiguous_number_only_where_a_string_is_wanted(tmp_path):
    text = """\
    apiVersion: example.com/v1
    kind: Thing
    metadata:
      name: t
    spec:
      ratio: 1.50
      args: [1.50]
    """
    assert codes(lint(tmp_path, text, ["KS601"])) == [("KS601", 7)]


# -- workloads -----------------------------------------------------------------------------------


def test_selector_mismatch_reports_the_failing_requirement(tmp_path):
    text = """\
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
    spec:
      selector:
        matchLabels: {app: web, tier: front}
      template:
        metadata:
          labels: {app: web, tier: back}
        spec:
          containers: [{name: web, image: "nginx:1"}]
    """
    (finding,) = lint(tmp_path, text, ["KS506"])
    assert finding.span.line == 6 and "tier=front" in finding.message and "tier=back" in finding.message


def test_rolling_update_severities(tmp_path):
    text = """\
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
    spec:
      replicas: 2
      strategy:
        rollingUpdate: {maxUnavailable: 2, maxSurge: 1}
      template:
        spec:
          containers: [{name: web, image: "nginx:1"}]
    """
    (finding,) = lint(tmp_path, text, ["KS508"])
    assert finding.severity == "warning"
    refused = text.replace("{maxUnavailable: 2, maxSurge: 1}", "{maxUnavailable: 0%, maxSurge: 0}")
    (finding,) = lint(tmp_path, refused, ["KS508"])
    assert finding.severity == "error"
    assert lint(tmp_path, text.replace("maxUnavailable: 2", "maxUnavailable: 1"), ["KS508"]) == []


def test_hpa_max_below_min_is_an_error(tmp_path):
    text = """\
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata: {name: web}
    spec:
      scaleTargetRef: {kind: Deployment, name: web}
      minReplicas: 4
      maxReplicas: 3
    """
    (finding,) = lint(tmp_path, text, ["KS510"])
    assert finding.severity == "error"


def test_restart_policy_of_a_cronjob_pod(tmp_path):
    text = """\
    apiVersion: batch/v1
    kind: CronJob
    metadata: {name: c}
    spec:
      schedule: "* * * * *"
      jobTemplate:
        spec:
          template:
            spec:
              restartPolicy: Always
              containers: [{name: c, image: "c:1"}]
    """
    assert codes(lint(tmp_path, text, ["KS512"])) == [("KS512", 10)]


def test_topology_spread_anti_affinity_must_select_its_own_pods(tmp_path):
    text = """\
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web}
    spec:
      replicas: 3
      template:
        metadata:
          labels: {app: web}
        spec:
          affinity:
            podAntiAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                - topologyKey: kubernetes.io/hostname
                  labelSelector: {matchLabels: {app: db}}
          containers: [{name: web, image: "nginx:1"}]
    """
    assert codes(lint(tmp_path, text, ["KS504"])) == [("KS504", 9)]
    assert lint(tmp_path, text.replace("{app: db}", "{app: web}"), ["KS504"]) == []


# -- RBAC ------------------------------------------------------------------------------------------

BINDING = """\
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: cluster-admin}
rules:
  - {apiGroups: [""], resources: [configmaps], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: NAME}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: User, name: jane}]
"""


def test_cluster_admin_is_known_by_name_whatever_the_file_defines(tmp_path):
    assert codes(lint(tmp_path, BINDING.replace("NAME", "jane"), ["KS613"])) == [("KS613", 10)]


@pytest.mark.parametrize("name", ["system:masters-admin", "cluster-admin"])
def test_kubernetes_own_bindings_are_exempt(tmp_path, name):
    assert lint(tmp_path, BINDING.replace("NAME", name), ["KS613"]) == []


def test_exempt_names_are_a_parameter(tmp_path):
    found = lint(tmp_path, BINDING.replace("NAME", "jane"), ["KS613"], {"KS613": {"exempt": ["jane"]}})
    assert found == []


def test_binding_to_a_role_of_another_file_is_not_judged(tmp_path):
    text = BINDING.split("---\n")[1].replace("NAME", "jane").replace("name: cluster-admin}", "name: ops}")
    assert lint(tmp_path, text, ["KS613", "KS614", "KS616", "KS617"]) == []


def test_exec_through_a_subresource_wildcard(tmp_path):
    text = """\
    apiVersion: rbac.authorization.k8s.io/v1
    kind: Role
    metadata: {name: r, namespace: ns}
    rules:
      - {apiGroups: [""], resources: ["pods/*"], verbs: [create]}
    """
    assert codes(lint(tmp_path, text, ["KS612"])) == [("KS612", 5)]


# -- metadata --------------------------------------------------------------------------------------


def test_names_by_kind(tmp_path):
    text = """\
    apiVersion: v1
    kind: Service
    metadata: {name: web.internal}
    ---
    apiVersion: v1
    kind: ConfigMap
    metadata: {name: web.internal, namespace: Prod}
    ---
    apiVersion: batch/v1
    kind: CronJob
    metadata: {name: a-name-that-is-exactly-fifty-three-characters-long-xyz}
    ---
    apiVersion: example.com/v1
    kind: Thing
    metadata: {name: Any_Name}
    """
    assert codes(lint(tmp_path, text, ["KS603"])) == [("KS603", 3), ("KS603", 7), ("KS603", 11)]


def test_duplicate_objects_same_group_other_version(tmp_path):
    text = """\
    apiVersion: autoscaling/v1
    kind: HorizontalPodAutoscaler
    metadata: {name: web, namespace: a}
    ---
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata: {name: web, namespace: a}
    ---
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata: {name: web, namespace: b}
    """
    assert codes(lint(tmp_path, text, ["KS602"])) == [("KS602", 7)]


# -- agreement with the peers' own fixtures ------------------------------------------------------

MY_RULES = [r for r in RULES if r.code.startswith(("KS50", "KS51", "KS6"))]
# Fixtures where shiplint disagrees on purpose (docs/compat/polaris.md says why).
POLARIS_KNOWN = {
    "clusterrolebindingPodExecAttach/failure.binding_points_to_missing_ref.yaml",
    "rolebindingClusterRolePodExecAttach/failure.binding_points_to_missing_ref.yaml",
    "rolebindingRolePodExecAttach/failure.binding_points_to_missing_ref.yaml",
    "hpaMinAvailability/success.minReplicaAbsent.yaml",
    # Untagged images: Kubernetes defaults their imagePullPolicy to Always.
    "pullPolicyNotAlways/failure.cron-job.yaml",
    "pullPolicyNotAlways/failure.yaml",
}


def _rows(path):
    lines = [line for line in path.read_text().splitlines() if line and not line.startswith("#")]
    head = lines[0].split("\t")
    return [dict(zip(head, line.split("\t"), strict=False)) for line in lines[1:]]


def _lint_file(path, rules):
    config = Config({})
    engine = Engine(RULES, config, [r.code for r in rules])
    source = load(str(path), "kubernetes", config.max_file_size).source
    return engine.lint(source, parse(source))


def test_polaris_fixtures_of_these_rules(tmp_path):
    base = shared_or_skip("corpus", "k8s", "polaris")
    wrong = []
    for row in _rows(base / "EXPECTATIONS.tsv"):
        alias = f"polaris:{row['check']}"
        rules = [r for r in MY_RULES if alias in r.aliases]
        if row["expected"] not in ("pass", "fail") or not rules or row["file"] in POLARIS_KNOWN:
            continue
        got = any(alias in f.aliases for f in _lint_file(base / row["file"], rules))
        if got != (row["expected"] == "fail"):
            wrong.append(row["file"])
    assert not wrong


def test_kube_linter_fixtures_of_these_rules():
    base = shared_or_skip("corpus", "k8s", "kube-linter")
    wrong = []
    for row in _rows(base / "EXPECTATIONS.tsv"):
        alias = f"kube-linter:{row['check']}"
        rules = [r for r in MY_RULES if alias in r.aliases]
        count = row.get("report_count", "").removeprefix("reports=")
        if not rules or not count.isdigit():
            continue
        # Selected explicitly, as kube-linter's own tests include the check they test.
        got = sum(alias in f.aliases for f in _lint_file(base / row["file"], rules))
        if got != int(count):
            wrong.append((row["file"], got, count))
    assert not wrong
