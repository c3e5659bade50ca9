"""Baselines: `--write-baseline FILE` records today's findings, `--baseline FILE` reports only the
others; fingerprints make the match survive unrelated edits."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT
from jsonschema import Draft202012Validator
from test_cli import run_main

DOCKERFILE = "FROM busybox\nRUN echo hi\n"
# DF001 on the Dockerfile; KS401 on the pod (which has no containers, so no rule about its pods runs).
POD = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: true\n  containers: []\n"


@pytest.fixture
def repo(tmp_path):
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    (tmp_path / "pod.yaml").write_text(POD)
    return tmp_path


def check(cwd, *args):
    return run_main("check", ".", *args, cwd=cwd)


def test_round_trip_reports_nothing_known(repo):
    w = check(repo, "--write-baseline", "baseline.json")
    assert w.returncode == 0, w.stderr
    assert "recorded 2 findings in baseline.json" in w.stderr
    assert "DF001" in w.stdout  # the report is still printed
    r = check(repo, "--baseline", "baseline.json")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[-1] == "No findings in 2 files."
    assert "2 findings are in the baseline" in r.stderr


def test_baseline_file_is_readable_and_schema_valid(repo):
    check(repo, "--write-baseline", "baseline.json")
    doc = json.loads((repo / "baseline.json").read_text())
    schema = json.loads((ROOT / "schemas" / "baseline.schema.json").read_text())
    Draft202012Validator.check_schema(schema)
    assert list(Draft202012Validator(schema).iter_errors(doc)) == []
    assert doc["version"] == 1
    assert {(e["code"], e["path"]) for e in doc["findings"]} == {
        ("DF001", "Dockerfile"),
        ("KS401", "pod.yaml"),
    }
    # Written again from the same findings, it is the same file byte for byte (no churn in diffs).
    first = (repo / "baseline.json").read_text()
    check(repo, "--write-baseline", "baseline.json")
    assert (repo / "baseline.json").read_text() == first


def test_new_findings_are_reported_and_fail(repo):
    check(repo, "--write-baseline", "baseline.json")
    (repo / "Dockerfile").write_text("# new header\n\n" + DOCKERFILE + "FROM alpine:latest\n")
    r = check(repo, "--baseline", "baseline.json", "--format", "json")
    assert r.returncode == 1
    found = json.loads(r.stdout)["findings"]
    assert [(f["code"], f["line"]) for f in found] == [("DF002", 5)]  # DF001 moved, still known
    assert json.loads(r.stdout)["summary"]["findings"] == 1


def test_an_edited_offending_line_is_new(repo):
    check(repo, "--write-baseline", "baseline.json")
    (repo / "Dockerfile").write_text("FROM busybox AS build\nRUN echo hi\n")
    r = check(repo, "--baseline", "baseline.json", "--format", "json")
    assert [f["code"] for f in json.loads(r.stdout)["findings"]] == ["DF001"]


def test_a_fingerprint_absorbs_as_many_findings_as_it_was_recorded(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM busybox\nFROM busybox\n")
    check(tmp_path, "--write-baseline", "b.json")
    # A third copy of a known line is new, though it looks the same as the other two.
    (tmp_path / "Dockerfile").write_text("FROM busybox\nFROM busybox\nFROM busybox\n")
    r = check(tmp_path, "--baseline", "b.json", "--format", "json")
    assert [f["line"] for f in json.loads(r.stdout)["findings"]] == [3]
    # Counting by hand: the same fingerprint listed twice absorbs two findings, once absorbs one.
    doc = json.loads((tmp_path / "b.json").read_text())
    doc["findings"] = [doc["findings"][0], doc["findings"][0]]
    (tmp_path / "b.json").write_text(json.dumps(doc))
    (tmp_path / "Dockerfile").write_text("FROM busybox\n")
    r = check(tmp_path, "--baseline", "b.json")
    assert r.returncode == 0


def test_baseline_works_with_every_format(repo, tmp_path):
    check(repo, "--write-baseline", "baseline.json")
    (repo / "Dockerfile").write_text(DOCKERFILE + "FROM alpine:latest\n")
    sarif = tmp_path / "r.sarif"
    r = check(repo, "--baseline", "baseline.json", "--format", "gitlab", "--output", f"sarif={sarif}")
    assert [i["check_name"] for i in json.loads(r.stdout)] == ["DF002"]
    assert [res["ruleId"] for res in json.loads(sarif.read_text())["runs"][0]["results"]] == ["DF002"]


def test_paths_are_matched_whatever_their_spelling(repo):
    check(repo, "--write-baseline", "baseline.json")
    for args in (("Dockerfile", "pod.yaml"), ("./Dockerfile", "./pod.yaml"), (str(repo),)):
        r = run_main("check", *args, "--baseline", "baseline.json", cwd=repo)
        assert r.returncode == 0, (args, r.stdout)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read baseline"),
        ("{not json", "not valid JSON"),
        ("[]", "not a shiplint baseline"),
        ('{"version": 7, "findings": []}', "unsupported version"),
        ('{"version": 1, "findings": {}}', "must be a list"),
        ('{"version": 1, "findings": [{"code": "DF001"}]}', "findings[0] has no 'fingerprint'"),
        (b"\xff\xfe{", "not UTF-8"),
        ("[" * 100000, "baseline"),
    ],
)
def test_a_bad_baseline_is_one_line_and_exit_2(repo, content, message):
    if isinstance(content, bytes):
        (repo / "b.json").write_bytes(content)
    elif content is not None:
        (repo / "b.json").write_text(content)
    r = check(repo, "--baseline", "b.json")
    assert r.returncode == 2
    assert r.stdout == ""  # nothing was linted
    (line,) = r.stderr.splitlines()
    assert line.startswith("shiplint: ") and message in line


def test_a_baseline_that_cannot_be_written_is_exit_2(repo):
    r = check(repo, "--write-baseline", "no/such/dir/b.json")
    assert r.returncode == 2
    assert "DF001" in r.stdout  # the report was still given
    assert r.stderr.splitlines() == [
        "shiplint: cannot write baseline no/such/dir/b.json: No such file or directory"
    ]


def test_baseline_options_are_exclusive(repo):
    r = check(repo, "--baseline", "a.json", "--write-baseline", "b.json")
    assert r.returncode == 2 and "cannot be combined" in r.stderr


def test_a_baseline_from_the_command_line_of_the_process(cli, repo):
    """The real process: no traceback on a bad baseline."""
    (repo / "b.json").write_text("{")
    r = cli("check", ".", "--baseline", "b.json", cwd=repo)
    assert r.returncode == 2 and "Traceback" not in r.stderr
