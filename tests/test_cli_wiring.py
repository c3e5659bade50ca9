"""The command-line wiring of the schema versions and the scheduling dry-run."""

from __future__ import annotations

import json

from test_cli import run_main

PDB = (
    "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: p\n"
    "spec:\n  minAvailable: 1\n  selector: {matchLabels: {app: a}}\n"
)
TYPO = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labls: {a: b}\n"
CLUSTER = """\
apiVersion: shiplint/v1
kind: Cluster
nodes:
  - name: small
    allocatable: {cpu: "1", memory: 1Gi, pods: 10}
"""
BIG = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: big
spec:
  replicas: 2
  selector: {matchLabels: {app: big}}
  template:
    metadata: {labels: {app: big}}
    spec:
      containers:
        - name: app
          image: app:1.0
          resources: {requests: {cpu: "2"}}
"""


def codes(r) -> list[tuple[str, int]]:
    return [(f["code"], f["line"]) for f in json.loads(r.stdout)["findings"]]


def test_kubernetes_version_option_and_config(tmp_path):
    (tmp_path / "pdb.yaml").write_text(PDB)
    r = run_main(
        "check",
        "pdb.yaml",
        "--format",
        "json",
        "--select",
        "KS011",
        "--kubernetes-version",
        "v1.31.4",
        cwd=tmp_path,
    )
    assert codes(r) == [("KS011", 1)] and "(target 1.31)" in r.stdout
    (tmp_path / ".shiplint.yaml").write_text('kubernetes-version: "1.30"\n')
    r = run_main("check", "pdb.yaml", "--format", "json", "--select", "KS011", cwd=tmp_path)
    assert "(target 1.30)" in r.stdout
    r = run_main("check", "pdb.yaml", "--kubernetes-version", "1.12", cwd=tmp_path)
    assert r.returncode == 2 and "no bundled schema" in r.stderr


def test_no_strict_allows_unknown_fields(tmp_path):
    (tmp_path / "cm.yaml").write_text(TYPO)
    strict = run_main("check", "cm.yaml", "--format", "json", "--select", "KS010", cwd=tmp_path)
    assert codes(strict) == [("KS010", 5)] and "labels" in strict.stdout  # did you mean
    lax = run_main("check", "cm.yaml", "--format", "json", "--select", "KS010", "--no-strict", cwd=tmp_path)
    assert codes(lax) == []


def test_check_with_a_cluster_reports_unschedulable_workloads(tmp_path):
    (tmp_path / "cluster.yaml").write_text(CLUSTER)
    (tmp_path / "big.yaml").write_text(BIG)
    r = run_main(
        "check",
        "big.yaml",
        "--format",
        "json",
        "--select",
        "KS101",
        "--cluster",
        "cluster.yaml",
        cwd=tmp_path,
    )
    assert r.returncode == 1, r.stderr
    found = json.loads(r.stdout)["findings"]
    assert [(f["code"], f["line"]) for f in found] == [("SCH001", 1)]
    assert "Insufficient cpu" in found[0]["message"]


def test_check_with_an_invalid_cluster_is_one_line_exit_2(tmp_path):
    (tmp_path / "cluster.yaml").write_text("apiVersion: shiplint/v1\nkind: Cluster\nnodes: 5\n")
    (tmp_path / "big.yaml").write_text(BIG)
    r = run_main("check", "big.yaml", "--cluster", "cluster.yaml", cwd=tmp_path)
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1 and "cluster.yaml:3" in r.stderr


def test_simulate_command(tmp_path):
    (tmp_path / "cluster.yaml").write_text(CLUSTER)
    (tmp_path / "big.yaml").write_text(BIG)
    r = run_main("simulate", "big.yaml", "--cluster", "cluster.yaml", "--format", "json", cwd=tmp_path)
    assert r.returncode == 1, r.stderr
    doc = json.loads(r.stdout)
    assert [(p["name"], p["status"]) for p in doc["pods"]] == [("big-0", "pending"), ("big-1", "pending")]
    assert doc["pods"][0]["message"].startswith("0/1 nodes are available: 1 Insufficient cpu")


WIDGET_SCHEMA = {
    "type": "object",
    "properties": {
        "apiVersion": {"type": "string"},
        "kind": {"type": "string"},
        "metadata": {"type": "object"},
        "spec": {"type": "object", "properties": {"size": {"type": "integer"}}},
    },
}
WIDGET = "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: 3\n  colour: red\n"


def test_schema_folders_validate_custom_resources(tmp_path):
    folder = tmp_path / "crds" / "example.com"
    folder.mkdir(parents=True)
    (folder / "widget_v1.json").write_text(json.dumps(WIDGET_SCHEMA))
    (tmp_path / "w.yaml").write_text(WIDGET)
    # Without the folder: one info finding, "no schema".
    r = run_main("check", "w.yaml", "--format", "json", "--select", "KS010,KS013", cwd=tmp_path)
    assert codes(r) == [("KS013", 2)]
    # With it, named in the config relative to the config file: the unknown field is an error.
    (tmp_path / ".shiplint.yaml").write_text("schema-folders: [crds]\n")
    r = run_main("check", "w.yaml", "--format", "json", "--select", "KS010,KS013", cwd=tmp_path)
    assert codes(r) == [("KS010", 7)]
    assert "colour" in json.loads(r.stdout)["findings"][0]["message"]


def test_large_runs_in_a_process_pool_report_exactly_what_one_process_does(tmp_path, cli):
    # Past PARALLEL_MIN_FILES files, a pool lints chunks in order; the report must not change.
    from linter.cli import PARALLEL_MIN_FILES

    for i in range(PARALLEL_MIN_FILES + 6):
        sub = tmp_path / f"svc{i:03d}"
        sub.mkdir()
        (sub / "Dockerfile").write_text("FROM busybox\n" if i % 2 else "FROM alpine:3.20\nFROOB\n")
        (sub / "pod.yaml").write_text(BIG.replace("name: big", f"name: big{i}"))
    (tmp_path / "broken.yaml").write_bytes(b"apiVersion: v1\nkind: Pod\n\xff\n")
    one = cli("check", ".", "--format", "json", cwd=tmp_path, env={"SHIPLINT_JOBS": "1"})
    pool = cli("check", ".", "--format", "json", cwd=tmp_path)
    assert one.returncode == pool.returncode == 1
    assert one.stdout == pool.stdout
    assert one.stderr == pool.stderr
    assert json.loads(pool.stdout)["summary"]["files"] == 2 * (PARALLEL_MIN_FILES + 6) + 1
