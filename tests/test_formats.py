"""The CI formats (SARIF, GitHub workflow commands, GitLab Code Quality, JUnit, checkstyle), their
fingerprints, and `--output FORMAT=FILE`."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from urllib.parse import unquote

import pytest
from conftest import ROOT, shared_or_skip
from test_cli import run_main
from test_output import MANIFESTS

from linter.findings import Finding, fingerprints
from linter.ir.source import Span
from linter.report import github

CI_FORMATS = ("sarif", "github", "gitlab", "junit", "checkstyle")


@pytest.fixture(scope="module")
def sarif_validator():
    from jsonschema import validators

    schema = json.loads(shared_or_skip("schemas", "sarif-2.1.0.json").read_text(encoding="utf-8"))
    cls = validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


@pytest.fixture(scope="module")
def messy(tmp_path_factory):
    """Findings of every severity, a parse error, an unreadable file, a file without findings,
    and names and texts that need escaping in every format."""
    d = tmp_path_factory.mktemp("messy")
    (d / "Dockerfile").write_text("FROM busybox\nFROM alpine:latest\nFROOB\n")
    (d / "app.yaml").write_text(MANIFESTS)
    (d / "syntax.yaml").write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: [x\n")
    (d / "clean.Dockerfile").write_text("FROM alpine:3.20\nHEALTHCHECK CMD true\n")
    (d / "latin.Dockerfile").write_bytes(b'FROM alpine:3.20\nLABEL a="Jos\xe9"\n')
    (d / "odd, name: 100%.Dockerfile").write_text('FROM "caf\u00e9&<x>\x1b"\n')
    return d


def run(*args: str, cwd=ROOT) -> subprocess.CompletedProcess[str]:
    r = run_main("check", *args, cwd=cwd)
    assert r.returncode in (0, 1), r.stderr
    return r


def json_findings(*args: str, cwd=ROOT) -> list[dict]:
    return json.loads(run(*args, "--format", "json", cwd=cwd).stdout)["findings"]


# -- SARIF --------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", ["examples", "messy", "empty"])
def test_sarif_validates_against_the_official_schema(sarif_validator, messy, tmp_path, case):
    args = {"examples": ("examples",), "messy": (".", "--select", "all"), "empty": (".",)}[case]
    cwd = {"examples": ROOT, "messy": messy, "empty": tmp_path}[case]
    doc = json.loads(run(*args, "--format", "sarif", cwd=cwd).stdout)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in sarif_validator.iter_errors(doc)]
    assert errors == []
    assert doc["version"] == "2.1.0"
    if case == "empty":
        assert doc["runs"][0]["results"] == []


def test_sarif_results_match_the_findings(messy):
    found = json_findings(".", "--select", "all", cwd=messy)
    (sarif_run,) = json.loads(run(".", "--select", "all", "--format", "sarif", cwd=messy).stdout)["runs"]
    driver = sarif_run["tool"]["driver"]
    assert driver["name"] == "shiplint" and driver["version"] and driver["informationUri"]
    rules = driver["rules"]
    assert [r["id"] for r in rules] == sorted({f["code"] for f in found})
    results = sarif_run["results"]
    assert len(results) == len(found)
    levels = {"error": "error", "warning": "warning", "info": "note"}
    for res, f in zip(results, found):
        assert res["ruleId"] == f["code"] == rules[res["ruleIndex"]]["id"]
        assert res["level"] == levels[f["severity"]]
        assert res["message"]["text"] == f["message"]
        (loc,) = res["locations"]
        art = loc["physicalLocation"]["artifactLocation"]
        assert art["uriBaseId"] == "%SRCROOT%"
        assert "\\" not in art["uri"] and not art["uri"].startswith("./")
        region = loc["physicalLocation"]["region"]
        assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) == (
            f["line"],
            f["column"],
            f["end_line"],
            f["end_column"],
        )
        assert len(res["partialFingerprints"]["shiplint/v1"]) == 32
    assert {r["level"] for r in results} == {"error", "warning", "note"}
    # The odd file name is percent-encoded in the URI.
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert "odd%2C%20name%3A%20100%25.Dockerfile" in uris


def test_sarif_rules_carry_descriptions_and_links_into_the_rule_docs():
    (sarif_run,) = json.loads(run("examples", "--format", "sarif").stdout)["runs"]
    docs = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    anchors = {
        re.sub(r"[^a-z0-9 -]", "", line[3:].lower()).replace(" ", "-")
        for line in docs.splitlines()
        if line.startswith("## ")
    }
    for rule in sarif_run["tool"]["driver"]["rules"]:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
        assert isinstance(rule["properties"]["aliases"], list)
        base, _, anchor = rule["helpUri"].partition("#")
        assert base.endswith("/docs/rules.md")
        assert anchor in anchors, rule["helpUri"]
    df001 = next(r for r in sarif_run["tool"]["driver"]["rules"] if r["id"] == "DF001")
    assert df001["name"] == "base-image-untagged"
    assert df001["properties"]["aliases"] == ["hadolint:DL3006"]


def test_sarif_default_level_follows_the_config(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM busybox\n")
    (tmp_path / ".shiplint.yaml").write_text("severity:\n  DF001: error\n")
    (sarif_run,) = json.loads(run("Dockerfile", "--format", "sarif", cwd=tmp_path).stdout)["runs"]
    (rule,) = sarif_run["tool"]["driver"]["rules"]
    assert rule["defaultConfiguration"]["level"] == "error"
    assert sarif_run["results"][0]["level"] == "error"


def test_sarif_user_rules_have_no_link_into_the_builtin_docs(tmp_path):
    (tmp_path / "policy").mkdir()
    text = (ROOT / "rules" / "KS401-host-network.yaml").read_text()
    text = text.replace("code: KS401", "code: ORG001").replace("name: host-network", "name: org-host-net")
    text = re.sub(r"(?m)^aliases:.*(\n[ -].*)*\n", "", text)
    (tmp_path / "policy" / "ORG001.yaml").write_text(text)
    (tmp_path / ".shiplint.yaml").write_text("rule-folders: [policy]\n")
    (tmp_path / "pod.yaml").write_text(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: true\n"
    )
    r = run_main("check", "pod.yaml", "--select", "ORG001", "--format", "sarif", cwd=tmp_path)
    assert r.returncode == 1, r.stderr
    (rule,) = json.loads(r.stdout)["runs"][0]["tool"]["driver"]["rules"]
    assert rule["id"] == "ORG001" and "helpUri" not in rule


def test_sarif_absolute_paths_outside_the_working_directory_are_file_uris(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM busybox\n")
    (sarif_run,) = json.loads(run(str(tmp_path / "Dockerfile"), "--format", "sarif").stdout)["runs"]
    art = sarif_run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert art["uri"].startswith("file:///") and "uriBaseId" not in art


# -- fingerprints -------------------------------------------------------------------------------


def _prints(cwd, fmt="sarif") -> dict[tuple[str, str], list[str]]:
    out = run(".", "--select", "all", "--format", fmt, cwd=cwd).stdout
    by: dict[tuple[str, str], list[str]] = {}
    if fmt == "sarif":
        for res in json.loads(out)["runs"][0]["results"]:
            path = unquote(res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
            by.setdefault((path, res["ruleId"]), []).append(res["partialFingerprints"]["shiplint/v1"])
    else:
        for issue in json.loads(out):
            by.setdefault((issue["location"]["path"], issue["check_name"]), []).append(issue["fingerprint"])
    return by


def test_fingerprints_survive_unrelated_edits_above(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM busybox\nRUN echo hi\nFROM alpine\n")
    (tmp_path / "app.yaml").write_text(MANIFESTS)
    before = _prints(tmp_path)
    lines_before = {f["line"] for f in json_findings(".", "--select", "all", cwd=tmp_path)}
    (tmp_path / "Dockerfile").write_text("# a comment\n\nFROM busybox\nRUN echo hello\nFROM alpine\n")
    # Unrelated to every rule: not labels or annotations, whose rules (KS605, KS606, KS608) report
    # on the labels or annotations line once there is one.
    (tmp_path / "app.yaml").write_text(
        "# header\n---\n"
        + MANIFESTS.replace("spec:\n  template:", "spec:\n  revisionHistoryLimit: 3\n  template:")
    )
    after = _prints(tmp_path)
    lines_after = {f["line"] for f in json_findings(".", "--select", "all", cwd=tmp_path)}
    assert lines_before != lines_after  # the findings did move
    assert after == before


def test_fingerprints_change_when_the_offending_line_changes(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM busybox\n")
    before = _prints(tmp_path)
    (tmp_path / "Dockerfile").write_text("FROM busybox AS base\n")
    assert _prints(tmp_path)[("Dockerfile", "DF001")] != before[("Dockerfile", "DF001")]


def test_fingerprints_ignore_whitespace_changes(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM busybox\n")
    before = _prints(tmp_path)
    (tmp_path / "Dockerfile").write_text("FROM    busybox   \n")
    assert _prints(tmp_path) == before


def test_identical_findings_get_distinct_fingerprints_by_rank():
    span = Span(1, 6, 1, 13)
    same = [Finding("DF001", "n", "warning", "m", "Dockerfile", span) for _ in range(3)]
    prints = fingerprints(same, lambda path, line: "FROM busybox")
    assert len(set(prints)) == 3
    # The same three again give the same three, in the same order.
    assert fingerprints(same, lambda path, line: "FROM busybox") == prints


def test_fingerprints_do_not_depend_on_path_spelling():
    span = Span(1, 6, 1, 13)
    a = Finding("DF001", "n", "warning", "m", "./sub/Dockerfile", span)
    b = Finding("DF001", "n", "warning", "m", "sub/../sub/Dockerfile", span)
    line = lambda path, n: "FROM busybox"  # noqa: E731
    assert fingerprints([a], line) == fingerprints([b], line)


def test_sarif_and_gitlab_share_the_fingerprint(messy):
    sarif = _prints(messy, "sarif")
    assert sarif and sarif == _prints(messy, "gitlab")


# -- GitHub -------------------------------------------------------------------------------------


def test_github_workflow_commands(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM busybox\nFROM alpine:latest\nFROOB\n")
    lines = run("Dockerfile", "--select", "all", "--format", "github", cwd=tmp_path).stdout.splitlines()
    assert lines[0] == (
        "::warning file=Dockerfile,line=1,endLine=1,col=6,endColumn=12,title=DF001 base-image-untagged"
        "::base image busybox has no tag or digest, so each build may start from a different image"
    )
    assert any(ln.startswith("::error file=Dockerfile,line=3,") for ln in lines)
    assert any(ln.startswith("::notice file=Dockerfile,") for ln in lines)  # DF003 is info
    assert all(re.fullmatch(r"::(error|warning|notice) file=[^:]+::.+", ln) for ln in lines)


def test_github_escaping():
    assert github.escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert github.escape_property("a,b: c%\n") == "a%2Cb%3A c%25%0A"
    f = Finding(
        "KS101", "image-not-pinned", "info", "line one\nline two: 50%", "dir/a,b:c.yaml", Span(2, 3, 4, 1)
    )
    cmd = github.command(f)
    assert cmd == (
        "::notice file=dir/a%2Cb%3Ac.yaml,line=2,endLine=4,title=KS101 image-not-pinned"
        "::line one%0Aline two: 50%25"
    )
    assert "\n" not in cmd


# -- GitLab -------------------------------------------------------------------------------------


def test_gitlab_code_quality(messy):
    found = json_findings(".", "--select", "all", cwd=messy)
    issues = json.loads(run(".", "--select", "all", "--format", "gitlab", cwd=messy).stdout)
    assert len(issues) == len(found)
    severity = {"error": "critical", "warning": "major", "info": "info"}
    for issue, f in zip(issues, found):
        assert set(issue) >= {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["check_name"] == f["code"] and f["message"] in issue["description"]
        assert issue["severity"] == severity[f["severity"]]
        assert issue["location"]["path"] == f["path"].removeprefix("./")
        assert issue["location"]["lines"] == {"begin": f["line"], "end": f["end_line"]}
    assert len({i["fingerprint"] for i in issues}) == len(issues)


# -- JUnit and checkstyle -----------------------------------------------------------------------


def test_junit_parses_and_counts(messy):
    found = json_findings(".", "--select", "all", cwd=messy)
    out = run(".", "--select", "all", "--format", "junit", cwd=messy).stdout
    root = ET.fromstring(out.encode("utf-8"))
    assert root.tag == "testsuites"
    assert int(root.get("failures")) == len(found) == len(root.findall(".//failure"))
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert "clean.Dockerfile" in suites  # a file without findings is a passing suite
    clean = suites["clean.Dockerfile"]
    assert clean.get("failures") == "0" and len(clean.findall("testcase")) == 1
    assert int(root.get("tests")) == sum(int(s.get("tests")) for s in suites.values())
    odd = suites["odd, name: 100%.Dockerfile"]
    messages = " ".join(f.get("message") for f in odd.findall("testcase/failure"))
    assert "caf\u00e9&<x>\\x1b" in messages  # escaped, and the ESC made visible


def test_checkstyle_parses(messy):
    found = json_findings(".", "--select", "all", cwd=messy)
    out = run(".", "--select", "all", "--format", "checkstyle", cwd=messy).stdout
    root = ET.fromstring(out.encode("utf-8"))
    assert root.tag == "checkstyle" and root.get("version") == "4.3"
    errors = root.findall("file/error")
    assert len(errors) == len(found)
    for e, f in zip(errors, found):
        assert e.get("source") == f"shiplint.{f['code']}"
        assert (int(e.get("line")), int(e.get("column"))) == (f["line"], f["column"])
        assert e.get("severity") == f["severity"] and e.get("message") == f["message"].replace(
            "\x1b", "\\x1b"
        )
    names = [f.get("name") for f in root.findall("file")]
    assert "clean.Dockerfile" in names and len(names) == len(set(names))


@pytest.mark.parametrize("fmt", ["junit", "checkstyle"])
def test_xml_is_ascii_on_a_non_utf_stream(fmt):
    import io

    from linter.report import checkstyle, junit

    f = Finding(
        "DF001", "n", "warning", "caf\u00e9 \u2603 \udce9 \x00", "d\u00e9j\u00e0/Dockerfile", Span(1, 1, 1, 2)
    )
    out = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    (junit if fmt == "junit" else checkstyle).render([f], 1, out, paths=[f.path])
    out.flush()
    data = out.buffer.getvalue()  # type: ignore[attr-defined]
    root = ET.fromstring(data)
    assert "caf\u00e9 \u2603" in ET.tostring(root, encoding="unicode")


# -- several formats in one run ------------------------------------------------------------------


def test_output_writes_several_files_in_one_run(tmp_path):
    outputs = {fmt: tmp_path / f"report.{fmt}" for fmt in (*CI_FORMATS, "json", "text")}
    args = [f"--output={fmt}={path}" for fmt, path in outputs.items()]
    r = run_main("check", "examples", *args, env={"FORCE_COLOR": "1"})
    assert r.returncode == 1, r.stderr
    assert r.stdout == run_main("check", "examples").stdout  # the text report, as without --output
    for fmt, path in outputs.items():
        alone = run_main("check", "examples", "--format", fmt).stdout
        assert path.read_text(encoding="utf-8") == alone, fmt
    assert "\x1b" not in outputs["text"].read_text()  # a file is never coloured


def test_output_failure_is_one_line_and_spares_the_other_files(tmp_path):
    good = tmp_path / "r.sarif"
    r = run_main(
        "check", "examples", "--format", "json",
        "--output", f"junit={tmp_path}/missing/dir/r.xml", "--output", f"sarif={good}",
    )  # fmt: skip
    assert r.returncode == 2
    assert json.loads(r.stdout)["findings"]
    assert json.loads(good.read_text())["runs"][0]["results"]
    (line,) = r.stderr.splitlines()
    assert line.startswith("shiplint: cannot write junit report to ") and "Traceback" not in r.stderr


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("sarif", "FORMAT=FILE"),
        ("sarif=", "FORMAT=FILE"),
        ("html=x.html", "format must be one of"),
    ],
)
def test_output_usage_errors(value, message):
    r = run_main("check", "examples", "--output", value)
    assert r.returncode == 2 and message in r.stderr and r.stdout == ""


def test_output_same_file_twice_is_an_error(tmp_path):
    r = run_main("check", "examples", "--output", f"sarif={tmp_path}/a", "--output", f"json={tmp_path}/a")
    assert r.returncode == 2 and "named twice" in r.stderr


def test_unknown_format_is_a_usage_error():
    r = run_main("check", "examples", "--format", "html")
    assert r.returncode == 2 and "sarif" in r.stderr


@pytest.mark.parametrize("fmt", CI_FORMATS)
def test_each_format_exits_as_text_does(fmt, tmp_path):
    assert run_main("check", "examples", "--format", fmt).returncode == 1
    assert run_main("check", "examples", "--format", fmt, "--fail-on", "error").returncode == 0
    assert run_main("check", str(tmp_path), "--format", fmt).returncode == 0


def test_formats_are_imported_only_when_used():
    code = (
        "import sys, io, contextlib\n"
        "from linter.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['check', 'examples'])\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('linter.'))))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    ).stdout.split()
    assert "linter.report.text" in loaded
    for module in ("json", "sarif", "github", "gitlab", "junit", "checkstyle", "_xml"):
        assert f"linter.report.{module}" not in loaded
    assert "linter.baseline" not in loaded
