"""What users read: JSON output (valid against schemas/output.schema.json, 1-based positions,
object and container), text output (finding line, source line and caret, summary) and colour
(only on a terminal or with FORCE_COLOR; NO_COLOR always wins, as no-color.org asks)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from conftest import ROOT
from jsonschema import Draft202012Validator
from test_cli import run_main

SCHEMA = json.loads((ROOT / "schemas" / "output.schema.json").read_text())
VALIDATOR = Draft202012Validator(SCHEMA)
ANSI = re.compile(r"\x1b\[[0-9;]*m")
FINDING_LINE = re.compile(
    r"^(?P<path>.+):(?P<line>\d+):(?P<col>\d+): "
    r"(?P<code>[A-Z]{2,4}\d{3}) \[(?P<sev>error|warning|info)\] (?P<msg>.+)$"
)
SUMMARY = re.compile(r"^(No findings in \d+ files?\.|Found \d+ findings? \(.+\) in \d+ files?\.)$")

MANIFESTS = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      initContainers:
      - name: migrate
        image: migrate
      containers:
      - name: app
        image: app:latest
        resources:
          requests: {cpu: 100m, memory: 64Mi}
          limits: {cpu: 200m, memory: 128Mi}
---
apiVersion: v1
kind: Pod
metadata:
  name: solo
spec:
  hostNetwork: true
  containers:
  - name: c
    image: "nginx:1.27"
"""


@pytest.fixture(scope="module")
def bad_folder(tmp_path_factory):
    """A folder with one of everything: findings of all severities and kinds of bad input."""
    d = tmp_path_factory.mktemp("out")
    (d / "Dockerfile").write_text("FROM busybox\nFROM alpine:latest\nFROOB\n")
    (d / "app.yaml").write_text(MANIFESTS)
    (d / "syntax.yaml").write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: [x\n")
    (d / "dup.yaml").write_text("apiVersion: v1\nkind: Pod\nkind: Pod\nmetadata:\n  name: a\n")
    (d / "latin.Dockerfile").write_bytes(b'FROM alpine:3.20\nLABEL a="Jos\xe9"\n')
    (d / "Containerfile").write_bytes(b"\x00\x01")
    (d / "Dockerfile.empty").write_text("")
    return d


def run_json(*args: str, cwd=ROOT) -> tuple[dict, list[dict]]:
    r = run_main("check", *args, "--format", "json", cwd=cwd)
    assert r.returncode in (0, 1), r.stderr
    doc = json.loads(r.stdout)
    return doc, doc["findings"]


# -- JSON ---------------------------------------------------------------------------------------


def test_json_validates_for_examples_and_bad_input(cli, bad_folder):
    cases = (("examples",), (str(bad_folder), "--select", "all"), (str(bad_folder / "nope.yaml"),))
    for args, rc in zip(cases, (1, 1, 1), strict=True):
        r = cli("check", *args, "--format", "json")
        assert r.returncode == rc, r.stderr
        doc = json.loads(r.stdout)
        errors = [e.message for e in VALIDATOR.iter_errors(doc)]
        assert errors == [], errors


def test_json_validates_with_no_findings(tmp_path):
    doc, found = run_json(str(tmp_path))
    assert found == []
    assert list(VALIDATOR.iter_errors(doc)) == []
    assert doc["summary"] == {"files": 0, "findings": 0, "error": 0, "warning": 0, "info": 0}


def test_json_summary_counts(bad_folder):
    doc, found = run_json(str(bad_folder), "--select", "all")
    s = doc["summary"]
    assert s["files"] == 7
    assert s["findings"] == len(found)
    for sev in ("error", "warning", "info"):
        assert s[sev] == sum(f["severity"] == sev for f in found)
    assert s["error"] and s["warning"] and s["info"]


def test_json_positions_are_1_based_and_point_at_the_text(bad_folder):
    _, found = run_json(str(bad_folder), "--select", "all")
    for f in found:
        assert f["line"] >= 1 and f["column"] >= 1
        assert (f["end_line"], f["end_column"]) > (f["line"], f["column"])
    by = {(os.path.basename(f["path"]), f["code"]): f for f in found}
    df001 = by[("Dockerfile", "DF001")]
    assert (df001["line"], df001["column"], df001["end_line"], df001["end_column"]) == (1, 6, 1, 13)
    text = (bad_folder / "Dockerfile").read_text().splitlines()
    assert text[0][df001["column"] - 1 : df001["end_column"] - 1] == "busybox"
    df000 = by[("Dockerfile", "DF000")]
    assert (df000["line"], df000["column"]) == (3, 1)
    assert by[("dup.yaml", "KS001")]["line"] == 3
    assert by[("latin.Dockerfile", "SL001")]["line"] == 2


def test_json_object_and_container(tmp_path):
    (tmp_path / "app.yaml").write_text(MANIFESTS)
    _, found = run_json("app.yaml", "--select", "all", cwd=tmp_path)
    by = {}
    for f in found:
        by.setdefault(f["code"], []).append(f)
    assert all(f["path"] == "app.yaml" for f in found)
    # Kind/namespace/name, or Kind/name when the object names no namespace.
    assert {f["object"] for f in found} == {"Deployment/shop/web", "Pod/solo"}
    assert {(f["object"], f["container"]) for f in by["KS101"]} == {
        ("Deployment/shop/web", "migrate"),
        ("Deployment/shop/web", "app"),
    }
    ks101_lines = sorted(f["line"] for f in by["KS101"])
    assert ks101_lines == [11, 14]
    # A pod-level finding names the object but no container.
    (host,) = by["KS401"]
    assert host["object"] == "Pod/solo" and "container" not in host and host["line"] == 24


def test_json_dockerfile_findings_have_no_object(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM busybox\n")
    _, found = run_json("Dockerfile", cwd=tmp_path)
    assert [f["code"] for f in found] == ["DF001"]
    assert "object" not in found[0] and "container" not in found[0]
    assert found[0]["aliases"] == ["hadolint:DL3006"]
    assert found[0]["name"] == "base-image-untagged"


def test_json_path_is_as_given(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "Dockerfile").write_text("FROM busybox\n")
    for given in (
        "sub/Dockerfile",
        "./sub/Dockerfile",
        "sub/../sub/Dockerfile",
        str(tmp_path / "sub/Dockerfile"),
    ):
        _, found = run_json(given, cwd=tmp_path)
        assert [f["path"] for f in found] == [given]


# -- text ---------------------------------------------------------------------------------------


def test_text_format_source_line_and_caret(cli):
    r = cli("check", "examples/Dockerfile")
    assert r.stdout.splitlines() == [
        "examples/Dockerfile:1:6: DF001 [warning] base image busybox has no tag or digest, "
        "so each build may start from a different image",
        "    1 | FROM busybox",
        "      |      ^^^^^^^",
        "Found 1 finding (1 warning) in 1 file.",
    ]


def test_text_every_finding_has_a_caret_under_its_span(bad_folder):
    r = run_main("check", str(bad_folder), "--select", "all")
    lines = r.stdout.splitlines()
    assert SUMMARY.match(lines[-1]), lines[-1]
    _, found = run_json(str(bad_folder), "--select", "all")
    heads = [i for i, ln in enumerate(lines) if FINDING_LINE.match(ln)]
    assert len(heads) == len(found)
    for i, f in zip(heads, found):
        m = FINDING_LINE.match(lines[i])
        assert (m["path"], int(m["line"]), int(m["col"]), m["code"], m["sev"], m["msg"]) == (
            f["path"],
            f["line"],
            f["column"],
            f["code"],
            f["severity"],
            f["message"],
        )
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if not nxt.startswith(f"{f['line']:>5} | "):
            continue  # no source line to show (an unreadable file, a line past the end)
        source, caret = nxt[8:], lines[i + 2][8:]
        start = caret.index("^")
        assert start == f["column"] - 1
        width = len(caret) - start
        if f["end_line"] == f["line"]:
            assert width == max(min(f["end_column"], len(source) + 1) - f["column"], 1)


def test_text_no_source(cli):
    r = cli("check", "examples", "--no-source")
    lines = r.stdout.splitlines()
    assert all(FINDING_LINE.match(ln) for ln in lines[:-1])
    assert len(lines) == 17
    assert lines[-1] == "Found 16 findings (10 warnings, 6 info) in 2 files."
    assert "^" not in r.stdout and " | " not in r.stdout


@pytest.mark.parametrize(
    ("text", "summary"),
    [
        ("FROM alpine:3.20\n", "No findings in 1 file."),
        ("FROM busybox\n", "Found 1 finding (1 warning) in 1 file."),
        ("FROM busybox\nFROM alpine\nFROOB\n", "Found 3 findings (1 error, 2 warnings) in 1 file."),
    ],
)
def test_text_summary_line(tmp_path, text, summary):
    (tmp_path / "Dockerfile").write_text(text)
    r = run_main("check", "Dockerfile", cwd=tmp_path)
    assert r.stdout.splitlines()[-1] == summary


def test_text_tabs_keep_the_caret_aligned(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM\tbusybox\n")
    r = run_main("check", "Dockerfile", cwd=tmp_path)
    src, caret = r.stdout.splitlines()[1:3]
    assert src == "    1 | FROM busybox"
    assert caret == "      |      ^^^^^^^"


# -- colour -------------------------------------------------------------------------------------


def run_env(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The command line with exactly these colour variables (the `cli` fixture always sets
    NO_COLOR and drops FORCE_COLOR)."""
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    return subprocess.run(
        [sys.executable, "-m", "linter", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**base, **env},
        timeout=60,
    )


def test_force_color_gives_ansi_escapes_that_only_add_colour():
    plain = run_env("check", "examples")
    coloured = run_env("check", "examples", FORCE_COLOR="1")
    assert coloured.returncode == plain.returncode == 1
    assert ANSI.search(coloured.stdout)
    assert not ANSI.search(plain.stdout)  # not a terminal: no colour
    assert ANSI.sub("", coloured.stdout) == plain.stdout


def test_colour_highlights_the_offending_text_not_the_whole_line():
    r = run_env("check", "examples/Dockerfile", FORCE_COLOR="1")
    source = r.stdout.splitlines()[1]
    # Split the line into (SGR codes in force, text) runs.
    runs, codes, pos = [], "", 0
    for m in ANSI.finditer(source):
        if m.start() > pos:
            runs.append((codes, source[pos : m.start()]))
        codes = m.group()[2:-1]
        codes = "" if codes in ("", "0") else codes
        pos = m.end()
    runs.append((codes, source[pos:]))
    styles = {text: code for code, text in runs if text}
    assert styles["busybox"] != ""  # highlighted
    assert styles.get("FROM ", "") == ""  # the rest of the source line is plain
    assert styles["    1 | "] != ""  # the gutter is dimmed


def run_on_terminal(*args: str, **env: str) -> str:
    """The command line with its standard output on a pseudo-terminal; what it wrote there."""
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    try:
        subprocess.run(
            [sys.executable, "-m", "linter", *args],
            cwd=ROOT,
            stdout=slave,
            stderr=subprocess.DEVNULL,
            env={**base, "TERM": "xterm", **env},
            timeout=60,
        )
    finally:
        os.close(slave)
    out = b""
    try:
        while chunk := os.read(master, 65536):
            out += chunk
    except OSError:  # EIO: the terminal's other side is closed and drained
        pass
    finally:
        os.close(master)
    return out.decode()


def test_colour_on_a_terminal():
    assert ANSI.search(run_on_terminal("check", "examples/Dockerfile"))


def test_no_color_on_a_terminal():
    out = run_on_terminal("check", "examples/Dockerfile", NO_COLOR="1")
    assert "DF001" in out and "\x1b" not in out


@pytest.mark.parametrize("force", ["1", ""])
def test_no_color_wins(force):
    env = {"NO_COLOR": "1"}
    if force:
        env["FORCE_COLOR"] = force
    r = run_env("check", "examples", **env)
    assert r.returncode == 1
    assert "\x1b" not in r.stdout and "\x1b" not in r.stderr
    assert "DF001" in r.stdout


def test_empty_no_color_does_not_disable_colour():
    # no-color.org: NO_COLOR counts when it is set to a non-empty value.
    r = run_env("check", "examples/Dockerfile", NO_COLOR="", FORCE_COLOR="1")
    assert ANSI.search(r.stdout)


def test_json_is_never_coloured():
    r = run_env("check", "examples", "--format", "json", FORCE_COLOR="1")
    assert "\x1b" not in r.stdout
    assert list(VALIDATOR.iter_errors(json.loads(r.stdout))) == []


def test_help_documents_colour_variables(cli):
    out = cli("--help").stdout
    assert "NO_COLOR" in out and "FORCE_COLOR" in out
