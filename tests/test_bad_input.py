"""Bad input: every kind is a finding or a one-line message with the documented exit code, never
a traceback, and the other files are still linted."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import ROOT

GOOD_DOCKERFILE = "FROM busybox\n"  # one DF001 warning, to show the run went on
BOMB = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: lol
data:
  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
  g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
  h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
  i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""
MANIFEST_HEAD = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n"


def run_json(cli, *args, **kw):
    r = cli("check", *args, "--format", "json", **kw)
    assert "Traceback" not in r.stderr, r.stderr
    data = json.loads(r.stdout)
    return r, data["findings"], data["summary"]


def only(found: list[dict], path: str) -> list[tuple[str, int]]:
    return [(f["code"], f["line"]) for f in found if f["path"] == path]


def write_big(path, size: int = 50 * 1024 * 1024) -> None:
    line = b"  k: " + b"x" * 1000 + b"\n"
    with open(path, "wb") as f:
        f.write(MANIFEST_HEAD.encode())
        f.write(line * (size // len(line) + 1))


@pytest.fixture
def good(tmp_path):
    path = tmp_path / "ok" / "Dockerfile"
    path.parent.mkdir()
    path.write_text(GOOD_DOCKERFILE)
    return str(path)


def assert_good_linted(found, good):
    assert only(found, good) == [("DF001", 1)]


# -- each kind of bad input, given beside a good file -------------------------------------------


def test_missing_file(cli, tmp_path, good):
    # An SL001 error finding, as ruff's E902: the rest is linted, and the run fails at the
    # default threshold. (Not a usage error: the conformance harness names absent fixtures.)
    missing = str(tmp_path / "nope.yaml")
    r, found, summary = run_json(cli, missing, good)
    assert r.returncode == 1
    assert only(found, missing) == [("SL001", 1)]
    assert "No such file or directory" in found[[f["path"] for f in found].index(missing)]["message"]
    assert_good_linted(found, good)
    assert summary["files"] == 2


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(cli, tmp_path, good):
    path = tmp_path / "Dockerfile"
    path.write_text("FROM alpine:3.20\n")
    path.chmod(0)
    try:
        r, found, _ = run_json(cli, str(path), good)
    finally:
        path.chmod(0o644)
    assert r.returncode == 1
    assert only(found, str(path)) == [("SL001", 1)]
    assert_good_linted(found, good)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads any folder")
def test_unreadable_folder_is_a_message_and_the_rest_is_walked(cli, tmp_path):
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "Dockerfile").write_text(GOOD_DOCKERFILE)
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "Dockerfile").write_text(GOOD_DOCKERFILE)
    locked.chmod(0)
    try:
        r, found, _ = run_json(cli, str(tmp_path))
    finally:
        locked.chmod(0o755)
    assert r.returncode == 1
    assert [f["path"] for f in found] == [str(tmp_path / "ok" / "Dockerfile")]
    assert "locked" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_invalid_utf8(cli, tmp_path, good):
    path = tmp_path / "Dockerfile"
    path.write_bytes('FROM alpine:3.20\nLABEL author="José"\n'.encode("latin-1"))
    r, found, _ = run_json(cli, str(path), good)
    assert r.returncode == 1
    assert only(found, str(path)) == [("SL001", 2)]
    assert_good_linted(found, good)


def test_binary_file(cli, tmp_path, good):
    path = tmp_path / "pod.yaml"
    path.write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00" + bytes(range(256)) * 4)
    r, found, _ = run_json(cli, str(path), good)
    assert r.returncode == 1
    assert only(found, str(path)) == [("SL001", 1)]
    assert "binary" in next(f for f in found if f["path"] == str(path))["message"]
    assert_good_linted(found, good)


def test_yaml_syntax_error(cli, tmp_path, good):
    path = tmp_path / "cm.yaml"
    path.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  greeting: [hello\n")
    r, found, _ = run_json(cli, str(path), good)
    assert r.returncode == 1
    assert [c for c, _ in only(found, str(path))] == ["KS000"]
    assert_good_linted(found, good)


def test_yaml_syntax_error_after_a_good_document_still_lints_the_first(cli, tmp_path):
    path = tmp_path / "two.yaml"
    path.write_text(
        (ROOT / "examples" / "pod.yaml").read_text() + "---\napiVersion: v1\nkind: Pod\nmetadata: [\n"
    )
    _, found, _ = run_json(cli, str(path))
    got = only(found, str(path))
    assert ("KS000", 16) in got or any(c == "KS000" for c, _ in got)
    assert ("KS201", 7) in got


def test_duplicate_keys(cli, tmp_path, good):
    path = tmp_path / "rc.yaml"
    path.write_text(
        "apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: etcd\nspec:\n"
        "  selector:\n    app: etcd\n  replicas: 1\n  selector:\n    app: etcd-discovery\n"
    )
    # Only the duplicate key is this test's business (the controller, having no pod template, would
    # also get cross-object findings such as KS712).
    r, found, _ = run_json(cli, str(path), good, "--select", "KS001,DF001")
    assert r.returncode == 1
    assert only(found, str(path)) == [("KS001", 9)]
    assert_good_linted(found, good)


def test_dockerfile_that_does_not_parse(cli, tmp_path, good):
    path = tmp_path / "Dockerfile.bad"
    path.write_text("FROM alpine:3.20\nRUN echo hi\n~\n")
    r, found, _ = run_json(cli, str(path), good)
    assert r.returncode == 1
    assert only(found, str(path)) == [("DF000", 3)]
    assert_good_linted(found, good)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # A Dockerfile with no instructions does not build: DF000.
        ("Dockerfile", [("DF000", 1)]),
        # An empty manifest holds no object: nothing to report.
        ("empty.yaml", []),
    ],
)
def test_empty_file(cli, tmp_path, good, name, expected):
    path = tmp_path / name
    path.write_text("")
    r, found, summary = run_json(cli, str(path), good)
    assert only(found, str(path)) == expected
    assert_good_linted(found, good)
    assert summary["files"] == 2
    assert r.stderr == ""


def test_directory_with_nothing_to_lint(cli, tmp_path):
    (tmp_path / "README.md").write_text("# nothing here\n")
    (tmp_path / "values.yaml").write_text("replicas: 3\n")  # YAML, but no Kubernetes object
    r = cli("check", str(tmp_path))
    assert r.returncode == 0
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and str(tmp_path) in lines[0]
    assert "Traceback" not in r.stderr
    r, found, summary = run_json(cli, str(tmp_path))
    assert r.returncode == 0 and found == [] and summary["files"] == 0


def test_alias_bomb_is_not_expanded(cli, tmp_path, good):
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB)
    r, found, _ = run_json(cli, str(path), good)
    assert r.returncode == 1
    assert only(found, str(path)) == [("KS000", 1)]
    assert "alias" in next(f for f in found if f["path"] == str(path))["message"]
    assert_good_linted(found, good)


def test_alias_bomb_on_stdin(cli):
    r, found, _ = run_json(cli, "-", "--stdin-filename", "bomb.yaml", stdin=BOMB)
    assert r.returncode == 1
    assert [(f["code"], f["path"]) for f in found] == [("KS000", "bomb.yaml")]


def test_50_mb_file_is_not_parsed(cli, tmp_path, good):
    path = tmp_path / "big.yaml"
    write_big(path)
    r, found, _ = run_json(cli, str(path), good)
    assert r.returncode == 1
    assert only(found, str(path)) == [("SL001", 1)]
    assert "max-file-size" in next(f for f in found if f["path"] == str(path))["message"]
    assert_good_linted(found, good)


def test_50_mb_on_stdin_is_not_parsed(tmp_path):
    """Standard input is held to max-file-size too (else a 50 MB stream is parsed whole)."""
    path = tmp_path / "big.yaml"
    write_big(path)
    with open(path, "rb") as f:
        r = subprocess.run(
            [
                sys.executable,
                "-m",
                "linter",
                "check",
                "-",
                "--stdin-filename",
                "big.yaml",
                "--format",
                "json",
            ],
            cwd=ROOT,
            stdin=f,
            capture_output=True,
            timeout=60,
            env={**os.environ, "NO_COLOR": "1"},
        )
    assert r.returncode == 1, r.stderr
    found = json.loads(r.stdout)["findings"]
    assert [(f["code"], f["path"]) for f in found] == [("SL001", "big.yaml")]
    assert "max-file-size" in found[0]["message"]


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: caf\xe9\n", 4),  # Latin-1
        (b"\x00\x01\x02\x03binary", 1),
    ],
    ids=["invalid-utf8", "binary"],
)
def test_bad_bytes_on_stdin(tmp_path, data, line):
    r = subprocess.run(
        [sys.executable, "-m", "linter", "check", "-", "--stdin-filename", "x.yaml", "--format", "json"],
        cwd=ROOT,
        input=data,
        capture_output=True,
        timeout=60,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert r.returncode == 1, r.stderr
    found = json.loads(r.stdout)["findings"]
    assert [(f["code"], f["path"], f["line"]) for f in found] == [("SL001", "x.yaml", line)]


def test_everything_at_once_in_a_folder(cli, tmp_path):
    """One walk over a folder of bad files: each is reported on its own, the good one is linted,
    and nothing stops the run."""
    (tmp_path / "Dockerfile").write_text(GOOD_DOCKERFILE)
    (tmp_path / "latin.Dockerfile").write_bytes(b'FROM alpine:3.20\nLABEL a="Jos\xe9"\n')
    (tmp_path / "Containerfile").write_bytes(b"\x00\x00\x00\x00")
    (tmp_path / "Dockerfile.empty").write_text("")
    (tmp_path / "Dockerfile.bad").write_text("FROM alpine:3.20\nFROOB\n")
    (tmp_path / "syntax.yaml").write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: [x\n")
    (tmp_path / "dup.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nkind: ConfigMap\nmetadata: {name: a}\n"
    )
    (tmp_path / "bomb.yaml").write_text(BOMB)
    (tmp_path / "empty.yaml").write_text("")
    r, found, _ = run_json(cli, str(tmp_path))
    assert r.returncode == 1

    def at(name: str) -> list[str]:
        return sorted(f["code"] for f in found if f["path"] == str(tmp_path / name))

    assert at("Dockerfile") == ["DF001"]
    assert at("latin.Dockerfile") == ["SL001"]
    assert at("Containerfile") == ["SL001"]
    assert at("Dockerfile.empty") == ["DF000"]
    assert at("Dockerfile.bad") == ["DF000"]
    assert at("syntax.yaml") == ["KS000"]
    assert at("dup.yaml") == ["KS001"]
    assert at("bomb.yaml") == ["KS000"]
    assert r.stderr == ""


def test_a_big_non_manifest_file_found_by_walking_is_not_reported(cli, tmp_path):
    """A walk lints YAML and JSON that hold Kubernetes objects; a 50 MB data file does not, even
    though it is too large to parse whole."""
    with open(tmp_path / "data.json", "wb") as f:
        f.write(b'{"rows": [' + b'{"id": 1, "name": "xxxxxxxxxxxxxxxxxxxx"},' * 1_300_000 + b"{}]}\n")
    (tmp_path / "Dockerfile").write_text(GOOD_DOCKERFILE)
    _, found, summary = run_json(cli, str(tmp_path))
    assert [f["path"] for f in found] == [str(tmp_path / "Dockerfile")]
    assert summary["files"] == 1


# -- hostile nesting ----------------------------------------------------------------------------


def test_deeply_nested_yaml_does_not_crash(cli, tmp_path, good):
    path = tmp_path / "deep.yaml"
    path.write_text(MANIFEST_HEAD + "  x: " + "[" * 60_000 + "]" * 60_000 + "\n")
    r = cli("check", str(path), good, "--format", "json")
    assert r.returncode == 1, (r.returncode, r.stderr[-300:])
    found = json.loads(r.stdout)["findings"]
    assert only(found, str(path)) == [("KS000", 1)]
    assert_good_linted(found, good)


def test_moderately_nested_yaml_is_a_finding(cli, tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text(MANIFEST_HEAD + "  x: " + "[" * 5000 + "]" * 5000 + "\n")
    r, found, _ = run_json(cli, str(path))
    assert r.returncode == 1
    assert [f["code"] for f in found] == ["KS000"]


def test_deeply_nested_exec_form_is_a_dockerfile_finding(cli, tmp_path, good):
    path = tmp_path / "Dockerfile"
    path.write_text("FROM alpine:3.20\nCMD " + "[" * 100_000 + "]" * 100_000 + "\n")
    r = cli("check", str(path), good, "--format", "json")
    assert "Traceback" not in r.stderr
    assert r.returncode == 1, r.stderr
    found = json.loads(r.stdout)["findings"]
    assert only(found, str(path)) == [("DF000", 2)]
    assert_good_linted(found, good)


def test_fifo_in_a_walked_folder_does_not_hang(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    os.mkfifo(tmp_path / "Dockerfile")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "Dockerfile").write_text(GOOD_DOCKERFILE)
    try:
        r = subprocess.run(
            [sys.executable, "-m", "linter", "check", str(tmp_path), "--format", "json"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=20,
            env={**os.environ, "NO_COLOR": "1"},
        )
    except subprocess.TimeoutExpired:
        pytest.fail("shiplint blocked opening a FIFO found by walking")
    found = json.loads(r.stdout)["findings"]
    assert [f["path"] for f in found] == [str(tmp_path / "sub" / "Dockerfile")]


def test_non_ascii_output_under_an_ascii_locale(tmp_path):
    path = tmp_path / "cm.yaml"
    path.write_text('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: café\ndata:\n  é: "1"\n  é: "2"\n')
    env = {**os.environ, "NO_COLOR": "1", "PYTHONIOENCODING": "ascii"}
    for fmt in ("text", "json"):
        r = subprocess.run(
            [sys.executable, "-m", "linter", "check", str(path), "--format", fmt],
            cwd=ROOT,
            capture_output=True,
            timeout=60,
            env=env,
        )
        assert b"Traceback" not in r.stderr, r.stderr
        assert r.returncode == 1
        if fmt == "json":
            found = json.loads(r.stdout)["findings"]
            # KS603: 'café' is not a valid object name; both messages quote non-ASCII text.
            assert [f["code"] for f in found] == ["KS603", "KS001"]
            assert all("é" in f["message"] for f in found)
        else:
            assert b"KS603" in r.stdout and b"KS001" in r.stdout


def test_report_that_cannot_be_written_is_one_line_and_exit_2(tmp_path, good):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    with open("/dev/full", "w") as full:
        p = subprocess.run(
            [sys.executable, "-m", "linter", "check", good], stdout=full, stderr=subprocess.PIPE, text=True
        )
    assert p.returncode == 2
    assert "Traceback" not in p.stderr
    assert p.stderr.strip().splitlines() == ["shiplint: cannot write the report: No space left on device"]


def test_endless_device_is_bounded(cli, good):
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    _r, found, _ = run_json(cli, "/dev/zero", good)
    assert only(found, "/dev/zero") == [("SL001", 1)]
    assert "max-file-size" in next(f["message"] for f in found if f["path"] == "/dev/zero")
    assert_good_linted(found, good)
