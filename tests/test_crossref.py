"""Cross-object checks (linter/checks/crossref.py) over object summaries (linter/ir/inventory.py).

The project phase of the engine calls each project rule once with the summaries of every object of
the run. These tests do the same by hand: parse, summarise, call the check, so that the checks and
their rule examples are tested on their own.
"""

from __future__ import annotations

import os
import pickle
import textwrap
from pathlib import Path

import pytest
from helpers import RULES

from linter.checks import Context, find_check
from linter.engine.load import load, parse
from linter.ir.inventory import ObjectSummary, Selector, summarize
from linter.ir.kubernetes import Manifest
from linter.ir.source import Span

MINE = [r for r in RULES if r.code.startswith("KS7")]
PROJECT = [r for r in MINE if r.target == "project"]
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "k8s"


def manifest(path: Path) -> Manifest:
    m = parse(load(str(path), "kubernetes", 10**7).source)
    assert isinstance(m, Manifest)
    return m


def summaries(tmp_path: Path, files: dict[str, str]) -> list[ObjectSummary]:
    out: list[ObjectSummary] = []
    for name, text in sorted(files.items()):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
        out.extend(summarize(manifest(path)))
    return out


def run(code: str, objects: list[ObjectSummary], params: dict[str, object] | None = None) -> list[tuple]:
    """(object id, file name, line, args) of each finding of a rule, in the order given."""
    rule = next(r for r in RULES if r.code == code)
    check = find_check(rule.check or "")
    assert check is not None
    ctx = Context({**rule.parameters, **(params or {})}, None, None)  # type: ignore[arg-type]
    return [
        (o.object_id, os.path.basename(o.path), span.line, args) for o, span, args in check.fn(objects, ctx)
    ]


# -- the rules' own examples, through the project phase as the engine will run it ---------------

EXAMPLES = [
    pytest.param(rule, outcome, ex, id=f"{rule.code}-{outcome}{i}")
    for rule in PROJECT
    for outcome in ("fail", "pass")
    for i, ex in enumerate(rule.examples[outcome])
]


@pytest.mark.parametrize(("rule", "outcome", "example"), EXAMPLES)
def test_project_rule_example(tmp_path, rule, outcome, example):
    # `also`: other files of the example's directory (name: text); only findings on the example's
    # own file count, as in tests/test_rule_examples.py.
    objects = summaries(tmp_path, {**example.get("also", {}), "manifest.yaml": example["code"]})
    found = run(rule.code, objects, example.get("parameters"))
    got = sorted(line for _, name, line, _ in found if name == "manifest.yaml")
    if outcome == "fail":
        assert got == example["lines"]
    else:
        assert got == []


def test_my_rules_have_unique_codes_in_my_range():
    assert PROJECT, "the KS7xx rules were not found"
    for rule in MINE:
        assert 701 <= int(rule.code[2:]) <= 799
        if rule.target == "project":
            assert rule.check and rule.check.startswith("crossref.")


# -- summaries ---------------------------------------------------------------------------------

DEPLOY = """\
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
      namespace: {ns}
    spec:
      replicas: {replicas}
      selector:
        matchLabels: {{app: web}}
      template:
        metadata:
          labels: {{app: web, tier: front}}
        spec:
          containers:
            - name: web
              image: nginx:1.27
              ports:
                - {{name: http, containerPort: 8080}}
    """


def deployment(ns: str = "default", replicas: int = 3) -> str:
    return DEPLOY.format(ns=ns, replicas=replicas)


def test_summaries_pickle_and_keep_spans(tmp_path):
    objects = summaries(tmp_path, {"a.yaml": deployment()})
    (web,) = pickle.loads(pickle.dumps(objects))
    assert (web.kind, web.name, web.namespace, web.replicas) == ("Deployment", "web", "default", 3)
    assert web.pod_labels == {"app": "web", "tier": "front"}
    assert web.span == Span(2, 1, 2, 5)
    assert web.replicas_span == Span(7, 13, 7, 14)
    assert [(p.name, p.number) for p in web.container_ports] == [("http", 8080)]


def test_cronjob_template_and_references(tmp_path):
    objects = summaries(
        tmp_path,
        {
            "job.yaml": """\
            apiVersion: batch/v1
            kind: CronJob
            metadata: {name: report}
            spec:
              schedule: "0 * * * *"
              jobTemplate:
                spec:
                  template:
                    metadata:
                      labels: {job: report}
                    spec:
                      serviceAccount: reporter
                      imagePullSecrets: [{name: registry}]
                      containers:
                        - name: report
                          image: report:1
                          envFrom: [{configMapRef: {name: settings, optional: true}}]
                      volumes:
                        - name: data
                          persistentVolumeClaim: {claimName: reports}
                        - name: tls
                          projected:
                            sources: [{secret: {name: tls}}]
            """
        },
    )
    (job,) = objects
    assert job.pod_labels == {"job": "report"}
    refs = {(r.kind, r.name, r.where, r.optional) for r in job.references}
    assert refs == {
        ("ServiceAccount", "reporter", "serviceAccount", False),
        ("Secret", "registry", "imagePullSecrets", False),
        ("ConfigMap", "settings", "envFrom", True),
        ("PersistentVolumeClaim", "reports", "volume 'data'", False),
        ("Secret", "tls", "volume 'tls'", False),
    }


def test_odd_input_reads_as_absent(tmp_path):
    objects = summaries(
        tmp_path,
        {
            "odd.yaml": """\
            apiVersion: v1
            kind: Service
            metadata: {name: odd}
            spec:
              selector: [not, a, map]
              ports: {port: 80}
            ---
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata: {name: odd}
            spec:
              minAvailable: true
              selector: {matchExpressions: [{key: app}, 7]}
            ---
            apiVersion: apps/v1
            kind: Deployment
            spec: 3
            """
        },
    )
    svc, pdb, deploy = objects
    assert svc.service_selector is None and svc.service_ports == ()
    assert pdb.min_available is None and pdb.selector is not None and pdb.selector.expressions == ()
    assert deploy.pod_labels == {}
    for rule in PROJECT:
        run(rule.code, objects)  # no rule raises on them


@pytest.mark.parametrize(
    ("expressions", "labels", "matches"),
    [
        ((("tier", "In", ("front", "back")),), {"tier": "front"}, True),
        ((("tier", "In", ("back",)),), {"tier": "front"}, False),
        ((("tier", "NotIn", ("back",)),), {}, True),
        ((("tier", "Exists", ()),), {"tier": ""}, True),
        ((("tier", "DoesNotExist", ()),), {"tier": "front"}, False),
        ((("tier", "Matches", ()),), {"tier": "front"}, False),
    ],
)
def test_selector_expressions(expressions, labels, matches):
    assert Selector({}, expressions, Span(1, 1, 1, 2)).matches(labels) is matches


# -- namespaces and files ----------------------------------------------------------------------


def test_objects_relate_across_files_within_one_namespace(tmp_path):
    service = """\
        apiVersion: v1
        kind: Service
        metadata: {{name: web, namespace: {ns}}}
        spec:
          selector: {{app: web}}
          ports: [{{port: 80, targetPort: http}}]
        """
    # an unset namespace is `default`
    objects = summaries(tmp_path, {"deploy.yaml": deployment(), "svc.yaml": service.format(ns="null")})
    assert run("KS701", objects) == []
    assert run("KS702", objects) == []
    objects = summaries(tmp_path, {"deploy.yaml": deployment("shop"), "svc.yaml": service.format(ns="web")})
    assert [(f, line) for _, f, line, _ in run("KS701", objects)] == [("svc.yaml", 5)]


def test_targetport_number_doubted_only_when_every_pod_declares_ports(tmp_path):
    svc = """\
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          selector: {app: web}
          ports: [{port: 80}]
        """
    bare = """\
        apiVersion: v1
        kind: Pod
        metadata: {name: canary, labels: {app: web}}
        spec:
          containers: [{name: web, image: nginx:1.27}]
        """
    objects = summaries(tmp_path, {"a.yaml": deployment(), "b.yaml": svc})
    assert [(line, args["target"]) for _, _, line, args in run("KS702", objects)] == [(6, "port 80")]
    objects = summaries(tmp_path, {"a.yaml": deployment(), "b.yaml": svc, "c.yaml": bare})
    assert run("KS702", objects) == []


def test_autoscaler_and_budget_relations(tmp_path):
    hpa = """\
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: web}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          maxReplicas: 5
        """
    pdb = """\
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {{name: web}}
        spec:
          minAvailable: {minimum}
          selector: {{matchLabels: {{tier: front}}}}
        """
    objects = summaries(
        tmp_path, {"a.yaml": deployment(replicas=2), "b.yaml": hpa, "c.yaml": pdb.format(minimum="80%")}
    )
    assert [f for _, f, _, _ in run("KS705", objects)] == ["a.yaml"]
    assert run("KS704", objects) == []
    # the HPA's minReplicas defaults to 1: 80% of 1 is 1, every pod
    assert [(f, line) for _, f, line, _ in run("KS707", objects)] == [("c.yaml", 5)]
    assert run("KS709", objects) == []
    objects = summaries(tmp_path, {"a.yaml": deployment(replicas=4), "c.yaml": pdb.format(minimum="50%")})
    assert run("KS707", objects) == []
    objects = summaries(tmp_path, {"a.yaml": deployment(replicas=4), "c.yaml": pdb.format(minimum=4)})
    assert len(run("KS707", objects)) == 1


def test_empty_budget_selector_depends_on_api_version(tmp_path):
    pdb = """\
        apiVersion: {version}
        kind: PodDisruptionBudget
        metadata: {{name: all}}
        spec:
          maxUnavailable: 1
          selector: {{}}
        """
    objects = summaries(tmp_path, {"a.yaml": deployment(), "b.yaml": pdb.format(version="policy/v1")})
    assert run("KS706", objects) == [] and run("KS709", objects) == []
    objects = summaries(tmp_path, {"a.yaml": deployment(), "b.yaml": pdb.format(version="policy/v1beta1")})
    assert len(run("KS706", objects)) == 1 and len(run("KS709", objects)) == 1


def test_network_policy_directions(tmp_path):
    policy = """\
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: web}
        spec:
          podSelector: {matchLabels: {app: web}}
          policyTypes: [Egress]
        """
    objects = summaries(tmp_path, {"a.yaml": deployment(), "b.yaml": policy})
    (hit,) = run("KS712", objects)
    assert hit[3]["reason"] == "no NetworkPolicy restricts its ingress traffic"
    assert len(run("KS712", objects, {"directions": ["Egress"]})) == 0


def test_references_keys_and_optional(tmp_path):
    pod = """\
        apiVersion: v1
        kind: Pod
        metadata: {name: app}
        spec:
          containers:
            - name: app
              image: app:1
              env:
                - {name: A, valueFrom: {secretKeyRef: {name: creds, key: user}}}
                - {name: B, valueFrom: {secretKeyRef: {name: creds, key: password}}}
                - {name: C, valueFrom: {secretKeyRef: {name: other, key: x, optional: true}}}
          volumes:
            - name: cfg
              configMap: {name: filled-elsewhere, items: [{key: a, path: a}]}
        """
    secret = """\
        apiVersion: v1
        kind: Secret
        metadata: {name: creds}
        stringData: {user: admin}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: filled-elsewhere}
        """
    objects = summaries(tmp_path, {"pod.yaml": pod, "secret.yaml": secret})
    assert [(line, args) for _, _, line, args in run("KS715", objects)] == [
        (10, {"reason": "Secret 'creds' has no key 'password' (env)", "severity": "warning"})
    ]


def test_statefulset_claim_templates_are_not_missing_claims(tmp_path):
    sts = """\
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db}
        spec:
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec:
              containers: [{name: db, image: db:1}]
              volumes:
                - {name: data, persistentVolumeClaim: {claimName: data}}
                - {name: backup, persistentVolumeClaim: {claimName: backup}}
          volumeClaimTemplates:
            - metadata: {name: data}
        """
    objects = summaries(tmp_path, {"db.yaml": sts})
    assert [line for _, _, line, _ in run("KS715", objects)] == [12]


def test_operator_resources_make_pods(tmp_path):
    prometheus = """\
        apiVersion: monitoring.coreos.com/v1
        kind: Prometheus
        metadata: {name: main}
        spec:
          podMetadata: {labels: {team: ops}}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: prometheus}
        spec:
          selector: {prometheus: main, team: ops}
          ports: [{port: 9090}]
        """
    objects = summaries(tmp_path, {"p.yaml": prometheus})
    assert run("KS701", objects) == []


def test_servicemonitor_looks_in_its_own_namespace_by_default(tmp_path):
    service = """\
        apiVersion: v1
        kind: Service
        metadata: {name: api, namespace: shop, labels: {app: api}}
        spec: {selector: {app: api}, ports: [{port: 80}]}
        """
    monitor = """\
        apiVersion: monitoring.coreos.com/v1
        kind: ServiceMonitor
        metadata: {{name: api, namespace: monitoring}}
        spec: {{selector: {{matchLabels: {{app: api}}}}{extra}}}
        """
    objects = summaries(tmp_path, {"svc.yaml": service, "mon.yaml": monitor.format(extra="")})
    assert [(f, line) for _, f, line, _ in run("KS713", objects)] == [("mon.yaml", 4)]
    for extra in (", namespaceSelector: {any: true}", ", namespaceSelector: {matchNames: [shop]}"):
        objects = summaries(tmp_path, {"svc.yaml": service, "mon.yaml": monitor.format(extra=extra)})
        assert run("KS713", objects) == []


def test_duplicates_across_files_of_one_directory():
    from linter.checks.crossref import duplicate_object

    def obj(path: str, kind: str, name: str, ns: str | None = None, api: str = "v1") -> ObjectSummary:
        o = ObjectSummary(path, f"{kind}/{name}", kind, api, Span(2, 1, 2, 5))
        o.name, o.namespace, o.name_span = name, ns, Span(4, 9, 4, 9 + len(name))
        o.group = api.rpartition("/")[0]
        return o

    objects = [
        obj("k8s/b.yaml", "ConfigMap", "settings", "default"),
        obj("k8s/a.yaml", "ConfigMap", "settings"),
        obj("k8s/c.yaml", "Secret", "settings"),
        obj("k8s/prod/a.yaml", "ConfigMap", "settings"),
        obj("k8s/a.yaml", "Namespace", "shop"),
        obj("k8s/d.yaml", "Namespace", "shop", "ignored"),
    ]
    ctx = Context({}, None, None)  # type: ignore[arg-type]
    got = [(o.path, args["first"]) for o, _, args in duplicate_object(objects, ctx)]
    assert sorted(got) == [("k8s/b.yaml", "k8s/a.yaml:4"), ("k8s/d.yaml", "k8s/a.yaml:4")]


# -- peers' fixtures, run one file at a time as the peers' own tests run them ------------------

FIXTURES = CORPUS / "kube-linter" / "tests" / "checks"


@pytest.mark.skipif(not FIXTURES.is_dir(), reason="the shared corpus is not here")
@pytest.mark.parametrize(
    ("fixture", "code", "count"),
    [
        ("dangling-service.yml", "KS701", 2),
        ("dangling-ingress.yml", "KS703", 2),
        ("dangling-hpa.yml", "KS704", 1),
        ("pdb-min-available.yaml", "KS707", 3),
        ("dangling-networkpolicy.yml", "KS710", 1),
        ("dangling-networkpolicypeer-podselector.yml", "KS711", 1),
        ("non-existent-service-account.yml", "KS714", 2),
        ("env-var-value-from.yml", "KS715", 4),
    ],
)
def test_kube_linter_fixture_counts(fixture, code, count):
    objects = summarize(manifest(FIXTURES / fixture))
    assert len(run(code, objects)) == count


@pytest.mark.skipif(not (CORPUS / "realworld").is_dir(), reason="the shared corpus is not here")
def test_realworld_corpus_summarises_and_checks_without_error():
    objects = [
        o
        for path in sorted((CORPUS / "realworld").rglob("*"))
        if path.is_file()
        for o in summarize(manifest(path))
    ]
    assert len(objects) > 400
    for rule in PROJECT:
        run(rule.code, objects)
