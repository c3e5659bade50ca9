"""The pre-commit hooks, run for real with `pre-commit try-repo` against this checkout in a scratch
git repository. pre-commit builds the hook's environment with pip; the test keeps pip off the
network by pointing it at the wheelhouse that `make test` downloads beforehand.

try-repo installs what git knows of this checkout: the last commit plus changes to tracked (or
staged) files. Files that are new and not yet added to git are left out, so after adding a
module or a hook, these tests pass once the change is committed (or at least staged)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WHEELHOUSE = ROOT / ".venv" / "wheelhouse"


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def scratch_repo(tmp_path: Path) -> Path:
    if not WHEELHOUSE.is_dir() or not any(WHEELHOUSE.iterdir()):
        pytest.skip("no wheelhouse for an offline hook install: run `make test`")
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / "Dockerfile").write_text("FROM busybox\nRUN echo hi\n")
    (repo / "ok.Dockerfile").write_text("FROM busybox:1.36\n")
    (repo / "notes.txt").write_text("FROM busybox\n")  # not a type the hook takes
    # YAML and JSON that are not manifests: pre-commit names them, the hook must skip them.
    (repo / "chart" / "templates").mkdir(parents=True)
    (repo / "chart" / "templates" / "pod.yaml").write_text("apiVersion: v1\nkind: Pod\n{{- if .x }}\n")
    (repo / "tsconfig.json").write_text('{ // comment\n  "compilerOptions": {}\n}\n')
    (repo / "pod.yaml").write_text(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: true\n"
    )
    _git(repo, "add", ".")
    return repo


def _try_repo(
    repo: Path, tmp_path: Path, *files: str, hook: str = "shiplint"
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(WHEELHOUSE),
        "NO_COLOR": "1",
    }
    cmd = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), hook, "--verbose"]
    cmd += ["--files", *files] if files else ["--all-files"]
    return subprocess.run(cmd, cwd=repo, capture_output=True, text=True, env=env, timeout=600)


def test_hook_reports_findings_and_fails(scratch_repo: Path, tmp_path: Path) -> None:
    p = _try_repo(scratch_repo, tmp_path)
    out = p.stdout + p.stderr
    assert p.returncode == 1, out
    assert "Dockerfile:1:6: DF001 [warning]" in out
    assert "ok.Dockerfile:" not in out
    assert "notes.txt" not in out
    assert "pod.yaml:5:3: KS401" in out
    assert "templates" not in out and "tsconfig" not in out


def test_hook_passes_on_clean_files(scratch_repo: Path, tmp_path: Path) -> None:
    p = _try_repo(scratch_repo, tmp_path, "ok.Dockerfile")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "Passed" in p.stdout


def test_dockerfile_hook_lints_only_dockerfiles(scratch_repo: Path, tmp_path: Path) -> None:
    p = _try_repo(scratch_repo, tmp_path, hook="shiplint-dockerfile")
    out = p.stdout + p.stderr
    assert p.returncode == 1, out
    assert "Dockerfile:1:6: DF001 [warning]" in out
    assert "pod.yaml" not in out and "KS401" not in out
    assert "notes.txt" not in out


def test_manifests_hook_lints_only_manifests(scratch_repo: Path, tmp_path: Path) -> None:
    p = _try_repo(scratch_repo, tmp_path, hook="shiplint-manifests")
    out = p.stdout + p.stderr
    assert p.returncode == 1, out
    assert "pod.yaml:5:3: KS401" in out
    assert "DF001" not in out
    assert "templates" not in out and "tsconfig" not in out


@pytest.mark.parametrize("hook", ["shiplint-dockerfile", "shiplint-manifests"])
def test_narrow_hooks_pass_on_clean_files(scratch_repo: Path, tmp_path: Path, hook: str) -> None:
    clean = "ok.Dockerfile" if hook == "shiplint-dockerfile" else "tsconfig.json"
    p = _try_repo(scratch_repo, tmp_path, clean, hook=hook)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "Passed" in p.stdout
