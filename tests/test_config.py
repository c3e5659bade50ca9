"""Configuration: discovery, every key, validation errors (one line naming the file and line, exit
2), user rule folders, and that a config can never make shiplint execute code."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import ROOT
from test_cli import run_main

POD = (ROOT / "examples" / "pod.yaml").read_text()
ALL_POD_CODES = [
    *("KS201", "KS202", "KS203", "KS204", "KS301", "KS302"),
    *("KS405", "KS406", "KS409", "KS411", "KS415", "KS416", "KS420", "KS501", "KS712"),
]


@pytest.fixture
def run():
    """In-process runs for the many small cases; the tests that need a process of their own (user
    rule folders, whose checks are cached per process; what must never run) take `cli`."""
    return run_main


@pytest.fixture
def repo(tmp_path):
    """A repository (a folder with .git) holding the two examples, with a sub-folder."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "Dockerfile").write_text("FROM busybox\n")
    (root / "pod.yaml").write_text(POD)
    (root / "sub").mkdir()
    return root


def lint(run, cwd: Path, *args: str):
    r = run("check", *(args or (".",)), "--format", "json", cwd=cwd)
    assert r.returncode in (0, 1), r.stderr
    return r, json.loads(r.stdout)["findings"]


def codes(found) -> list[str]:
    return sorted(f["code"] for f in found)


def config_error(r, path: Path, line: int | None) -> str:
    """Assert a config error: exit 2, nothing on stdout, one line naming the file (and line)."""
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert r.stdout == ""
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert str(path) in lines[0]
    if line is not None:
        assert re.search(rf"{re.escape(str(path))}:{line}\b", lines[0]), lines[0]
    return lines[0]


# -- discovery ----------------------------------------------------------------------------------


def test_config_in_the_working_directory(run, repo):
    (repo / ".shiplint.yaml").write_text("select: [DF001]\n")
    _, found = lint(run, repo)
    assert codes(found) == ["DF001"]


def test_config_in_a_parent_up_to_the_repository_root(cli, repo):
    (repo / ".shiplint.yaml").write_text("ignore: [KS]\n")
    _, found = lint(cli, repo / "sub", "..")
    assert codes(found) == ["DF001"]


def test_config_above_the_repository_root_is_not_used(run, repo):
    (repo.parent / ".shiplint.yaml").write_text("ignore: [KS, DF]\n")
    _, found = lint(run, repo / "sub", "..")
    assert codes(found) == ["DF001", *ALL_POD_CODES]


def test_nearest_config_wins(run, repo):
    (repo / ".shiplint.yaml").write_text("ignore: [KS]\n")
    (repo / "sub" / ".shiplint.yml").write_text("ignore: [DF]\n")
    _, found = lint(run, repo / "sub", "..")
    assert codes(found) == ALL_POD_CODES


def test_pyproject_tool_table(run, repo):
    (repo / "pyproject.toml").write_text(
        '[project]\nname = "app"\n\n[tool.shiplint]\nselect = ["KS201", "KS202", "KS203", "KS204"]\n'
        'ignore = ["KS202"]\n'
    )
    _, found = lint(run, repo)
    assert codes(found) == ["KS201", "KS203", "KS204"]


def test_pyproject_without_the_table_is_not_a_config(run, repo):
    (repo / "sub" / "pyproject.toml").write_text('[project]\nname = "app"\n')
    (repo / ".shiplint.yaml").write_text("select: [DF001]\n")
    _, found = lint(run, repo / "sub", "..")
    assert codes(found) == ["DF001"]


def test_shiplint_yaml_wins_over_pyproject_in_the_same_folder(run, repo):
    (repo / "pyproject.toml").write_text('[tool.shiplint]\nselect = ["KS301"]\n')
    (repo / ".shiplint.yaml").write_text("select: [DF001]\n")
    _, found = lint(run, repo)
    assert codes(found) == ["DF001"]


def test_explicit_config_option(run, repo, tmp_path):
    (repo / ".shiplint.yaml").write_text("select: [DF001]\n")
    other = tmp_path / "other.yaml"
    other.write_text("select: [KS301]\n")
    _, found = lint(run, repo, ".", "--config", str(other))
    assert codes(found) == ["KS301"]


# -- the keys -----------------------------------------------------------------------------------


def test_select_enable_ignore(run, repo):
    (repo / ".shiplint.yaml").write_text(
        "enable: [healthcheck-missing]\nignore: [KS2, KS3, KS4, KS5, pod-not-isolated]\n"
    )
    _, found = lint(run, repo)
    assert codes(found) == ["DF001", "DF003"]


def test_command_line_select_overrides_the_config_select(run, repo):
    (repo / ".shiplint.yaml").write_text("select: [DF001]\n")
    _, found = lint(run, repo, ".", "--select", "KS301")
    assert codes(found) == ["KS301"]


def test_severity_override_changes_the_exit_code(run, repo):
    (repo / ".shiplint.yaml").write_text("select: [KS201]\nseverity:\n  KS201: info\n")
    r, found = lint(run, repo)
    assert [(f["code"], f["severity"]) for f in found] == [("KS201", "info")]
    assert r.returncode == 0
    (repo / ".shiplint.yaml").write_text("select: [KS201]\nseverity:\n  cpu-request-missing: error\n")
    r, found = lint(run, repo, ".", "--fail-on", "error")
    assert [(f["code"], f["severity"]) for f in found] == [("KS201", "error")]
    assert r.returncode == 1


def test_parameters(run, repo):
    # KS201 checks a resource named by its parameter; point it at one the pod does set.
    (repo / "pod.yaml").write_text(
        POD.replace("    ports:", "    resources:\n      requests: {memory: 1Mi}\n    ports:")
    )
    (repo / ".shiplint.yaml").write_text("select: [KS201]\n")
    _, found = lint(run, repo)
    assert codes(found) == ["KS201"]
    (repo / ".shiplint.yaml").write_text("select: [KS201]\nparameters:\n  KS201: {resource: memory}\n")
    _, found = lint(run, repo)
    assert codes(found) == []


def test_per_path_ignores(run, repo):
    (repo / "sub" / "Dockerfile").write_text("FROM busybox\n")
    (repo / ".shiplint.yaml").write_text("per-path-ignores:\n  'sub/*': [DF001]\n  '*.yaml': [KS]\n")
    _, found = lint(run, repo)
    assert [(f["code"], f["path"]) for f in found] == [("DF001", "./Dockerfile")]


def test_per_path_ignores_are_relative_to_the_config_file(run, repo):
    (repo / "sub" / "Dockerfile").write_text("FROM busybox\n")
    (repo / ".shiplint.yaml").write_text("per-path-ignores:\n  'sub/Dockerfile': [all]\n")
    _, found = lint(run, repo / "sub", ".", "../Dockerfile")
    assert [f["path"] for f in found] == ["../Dockerfile"]


@pytest.mark.parametrize(("fail_on", "expected"), [("error", 0), ("warning", 1), ("never", 0)])
def test_fail_on(run, repo, fail_on, expected):
    (repo / ".shiplint.yaml").write_text(f"fail-on: {fail_on}\n")
    r, _ = lint(run, repo)
    assert r.returncode == expected


def test_command_line_fail_on_overrides_the_config(run, repo):
    (repo / ".shiplint.yaml").write_text("fail-on: never\n")
    r, _ = lint(run, repo, ".", "--fail-on", "warning")
    assert r.returncode == 1


def test_max_file_size(run, repo):
    (repo / "Dockerfile").write_text("FROM busybox\n" + "# padding\n" * 300)
    (repo / ".shiplint.yaml").write_text("max-file-size: 2048\n")
    _, found = lint(run, repo, "Dockerfile")
    assert [(f["code"], f["line"]) for f in found] == [("SL001", 1)]
    assert "max-file-size" in found[0]["message"]


def test_empty_config_is_the_default(run, repo):
    (repo / ".shiplint.yaml").write_text("# nothing yet\n")
    _, found = lint(run, repo)
    assert codes(found) == ["DF001", *ALL_POD_CODES]


# -- user rule folders --------------------------------------------------------------------------

NAMESPACE_RULE = """\
code: XY001
name: namespace-missing
title: Object names no namespace
severity: error
enabled: true
language: kubernetes
target: resource
condition:
  schema:
    properties:
      metadata:
        required: [namespace]
message: "{detail}"
rationale: Objects without a namespace land wherever kubectl points.
remediation: Set metadata.namespace.
examples:
  fail:
    - code: "apiVersion: v1\\nkind: Pod\\nmetadata:\\n  name: x\\n"
      lines: [3]
  pass:
    - code: "apiVersion: v1\\nkind: Pod\\nmetadata:\\n  name: x\\n  namespace: y\\n"
"""
STRICT_TAG_RULE = """\
code: XY002
name: strict-base-image
title: Base image has no tag (strict)
severity: error
enabled: false
language: dockerfile
target: stage
check: images.base-image-untagged
message: "strict: {image}"
rationale: r
remediation: r
examples:
  fail:
    - code: "FROM busybox\\n"
      lines: [1]
  pass:
    - code: "FROM busybox:1.36\\n"
"""


def test_rule_folder_with_a_schema_condition_and_a_builtin_check(cli, repo):
    (repo / "rules").mkdir()
    (repo / "rules" / "XY001.yaml").write_text(NAMESPACE_RULE)
    (repo / "rules" / "XY002.yaml").write_text(STRICT_TAG_RULE)
    (repo / ".shiplint.yaml").write_text("rule-folders: [rules]\nselect: [XY]\n")
    r, found = lint(cli, repo)
    assert [(f["code"], f["path"], f["line"], f["severity"]) for f in found] == [
        ("XY002", "./Dockerfile", 1, "error"),
        ("XY001", "./pod.yaml", 3, "error"),
    ]
    assert found[0]["message"] == "strict: busybox"
    # The user's rules are in the catalog and have their documentation.
    r = cli("rules", "--format", "json", cwd=repo)
    assert {"XY001", "XY002"} <= {x["code"] for x in json.loads(r.stdout)["rules"]}
    r = cli("rule", "XY001", cwd=repo)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("# XY001 namespace-missing")


def test_rule_folder_rules_follow_their_enabled_flag(cli, repo):
    (repo / "rules").mkdir()
    (repo / "rules" / "XY002.yaml").write_text(STRICT_TAG_RULE)
    (repo / ".shiplint.yaml").write_text("rule-folders: [rules]\n")
    _, found = lint(cli, repo)
    assert "XY002" not in codes(found)
    (repo / ".shiplint.yaml").write_text("rule-folders: [rules]\nenable: [strict-base-image]\n")
    _, found = lint(cli, repo)
    assert "XY002" in codes(found)


def test_missing_rule_folder_names_the_config_line(cli, repo):
    (repo / ".shiplint.yaml").write_text("select: [DF001]\nrule-folders:\n  - nope\n")
    line = config_error(cli("check", ".", cwd=repo), repo / ".shiplint.yaml", 3)
    assert "nope" in line


def test_invalid_rule_file_names_the_rule_file(cli, repo):
    (repo / "rules").mkdir()
    (repo / "rules" / "XY001.yaml").write_text(NAMESPACE_RULE.replace("severity: error", "severity: fatal"))
    (repo / ".shiplint.yaml").write_text("rule-folders: [rules]\n")
    config_error(cli("check", ".", cwd=repo), repo / "rules" / "XY001.yaml", None)


def test_rule_file_with_a_yaml_error_names_file_and_line(cli, repo):
    (repo / "rules").mkdir()
    (repo / "rules" / "XY001.yaml").write_text("code: XY001\nname: [oops\n")
    (repo / ".shiplint.yaml").write_text("rule-folders: [rules]\n")
    config_error(cli("check", ".", cwd=repo), repo / "rules" / "XY001.yaml", 3)


def test_rule_code_clash_with_a_builtin(cli, repo):
    (repo / "rules").mkdir()
    (repo / "rules" / "DF001.yaml").write_text(STRICT_TAG_RULE.replace("XY002", "DF001"))
    (repo / ".shiplint.yaml").write_text("rule-folders: [rules]\n")
    line = config_error(cli("check", ".", cwd=repo), repo / "rules" / "DF001.yaml", None)
    assert "DF001" in line


def test_rule_with_an_invalid_condition_schema_is_rejected_at_load(cli, repo):
    (repo / "rules").mkdir()
    (repo / "rules" / "XY001.yaml").write_text(NAMESPACE_RULE.replace("required: [namespace]", "type: 5"))
    (repo / ".shiplint.yaml").write_text("rule-folders: [rules]\n")
    r = cli("check", ".", cwd=repo)
    assert "internal error" not in r.stderr
    config_error(r, repo / "rules" / "XY001.yaml", None)


@pytest.mark.parametrize("ref", ["http://127.0.0.1:9/schema.json", "file:///etc/passwd", "other.json#/x"])
def test_rule_condition_may_not_reference_anything_outside_itself(cli, repo, ref):
    # Refused at load, before anything could be fetched: linting never reaches the network.
    (repo / "rules").mkdir()
    rule = NAMESPACE_RULE.replace("required: [namespace]", f"$ref: {json.dumps(ref)}")
    (repo / "rules" / "XY001.yaml").write_text(rule)
    (repo / ".shiplint.yaml").write_text("rule-folders: [rules]\n")
    r = cli("check", ".", cwd=repo)
    assert "only local references" in config_error(r, repo / "rules" / "XY001.yaml", None)


# -- a config never executes code ---------------------------------------------------------------


def test_rule_may_only_name_a_builtin_check(cli, repo):
    (repo / "rules").mkdir()
    for ref in ("os.system", "subprocess.cli", "checks.images"):
        (repo / "rules" / "XY002.yaml").write_text(STRICT_TAG_RULE.replace("images.base-image-untagged", ref))
        (repo / ".shiplint.yaml").write_text("rule-folders: [rules]\n")
        r = cli("check", ".", cwd=repo)
        config_error(r, repo / "rules" / "XY002.yaml", None)


def test_python_tags_are_never_constructed(cli, repo):
    marker = repo / "pwned"
    payload = f'!!python/object/apply:os.system ["touch {marker}"]'
    (repo / "rules").mkdir()
    (repo / "rules" / "XY002.yaml").write_text(STRICT_TAG_RULE.replace('"strict: {image}"', payload))
    (repo / ".shiplint.yaml").write_text("rule-folders: [rules]\n")
    r = cli("check", ".", cwd=repo)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    (repo / "rules" / "XY002.yaml").unlink()
    (repo / ".shiplint.yaml").write_text(f"select: {payload}\n")
    r = cli("check", ".", cwd=repo)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    (repo / ".shiplint.yaml").write_text(f"parameters:\n  KS201: {{resource: {payload}}}\n")
    cli("check", ".", cwd=repo)
    assert not marker.exists()


# -- errors: one line, file and line, exit 2 ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("select: [DF001]\nbogus: 1\n", 2, ["bogus"]),
        ("select: [DF001]\nseverity:\n  DF001: fatal\n", 3, ["fatal"]),
        ("ignore: DF001\n", 1, ["ignore"]),
        ("fail-on: sometimes\n", 1, ["fail-on"]),
        ("\n\nmax-file-size: 10\n", 3, ["max-file-size"]),
        ("per-path-ignores:\n  'a/*': DF001\n", 2, ["per-path-ignores"]),
        ("parameters:\n  KS201: memory\n", 2, ["parameters"]),
        ("select: [DF001\n", 2, []),
        ("select: [DF001]\nignore: [KS]\nselect: [KS201]\n", 3, ["select"]),
        ("- DF001\n", 1, ["mapping"]),
        ("select: [DF001, base-image-untaged]\n", 1, ["base-image-untaged"]),
        ("ignore:\n  - KS201\n  - KS999\n", 3, ["KS999"]),
        ("severity:\n  DF001: info\n  nope-rule: error\n", 3, ["nope-rule"]),
        ("parameters:\n  KS201:\n    resource: memory\n    reosurce: cpu\n", 4, ["reosurce"]),
        ("per-path-ignores:\n  'a/*': [DF001]\n  'b/*': [DFF001]\n", 3, ["DFF001"]),
        ("fail-on: error\nrule-folders: ['']\n", 2, ["rule-folders"]),
    ],
    ids=[
        "unknown-key",
        "bad-severity",
        "not-a-list",
        "bad-fail-on",
        "max-file-size-too-small",
        "per-path-not-a-list",
        "parameters-not-a-mapping",
        "yaml-syntax",
        "duplicate-key",
        "not-a-mapping",
        "unknown-rule-in-select",
        "unknown-rule-in-ignore",
        "unknown-rule-in-severity",
        "unknown-parameter",
        "unknown-rule-in-per-path-ignores",
        "empty-rule-folder",
    ],
)
def test_bad_yaml_config(run, repo, text, line, words):
    path = repo / ".shiplint.yaml"
    path.write_text(text)
    message = config_error(run("check", ".", cwd=repo), path, line)
    for w in words:
        assert w in message


def test_bad_config_given_with_the_option(cli, repo, tmp_path):
    path = tmp_path / "ci.yaml"
    path.write_text("select: [DF001]\n\nfail-on: sometimes\n")
    config_error(cli("check", ".", "--config", str(path), cwd=repo), path, 3)


def test_config_that_is_not_utf8(cli, repo):
    path = repo / ".shiplint.yaml"
    path.write_bytes(b"select: [DF001]\n# caf\xe9\n")
    config_error(cli("check", ".", cwd=repo), path, 2)


def test_config_alias_bomb(run, repo):
    path = repo / ".shiplint.yaml"
    rows = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i, name in enumerate("bcdefgh"):
        prev = "abcdefgh"[i]
        rows.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    path.write_text("\n".join(rows) + "\n")
    config_error(run("check", ".", cwd=repo), path, 1)


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('[project]\nname = "x"\n\n[tool.shiplint]\nselect = ["DF001"]\nbogus = 1\n', 6, ["bogus"]),
        ('[project]\nname = "x"\n\n[tool.shiplint]\nselect = ["DF001"]\nfail-on = "bad"\n', 6, ["fail-on"]),
        ('[tool.shiplint]\nselect = ["DF001"\n', 2, ["TOML"]),
        ('[tool.shiplint]\nselect = "DF001" "x"\n', 2, ["TOML"]),
        (
            '[tool.shiplint]\nselect = ["DF001"]\n\n[tool.shiplint.parameters.KS201]\nresource = "cpu"\n\n'
            '[tool.shiplint.severity]\nDF001 = "fatal"\n',
            8,
            ["severity"],
        ),
        ('[tool.shiplint]\nselect = ["DF001"]\nseverity.DF001 = "fatal"\n', 3, ["severity"]),
        (
            '[tool.ruff]\nselect = ["E"]\n[tool.shiplint]\nfail-on = "error"\nselect = "DF001"\n',
            5,
            ["select"],
        ),
    ],
    ids=[
        "unknown-key",
        "bad-value",
        "unclosed-array",
        "syntax",
        "sub-table",
        "dotted-key",
        "other-tool-first",
    ],
)
def test_bad_pyproject_config(run, repo, text, line, words):
    path = repo / "pyproject.toml"
    path.write_text(text)
    message = config_error(run("check", ".", cwd=repo), path, line)
    for w in words:
        assert w in message


def test_config_errors_stop_rules_and_rule_too(run, repo):
    path = repo / ".shiplint.yaml"
    path.write_text("bogus: 1\n")
    config_error(run("rules", cwd=repo), path, 1)
    config_error(run("rule", "DF001", cwd=repo), path, 1)


# -- the schema ---------------------------------------------------------------------------------


def test_config_schema_is_valid_and_accepts_every_documented_key():
    from jsonschema import Draft202012Validator

    schema = json.loads((ROOT / "schemas" / "config.schema.json").read_text())
    Draft202012Validator.check_schema(schema)
    full = {
        "select": ["DF001", "KS"],
        "enable": ["healthcheck-missing"],
        "ignore": ["hadolint:DL3006"],
        "severity": {"KS201": "info"},
        "parameters": {"KS201": {"resource": "cpu"}},
        "per-path-ignores": {"charts/**": ["KS"]},
        "rule-folders": ["rules"],
        "fail-on": "error",
        "max-file-size": 1048576,
    }
    assert list(Draft202012Validator(schema).iter_errors(full)) == []
    assert list(Draft202012Validator(schema).iter_errors({"selct": ["DF001"]}))


def test_the_most_specific_selector_wins_whatever_the_order(run, repo):
    for body in ("severity: {KS202: error, KS: info}\n", "severity: {KS: info, KS202: error}\n"):
        (repo / ".shiplint.yaml").write_text(body)
        _r, found = lint(run, repo, "pod.yaml")
        sev = {f["code"]: f["severity"] for f in found}
        assert sev["KS202"] == "error" and sev["KS201"] == "info", body


def test_empty_select_is_a_config_error(run, repo):
    (repo / ".shiplint.yaml").write_text("select: []\n")
    config_error(run("check", ".", cwd=repo), repo / ".shiplint.yaml", 1)


def test_a_rule_that_fails_does_not_hide_the_other_findings(run, repo, monkeypatch):
    # A defect in one check (simulated) is an internal error (exit 2, one line), and every other
    # rule still reports.
    from linter.checks import find_check

    def broken(node, ctx):
        raise ValueError("simulated defect")

    monkeypatch.setattr(find_check("images.base-image-latest"), "fn", broken)
    r = run("check", "Dockerfile", "--format", "json", cwd=repo)
    assert r.returncode == 2
    assert "rule DF002 failed: ValueError: simulated defect" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert [f["code"] for f in json.loads(r.stdout)["findings"]] == ["DF001"]


def test_a_parameter_of_the_wrong_type_is_a_config_error(run, repo):
    (repo / ".shiplint.yaml").write_text("parameters:\n  DF000:\n    problem: 42\n")
    line = config_error(run("check", ".", cwd=repo), repo / ".shiplint.yaml", 3)
    assert "DF000" in line
