"""Which objects the rules across files relate: a directory's files by default; files named one by
one are related to the rest of their directory, read for context only."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import lint_paths

from linter import cli
from linter.config import Config

SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
    - port: 80
"""

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
"""


def _dangling(paths: list[Path], monkeypatch: pytest.MonkeyPatch, scope: str | None = None) -> list[str]:
    monkeypatch.setenv("SHIPLINT_JOBS", "1")
    config = Config({})
    if scope is not None:
        config.cross_file_scope = scope
    findings = lint_paths(paths, ["KS701"], config)
    return [os.path.relpath(f.path, paths[0].parent if paths[0].is_file() else paths[0]) for f in findings]


def test_a_service_and_its_deployment_in_one_directory_relate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "svc.yaml").write_text(SERVICE)
    (tmp_path / "deploy.yaml").write_text(DEPLOYMENT)
    assert _dangling([tmp_path], monkeypatch) == []


def test_objects_in_other_directories_do_not_relate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "svc.yaml").write_text(SERVICE)
    (tmp_path / "b" / "deploy.yaml").write_text(DEPLOYMENT)
    assert _dangling([tmp_path], monkeypatch) == [os.path.join("a", "svc.yaml")]
    # With the whole run as one set they do.
    assert _dangling([tmp_path], monkeypatch, scope="run") == []


def test_a_file_named_alone_is_related_to_its_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "svc.yaml").write_text(SERVICE)
    (tmp_path / "deploy.yaml").write_text(DEPLOYMENT)
    assert _dangling([tmp_path / "svc.yaml"], monkeypatch) == []
    # Context files are read, not linted: their own problems are not reported.
    (tmp_path / "svc2.yaml").write_text(SERVICE.replace("web", "api"))
    assert _dangling([tmp_path / "svc.yaml"], monkeypatch) == []
    assert _dangling([tmp_path / "svc2.yaml"], monkeypatch) == ["svc2.yaml"]
    # Per file, nothing outside the file counts.
    assert _dangling([tmp_path / "svc.yaml"], monkeypatch, scope="file") == ["svc.yaml"]


def test_a_parallel_run_shows_the_source_line_of_a_finding_across_files(tmp_path: Path) -> None:
    from conftest import run_cli

    (tmp_path / "svc.yaml").write_text(SERVICE)
    for i in range(cli.PARALLEL_MIN_FILES):  # enough files for the worker pool
        (tmp_path / f"cm-{i:03}.yaml").write_text(
            f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}\n"
        )
    out = run_cli("check", "--select", "KS701", str(tmp_path), env={"SHIPLINT_JOBS": ""})
    assert "svc.yaml:6:" in out.stdout, out.stdout + out.stderr
    assert "  selector: {app: web}" in out.stdout  # the line, read back in the parent


def test_duplicates_across_files_whatever_the_spelling_of_their_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SHIPLINT_JOBS", "1")
    (tmp_path / "k").mkdir()
    (tmp_path / "k" / "a.yaml").write_text(SERVICE)
    (tmp_path / "k" / "b.yaml").write_text(SERVICE)
    (tmp_path / "k" / "link.yaml").symlink_to("a.yaml")

    def dups(*paths: str) -> list[str]:
        return sorted(f.path for f in lint_paths([Path(p) for p in paths], ["KS716"]))

    # Named two ways, or one named and the other read for context: still one directory. A link to
    # a file is that file, not a second definition.
    assert len(dups("k/a.yaml", "./k/b.yaml")) == 1  # the one after the other, by path
    assert dups("k/b.yaml") == ["k/b.yaml"]
    assert dups("k/a.yaml", "k/link.yaml") == []


def test_comment_like_text_in_a_string_does_not_silence_a_rule_across_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = SERVICE.replace(
        "metadata:\n  name: web\n",
        "metadata:\n  name: web\n  annotations:\n    note: |\n      # shiplint global ignore=KS701\n",
    )
    (tmp_path / "svc.yaml").write_text(text)
    assert _dangling([tmp_path], monkeypatch) == ["svc.yaml"]
    # A real comment does.
    (tmp_path / "svc.yaml").write_text("# shiplint global ignore=KS701\n" + SERVICE)
    assert _dangling([tmp_path], monkeypatch) == []


def test_nothing_parsed_early_outlives_its_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    crd = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: a.b.c}\n"
    (tmp_path / "crd.yaml").write_text(crd)
    for i in range(cli.BATCH_FILES + 1):  # more than one batch: CRD files are parsed first
        (tmp_path / f"cm-{i:03}.yaml").write_text(
            f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}\n"
        )
    for jobs in ("1", ""):
        monkeypatch.setenv("SHIPLINT_JOBS", jobs)
        lint_paths([tmp_path], ["KS010"])
        assert cli._PARSED_EARLY == {}
