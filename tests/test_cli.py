"""The command line end to end: commands, options, exit codes and standard input."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

EXAMPLES = ROOT / "examples"
POD = (EXAMPLES / "pod.yaml").read_text()
# A pod that meets every rule enabled by default, with the NetworkPolicy that isolates it.
PINNED_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web}
spec:
  automountServiceAccountToken: false
  securityContext: {seccompProfile: {type: RuntimeDefault}}
  containers:
  - name: web
    image: nginx:1.27
    imagePullPolicy: Always
    resources:
      requests: {cpu: 100m, memory: 64Mi}
      limits: {cpu: 200m, memory: 128Mi}
    livenessProbe: {httpGet: {path: /healthz, port: 8080}}
    readinessProbe: {httpGet: {path: /ready, port: 8080}}
    securityContext:
      allowPrivilegeEscalation: false
      readOnlyRootFilesystem: true
      runAsNonRoot: true
      capabilities: {drop: [ALL]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress, Egress]
  ingress:
  - ports: [{port: 8080}]
"""
# The rules of resources and probes, by exact code: the prefixes KS2 and KS3 also select rules that
# are off by default (KS205, KS303, KS310...).
RESOURCE_AND_PROBE_RULES = "KS201,KS202,KS203,KS204,KS301,KS302"


def run_main(
    *args: str, cwd: Path | None = None, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """What the `cli` fixture does, in this process: the same code from `main()` down, without a
    Python start per call. For the many small cases of other test files; `cli` covers the process
    itself (exit status, tracebacks, standard streams)."""
    from linter.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved_env, saved_cwd, saved_stdin = dict(os.environ), os.getcwd(), sys.stdin
    os.environ.update({"NO_COLOR": "1", **(env or {})})
    os.environ.pop("FORCE_COLOR", None)
    sys.stdin = io.TextIOWrapper(io.BytesIO((stdin or "").encode()), encoding="utf-8")
    try:
        os.chdir(cwd or ROOT)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
    finally:
        os.chdir(saved_cwd)
        sys.stdin = saved_stdin
        os.environ.clear()
        os.environ.update(saved_env)
    return subprocess.CompletedProcess(["shiplint", *args], code, out.getvalue(), err.getvalue())


def findings(result) -> list[dict]:
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)["findings"]


def codes(result) -> list[str]:
    return sorted(f["code"] for f in findings(result))


def assert_usage_error(result, *words: str) -> None:
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for w in words:
        assert w in lines[0]


# -- the examples of the project's source material --------------------------------------------


def test_example_dockerfile_gets_df001_on_line_1(cli):
    r = cli("check", "examples/Dockerfile", "--format", "json")
    assert r.returncode == 1
    got = findings(r)
    assert [(f["code"], f["line"]) for f in got] == [("DF001", 1)]
    assert got[0]["path"] == "examples/Dockerfile"


def test_example_pod_gets_resource_and_probe_findings_at_the_container(cli):
    r = cli("check", "examples/pod.yaml", "--format", "json")
    assert r.returncode == 1
    got = findings(r)
    assert sorted((f["code"], f["line"]) for f in got) == [
        *(("KS201", 7), ("KS202", 7), ("KS203", 7), ("KS204", 7), ("KS301", 7), ("KS302", 7)),
        *(("KS405", 7), ("KS406", 7), ("KS409", 7), ("KS411", 7), ("KS415", 7), ("KS416", 7)),
        ("KS420", 10),  # containerPort: 80
        ("KS501", 8),  # the image, which leaves imagePullPolicy unset
        ("KS712", 2),  # the pod's kind: no NetworkPolicy selects it
    ]
    assert all(f["object"] == "Pod/nginx" for f in got)
    assert all(f["container"] == "nginx" for f in got if f["code"] != "KS712")
    assert not any(f["code"] == "KS101" for f in got)  # nginx:1.14.2 is tagged


def test_examples_folder_text_output(cli):
    r = cli("check", "examples")
    assert r.returncode == 1
    assert "examples/Dockerfile:1:6: DF001 [warning]" in r.stdout
    assert "examples/pod.yaml:7:5: KS201 [warning]" in r.stdout
    assert r.stdout.rstrip().splitlines()[-1] == "Found 16 findings (10 warnings, 6 info) in 2 files."
    assert r.stderr == ""


def test_default_path_is_the_working_directory(cli):
    r = cli("check", "--format", "json", cwd=EXAMPLES)
    got = findings(r)
    assert {Path(f["path"]).name for f in got} == {"Dockerfile", "pod.yaml"}
    assert json.loads(r.stdout)["summary"]["files"] == 2


def test_several_paths_and_a_file_reached_twice_is_linted_once(cli):
    r = cli("check", "examples", "examples/Dockerfile", "./examples/Dockerfile", "--format", "json")
    got = findings(r)
    assert [f["code"] for f in got].count("DF001") == 1
    assert json.loads(r.stdout)["summary"]["files"] == 2


# -- exit codes and --fail-on -------------------------------------------------------------------


def test_clean_file_exits_0(cli, tmp_path):
    (tmp_path / "pod.yaml").write_text(PINNED_POD)
    r = cli("check", str(tmp_path / "pod.yaml"))
    assert r.returncode == 0, r.stdout
    assert r.stdout.strip().splitlines()[-1] == "No findings in 1 file."


@pytest.mark.parametrize(
    ("level", "expected"), [("info", 1), ("warning", 1), ("error", 0), ("never", 0), (None, 1)]
)
def test_fail_on_with_warnings_only(cli, level, expected):
    args = ["check", "examples"] + (["--fail-on", level] if level else [])
    assert cli(*args).returncode == expected


@pytest.mark.parametrize(("level", "expected"), [("error", 1), ("never", 0)])
def test_fail_on_with_an_error(cli, tmp_path, level, expected):
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\nFROOB x\n")
    r = cli("check", str(tmp_path / "Dockerfile"), "--fail-on", level)
    assert r.returncode == expected
    assert "DF000 [error]" in r.stdout


def test_fail_on_info_counts_info_findings(cli, tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\n")
    base = ("check", str(tmp_path / "Dockerfile"), "--select", "DF003")
    assert cli(*base).returncode == 0  # DF003 is info: below the default threshold
    r = cli(*base, "--fail-on", "info")
    assert r.returncode == 1
    assert "DF003 [info]" in r.stdout


# -- --select and --ignore ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "selector", ["DF001", "df001", "base-image-untagged", "hadolint:DL3006", "DL3006", "dl3006"]
)
def test_select_by_code_name_alias_or_prefix(cli, selector):
    r = cli("check", "examples", "--format", "json", "--select", selector)
    assert codes(r) == ["DF001"]


def test_select_is_comma_separated_and_repeatable(cli):
    r = cli("check", "examples", "--format", "json", "--select", "KS201,KS202", "--select=KS301")
    assert codes(r) == ["KS201", "KS202", "KS301"]


def test_select_prefix_and_ignore(cli):
    r = cli("check", "examples", "--format", "json", "--select", "KS2", "--ignore", "cpu-limit-missing,KS203")
    assert codes(r) == ["KS201", "KS204", "KS205"]  # KS205, off by default, is selected by the prefix


def test_ignore_everything_exits_0(cli):
    r = cli("check", "examples", "--ignore", "DF", "--ignore", "KS")
    assert r.returncode == 0
    assert "No findings in 2 files." in r.stdout


def test_select_enables_a_rule_that_is_off_by_default(cli, tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\n")
    assert codes(cli("check", str(tmp_path), "--format", "json")) == []
    r = cli("check", str(tmp_path), "--format", "json", "--select", "healthcheck-missing")
    assert codes(r) == ["DF003"]


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_a_selector_that_names_no_rule_is_a_usage_error(cli, option):
    # A typo must not silently run nothing (and pass).
    r = cli("check", "examples", option, "DF001,base-image-untaged")
    assert_usage_error(r, option, "base-image-untaged")


# -- standard input -----------------------------------------------------------------------------


def test_stdin_with_stdin_filename(cli):
    r = cli(
        *("check", "-", "--stdin-filename", "x.yaml", "--format", "json"),
        *("--select", RESOURCE_AND_PROBE_RULES),
        stdin=POD,
    )
    got = findings(r)
    assert r.returncode == 1
    assert {f["path"] for f in got} == {"x.yaml"}
    assert sorted(f["code"] for f in got) == ["KS201", "KS202", "KS203", "KS204", "KS301", "KS302"]
    assert {f["line"] for f in got} == {7}


def test_stdin_without_a_name_is_judged_by_content(cli):
    r = cli("check", "-", "--format", "json", stdin="FROM busybox\n")
    assert [(f["code"], f["path"], f["line"]) for f in findings(r)] == [("DF001", "-", 1)]
    r = cli("check", "-", "--format", "json", "--select", RESOURCE_AND_PROBE_RULES, stdin=POD)
    assert len(findings(r)) == 6


def test_stdin_filename_chooses_the_language(cli):
    # The name says Dockerfile, so the YAML-looking text is a Dockerfile that does not parse.
    r = cli("check", "-", "--stdin-filename", "Containerfile", "--format", "json", stdin=POD)
    got = findings(r)
    assert got and {f["code"] for f in got} == {"DF000"}
    assert {f["path"] for f in got} == {"Containerfile"}


def test_stdin_and_files_together(cli):
    r = cli("check", "-", "examples/Dockerfile", "--stdin-filename", "x.yaml", "--format", "json", stdin=POD)
    got = findings(r)
    assert {f["path"] for f in got} == {"x.yaml", "examples/Dockerfile"}
    assert json.loads(r.stdout)["summary"]["files"] == 2


def test_stdin_filename_is_matched_by_per_path_ignores(cli, tmp_path):
    (tmp_path / ".shiplint.yaml").write_text("per-path-ignores:\n  'charts/*': [KS2]\n")
    r = cli(
        *("check", "-", "--stdin-filename", "charts/x.yaml", "--format", "json"),
        *("--select", RESOURCE_AND_PROBE_RULES),
        stdin=POD,
        cwd=tmp_path,
    )
    assert codes(r) == ["KS301", "KS302"]


# -- rules, rule, --version, --help -------------------------------------------------------------


def test_version(cli):
    from linter import __version__

    r = cli("--version")
    assert r.returncode == 0
    assert r.stdout.strip() == f"shiplint {__version__}"


def test_rules_json_lists_the_catalog(cli):
    r = cli("rules", "--format", "json")
    assert r.returncode == 0
    rules = json.loads(r.stdout)["rules"]
    by_code = {x["code"]: x for x in rules}
    for code in ("DF000", "DF001", "KS000", "KS001", "KS101", "KS201", "KS301", "SL001"):
        assert code in by_code
    for rule in rules:
        assert {"code", "name", "title", "severity", "enabled", "target", "aliases"} <= set(rule)
        assert rule["severity"] in ("error", "warning", "info")
        assert isinstance(rule["enabled"], bool)
        assert isinstance(rule["aliases"], list)
    assert by_code["DF001"]["name"] == "base-image-untagged"
    assert "hadolint:DL3006" in by_code["DF001"]["aliases"]
    assert by_code["DF003"]["enabled"] is False
    assert [x["code"] for x in rules] == sorted(by_code)


def test_rules_text_has_one_line_per_rule(cli):
    text = cli("rules")
    data = json.loads(cli("rules", "--format", "json").stdout)["rules"]
    assert text.returncode == 0
    lines = text.stdout.strip().splitlines()
    assert len(lines) == len(data)
    for line, rule in zip(lines, data):
        assert line.startswith(rule["code"])
        assert rule["name"] in line and rule["title"] in line


@pytest.mark.parametrize("wanted", ["DF001", "df001", "base-image-untagged"])
def test_rule_prints_its_docs_with_examples(cli, wanted):
    r = cli("rule", wanted)
    assert r.returncode == 0
    assert r.stdout.startswith("# DF001 base-image-untagged")
    assert "Fails" in r.stdout and "Passes" in r.stdout
    assert "FROM busybox" in r.stdout  # a failing example
    assert "FROM busybox:1.36" in r.stdout  # a passing one


def test_rule_unknown(cli):
    r = cli("rule", "XX999")
    assert r.returncode == 2
    assert r.stdout == ""
    assert "XX999" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_rule_needs_one_argument(cli):
    assert_usage_error(cli("rule"), "rule")
    assert_usage_error(cli("rule", "DF001", "DF002"), "rule")


@pytest.mark.parametrize("args", [("--help",), ("-h",), ("check", "--help"), ("rules", "-h")])
def test_help(cli, args):
    r = cli(*args)
    assert r.returncode == 0
    assert "usage: shiplint check" in r.stdout
    assert "--fail-on" in r.stdout


def test_no_arguments_prints_usage_to_stderr_and_exits_2(cli):
    r = cli()
    assert r.returncode == 2
    assert r.stdout == ""
    assert "usage: shiplint" in r.stderr


# -- usage errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("check", "--bogus"), ("--bogus",)),
        (("check", "-x", "examples"), ("-x",)),
        (("check", "--format", "xml"), ("--format", "xml")),
        (("check", "--format=yaml"), ("--format", "yaml")),
        (("check", "--fail-on", "critical"), ("--fail-on", "critical")),
        (("check", "--select"), ("--select",)),
        (("check", "examples", "--select", ""), ("--select",)),
        (("check", "examples", "--select= , "), ("--select",)),
        (("check", "--no-source=yes"), ("--no-source",)),
        (("rules", "--format", "xml"), ("--format",)),
        (("frobnicate",), ("frobnicate",)),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(cli, args, words):
    assert_usage_error(cli(*args), *words)


def test_nonexistent_config_is_exit_2(cli, tmp_path):
    r = cli("check", "examples", "--config", str(tmp_path / "nope.yaml"))
    assert_usage_error(r, "nope.yaml")


def test_double_dash_ends_the_options(cli, tmp_path):
    (tmp_path / "--weird").write_text("FROM busybox\n")
    r = cli("check", "--format", "json", "--", "--weird", cwd=tmp_path)
    assert [(f["code"], f["path"]) for f in findings(r)] == [("DF001", "--weird")]


# -- an internal failure ------------------------------------------------------------------------


def test_an_internal_failure_on_one_file_is_exit_2_and_the_others_are_linted(tmp_path, monkeypatch, capsys):
    """A defect of shiplint's own on one file (simulated here) is one line on stderr and exit 2,
    after every other file was linted and reported."""
    from linter import cli as cli_module
    from linter.engine.run import Engine

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "Dockerfile").write_text("FROM busybox\n")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "Dockerfile").write_text("FROM busybox\n")
    real_lint = Engine.lint

    def lint(self, source, document):  # type: ignore[no-untyped-def]
        if source.path.startswith("a"):
            raise ValueError("simulated defect")
        return real_lint(self, source, document)

    monkeypatch.setattr(Engine, "lint", lint)
    monkeypatch.chdir(tmp_path)
    code = cli_module.main(["check", "a", "b", "--format", "json", "--fail-on", "never"])
    out, err = capsys.readouterr()
    assert code == 2
    assert [f["path"] for f in json.loads(out)["findings"]] == ["b/Dockerfile"]
    assert err.strip().splitlines() == [
        "shiplint: internal error on a/Dockerfile: ValueError: simulated defect"
    ]
